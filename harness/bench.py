"""make bench: boot every image twice and print the per-call cost table.

The kernel's `bench` command times N calls of a function in each call-site
configuration with its own clock.  Booted with `-icount shift=0`, QEMU
advances that clock exactly 1 ns per guest instruction, so the first run
gives deterministic instruction counts; the second, without -icount, gives
emulated nanoseconds (noisy on a shared host).  Ratios are to the plain
call, measured in the same run.  `bench_patch` then times flipping 1, 100,
1000 and all sites with each patch method.

The results are also written as JSON (--json) and as SVG plots (--plots
DIR, matplotlib): per-call cost per configuration per arch, and flip time
against sites per method on log axes.  --compare OLD.json prints each
figure's ratio to an earlier run.

    python3 -m harness.bench [--arch x86_64,riscv64,...] [--calls N]
        [--json FILE] [--plots DIR] [--compare OLD.json]
"""
import argparse
import json
import re
import sys
from pathlib import Path

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


def write_json(path, results):
    """`results` (see measure_all) as indented JSON at `path`."""
    Path(path).write_text(json.dumps(results, indent=1) + '\n', encoding='utf-8')


def write_plots(results, outdir):
    """Two SVG figures in `outdir`: bench-per-call.svg (instructions per
    call of each configuration, one bar group per arch) and bench-flip.svg
    (enable time against sites per method and arch, log-log).  Returns
    their paths.  Needs matplotlib (Debian's python3-matplotlib)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    arches = list(results['arches'])
    configs = [r['config'] for r in results['arches'][arches[0]]['per_call']]
    fig, ax = plt.subplots(figsize=(10, 5))
    width = 0.8 / max(len(arches), 1)
    for i, arch in enumerate(arches):
        rows = {r['config']: r['insns'] for r in results['arches'][arch]['per_call']}
        ax.bar([c + i * width for c in range(len(configs))],
               [rows.get(c, 0) for c in configs], width, label=arch)
    ax.set_xticks([c + width * (len(arches) - 1) / 2 for c in range(len(configs))])
    ax.set_xticklabels(configs, rotation=20, ha='right', fontsize=8)
    ax.set_ylabel('guest instructions per call (-icount shift=0)')
    ax.set_title(f'per-call cost by call-site configuration ({results["calls"]} calls)')
    ax.legend()
    fig.tight_layout()
    per_call = outdir / 'bench-per-call.svg'
    fig.savefig(per_call, format='svg')
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(8, 5))
    for arch in arches:
        flips = results['arches'][arch]['flip']
        for method in dict.fromkeys(r['method'] for r in flips):
            pts = sorted((r['sites'], r['enable_us']) for r in flips if r['method'] == method)
            ax.plot([p[0] for p in pts], [max(p[1], 1) for p in pts], marker='o',
                    label=f'{arch} {method}')
    ax.set_xscale('log')
    ax.set_yscale('log')
    ax.set_xlabel('sites flipped')
    ax.set_ylabel('enable time (us, TCG)')
    ax.set_title('time to flip N sites, per patch method')
    ax.legend(fontsize=8)
    fig.tight_layout()
    flip = outdir / 'bench-flip.svg'
    fig.savefig(flip, format='svg')
    plt.close(fig)
    return [per_call, flip]


def compare(new, old):
    """Lines giving each figure of `new` against the same one in `old`:
    "  <arch> per-call <config> insns: 26.0 vs 13.0 (x2.00)" and
    "  <arch> flip <method> <sites> sites enable_us: ...".  Figures missing
    from `old` are said to be new."""
    lines = []

    def line(label, a, b):
        if b is None:
            lines.append(f'  {label}: {a} (new)')
        else:
            ratio = f'x{a / b:.2f}' if b else 'x-'
            lines.append(f'  {label}: {a} vs {b} ({ratio})')

    for arch, res in new['arches'].items():
        was = old.get('arches', {}).get(arch, {})
        old_pc = {r['config']: r for r in was.get('per_call', [])}
        for r in res['per_call']:
            for key in ('insns', 'ns'):
                line(f'{arch} per-call {r["config"]} {key}', r[key],
                     old_pc.get(r['config'], {}).get(key))
        old_flip = {(r['method'], r['sites']): r for r in was.get('flip', [])}
        for r in res['flip']:
            for key in ('enable_us', 'disable_us', 'syncs'):
                line(f'{arch} flip {r["method"]} {r["sites"]} sites {key}', r[key],
                     old_flip.get((r['method'], r['sites']), {}).get(key))
    return lines


def measure_all(names, calls, smp, accel):
    """Measure every arch in `names` whose image exists; the results as
    {'calls': N, 'arches': {arch: {'per_call': [...], 'flip': [...],
    'smp': N, 'accel': ...}}}, printing the tables as it goes."""
    results = {'calls': calls, 'arches': {}}
    for arch in names:
        if not ARCHES[arch].image_exists:
            print(f'{arch}: {ARCHES[arch].image} missing, skipped')
            continue
        insns = measure(arch, calls, icount=True)
        times = measure(arch, calls, icount=False)
        print(f'\n{arch}: per-call cost over {calls} calls '
              f'(instructions: -icount shift=0, deterministic; ns: TCG, noisy)')
        print(f'  {"configuration":38} {"insns":>8} {"ratio":>6} {"ns":>9} {"ratio":>6}')
        per_call = []
        for (cfg, n, r), (_, t, rt) in zip(insns, times):
            print(f'  {cfg:38} {n:8.1f} {r:6.2f} {t:9.2f} {rt:6.2f}')
            per_call.append({'config': cfg, 'insns': n, 'insn_ratio': r, 'ns': t, 'ns_ratio': rt})
        rows = measure_patching(arch, smp, accel)
        base = {(s): e for m, s, e, _d, _y, _z in rows if m == 'breakpoint'}
        used = accel or default_accel(smp)
        print(f'\n{arch}: flipping N sites on {smp} CPUs, {used} '
              f'(time: TCG, noisy; syncs: exact)')
        print(f'  {"method":20} {"sites":>6} {"enable us":>10} {"disable us":>10} {"syncs":>7} '
              f'{"settle":>7} {"vs batched":>10}')
        for m, sites, en, dis, syncs, settle in rows:
            print(f'  {m:20} {sites:6} {en:10} {dis:10} {syncs:7} {settle:7} '
                  f'{en / max(base[sites], 1):10.2f}')
        results['arches'][arch] = {
            'per_call': per_call, 'smp': smp, 'accel': used,
            'flip': [{'method': m, 'sites': s, 'enable_us': e, 'disable_us': d, 'syncs': y,
                      'settle_syncs': z} for m, s, e, d, y, z in rows]}
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--arch', default='all')
    ap.add_argument('--calls', type=int, default=20000)
    ap.add_argument('--smp', type=int, default=4, help='CPUs for the patching table')
    ap.add_argument('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None,
                    help='for the patching table (default: tcg-mt); the per-call '
                         'table always runs one CPU under tcg (-icount needs it)')
    ap.add_argument('--json', metavar='FILE', help='write the results as JSON')
    ap.add_argument('--plots', metavar='DIR', help='write SVG plots there (matplotlib)')
    ap.add_argument('--compare', metavar='OLD.json',
                    help='print each figure as a ratio to an earlier --json')
    args = ap.parse_args(argv)
    old = json.loads(Path(args.compare).read_text()) if args.compare else None
    names = list(ARCHES) if args.arch == 'all' else [resolve_arch(a) for a in args.arch.split(',')]
    results = measure_all(names, args.calls, args.smp, args.accel)
    if args.json:
        write_json(args.json, results)
        print(f'\nresults: {args.json}')
    if args.plots and results['arches']:
        for p in write_plots(results, args.plots):
            print(f'plot: {p}')
    if old is not None:
        print(f'\ncompared with {args.compare} (new vs old):')
        print('\n'.join(compare(results, old)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
