"""BTF function prototype scenarios (kernel/bpf/btf.c, `btf` console command).

The build encodes the pass-1 image's DWARF with pahole and links the BTF into
the image; the kernel turns a function's prototype into the register model a
trampoline is built from, or refuses it with -EOPNOTSUPP and the reason.
Every test runs on each image (both arches, both call-site flavours) and
checks the exact console lines of docs/console-protocol.md against the C
declarations in kernel/samples/trace_targets.c and gen_funcs.py.
"""
import random
import re
import struct
from collections import Counter

from harness import ROOT

EOPNOTSUPP, ENOENT, EINVAL = -95, -2, -22
# Integer arguments each ABI passes in registers (arch_ftrace.h ARCH_FTRACE_REG_ARGS).
ARG_REGS = {'x86_64': 6, 'riscv64': 8}
# Plain `char` is signed on x86_64 and unsigned on riscv64 (each psABI).
CHAR = {'x86_64': '1:s', 'riscv64': '1:u'}

MODEL = re.compile(r'func=(\S+) addr=0x([0-9a-f]+) nr_args=(\d+) nr_regs=(\d+) '
                   r'ret=(\S+) args=(\S+) proto=(.+)')
SUMMARY = re.compile(r'bytes=(\d+) types=(\d+) funcs=(\d+) protos=(\d+) str_bytes=(\d+) '
                     r'arg_regs=(\d+) parse_us=(\d+)')
CALL_RESULT = re.compile(r'\S+\(.*\) = (-?\d+) \(0x[0-9a-f]+\)')


def sym_addr(machine, name):
    """The address `sym NAME` gives."""
    out = machine.run(f'sym {name}')
    m = re.fullmatch(rf'{re.escape(name)}: 0x([0-9a-f]{{16}}) size (\d+)', out)
    assert m, f'sym {name} printed {out!r}'
    return int(m.group(1), 16), int(m.group(2))


def model(machine, name):
    """`btf NAME` as (nr_args, nr_regs, ret, args, proto), checking that the
    line names the function and the address `sym` gives."""
    out = machine.run(f'btf {name}')
    m = MODEL.fullmatch(out)
    assert m, f'btf {name} printed {out!r}, not a model line'
    assert m.group(1) == name, f'btf {name} describes {m.group(1)}: {out!r}'
    addr, _ = sym_addr(machine, name)
    assert int(m.group(2), 16) == addr, f'btf {name} says addr=0x{m.group(2)}, sym says {addr:#x}'
    return int(m.group(3)), int(m.group(4)), m.group(5), m.group(6), m.group(7)


def assert_models(machine, expected):
    """Each name's model is exactly the expected tuple."""
    wrong = {n: got for n, want in expected.items() if (got := model(machine, n)) != want}
    assert not wrong, '\n'.join(f'btf {n}: got {wrong[n]}\n  want {expected[n]}' for n in wrong)


def assert_errors(machine, expected, err):
    """Each `btf NAME` prints exactly `error: <why> (<err>)`."""
    wrong = {}
    for name, why in expected.items():
        out = machine.run(f'btf {name}')
        if out != f'error: {why} ({err})':
            wrong[name] = out
    assert not wrong, '\n'.join(f'btf {n} printed {o!r}\n  want {f"error: {expected[n]} ({err})"!r}'
                                for n, o in wrong.items())


def host_btf_counts(path):
    """What the kernel's summary must report, read on the host from the raw
    BTF pahole wrote (Linux's format: header, type records, strings)."""
    data = path.read_bytes()
    magic, _, _, hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from('<HBBIIIII', data)
    assert magic == 0xeb9f, f'{path}: not BTF (magic {magic:#x})'
    end = hdr_len + max(type_off + type_len, str_off + str_len)
    assert end == len(data), f'{path}: {len(data)} bytes, its sections end at {end}'
    types = data[hdr_len + type_off:hdr_len + type_off + type_len]
    fixed = {1: 4, 3: 12, 14: 4, 17: 4}                 # INT ARRAY VAR DECL_TAG
    per_member = {4: 12, 5: 12, 6: 8, 13: 8, 15: 12, 19: 12}
    kinds, pos = Counter(), 0
    while pos < len(types):
        info, = struct.unpack_from('<I', types, pos + 4)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        kinds[kind] += 1
        pos += 12 + fixed.get(kind, 0) + per_member.get(kind, 0) * vlen
    return dict(bytes=len(data), types=sum(kinds.values()), funcs=kinds[12], protos=kinds[13],
                str_bytes=str_len)


