"""The tracefs controls a tracing engineer's fingers know, under Linux's
names and formats: max_graph_depth, set_graph_notrace, tracing_thresh, the
set_ftrace_filter commands (traceon, traceoff, stacktrace), line numbers
and escapes, trace_marker, trace_options and options/, trace_clock, the
per_cpu files, available_filter_functions_addrs, a blocking trace_pipe and
the stack tracer.  Every control has a scenario for its effect and one for
bad values (which must change nothing).  Independent of the call-site
flavour: x86_64 and riscv64 images.
"""
import re

import pytest

from harness import Hang
from harness.tracefmt import graph_body, parse_graph

pytestmark = pytest.mark.any_flavour


def ok(machine, cmd):
    """Run a command that must succeed (no `error:` line); its output."""
    out = machine.run(cmd)
    assert 'error:' not in out, f'{cmd!r} failed:\n{out}'
    return out


def fails(machine, cmd, errno_name):
    """Run a command that must fail with one error line naming `errno_name`."""
    out = machine.run(cmd)
    assert re.fullmatch(rf'error: .*{errno_name} \(-\d+\)', out.strip()), \
        f'{cmd!r} should fail with {errno_name}, printed:\n{out}'


def calls(trace):
    """(depth, kind, func) of each function_graph line."""
    return [(g.depth, g.kind, g.func) for g in parse_graph(trace)]


def fn_lines(trace):
    """The function tracer's body lines, context columns cut off."""
    return [l.split(': ', 1)[1] for l in graph_body(trace) if ': ' in l and
            re.match(r'^\s*\S+-\d+\s+\[\d{3}\]', l)]


def checksum(machine):
    m = re.search(r'text_checksum: ([0-9a-f]{16})', ok(machine, 'text_checksum'))
    assert m
    return m.group(1)


def graph_chain(machine):
    """function_graph over chain_*; returns `cat trace` after chain_outer(5)."""
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'call chain_outer 5')
    return ok(machine, 'cat trace')


# ---- function_graph controls ------------------------------------------------

def test_max_graph_depth_graphs_only_that_many_levels_and_takes_only_decimals(machine):
    ok(machine, 'echo 2 > max_graph_depth')
    assert calls(graph_chain(machine)) == [
        (0, 'entry', 'chain_outer'), (1, 'leaf', 'chain_middle'),
        (1, 'leaf', 'chain_other'), (0, 'return', None)]
    for bad in ('x', '-1', '0x2', '1.5', ''):
        fails(machine, f"echo '{bad}' > max_graph_depth", 'EINVAL')
    assert ok(machine, 'cat max_graph_depth') == '2'
    ok(machine, 'echo 0 > max_graph_depth')        # Linux: 0 is no limit
    ok(machine, 'echo > trace')
    ok(machine, 'call chain_outer 5')
    assert len(graph_body(ok(machine, 'cat trace'))) == 7


def test_set_graph_notrace_leaves_out_a_function_and_all_it_calls(machine):
    ok(machine, 'echo chain_middle > set_graph_notrace')
    assert ok(machine, 'cat set_graph_notrace') == 'chain_middle'
    assert calls(graph_chain(machine)) == [
        (0, 'entry', 'chain_outer'), (1, 'leaf', 'chain_other'), (0, 'return', None)]
    fails(machine, "echo 'chain_leaf no_such_fn' > set_graph_notrace", 'EINVAL')
    assert ok(machine, 'cat set_graph_notrace') == 'chain_middle'
    ok(machine, 'echo > set_graph_notrace')
    assert ok(machine, 'cat set_graph_notrace') == '#### no functions disabled ####'


def test_tracing_thresh_records_only_returns_that_took_longer(machine):
    """Linux: with tracing_thresh (microseconds) the graph holds only the
    returns of calls at least that long, each naming its function."""
    ok(machine, "echo 'chain_* demo_wait_ticks' > set_ftrace_filter")
    ok(machine, 'echo 0 > options/funcgraph-irqs')
    ok(machine, 'echo 5000 > tracing_thresh')
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'call chain_outer 5')
    ok(machine, 'call demo_wait_ticks 2')
    lines = parse_graph(ok(machine, 'cat trace'))
    assert [(g.kind, g.func) for g in lines] == [('return', 'demo_wait_ticks')], \
        [g.text for g in lines]
    assert lines[0].duration_us >= 5000
    for bad in ('abc', '-5', '0x10'):
        fails(machine, f'echo {bad} > tracing_thresh', 'EINVAL')
    assert ok(machine, 'cat tracing_thresh') == '5000'


# ---- set_ftrace_filter commands, line numbers, escapes ---------------------

