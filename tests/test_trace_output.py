"""Tracer output in Linux's shapes (kernel/trace/trace_functions_graph.c,
trace_output.c, trace.c, ftrace.c's profiler), and the function_graph
options that change it.  Each scenario states the Linux shape it compares
against: column positions, brace forms, header lines.  The formats are
Linux's, so lines are checked by column where Linux lays them out by
column.  None of this depends on the call-site flavour: the scenarios run
on the x86_64 and riscv64 images.
"""
import re

import pytest

from harness.tracefmt import find_mark, graph_body, parse_graph

pytestmark = pytest.mark.any_flavour

# Linux's function_graph header for its default columns (CPU, DURATION).
GRAPH_HEADER = ('# CPU  DURATION                  FUNCTION CALLS\n'
                '# |     |   |                     |   |   |   |')
# Linux's default header (nop, function): counts, then the context columns.
DEFAULT_HEADER_TAIL = """#
#                                _-----=> irqs-off/BH-disabled
#                               / _----=> need-resched
#                              | / _---=> hardirq/softirq
#                              || / _--=> preempt-depth
#                              ||| / _-=> migrate-disable
#                              |||| /     delay
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |"""


def ok(machine, cmd):
    """Run a command that must succeed (no `error:` line); its output."""
    out = machine.run(cmd)
    assert 'error:' not in out, f'{cmd!r} failed:\n{out}'
    return out


def fails(machine, cmd, errno_name):
    """Run a command that must fail with exactly one error line naming
    `errno_name`; returns that line."""
    out = machine.run(cmd)
    assert re.fullmatch(rf'error: .*{errno_name} \(-\d+\)', out.strip()), \
        f'{cmd!r} should fail with {errno_name}, printed:\n{out}'
    return out


def graph_chain(machine, *setup):
    """function_graph over the chain_* functions, chain_outer(5) called;
    returns `cat trace`."""
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    for cmd in setup:
        ok(machine, cmd)
    ok(machine, 'echo function_graph > current_tracer')
    assert ok(machine, 'call chain_outer 5') == 'chain_outer(5) = 34 (0x22)'
    return ok(machine, 'cat trace')


def test_graph_bar_stands_in_column_18_after_a_left_aligned_duration_and_its_mark(machine):
    """Linux: " 0) " then the mark and a space, the duration left-aligned
    in 12 columns ("0.412 us    "), "|  ", indentation, the call.  The
    wait of two ticks (tens of milliseconds) gets a '*', '#' or '@'."""
    ok(machine, "echo 'chain_* demo_wait_ticks' > set_ftrace_filter")
    ok(machine, 'echo 0 > options/funcgraph-irqs')
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'call chain_outer 5')
    ok(machine, 'call demo_wait_ticks 2')
    trace = ok(machine, 'cat trace')
    body = graph_body(trace)
    assert len(body) == 8, trace
    for line in body:
        assert line[:4] == ' 0) ' and line[18] == '|' and line[19:21] == '  ', \
            f'not in Linux columns (" 0) ", "|" at 18): {line!r}\n{trace}'
        field = line[6:18]
        if field.strip():
            assert re.fullmatch(r'\d+(\.\d+)? us +', field) and len(field.rstrip()) <= 12, \
                f'duration not left-aligned in its 12 columns: {line!r}'
            ns = float(field.split()[0]) * 1000
            assert line[4] in (find_mark(ns), find_mark(ns + 999)) and line[5] == ' ', \
                f'mark {line[4]!r} does not match {ns:.0f} ns (Linux: + ! # * @ $): {line!r}'
        else:
            assert line[4:18] == ' ' * 14, line
    wait = [g for g in parse_graph(trace) if g.func == 'demo_wait_ticks']
    assert wait and wait[0].mark in '*#@', f'a wait of two ticks has mark {wait}'


