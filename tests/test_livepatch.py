"""Live patching (kernel/livepatch, after Linux's klp): a patch module's
insmod registers one IPMODIFY ftrace_ops that sends each patched function
to its replacement; Linux's sysfs files live under livepatch/<patch>/;
`echo 0 > .../enabled` switches back and removes them; rmmod is refused
while the patch is enabled.  IPMODIFY and direct ops share a function only
through the direct ops' ops_func (seed 000).  Under load, no call of a
patched function reaches the original while the patch is enabled, also
while tracers come and go on it (seed 003), and no CPU mixes the old and
new functions of a patch in one call chain (the consistency model in the
README).

The -mcount flavours have no entry sites: live patching (and direct
calls) answer -ENOTSUPP there, and every other scenario is skipped.
"""
import re

import pytest

from harness import ARCHES, key_values, strip_timestamps

SAMPLE = 'livepatch/livepatch_sample'
DEMO = 'livepatch/livepatch_callbacks_demo'


@pytest.fixture
def entry_sites(arch):
    """Skip on the -mcount flavours (test_mcount_flavours_... covers them)."""
    if ARCHES[arch].kernel_arch != arch:
        pytest.skip('mcount flavour: no entry sites, live patching is -ENOTSUPP '
                    '(test_mcount_flavours_refuse_live_patching_with_enotsupp)')
    return arch


def ok(machine, cmd, timeout=None):
    """Run a command that must succeed; its output without printk stamps."""
    out = strip_timestamps(machine.run(cmd, timeout=timeout))
    assert 'error:' not in out, f'{cmd!r} failed:\n{out}'
    return out


def fails(machine, cmd, errno):
    """Run a command that must fail: exactly one `error:` line, the last one,
    ending in `errno` (e.g. 'EBUSY (-16)'); returns the lines before it
    (the kernel's log of why)."""
    lines = strip_timestamps(machine.run(cmd)).split('\n')
    errors = [l for l in lines if l.startswith('error: ')]
    assert len(errors) == 1 and lines[-1] == errors[0] and errors[0].endswith(f'{errno}'), \
        f'{cmd!r} should fail with exactly one error line ending {errno!r}:\n' + '\n'.join(lines)
    return lines[:-1]


def kv(out, prefix):
    """key=value fields of the single line of `out` starting with `prefix`."""
    lines = [l for l in out.split('\n') if l.startswith(prefix)]
    assert len(lines) == 1, f'expected one {prefix!r} line in:\n{out}'
    return key_values(lines[0])


def call(machine, func):
    """`call FUNC`: the integer it returned."""
    out = ok(machine, f'call {func}')
    m = re.fullmatch(rf'{func}\(\) = (-?\d+) \(0x[0-9a-f]+\)', out)
    assert m, f'call {func} printed {out!r}'
    return int(m.group(1))


def state(machine):
    """What a failed operation must leave as it was: the enabled sites, the
    text (trampoline pool included), the livepatch files, the modules."""
    return {
        'enabled_functions': ok(machine, 'cat enabled_functions'),
        'text_checksum': ok(machine, 'text_checksum'),
        'livepatch files': [l for l in ok(machine, 'ls').split('\n') if ' livepatch/' in l],
        'lsmod': ok(machine, 'lsmod'),
    }


def patch_files(machine):
    """`ls` lines of the livepatch/ files, as (mode, name)."""
    return [tuple(l.split(' ', 1)) for l in ok(machine, 'ls').split('\n') if ' livepatch/' in l]


def direct(machine, args):
    """`klp_direct ARGS` that must succeed: its key=value line and log."""
    out = ok(machine, f'klp_direct {args}')
    return kv(out, 'klp_direct: registered='), out


# ---- the samples ------------------------------------------------------------


