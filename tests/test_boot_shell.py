"""Boot and shell scenarios (docs/console-protocol.md), on every selected arch.

Each test types at the console as a user would and asserts exactly what the
protocol promises, printing what was seen when it is not.
"""
import os
import random
import re
import string

import pytest

from harness import Hang, KernelPanic, call_trace, strip_timestamps

HELP_COMMANDS = ('help version cpus meminfo sym call ls cat echo panic fault hang '
                 'poweroff').split()
ERRNO_LINE = re.compile(r'error: .+ \(-\d+\)')


def assert_one_error_line(out, cmd):
    """`out` is exactly one `error: ... (-errno)` line."""
    assert ERRNO_LINE.fullmatch(out), f"'{cmd}' should print one error line, printed:\n{out}"


def lines_of(text):
    """Console text as timestamp-free lines."""
    return strip_timestamps(text).split('\n')


def test_boot_reaches_prompt_and_help_lists_every_command(machine):
    out = machine.run('help')
    listed = {line.split()[0] for line in out.split('\n') if line.strip()}
    missing = [c for c in HELP_COMMANDS if c not in listed]
    assert not missing, f'help does not list {missing}; it printed:\n{out}'
    # long usages come whole (a 48-byte buffer cut them: 'klp_direct ... |off|s')
    assert 'klp_direct on FUNC [share|noshare|refuse]|off|show ' in out, out


def test_boot_banner_names_the_arch_and_cpu_count(machine):
    assert machine.banner is not None, \
        f'no `testbed <version> <arch> smp=<N>` line before the prompt:\n{machine.transcript()}'
    assert machine.banner[1:] == (machine.spec.kernel_arch, machine.smp), \
        f'-smp {machine.smp} on {machine.arch}, banner says {machine.banner}'


def test_version_names_the_arch(machine):
    out = machine.run('version')
    assert re.fullmatch(rf'testbed \S+ {machine.spec.kernel_arch} \(.+\)', out), \
        f'version printed {out!r}'


def test_call_passes_integer_arguments_and_prints_result_in_decimal_and_hex(machine):
    cases = {
        'call demo_add 2 3': 'demo_add(2, 3) = 5 (0x5)',
        'call demo_mul3 2 3 4': 'demo_mul3(2, 3, 4) = 24 (0x18)',
        'call demo_sum6 1 2 3 4 5 6': 'demo_sum6(1, 2, 3, 4, 5, 6) = 21 (0x15)',
        'call demo_add -2 -3': 'demo_add(-2, -3) = -5 (0xfffffffffffffffb)',
    }
    wrong = {cmd: out for cmd, want in cases.items() if (out := machine.run(cmd)) != want}
    assert not wrong, '\n'.join(f'{c!r} printed {o!r}, want {cases[c]!r}' for c, o in wrong.items())


def test_call_of_unknown_function_is_one_error_line(machine):
    assert_one_error_line(machine.run('call no_such_function 1'), 'call no_such_function 1')


def test_sym_name_and_address_lookups_agree(machine):
    out = machine.run('sym demo_add')
    m = re.fullmatch(r'demo_add: 0x([0-9a-f]{16}) size (\d+)', out)
    assert m, f'sym demo_add printed {out!r}'
    addr, size = int(m.group(1), 16), int(m.group(2))
    assert size > 4, f'demo_add is only {size} bytes, cannot look up +0x4'
    back = machine.run(f'sym {addr + 4:#x}')
    assert back == f'demo_add+0x4/{size:#x}', f'sym {addr + 4:#x} printed {back!r} after {out!r}'


def test_unknown_command_is_reported_and_shell_keeps_working(machine):
    out = machine.run('frobnicate')
    assert out == "error: unknown command 'frobnicate' (try 'help')", f'printed {out!r}'
    assert machine.run('version').startswith('testbed '), 'version failed after the error'


def test_line_over_1024_bytes_is_rejected_and_shell_keeps_working(machine):
    limit, chunk = 1024, 512
    data = (string.ascii_letters * 100)[:5120]
    for i in range(0, len(data), chunk):
        machine.send_raw(data[i:i + chunk])
        echoed = data[i:min(i + chunk, limit)]      # bytes past the limit are not echoed
        if echoed:
            machine.expect(re.escape(echoed))
    out = machine.enter()
    assert out == f'error: line too long (max {limit} bytes)', f'printed {out!r}'
    assert machine.run('version').startswith('testbed '), 'version failed after the long line'


def test_random_binary_input_then_ctrl_c_gives_a_fresh_prompt(machine):
    seed = int(os.environ.get('TESTBED_SEED', random.randrange(2**32)))
    print(f'random input seed: {seed} (rerun with TESTBED_SEED={seed})')
    rng = random.Random(seed)
    # No CR/LF: nothing may submit a line.  Ctrl-C (0x03) may occur.  The
    # trailing 'x' ends a possibly unfinished `ESC [` sequence, which would
    # otherwise swallow our Ctrl-C as its final byte.
    junk = bytes(b for b in rng.randbytes(2100) if b not in (0x0a, 0x0d))[:2000] + b'x'
    machine.send_raw(junk)
    machine.send_raw(b'\x03')
    machine.expect(re.escape('^C\r\ntb# '))
    out = machine.run('version')
    assert out.startswith('testbed '), f'seed {seed}: version after random input printed {out!r}'


