"""make stress: the long form of the live-patching proof.

For each image: `stress FLIPS` (every patch method, nop<->call and
call->call) on 2, 4 and 8 CPUs under multi-threaded TCG and on 4 CPUs under
single-threaded TCG, `stress FLIPS all nmi` where the arch has NMIs, and on
riscv64 a run with one instruction per translation block (-singlestep) so
that interrupts land between a site's two instructions.  A run fails on any
lost call, wrong result, crash, text checksum that differs from boot, or a
multi-threaded run with fewer than MIN_HITS emulated breakpoints per run
line.  Last, a negative control: with `patch_settle` off, multi-threaded TCG
is expected to run stale code (README, "A QEMU finding"); its outcome is
reported, not judged.

    python3 -m harness.stress [--arch all|x86_64,...] [--flips N]
                              [--smp 2,4,8] [--accel tcg-mt|tcg] [--quick]
"""
import argparse
import sys
import time

from . import ARCHES, MachineError, Machine, key_values, resolve_arch

MIN_HITS = 100_000      # emulated breakpoints per run line, under tcg-mt
# Flips per method and mode when --flips is not given, by CPU count (riscv64
# at 2 CPUs: 3000 flips gave 34k-64k emulated breakpoints per run line): with one
# vCPU per host core (2 CPUs on 2 cores) a batch takes ~1 ms and each flip
# catches ~40 calls in its window; with more vCPUs than cores every sync
# waits for the host to run them all, so windows are long and a flip slow.
DEFAULT_FLIPS = {2: 10000, 4: 200, 8: 100}


def flips_for(smp, flips):
    return flips if flips else DEFAULT_FLIPS.get(smp, 200)


def runs_of(out):
    """One key=value dict per run line of `stress`, with its verdict."""
    return [dict(key_values(line), verdict=line.rsplit(' ', 1)[1])
            for line in out.split('\n') if line.startswith('stress: method=') and ' mode=' in line]


def emulated(run):
    return sum(int(kv.split(':')[1]) for kv in run['bp_hits'].split(','))


def stress_once(arch, smp, accel, args, extra=(), check_hits=True):
    """Boot, run `stress ARGS`, check; returns (ok, summary line)."""
    t0 = time.monotonic()
    with Machine(arch, smp=smp, accel=accel, extra_args=extra) as m:
        boot = m.run('text_checksum')
        out = m.run(f'stress {args}', timeout=7200)
        after = m.run('text_checksum')
    if 'has no NMI' in out:
        return True, f'{arch} smp={smp} {accel} stress {args}: no NMIs on this arch'
    runs = runs_of(out)
    problems = []
    if not out.endswith('stress: all runs ok'):
        problems.append('not all runs ok')
    if after != boot:
        problems.append('text checksum differs from boot')
    for r in runs:
        bp = r['method'] != 'stop_machine'
        if check_hits and accel == 'tcg-mt' and bp and emulated(r) < MIN_HITS:
            problems.append(f"{r['method']} {r['mode']}: {emulated(r)} emulated breakpoints "
                            f'< {MIN_HITS}')
    calls = sum(int(r['calls']) for r in runs)
    hits = sum(emulated(r) for r in runs)
    restarts = sum(int(r.get('restarts', 0)) for r in runs)
    lost = sum(int(r['lost']) for r in runs)
    wrong = sum(int(r['wrong']) for r in runs)
    line = (f'{arch} smp={smp} {accel}{" " + " ".join(extra) if extra else ""} '
            f'stress {args}: calls={calls} emulated_bp={hits} restarts={restarts} '
            f'lost={lost} wrong={wrong} min_bp_per_run={min((emulated(r) for r in runs if r["method"] != "stop_machine"), default=0)} '
            f'{time.monotonic() - t0:.0f}s {"FAIL: " + "; ".join(problems) if problems else "ok"}')
    print(out, flush=True)
    return not problems, line


def negative_control(arch, flips):
    """patch_settle 0 under tcg-mt: does the guest hit stale code?"""
    try:
        with Machine(arch, smp=4, accel='tcg-mt') as m:
            m.run('echo 0 > patch_settle')
            t0 = time.monotonic()
            out = m.run(f'stress {flips} breakpoint', timeout=600)
            return (f'{arch} negative control (patch_settle 0, tcg-mt, 4 CPUs): '
                    f'survived {time.monotonic() - t0:.1f}s: {out.splitlines()[-1]}')
    except MachineError as e:
        return (f'{arch} negative control (patch_settle 0, tcg-mt, 4 CPUs): '
                f'crashed as expected: {e.reason}')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', default='all')
    ap.add_argument('--flips', type=int, default=None,
                    help='per method and mode (default by CPU count: 2: 10000, 4: 200, 8: 100)')
    ap.add_argument('--smp', default='2,4,8', help='CPU counts for the tcg-mt runs')
    ap.add_argument('--accel', choices=('tcg-mt', 'tcg', 'kvm'), default=None,
                    help='only this accelerator (default: tcg-mt at every --smp, tcg at 4)')
    args = ap.parse_args(argv)
    names = list(ARCHES) if args.arch == 'all' else [resolve_arch(a) for a in args.arch.split(',')]
    smps = [int(s) for s in args.smp.split(',')]
    plan = []
    for arch in names:
        if args.accel in (None, 'tcg-mt', 'kvm'):
            plan += [(arch, n, args.accel or 'tcg-mt', f'{flips_for(n, args.flips)}', ())
                     for n in smps]
        if args.accel in (None, 'tcg'):
            plan.append((arch, 4, 'tcg', f'{flips_for(4, args.flips)}', ()))
        plan.append((arch, 4, args.accel or 'tcg-mt', f'{flips_for(4, args.flips)} all nmi', ()))
        if ARCHES[arch].kernel_arch == 'riscv64' and args.accel in (None, 'tcg-mt'):
            plan.append((arch, 4, 'tcg-mt',
                         f'{max(flips_for(4, args.flips) // 10, 10)} breakpoint_per_site',
                         ('-singlestep',)))
    summary, failed = [], []
    for arch, smp, accel, sargs, extra in plan:
        if not ARCHES[arch].image_exists:
            summary.append(f'{arch}: {ARCHES[arch].image} missing, skipped')
            continue
        try:
            # One instruction per block: far fewer calls, so no hit floor.
            ok, line = stress_once(arch, smp, accel, sargs, extra, check_hits=not extra)
        except MachineError as e:
            ok, line = False, f'{arch} smp={smp} {accel} stress {sargs}: {e.reason}'
        summary.append(line)
        print(line, flush=True)
        if not ok:
            failed.append(line)
    for arch in names:
        if ARCHES[arch].image_exists and args.accel in (None, 'tcg-mt'):
            summary.append(negative_control(arch, 30))
    print('\n==== stress summary ====\n' + '\n'.join(summary))
    print('stress: FAILED:\n' + '\n'.join(failed) if failed else 'stress: all images ok')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
