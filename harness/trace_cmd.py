"""`python3 -m harness trace`: trace one console command, the way
`perf ftrace` / `trace-cmd record` trace one program.

    python3 -m harness trace --arch ARCH [-p TRACER] [-T GLOB] [-N GLOB]
        [-G FUNC] [-D DEPTH] [--smp N] [--json FILE] -- CONSOLE COMMAND...

Boots the kernel, configures the tracer (-T set_ftrace_filter, -N
set_ftrace_notrace, -G set_graph_function, -D max_graph_depth; each may
repeat), clears the buffer, runs the command at the console, stops
recording, prints the trace body on stdout (the command's own output goes
to stderr) and powers off.  --json also writes the function_graph trace as
Chrome trace-event JSON, one track per CPU, which Perfetto's UI opens.
Every setup command is checked: one that fails stops the run with its
error line and exit status 1.
"""
import os
import sys

from . import tracefmt
from .arches import RESULTS_DIR
from .machine import Machine, MachineError

TRACERS = ('function_graph', 'function', 'nop')


class TraceError(Exception):
    """A setup command or the traced command failed."""


def add_parser(sub, arch_arg):
    """The `trace` subcommand's options (the command follows `--`)."""
    s = sub.add_parser('trace', help='trace one console command (perf ftrace style)',
                       usage='python3 -m harness trace --arch ARCH [-p TRACER] [-T GLOB] '
                             '[-N GLOB] [-G FUNC] [-D DEPTH] [--smp N] [--json FILE] '
                             '-- CONSOLE COMMAND...')
    s.add_argument('--arch', type=arch_arg, required=True,
                   help='x86_64 (x86) or riscv64 (riscv), or a -mcount flavour')
    s.add_argument('-p', '--tracer', choices=TRACERS, default='function_graph',
                   help='tracer (default function_graph, as perf ftrace)')
    s.add_argument('-T', dest='trace_funcs', action='append', default=[], metavar='GLOB',
                   help='trace only these functions (set_ftrace_filter)')
    s.add_argument('-N', dest='notrace_funcs', action='append', default=[], metavar='GLOB',
                   help='never trace these (set_ftrace_notrace)')
    s.add_argument('-G', dest='graph_funcs', action='append', default=[], metavar='FUNC',
                   help='graph only inside these (set_graph_function)')
    s.add_argument('-D', dest='depth', type=int, default=None, metavar='DEPTH',
                   help='graph at most this deep (max_graph_depth)')
    s.add_argument('--smp', type=int, default=1, help='number of CPUs (default 1)')
    s.add_argument('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None)
    s.add_argument('--json', metavar='FILE', default=None,
                   help='also write Chrome trace-event JSON (function_graph only)')
    return s


def setup_commands(args):
    """The console lines that configure the tracer, in order."""
    cmds = []
    if args.trace_funcs:
        cmds.append(f"echo '{' '.join(args.trace_funcs)}' > set_ftrace_filter")
    if args.notrace_funcs:
        cmds.append(f"echo '{' '.join(args.notrace_funcs)}' > set_ftrace_notrace")
    if args.graph_funcs:
        cmds.append(f"echo '{' '.join(args.graph_funcs)}' > set_graph_function")
    if args.depth is not None:
        cmds.append(f'echo {args.depth} > max_graph_depth')
    if args.json:
        cmds.append('echo 1 > options/funcgraph-abstime')   # begin/end times
    cmds += [f'echo {args.tracer} > current_tracer', 'echo > trace']
    return cmds


def checked(machine, cmd, timeout=None):
    """Run `cmd`; its output, or TraceError naming it and its error line."""
    out = machine.run(cmd, timeout)
    if 'error:' in out:
        raise TraceError(f'{cmd!r} failed: {out.strip()}')
    return out


def trace(args, out=sys.stdout, err=sys.stderr):
    """Boot, trace, print; returns the trace text (`cat trace`)."""
    command = ' '.join(args.qemu_args)
    log = RESULTS_DIR / 'logs' / f'trace-{args.arch}-{os.getpid()}.log'
    with Machine(args.arch, smp=args.smp, accel=args.accel, log_path=log) as m:
        for cmd in setup_commands(args):
            checked(m, cmd)
        result = m.run(command, timeout=120)
        if result:
            print(result, file=err)
        checked(m, 'echo 0 > tracing_on')
        text = checked(m, 'cat trace', timeout=600)
        for line in tracefmt.graph_body(text):
            print(line, file=out)
        m.send_line('poweroff')
        m.assert_exit(0)
    if 'error:' in result:
        raise TraceError(f'the traced command failed: {result.strip()}')
    return text


def main(args):
    """The `trace` subcommand: 0, 1 (a command failed) or 2 (bad usage)."""
    if not args.qemu_args:
        print('error: no console command given (put it after `--`)', file=sys.stderr)
        return 2
    if args.json and args.tracer != 'function_graph':
        print('error: --json needs the function_graph tracer', file=sys.stderr)
        return 2
    try:
        text = trace(args)
    except (TraceError, MachineError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    if args.json:
        data = tracefmt.write_chrome_trace(args.json, tracefmt.parse_graph(text),
                                           f'testbed {args.arch}', range(args.smp))
        tracks = sum(1 for e in data['traceEvents'] if e['name'] == 'thread_name')
        print(f'{args.json}: {len(data["traceEvents"])} events on {tracks} CPU tracks '
              '(opens in Perfetto\'s UI)', file=sys.stderr)
    return 0