def test_livepatch_sample_changes_what_version_prints_until_disabled(entry_sites, machine):
    boot = state(machine)
    original = ok(machine, 'version')
    assert original.startswith('testbed '), original
    log = ok(machine, 'insmod livepatch-sample').split('\n')
    assert log == ["livepatch: enabling patch 'livepatch_sample'",
                   "livepatch: 'livepatch_sample': starting patching transition",
                   "livepatch: 'livepatch_sample': patching complete"], log
    assert ok(machine, 'version') == 'this has been live patched'
    assert ok(machine, 'cat version') == 'this has been live patched'
    assert patch_files(machine) == [
        ('rw', f'{SAMPLE}/enabled'), ('r-', f'{SAMPLE}/transition'),
        ('r-', f'{SAMPLE}/vmlinux/patched'),
        ('r-', f'{SAMPLE}/vmlinux/version_proc_show,1/patched')]
    for name, want in [('enabled', '1'), ('transition', '0'), ('vmlinux/patched', '1'),
                       ('vmlinux/version_proc_show,1/patched', '1')]:
        assert ok(machine, f'cat {SAMPLE}/{name}') == want, name
    sites = ok(machine, 'cat enabled_functions')
    # Linux 6.x's shape: R I, blanks for D O, M (an IPMODIFY ops has been there)
    assert re.fullmatch(r'version_proc_show \(1\) R I     M \ttramp: \S+ \(klp_ftrace_handler\S*\)',
                        sites), f'enabled_functions:\n{sites}'
    assert ok(machine, 'lsmod').split('\n')[1].split()[0] == 'livepatch-sample'

    log = ok(machine, f'echo 0 > {SAMPLE}/enabled').split('\n')
    assert log == ["livepatch: 'livepatch_sample': starting unpatching transition",
                   "livepatch: 'livepatch_sample': unpatching complete"], log
    assert ok(machine, 'version') == original
    assert patch_files(machine) == [], 'a disabled patch leaves its files behind'
    ok(machine, 'rmmod livepatch-sample')
    assert state(machine) == boot, 'insmod, disable and rmmod did not restore the boot state'


def test_livepatch_callbacks_demo_fixes_a_return_value_with_callbacks_in_linux_order(
        entry_sites, machine):
    assert call(machine, 'demo_answer') == 41
    log = ok(machine, 'insmod livepatch-callbacks-demo').split('\n')
    assert log == ["livepatch: enabling patch 'livepatch_callbacks_demo'",
                   'livepatch_callbacks_demo: pre_patch_callback: vmlinux',
                   "livepatch: 'livepatch_callbacks_demo': starting patching transition",
                   'livepatch_callbacks_demo: post_patch_callback: vmlinux',
                   "livepatch: 'livepatch_callbacks_demo': patching complete"], log
    assert call(machine, 'demo_answer') == 42
    assert ok(machine, f'cat {DEMO}/vmlinux/demo_answer,1/patched') == '1'
    log = ok(machine, f'echo 0 > {DEMO}/enabled').split('\n')
    assert log == ['livepatch_callbacks_demo: pre_unpatch_callback: vmlinux',
                   "livepatch: 'livepatch_callbacks_demo': starting unpatching transition",
                   'livepatch_callbacks_demo: post_unpatch_callback: vmlinux',
                   "livepatch: 'livepatch_callbacks_demo': unpatching complete"], log
    assert call(machine, 'demo_answer') == 41
    ok(machine, 'rmmod livepatch-callbacks-demo')


def test_rmmod_of_an_enabled_patch_is_refused_until_it_is_disabled(entry_sites, machine):
    ok(machine, 'insmod livepatch-callbacks-demo')
    before = state(machine)
    fails(machine, 'rmmod livepatch-callbacks-demo', 'EBUSY (-16)')
    assert state(machine) == before, 'a refused rmmod changed something'
    assert call(machine, 'demo_answer') == 42, 'a refused rmmod undid the patch'
    ok(machine, f'echo 0 > {DEMO}/enabled')
    ok(machine, 'rmmod livepatch-callbacks-demo')
    assert 'livepatch-callbacks-demo' not in ok(machine, 'lsmod')
    # Loading it again enables it again (a disabled patch cannot be re-enabled in place).
    ok(machine, 'insmod livepatch-callbacks-demo')
    assert call(machine, 'demo_answer') == 42


def test_module_and_patch_file_errors_are_clear_and_change_nothing(entry_sites, machine):
    boot = state(machine)
    fails(machine, 'rmmod livepatch-sample', "rmmod: livepatch-sample is not loaded (-2)")
    fails(machine, 'insmod nosuch', "insmod: no module named 'nosuch' (insmod lists them) (-2)")
    fails(machine, 'rmmod nosuch', "rmmod: no module named 'nosuch' (-2)")
    fails(machine, f'cat {SAMPLE}/enabled', f"no such file '{SAMPLE}/enabled' (-2)")
    assert state(machine) == boot
    ok(machine, 'insmod livepatch-sample')
    patched = state(machine)
    fails(machine, 'insmod livepatch-sample', 'insmod: livepatch-sample is already loaded (-17)')
    # Linux's enabled_store(): the state it is in, or 1 (no re-enabling in
    # place), or no boolean at all, is -EINVAL; transition is read-only.
    for value in ('1', 'yes', 'on', '2x', 'maybe'):
        fails(machine, f'echo {value} > {SAMPLE}/enabled', 'EINVAL (-22)')
    fails(machine, f'echo 0 > {SAMPLE}/transition', f"'{SAMPLE}/transition' is read-only (-1)")
    assert state(machine) == patched, 'a refused write changed something'
    assert ok(machine, 'version') == 'this has been live patched'
    ok(machine, f'echo n > {SAMPLE}/enabled')       # kstrtobool: n is false
    fails(machine, f'echo 0 > {SAMPLE}/enabled', f"no such file '{SAMPLE}/enabled' (-2)")
    ok(machine, 'rmmod livepatch-sample')
    fails(machine, 'rmmod livepatch-sample', 'rmmod: livepatch-sample is not loaded (-2)')
    assert state(machine) == boot


