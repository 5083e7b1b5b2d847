"""Fixtures that boot the testbed kernel under QEMU, one test at a time.

Options (make test passes them):
  --arch  x86_64 | riscv64 | all (default), or a comma list; x86/riscv too
  --smp   CPUs per machine (default 4, as `make test`)
  --accel tcg-mt | tcg | kvm; default: tcg-mt (parallel vCPUs) for machines
          with more than one CPU, tcg (single-threaded) for one

Every test that uses `machine` (or `arch` / `machine_factory`) runs once per
selected arch, with ids `x86_64` / `riscv64`; it is skipped with a reason when
that arch's image is missing or the accelerator cannot run it.  Each machine's
serial log goes to images/results/logs/<test id>-<arch>.log.
"""
import re
import statistics

import pytest

from harness import (ARCHES, RESULTS_DIR, Machine, MachineError, UnsupportedConfig,
                     check_accel, resolve_arch)

MACHINES = pytest.StashKey[list]()      # item -> machines it booted
BOOT_TIMES = {}                         # arch -> [seconds, ...], this process
BOOT_PROPERTY = re.compile(r'boot_seconds\[(\w+)\]')


def pytest_addoption(parser):
    group = parser.getgroup('testbed')
    group.addoption('--arch', default='all',
                    help='x86_64, riscv64 or all (default); comma list and x86/riscv accepted')
    group.addoption('--smp', type=int, default=4, help='CPUs per machine (default 4)')
    group.addoption('--accel', choices=('tcg', 'tcg-mt', 'kvm'), default=None,
                    help='QEMU accelerator (default: tcg-mt for SMP machines, tcg for one CPU)')


def selected_arches(config):
    """The arches --arch names, in table order; UsageError if unknown."""
    value = config.getoption('--arch')
    if value == 'all':
        return list(ARCHES)
    try:
        wanted = {resolve_arch(a.strip()) for a in value.split(',')}
    except ValueError as e:
        raise pytest.UsageError(f'--arch: {e}') from None
    return [a for a in ARCHES if a in wanted]


def pytest_configure(config):
    selected_arches(config)     # fail fast on a bad --arch


def pytest_generate_tests(metafunc):
    """Parametrize every test that needs an arch over the selected ones.
    A test marked `any_flavour` claims something the call-site flavour
    cannot change (what a file prints, how a control parses): it runs on
    the base images only, not on their -mcount flavours."""
    if 'arch' in metafunc.fixturenames:
        arches = selected_arches(metafunc.config)
        if metafunc.definition.get_closest_marker('any_flavour'):
            arches = [a for a in arches if ARCHES[a].kernel_arch == a]
        metafunc.parametrize('arch', arches, ids=arches, indirect=True)


@pytest.fixture
def arch(request):
    """The arch under test; skips when it cannot be booted here."""
    spec = ARCHES[request.param]
    if not spec.image_exists:
        pytest.skip(f'{spec.image} is missing (build it with `make images`)')
    try:
        check_accel(spec.name, request.config.getoption('--accel') or 'tcg')
    except UnsupportedConfig as e:
        pytest.skip(str(e))
    return spec.name


def log_path(nodeid, arch, index):
    """images/results/logs/<sanitised test id>-<arch>[-<n>].log; unique per
    test and machine, so xdist workers never share a file."""
    name = re.sub(r'[^A-Za-z0-9_.-]+', '_', nodeid).strip('_')
    suffix = f'-{index + 1}' if index else ''
    return RESULTS_DIR / 'logs' / f'{name}-{arch}{suffix}.log'


@pytest.fixture
def machine_factory(request, arch):
    """make(smp=None, accel=None, extra_args=(), boot=True) -> Machine.

    Machines default to the command-line --smp/--accel.  At teardown every
    machine made is killed and must no longer be alive.
    """
    config, item = request.config, request.node
    machines = item.stash.setdefault(MACHINES, [])

    def make(smp=None, accel=None, extra_args=(), boot=True):
        m = Machine(arch, smp=smp or config.getoption('--smp'),
                    accel=accel or config.getoption('--accel'), extra_args=extra_args,
                    log_path=log_path(item.nodeid, arch, len(machines)))
        machines.append(m)      # before boot: a failed boot is still reported
        if boot:
            m.boot()
            item.user_properties.append((f'boot_seconds[{arch}]', round(m.boot_seconds, 3)))
        return m

    yield make
    for m in machines:
        m.kill()
    alive = [f'{m.arch} pid {m.pid}' for m in machines if m.alive()]
    assert not alive, f'QEMU still alive after kill: {alive}'


@pytest.fixture
def machine(request, machine_factory):
    """A booted machine at the prompt (--smp CPUs, or more if the test is
    marked smp(n)); killed and reaped after the test."""
    marker = request.node.get_closest_marker('smp')
    smp = request.config.getoption('--smp')
    if marker:
        smp = max(smp, marker.args[0])
    return machine_factory(smp=smp)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, add each machine's QEMU command line and console tail to
    the report (unless the exception already carries exactly that)."""
    report = (yield).get_result()
    if not report.failed:
        return
    exc = call.excinfo.value if call.excinfo else None
    for m in item.stash.get(MACHINES, []):
        if isinstance(exc, MachineError) and exc.command_line == m.command_line:
            continue
        report.sections.append((f'testbed {m.arch} smp={m.smp}', m.describe()))


def pytest_runtest_logreport(report):
    """Collect boot times (also from xdist workers, via user_properties)."""
    if report.when != 'teardown':
        return
    for name, value in report.user_properties:
        m = BOOT_PROPERTY.fullmatch(name)
        if m:
            BOOT_TIMES.setdefault(m.group(1), []).append(value)


def pytest_terminal_summary(terminalreporter):
    """Boot-to-prompt wall time per arch: count, min, median, max."""
    if not BOOT_TIMES:
        return
    terminalreporter.section('testbed boot to prompt')
    for arch, ts in sorted(BOOT_TIMES.items()):
        terminalreporter.write_line(
            f'{arch}: {len(ts)} boots, min {min(ts):.2f}s, '
            f'median {statistics.median(ts):.2f}s, max {max(ts):.2f}s')