def test_traceoff_command_stops_recording_after_its_count_and_lists_as_linux(machine):
    """"f:traceoff:N" turns tracing_on off when f runs, N times at most
    (a count is spent only when the state changes); listed after the
    filter's functions as "f:traceoff:count=N" and removed with "!"."""
    ok(machine, "echo 'demo_add demo_mul3' > set_ftrace_filter")
    ok(machine, "echo 'demo_mul3:traceoff:1' >> set_ftrace_filter")
    ok(machine, "echo 'chain_leaf:traceon' >> set_ftrace_filter")
    assert ok(machine, 'cat set_ftrace_filter').splitlines() == [
        'demo_add', 'demo_mul3', 'demo_mul3:traceoff:count=1', 'chain_leaf:traceon:unlimited']
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'call demo_add 1 1')
    ok(machine, 'call demo_mul3 1 1 1')       # recorded, then tracing stops
    ok(machine, 'call demo_add 2 2')
    assert ok(machine, 'cat tracing_on') == '0'
    assert fn_lines(ok(machine, 'cat trace')) == ['demo_add <-cmd_call', 'demo_mul3 <-cmd_call']
    assert 'demo_mul3:traceoff:count=0' in ok(machine, 'cat set_ftrace_filter')
    ok(machine, 'call chain_outer 1')         # chain_leaf turns it back on
    assert ok(machine, 'cat tracing_on') == '1'
    ok(machine, 'call demo_mul3 1 1 1')       # count spent: stays on
    assert ok(machine, 'cat tracing_on') == '1'
    ok(machine, "echo '!demo_mul3:traceoff:0' >> set_ftrace_filter")
    ok(machine, "echo '!chain_leaf:traceon' >> set_ftrace_filter")
    assert ok(machine, 'cat set_ftrace_filter').splitlines() == ['demo_add', 'demo_mul3']
    assert 'chain_leaf' not in ok(machine, 'cat enabled_functions')


def test_stacktrace_command_records_the_call_chain_count_times(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, "echo 'chain_leaf:stacktrace:3' >> set_ftrace_filter")
    ok(machine, 'echo function > current_tracer')
    ok(machine, "repeat 2 'call chain_outer 1'")     # four chain_leaf calls
    trace = ok(machine, 'cat trace')
    stacks = re.findall(r'<stack trace>\n((?: => .*\n?)+)', trace)
    assert len(stacks) == 3, trace
    for s in stacks:
        frames = [f[4:] for f in s.strip('\n').split('\n')]
        assert frames[:4] == ['chain_leaf', 'chain_middle', 'chain_outer', 'cmd_call'], frames
    assert 'chain_leaf:stacktrace:count=0' in ok(machine, 'cat set_ftrace_filter')


BAD_FILTER_WRITES = [
    'demo_add:nosuchcmd',            # unknown command
    'demo_add:traceoff:x',           # count not a number
    'demo_add:traceoff:1:2',         # too many fields
    'no_such_fn:traceoff',           # a glob that selects nothing
    '!demo_mul3:traceon',            # nothing to remove
    "'demo_add:traceoff no_such_fn'",   # a good command, then a bad glob
    '99999999',                      # no such line in available_filter_functions
]


def test_bad_filter_writes_are_einval_and_change_nothing(machine):
    """Unlike Linux (which applies the tokens before a bad one), a write is
    all or nothing: the filter, the commands and the text stay as they were,
    with `>>` and with `>`."""
    ok(machine, 'echo demo_mul3 > set_ftrace_filter')
    ok(machine, "echo 'chain_leaf:traceoff:2' >> set_ftrace_filter")
    before, text = ok(machine, 'cat set_ftrace_filter'), checksum(machine)
    for bad in BAD_FILTER_WRITES:
        for op in ('>>', '>'):
            fails(machine, f'echo {bad} {op} set_ftrace_filter', 'EINVAL')
            assert ok(machine, 'cat set_ftrace_filter') == before, f'{bad} {op} changed it'
    assert checksum(machine) == text


def test_filter_takes_line_numbers_of_available_filter_functions_and_escapes(machine):
    funcs = ok(machine, 'cat available_filter_functions').splitlines()
    n = funcs.index('demo_mul3') + 1
    ok(machine, f"echo '{n} chain\\_leaf' > set_ftrace_filter")
    assert ok(machine, 'cat set_ftrace_filter').splitlines() == sorted(
        ['demo_mul3', 'chain_leaf'], key=funcs.index)
    ok(machine, f"echo '!{n}' >> set_ftrace_filter")
    assert ok(machine, 'cat set_ftrace_filter') == 'chain_leaf'
    fails(machine, "echo 'chain\\*' > set_ftrace_filter", 'EINVAL')    # a literal '*'
    fails(machine, 'echo 0 > set_ftrace_filter', 'EINVAL')             # lines start at 1
    assert ok(machine, 'cat set_ftrace_filter') == 'chain_leaf'
    ok(machine, f"echo '{n}' > set_ftrace_notrace")
    assert ok(machine, 'cat set_ftrace_notrace') == 'demo_mul3'
    fails(machine, "echo 'demo_add:traceoff' > set_ftrace_notrace", 'EINVAL')


