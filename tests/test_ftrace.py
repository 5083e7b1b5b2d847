"""Function tracing scenarios: filters, the function and function_graph
tracers, enabled_functions, the profiler, text integrity and the in-kernel
selftests.  Every test runs on each arch (and build flavour) through the
`machine` fixture and drives the kernel only through its console, the way a
user drives /sys/kernel/tracing.
"""
import fnmatch
import re

import pytest

from harness.tracefmt import parse_graph

TRACE_LINE = re.compile(r'^\s*(\S+)-(\d+)\s+\[(\d{3})\] (\S{5})\s+(\d+\.\d{6}): (\S+) <-(\S+)$')


def ok(machine, cmd):
    """Run a command that must succeed (no `error:` line) and return its output."""
    out = machine.run(cmd)
    assert 'error:' not in out, f'{cmd!r} failed:\n{out}'
    return out


def lines(text):
    return [l for l in text.splitlines() if l.strip()]


def trace_entries(machine):
    """The function tracer's entries in `cat trace`: (func, parent) tuples."""
    out = ok(machine, 'cat trace')
    entries = []
    for l in out.splitlines():
        if l.startswith('#') or not l.strip():
            continue
        m = TRACE_LINE.match(l)
        assert m, f'malformed trace line {l!r}'
        entries.append((m.group(6), m.group(7)))
    return entries


def filter_set(machine):
    out = ok(machine, 'cat set_ftrace_filter')
    return set() if 'all functions enabled' in out else set(lines(out))


def checksum(machine):
    out = ok(machine, 'text_checksum')
    m = re.search(r'text_checksum: ([0-9a-f]{16})', out)
    assert m, out
    return m.group(1)


GLOB_FORMS = {
    'chain_leaf': 'name',
    'chain_*': 'name*',
    '*_test_func2': '*name',
    '*fentry_test*': '*name*',
    'chain_*e': 'na*me',
    'bpf_fentry_test?': '?',
    'gen_func_1[0-2]': '[class]',
}


def test_each_glob_form_selects_exactly_the_matching_functions(machine):
    """One boot, every form in turn (the function list is read once: 20k
    lines cost seconds on the serial console)."""
    available = lines(ok(machine, 'cat available_filter_functions'))
    for glob, form in GLOB_FORMS.items():
        expected = {f for f in available if fnmatch.fnmatchcase(f, glob)}
        assert expected, f'{glob} ({form}) matches nothing in available_filter_functions'
        ok(machine, f"echo '{glob}' > set_ftrace_filter")
        assert filter_set(machine) == expected, f'{glob} ({form})'


def test_bang_removes_from_the_filter_and_empty_write_selects_all(machine):
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    ok(machine, "echo '!chain_leaf' >> set_ftrace_filter")
    assert filter_set(machine) == {'chain_middle', 'chain_other', 'chain_outer'}
    ok(machine, 'echo > set_ftrace_filter')
    assert 'all functions enabled' in ok(machine, 'cat set_ftrace_filter')


