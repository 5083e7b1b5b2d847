"""Command line: boot a kernel by hand, debug it, or print its QEMU command.

    python3 -m harness run     --arch x86_64|riscv64 [--smp N] [--accel tcg|tcg-mt|kvm] [-- QEMU_ARGS]
        (--accel defaults to tcg-mt with more than one CPU, tcg with one)
    python3 -m harness debug   --arch ... [--smp N] [--gdb-port P] [--console-port P] [-- QEMU_ARGS]
    python3 -m harness console PORT
    python3 -m harness cmdline --arch ... [--smp N] [--test] [-- QEMU_ARGS]
    python3 -m harness trace   --arch ... [-p TRACER] [-T GLOB] [-N GLOB] [-G FUNC] [-D DEPTH]
                               [--smp N] [--json FILE] -- CONSOLE COMMAND...

`x86` and `riscv` are accepted for --arch.  Anything after `--` is appended
to QEMU's arguments (for `trace`: it is the console command to trace).  `debug` picks free ports unless told, prints them, and
logs the console to a file of its own, so several sessions can run at once;
`console PORT` attaches this terminal to a debug session's console.
"""
import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import termios
import tty

from . import proc, trace_cmd
from .arches import (ARCHES, RESULTS_DIR, ROOT, SERIAL_INTERACTIVE, SERIAL_TEST,
                     UnsupportedConfig, qemu_command, resolve_arch, shell_command)

LISTEN_TIMEOUT = 10.0   # seconds for QEMU to open its gdb and console ports
CONSOLE_QUIT = b'\x1d'  # Ctrl-]: leaves `console`, as in telnet
HOST = '127.0.0.1'      # debug ports listen on loopback only