def test_btf_summary_matches_the_btf_pahole_encoded_for_this_image(machine):
    out = machine.run('btf')
    m = SUMMARY.fullmatch(out)
    assert m, f'btf printed {out!r}'
    got = dict(zip(('bytes', 'types', 'funcs', 'protos', 'str_bytes'), map(int, m.groups()[:5])))
    want = host_btf_counts(ROOT / 'images' / machine.spec.name / 'kernel.btf')
    assert got == want, f'the kernel parsed {got}, the build encoded {want}'
    assert int(m.group(6)) == ARG_REGS[machine.spec.kernel_arch], \
        f'arg_regs={m.group(6)} on {machine.spec.kernel_arch}'


def test_fentry_family_models_follow_their_c_declarations(machine):
    char = CHAR[machine.spec.kernel_arch]
    assert_models(machine, {
        'bpf_fentry_test1': (1, 1, '4:s', '4:s', 'int bpf_fentry_test1(int a)'),
        'bpf_fentry_test2': (2, 2, '4:s', '4:s,8:u', 'int bpf_fentry_test2(int a, u64 b)'),
        'bpf_fentry_test3': (3, 3, '4:s', f'{char},4:s,8:u',
                             'int bpf_fentry_test3(char a, int b, u64 c)'),
        'bpf_fentry_test4': (4, 4, '4:s', f'8:ptr,{char},4:s,8:u',
                             'int bpf_fentry_test4(void *a, char b, int c, u64 d)'),
        'bpf_fentry_test5': (5, 5, '4:s', '8:u,8:ptr,2:s,4:s,8:u',
                             'int bpf_fentry_test5(u64 a, void *b, short int c, int d, u64 e)'),
        'bpf_fentry_test6': (6, 6, '4:s', '8:u,8:ptr,2:s,4:s,8:ptr,8:u',
                             'int bpf_fentry_test6(u64 a, void *b, short int c, int d, void *e, '
                             'u64 f)'),
        'bpf_fentry_test7': (1, 1, '4:s', '8:ptr',
                             'int bpf_fentry_test7(struct bpf_fentry_test_t *arg)'),
        'bpf_fentry_test8': (1, 1, '4:s', '8:ptr',
                             'int bpf_fentry_test8(struct bpf_fentry_test_t *arg)'),
    })


def test_narrow_integers_enums_bool_and_returns_keep_their_size_and_signedness(machine):
    assert_models(machine, {
        'trace_test_small_ints': (6, 6, '8:s', '1:s,2:s,4:s,1:u,2:u,4:u',
                                  'long int trace_test_small_ints(signed char a, short int b, '
                                  'int c, unsigned char d, short unsigned int e, unsigned int f)'),
        # An enum with a negative enumerator is signed; one whose largest is
        # 0x80000000 is unsigned int; bool is unsigned.
        'trace_test_enums': (3, 3, '8:s', '4:s,4:u,1:u',
                             'long int trace_test_enums(enum trace_test_sign s, '
                             'enum trace_test_flags f, _Bool b)'),
        'trace_test_ret_schar': (1, 1, '1:s', '8:s',
                                 'signed char trace_test_ret_schar(long int x)'),
        'trace_test_ret_ushort': (1, 1, '2:u', '8:s',
                                  'short unsigned int trace_test_ret_ushort(long int x)'),
        'trace_test_ret_ptr': (1, 1, '8:ptr', '8:s', 'void *trace_test_ret_ptr(long int x)'),
        'trace_test_ret_void': (1, 1, 'void', '8:s', 'void trace_test_ret_void(long int x)'),
        'console_set_sink': (1, 1, 'void', '8:ptr',
                             'void console_set_sink(void (*sink)(const char *, size_t))'),
    })


