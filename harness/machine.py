"""One QEMU guest driven over its serial console.

A Machine spawns QEMU on a pty (pexpect), reads everything the kernel prints
into a transcript (and the per-test log file), and waits on patterns in it:
the prompt, a command's echo, QEMU's exit.  Every wait also watches for a
kernel crash, QEMU exiting and a deadline, and turns them into the three
exceptions below; nothing ever sleeps in place of waiting for output.
"""
import os
import re
import signal
import termios
import time

import pexpect

from . import console, proc
from .arches import (ARCHES, ROOT, SERIAL_TEST, default_accel, qemu_command, resolve_arch,
                     shell_command)

# The first prompt: `tb# ` at the start of a line, after the boot messages.
BOOT_PROMPT_RE = re.compile(r'(?:\A|\n)tb# ')
# Command output then the next prompt, which starts a line: zero or more
# whole lines, then `tb# `.  Anchored at the start of the unread text.
OUTPUT_PROMPT_RE = re.compile(r'\A((?:[^\n]*\n)*?)tb# ')

SCAN_OVERLAP = 64       # longest marker/hint that may straddle two reads
REAP_TIMEOUT = 5.0      # QEMU closed the console: time allowed to exit


def _pty_raw_output():
    """In the QEMU child, before exec: stop the pty turning `\\n` into
    `\\r\\n`.  QEMU's stdio chardev turns on output processing (OPOST) but
    leaves ONLCR as it finds it, and the kernel already sends `\\r\\n`; so
    with ONLCR off the transcript holds exactly the bytes the guest sent."""
    attrs = termios.tcgetattr(0)
    attrs[1] &= ~termios.ONLCR
    termios.tcsetattr(0, termios.TCSANOW, attrs)


def _qemu_preexec():
    """The QEMU child's setup before exec, built in the parent: a raw pty
    (above), and SIGKILL when the process that booted it dies.  Without the
    latter QEMU relied on its pty hanging up, which never happens while
    any other process still holds the master (see Machine.boot)."""
    die = proc.die_with_parent(signal.SIGKILL)

    def preexec():
        _pty_raw_output()
        die()
    return preexec


class MachineError(Exception):
    """A failure of the guest, with what is needed to reproduce it by hand:
    the reason, the exact QEMU command line, the log path and the last 40
    console lines."""

    def __init__(self, reason, machine):
        self.reason = reason
        self.command_line = machine.command_line
        self.log_path = machine.log_path
        self.console_tail = console.tail(machine.console)
        super().__init__(reason)

    def __str__(self):
        return (f'{self.reason}\n'
                f'reproduce: {self.command_line}\n'
                f'serial log: {self.log_path or "(not saved)"}\n'
                f'--- last console lines ---\n{self.console_tail}')


class KernelPanic(MachineError):
    """The console showed an oops or a panic.  Raised after QEMU exited (or
    did not exit in time), so `report` holds the whole crash output and
    exit_status / status_code what the machine ended with (None if absent)."""

    def __init__(self, reason, machine):
        self.report = console.crash_report(console.normalise(machine.console))
        self.exit_status = machine.exit_status
        self.status_code = console.status_code(machine.console)
        super().__init__(reason, machine)


class Hang(MachineError):
    """Nothing expected arrived before the deadline; QEMU still runs."""


class UnexpectedExit(MachineError):
    """QEMU exited while the harness was waiting for the kernel."""


class ExitMismatch(MachineError, AssertionError):
    """QEMU's exit status and the TESTBED-EXIT status line disagree, one is
    missing, or they agree on a code the test did not expect."""


def exit_verdict(exit_status, status_code):
    """Check QEMU's exit status against the kernel's status line.

    Poweroff must be exit status 0 with `TESTBED-EXIT: 0`; a failure must be
    a nonzero status with a nonzero code.  Returns the agreed code; raises
    ValueError (with both values) when either is missing or they disagree.
    """
    if status_code is None:
        raise ValueError(f'no TESTBED-EXIT line (QEMU exit status {exit_status})')
    if exit_status is None:
        raise ValueError(f'QEMU did not exit (TESTBED-EXIT: {status_code})')
    if (exit_status == 0) != (status_code == 0):
        raise ValueError(f'QEMU exit status {exit_status} disagrees with '
                         f'TESTBED-EXIT: {status_code}')
    return status_code


