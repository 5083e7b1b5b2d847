"""Harness scenarios: QEMU lives exactly as long as the harness that started
it, and debug sessions never step on each other.

These drive the harness's own entry points as a user does (`make run-*`,
`make debug-*`, `python3 -m harness run|debug|console`, a process that owns
Machines) and watch the processes they leave through /proc.  Every process
is identified by pid and start time, so a recycled pid cannot pass for a
survivor; a zombie counts as gone (it no longer runs, and reaping an orphan
is init's job, not the harness's).
"""
import fcntl
import os
import re
import select
import signal
import socket
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

from harness import ARCHES, ROOT

MAKE_SUFFIX = {'x86_64': 'x86', 'riscv64': 'riscv'}    # make run-x86, debug-riscv, ...
RESET_PC = {'x86_64': 0xfff0, 'riscv64': 0x1000}      # where QEMU -S halts each arch
POLL = 0.02                                            # seconds between looks at /proc


def scaled(seconds):
    """A bound in seconds, scaled for slow hosts like the arch timeouts."""
    return seconds * float(os.environ.get('TESTBED_TIMEOUT_SCALE', '1'))


GONE_TIMEOUT = scaled(2.0)      # QEMU and the harness must be gone within this


# ---- processes, seen through /proc -------------------------------------------

@dataclass(frozen=True)
class Proc:
    """One process as seen at one moment: enough to recognise it later."""
    pid: int
    start: int          # start time in clock ticks since boot (/proc/pid/stat)
    cmdline: str

    def __str__(self):
        return f'{self.pid} {self.cmdline[:100]}'


def stat_fields(pid):
    """/proc/pid/stat after the command name (state first), or None."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(')') + 2:].split()


def snapshot(pid):
    """Proc for a running `pid`, or None if it is gone."""
    fields = stat_fields(pid)
    try:
        with open(f'/proc/{pid}/cmdline', 'rb') as f:
            cmdline = f.read().replace(b'\0', b' ').decode(errors='replace').strip()
    except OSError:
        return None
    return Proc(pid, int(fields[19]), cmdline) if fields else None


def tree(root):
    """`root` and all its descendants, as Procs."""
    children = {}
    for name in os.listdir('/proc'):
        fields = stat_fields(name) if name.isdigit() else None
        if fields:
            children.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        p = snapshot(pid)
        if p is not None:
            found.append(p)
        todo.extend(children.get(pid, []))
    return found


def running(p):
    """True while `p` (the same process, not a recycled pid) runs; a zombie
    does not run."""
    fields = stat_fields(p.pid)
    return fields is not None and int(fields[19]) == p.start and fields[0] not in 'ZX'


def is_qemu(p):
    return os.path.basename(p.cmdline.split(' ', 1)[0]).startswith('qemu-system-')


def wait_until(condition, timeout):
    """Poll `condition` until it holds or `timeout` passes; its last value."""
    deadline = time.monotonic() + timeout
    while not (ok := condition()) and time.monotonic() < deadline:
        time.sleep(POLL)
    return ok


def still_running(procs, timeout=GONE_TIMEOUT):
    """The Procs among `procs` still running after waiting up to `timeout`
    for all of them to go."""
    wait_until(lambda: not any(running(p) for p in procs), timeout)
    return [p for p in procs if running(p)]


def kill_all(procs):
    """Cleanup after a failed scenario: SIGKILL what this test started and
    left running."""
    for p in procs:
        if running(p):
            os.kill(p.pid, signal.SIGKILL)


def listing(procs):
    return '\n'.join(f'  {p}' for p in procs) or '  (none)'


def make_command(target):
    """`make TARGET` as these scenarios run it.  MAKE=true turns the target's
    own `$(MAKE) ARCH=... kernel` step into a no-op: the scenario is about
    the run/debug recipe, and must never rebuild an image that another
    xdist worker may be booting (the version in the image follows
    `git describe --dirty`, so any edit makes the step rebuild)."""
    return ['make', '--no-print-directory', 'MAKE=true', f'PYTHON={sys.executable}', target]


def clean_env(path_first=None):
    """This environment without the outer make's variables (its jobserver
    fds are not inherited), optionally with `path_first` first on PATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('MAKE') and k != 'MFLAGS'}
    if path_first is not None:
        env['PATH'] = f'{path_first}:{env.get("PATH", "/usr/bin:/bin")}'
    return env


@pytest.fixture
def base_arch(arch):
    """The arch for these scenarios, which test the harness, not the build:
    the -mcount flavours boot the same way and have no make targets."""
    if arch not in MAKE_SUFFIX:
        pytest.skip(f'{arch} is a build flavour of {ARCHES[arch].kernel_arch}; '
                    'the harness treats it the same')
    return arch


# ---- a terminal that can be closed -------------------------------------------