@pytest.mark.parametrize('kind, function', [
    ('null', 'fault_null'),
    ('text', 'fault_text'),
    ('stack', 'fault_stack_recurse'),
    # A breakpoint outside any site being patched: the patcher's handler
    # must pass it on to the normal trap path.
    ('breakpoint', 'fault_breakpoint'),
])
def test_fault_oopses_with_call_trace_naming_the_faulting_function(machine, kind, function):
    with pytest.raises(KernelPanic) as crash:
        machine.run(f'fault {kind}')
    report = strip_timestamps(crash.value.report)
    assert re.search(r'^Oops: ', report, re.M), f'no Oops line in:\n{report}'
    trace = call_trace(report)
    assert function in trace, f'Call Trace {trace} does not name {function}; report:\n{report}'
    machine.assert_exit(1)


def test_panic_prints_its_text_and_exits_with_failure(machine):
    with pytest.raises(KernelPanic) as crash:
        machine.run('panic oh no')
    report = lines_of(crash.value.report)
    assert 'Kernel panic - not syncing: oh no' in report, 'report:\n' + '\n'.join(report)
    machine.assert_exit(1)


def test_poweroff_exits_qemu_with_status_0(machine):
    machine.send_line('poweroff')
    machine.assert_exit(0)
    assert 'reboot: Power down' in machine.transcript().split('\n'), \
        f'no `reboot: Power down` line; console:\n{machine.transcript()}'


def test_typed_line_editing_backspace_ctrl_u_and_history(machine):
    machine.type('hepl')
    machine.send_raw(b'\x7f\x7f')
    machine.expect(re.escape('\b \b\b \b'))
    machine.type('lp')
    edited = machine.enter()
    assert edited == machine.run('help'), f'"hepl" BS BS "lp" printed:\n{edited}'

    machine.type('garbage')
    machine.send_raw(b'\x15')
    machine.expect(re.escape('\r\x1b[Ktb# '))
    machine.type('version')
    out = machine.enter()
    assert out.startswith('testbed '), f'"garbage" ^U "version" printed {out!r}'

    first = machine.run('call demo_add 40 2')
    assert first == 'demo_add(40, 2) = 42 (0x2a)', f'printed {first!r}'
    machine.send_raw(b'\x1b[A')
    machine.expect(re.escape('\r\x1b[Ktb# call demo_add 40 2'))
    again = machine.enter()
    assert again == first, f'Up + Enter printed {again!r}, the first run {first!r}'


def test_ls_lists_scratch_writable_and_version_read_only(machine):
    listing = machine.run('ls').split('\n')
    for entry in ('rw scratch', 'r- version'):
        assert entry in listing, f'ls lacks {entry!r}; printed {listing}'


def test_scratch_keeps_what_echo_writes_and_appends(machine):
    for cmd in ('echo hello > scratch', 'echo world >> scratch'):
        out = machine.run(cmd)
        assert out == '', f'{cmd!r} printed {out!r}'
    out = machine.run('cat scratch')
    assert out == 'hello\nworld', f'cat scratch printed {out!r}'


def test_writing_read_only_or_reading_missing_file_is_one_error_line(machine):
    for cmd in ('echo x > version', 'cat nosuchfile'):
        assert_one_error_line(machine.run(cmd), cmd)


@pytest.mark.slow
def test_hang_is_reported_as_hang_and_qemu_is_reaped(machine):
    machine.send_line('hang')
    with pytest.raises(Hang):
        machine.run('version', timeout=3)
    pid = machine.pid
    machine.kill()
    assert not machine.alive(), f'QEMU pid {pid} still alive after kill()'
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_meminfo_reports_free_memory_within_total(machine):
    out = machine.run('meminfo')
    fields = {k: int(v) for k, v in re.findall(r'^(\w+):\s+(\d+) kB$', out, re.M)}
    assert {'MemTotal', 'MemFree'} <= fields.keys(), f'meminfo printed:\n{out}'
    assert 0 < fields['MemTotal'] and fields['MemFree'] <= fields['MemTotal'], \
        f'meminfo printed:\n{out}'


def test_cpus_shows_boot_cpu_online(machine):
    out = machine.run('cpus')
    assert any(line.startswith('cpu0: online') for line in out.split('\n')), f'cpus printed:\n{out}'


@pytest.mark.smp(2)
def test_cpus_lists_every_cpu_qemu_was_given_as_online(machine):
    out = machine.run('cpus')
    cpus = [line.split(':')[0] for line in out.split('\n') if ': online' in line]
    assert cpus == [f'cpu{i}' for i in range(machine.smp)], \
        f'-smp {machine.smp} but cpus printed:\n{out}'


def test_wc_and_grep_read_a_file_inside_the_guest(machine):
    machine.run('echo alpha beta > scratch')
    machine.run('echo gamma >> scratch')
    machine.run('echo alphabet >> scratch')
    assert machine.run('wc scratch').split() == ['3', '4', '26', 'scratch']
    assert machine.run('grep alpha scratch') == 'alpha beta\nalphabet'
    assert machine.run('grep -v alpha scratch') == 'gamma'
    assert machine.run('grep -c a scratch') == '3'
    assert machine.run('grep x nosuchfile').startswith('error: no such file')


def test_memory_exhaustion_is_an_error_return_not_a_crash(machine):
    # 64 GiB from a 256 MiB machine: kmalloc and alloc_pages return NULL.
    assert machine.run('call kmalloc 68719476736') == 'kmalloc(68719476736) = 0 (0x0)'
    assert machine.run('call alloc_pages 20') == 'alloc_pages(20) = 0 (0x0)'
    free = machine.run('meminfo')
    out = machine.run('echo 300000 > buffer_size_kb')   # 300 MB per CPU
    assert out.startswith('error:') and re.search(r'\(-(12|22)\)$', out), out
    assert machine.run('cat buffer_size_kb') == '1408'
    assert machine.run('meminfo') == free
