"""The in-kernel selftest as individual results, the way kunit's tooling
turns KTAP into one result per case: `selftest` runs once per image (per
test process), and each case is its own pytest test whose failure message
carries the case's `#` diagnostics.  The case names come from
kernel/tests/selftest.c (its report()/skip() calls), so a case that stops
reporting, or one the kernel reports but the source does not name, fails
the plan test instead of vanishing.
"""
import re

import pytest

from harness import RESULTS_DIR, ROOT, Machine
from harness.tracefmt import parse_ktap

SELFTEST_C = ROOT / 'kernel' / 'tests' / 'selftest.c'


def source_cases():
    """The case names selftest.c reports, in its order."""
    text = SELFTEST_C.read_text()
    body = text[text.index('int ftrace_selftest(void)'):]
    return list(dict.fromkeys(re.findall(r'\b(?:report\([^;]*?|skip\()"(\w+)"', body)))


CASES = source_cases()
_runs = {}      # arch -> (plan, {name: KtapResult}, raw output)


def ktap_run(arch, log_dir):
    """Boot `arch` once per test process, run `selftest`, keep the parse."""
    if arch not in _runs:
        with Machine(arch, smp=4, log_path=log_dir / f'selftest-ktap-{arch}.log') as m:
            out = m.run('selftest', timeout=120)
        plan, results = parse_ktap(out)
        _runs[arch] = (plan, {r.name: r for r in results}, out)
    return _runs[arch]


@pytest.fixture
def ktap(arch):
    """(plan, {case: KtapResult}, output) of `selftest` on this image."""
    return ktap_run(arch, RESULTS_DIR / 'logs')


def test_selftest_plan_matches_the_cases_selftest_c_reports(ktap):
    plan, results, out = ktap
    assert out.startswith('KTAP version 1\n'), out
    assert plan == len(CASES) == len(results), \
        f'plan {plan}, {len(results)} results, selftest.c names {len(CASES)}:\n{out}'
    assert list(results) == CASES, f'reported {list(results)}, selftest.c names {CASES}'
    assert [r.number for r in results.values()] == list(range(1, plan + 1)), out


@pytest.mark.parametrize('case', CASES)
def test_ktap_case(ktap, case):
    plan, results, out = ktap
    assert case in results, f'selftest did not report {case}:\n{out}'
    r = results[case]
    if r.directive == 'SKIP':
        pytest.skip(f'{case}: {r.reason}')
    assert r.ok, f'not ok {r.number} {case}\n' + '\n'.join(r.diagnostics)