def test_second_livepatch_on_a_function_is_refused_naming_the_holder(entry_sites, machine):
    """Each patch has its own IPMODIFY ops, so a second one on a patched
    function is refused (Linux refuses two IPMODIFY users alike); the
    console says who holds the function, and nothing changes: not the
    sites, the text, the files nor the modules."""
    ok(machine, 'insmod test-klp-reuse-a')
    before = state(machine)
    log = fails(machine, 'insmod test-klp-reuse-b',
                'insmod: test-klp-reuse-b: init failed: EBUSY (-16)')
    assert ('ftrace: klp_reuse_target is already modified by test_klp_reuse_a (IPMODIFY); '
            'test_klp_reuse_b refused') in log, '\n'.join(log)
    assert "livepatch: failed to enable patch 'test_klp_reuse_b' (-16)" in log, '\n'.join(log)
    assert state(machine) == before, 'the refused patch changed something'
    out = ok(machine, 'call klp_reuse_target 5')
    assert out == 'klp_reuse_target(5) = 7 (0x7)', f'the holder no longer runs: {out}'


# ---- IPMODIFY and DIRECT: the ops_func negotiation --------------------------


@pytest.mark.parametrize('how, log', [
    ('noshare', 'ftrace: direct klp_direct cannot (no ops_func) share its functions with '
                'IPMODIFY livepatch_callbacks_demo'),
    ('refuse', 'ftrace: direct klp_direct refused to share its functions with '
               'IPMODIFY livepatch_callbacks_demo'),
], ids=['no_ops_func', 'ops_func_refuses'])
def test_direct_that_cannot_share_and_a_live_patch_refuse_each_other_in_both_orders(
        entry_sites, machine, how, log):
    boot = state(machine)
    # The direct ops comes second: register_ftrace_direct fails.
    ok(machine, 'insmod livepatch-callbacks-demo')
    patched = state(machine)
    lines = fails(machine, f'klp_direct on demo_answer {how}',
                  'klp_direct: register_ftrace_direct on demo_answer: EBUSY (-16)')
    assert log in lines, '\n'.join(lines)
    assert state(machine) == patched, 'the refused direct ops changed something'
    assert call(machine, 'demo_answer') == 42
    ok(machine, f'echo 0 > {DEMO}/enabled')
    ok(machine, 'rmmod livepatch-callbacks-demo')
    assert state(machine) == boot
    # The live patch comes second: its insmod fails.
    first, _ = direct(machine, f'on demo_answer {how}')
    alone = state(machine)
    lines = fails(machine, 'insmod livepatch-callbacks-demo',
                  'insmod: livepatch-callbacks-demo: init failed: EBUSY (-16)')
    assert log in lines, '\n'.join(lines)
    assert state(machine) == alone, 'the refused live patch changed something'
    assert call(machine, 'demo_answer') == 41
    after, _ = direct(machine, 'show')
    assert after['share_ipmodify'] == '0' and int(after['hits']) == int(first['hits']) + 1, after
    direct(machine, 'off')
    assert state(machine) == boot