def arch_arg(name):
    """argparse type: canonical arch name from a name or alias."""
    try:
        return resolve_arch(name)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parse_args(argv):
    """Split off `-- QEMU_ARGS` and parse the rest; returns the namespace
    with .qemu_args set."""
    extra = []
    if '--' in argv:
        i = argv.index('--')
        argv, extra = argv[:i], argv[i + 1:]
    p = argparse.ArgumentParser(prog='python3 -m harness', description=__doc__.split('\n')[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    for name, help_ in (('run', 'boot with the console on this terminal'),
                        ('debug', 'boot halted under gdb-multiarch'),
                        ('cmdline', 'print the QEMU command line')):
        s = sub.add_parser(name, help=help_)
        s.add_argument('--arch', type=arch_arg, required=True,
                       help='x86_64 (x86), riscv64 (riscv), x86_64-mcount or riscv64-mcount')
        s.add_argument('--smp', type=int, default=1, help='number of CPUs (default 1)')
        s.add_argument('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None,
                       help='default: tcg-mt with more than one CPU, else tcg')
        if name == 'debug':
            s.add_argument('--gdb-port', type=int, default=0,
                           help='gdb stub port (default: a free one, printed)')
            s.add_argument('--console-port', type=int, default=0,
                           help='console TCP port (default: a free one, printed)')
        if name == 'cmdline':
            s.add_argument('--test', action='store_true',
                           help="the tests' console wiring instead of the interactive one")
    trace_cmd.add_parser(sub, arch_arg)
    s = sub.add_parser('console', help="attach this terminal to a debug session's console")
    s.add_argument('port', type=int, help='the console port `debug` printed')
    args = p.parse_args(argv)
    args.qemu_args = extra
    return args


def need_image(arch):
    """Exit with a message if the arch's kernel image was not built."""
    spec = ARCHES[arch]
    if not spec.image_exists:
        sys.exit(f'{spec.image} is missing: build it with `make ARCH={arch} kernel`')


def note(text):
    """A status line on stderr.  After a hangup the terminal refuses writes;
    that must not stop the cleanup that follows."""
    try:
        print(text, file=sys.stderr, flush=True)
    except OSError:
        pass


def cmd_run(args):
    """QEMU with console and monitor on this terminal, as a child that this
    process stops when the terminal hangs up or it gets SIGHUP/SIGTERM, and
    that dies with it.  (Exec'ing QEMU instead left it running when make
    was the session leader: make took the hangup and waited for QEMU.)
    Returns QEMU's exit status, or 128+signal when stopped."""
    need_image(args.arch)
    argv = qemu_command(args.arch, args.smp, args.accel, SERIAL_INTERACTIVE, args.qemu_args)
    note(shell_command(argv))
    note('quit with Ctrl-A X (Ctrl-A C: QEMU monitor)')
    term = proc.terminal_fd(0)
    saved = proc.save_terminal(term)
    previous = proc.catch_stop_signals()
    qemu = None
    try:
        qemu = subprocess.Popen(argv, cwd=ROOT, preexec_fn=proc.die_with_parent(signal.SIGTERM))
        hangup = proc.wait_or_hangup(qemu, term)
        if hangup is None:
            return proc.exit_status(qemu.returncode)
        return 128 + hangup
    except proc.Stop as e:
        return 128 + e.signum
    finally:
        if qemu is not None:
            proc.stop(qemu)
        proc.restore_terminal(term, saved)
        proc.restore_signals(previous)


def debug_ports(args):
    """(gdb port, console port): the ones asked for, free ones otherwise."""
    free = iter(proc.free_ports(2))
    return args.gdb_port or next(free), args.console_port or next(free)


def debug_log(arch):
    """This session's console log.  Named by this process's pid, which no
    other live session has: QEMU truncates its log file when it starts
    (even when it then fails), so a shared name erased the first session's
    log as soon as a second one was tried."""
    log = RESULTS_DIR / 'logs' / f'debug-{arch}-{os.getpid()}.log'
    log.parent.mkdir(parents=True, exist_ok=True)
    return log


def debug_qemu_command(args, gdb_port, con_port, log):
    """QEMU halted at the first instruction, gdb stub on `gdb_port`, console
    on a TCP server socket on `con_port` that logs to `log`."""
    serial = ('-chardev', f'socket,id=con0,host={HOST},port={con_port},server=on,'
              f'wait=off,logfile={log.relative_to(ROOT)}',
              '-serial', 'chardev:con0', '-monitor', 'none')
    return qemu_command(args.arch, args.smp, args.accel, serial,
                        ['-S', '-gdb', f'tcp:{HOST}:{gdb_port}', *args.qemu_args])


def start_debug_qemu(argv, ports):
    """Start QEMU for `debug` and wait until it listens on `ports` itself;
    exits with a message if it cannot (port taken, QEMU error), leaving
    nothing running."""
    # Own session: Ctrl-C in gdb must interrupt the guest, not kill QEMU.
    # Parent-death signal: QEMU goes away even if this process is killed.
    qemu = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=proc.die_with_parent(signal.SIGTERM))
    failure = proc.wait_listening(qemu, ports, LISTEN_TIMEOUT)
    if failure:
        proc.stop(qemu)
        sys.exit(f'error: {failure}; nothing was attached')
    return qemu


def print_debug_banner(gdb_port, con_port, log):
    """Tell the user where everything is; the ports change every session."""
    note(f'gdb stub: {HOST}:{gdb_port} (QEMU halted at the first instruction; `continue` boots)')
    note(f'console:  {HOST}:{con_port}; attach from another terminal with '
         f'`{sys.executable} -m harness console {con_port}` (Ctrl-] detaches)')
    note(f'console log: {log.relative_to(ROOT)} (everything the kernel prints)')


def cmd_debug(args):
    """QEMU halted at the first instruction in the background, gdb-multiarch
    attached in the foreground.  Both are stopped when gdb exits, when the
    terminal hangs up (gdb waiting on a running guest does not notice), or
    when this process gets SIGHUP/SIGTERM; QEMU also dies with this process.
    Returns gdb's exit status, or 128+signal when stopped."""
    need_image(args.arch)
    spec = ARCHES[args.arch]
    gdb_port, con_port = debug_ports(args)
    log = debug_log(args.arch)
    argv = debug_qemu_command(args, gdb_port, con_port, log)
    note(shell_command(argv))
    term = proc.terminal_fd(0)
    previous = proc.catch_stop_signals()
    qemu = gdb = None
    try:
        qemu = start_debug_qemu(argv, (gdb_port, con_port))
        print_debug_banner(gdb_port, con_port, log)
        gdb_argv = ['gdb-multiarch', spec.image, '-ex', f'set architecture {spec.gdb_arch}',
                    '-ex', f'target remote {HOST}:{gdb_port}']
        note(shell_command(gdb_argv))
        # gdb owns Ctrl-C while it runs; a no-op handler (not SIG_IGN,
        # which exec would pass on) keeps this process alive to clean up.
        signal.signal(signal.SIGINT, lambda *_: None)
        gdb = subprocess.Popen(gdb_argv, cwd=ROOT)
        hangup = proc.wait_or_hangup(gdb, term)
        return gdb.returncode if hangup is None else 128 + hangup
    except proc.Stop as e:
        return 128 + e.signum
    finally:
        for child in (gdb, qemu):
            if child is not None:
                proc.stop(child)
        proc.restore_signals(previous)


def relay(sock, fd_in, fd_out):
    """Copy bytes both ways between the terminal and the console socket
    until either side closes, the terminal hangs up, or Ctrl-] is typed."""
    while True:
        ready, _, _ = select.select([sock, fd_in], [], [])
        if sock in ready:
            data = sock.recv(65536)
            if not data:
                return 'the console closed (QEMU exited)'
            os.write(fd_out, data)
        if fd_in in ready:
            try:
                data = os.read(fd_in, 1024)
            except OSError:
                data = b''                  # EIO: the terminal hung up
            if not data:
                return 'end of input'
            quit_at = data.find(CONSOLE_QUIT)
            sock.sendall(data if quit_at < 0 else data[:quit_at])
            if quit_at >= 0:
                return 'detached'


def cmd_console(args):
    """Attach this terminal to a debug session's console socket (the
    install script brings no nc/telnet; this one also passes Ctrl-C, Up and
    Down through to the kernel's line editor by putting the terminal in
    raw mode)."""
    try:
        sock = socket.create_connection((HOST, args.port), timeout=5)
    except OSError as e:
        sys.exit(f'error: cannot connect to {HOST}:{args.port}: {e.strerror or e}')
    sock.settimeout(None)
    note(f'connected to {HOST}:{args.port}; Ctrl-] detaches')
    term = proc.terminal_fd(0)
    saved = proc.save_terminal(term)
    try:
        if term is not None:
            tty.setraw(term, termios.TCSANOW)
        why = relay(sock, 0, 1)
    finally:
        proc.restore_terminal(term, saved)
        sock.close()
    note(f'\r\nconsole: {why}')
    return 0


def cmd_cmdline(args):
    """Print the command line `run` would start (or the tests', --test)."""
    serial = SERIAL_TEST if args.test else SERIAL_INTERACTIVE
    print(shell_command(qemu_command(args.arch, args.smp, args.accel, serial, args.qemu_args)))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    commands = {'run': cmd_run, 'debug': cmd_debug, 'console': cmd_console,
                'cmdline': cmd_cmdline, 'trace': trace_cmd.main}
    try:
        return commands[args.cmd](args)
    except UnsupportedConfig as e:
        sys.exit(f'error: {e}')


if __name__ == '__main__':
    sys.exit(main())