def test_structs_by_value_take_one_register_per_eight_bytes(machine):
    assert_models(machine, {
        'trace_test_struct8': (2, 2, '8:s', '8:struct,8:s',
                               'long int trace_test_struct8(struct trace_test_small s, long int x)'),
        'trace_test_struct16': (3, 4, '8:s', '4:s,16:struct,8:s',
                                'long int trace_test_struct16(int x, struct trace_test_pair p, '
                                'long int y)'),
    })


def test_struct_arguments_sit_in_the_register_slots_their_model_gives(machine):
    """Call each target with slot k holding a known value and check what the
    function read: its result weights each field, so a struct the model
    places one slot off gives another number."""
    # trace_test_struct8(s, x) = s.a + 10 * s.b + 100 * x, s = {int a; short b;}
    # trace_test_struct16(x, p, y) = x + 10 * p.a + 100 * p.b + 1000 * y
    cases = {
        'trace_test_struct8': ({'s': (3, 2), 'x': 10}, 3 + 10 * 2 + 100 * 10),
        'trace_test_struct16': ({'x': 1, 'p': (2, 3), 'y': 4}, 1 + 10 * 2 + 100 * 3 + 1000 * 4),
    }
    for name, (fields, want) in cases.items():
        _, nr_regs, _, args, _ = model(machine, name)
        slots = []
        for token, value in zip(args.split(','), fields.values()):
            size, cls = token.split(':')
            if cls == 'struct' and int(size) <= 8:      # {int a; short b;}: one register
                slots.append(value[0] | value[1] << 32)
            elif cls == 'struct':                       # {long a, b;}: two registers
                slots.extend(value)
            else:
                slots.append(value)
        assert len(slots) == nr_regs, f'{name}: {args} fills {len(slots)} slots, nr_regs={nr_regs}'
        out = machine.run(f'call {name} ' + ' '.join(str(v) for v in slots))
        m = CALL_RESULT.fullmatch(out)
        assert m and int(m.group(1)) == want, \
            f'{name} with slots {slots} (model args={args}) printed {out!r}, want = {want}'


def test_prototype_targets_compute_their_documented_results(machine):
    # 32-bit values go in as the sign-extended register riscv64's ABI
    # requires (unsigned int 0xffffffff is the register value -1).
    cases = {
        'call trace_test_small_ints -1 -2 -3 255 65535 -1': -1 - 2 - 3 + 255 + 65535 + 0xffffffff,
        'call trace_test_enums -1 -2147483648 1': -1 + 0x80000000 + 1,
        'call trace_test_ret_ptr 4096': 4096,
        'call trace_test_varargs 3 10 20 30': 60,
        'call trace_test_int128 5 7': 12,   # low half in the first register, high in the second
    }
    wrong = {}
    for cmd, want in cases.items():
        out = machine.run(cmd)
        m = CALL_RESULT.fullmatch(out)
        if not m or int(m.group(1)) != want:
            wrong[cmd] = (out, want)
    assert not wrong, '\n'.join(f'{c!r} printed {o!r}, want = {w}' for c, (o, w) in wrong.items())


def test_more_argument_registers_than_the_arch_passes_is_eopnotsupp(machine):
    arch = machine.spec.kernel_arch
    limit = ARG_REGS[arch]
    cases = {   # name: (nr_args, nr_regs, args)
        'trace_test_args7': (7, 7, ','.join(['8:s'] * 7)),
        'trace_test_args8': (8, 8, ','.join(['8:s'] * 8)),
        'trace_test_args9': (9, 9, ','.join(['8:s'] * 9)),
        'trace_test_struct_regs': (6, 7, '8:s,8:s,8:s,8:s,8:s,16:struct'),
    }
    served = {n: c for n, c in cases.items() if c[1] <= limit}
    refused = {n: f'{n}: {c[0]} arguments in {c[1]} registers, more than the {limit} {arch} '
                  'passes in registers (stack arguments are not supported)'
               for n, c in cases.items() if c[1] > limit}
    for name, (nr_args, nr_regs, args) in served.items():
        got = model(machine, name)
        assert got[:4] == (nr_args, nr_regs, '8:s', args), \
            f'btf {name} on {arch} ({limit} argument registers): {got}'
    assert_errors(machine, refused, EOPNOTSUPP)