@pytest.mark.parametrize('unregister_first', ['patch', 'direct'])
@pytest.mark.parametrize('register_first', ['patch', 'direct'])
def test_live_patch_and_direct_share_a_function_through_ops_func(
        entry_sites, machine, register_first, unregister_first):
    """With ops_func agreeing, both run: the call goes through the direct
    trampoline and on into the replacement (SHARE_IPMODIFY, set and
    cleared by ftrace).  ENABLE_SHARE_IPMODIFY_SELF when the direct ops
    comes second, _PEER when the patch does, DISABLE_SHARE_IPMODIFY_PEER
    when the patch leaves first.  Each user keeps working alone after the
    other left, and leaving both restores the boot text."""
    boot = state(machine)
    if register_first == 'patch':
        ok(machine, 'insmod livepatch-callbacks-demo')
        d, out = direct(machine, 'on demo_answer share')
        assert 'klp_direct: ops_func ENABLE_SHARE_IPMODIFY_SELF -> 0' in out, out
    else:
        d, _ = direct(machine, 'on demo_answer share')
        assert d['share_ipmodify'] == '0', d
        out = ok(machine, 'insmod livepatch-callbacks-demo')
        assert 'klp_direct: ops_func ENABLE_SHARE_IPMODIFY_PEER -> 0' in out, out
    d, _ = direct(machine, 'show')
    assert d['share_ipmodify'] == '1', f'ftrace did not set SHARE_IPMODIFY: {d}'
    sites = ok(machine, 'cat enabled_functions')
    # shared: ftrace_regs_caller (no private trampoline to name), then the direct target
    assert re.fullmatch(r'demo_answer \(2\) R I D   M  ->klp_test_direct_tramp\S*', sites), sites
    hits = int(d['hits'])
    assert call(machine, 'demo_answer') == 42, 'the replacement did not run after the trampoline'
    d, _ = direct(machine, 'show')
    assert int(d['hits']) == hits + 1, f'the direct trampoline did not run once: {d}'

    if unregister_first == 'patch':
        out = ok(machine, f'echo 0 > {DEMO}/enabled')
        assert 'klp_direct: ops_func DISABLE_SHARE_IPMODIFY_PEER -> 0' in out, out
        d, _ = direct(machine, 'show')
        assert d['share_ipmodify'] == '0', f'ftrace did not clear SHARE_IPMODIFY: {d}'
        assert call(machine, 'demo_answer') == 41
        assert int(direct(machine, 'show')[0]['hits']) == hits + 2
        direct(machine, 'off')
    else:
        direct(machine, 'off')
        assert call(machine, 'demo_answer') == 42, 'the patch stopped when the direct ops left'
        assert re.fullmatch(r'demo_answer \(1\) R I     M \ttramp: \S+ \(klp_ftrace_handler\S*\)',
                            ok(machine, 'cat enabled_functions'))
        out = ok(machine, f'echo 0 > {DEMO}/enabled')
        assert 'ops_func' not in out, f'a direct ops that had left was asked: {out}'
    assert call(machine, 'demo_answer') == 41
    ok(machine, 'rmmod livepatch-callbacks-demo')
    assert state(machine) == boot, 'unregistering both did not restore the boot state'


# ---- consistency under load -------------------------------------------------


def klp_stress(machine, args, timeout=600):
    """`klp_stress ARGS`: (its key=value fields, the ok/FAIL word, output)."""
    out = strip_timestamps(machine.run(f'klp_stress {args}', timeout=timeout))
    fields = kv(out, 'klp_stress: cpus=')
    verdict = [l for l in out.split('\n') if l.startswith('klp_stress: cpus=')][0].rsplit(' ', 1)[1]
    return fields, verdict, out


@pytest.mark.smp(4)
def test_no_call_reaches_the_original_while_the_function_tracer_toggles_1000_times(
        entry_sites, machine):
    """Workers on three CPUs (and every timer interrupt) call klp_outer ->
    klp_inner while CPU 0 enables the patch, toggles the function tracer
    on both functions 1000 times (their sites move call -> call between
    the patch's trampoline and ftrace_regs_caller, under breakpoints), and
    disables it, in 10 cycles.  Calls are counted inside the functions."""
    boot = ok(machine, 'text_checksum')
    r, verdict, out = klp_stress(machine, '1000 10')
    where = f'\n{out}'
    assert int(r['calls']) > 0 and int(r['new']) > 0, where
    assert r['orig_calls_enabled'] == '0', 'an original ran while the patch was enabled' + where
    assert r['new_calls_disabled'] == '0', 'a replacement ran while the patch was disabled' + where
    assert r['in_old_at_enable'] == '0' and r['in_new_at_disable'] == '0', \
        'a CPU was still inside the side it left when enable/disable returned' + where
    assert r['lost'] == '0' and r['wrong'] == '0' and r['mixed'] == '0', where
    assert int(r['sites_changed']) >= 4000, f'the tracer did not move the sites{where}'
    assert int(r['bp_emulated']) > 0, f'no call ever met a site being rewritten{where}'
    assert verdict == 'ok', where
    assert ok(machine, 'text_checksum') == boot, 'text differs from boot after klp_stress'
    assert ok(machine, 'cat enabled_functions') == ''