def test_closing_brace_is_plain_unless_funcgraph_tail_or_the_entry_was_lost(machine):
    """Linux prints "}" alone, "} /* name */" with options/funcgraph-tail or
    when the entry is not in the buffer (here: `echo > trace` clears it
    while cmd_echo, a graph function, runs)."""
    trace = graph_chain(machine)
    closes = [l.split('|', 1)[1].strip() for l in graph_body(trace) if l.endswith('}')]
    assert closes == ['}', '}'], trace
    ok(machine, 'echo 1 > options/funcgraph-tail')
    closes = [l.split('|', 1)[1].strip() for l in graph_body(ok(machine, 'cat trace'))
              if '}' in l]
    assert closes == ['} /* chain_middle */', '} /* chain_outer */'], closes
    ok(machine, 'echo 0 > options/funcgraph-tail')
    ok(machine, 'echo cmd_echo > set_graph_function')
    ok(machine, 'echo > set_ftrace_filter')
    ok(machine, 'echo > trace')      # cmd_echo's own entry goes with the buffer
    lines = parse_graph(ok(machine, 'cat trace'))
    last = [g for g in lines if g.depth == 0 and g.kind == 'return']
    assert last and last[-1].func == 'cmd_echo', \
        f'a return without its entry must name the function: {[g.text for g in lines]}'


def test_interrupt_inside_a_graphed_function_is_framed_by_linux_arrows(machine):
    """Linux's print_graph_irq(): " 0)   ==========> |" before the first
    line of an interrupt and " 0)   <========== |" after its last."""
    ok(machine, 'echo demo_wait_ticks > set_graph_function')
    ok(machine, 'echo function_graph > current_tracer')
    assert ok(machine, 'call demo_wait_ticks 2') == 'demo_wait_ticks(2) = 2 (0x2)'
    body = graph_body(ok(machine, 'cat trace'))
    ticks = [i for i, l in enumerate(body) if re.search(r'\|\s+timer_tick\(\)', l)]
    assert len(ticks) >= 2, body
    for i in ticks:
        assert body[i - 1] == ' 0)   ==========> |', \
            f'line before the tick {body[i]!r} is {body[i - 1]!r}'
        close = i if body[i].endswith(';') else \
            next(j for j in range(i, len(body)) if body[j].endswith('|    }'))
        assert body[close + 1] == ' 0)   <========== |', \
            f'line after the tick is {body[close + 1]!r}\n' + '\n'.join(body)


def test_headers_are_linux_s_graph_has_no_entry_counts_nop_and_function_do(machine):
    """function_graph prints only its column header (by the options shown);
    nop and function print Linux's default header with the entry counts."""
    ok(machine, 'echo demo_add > set_ftrace_filter')     # nothing calls it
    nop = ok(machine, 'cat trace')
    assert nop.startswith('# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:'), nop
    assert nop.endswith(DEFAULT_HEADER_TAIL), nop
    ok(machine, 'echo function > current_tracer')
    assert ok(machine, 'cat trace').endswith(DEFAULT_HEADER_TAIL)
    ok(machine, 'echo function_graph > current_tracer')
    ok(machine, 'echo 0 > tracing_on')
    assert ok(machine, 'cat trace') == '# tracer: function_graph\n#\n' + GRAPH_HEADER
    for opt in ('abstime', 'proc'):
        ok(machine, f'echo 1 > options/funcgraph-{opt}')
    ok(machine, 'echo 0 > options/funcgraph-cpu')
    assert ok(machine, 'cat trace').splitlines()[2:] == [
        '#     TIME         TASK/PID         DURATION                  FUNCTION CALLS',
        '#      |            |    |           |   |                     |   |   |   |']
    ok(machine, 'echo 0 > options/funcgraph-duration')
    assert ok(machine, 'cat trace').splitlines()[2:] == [
        '#     TIME         TASK/PID                      FUNCTION CALLS',
        '#      |            |    |                       |   |   |   |']