# ---- trace_marker, options, clock -----------------------------------------

def test_trace_marker_writes_a_line_in_both_tracers_and_is_refused_while_off(machine):
    ok(machine, 'echo hello world > trace_marker')
    assert fn_lines(ok(machine, 'cat trace')) == ['tracing_mark_write: hello world']
    ok(machine, 'echo chain_middle > set_ftrace_filter')
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'echo first > trace_marker')
    assert graph_body(ok(machine, 'cat trace')) == [' 0)               |  /* first */']
    ok(machine, 'echo 0 > tracing_on')
    fails(machine, 'echo lost > trace_marker', 'EBADF')
    out = machine.run('cat trace_marker')
    assert out == "error: 'trace_marker' is write-only (-22)", out


def test_print_parent_sym_offset_and_sym_addr_change_function_lines(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'call demo_add 1 2')
    assert fn_lines(ok(machine, 'cat trace')) == ['demo_add <-cmd_call']
    ok(machine, 'echo noprint-parent > trace_options')
    assert fn_lines(ok(machine, 'cat trace')) == ['demo_add']
    ok(machine, 'echo 1 > options/sym-offset')
    assert re.fullmatch(r'demo_add\+0x[0-9a-f]+/0x[0-9a-f]+', fn_lines(ok(machine, 'cat trace'))[0])
    ok(machine, 'echo sym-addr > trace_options')
    addr = ok(machine, 'sym demo_add').split()[1]
    line = fn_lines(ok(machine, 'cat trace'))[0]
    assert re.fullmatch(r'demo_add\+0x[0-9a-f]+/0x[0-9a-f]+ <[0-9a-f]{16}>', line), line
    assert int(line.split('<')[1][:-1], 16) >= int(addr, 16), (line, addr)
    assert ok(machine, 'cat trace_options').splitlines() == [
        'noprint-parent', 'sym-offset', 'sym-addr', 'nofunc_stack_trace']
    fails(machine, 'echo funcgraph-tail > trace_options', 'EINVAL')   # not the current tracer's
    fails(machine, 'echo nosuchoption > trace_options', 'EINVAL')
    fails(machine, 'echo 2 > options/print-parent', 'EINVAL')
    assert ok(machine, 'cat options/print-parent') == '0'


def test_func_stack_trace_records_the_chain_after_each_function_line(machine):
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'echo 1 > options/func_stack_trace')
    ok(machine, 'call demo_add 1 2')
    body = graph_body(ok(machine, 'cat trace'))
    assert body[0].endswith('demo_add <-cmd_call') and body[1].endswith('<stack trace>'), body
    assert body[2:5] == [' => demo_add', ' => cmd_call', ' => shell_exec'], body