def test_prototypes_no_register_model_fits_are_eopnotsupp_with_the_reason(machine):
    assert_errors(machine, {
        'trace_test_struct24': 'trace_test_struct24: argument 0 (struct trace_test_triple t) is a '
                               'struct of 24 bytes passed by value, wider than two registers',
        'trace_test_struct_packed': 'trace_test_struct_packed: argument 0 (struct trace_test_packed '
                                    'p) is a struct passed by value that has a member at an '
                                    'unaligned offset (x86_64 passes it in memory)',
        'trace_test_ret_struct': 'trace_test_ret_struct: return value (struct trace_test_pair) is '
                                 'a struct returned by value',
        'trace_test_varargs': 'trace_test_varargs: is variadic (arguments past the fixed ones '
                              'have no type)',
        'trace_test_int128': 'trace_test_int128: argument 0 (__int128 x) is a 16-byte integer '
                             '(register pairs are not modelled)',
        'ftrace_caller': 'ftrace_caller: no BTF prototype (assembly, or a copy the compiler made '
                         'of a C function)',
    }, EOPNOTSUPP)


def test_unknown_function_or_address_is_enoent_and_bad_usage_einval(machine):
    cases = {
        'btf no_such_function': f'error: no_such_function: no such function ({ENOENT})',
        'btf 0x10': f'error: 0x10: in no kernel function ({ENOENT})',
        'btf -c no_such_*': f"error: no function matches 'no_such_*' ({ENOENT})",
        'btf a b': f'error: usage: btf [FUNC | ADDR | -c GLOB] ({EINVAL})',
    }
    wrong = {c: o for c, want in cases.items() if (o := machine.run(c)) != want}
    assert not wrong, '\n'.join(f'{c!r} printed {o!r}, want {cases[c]!r}' for c, o in wrong.items())


def test_lookup_by_address_gives_the_containing_functions_model(machine):
    addr, size = sym_addr(machine, 'bpf_fentry_test2')
    by_name = machine.run('btf bpf_fentry_test2')
    for a in (addr, addr + size - 1):
        by_addr = machine.run(f'btf {a:#x}')
        assert by_addr == by_name, f'btf {a:#x} printed {by_addr!r}, btf by name {by_name!r}'


def test_btf_covers_every_generated_function_with_its_argument_count(machine):
    """gen_func_<i> takes i % 7 longs: all of them have a model, counted in
    the kernel, and a random sample has exactly its prototype."""
    out = machine.run('btf -c gen_func_*')
    m = re.fullmatch(r'matched=(\d+) models=(\d+) unsupported=(\d+) nr_args=(\S+)', out)
    assert m, f'btf -c gen_func_* printed {out!r}'
    n = int(m.group(1))
    hist = Counter(i % 7 for i in range(n))
    want_hist = ','.join(f'{k}:{hist[k]}' for k in sorted(hist))
    assert n > 0 and (int(m.group(2)), int(m.group(3)), m.group(4)) == (n, 0, want_hist), \
        f'{n} generated functions: want models={n} unsupported=0 nr_args={want_hist}, got {out!r}'
    sample = sorted(set(range(min(n, 7))) | {n - 1} | set(random.Random(9).sample(range(n), min(n, 16))))
    expected = {}
    for i in sample:
        k = i % 7
        params = ', '.join(f'long int a{j}' for j in range(k)) or 'void'
        expected[f'gen_func_{i}'] = (k, k, '8:s', ','.join(['8:s'] * k) or 'void',
                                     f'long int gen_func_{i}({params})')
    assert_models(machine, expected)
