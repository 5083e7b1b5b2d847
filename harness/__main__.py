"""Command line: boot a kernel by hand, debug it, or print its QEMU command.

    python3 -m harness run     --arch x86_64|riscv64 [--smp N] [--accel tcg|tcg-mt|kvm] [-- QEMU_ARGS]
        (--accel defaults to tcg-mt with more than one CPU, tcg with one)
    python3 -m harness debug   --arch ... [--smp N] [--gdb-port 1234] [-- QEMU_ARGS]
    python3 -m harness cmdline --arch ... [--smp N] [--test] [-- QEMU_ARGS]

`x86` and `riscv` are accepted for --arch.  Anything after `--` is appended
to QEMU's arguments.
"""
import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time

from .arches import (ARCHES, RESULTS_DIR, ROOT, SERIAL_INTERACTIVE, SERIAL_TEST,
                     UnsupportedConfig, qemu_command, resolve_arch, shell_command)

LISTEN_TIMEOUT = 10.0   # seconds for QEMU to open its gdb port
PR_SET_PDEATHSIG = 1    # <linux/prctl.h>


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
                       help='x86_64 (x86) or riscv64 (riscv)')
        s.add_argument('--smp', type=int, default=1, help='number of CPUs (default 1)')
        s.add_argument('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None,
                       help='default: tcg-mt with more than one CPU, else tcg')
        if name == 'debug':
            s.add_argument('--gdb-port', type=int, default=1234,
                           help='gdb stub port; the console is on the next port')
        if name == 'cmdline':
            s.add_argument('--test', action='store_true',
                           help="the tests' console wiring instead of the interactive one")
    args = p.parse_args(argv)
    args.qemu_args = extra
    return args


def need_image(arch):
    """Exit with a message if the arch's kernel image was not built."""
    spec = ARCHES[arch]
    if not spec.image_exists:
        sys.exit(f'{spec.image} is missing: build it with `make ARCH={arch} kernel`')


def cmd_run(args):
    """Replace this process with QEMU, console and monitor on the terminal."""
    need_image(args.arch)
    argv = qemu_command(args.arch, args.smp, args.accel, SERIAL_INTERACTIVE, args.qemu_args)
    print(shell_command(argv), file=sys.stderr)
    print('quit with Ctrl-A X (Ctrl-A C: QEMU monitor)', file=sys.stderr, flush=True)
    os.chdir(ROOT)
    os.execvp(argv[0], argv)


def port_listening(port):
    """True if some socket listens on TCP `port` (read from /proc/net)."""
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(table) as f:
                rows = f.read().split('\n')[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 3 and cols[3] == '0A' and int(cols[1].rsplit(':', 1)[1], 16) == port:
                return True
    return False


def _die_with_parent():
    """In the child before exec: get SIGTERM when the parent dies (Linux
    prctl PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def cmd_debug(args):
    """QEMU halted at the first instruction in the background, gdb-multiarch
    attached in the foreground; QEMU is killed when gdb exits."""
    need_image(args.arch)
    spec = ARCHES[args.arch]
    con_port = args.gdb_port + 1
    log = RESULTS_DIR / 'logs' / f'debug-{args.arch}.log'
    log.parent.mkdir(parents=True, exist_ok=True)
    serial = ('-chardev', f'socket,id=con0,host=127.0.0.1,port={con_port},server=on,'
              f'wait=off,logfile={log.relative_to(ROOT)}',
              '-serial', 'chardev:con0', '-monitor', 'none')
    argv = qemu_command(args.arch, args.smp, args.accel, serial,
                        ['-S', '-gdb', f'tcp:127.0.0.1:{args.gdb_port}', *args.qemu_args])
    gdb = ['gdb-multiarch', spec.image, '-ex', f'set architecture {spec.gdb_arch}',
           '-ex', f'target remote :{args.gdb_port}']
    print(shell_command(argv), file=sys.stderr)
    print(f'console: tcp 127.0.0.1:{con_port} (e.g. `nc 127.0.0.1 {con_port}`), '
          f'logged to {log}', file=sys.stderr, flush=True)
    # Own session: Ctrl-C in gdb must interrupt the guest, not kill QEMU.
    # Parent-death signal: QEMU goes away even if this process is killed.
    qemu = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=_die_with_parent)
    try:
        deadline = time.monotonic() + LISTEN_TIMEOUT
        while not port_listening(args.gdb_port):
            if qemu.poll() is not None:
                sys.exit(f'QEMU exited with status {qemu.returncode} before gdb attached')
            if time.monotonic() > deadline:
                sys.exit(f'QEMU did not open gdb port {args.gdb_port} in {LISTEN_TIMEOUT:g}s')
            time.sleep(0.05)
        print(shell_command(gdb), file=sys.stderr, flush=True)
        # gdb owns Ctrl-C while it runs; a no-op handler (not SIG_IGN,
        # which exec would pass on) keeps this process alive to clean up.
        signal.signal(signal.SIGINT, lambda *_: None)
        return subprocess.call(gdb, cwd=ROOT)
    finally:
        qemu.terminate()
        try:
            qemu.wait(5)
        except subprocess.TimeoutExpired:
            qemu.kill()
            qemu.wait()


def cmd_cmdline(args):
    """Print the command line `run` would exec (or the tests', --test)."""
    serial = SERIAL_TEST if args.test else SERIAL_INTERACTIVE
    print(shell_command(qemu_command(args.arch, args.smp, args.accel, serial, args.qemu_args)))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return {'run': cmd_run, 'debug': cmd_debug, 'cmdline': cmd_cmdline}[args.cmd](args)
    except UnsupportedConfig as e:
        sys.exit(f'error: {e}')


if __name__ == '__main__':
    sys.exit(main())