def test_trace_clock_counter_numbers_entries_and_unknown_clocks_are_refused(machine):
    assert ok(machine, 'cat trace_clock') == '[local] global counter uptime'
    ok(machine, 'echo demo_add > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'echo counter > trace_clock')
    assert ok(machine, 'cat trace_clock') == 'local global [counter] uptime'
    ok(machine, "repeat 3 'call demo_add 1 1'")
    stamps = [int(m) for m in re.findall(r'\] \.{5} +(\d+): demo_add', ok(machine, 'cat trace'))]
    assert len(stamps) == 3 and stamps == sorted(stamps) and len(set(stamps)) == 3, stamps
    fails(machine, 'echo nosuchclock > trace_clock', 'EINVAL')
    assert ok(machine, 'cat trace_clock') == 'local global [counter] uptime'


@pytest.mark.smp(2)
def test_per_cpu_files_show_only_their_cpu(machine):
    ok(machine, 'echo timer_tick > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'call demo_wait_ticks 3')       # every CPU ticks meanwhile
    ok(machine, 'echo 0 > tracing_on')
    for cpu in (0, 1):
        lines = fn_lines(ok(machine, f'cat per_cpu/cpu{cpu}/trace'))
        cpus = set(re.findall(r'\[(\d{3})\]', ok(machine, f'cat per_cpu/cpu{cpu}/trace')))
        assert lines and cpus == {f'{cpu:03d}'}, (cpu, cpus)
        stats = dict(l.split(': ', 1) for l in ok(machine, f'cat per_cpu/cpu{cpu}/stats').splitlines())
        assert list(stats) == ['entries', 'overrun', 'commit overrun', 'bytes',
                               'oldest event ts', 'now ts', 'dropped events', 'read events']
        assert int(stats['entries']) == len(lines), (stats, len(lines))
    assert machine.run('cat per_cpu/cpu9/trace') == "error: no such file 'per_cpu/cpu9/trace' (-2)"


def test_available_filter_functions_addrs_pairs_each_site_with_its_function(machine):
    """Linux 6.5's file: "<site address in hex> <function>", one line per
    line of available_filter_functions (20,000 lines: counted and sampled
    inside the guest)."""
    plain = ok(machine, 'wc available_filter_functions').split()
    addrs = ok(machine, 'wc available_filter_functions_addrs').split()
    assert plain[0] == addrs[0] and int(addrs[1]) == 2 * int(plain[1]), (plain, addrs)
    rows = [l.split(' ') for l in ok(machine, 'grep chain_ available_filter_functions_addrs').splitlines()]
    assert sorted(r[1] for r in rows) == ['chain_leaf', 'chain_middle', 'chain_other', 'chain_outer']
    assert [int(a, 16) for a, _ in rows] == sorted(int(a, 16) for a, _ in rows)
    for a, name in rows:
        assert re.fullmatch(r'[0-9a-f]+', a) and ok(machine, f'sym 0x{a}').startswith(f'{name}+'), \
            (a, name)
    assert machine.run('echo demo_add > available_filter_functions_addrs') == \
        "error: 'available_filter_functions_addrs' is read-only (-1)"


def test_trace_pipe_waits_for_data_and_ctrl_c_returns_to_the_prompt(machine):
    ok(machine, 'echo timer_tick > set_ftrace_filter')
    ok(machine, 'echo function > current_tracer')
    ok(machine, 'echo 0 > tracing_on')
    ok(machine, 'echo > trace')
    machine.send_line('cat trace_pipe')
    with pytest.raises(Hang):                    # nothing to read: it blocks
        machine.expect(r'tb# ', timeout=1.0)
    machine.send_raw('\x03')
    assert machine.read_output() == '^C'
    ok(machine, 'echo 1 > tracing_on')
    machine.send_line('cat trace_pipe')
    machine.expect(r'timer_tick <-\S+\r\n')      # arrives while it waits
    machine.send_raw('\x03')
    assert machine.read_output().endswith('^C')
    assert ok(machine, 'version').startswith('testbed')


# ---- the stack tracer ------------------------------------------------------

def stack_rows(text):
    """(depth, size, location) rows of stack_trace, and the entry count."""
    lines = text.splitlines()
    m = re.fullmatch(r' {8}Depth {4}Size {3}Location {4}\((\d+) entries\)', lines[0])
    assert m and lines[1] == '        -----    ----   --------', text
    rows = [re.fullmatch(r'([ \d]{3})\) ([ \d]{8}) {3}([ \d]{5}) {3}(\S+)', l) for l in lines[2:]
            if not l.startswith('#')]
    assert all(rows), text
    return int(m.group(1)), [(int(r[2]), int(r[3]), r[4]) for r in rows]


def test_stack_tracer_keeps_the_deepest_chain_in_linux_columns(machine):
    _, rows = stack_rows(ok(machine, 'cat stack_trace'))
    assert rows == [] and 'Stack tracer disabled' in ok(machine, 'cat stack_trace')
    ok(machine, "echo 'chain_leaf' > stack_trace_filter")
    ok(machine, 'echo 1 > stack_tracer_enabled')
    ok(machine, 'call chain_outer 1')
    n, rows = stack_rows(ok(machine, 'cat stack_trace'))
    assert n == len(rows) and [r[2].split('+')[0] for r in rows[:4]] == [
        'chain_leaf', 'chain_middle', 'chain_outer', 'cmd_call'], rows
    depths = [r[0] for r in rows]
    assert depths == sorted(depths, reverse=True) and int(ok(machine, 'cat stack_max_size')) == depths[0]
    for i, (depth, size, _) in enumerate(rows):
        assert size == depth - (depths[i + 1] if i + 1 < len(rows) else 0), rows
    ok(machine, 'echo 0 > stack_tracer_enabled')
    assert 'chain_leaf' not in ok(machine, 'cat enabled_functions')


def test_stack_tracer_controls_refuse_bad_values_and_change_nothing(machine):
    for bad in ('x', '0x1', '1.0', ''):
        fails(machine, f"echo '{bad}' > stack_tracer_enabled", 'EINVAL')
    assert ok(machine, 'cat stack_tracer_enabled') == '0'
    fails(machine, 'echo -5 > stack_max_size', 'EINVAL')
    fails(machine, 'echo 18446744073709551616 > stack_max_size', 'ERANGE')   # 2^64
    fails(machine, 'echo no_such_fn > stack_trace_filter', 'EINVAL')
    fails(machine, 'echo chain_leaf:traceoff > stack_trace_filter', 'EINVAL')
    assert ok(machine, 'cat stack_trace_filter') == '#### all functions enabled ####'
    ok(machine, 'echo 4096 > stack_max_size')
    assert ok(machine, 'cat stack_max_size') == '4096'
