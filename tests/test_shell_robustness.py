"""Console robustness scenarios (issue 11): input and output the shell must
survive as a careless user would produce it -- long lines, big pastes while
the kernel is busy, huge panic messages, redirection typos, Ctrl-C.

Each scenario failed before its fix; docs/console-protocol.md states the
behaviour asserted here.  The console code does not depend on the call-site
flavour, so the classic-mcount images are skipped (they would only repeat
the same boots).
"""
import re
import threading

import pytest

from harness import Hang, KernelPanic, strip_timestamps

ERRNO_LINE = re.compile(r'error: .+ \(-\d+\)')


@pytest.fixture(autouse=True)
def _base_arches_only(arch):
    """Skip the -mcount flavours: same console code, no new information."""
    if arch.endswith('-mcount'):
        pytest.skip('console behaviour does not depend on the call-site flavour')


def assert_one_error_line(out, cmd, errno=None):
    """`out` is exactly one `error: ... (-errno)` line (of `errno` if given)."""
    assert ERRNO_LINE.fullmatch(out), f"'{cmd}' should print one error line, printed:\n{out}"
    if errno is not None:
        assert out.endswith(f'({-errno})'), f"'{cmd}' should fail with -{errno}, printed:\n{out}"


# ---- output: no line is ever cut ------------------------------------------

def test_long_output_lines_arrive_whole_with_their_newline(machine):
    # read_output() needs the next prompt at the start of a line: a line
    # that lost its newline would leave it mid-line and time out.
    for length in (511, 512, 1019):
        text = ('0123456789abcdef' * 64)[:length]
        out = machine.run(f'echo {text}')
        assert out == text, f'echo of {length} characters printed {len(out)}: {out[-40:]!r}'
    name = 'x' * 480
    out = machine.run(name)
    assert out == f"error: unknown command '{name}' (try 'help')", \
        f'a 480-character unknown command printed {len(out)} characters: {out[-60:]!r}'


def test_panic_with_a_1000_byte_message_reports_it_whole_without_smashing_the_stack(machine):
    words = [chr(ord('a') + i) * 99 for i in range(10)]    # 10 words, 999 bytes joined
    message = ' '.join(words)
    with pytest.raises(KernelPanic) as crash:
        machine.run(f'panic {message}')
    report = strip_timestamps(crash.value.report)
    assert not re.search(r'^Oops: ', report, re.M), f'the panic command itself crashed:\n{report}'
    assert f'Kernel panic - not syncing: {message}\n' in report, \
        f'the panic line does not carry the whole message:\n{report}'
    assert f'---[ end Kernel panic - not syncing: {message} ]---' in report, report
    machine.assert_exit(1)


# ---- input: back-pressure instead of loss -------------------------------------

def test_input_pasted_while_the_kernel_is_busy_is_all_run_beyond_the_16k_ring(machine):
    # 3,000 commands, 36,000 bytes: twice what the input ring holds, pasted
    # while the kernel spins with interrupts on until the ring is full and
    # then half a second more (QEMU delivers 5-40 KB/s depending on host
    # load, so a fixed wait would not always overflow the ring).
    ring = 16384
    count = 3000
    paste = ''.join(f'echo {i:05d}\r' for i in range(count))
    machine.send_line(f'call demo_wait_input {ring} 50')
    # The writer blocks while the kernel holds the sender off, so it runs
    # beside the reader: a single thread writing would never read the echo.
    writer = threading.Thread(target=machine.send_raw, args=(paste,), daemon=True)
    writer.start()
    out = machine.read_output(timeout=40)
    assert out == f'demo_wait_input({ring}, 50) = {ring} ({ring:#x})', \
        f'the input ring never filled, so nothing was tested: {out!r}'
    try:
        machine.expect(re.escape(f'echo {count - 1:05d}\r\n{count - 1:05d}\r\ntb# '),
                       timeout=60)
    except Hang:
        pass        # judged below, with what did arrive
    writer.join(timeout=10)
    seen = strip_timestamps(machine.console.replace('\r\n', '\n'))
    ran = re.findall(r'^tb# echo (\d{5})\n\1$', seen, re.M)
    missing = sorted(set(range(count)) - {int(n) for n in ran})
    assert not missing and len(ran) == count, \
        (f'{len(missing)} of {count} pasted commands did not run '
         f'(first missing: {missing[:5]}); a lost byte is never acceptable')
    assert [int(n) for n in ran] == list(range(count)), 'pasted commands ran out of order'
    assert not re.search(r'^error:', seen, re.M), 'the paste produced error lines'
    assert machine.run('version').startswith('testbed '), 'shell unusable after the paste'


