"""make bench: boot every image twice and print the per-call cost table.

The kernel's `bench` command times N calls of a function in each call-site
configuration with its own clock.  Booted with `-icount shift=0`, QEMU
advances that clock exactly 1 ns per guest instruction, so the first run
gives deterministic instruction counts; the second, without -icount, gives
emulated nanoseconds (noisy on a shared host).  Ratios are to the plain
call, measured in the same run.

    python3 -m harness.bench [--arch x86_64,riscv64,...] [--calls N]
"""
import argparse
import re
import sys

from . import ARCHES, Machine, default_accel, resolve_arch
from .arches import ROOT

ROW = re.compile(r'^bench: (.+?)\s+(\d+\.\d{3})\s+(\d+\.\d{2})$', re.M)


def measure(arch, calls, icount):
    """[(config, per-call, ratio)] from one boot; raises on any error line."""
    extra = ('-icount', 'shift=0') if icount else ()
    with Machine(arch, extra_args=extra) as m:
        out = m.run(f'bench {calls}', timeout=600)
    if 'error:' in out:
        raise RuntimeError(f'{arch}: bench failed:\n{out}')
    rows = [(c, float(v), float(r)) for c, v, r in ROW.findall(out)]
    if not rows:
        raise RuntimeError(f'{arch}: no bench rows in:\n{out}')
    return rows


PATCH_ROW = re.compile(r'^bench_patch: (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$', re.M)


def measure_patching(arch, smp, accel=None):
    """[(method, sites, enable_us, disable_us, syncs, settle_syncs)] from one boot."""
    with Machine(arch, smp=smp, accel=accel) as m:
        out = m.run('bench_patch', timeout=600)
    if 'error:' in out:
        raise RuntimeError(f'{arch}: bench_patch failed:\n{out}')
    return [(a, int(b), int(c), int(d), int(e), int(f)) for a, b, c, d, e, f in PATCH_ROW.findall(out)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', default='all')
    ap.add_argument('--calls', type=int, default=20000)
    ap.add_argument('--smp', type=int, default=4, help='CPUs for the patching table')
    ap.add_argument('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None,
                    help='for the patching table (default: tcg-mt); the per-call '
                         'table always runs one CPU under tcg (-icount needs it)')
    args = ap.parse_args(argv)
    names = list(ARCHES) if args.arch == 'all' else [resolve_arch(a) for a in args.arch.split(',')]
    for arch in names:
        if not ARCHES[arch].image_exists:
            print(f'{arch}: {ARCHES[arch].image} missing, skipped')
            continue
        insns = measure(arch, args.calls, icount=True)
        times = measure(arch, args.calls, icount=False)
        print(f'\n{arch}: per-call cost over {args.calls} calls '
              f'(instructions: -icount shift=0, deterministic; ns: TCG, noisy)')
        print(f'  {"configuration":38} {"insns":>8} {"ratio":>6} {"ns":>9} {"ratio":>6}')
        for (cfg, n, r), (_, t, rt) in zip(insns, times):
            print(f'  {cfg:38} {n:8.1f} {r:6.2f} {t:9.2f} {rt:6.2f}')
        rows = measure_patching(arch, args.smp, args.accel)
        base = {(s): e for m, s, e, _d, _y, _z in rows if m == 'breakpoint'}
        accel = args.accel or default_accel(args.smp)
        print(f'\n{arch}: flipping N sites on {args.smp} CPUs, {accel} '
              f'(time: TCG, noisy; syncs: exact)')
        print(f'  {"method":20} {"sites":>6} {"enable us":>10} {"disable us":>10} {"syncs":>7} '
              f'{"settle":>7} {"vs batched":>10}')
        for m, sites, en, dis, syncs, settle in rows:
            print(f'  {m:20} {sites:6} {en:10} {dis:10} {syncs:7} {settle:7} '
                  f'{en / max(base[sites], 1):10.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