def test_filter_naming_an_unknown_function_is_an_error_and_changes_nothing(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    before = checksum(machine)
    for bad in ('no_such_function', "'demo_mul3 no_such_function'", "'nope*'"):
        out = machine.run(f'echo {bad} > set_ftrace_filter')
        assert re.fullmatch(r"error: write to 'set_ftrace_filter' failed: EINVAL \(-22\)",
                            out.strip()), out
        assert filter_set(machine) == {'demo_add'}, bad
    assert checksum(machine) == before


def test_calling_a_filtered_function_n_times_gives_n_lines_with_its_parent(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, "repeat 7 'call demo_add 1 2'")
    entries = trace_entries(machine)
    assert entries == [('demo_add', 'cmd_call')] * 7, entries
    ok(machine, 'echo nop > current_tracer')


def test_trace_header_counts_entries_since_the_buffer_was_reset(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, "repeat 4 'call demo_add 1 1'")
    assert '# entries-in-buffer/entries-written: 4/4   #P:' in ok(machine, 'cat trace')
    ok(machine, 'echo nop > current_tracer')
    ok(machine, 'echo function > current_tracer')   # a new tracer starts empty
    ok(machine, 'call demo_add 1 1')
    assert '# entries-in-buffer/entries-written: 1/1   #P:' in ok(machine, 'cat trace')
    ok(machine, 'echo > trace')
    assert '# entries-in-buffer/entries-written: 0/0   #P:' in ok(machine, 'cat trace')


def test_trace_pipe_consumes_what_it_prints_and_stops_at_ctrl_c(machine):
    ok(machine, 'echo demo_mul3 > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, "repeat 3 'call demo_mul3 1 2 3'")
    machine.send_line('cat trace_pipe')
    for _ in range(3):
        machine.expect(r'demo_mul3 <-cmd_call\r\n')
    machine.send_raw('\x03')
    tail = machine.read_output()
    assert tail.strip() == '^C', f'after the three lines and Ctrl-C: {tail!r}'
    assert not trace_entries(machine), 'trace_pipe left what it printed in the buffer'


def test_tracing_on_0_records_nothing_and_1_resumes(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'echo 0 > tracing_on')
    ok(machine, 'call demo_add 1 1')
    assert trace_entries(machine) == []
    ok(machine, 'echo 1 > tracing_on')
    ok(machine, 'call demo_add 1 1')
    assert trace_entries(machine) == [('demo_add', 'cmd_call')]


def test_function_graph_shows_the_nesting_of_a_known_call_chain(machine):
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    ok(machine, 'echo function_graph > current_tracer')
    assert ok(machine, 'call chain_outer 5').strip() == 'chain_outer(5) = 34 (0x22)'
    out = ok(machine, 'cat trace')
    shape = [(g.depth, g.kind, g.func) for g in parse_graph(out)]
    assert shape == [
        (0, 'entry', 'chain_outer'),
        (1, 'entry', 'chain_middle'),
        (2, 'leaf', 'chain_leaf'),
        (2, 'leaf', 'chain_leaf'),
        (1, 'return', None),
        (1, 'leaf', 'chain_other'),
        (0, 'return', None),
    ], out
    ok(machine, 'echo nop > current_tracer')


def test_set_graph_function_limits_the_graph_to_that_function_and_below(machine):
    ok(machine, 'echo > set_ftrace_filter')
    ok(machine, 'echo chain_middle > set_graph_function')
    ok(machine, 'echo 0 > options/funcgraph-irqs')    # a tick may land inside
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'call chain_outer 1')
    funcs = re.findall(r'\|\s+(\w+)\(\)', ok(machine, 'cat trace'))
    assert funcs == ['chain_middle', 'chain_leaf', 'chain_leaf'], funcs


def test_set_graph_function_naming_a_function_on_the_shells_stack_graphs_nothing_else(machine):
    """cmd_echo is running while it writes set_graph_function: its return
    must not count as leaving a graph function it never entered, or every
    function is graphed afterwards."""
    ok(machine, 'echo > set_ftrace_filter')
    ok(machine, 'echo 0 > options/funcgraph-irqs')
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, "echo 'cmd_echo demo_add' > set_graph_function")
    ok(machine, 'echo > trace')         # what cmd_echo graphed before the write
    assert ok(machine, 'call demo_mul3 2 3 4') == 'demo_mul3(2, 3, 4) = 24 (0x18)'
    assert ok(machine, 'call demo_add 1 2') == 'demo_add(1, 2) = 3 (0x3)'
    funcs = set(re.findall(r'\|\s+(\w+)\(\)', ok(machine, 'cat trace')))
    assert 'demo_add' in funcs and not funcs & {'demo_mul3', 'cmd_call', 'shell_exec'}, \
        f'graphed outside set_graph_function: {sorted(funcs)}'


