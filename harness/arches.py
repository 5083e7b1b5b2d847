"""The per-architecture table and the QEMU command lines built from it.

Everything that differs between x86_64 and riscv64 lives in ARCHES; the rest
of the harness only reads it.  Command lines use paths relative to the repo
root (ROOT) and QEMU is always started from there, so a printed command line
can be pasted into a shell at the repo root as it is.
"""
import os
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / 'images' / 'results'

# Accelerators.  'tcg-mt' runs each vCPU on its own host thread
# (thread=multi): CPUs execute at the same instant, which is what the
# patching proofs need; it is the default for every machine with more than
# one CPU.  'tcg' runs all vCPUs on one host thread, round robin
# (thread=single), the default for one CPU and the way to compare.  QEMU 7.2's
# multi-threaded TCG can keep running code translated from bytes another
# vCPU has since overwritten; the kernel repairs that itself (README, "A QEMU
# finding"; kernel/trace/text_poke.c).
ACCELS = ('tcg', 'tcg-mt', 'kvm')
ACCEL_ARGS = {'tcg': 'tcg,thread=single', 'tcg-mt': 'tcg,thread=multi', 'kvm': 'kvm'}

# Console wiring.  Automated runs: a plain stdio chardev, no mux (so 0x01
# bytes reach the guest instead of being QEMU monitor escapes) and
# signal=off (so a 0x03 byte reaches the guest instead of killing QEMU).
# Interactive runs: the same chardev muxed with the monitor, Ctrl-A X quits.
SERIAL_TEST = ('-chardev', 'stdio,id=con0,signal=off',
               '-serial', 'chardev:con0', '-monitor', 'none')
SERIAL_INTERACTIVE = ('-chardev', 'stdio,id=con0,mux=on,signal=off',
                      '-serial', 'chardev:con0',
                      '-mon', 'chardev=con0,mode=readline')


class UnsupportedConfig(ValueError):
    """The requested arch/accelerator combination cannot run here."""


@dataclass(frozen=True)
class ArchSpec:
    """How to boot the kernel of one architecture under QEMU.

    Timeouts are seconds under TCG on an idle host; they are multiplied by
    the TESTBED_TIMEOUT_SCALE environment variable (default 1) for slow or
    crowded CI machines.
    """
    name: str               # 'x86_64', 'riscv64' or a flavour, as in images/<name>/
    qemu: str               # QEMU system emulator binary
    machine: str            # -machine
    cpu: str | None         # -cpu, or None for the machine's default
    firmware: str | None    # -bios, or None for QEMU's default
    devices: tuple          # extra -device options (each one string)
    gdb_arch: str           # gdb `set architecture` name
    kvm: bool               # whether -accel kvm is supported by this harness
    memory: str = '256M'
    boot_timeout: float = 30.0
    command_timeout: float = 10.0

    @property
    def kernel_arch(self):
        """The architecture the kernel reports (a flavour's base arch)."""
        return self.name.split('-')[0]

    @property
    def image(self):
        """Kernel image path, relative to ROOT."""
        return f'images/{self.name}/kernel.elf'

    @property
    def image_exists(self):
        return (ROOT / self.image).is_file()

    def timeout(self, kind):
        """'boot' or 'command' timeout in seconds, scaled for the host."""
        scale = float(os.environ.get('TESTBED_TIMEOUT_SCALE', '1'))
        return getattr(self, f'{kind}_timeout') * scale


ARCHES = {
    'x86_64': ArchSpec(
        name='x86_64', qemu='qemu-system-x86_64', machine='q35', cpu='max',
        firmware=None,   # the ELF has a PVH note: QEMU loads it directly
        devices=('isa-debug-exit,iobase=0xf4,iosize=0x04',),
        gdb_arch='i386:x86-64', kvm=True,
        boot_timeout=30.0, command_timeout=10.0),
    'riscv64': ArchSpec(
        name='riscv64', qemu='qemu-system-riscv64', machine='virt', cpu=None,
        firmware='/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin',
        devices=(), gdb_arch='riscv:rv64', kvm=False,
        boot_timeout=60.0, command_timeout=20.0),
}

# Build flavours boot like their arch from their own image directory:
# x86_64-mcount is the classic `-pg` (call mcount after the prologue) build
# of `make MCOUNT=1`; the default images use entry sites (fentry/patchable).
ARCHES['x86_64-mcount'] = replace(ARCHES['x86_64'], name='x86_64-mcount')
ARCHES['riscv64-mcount'] = replace(ARCHES['riscv64'], name='riscv64-mcount')

ALIASES = {'x86': 'x86_64', 'riscv': 'riscv64', 'x86-mcount': 'x86_64-mcount',
           'riscv-mcount': 'riscv64-mcount'}


def resolve_arch(name):
    """Canonical arch name for `name` or an alias; ValueError if unknown."""
    arch = ALIASES.get(name, name)
    if arch not in ARCHES:
        known = ', '.join(sorted(ARCHES) + sorted(ALIASES))
        raise ValueError(f"unknown arch '{name}' (known: {known})")
    return arch


def default_accel(smp):
    """The accelerator used when none is named: parallel vCPUs for SMP."""
    return 'tcg-mt' if smp > 1 else 'tcg'


def check_accel(arch, accel):
    """Raise UnsupportedConfig unless `accel` can run `arch` on this host."""
    spec = ARCHES[resolve_arch(arch)]
    if accel not in ACCELS:
        raise UnsupportedConfig(f"unknown accelerator '{accel}' (use {', '.join(ACCELS)})")
    if accel == 'kvm':
        if not spec.kvm:
            raise UnsupportedConfig(f'-accel kvm is not supported for {spec.name} '
                                    '(no riscv64 host); use --accel tcg')
        if not os.access('/dev/kvm', os.R_OK | os.W_OK):
            raise UnsupportedConfig('-accel kvm needs read/write access to /dev/kvm')


def qemu_command(arch, smp=1, accel=None, serial=SERIAL_TEST, extra_args=()):
    """The QEMU argv (a list) booting `arch`'s image; run it from ROOT.

    `serial` is the console wiring (SERIAL_TEST, SERIAL_INTERACTIVE or any
    argument tuple); `extra_args` are appended last so they can add to or
    override anything before them.  `accel` None is default_accel(smp).
    Raises UnsupportedConfig for a bad accel.
    """
    spec = ARCHES[resolve_arch(arch)]
    accel = accel or default_accel(smp)
    check_accel(spec.name, accel)
    argv = [spec.qemu, '-machine', spec.machine]
    if spec.cpu:
        argv += ['-cpu', spec.cpu]
    if spec.firmware:
        argv += ['-bios', spec.firmware]
    argv += ['-m', spec.memory, '-smp', str(smp), '-kernel', spec.image]
    for dev in spec.devices:
        argv += ['-device', dev]
    argv += ['-accel', ACCEL_ARGS[accel], '-no-reboot', '-nodefaults', '-display', 'none']
    argv += list(serial) + list(extra_args)
    return argv


def shell_command(argv):
    """`argv` as one shell line that reproduces it from any directory."""
    return f'cd {shlex.quote(str(ROOT))} && {shlex.join(argv)}'
