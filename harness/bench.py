"""make bench: boot every image twice and print the per-call cost table.

The kernel's `bench` command times N calls of a function in each call-site
configuration with its own clock.  Booted with `-icount shift=0`, QEMU
advances that clock exactly 1 ns per guest instruction, so the first run
gives deterministic instruction counts; the second, without -icount, gives
emulated nanoseconds (noisy on a shared host).  Ratios are to the plain
call, measured in the same run.  `bench_patch` then times flipping 1, 100,
1000 and all sites with each patch method, with the syncs each needed and
the records the enabling update re-derived; `bench_bpf` and
`bench_bpf_attach` the cost of a BPF trampoline per call and of attaching
one program to 1, 100 and 10,000 functions.  Then the goals of issue 8,
checked on the instruction counts (exact) and the sync counts: a direct
trampoline alone costs at most a third of the path through
ftrace_regs_caller; one ops among 200 unrelated ones costs within 5% of one
alone, with its own trampoline and with the per-record caller (pool
exhausted); enabling one site costs at most a tenth of enabling all, with
the syncs of one batch (bench_patch is also run on one CPU under -icount
for that: exact instruction counts of the work).

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
# "bench_info: <config>: registered 200 ops in N us"
REGISTER_INFO = re.compile(r'^bench_info: (.+?): registered (\d+) ops in (\d+) us$', re.M)


def parse_bench(out):
    """([(config, per-call, ratio)], {config: us to register the unrelated ops})
    from the output of `bench`."""
    rows = [(c, float(v), float(r)) for c, v, r in ROW.findall(out)]
    return rows, {c: int(us) for c, _n, us in REGISTER_INFO.findall(out)}


BPF_ROW = re.compile(r'^bench_bpf: (.+?)\s+(\d+\.\d{3})\s+(\d+\.\d{2})$', re.M)
# "bench_bpf_attach: <funcs> <attach_us> <detach_us> <syncs> <batches>"
BPF_ATTACH_ROW = re.compile(r'^bench_bpf_attach:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$',
                            re.M)


def has_entry_sites(arch):
    """BPF trampolines need entry sites: the -mcount flavours have none."""
    return not arch.endswith('-mcount')


def measure(arch, calls, icount):
    """One boot: parse_bench() of `bench`, then (entry-site flavours) the
    rows of `bench_bpf` [(config, per-call, ratio)] and of
    `bench_bpf_attach` [(funcs, attach_us, detach_us, syncs, batches)];
    raises on any error line."""
    extra = ('-icount', 'shift=0') if icount else ()
    bpf, attach = [], []
    with Machine(arch, extra_args=extra) as m:
        out = m.run(f'bench {calls}', timeout=600)
        if has_entry_sites(arch) and 'error:' not in out:
            bout = m.run(f'bench_bpf {calls}', timeout=600)
            aout = m.run('bench_bpf_attach', timeout=600)
            for what, o in (('bench_bpf', bout), ('bench_bpf_attach', aout)):
                if 'error:' in o:
                    raise RuntimeError(f'{arch}: {what} failed:\n{o}')
            bpf = [(c, float(v), float(r)) for c, v, r in BPF_ROW.findall(bout)]
            attach = [tuple(map(int, r)) for r in BPF_ATTACH_ROW.findall(aout)]
            if not bpf or not attach:
                raise RuntimeError(f'{arch}: no bench_bpf rows in:\n{bout}\n{aout}')
    if 'error:' in out:
        raise RuntimeError(f'{arch}: bench failed:\n{out}')
    rows, info = parse_bench(out)
    if not rows:
        raise RuntimeError(f'{arch}: no bench rows in:\n{out}')
    return rows, info, bpf, attach


PATCH_ROW = re.compile(r'^bench_patch: (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$',
                       re.M)


def measure_patching(arch, smp, accel=None, icount=False):
    """[(method, sites, enable_us, disable_us, syncs, settle_syncs, records_scanned)]
    from one boot (with -icount shift=0, one CPU: the us are thousands of
    guest instructions, the work itself without waiting for other CPUs)."""
    extra = ('-icount', 'shift=0') if icount else ()
    with Machine(arch, smp=smp, accel=accel, extra_args=extra) as m:
        out = m.run('bench_patch', timeout=600)
    if 'error:' in out:
        raise RuntimeError(f'{arch}: bench_patch failed:\n{out}')
    return [(a, *map(int, rest)) for a, *rest in PATCH_ROW.findall(out)]


# Issue 8's per-call goals, on guest instructions: (what, config, against, at most).
PER_CALL_GOALS = (
    ('direct alone vs through ftrace_regs_caller', 'direct trampoline alone',
     'direct via ftrace_regs_caller (+1 ops)', 1 / 3),
    ('one ops among 200 vs alone (own trampolines)', 'one ops among 200 (own trampolines)',
     'one ops (own trampoline)', 1.05),
    ('one ops among 200 vs alone (per-record caller)', 'one ops among 200, pool full (per-rec)',
     'one ops, pool full (per-record caller)', 1.05),
)
# Figures worth a ratio without a goal: what the per-record caller saves.
PER_CALL_RATIOS = (
    ('list walk over 202 ops vs the per-record caller', 'two ops among 200, pool full (list)',
     'one ops among 200, pool full (per-rec)'),
)


def goals(per_call, flip, flip_insns):
    """[(what, value, limit or None, met)] for one arch: the per-call goals on
    instructions (configs missing here, e.g. direct calls on mcount sites,
    are left out) and the flip goal on the breakpoint method: enabling one
    site costs at most a tenth of enabling all, in guest instructions (one
    CPU; the time on 4 CPUs is shown beside), with no more syncs."""
    insns = {r['config']: r['insns'] for r in per_call}
    out = []
    for what, cfg, against, limit in PER_CALL_GOALS:
        if cfg in insns and against in insns:
            ratio = insns[cfg] / insns[against]
            out.append((what, ratio, limit, ratio <= limit))
    for what, cfg, against in PER_CALL_RATIOS:
        if cfg in insns and against in insns:
            out.append((what, insns[cfg] / insns[against], None, True))
    bp_insns = {r['sites']: r for r in flip_insns if r['method'] == 'breakpoint'}
    if bp_insns:
        one, every = bp_insns[min(bp_insns)], bp_insns[max(bp_insns)]
        ratio = one['enable_us'] / max(every['enable_us'], 1)
        out.append((f'enable 1 site vs all {every["sites"]} (insns)', ratio, 0.1, ratio <= 0.1))
    bp = {r['sites']: r for r in flip if r['method'] == 'breakpoint'}
    if bp:
        one, every = bp[min(bp)], bp[max(bp)]
        ratio = one['enable_us'] / max(every['enable_us'], 1)
        # time on 4 CPUs is mostly waiting for the host to run every vCPU
        # thread at each sync: shown, not judged
        out.append((f'enable 1 site vs all {every["sites"]} (time, 4 CPUs)', ratio, None, True))
        out.append(('syncs for 1 site vs all', one['syncs'] / max(every['syncs'], 1), 1.0,
                    one['syncs'] <= every['syncs']))
    return out


def write_json(path, results):
    """`results` (see measure_all) as indented JSON at `path`."""
    Path(path).write_text(json.dumps(results, indent=1) + '\n', encoding='utf-8')


def write_plots(results, outdir):
    """SVG figures in `outdir`: bench-per-call.svg (instructions per call
    of each configuration, one bar group per arch), bench-flip.svg (enable
    time against sites per method and arch, log-log) and, when measured,
    bench-bpf.svg (instructions per call through BPF trampolines).  Returns
    their paths.  Needs matplotlib (Debian's python3-matplotlib)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    arches = list(results['arches'])

    def bars(key, arches, title, name, size):
        """Instructions per call of each configuration in results[arch][key],
        one bar per arch, saved as outdir/name."""
        configs = [r['config'] for r in results['arches'][arches[0]][key]]
        fig, ax = plt.subplots(figsize=size)
        width = 0.8 / max(len(arches), 1)
        for i, arch in enumerate(arches):
            rows = {r['config']: r['insns'] for r in results['arches'][arch][key]}
            ax.bar([c + i * width for c in range(len(configs))],
                   [rows.get(c, 0) for c in configs], width, label=arch)
        ax.set_xticks([c + width * (len(arches) - 1) / 2 for c in range(len(configs))])
        ax.set_xticklabels(configs, rotation=20, ha='right', fontsize=8)
        ax.set_ylabel('guest instructions per call (-icount shift=0)')
        ax.set_title(title)
        ax.legend()
        fig.tight_layout()
        fig.savefig(outdir / name, format='svg')
        plt.close(fig)
        return outdir / name

    per_call = bars('per_call', arches,
                    f'per-call cost by call-site configuration ({results["calls"]} calls)',
                    'bench-per-call.svg', (10, 5))

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
    out = [per_call, flip]

    bpf_arches = [a for a in arches if results['arches'][a].get('bpf_per_call')]
    if bpf_arches:
        out.append(bars('bpf_per_call', bpf_arches,
                        'BPF trampolines: per-call cost (empty programs)', 'bench-bpf.svg',
                        (8, 5)))
    return out


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
        old_bpf = {r['config']: r for r in was.get('bpf_per_call', [])}
        for r in res.get('bpf_per_call', []):
            for key in ('insns', 'ns'):
                line(f'{arch} bpf per-call {r["config"]} {key}', r[key],
                     old_bpf.get(r['config'], {}).get(key))
        old_att = {r['funcs']: r for r in was.get('bpf_attach', [])}
        for r in res.get('bpf_attach', []):
            for key in ('attach_us', 'detach_us', 'attach_kinsns', 'syncs'):
                line(f'{arch} bpf attach {r["funcs"]} funcs {key}', r[key],
                     old_att.get(r['funcs'], {}).get(key))
        old_flip = {(r['method'], r['sites']): r for r in was.get('flip', [])}
        for r in res['flip']:
            for key in ('enable_us', 'disable_us', 'syncs', 'records_scanned'):
                if key not in r:        # a result from before records were counted
                    continue
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
        insns, reg_insns, bpf_insns, attach_insns = measure(arch, calls, icount=True)
        times, reg_us, bpf_times, attach_times = measure(arch, calls, icount=False)
        print(f'\n{arch}: per-call cost over {calls} calls '
              f'(instructions: -icount shift=0, deterministic; ns: TCG, noisy)')
        print(f'  {"configuration":40} {"insns":>8} {"ratio":>6} {"ns":>9} {"ratio":>6}')
        per_call = []
        for (cfg, n, r), (_, t, rt) in zip(insns, times):
            print(f'  {cfg:40} {n:8.1f} {r:6.2f} {t:9.2f} {rt:6.2f}')
            row = {'config': cfg, 'insns': n, 'insn_ratio': r, 'ns': t, 'ns_ratio': rt}
            if cfg in reg_us:
                row.update(register_200_us=reg_us[cfg], register_200_insns=reg_insns.get(cfg))
            per_call.append(row)
        for cfg, us in reg_us.items():
            print(f'  registering the 200 unrelated ops for "{cfg}": {us} us '
                  f'({reg_insns.get(cfg, 0) / 1000:.1f}M instructions)')
        bpf_per_call, bpf_attach = [], []
        if bpf_insns:
            print(f'\n{arch}: BPF trampolines, per call of bench_target over {calls} calls '
                  f'(the empty program)')
            print(f'  {"configuration":40} {"insns":>8} {"ratio":>6} {"ns":>9} {"ratio":>6}')
            for (cfg, n, r), (_, t, rt) in zip(bpf_insns, bpf_times):
                print(f'  {cfg:40} {n:8.1f} {r:6.2f} {t:9.2f} {rt:6.2f}')
                bpf_per_call.append({'config': cfg, 'insns': n, 'insn_ratio': r, 'ns': t,
                                     'ns_ratio': rt})
            print(f'\n{arch}: attaching one program to N functions and detaching it (1 CPU; '
                  f'k insns: -icount, exact)')
            print(f'  {"funcs":>6} {"attach us":>10} {"detach us":>10} {"attach k":>9} '
                  f'{"detach k":>9} {"syncs":>6} {"batches":>7}')
            for (n, a, d, y, b), (_, ai, di, _y, _b) in zip(attach_times, attach_insns):
                print(f'  {n:6} {a:10} {d:10} {ai:9} {di:9} {y:6} {b:7}')
                bpf_attach.append({'funcs': n, 'attach_us': a, 'detach_us': d,
                                   'attach_kinsns': ai, 'detach_kinsns': di, 'syncs': y,
                                   'batches': b})
        rows = measure_patching(arch, smp, accel)
        base = {(s): e for m, s, e, *_ in rows if m == 'breakpoint'}
        used = accel or default_accel(smp)
        print(f'\n{arch}: flipping N sites on {smp} CPUs, {used} '
              f'(time: TCG, noisy; syncs and records scanned: exact)')
        print(f'  {"method":20} {"sites":>6} {"enable us":>10} {"disable us":>10} {"syncs":>7} '
              f'{"settle":>7} {"scanned":>8} {"vs batched":>10}')
        for m, sites, en, dis, syncs, settle, scanned in rows:
            print(f'  {m:20} {sites:6} {en:10} {dis:10} {syncs:7} {settle:7} {scanned:8} '
                  f'{en / max(base[sites], 1):10.2f}')
        flip = [{'method': m, 'sites': s, 'enable_us': e, 'disable_us': d, 'syncs': y,
                 'settle_syncs': z, 'records_scanned': k} for m, s, e, d, y, z, k in rows]
        insn_rows = measure_patching(arch, 1, 'tcg', icount=True)
        print(f'\n{arch}: the same on 1 CPU in guest instructions (-icount shift=0; exact): '
              f'the work, without waiting for other CPUs')
        print(f'  {"method":20} {"sites":>6} {"enable k":>10} {"disable k":>10} {"per site":>9}')
        for m, sites, en, dis, *_ in insn_rows:
            print(f'  {m:20} {sites:6} {en:10} {dis:10} {en * 1000 / sites:9.0f}')
        flip_insns = [{'method': m, 'sites': s, 'enable_kinsns': e, 'disable_kinsns': d}
                      for m, s, e, d, *_ in insn_rows]
        met = goals(per_call, flip, [{'method': r['method'], 'sites': r['sites'],
                                      'enable_us': r['enable_kinsns']} for r in flip_insns])
        print(f'\n{arch}: goals (per call: instructions)')
        for what, value, limit, ok in met:
            bound = f'<= {limit:.2f}' if limit is not None else ''
            print(f'  {what:50} {value:8.4f} {bound:8} {"" if limit is None else "met" if ok else "MISSED"}')
        results['arches'][arch] = {
            'per_call': per_call, 'smp': smp, 'accel': used, 'flip': flip,
            'flip_insns': flip_insns, 'bpf_per_call': bpf_per_call, 'bpf_attach': bpf_attach,
            'goals': [{'what': w, 'value': v, 'limit': l, 'met': o} for w, v, l, o in met]}
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
