"""The tracing core's races, each widened by a debug window (race.h) until a
run goes through it, and the bounds of buffer_size_kb.

`race NAME` (kernel/tests/race.c) opens a delay inside one race window of
the core and drives the other side of the race from this CPU; it prints one
key=value line ending in ok or FAIL.  Each of these failed before its fix:
the counts of use-after-free are what the reader or writer found when it
came out of the window.
"""
import pytest

from harness import key_values


def race(machine, name, rounds):
    """Run `race NAME ROUNDS`; returns its result line as a dict (with
    'verdict'), failing the test on anything else printed."""
    out = machine.run(f'race {name} {rounds}', timeout=300)
    line = out.split('\n')[0]
    assert line.startswith(f'race: {name} '), out
    return dict(key_values(line), verdict=line.rsplit(' ', 1)[1]), out


@pytest.mark.smp(4)
def test_filter_rewrite_never_frees_a_hash_an_idle_cpus_interrupt_still_reads(machine):
    """Two ops on timer_tick, so every CPU's tick walks the list function;
    the other CPUs are idle, their ticks held 40 ms between loading ops B's
    filter hash and reading it.  B's filter is rewritten to the same
    function: no site changes, no text sync.  The old hash must outlive
    every such reader (synchronize_quiescent waits for interrupt handlers
    too, with a cross-CPU call)."""
    r, out = race(machine, 'hash', 5)
    assert int(r['delayed_readers']) > 0, f'no reader was ever in the window\n{out}'
    assert r['use_after_free'] == '0', f'a reader found its hash freed\n{out}'
    assert r['verdict'] == 'ok', out


@pytest.mark.smp(4)
def test_buffer_resize_never_frees_a_buffer_a_writer_is_still_inside(machine):
    """Every other CPU writes trace entries in a loop, each writer held
    between loading its buffer and writing into it, while this CPU resizes
    the buffers 20 times.  No writer may find its buffer freed."""
    before = machine.run('cat buffer_size_kb')
    r, out = race(machine, 'resize', 20)
    assert int(r['workers']) == 3 and int(r['writes']) > 0, out
    assert int(r['delayed_writers']) > 0, f'no writer was ever in the window\n{out}'
    assert r['use_after_free'] == '0', f'a writer found its buffer freed\n{out}'
    assert r['verdict'] == 'ok', out
    assert machine.run('cat buffer_size_kb') == before


@pytest.mark.smp(2)
def test_filter_edits_from_two_cpus_at_once_lose_nothing(machine):
    """Two CPUs each add 20 different functions to one ops' filter, one at a
    time, each held between reading the current hash and publishing its
    edited copy: all 40 must be there (and no hash freed twice)."""
    r, out = race(machine, 'filters', 20)
    assert int(r['delayed_writers']) > 0, out
    assert (r['expected'], r['count']) == ('40', '40'), out
    assert r['verdict'] == 'ok', out


def test_race_window_file_shows_sets_and_rejects(machine):
    assert machine.run('cat race_window') == 'hash_read 0\nrb_write 0\nset_hash 0'
    assert machine.run("echo 'rb_write 5' > race_window") == ''
    assert machine.run('cat race_window') == 'hash_read 0\nrb_write 5\nset_hash 0'
    assert machine.run("echo 'rb_write 0' > race_window") == ''
    for bad in ('nosuch 5', 'rb_write', 'rb_write x', 'rb_write 1000001'):
        out = machine.run(f"echo '{bad}' > race_window")
        assert out.startswith('error:') and out.endswith('(-22)'), f'{bad!r}: {out}'
    assert machine.run('cat race_window') == 'hash_read 0\nrb_write 0\nset_hash 0'
    assert machine.run('race sideways').startswith('error: usage: race')


@pytest.mark.smp(1)
def test_race_needs_two_cpus(machine_factory):
    machine = machine_factory(smp=1)
    assert machine.run('race hash') == 'error: race: needs at least two CPUs (-19)'


# ---- buffer_size_kb ------------------------------------------------------------

def traced_call_works(machine):
    """Trace demo_add with the function tracer and check the entry."""
    assert machine.run('echo demo_add > set_ftrace_filter') == ''
    assert machine.run('echo function > current_tracer') == ''
    assert machine.run('call demo_add 2 3') == 'demo_add(2, 3) = 5 (0x5)'
    assert machine.run('grep -c demo_add trace') == '1'
    assert machine.run('echo nop > current_tracer') == ''


BAD_SIZES = {
    '18014398509481984': -12,       # kb * 1024 wraps to 0
    '18014398509481985': -12,       # ... to 1 KiB
    '18446744073709551615': -12,    # ULONG_MAX: no page order that big
    '18446744073709551616': -34,    # does not even fit
    '4097': -12,                    # one more than the largest block
    '0': -22, '-1': -22, '12k': -22,
}


def test_buffer_size_kb_refuses_what_it_cannot_allocate_and_keeps_the_old_buffers(machine):
    before = machine.run('cat buffer_size_kb')
    for value, errno in BAD_SIZES.items():
        out = machine.run(f'echo {value} > buffer_size_kb')
        assert out.startswith('error:') and out.endswith(f'({errno})'), f'{value}: {out}'
        assert machine.run('cat buffer_size_kb') == before, value
        traced_call_works(machine)


def test_buffer_size_kb_reports_the_size_in_use_rounded_to_pages(machine):
    assert machine.run('cat buffer_size_kb') == '1408'     # Linux's default
    for asked, used in (('1', '4'), ('5', '8'), ('4096', '4096'), ('7', '8')):
        assert machine.run(f'echo {asked} > buffer_size_kb') == ''
        assert machine.run('cat buffer_size_kb') == used, f'asked {asked}'
        traced_call_works(machine)


def test_writing_the_size_in_use_keeps_the_events_and_a_new_size_empties_the_buffer(machine):
    assert machine.run('echo kept-across > trace_marker') == ''
    size = machine.run('cat buffer_size_kb')
    assert machine.run(f'echo {size} > buffer_size_kb') == ''
    assert 'kept-across' in machine.run('cat trace')
    assert machine.run(f'echo {int(size) + 4} > buffer_size_kb') == ''
    assert 'kept-across' not in machine.run('cat trace')   # README: a new size empties it