def test_funcgraph_irqs_option_shows_or_hides_the_tick_inside_a_graph_function(machine):
    """demo_wait_ticks spins with interrupts on until two ticks passed, so
    timer interrupts land inside it for certain.  As on Linux, they are part
    of the graph (deeper than the function they interrupted) unless
    options/funcgraph-irqs is 0."""
    ok(machine, 'echo > set_ftrace_filter')
    ok(machine, 'echo demo_wait_ticks > set_graph_function')
    assert ok(machine, 'cat options/funcgraph-irqs') == '1'
    ok(machine, 'echo function_graph > current_tracer')
    assert ok(machine, 'call demo_wait_ticks 2') == 'demo_wait_ticks(2) = 2 (0x2)'
    trace = ok(machine, 'cat trace')
    body = [l for l in lines(trace) if not l.startswith('#')]
    assert body[0].endswith('|  demo_wait_ticks() {'), trace
    assert body[-1].endswith('|  }'), trace
    ticks = [l for l in body if re.search(r'\|\s{4,}timer_tick\(\)', l)]
    assert len(ticks) >= 2, trace
    ok(machine, 'echo 0 > options/funcgraph-irqs')
    ok(machine, 'echo > trace')
    assert ok(machine, 'call demo_wait_ticks 2') == 'demo_wait_ticks(2) = 2 (0x2)'
    trace = ok(machine, 'cat trace')
    assert re.findall(r'\| +(?:\} /\* )?(\w+)', trace) == ['demo_wait_ticks'], trace
    assert 'error:' in machine.run('echo 2 > options/funcgraph-irqs')
    assert ok(machine, 'cat options/funcgraph-irqs') == '0'
    assert ok(machine, 'call demo_wait_ticks 0') == 'demo_wait_ticks(0) = -22 (0xffffffffffffffea)'


def test_enabled_functions_lists_exactly_the_filtered_sites_with_their_caller(machine):
    ok(machine, "echo 'chain_leaf chain_other' > set_ftrace_filter")
    ok(machine, 'echo function > current_tracer')
    rows = lines(ok(machine, 'cat enabled_functions'))
    assert sorted(r.split()[0] for r in rows) == ['chain_leaf', 'chain_other'], rows
    for r in rows:   # one ops: its own trampoline, no list walk; no flag (Linux 6.x)
        assert re.match(r'^\w+ \(1\) {11}\ttramp: ftrace_trampoline\+0x0/0x[0-9a-f]+ '
                        r'\(function_trace_call\+0x0/0x[0-9a-f]+\)$', r), r
    ok(machine, 'echo 1 > function_profile_enabled')
    rows = lines(ok(machine, 'cat enabled_functions'))
    for r in rows:   # two ops: the shared caller, which Linux does not name
        assert re.match(r'^\w+ \(2\) {11}$', r), repr(r)
    ok(machine, 'echo 0 > function_profile_enabled')
    ok(machine, 'echo nop > current_tracer')
    assert not lines(ok(machine, 'cat enabled_functions'))


def test_toggling_the_tracer_1000_times_leaves_text_identical_to_boot(machine):
    boot = checksum(machine)
    ok(machine, "echo 'chain_* demo_* bpf_fentry_test*' > set_ftrace_filter")
    out = ok(machine, "repeat 500 'echo function > current_tracer' 'echo nop > current_tracer'")
    assert 'repeat: 500 rounds done' in out
    assert checksum(machine) == boot
    ok(machine, 'echo > set_ftrace_filter')       # every site, both tracers
    ok(machine, "repeat 3 'echo function > current_tracer' 'echo function_graph > current_tracer' "
                "'echo nop > current_tracer'")
    assert checksum(machine) == boot


