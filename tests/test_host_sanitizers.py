"""Host-side sanitizer tests of the kernel's generic C (tests/host).

The glob matcher, hash sets, vsnprintf, line editor, command parser,
number parsers and kallsyms lookup are compiled for the host, unmodified,
with AddressSanitizer and UndefinedBehaviorSanitizer (`make host-tests`).
Here they run as: the unit tests (KTAP), every committed regression input
replayed through its fuzz target, and every fuzz target for a bounded time
(TESTBED_FUZZ_SECONDS, default 2 s each; `make fuzz` runs them for minutes).

No QEMU: these run once, whatever --arch says.
"""
import fcntl
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import RESULTS_DIR, ROOT

HOST_DIR = ROOT / 'tests' / 'host'
OUT = ROOT / 'images' / 'host'
TARGETS = sorted(p.stem.removeprefix('fuzz_') for p in (HOST_DIR / 'fuzz').glob('fuzz_*.c'))
FUZZ_SECONDS = float(os.environ.get('TESTBED_FUZZ_SECONDS', '2'))
# Sanitizer reports with stack traces, and the first error is fatal.
SAN_ENV = {**os.environ,
           'ASAN_OPTIONS': 'abort_on_error=0:detect_leaks=1',
           'UBSAN_OPTIONS': 'print_stacktrace=1:halt_on_error=1'}


@pytest.fixture(scope='session')
def host_build():
    """`make host-tests`, once per xdist worker at a time (a lock file keeps
    two workers from building the same objects at once); skips when the
    compiler is missing."""
    if not shutil.which('clang-14'):
        pytest.skip('clang-14 is not installed (ci/install-deps.sh installs it)')
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / '.build-lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = subprocess.run(['make', '-s', '--no-print-directory', 'host-tests'],
                               cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, f'make host-tests failed:\n{build.stdout}\n{build.stderr}'
    return OUT


def sanitizer_report(text, lines=40):
    """The sanitizer's or the target's own report in `text`, else its tail."""
    m = re.search(r'^(==\d+==ERROR|.*runtime error:|FUZZ_ASSERT|Kernel panic)', text, re.M)
    start = m.start() if m else max(0, len(text) - 4000)
    return '\n'.join(text[start:].split('\n')[:lines])


def test_host_unit_tests_pass_under_asan_and_ubsan(host_build):
    run = subprocess.run([str(host_build / 'unit')], capture_output=True, text=True,
                         env=SAN_ENV, timeout=120)
    failed = re.findall(r'^not ok \d+ (\S+)', run.stdout, re.M)
    assert run.returncode == 0 and not failed, (
        f'unit tests failed: {failed or "(crashed)"}\n{run.stdout[-4000:]}\n'
        f'{sanitizer_report(run.stderr)}')
    assert re.search(r'^ok \d+ ', run.stdout, re.M), f'no test ran:\n{run.stdout}'


@pytest.mark.parametrize('target', TARGETS)
def test_fuzz_regression_inputs_replay_clean(host_build, target):
    inputs = sorted(p for d in ('regressions', 'seeds')
                    for p in (HOST_DIR / d / target).glob('*') if p.is_file())
    if not inputs:
        pytest.skip(f'no committed inputs for {target} yet')
    bad = {}
    for path in inputs:
        run = subprocess.run([str(host_build / f'fuzz_{target}'), str(path)],
                             capture_output=True, text=True, env=SAN_ENV, timeout=60)
        if run.returncode:
            bad[path.relative_to(ROOT)] = sanitizer_report(run.stderr)
    assert not bad, '\n\n'.join(f'{p} fails again:\n{r}' for p, r in bad.items())


@pytest.mark.parametrize('target', TARGETS)
def test_fuzz_target_survives_a_bounded_run(host_build, target, tmp_path):
    """libFuzzer for FUZZ_SECONDS from the committed inputs; a crash is kept
    under images/results/fuzz-crashes/ to become a regression input."""
    crashes = RESULTS_DIR / 'fuzz-crashes' / target
    crashes.mkdir(parents=True, exist_ok=True)
    corpus = [str(d) for d in (HOST_DIR / 'seeds' / target, HOST_DIR / 'regressions' / target)
              if d.is_dir()]
    dictionary = HOST_DIR / 'fuzz' / f'{target}.dict'
    cmd = [str(host_build / f'fuzz_{target}'), f'-max_total_time={FUZZ_SECONDS:g}',
           '-timeout=10', '-rss_limit_mb=2048', f'-artifact_prefix={crashes}/']
    cmd += [f'-dict={dictionary}'] if dictionary.exists() else []
    cmd += [str(tmp_path)] + corpus
    run = subprocess.run(cmd, capture_output=True, text=True, env=SAN_ENV,
                         timeout=FUZZ_SECONDS + 120)
    done = re.search(r'^Done (\d+) runs', run.stderr, re.M)
    artifact = re.search(r'Test unit written to (\S+)', run.stderr)
    assert run.returncode == 0 and done, (
        f'fuzz_{target} failed after {FUZZ_SECONDS:g}s'
        f'{f"; input saved as {artifact.group(1)}" if artifact else ""}\n'
        f'reproduce: {" ".join(cmd[:1] + [artifact.group(1)] if artifact else cmd)}\n'
        f'{sanitizer_report(run.stderr)}')
    print(f'fuzz_{target}: {done.group(1)} runs in {FUZZ_SECONDS:g}s')