def _take_terminal():
    """In the child, after setsid: make the pty on fd 0 its controlling
    terminal, as a terminal emulator does for the shell it starts."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def spawn_on_terminal(argv, env):
    """Start `argv` as the session leader of a new pty; returns (Popen,
    master fd).  Closing the master is closing the terminal window."""
    master, slave = os.openpty()
    try:
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=slave, stdout=slave,
                                 stderr=slave, start_new_session=True,
                                 preexec_fn=_take_terminal)
    finally:
        os.close(slave)
    return child, master


def read_until(fd, marker, timeout):
    """Read the terminal master until `marker` (bytes) arrives; returns the
    text read, or fails the test showing it."""
    seen, deadline = b'', time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            pytest.fail(f'no {marker!r} within {timeout:g}s; the terminal showed:\n'
                        f'{seen.decode(errors="replace")[-2000:]}')
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            pytest.fail(f'terminal closed before {marker!r}:\n{seen.decode(errors="replace")}')
        seen += data
    return seen.decode(errors='replace')


def interactive_session(arch, kind):
    """(argv, steps) of an interactive session: the command a user types and
    what they then see and type, as (text to wait for, keys to send or
    None).  A debug session is closed while gdb waits on the running guest,
    when gdb itself does not read the terminal."""
    make = f'{kind.split("-")[1]}-{MAKE_SUFFIX[arch]}'
    if kind == 'harness-run':
        return [sys.executable, '-m', 'harness', 'run', '--arch', arch], [(b'tb# ', None)]
    if kind == 'make-run':
        return make_command(make), [(b'tb# ', None)]
    return make_command(make), [(b'(gdb) ', b'continue\r'), (b'Continuing.', None)]


@pytest.mark.parametrize('kind', ['make-run', 'harness-run', 'make-debug'])
def test_closing_the_terminal_of_an_interactive_session_leaves_no_qemu_and_no_harness(
        base_arch, kind):
    argv, steps = interactive_session(base_arch, kind)
    child, master = spawn_on_terminal(argv, clean_env())
    procs = []
    try:
        for text, keys in steps:
            read_until(master, text, ARCHES[base_arch].timeout('boot'))
            if keys:
                os.write(master, keys)
        procs = tree(child.pid)
        assert any(map(is_qemu, procs)), f'no QEMU under the {kind} session:\n{listing(procs)}'
        os.close(master)                # the terminal window goes away
        master = None
        try:
            child.wait(GONE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        left = still_running(procs)
        assert not left, (f'{GONE_TIMEOUT:g}s after its terminal closed, the {kind} session '
                          f'left running:\n{listing(left)}\n(started as:\n{listing(procs)})')
    finally:
        if master is not None:
            os.close(master)
        kill_all(tree(child.pid) + procs)
        if child.poll() is None:
            child.kill()
        child.wait()


# ---- a killed harness process --------------------------------------------------

# A process that owns a Machine, as an xdist worker does; 'with-child' also
# starts a long-lived child that keeps the fds it inherits, as os.system() or
# any close_fds=False helper would.
OWNER = '''
import subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from harness import Machine
m = Machine(sys.argv[2], smp=1).boot()
helper = subprocess.Popen(['sleep', '60'], close_fds=False) if sys.argv[3] == 'with-child' else None
print('qemu', m.pid, 'helper', helper.pid if helper else 0, flush=True)
time.sleep(120)
'''


def read_line(pipe, timeout):
    """One line from a child's stdout pipe within `timeout`, or ''."""
    if not select.select([pipe], [], [], timeout)[0]:
        return ''
    return pipe.readline()


