"""Keeping QEMU's lifetime tied to the harness process that started it.

QEMU must never outlive the harness: not when the harness is killed (an
xdist worker taking SIGKILL), not when its terminal goes away (the window
of `make run-x86` closed), not when it is asked to stop (SIGTERM, SIGHUP).
The helpers here give each of those a mechanism that does not depend on
who else holds a file descriptor or which process the kernel signals.
"""
import ctypes
import os
import select
import signal
import socket
import subprocess
import termios
import time

PR_SET_PDEATHSIG = 1            # <linux/prctl.h>
STOP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
STOP_TIMEOUT = 5.0              # seconds QEMU gets to exit after SIGTERM
LISTEN_POLL = 0.02              # seconds between looks at QEMU's sockets


class Stop(Exception):
    """Raised in the main thread by a SIGHUP/SIGTERM handler: the harness was
    asked to go away and must take its children with it."""

    def __init__(self, signum):
        self.signum = signum
        super().__init__(f'stopped by {signal.Signals(signum).name}')


def die_with_parent(sig):
    """A preexec function for a child: the kernel sends it `sig` when this
    process (strictly, the thread that forks it) dies, however it dies.

    Called in the parent; the returned function runs in the child between
    fork and exec.  A parent that died before the prctl took effect is
    caught by comparing getppid() with the pid captured here."""
    parent = os.getpid()

    def preexec():
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(sig))
        if os.getppid() != parent:
            os.kill(os.getpid(), sig)
    return preexec


def _raise_stop(signum, _frame):
    """SIGHUP/SIGTERM handler: unwind the harness through its finally blocks
    (which stop QEMU) instead of dying on the spot."""
    raise Stop(signum)


def catch_stop_signals():
    """Turn SIGHUP and SIGTERM into Stop; returns the previous handlers for
    restore_signals()."""
    return {s: signal.signal(s, _raise_stop) for s in STOP_SIGNALS}


def restore_signals(previous):
    """Put back handlers saved by catch_stop_signals()."""
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def stop(proc, timeout=STOP_TIMEOUT):
    """Make sure `proc` (a Popen) has exited and is reaped: SIGTERM (QEMU then
    restores the terminal and closes its sockets), SIGKILL if it is still
    there after `timeout`.  A second Stop signal meanwhile is ignored, so
    cleanup is not cut short."""
    if proc.poll() is not None:
        return
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in STOP_SIGNALS}
    try:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        restore_signals(previous)


def wait_or_hangup(proc, tty_fd):
    """Block until `proc` exits (returns None) or the terminal `tty_fd` hangs
    up (returns signal.SIGHUP).

    The terminal is watched because the kernel signals only the session
    leader when a terminal goes away; under `make run-x86` that is make,
    which then waits for its children instead of stopping them.  The tty is
    registered edge-triggered for input: the harness never reads it (QEMU
    does), so a level-triggered watch would spin on every keystroke, while
    the hangup wakes input waiters and is reported with EPOLLHUP."""
    pidfd = os.pidfd_open(proc.pid)
    try:
        with select.epoll() as ep:
            ep.register(pidfd, select.EPOLLIN)
            if tty_fd is not None:
                ep.register(tty_fd, select.EPOLLIN | select.EPOLLET)
            while True:
                for fd, events in ep.poll():
                    if fd == pidfd:
                        proc.wait()
                        return None
                    if events & (select.EPOLLHUP | select.EPOLLERR):
                        return signal.SIGHUP
    finally:
        os.close(pidfd)


def terminal_fd(fd=0):
    """`fd` if it is a terminal (whose hangup should stop QEMU), else None."""
    return fd if os.isatty(fd) else None


def save_terminal(fd):
    """The terminal's attributes, to restore if QEMU dies without doing it
    (SIGKILL leaves the terminal raw); None if `fd` is no terminal."""
    try:
        return termios.tcgetattr(fd) if fd is not None else None
    except termios.error:
        return None


def restore_terminal(fd, attrs):
    """Best effort: a hung-up terminal refuses, and nobody is there to care."""
    if attrs is None:
        return
    try:
        termios.tcsetattr(fd, termios.TCSADRAIN, attrs)
    except (termios.error, OSError):
        pass


def exit_status(returncode):
    """A Popen returncode as a shell exit status (128+N for signal N)."""
    return 128 - returncode if returncode < 0 else returncode


def free_ports(count, host='127.0.0.1'):
    """`count` distinct TCP ports free on `host` right now, chosen by the
    kernel (bind to port 0).  The sockets are held until all are chosen so
    the same port cannot come back twice; another process may still take
    one before QEMU binds it, which QEMU reports and the caller fails on."""
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind((host, 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def socket_inodes(pid):
    """Inode numbers of the sockets process `pid` has open (from /proc)."""
    inodes = set()
    fd_dir = f'/proc/{pid}/fd'
    for name in os.listdir(fd_dir):
        try:
            target = os.readlink(f'{fd_dir}/{name}')
        except OSError:
            continue            # closed meanwhile
        if target.startswith('socket:['):
            inodes.add(int(target[8:-1]))
    return inodes


def listening_ports(pid):
    """TCP ports on which process `pid` itself has a listening socket.

    Matching socket inodes, not just port numbers, is the point: "someone
    listens on 1234" was how a second debug session attached its gdb to the
    first session's QEMU."""
    inodes = socket_inodes(pid)
    ports = set()
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as f:
                rows = f.read().split('\n')[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == '0A' and int(cols[9]) in inodes:
                ports.add(int(cols[1].rsplit(':', 1)[1], 16))
    return ports


def wait_listening(proc, ports, timeout):
    """Wait until `proc` (a Popen) listens on every port in `ports`.

    Returns None when it does, else a sentence saying why not (it exited, or
    the deadline passed).  Polls /proc: a socket entering the listening
    state has no event to wait on from another process."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            return f'QEMU exited with status {proc.returncode} before listening on ' \
                   f'{", ".join(map(str, sorted(ports)))}'
        try:
            if set(ports) <= listening_ports(proc.pid):
                return None
        except FileNotFoundError:
            continue            # exited between poll() and /proc: poll() says so next
        if time.monotonic() > deadline:
            return f'QEMU did not listen on {", ".join(map(str, sorted(ports)))} ' \
                   f'within {timeout:g}s'
        time.sleep(LISTEN_POLL)
