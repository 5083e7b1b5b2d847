"""BPF-style trampolines (kernel/bpf/, arch/*/bpf_jit.c): generated per
function at run time, attached through the direct-call API.

Every scenario types `bpf ...` at the console as a user would and reads the
key=value lines the kernel prints; the `record` program logs each call
through the helpers, every value cast to its C type from BTF.
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from harness import key_values

ENTRY_ONLY = 'direct calls need entry sites'


def entry_sites(arch):
    """The -mcount flavours have no entry sites: trampolines answer -ENOTSUPP."""
    return not arch.endswith('-mcount')


def ok(machine, cmd):
    out = machine.run(cmd)
    assert not out.startswith('error:'), f'{cmd!r} failed: {out}'
    return out


def attach(machine, kind, prog, target):
    """`bpf attach`; returns the link id."""
    out = ok(machine, f'bpf attach {kind} {prog} {target}')
    m = re.fullmatch(r'link (\d+)', out)
    assert m, f'bpf attach printed {out!r}'
    return int(m.group(1))


def log_lines(machine):
    out = machine.run('bpf log')
    return [l for l in out.split('\n') if l]


def tramps(machine):
    """`bpf tramps` as dicts."""
    return [key_values(l) for l in machine.run('bpf tramps').split('\n') if l.startswith('tramp ')]


def sym_addr(machine, name):
    out = ok(machine, f'sym {name}')
    m = re.match(rf'{name}: (0x[0-9a-f]+)', out)
    assert m, out
    return int(m.group(1), 16)


@pytest.fixture
def entry_machine(machine, arch):
    if not entry_sites(arch):
        pytest.skip('mcount flavour: covered by test_trampolines_need_entry_sites')
    return machine


def test_trampolines_need_entry_sites(machine, arch):
    if entry_sites(arch):
        pytest.skip('this image has entry sites')
    out = machine.run('bpf attach fentry record bpf_fentry_test1')
    assert out.startswith('error:') and out.endswith('(-524)'), out
    assert machine.run('bpf tramps') == ''


def test_fentry_and_fexit_see_the_arguments_as_c_types_and_the_return_value(entry_machine, arch):
    m = entry_machine
    # plain char is signed on x86_64 and unsigned on riscv64 (their ABIs)
    char_minus_1 = '-1' if arch.startswith('x86_64') else '255'
    attach(m, 'fentry', 'record', 'bpf_fentry_test5')
    attach(m, 'fexit', 'record', 'bpf_fentry_test5')
    attach(m, 'fentry', 'record', 'bpf_fentry_test3')
    ip5, ip3 = sym_addr(m, 'bpf_fentry_test5'), sym_addr(m, 'bpf_fentry_test3')
    # u64 a = 2^64 - 2, void *b = 16, short c = -2, int d = -3, u64 e = 5
    assert ok(m, 'call bpf_fentry_test5 -2 16 -2 -3 5') == \
        'bpf_fentry_test5(-2, 16, -2, -3, 5) = 14 (0xe)'
    # char a = -1, int b, u64 c; then a = 0x1ff in the register, whose C value is
    # its low byte, -1 again (what the function computes from it is its business)
    # (what bpf_fentry_test3 computes from an out-of-range char is the
    # compiler's business; the trampoline must show the C value)
    ok(m, 'call bpf_fentry_test3 -1 -7 9')
    ok(m, 'call bpf_fentry_test3 511 -7 9')
    got = log_lines(m)
    want = [
        f'fentry bpf_fentry_test5 ip=0x{ip5:x} nr_args=5 args=18446744073709551614,16,-2,-3,5',
        f'fexit bpf_fentry_test5 ip=0x{ip5:x} nr_args=5 args=18446744073709551614,16,-2,-3,5 ret=14',
        f'fentry bpf_fentry_test3 ip=0x{ip3:x} nr_args=3 args={char_minus_1},-7,9',
        f'fentry bpf_fentry_test3 ip=0x{ip3:x} nr_args=3 args={char_minus_1},-7,9',
    ]
    assert got == want, '\n'.join(got)


def test_fmod_ret_overrides_the_result_and_the_body_never_runs(entry_machine):
    m = entry_machine
    runs = ok(m, 'call bpf_fmod_ret_test_runs')
    before = int(re.search(r'= (\d+)', runs).group(1))
    link = attach(m, 'fmod_ret', 'override:-77', 'bpf_fmod_ret_test')
    assert ok(m, 'call bpf_fmod_ret_test 5') == \
        'bpf_fmod_ret_test(5) = -77 (0xffffffffffffffb3)'
    assert ok(m, 'call bpf_fmod_ret_test_runs') == f'bpf_fmod_ret_test_runs() = {before} (0x{before:x})'
    ok(m, f'bpf detach {link}')
    assert ok(m, 'call bpf_fmod_ret_test 5') == 'bpf_fmod_ret_test(5) = 6 (0x6)'
    deny = attach(m, 'fmod_ret', 'deny', 'bpf_fmod_ret_test')
    attach(m, 'fexit', 'record', 'bpf_fmod_ret_test')
    assert ok(m, 'call bpf_fmod_ret_test 5') == 'bpf_fmod_ret_test(5) = -1 (0xffffffffffffffff)'
    assert log_lines(m)[-1].endswith('args=5 ret=-1'), log_lines(m)
    after = before + 1
    assert ok(m, 'call bpf_fmod_ret_test_runs') == f'bpf_fmod_ret_test_runs() = {after} (0x{after:x})'
    ok(m, f'bpf detach {deny}')


def test_fmod_ret_that_returns_zero_lets_the_body_run(entry_machine):
    m = entry_machine
    attach(m, 'fmod_ret', 'count', 'bpf_fmod_ret_test')
    assert ok(m, 'call bpf_fmod_ret_test 41') == 'bpf_fmod_ret_test(41) = 42 (0x2a)'
    assert 'count=1' in ok(m, 'bpf links')


def test_func_ip_helper_gives_the_address_sym_gives(entry_machine):
    m = entry_machine
    attach(m, 'fentry', 'record', 'a,b,c')       # one shared trampoline: ip from the stack
    for f, arg in (('a', 1), ('b', 2), ('c', 3)):
        ok(m, f'call {f} {arg}')
    lines = log_lines(m)
    assert len(lines) == 3, lines
    for f, line in zip('abc', lines):
        assert f' ip=0x{sym_addr(m, f):x} ' in line, line
    t = tramps(m)
    assert len(t) == 1 and t[0]['nfuncs'] == '3' and t[0]['nr_args'] == '1', t


def test_multi_attach_shares_trampolines_as_the_seed_describes_and_detach_undoes_it(entry_machine):
    m = entry_machine
    attach(m, 'fentry', 'record', 'a')
    attach(m, 'fexit', 'record', 'e')
    x = attach(m, 'fentry', 'count', 'a,b,c,d,e')
    groups = {t['funcs']: t for t in tramps(m)}
    assert sorted(groups) == ['a', 'b,c', 'd', 'e'], groups
    assert groups['a']['fentry'] == f'record#1,count#{x}'
    assert groups['e']['fentry'] == f'count#{x}' and groups['e']['fexit'] == 'record#2'
    assert groups['b,c']['nr_args'] == '1' and groups['b,c']['fentry'] == f'count#{x}'
    assert groups['d']['nr_args'] == '2'
    for f, args in (('a', '1'), ('b', '2'), ('c', '3'), ('d', '4 5'), ('e', '6 7')):
        ok(m, f'call {f} {args}')
    assert f'id={x} ' in ok(m, 'bpf links') and 'count=5' in ok(m, 'bpf links')
    ok(m, f'bpf detach {x}')
    assert sorted(t['funcs'] for t in tramps(m)) == ['a', 'e']


def test_attach_errors_are_clear_and_change_nothing(entry_machine, arch):
    m = entry_machine
    attach(m, 'fentry', 'record', 'bpf_fentry_test1')
    before = (m.run('bpf tramps'), m.run('cat enabled_functions'), m.run('text_checksum'))
    too_many = 'trace_test_args8' if arch.startswith('x86_64') else 'trace_test_args9'
    cases = {
        'bpf attach fentry record no_such_function': -2,
        'bpf attach fentry record bench_target_nosite': -22,
        f'bpf attach fentry record {too_many}': -95,
        'bpf attach fentry no_such_prog bpf_fentry_test2': -2,
        'bpf attach fentry deny bpf_fentry_test2': -22,
        'bpf attach sideways record bpf_fentry_test2': -22,
        'bpf attach fmod_ret override bpf_fentry_test2': -22,
        'bpf detach 99': -2,
    }
    for cmd, errno in cases.items():
        out = m.run(cmd)
        assert out.startswith('error:') and out.endswith(f'({errno})'), f'{cmd}: {out}'
    link = attach(m, 'fentry', 'count', 'bpf_fentry_test2')
    ok(m, f'bpf detach {link}')
    out = m.run(f'bpf detach {link}')
    assert out.endswith('(-2)'), out
    assert (m.run('bpf tramps'), m.run('cat enabled_functions'), m.run('text_checksum')) == before


def dump_bytes(machine, tid):
    data = bytearray()
    for line in ok(machine, f'bpf dump {tid}').split('\n'):
        data += bytes(int(b, 16) for b in line.split(':')[1].split())
    return bytes(data)


def objdump(arch, code):
    """Disassemble @code with binutils; None when the disassembler is missing."""
    tool, mach = (('objdump', 'i386:x86-64') if arch.startswith('x86_64') else
                  ('riscv64-linux-gnu-objdump', 'riscv:rv64'))
    if not shutil.which(tool):
        return None
    with tempfile.NamedTemporaryFile(suffix='.bin') as f:
        f.write(code)
        f.flush()
        out = subprocess.run([tool, '-D', '-b', 'binary', '-m', mach, f.name],
                             capture_output=True, text=True, check=True).stdout
    return [l.split('\t', 2)[-1].strip() for l in out.split('\n') if re.match(r'\s+[0-9a-f]+:\t', l)]


def test_fentry_only_trampoline_disassembles_to_the_seed_listing_plus_two_stores(entry_machine,
                                                                                 arch):
    """Seed 001: save the arguments, point the first argument at them, call
    the program, restore, return into the function - never calling the
    function itself; plus the nr_args and ip stores (and the run context)."""
    m = entry_machine
    attach(m, 'fentry', 'nop', 'bpf_fentry_test2')
    (t,) = tramps(m)
    insns = objdump(arch, dump_bytes(m, t['id']))
    assert insns is not None, 'binutils objdump missing (ci/install-deps.sh installs it)'
    text = '\n'.join(insns)
    if arch.startswith('x86_64'):
        saves = [i for i in insns if re.match(r'mov\s+%(rdi|rsi|rdx|rcx|r8|r9),0x[0-9a-f]+\(%rsp\)', i)]
        restores = [i for i in insns if re.match(r'mov\s+0x[0-9a-f]+\(%rsp\),%(rdi|rsi|rdx|rcx|r8|r9)', i)]
        calls = [i for i in insns if i.startswith('call')]
        assert insns[0].startswith('push') and '%rbp' in insns[0], text
        assert len(saves) == 2 and len(restores) == 2, text
        assert len(calls) == 1 and '*' not in calls[0], f'one direct call of the program:\n{text}'
        assert insns[-2:] == ['leave', 'ret'] or insns[-2:] == ['leaveq', 'retq'], text
        assert len([i for i in insns if 'movabs' in i]) == 3, text    # run ctx, nr_args, ip
    else:
        saves = [i for i in insns if re.match(r'sd\s+a[0-7],', i)]
        restores = [i for i in insns if re.match(r'ld\s+a[0-7],', i)]
        calls = [i for i in insns if i.startswith('jalr') and '(ra)' in i]
        assert len(saves) == 2 and len(restores) == 2, text
        assert len(calls) == 1 and 't0' not in calls[0], f'one call, of the program:\n{text}'
        assert re.match(r'(jr\s+t0|jalr\s+zero,0\(t0\))', insns[-1]), text


@pytest.mark.smp(4)
def test_attach_and_detach_under_load_on_every_cpu(entry_machine):
    m = entry_machine
    boot = ok(m, 'text_checksum')
    out = m.run('bpf_stress 20', timeout=300)
    r = key_values(out)
    assert out.endswith(' ok') and r['wrong'] == '0' and int(r['calls']) > 0, out
    assert r['links'] == '60' and int(r['workers']) == 3, out
    assert m.run('bpf tramps') == ''
    assert ok(m, 'text_checksum') == boot


def test_helpers_and_progs_are_listed(entry_machine):
    out = ok(entry_machine, 'bpf progs')
    for name in ('record', 'count', 'override:<value>', 'deny', 'nop'):
        assert any(l.startswith(name + ' ') for l in out.split('\n')), out


# ---- sharing a function with a live patch (seed 000) ----------------------

PATCH = 'livepatch-callbacks-demo'         # demo_answer() returns 42, not 41
PATCH_ENABLED = 'livepatch/livepatch_callbacks_demo/enabled'


def disable_patch(m):
    ok(m, f'echo 0 > {PATCH_ENABLED}')
    ok(m, f'rmmod {PATCH}')


@pytest.mark.parametrize('patch_first', [True, False], ids=['patch_first', 'trampoline_first'])
def test_fexit_on_a_live_patched_function_sees_the_replacement_in_both_orders(entry_machine,
                                                                             patch_first):
    m = entry_machine
    checksum = ok(m, 'text_checksum')
    if patch_first:
        ok(m, f'insmod {PATCH}')
    link = attach(m, 'fexit', 'record', 'demo_answer')
    if not patch_first:
        ok(m, f'insmod {PATCH}')
    assert 'R I D' in ok(m, 'grep demo_answer enabled_functions')
    assert ok(m, 'call demo_answer') == 'demo_answer() = 42 (0x2a)'
    assert log_lines(m)[-1].endswith(' nr_args=0 args= ret=42'), log_lines(m)
    # the patch leaves: the trampoline calls the body again
    disable_patch(m)
    assert ok(m, 'call demo_answer') == 'demo_answer() = 41 (0x29)'
    assert log_lines(m)[-1].endswith(' ret=41'), log_lines(m)
    # and comes back while the trampoline stays
    ok(m, f'insmod {PATCH}')
    assert ok(m, 'call demo_answer') == 'demo_answer() = 42 (0x2a)'
    assert log_lines(m)[-1].endswith(' ret=42'), log_lines(m)
    ok(m, f'bpf detach {link}')
    assert ok(m, 'call demo_answer') == 'demo_answer() = 42 (0x2a)'
    disable_patch(m)
    assert ok(m, 'text_checksum') == checksum
    assert m.run('grep demo_answer enabled_functions') == ''


def test_fmod_ret_on_a_live_patched_function_overrides_the_replacement(entry_machine):
    m = entry_machine
    ok(m, f'insmod {PATCH}')
    link = attach(m, 'fmod_ret', 'override:7', 'demo_answer')
    assert ok(m, 'call demo_answer') == 'demo_answer() = 7 (0x7)'
    ok(m, f'bpf detach {link}')
    assert ok(m, 'call demo_answer') == 'demo_answer() = 42 (0x2a)'
    disable_patch(m)


def test_a_shared_multi_function_trampoline_refuses_a_live_patch_and_nothing_changes(
        entry_machine):
    m = entry_machine
    # demo_answer and bpf_fmod_ret_test_runs take no argument: one trampoline
    link = attach(m, 'fexit', 'record', 'demo_answer,bpf_fmod_ret_test_runs')
    t = tramps(m)
    assert len(t) == 1 and t[0]['nfuncs'] == '2', t
    before = (m.run('bpf tramps'), m.run('cat enabled_functions'), m.run('text_checksum'),
              m.run('lsmod'))
    out = m.run(f'insmod {PATCH}')
    assert 'serves 2 functions and cannot share one with a live patch' in out, out
    assert out.split('\n')[-1] == f'error: insmod: {PATCH}: init failed: EBUSY (-16)', out
    assert (m.run('bpf tramps'), m.run('cat enabled_functions'), m.run('text_checksum'),
            m.run('lsmod')) == before
    assert ok(m, 'call demo_answer') == 'demo_answer() = 41 (0x29)'
    assert log_lines(m)[-1].endswith(' ret=41'), log_lines(m)
    ok(m, f'bpf detach {link}')


# ---- limits and messages (found by probing) --------------------------------

def test_detaching_a_link_that_touches_more_than_64_trampolines_works(entry_machine):
    """One link on 100 functions, then 70 of them each given a program of
    their own (a trampoline each): detaching the first link changes 70-odd
    trampolines in one update.  It used to be refused (a cap of 64)."""
    m = entry_machine
    boot = m.run('text_checksum')
    wide = attach(m, 'fentry', 'count', 'gen_func_1??')
    own = [attach(m, 'fentry', 'nop', f'gen_func_1{i:02d}') for i in range(70)]
    assert len(tramps(m)) > 70
    ok(m, f'bpf detach {wide}')
    left = tramps(m)
    assert len(left) == 70 and all(t['fentry'].startswith('nop#') for t in left), left
    for link in own:
        ok(m, f'bpf detach {link}')
    assert m.run('bpf tramps') == '' and m.run('cat enabled_functions') == ''
    assert m.run('text_checksum') == boot


def test_a_function_held_by_a_direct_sample_refuses_a_trampoline_naming_the_cause(entry_machine):
    m = entry_machine
    ok(m, 'insmod ftrace-direct')
    before = (m.run('cat enabled_functions'), m.run('text_checksum'))
    out = m.run('bpf attach fentry record demo_add')
    assert 'demo_add already has a direct trampoline from ftrace-direct' in out, out
    last = out.split('\n')[-1]
    assert last.startswith('error: bpf: attach fentry record demo_add: ') and \
        'held by an ops that does not share it' in last and last.endswith('(-16)'), out
    assert 'live-patched' not in out
    assert (m.run('cat enabled_functions'), m.run('text_checksum')) == before
    assert m.run('bpf tramps') == ''
    ok(m, 'rmmod ftrace-direct')


def test_the_33rd_fmod_ret_program_on_a_function_is_refused_saying_so(entry_machine):
    m = entry_machine
    for _ in range(32):
        attach(m, 'fmod_ret', 'nop', 'demo_add')
    before = (m.run('bpf tramps'), m.run('text_checksum'))
    out = m.run('bpf attach fmod_ret nop demo_add')
    assert out == ('error: bpf: attach fmod_ret nop demo_add: at most 32 fmod_ret programs '
                   'on one function (-7)'), out
    assert (m.run('bpf tramps'), m.run('text_checksum')) == before
    assert ok(m, 'call demo_add 2 3') == 'demo_add(2, 3) = 5 (0x5)'


def test_record_says_void_for_a_function_that_returns_nothing(entry_machine):
    m = entry_machine
    attach(m, 'fexit', 'record', 'version_proc_show')
    ok(m, 'version')
    lines = [l for l in log_lines(m) if ' version_proc_show ' in l]
    assert lines and lines[-1].endswith(' nr_args=0 args= ret=void'), lines


def test_override_values_that_cannot_be_returned_are_refused(entry_machine):
    m = entry_machine
    assert m.run('bpf attach fmod_ret override:72057594037927936 demo_add') == \
        'error: bpf: override: the value must fit in 56 signed bits (-34)'
    assert m.run('bpf attach fmod_ret override:0 demo_add') == \
        "error: bpf: override:0 would never skip the function (an fmod_ret program's 0 " \
        "lets the body run) (-22)"
    assert m.run('bpf tramps') == ''
    link = attach(m, 'fmod_ret', 'override:-36028797018963968', 'demo_add')   # -2^55
    assert ok(m, 'call demo_add 2 3') == 'demo_add(2, 3) = -36028797018963968 (0xff80000000000000)'
    ok(m, f'bpf detach {link}')