class Machine:
    """A QEMU guest for one arch: boot it, type at its shell, watch it exit.

    Guarantees: every wait ends with a result or one of KernelPanic, Hang,
    UnexpectedExit; kill() always leaves no QEMU process behind, and QEMU
    is killed if the thread that booted it dies (boot from a thread that
    outlives the machine, e.g. the main one); the whole
    console output is kept in `console` and, if log_path is given, in that
    file as it arrives.
    """

    def __init__(self, arch, smp=1, accel=None, extra_args=(), log_path=None):
        self.spec = ARCHES[resolve_arch(arch)]
        self.arch = self.spec.name
        self.smp = smp
        self.accel = accel or default_accel(smp)
        self.argv = qemu_command(self.arch, smp, accel, SERIAL_TEST, extra_args)
        self.command_line = shell_command(self.argv)
        self.log_path = log_path
        self.boot_seconds = None    # wall time from spawn to the first prompt
        self.banner = None          # (version, arch, smp) from the boot banner
        self.exit_status = None     # QEMU's, once reaped; -N if killed by signal N
        self.killed = False         # kill() had to stop a running QEMU
        self._child = None
        self._log = None
        self._chunks = []           # everything QEMU printed
        self._pending = ''          # printed but not yet consumed by a wait
        self._eof = False

    # ---- lifecycle -----------------------------------------------------

    def boot(self, timeout=None):
        """Start QEMU and wait for the first prompt; records boot_seconds and
        banner.  Raises FileNotFoundError if the image is missing."""
        if self._child is not None:
            raise RuntimeError('boot() called twice')
        if not self.spec.image_exists:
            raise FileNotFoundError(f'{self.spec.image} is missing (run make images)')
        if self.log_path is not None:
            os.makedirs(os.path.dirname(os.path.abspath(self.log_path)), exist_ok=True)
            self._log = open(self.log_path, 'w', encoding='utf-8')
            self._log.write(f'# {self.command_line}\n')
        start = time.monotonic()
        self._child = pexpect.spawn(self.argv[0], self.argv[1:], cwd=str(ROOT),
                                    encoding='utf-8', codec_errors='replace', timeout=None,
                                    preexec_fn=_qemu_preexec())
        # os.forkpty() leaves the pty master inheritable: any later child that
        # keeps fds (close_fds=False, os.system) would hold the console open,
        # and QEMU would outlive this process for as long as that child runs.
        os.set_inheritable(self._child.child_fd, False)
        self._wait(BOOT_PROMPT_RE, timeout or self.spec.timeout('boot'), 'the first prompt')
        self.boot_seconds = time.monotonic() - start
        if console.normalise(self.console).count('testbed: booting on') > 1:
            # a second hart ran the cold boot (README: the OpenSBI 1.1 race)
            raise MachineError('the kernel was entered twice at boot', self)
        m = console.BANNER_RE.search(console.normalise(self.console))
        self.banner = (m.group(1), m.group(2), int(m.group(3))) if m else None
        return self

    def alive(self):
        """True while the QEMU process exists (not yet reaped)."""
        return self._child is not None and self._child.isalive()

    def kill(self):
        """Stop QEMU if it still runs (SIGHUP, SIGINT, then SIGKILL) and reap
        it; close the log.  Safe to call at any time, any number of times."""
        try:
            if self._child is not None:
                self.killed = self.killed or self._child.isalive()
                self._child.close(force=True)
                self._record_exit()
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    def __enter__(self):
        if self._child is None:
            self.boot()
        return self

    def __exit__(self, *exc):
        self.kill()

    @property
    def pid(self):
        return self._child.pid if self._child is not None else None

    @property
    def console(self):
        """Everything QEMU printed so far, raw (`\\r\\n` line ends)."""
        return ''.join(self._chunks)

    def transcript(self):
        """The console so far as the tests read it: `\\n` line ends, printk
        timestamps removed."""
        return console.strip_timestamps(console.normalise(self.console))

    def describe(self):
        """Command line, log path and console tail, for failure reports."""
        boot = f'{self.boot_seconds:.3f}s' if self.boot_seconds is not None else 'no prompt'
        return (f'reproduce: {self.command_line}\n'
                f'serial log: {self.log_path or "(not saved)"}\n'
                f'boot to prompt: {boot}, QEMU exit status: {self.exit_status}'
                f'{" (killed by the harness)" if self.killed else ""}\n'
                f'--- last console lines ---\n{console.tail(self.console)}')

    # ---- the shell -----------------------------------------------------

    def send_raw(self, data):
        """Write bytes (or latin-1 str) to the console as they are, no waiting.
        Raises UnexpectedExit if QEMU already exited."""
        if self._child is None:
            raise RuntimeError('send before boot()')
        if self._eof:
            raise UnexpectedExit('QEMU has exited; cannot type at the console', self)
        if isinstance(data, str):
            data = data.encode('latin-1')
        view = memoryview(data)
        while view:
            view = view[os.write(self._child.child_fd, view):]

    def send_line(self, cmd, timeout=None):
        """Type `cmd` and Enter, wait until the shell echoed the line."""
        if not all(' ' <= c <= '~' for c in cmd):
            raise ValueError(f'send_line takes printable ASCII only: {cmd!r}')
        self.send_raw(cmd + '\r')
        self._wait(re.compile(re.escape(cmd) + r'\r\n'),
                   timeout or self.spec.timeout('command'), f"the echo of '{cmd}'")

    def read_output(self, timeout=None):
        """Wait for the next prompt; return the output before it, `\\r\\n`
        normalised to `\\n`, without the final newline."""
        m = self._wait(OUTPUT_PROMPT_RE, timeout or self.spec.timeout('command'),
                       'the next prompt', hint=console.PROMPT)
        return console.normalise(m.group(1)).removesuffix('\n')

    def run(self, cmd, timeout=None):
        """Run one shell command; return its output (see read_output)."""
        self.send_line(cmd, timeout)
        return self.read_output(timeout)

    def type(self, text, timeout=None):
        """Send `text` one character at a time as a user would, waiting for
        the echo of each printable character before the next."""
        for ch in text:
            self.send_raw(ch)
            if ' ' <= ch <= '~':
                self._wait(re.compile(re.escape(ch)),
                           timeout or self.spec.timeout('command'), f'the echo of {ch!r}')

    def enter(self, timeout=None):
        """Press Enter on a line built with type(); return the output as
        read_output() does."""
        self.send_raw('\r')
        self._wait(re.compile(r'\r\n'), timeout or self.spec.timeout('command'),
                   'the newline after Enter')
        return self.read_output(timeout)

    def expect(self, pattern, timeout=None):
        """Wait for regex `pattern` (str or compiled) in the unread console
        output; consume through it and return the match object."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        return self._wait(regex, timeout or self.spec.timeout('command'), f'/{regex.pattern}/')

    # ---- exit ----------------------------------------------------------

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit (a crash is expected here, not raised).
        Returns (QEMU exit status, TESTBED-EXIT code or None)."""
        timeout = timeout or self.spec.timeout('command')
        deadline = time.monotonic() + timeout
        while not self._eof:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Hang(f'QEMU did not exit within {timeout:g}s', self)
            self._read(left)
        self._pending = ''
        if self.exit_status is None:
            raise Hang(f'QEMU closed its console but did not exit within '
                       f'{REAP_TIMEOUT:g}s', self)
        return self.exit_status, console.status_code(self.console)

    def assert_exit(self, expected_code, timeout=None):
        """wait_exit(), then raise ExitMismatch unless QEMU's exit status and
        the status line agree (exit_verdict) on `expected_code`."""
        status, code = self.wait_exit(timeout)
        try:
            verdict = exit_verdict(status, code)
        except ValueError as e:
            raise ExitMismatch(str(e), self) from None
        if verdict != expected_code:
            raise ExitMismatch(f'expected TESTBED-EXIT: {expected_code}, got {verdict} '
                               f'(QEMU exit status {status})', self)
        return status, code

    # ---- internals -----------------------------------------------------

    def _wait(self, regex, timeout, what, hint=None):
        """Read until `regex` matches the unread output and consume through
        the match.  A crash marker before the end of the match raises
        KernelPanic; EOF raises UnexpectedExit; the deadline raises Hang.

        Scanning is incremental, so reading megabytes stays linear: crash
        markers are looked for only in new text (plus an overlap), and when
        `hint` is given (a string every match must contain) the regex runs
        only once new text contains it."""
        deadline = time.monotonic() + timeout
        scanned = 0             # chars of _pending already looked at
        while True:
            start = max(0, scanned - SCAN_OVERLAP)
            m = None
            if hint is None or self._pending.find(hint, start) >= 0:
                m = regex.search(self._pending)
            crash = console.CRASH_RE.search(self._pending, start)
            if crash and (m is None or crash.start() < m.end()):
                self._crashed()
            if m:
                self._pending = self._pending[m.end():]
                return m
            scanned = len(self._pending)
            if self._eof:
                raise UnexpectedExit(f'QEMU exited (status {self.exit_status}, TESTBED-EXIT: '
                                     f'{console.status_code(self.console)}) while waiting '
                                     f'for {what}', self)
            left = deadline - time.monotonic()
            if left <= 0:
                raise Hang(f'timed out after {timeout:g}s waiting for {what}', self)
            self._read(left)

    def _read(self, timeout):
        """Append whatever QEMU prints within `timeout` to the transcript;
        on EOF, reap QEMU."""
        try:
            data = self._child.read_nonblocking(65536, timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self._eof = True
            deadline = time.monotonic() + REAP_TIMEOUT
            while self._child.isalive() and time.monotonic() < deadline:
                time.sleep(0.01)    # polling a dying process, not the console
            self._record_exit()
            return
        self._chunks.append(data)
        self._pending += data
        if self._log is not None:
            self._log.write(data)
            self._log.flush()

    def _record_exit(self):
        """Remember QEMU's exit status once the process is reaped."""
        if self.exit_status is None and not self._child.isalive():
            sig = self._child.signalstatus
            self.exit_status = -sig if sig is not None else self._child.exitstatus

    def _crashed(self):
        """Collect the rest of the crash output until QEMU exits, then raise
        KernelPanic naming the first crash line."""
        deadline = time.monotonic() + self.spec.timeout('command')
        while not self._eof and time.monotonic() < deadline:
            self._read(deadline - time.monotonic())
        self._pending = ''
        report = console.crash_report(console.normalise(self.console))
        reason = console.strip_timestamps(report.split('\n', 1)[0])
        if self._eof:
            reason += (f' (QEMU exit status {self.exit_status}, '
                       f'TESTBED-EXIT: {console.status_code(self.console)})')
        else:
            reason += f' (QEMU still running {self.spec.timeout("command"):g}s later)'
        raise KernelPanic(reason, self)
