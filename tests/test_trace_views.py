"""The views: `python3 -m harness trace` (perf ftrace / trace-cmd record for
one console command) and its Chrome trace-event JSON for Perfetto, and the
JSON, plots and comparison `make bench` writes.  The host command boots its
own QEMU, so these scenarios run it as a user would, as a subprocess, and
check its exit status, what it printed and the file it wrote.
"""
import json
import subprocess
import sys

import pytest

from harness import ROOT, bench
from harness.tracefmt import parse_graph

pytestmark = pytest.mark.any_flavour


def harness_trace(arch, *args, timeout=180):
    """Run `python3 -m harness trace --arch ARCH ARGS...`; CompletedProcess."""
    return subprocess.run([sys.executable, '-m', 'harness', 'trace', '--arch', arch, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def test_host_trace_command_prints_the_graph_of_one_console_command(arch):
    r = harness_trace(arch, '-T', 'chain_*', '-N', 'chain_other', '--', 'call', 'chain_outer', '3')
    assert r.returncode == 0, f'exit {r.returncode}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}'
    assert 'chain_outer(3) = 24 (0x18)' in r.stderr, r.stderr
    shape = [(g.depth, g.kind, g.func) for g in parse_graph(r.stdout)]
    assert shape == [(0, 'entry', 'chain_outer'), (1, 'entry', 'chain_middle'),
                     (2, 'leaf', 'chain_leaf'), (2, 'leaf', 'chain_leaf'),
                     (1, 'return', None), (0, 'return', None)], r.stdout
    r = harness_trace(arch, '-p', 'function', '-T', 'demo_add', '--', 'call', 'demo_add', '1', '2')
    assert r.returncode == 0 and r.stdout.rstrip().endswith('demo_add <-cmd_call'), r


def test_host_trace_depth_and_graph_function_options_reach_the_kernel(arch):
    r = harness_trace(arch, '-G', 'chain_middle', '-D', '1', '--', 'call', 'chain_outer', '1')
    assert r.returncode == 0, r.stderr
    assert [(g.kind, g.func) for g in parse_graph(r.stdout)] == [('leaf', 'chain_middle')], r.stdout


def test_host_trace_stops_at_a_failing_setup_command_and_reaps_qemu(arch):
    r = harness_trace(arch, '-T', 'no_such_function', '--', 'call', 'demo_add', '1', '2')
    assert r.returncode == 1, r
    assert r.stderr.strip() == ("error: \"echo 'no_such_function' > set_ftrace_filter\" failed: "
                                "error: write to 'set_ftrace_filter' failed: EINVAL (-22)"), r.stderr
    r = harness_trace(arch, '-p', 'function', '--json', 'x.json', '--', 'version')
    assert r.returncode == 2 and 'function_graph' in r.stderr, r
    r = harness_trace(arch)
    assert r.returncode == 2 and 'no console command' in r.stderr, r


def test_host_trace_json_has_a_track_per_cpu_with_matching_begin_and_end(arch, tmp_path):
    """Chrome trace-event JSON: per CPU (tid) the B and E events nest like
    calls, every B has its E, timestamps never go back; the tick graphed
    on every CPU gives two tracks with events."""
    out = tmp_path / 'trace.json'
    r = harness_trace(arch, '--smp', '2', '-T', 'timer_tick demo_wait_ticks', '--json', str(out),
                      '--', 'call', 'demo_wait_ticks', '3')
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    events = data['traceEvents']
    names = {e['tid']: e['args']['name'] for e in events if e['name'] == 'thread_name'}
    assert names == {0: 'CPU 0', 1: 'CPU 1'}, names
    busy = set()
    for tid in names:
        stack, last = [], 0
        for e in (e for e in events if e.get('tid') == tid and e['ph'] in 'BE'):
            assert e['ts'] >= last, f'time went back on CPU {tid}: {e}'
            last = e['ts']
            if e['ph'] == 'B':
                stack.append(e['name'])
            else:
                assert stack and stack.pop() == e['name'], f'E without its B on CPU {tid}: {e}'
            busy.add(tid)
        assert not stack, f'B without E on CPU {tid}: {stack}'
    assert busy == {0, 1}, busy
    outer = [e for e in events if e['name'] == 'demo_wait_ticks']
    assert [e['ph'] for e in outer] == ['B', 'E'] and outer[0]['tid'] == 0, outer


def test_bench_results_become_json_svg_plots_and_a_comparison(tmp_path):
    """What `make bench` writes from its measurements: JSON, one SVG per
    figure (per-call cost per configuration per arch; flip time against
    sites per method, log axes) and, given an older JSON, the ratio of
    every figure to it.  Fed a small measured-shaped result here: the
    measuring itself is `make bench`'s job."""
    pytest.importorskip('matplotlib', reason='python3-matplotlib (ci/install-deps.sh)')
    results = {'calls': 100, 'arches': {a: {
        'per_call': [{'config': 'plain call (no site)', 'insns': 9.0, 'insn_ratio': 1.0,
                      'ns': 10.0, 'ns_ratio': 1.0},
                     {'config': 'nop site', 'insns': 13.0, 'insn_ratio': 1.44,
                      'ns': 12.0, 'ns_ratio': 1.2}],
        'flip': [{'method': m, 'sites': n, 'enable_us': int(n * k) + 100,
                  'disable_us': int(n * k) + 90,
                  'syncs': 3 if m != 'breakpoint_per_site' else 3 * n}
                 for m, k in (('breakpoint', 0.5), ('stop_machine', 0.4),
                              ('breakpoint_per_site', 12)) for n in (1, 100, 1000, 20000)],
        'smp': 4, 'accel': 'tcg'} for a in ('x86_64', 'riscv64')}}
    old = tmp_path / 'old.json'
    bench.write_json(old, results)
    assert json.loads(old.read_text()) == results
    svgs = bench.write_plots(results, tmp_path)
    assert sorted(p.name for p in svgs) == ['bench-flip.svg', 'bench-per-call.svg']
    for p in svgs:
        text = p.read_text()
        assert text.lstrip().startswith(('<?xml', '<svg')) and '</svg>' in text, p
    newer = json.loads(json.dumps(results))
    newer['arches']['x86_64']['per_call'][1]['insns'] = 26.0
    lines = bench.compare(newer, results)
    assert '  x86_64 per-call nop site insns: 26.0 vs 13.0 (x2.00)' in lines, lines
    assert '  riscv64 flip breakpoint 1000 sites enable_us: 600 vs 600 (x1.00)' in lines, lines
