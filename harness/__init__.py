"""Test harness for the tracing testbed kernel: boots QEMU, drives the serial
console shell, and checks how the machine ended (docs/console-protocol.md).

    from harness import Machine
    with Machine('x86_64', smp=2, log_path='x.log') as m:
        print(m.run('version'))
"""
from .arches import (ALIASES, ARCHES, ROOT, RESULTS_DIR, ArchSpec, UnsupportedConfig,
                     check_accel, default_accel, qemu_command, resolve_arch,
                     shell_command)
from .console import (call_trace, crash_report, key_values, records, status_code,
                      strip_timestamps)
from .machine import (ExitMismatch, Hang, KernelPanic, Machine, MachineError,
                      UnexpectedExit, exit_verdict)

__all__ = [
    'ALIASES', 'ARCHES', 'ROOT', 'RESULTS_DIR', 'ArchSpec', 'UnsupportedConfig',
    'check_accel', 'default_accel', 'qemu_command', 'resolve_arch', 'shell_command',
    'call_trace', 'crash_report', 'key_values', 'records', 'status_code',
    'strip_timestamps',
    'ExitMismatch', 'Hang', 'KernelPanic', 'Machine', 'MachineError',
    'UnexpectedExit', 'exit_verdict',
]