def test_tracing_every_function_while_calling_and_printing_keeps_working(machine):
    boot = checksum(machine)
    ok(machine, 'echo 64 > buffer_size_kb')
    ok(machine, 'echo function > current_tracer')
    sites = int(ok(machine, 'wc enabled_functions').split()[0])
    available = int(ok(machine, 'wc available_filter_functions').split()[0])
    assert sites == available > 20000, (sites, available)
    own = int(ok(machine, "grep -c 'tramp: ftrace_trampoline+' enabled_functions").strip())
    assert own == sites, f'{own} of {sites} sites call the tracer\'s own trampoline'
    ok(machine, 'help')
    ok(machine, 'ls')
    assert ok(machine, 'call demo_sum6 1 2 3 4 5 6').strip().endswith('= 21 (0x15)')
    # 64 KiB holds the last ~1300 calls: the call above and its printing.
    entries = trace_entries(machine)
    assert ('demo_sum6', 'cmd_call') in entries, entries[-20:]
    assert ('cmd_call', 'shell_exec') in entries, entries[-20:]
    ok(machine, 'echo nop > current_tracer')
    assert checksum(machine) == boot


@pytest.mark.smp(4)
def test_function_graph_on_every_function_survives_interrupts_under_load(machine):
    """function_graph on all 20k functions while three CPUs call demo_add
    and the console reads the trace.  An interrupt taken between a shadow
    frame being written and its slot being taken used to leave its
    handler's frame in the slot: the function's return then found no frame
    of its own and riscv64 panicked ('no shadow frame for sp') every run."""
    boot = checksum(machine)
    ok(machine, 'load start demo_add calls=30000 gap_us=50')
    ok(machine, 'echo function_graph > current_tracer')
    for _ in range(3):
        assert int(ok(machine, 'wc trace').split()[0]) > 100
    ok(machine, 'echo nop > current_tracer')
    last = ok(machine, 'load wait').split('\n')[-1]
    assert ' wrong=0 ' in last and last.endswith('finished=3'), last
    assert checksum(machine) == boot


NOTRACE = ('ring_buffer_write', 'function_trace_call', 'ftrace_ops_list_func',
           'text_poke_batch', 'arch_text_write', 'arch_clock_ns', 'memcpy',
           'vsnprintf', 'irq_enter', 'bench_target_nosite')


def test_notrace_functions_have_no_site_and_never_appear_in_a_trace(machine):
    available = set(lines(ok(machine, 'cat available_filter_functions')))
    assert not available & set(NOTRACE), available & set(NOTRACE)
    for name in NOTRACE:
        out = machine.run(f'echo {name} > set_ftrace_filter')
        assert 'EINVAL' in out, (name, out)
    ok(machine, 'echo 64 > buffer_size_kb')
    ok(machine, 'echo > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'call demo_add 2 2')
    ok(machine, 'cat set_ftrace_filter')
    funcs = {f for f, _ in trace_entries(machine)}
    assert 'demo_add' in funcs
    assert not funcs & set(NOTRACE), funcs & set(NOTRACE)


def test_profiler_hit_counts_equal_the_calls_made(machine):
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    ok(machine, 'echo 1 > function_profile_enabled')
    ok(machine, "repeat 5 'call chain_outer 1'")
    ok(machine, 'echo 0 > function_profile_enabled')
    out = ok(machine, 'cat trace_stat/function0')
    rows = out.splitlines()[2:]     # Linux's columns: name in 2..31, hits in 34..43
    hits = {r[2:32].strip(): int(r[34:44]) for r in rows}
    assert hits == {'chain_outer': 5, 'chain_middle': 5, 'chain_leaf': 10,
                    'chain_other': 5}, out


def test_unknown_tracer_is_an_error_and_the_current_one_stays(machine):
    out = machine.run('echo blah > current_tracer')
    assert out.strip().startswith('error:') and '(-22)' in out, out
    assert ok(machine, 'cat current_tracer').strip() == 'nop'
    assert ok(machine, 'cat available_tracers') == 'function_graph function nop'   # no trailing blank


def test_panic_while_graph_tracing_everything_still_reports_and_exits(machine):
    """The panic path never returns to its traced callers: their shadow
    frames must not break the report."""
    ok(machine, 'echo 64 > buffer_size_kb')
    ok(machine, 'echo function_graph > current_tracer')
    machine.send_line('panic under the graph')
    status, code = machine.wait_exit(timeout=60)
    assert 'Kernel panic - not syncing: under the graph' in machine.console
    assert '---[ end Kernel panic' in machine.console
    assert code == 1 and status != 0