@pytest.mark.parametrize('children', ['alone', 'with-child'])
def test_killing_the_process_that_owns_a_machine_leaves_no_qemu(base_arch, children):
    owner = subprocess.Popen([sys.executable, '-c', OWNER, str(ROOT), base_arch, children],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    procs = []
    try:
        line = read_line(owner.stdout, ARCHES[base_arch].timeout('boot'))
        m = re.fullmatch(r'qemu (\d+) helper (\d+)\n', line)
        assert m, f'the owner process did not report its QEMU: {line!r}'
        qemu = snapshot(int(m.group(1)))
        procs = [p for p in (qemu, snapshot(int(m.group(2)))) if p is not None]
        assert qemu is not None and is_qemu(qemu), f'pid {m.group(1)} is not a QEMU: {qemu}'
        owner.kill()                    # SIGKILL: no finally block, no atexit
        owner.wait()
        left = still_running([qemu])
        assert not left, (f'{GONE_TIMEOUT:g}s after its owner was killed ({children}), '
                          f'QEMU still runs:\n{listing(left)}')
    finally:
        kill_all(procs)
        if owner.poll() is None:
            owner.kill()
        owner.wait()
        owner.stdout.close()


# ---- two debug sessions ---------------------------------------------------------

@dataclass
class DebugEndpoints:
    """Where one debug session's QEMU listens and logs, read from the QEMU
    command line the harness prints (which must reproduce the session)."""
    gdb: int
    console: int
    log: Path


def debug_endpoints(text):
    """DebugEndpoints from a debug session's output; fails the test if the
    printed QEMU command line lacks any of them."""
    gdb = re.search(r' -gdb tcp:[\d.]*:(\d+)', text)
    con = re.search(r'-chardev socket,\S*\bport=(\d+)', text)
    log = re.search(r'-chardev socket,\S*\blogfile=([^,\s\']+)', text)
    assert gdb and con and log, f'no gdb port, console port or log in the QEMU command line:\n{text}'
    return DebugEndpoints(int(gdb.group(1)), int(con.group(1)), ROOT / log.group(1))


def batch_gdb(directory):
    """A `gdb-multiarch` for PATH that attaches as the harness asks, prints
    the pc and exits: a second, non-interactive debug session."""
    real = subprocess.run(['sh', '-c', 'command -v gdb-multiarch'], capture_output=True,
                          text=True).stdout.strip()
    if not real:
        pytest.skip('gdb-multiarch is not installed')
    fake = directory / 'gdb-multiarch'
    fake.write_text(f"#!/bin/sh\nexec {real} -nx -batch \"$@\" -ex 'info registers pc'\n")
    fake.chmod(0o755)
    return directory


def run_second_debug(arch, gdb_dir, timeout):
    """`make debug-<arch>` with the batch gdb; returns (exit status or None
    on timeout, its output).  Its own process group, so a hung session is
    killed whole."""
    child = subprocess.Popen(make_command(f'debug-{MAKE_SUFFIX[arch]}'), cwd=ROOT,
                             env=clean_env(gdb_dir), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    try:
        out, _ = child.communicate(timeout=timeout)
        return child.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        return None, out


def boot_over_console(gdb, port, timeout):
    """Connect to a halted session's console, `continue` in its gdb, and
    read until the first prompt; returns the connected socket."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    gdb.sendline('continue')
    seen, deadline = b'', time.monotonic() + timeout
    while b'tb# ' not in seen and time.monotonic() < deadline:
        seen += sock.recv(65536)
    assert b'tb# ' in seen, f'no prompt on console port {port}:\n{seen.decode(errors="replace")}'
    return sock


def test_two_debug_sessions_coexist_and_the_second_touches_nothing_of_the_first(
        base_arch, tmp_path):
    spec = ARCHES[base_arch]
    gdb_dir = batch_gdb(tmp_path)
    first = pexpect.spawn(sys.executable, ['-m', 'harness', 'debug', '--arch', base_arch],
                          cwd=str(ROOT), env=clean_env(), encoding='utf-8',
                          timeout=spec.timeout('boot'))
    procs, client = [], None
    try:
        first.expect(r'\(gdb\) ')
        one = debug_endpoints(first.before)
        procs = tree(first.pid)
        sock = boot_over_console(first, one.console, spec.timeout('boot'))
        assert wait_until(lambda: b'tb# ' in one.log.read_bytes(), spec.timeout('command')), \
            f'the first session never logged its prompt to {one.log}'
        log_before = one.log.read_bytes()

        status, out = run_second_debug(base_arch, gdb_dir, scaled(20))

        log_after = one.log.read_bytes()
        assert log_after.startswith(log_before), (
            f'the second session rewrote the first one\'s log {one.log}: '
            f'{len(log_before)} bytes before, now {len(log_after)}:\n{log_after[:300]!r}')
        assert status == 0, f'the second debug session ended with {status} (None: hung):\n{out}'
        two = debug_endpoints(out)
        assert {two.gdb, two.console}.isdisjoint({one.gdb, one.console}) and two.log != one.log, \
            f'the sessions share a port or a log: first {one}, second {two}'
        pc = re.search(r'^pc\s+(0x[0-9a-f]+)', out, re.M)
        assert pc and int(pc.group(1), 16) == RESET_PC[base_arch], (
            f'the second gdb should read the reset pc {RESET_PC[base_arch]:#x} of its own '
            f'halted QEMU, got {pc and pc.group(1)}:\n{out}')
        for port, what in ((two.gdb, 'gdb stub'), (two.console, 'console')):
            assert re.search(rf'^{what}:\s+127\.0\.0\.1:{port}\b', out, re.M), \
                f'the second session did not print its {what} port {port}:\n{out}'

        # The first session is intact: its console, through the client the
        # harness prints (QEMU takes one console client: let go of ours)...
        sock.close()
        client = pexpect.spawn(sys.executable, ['-m', 'harness', 'console', str(one.console)],
                               cwd=str(ROOT), encoding='utf-8', timeout=spec.timeout('command'))
        client.expect('connected')
        client.send('version\r')
        client.expect(rf'testbed \S+ {spec.kernel_arch} ')
        client.send('\x1d')
        client.expect(pexpect.EOF)
        client.close()
        assert client.exitstatus == 0, f'console client exit status {client.exitstatus}'
        # ... and its gdb stub, which still answers its own gdb.
        first.sendintr()
        first.expect(r'SIGINT[\s\S]*\(gdb\) ')
        first.sendline('p/x $pc')
        first.expect(r'\$\d+ = 0x[0-9a-f]+')
        first.sendline('quit')
        first.expect(r'Quit anyway\? \(y or n\) ')
        first.sendline('y')
        first.expect(pexpect.EOF)
        left = still_running(procs)
        assert not left, f'quitting gdb left the first session running:\n{listing(left)}'
    finally:
        for spawned in (client, first):
            if spawned is not None:
                spawned.close(force=True)
        kill_all(procs)