# ---- redirection ------------------------------------------------------------

def test_redirection_without_a_file_or_on_a_command_that_cannot_is_one_error_line(machine):
    machine.run('echo before > scratch')
    for cmd in ('echo x >', 'echo >>', 'echo x > scratch > scratch', '> scratch',
                'cat version > scratch'):
        assert_one_error_line(machine.run(cmd), cmd, errno=22)
        assert machine.run('cat scratch') == 'before', f"'{cmd}' changed scratch"


def test_quoted_redirection_operator_is_text_and_unquoted_one_needs_no_blanks(machine):
    machine.run('echo before > scratch')
    for quoted in ("echo hi '>' scratch", 'echo hi ">>" scratch', "echo 'a>b'"):
        want = quoted.split(' ', 1)[1].replace("'", '').replace('"', '')
        out = machine.run(quoted)
        assert out == want, f'{quoted!r} printed {out!r}, want {want!r}'
    assert machine.run('cat scratch') == 'before', 'a quoted > redirected'
    assert machine.run('echo one>scratch') == ''
    assert machine.run('echo two >>scratch') == ''
    assert machine.run('cat scratch') == 'one\ntwo'


# ---- tracing_on parses as Linux's kstrtoul(base 10) ----------------------------

def test_tracing_on_takes_decimal_integers_any_nonzero_is_on(machine):
    for value, state in (('0', '0'), ('1', '1'), ('0', '0'), ('2', '1'), ('+0', '0'),
                         ('007', '1')):
        out = machine.run(f'echo {value} > tracing_on')
        assert out == '', f'echo {value} > tracing_on printed {out!r}'
        assert machine.run('cat tracing_on') == state, f'after writing {value!r}'


def test_tracing_on_refuses_hex_signs_and_junk_and_keeps_its_state(machine):
    for state in ('0', '1'):
        machine.run(f'echo {state} > tracing_on')
        for value in ('0x1', '0x0', '-0', '-1', '1x', 'on', "''", '1 1'):
            cmd = f'echo {value} > tracing_on'
            assert_one_error_line(machine.run(cmd), cmd, errno=22)
            assert machine.run('cat tracing_on') == state, f'{cmd!r} changed tracing_on'


# ---- repeat ---------------------------------------------------------------------

def test_repeat_prints_one_error_line_for_one_failure(machine):
    for inner in ('nosuchcommand', 'cat nosuchfile', "echo x '", 'echo x >'):
        cmd = f'repeat 3 "{inner}"'
        out = machine.run(cmd)
        errors = [line for line in out.split('\n') if line.startswith('error:')]
        assert len(errors) == 1, f'{cmd!r} printed {len(errors)} error lines:\n{out}'
        assert out.split('\n')[-1] == 'repeat: stopped in round 1', out


def test_ctrl_c_stops_repeat_and_keeps_typed_ahead_input(machine):
    machine.send_line("repeat 100000000 'echo x > scratch'")   # hours if not stopped
    machine.send_raw(b'\x03version')    # Ctrl-C, then the start of the next line
    out = machine.read_output(timeout=10)
    assert re.fullmatch(r'error: repeat: interrupted by Ctrl-C in round \d+ \(-4\)', out), \
        f'Ctrl-C during repeat printed {out!r}'
    # "version" was typed while repeat ran: it is still there, unrun, and
    # Enter runs it.
    machine.expect(re.escape('version'))
    out = machine.enter()
    assert out.startswith('testbed '), f'the typed-ahead line printed {out!r}'