def test_funcgraph_options_add_and_remove_their_columns(machine):
    """abstime: "secs.usecs |  " first; proc: "comm-pid" centred in 14
    columns then " | "; cpu off: no " 0) "; duration off: no duration
    column at all; overhead off: a blank instead of the mark."""
    graph_chain(machine, 'echo 1 > options/funcgraph-abstime',
                'echo 1 > options/funcgraph-proc')
    for line in graph_body(ok(machine, 'cat trace')):
        assert re.match(r'^ +\d+\.\d{6} \|   0\)      sh-1      \| ', line), line
        assert line[35] == '|' and line[51] == '|', f'columns moved: {line!r}'
    ok(machine, 'echo 0 > options/funcgraph-abstime')
    ok(machine, 'echo 0 > options/funcgraph-proc')
    ok(machine, 'echo 0 > options/funcgraph-cpu')
    body = graph_body(ok(machine, 'cat trace'))
    assert body[0] == '              |  chain_outer() {', body
    ok(machine, 'echo 0 > options/funcgraph-duration')
    body = graph_body(ok(machine, 'cat trace'))
    assert body[:3] == ['chain_outer() {', '  chain_middle() {', '    chain_leaf();'], body
    ok(machine, 'echo 1 > options/funcgraph-duration')
    ok(machine, 'echo 0 > options/funcgraph-overhead')
    ok(machine, 'echo demo_wait_ticks >> set_ftrace_filter')
    ok(machine, 'call demo_wait_ticks 1')
    assert all(l[0] == ' ' for l in graph_body(ok(machine, 'cat trace'))), 'a mark was printed'
    options = [l.split()[1] for l in ok(machine, 'ls').splitlines() if ' options/' in l]
    assert len(options) == 13, options
    for opt in options:
        before = ok(machine, f'cat {opt}')
        for bad in ('2', 'yes', '-1', ''):
            fails(machine, f"echo '{bad}' > {opt}", 'EINVAL')
        assert ok(machine, f'cat {opt}') == before, opt


def test_funcgraph_retval_prints_linux_6_5_forms(machine):
    """Linux 6.5: "leaf(); /* = 0xa */", "} /* name = 0x22 */", an errno
    value as a negative decimal ("/* = -22 */") unless funcgraph-retval-hex."""
    trace = graph_chain(machine, 'echo 1 > options/funcgraph-retval')
    calls = [l.split('|  ', 1)[1].strip() for l in graph_body(trace)]
    assert calls == ['chain_outer() {', 'chain_middle() {', 'chain_leaf(); /* = 0xa */',
                     'chain_leaf(); /* = 0xc */', '} /* chain_middle = 0x16 */',
                     'chain_other(); /* = 0xc */', '} /* chain_outer = 0x22 */'], trace
    ok(machine, "echo 'demo_wait_ticks' > set_ftrace_filter")
    assert ok(machine, 'call demo_wait_ticks 0').endswith('= -22 (0xffffffffffffffea)')
    assert graph_body(ok(machine, 'cat trace'))[-1].endswith('demo_wait_ticks(); /* = -22 */')
    ok(machine, 'echo 1 > options/funcgraph-retval-hex')
    last = graph_body(ok(machine, 'cat trace'))[-1]
    assert re.search(r'demo_wait_ticks\(\); /\* = 0x(ffffffff)?ffffffea \*/$', last), last


def test_trace_stat_has_linux_columns_with_hits_under_hit_and_s2(machine):
    """Linux's function_stat_show(): the name cut to 30 columns, hits
    right-aligned ending under "Hit", then Time, Avg and s^2 in the graph
    duration field; one call has s^2 0."""
    ok(machine, "echo 'chain_*' > set_ftrace_filter")
    ok(machine, 'echo 1 > function_profile_enabled')
    ok(machine, "repeat 3 'call chain_outer 1'")
    ok(machine, 'call chain_other 1')
    ok(machine, 'echo 0 > function_profile_enabled')
    lines = ok(machine, 'cat trace_stat/function0').splitlines()
    assert lines[:2] == [
        '  Function                               Hit    Time            Avg             s^2',
        '  --------                               ---    ----            ---             ---'
    ], lines
    hit_end = lines[0].index('Hit') + 3
    rows = {}
    for r in lines[2:]:
        m = re.fullmatch(r'  (.{30})  ( {0,9}\d+)    (\S+ us +)    (\S+ us +)    (\S+ us +)',
                         r)
        assert m and len(m.group(1) + m.group(2)) + 4 == hit_end, f'not Linux columns: {r!r}'
        rows[m.group(1).strip()] = (int(m.group(2)), m.group(5))
    assert {k: v[0] for k, v in rows.items()} == {
        'chain_outer': 3, 'chain_middle': 3, 'chain_leaf': 6, 'chain_other': 4}, lines
    assert all(re.fullmatch(r'\d+\.\d+ us +', v[1]) for v in rows.values()), rows