@pytest.mark.smp(4)
def test_each_cpu_switches_at_a_quiescent_point_so_no_call_chain_mixes_versions(
        entry_sites, machine):
    """20 enables and disables while three CPUs call without pause: the
    CPUs switch at different moments (calls of both versions while the
    enables run) and yet no chain klp_outer -> klp_inner ran one old and
    one new.  The negative control switches every CPU at once from CPU 0,
    wherever it is: chains then mix, so the check can see it."""
    r, verdict, out = klp_stress(machine, '0 20 busy')
    assert r['mixed'] == '0' and r['lost'] == '0' and r['wrong'] == '0', out
    assert int(r['transition_old']) > 0 and int(r['transition_new']) > 0, \
        f'the CPUs did not switch at different moments:\n{out}'
    assert verdict == 'ok', out
    r, verdict, out = klp_stress(machine, '0 20 busy naive')
    # Seen in every run so far: 3 to 37 mixed chains and 18 to 32 CPUs
    # still inside an original after an enable returned; either shows the
    # checks see a switch that ignores where the CPUs are.
    assert int(r['mixed']) + int(r['in_old_at_enable']) > 0, \
        f'the negative control broke nothing: the checks are blind\n{out}'
    assert verdict == 'FAIL' and out.endswith('error: klp_stress: a check failed (-5)'), out


@pytest.mark.smp(4)
def test_unloading_waits_until_no_cpu_can_be_in_the_replacement_before_its_memory_is_reused(
        entry_sites, machine):
    """The test-klp-reuse-{a,b} replacements live in their modules' blobs
    (copied into the trampoline pool at insmod, filled with trapping bytes
    at rmmod) and spin for tens of milliseconds, so the workers calling
    klp_reuse_target are inside one whenever a patch is disabled.  20 loads
    alternate between the two modules, each taking the memory the other
    freed, under load: a CPU still inside freed code would trap (it does,
    at the first load, when the transition and unregister_ftrace_function
    do not wait: README), and one inside reused code would return the
    other module's result without its count."""
    boot = ok(machine, 'text_checksum')
    ok(machine, 'klp_load start')
    # Enabled for 5 ticks (50 ms): the workers enter the replacement, which
    # spins about as long, so each disable finds them inside it.
    cycle = ' '.join(f"'insmod test-klp-reuse-{m}' 'call demo_wait_ticks 5' "
                     f"'echo 0 > livepatch/test_klp_reuse_{m}/enabled' "
                     f"'rmmod test-klp-reuse-{m}'" for m in 'ab')
    out = ok(machine, f'repeat 10 {cycle}', timeout=600)
    assert out.endswith('repeat: 10 rounds done'), out
    out = ok(machine, 'klp_load stop')
    r = kv(out, 'klp_load: ')
    assert out.endswith(' ok'), out
    assert int(r['reuse_a']) > 0 and int(r['reuse_b']) > 0, f'a replacement never ran:\n{out}'
    assert r['reuse_a'] == r['a_counted'] and r['reuse_b'] == r['b_counted'] and \
        r['reuse_orig'] == r['orig_counted'], f'results and counted calls differ:\n{out}'
    assert r['reuse_wrong'] == '0' and r['mixed'] == '0' and r['lost'] == '0', out
    assert int(r['blob_loads']) == 20 and int(r['blob_addrs']) < 20, \
        f'the modules did not reuse each other\'s memory:\n{out}'
    assert ok(machine, 'text_checksum') == boot, 'text differs from boot after 20 loads'


# ---- the mcount flavours ------------------------------------------------------


def test_mcount_flavours_refuse_live_patching_with_enotsupp(machine, arch):
    """Classic -pg sites follow the prologue: a replacement entered there
    would run on the original's frame, so IPMODIFY (and direct calls) are
    -ENOTSUPP, and a failed insmod leaves nothing behind."""
    if ARCHES[arch].kernel_arch == arch:
        pytest.skip('entry sites: live patching works (the other scenarios)')
    boot = state(machine)
    lines = fails(machine, 'insmod livepatch-sample',
                  'insmod: livepatch-sample: init failed: ENOTSUPP (-524)')
    assert any('live patching needs entry sites' in l for l in lines), '\n'.join(lines)
    fails(machine, 'klp_stress 10 1', 'klp_stress: ENOTSUPP (-524)')
    fails(machine, 'klp_direct on demo_answer',
          'klp_direct: register_ftrace_direct on demo_answer: ENOTSUPP (-524)')
    assert state(machine) == boot
    assert ok(machine, 'version').startswith('testbed ')
