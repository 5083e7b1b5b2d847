"""make stress: the long form of the live-patching proof.

Boots each image with several CPUs and runs the kernel's `stress FLIPS`
(every patch method, nop<->call and call->call), then `stress FLIPS all nmi`
on arches with NMIs, failing on any lost call, wrong result, run without an
emulated breakpoint hit, or crash.  The tests run the same commands in a
bounded form.

    python3 -m harness.stress [--arch all|x86_64,...] [--smp 4] [--flips 500]
"""
import argparse
import sys

from . import ARCHES, Machine, resolve_arch


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', default='all')
    ap.add_argument('--smp', type=int, default=4)
    ap.add_argument('--flips', type=int, default=500)
    args = ap.parse_args(argv)
    names = list(ARCHES) if args.arch == 'all' else [resolve_arch(a) for a in args.arch.split(',')]
    failed = []
    for arch in names:
        if not ARCHES[arch].image_exists:
            print(f'{arch}: {ARCHES[arch].image} missing, skipped')
            continue
        with Machine(arch, smp=args.smp) as m:
            out = m.run(f'stress {args.flips}', timeout=3600)
            print(f'--- {arch}, {args.smp} CPUs ---\n{out}', flush=True)
            ok = 'stress: all runs ok' in out
            out = m.run(f'stress {args.flips} all nmi', timeout=3600)
            print(f'--- {arch}, {args.smp} CPUs, NMIs ---\n{out}', flush=True)
            ok = ok and ('stress: all runs ok' in out or 'has no NMI' in out)
        if not ok:
            failed.append(arch)
    print('stress: FAILED on ' + ', '.join(failed) if failed else 'stress: all images ok')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
