/*
 * trace_targets.c - functions with known semantics for the tracing tests,
 * never inlined (the role of Linux's trace_selftest_dynamic.c):
 *
 *  - the fentry selftest family: 1 to 8 arguments mixing char, short, int,
 *    u64 and pointers, one taking a struct pointer; each returns the sum of
 *    its arguments (pointers count as their address);
 *  - the five functions of the multi-attach discussion: a(int), b(long),
 *    c(void *), d(int, int), e(long, long);
 *  - a known call chain for function_graph: chain_outer -> chain_middle ->
 *    chain_leaf (twice) and chain_other;
 *  - the prototype cases of BTF function models (kernel/bpf/btf.c): narrow
 *    signed and unsigned integers, enums, 7 to 9 arguments, structs by
 *    value of 8, 16 and 24 bytes, a packed one, struct and narrow returns,
 *    a variadic function and an __int128; each returns a value computable
 *    from its arguments (the sum of their C values unless it says otherwise).
 */
#include "kernel.h"

struct bpf_fentry_test_t {
	struct bpf_fentry_test_t *a;
};

int __noinline bpf_fentry_test1(int a)
{
	return a + 1;
}

int __noinline bpf_fentry_test2(int a, u64 b)
{
	return a + b;
}

int __noinline bpf_fentry_test3(char a, int b, u64 c)
{
	return a + b + c;
}

int __noinline bpf_fentry_test4(void *a, char b, int c, u64 d)
{
	return (long)a + b + c + d;
}

int __noinline bpf_fentry_test5(u64 a, void *b, short c, int d, u64 e)
{
	return a + (long)b + c + d + e;
}

int __noinline bpf_fentry_test6(u64 a, void *b, short c, int d, void *e, u64 f)
{
	return a + (long)b + c + d + (long)e + f;
}

int __noinline bpf_fentry_test7(struct bpf_fentry_test_t *arg)
{
	return (long)arg;
}

int __noinline bpf_fentry_test8(struct bpf_fentry_test_t *arg)
{
	return (long)arg->a;
}

/* Eight arguments: x86_64 passes two of them on the stack, riscv64 none. */
long __noinline trace_test_args8(long a, long b, long c, long d, long e, long f,
				 long g, long h)
{
	return a + b + c + d + e + f + g + h;
}

/*
 * BTF model cases.  What each proves is in tests/test_btf.py; the structs
 * and enums are the C types their models are checked against.
 */

/* Every integer width, signed and unsigned, in one register each. */
long __noinline trace_test_small_ints(signed char a, short b, int c, unsigned char d,
				      unsigned short e, unsigned int f)
{
	return (long)a + b + c + d + e + (long)f;
}

/* An enum with a negative value is signed, one without is unsigned; bool is unsigned. */
enum trace_test_sign { TRACE_TEST_NEG = -1, TRACE_TEST_POS = 1 };
enum trace_test_flags { TRACE_TEST_F1 = 1, TRACE_TEST_HIGH = 0x80000000u };

long __noinline trace_test_enums(enum trace_test_sign s, enum trace_test_flags f, bool b)
{
	return (long)s + (long)f + b;
}

/* Seven arguments: one more than x86_64 passes in registers. */
long __noinline trace_test_args7(long a, long b, long c, long d, long e, long f, long g)
{
	return a + b + c + d + e + f + g;
}

/* Nine arguments: one more than riscv64 passes in registers. */
long __noinline trace_test_args9(long a, long b, long c, long d, long e, long f, long g,
				 long h, long i)
{
	return a + b + c + d + e + f + g + h + i;
}

struct trace_test_small { int a; short b; };		/* 8 bytes: one register */
struct trace_test_pair { long a, b; };			/* 16 bytes: two registers */
struct trace_test_triple { long a, b, c; };		/* 24 bytes: in memory */
struct trace_test_packed { char c; long l; } __packed;	/* 9 bytes, l unaligned */

/* Weighted, so the result shows which register held which field. */
long __noinline trace_test_struct8(struct trace_test_small s, long x)
{
	return s.a + 10L * s.b + 100 * x;
}

/* The pair takes the second and third registers, y the fourth (weighted). */
long __noinline trace_test_struct16(int x, struct trace_test_pair p, long y)
{
	return x + 10 * p.a + 100 * p.b + 1000 * y;
}

long __noinline trace_test_struct24(struct trace_test_triple t)
{
	return t.a + t.b + t.c;
}

/* x86_64 passes a struct with an unaligned member in memory. */
long __noinline trace_test_struct_packed(struct trace_test_packed p)
{
	return p.c + p.l;
}

/* Six arguments in seven registers: fits riscv64's eight, not x86_64's six. */
long __noinline trace_test_struct_regs(long a, long b, long c, long d, long e,
				       struct trace_test_pair p)
{
	return a + b + c + d + e + p.a + p.b;
}

/* Returns {x, x + 1}: a struct returned by value. */
struct trace_test_pair __noinline trace_test_ret_struct(long x)
{
	return (struct trace_test_pair){ x, x + 1 };
}

/* Narrow returns: x truncated to the return type. */
signed char __noinline trace_test_ret_schar(long x)
{
	return (signed char)x;
}

unsigned short __noinline trace_test_ret_ushort(long x)
{
	return (unsigned short)x;
}

/* Returns x as a pointer. */
void *__noinline trace_test_ret_ptr(long x)
{
	return (void *)x;
}

/* Returns nothing: stores x in trace_test_sink. */
volatile long trace_test_sink;

void __noinline trace_test_ret_void(long x)
{
	trace_test_sink = x;
}

/* Variadic: the sum of the n longs after n. */
long __noinline trace_test_varargs(int n, ...)
{
	va_list ap;
	long sum = 0;

	va_start(ap, n);
	while (n-- > 0)
		sum += va_arg(ap, long);
	va_end(ap);
	return sum;
}

/* A 16-byte integer: its high half plus its low half. */
long __noinline trace_test_int128(__int128 x)
{
	return (long)(x >> 64) + (long)x;
}

/* The multi-attach discussion's five functions. */
int __noinline a(int x)
{
	return x + 1;
}

long __noinline b(long x)
{
	return x + 2;
}

long __noinline c(void *p)
{
	return (long)p + 3;
}

int __noinline d(int x, int y)
{
	return x + y + 4;
}

long __noinline e(long x, long y)
{
	return x + y + 5;
}

/* A known call chain for function_graph nesting. */
long __noinline chain_leaf(long x)
{
	return x * 2;
}

long __noinline chain_other(long x)
{
	return x + 7;
}

long __noinline chain_middle(long x)
{
	return chain_leaf(x) + chain_leaf(x + 1);
}

long __noinline chain_outer(long x)
{
	return chain_middle(x) + chain_other(x);
}

/* A function that tracing callbacks may call themselves (recursion test). */
long __noinline trace_recursion_target(long x)
{
	return x + 11;
}

/* The two functions of Linux's ftrace ops selftest. */
int __noinline trace_selftest_dynamic_test_func(void)
{
	barrier();
	return 0;
}

int __noinline trace_selftest_dynamic_test_func2(void)
{
	barrier();
	return 0;
}

/* IPMODIFY selftest: the callback sends calls of _orig to _new. */
long __noinline selftest_ipmodify_orig(long x)
{
	return x + 1;
}

long __noinline selftest_ipmodify_new(long x)
{
	return x + 1000;
}

/* Benchmark targets (kernel/trace/bench.c): same body, with and without a site. */
long __noinline bench_target(long x)
{
	return x + 1;
}

long __noinline notrace bench_target_nosite(long x)
{
	return x + 1;
}

/* Stress targets (kernel/tests/stress.c): results the workers can check. */
long __noinline stress_target(long x)
{
	return 3 * x + 1;
}

long __noinline stress_irq_target(long x)
{
	return 5 * x + 2;
}

/* Race target (kernel/tests/race.c): traced by `race resize`'s writers. */
long __noinline race_target(long x)
{
	return x + 1;
}

/*
 * fmod_ret targets (kernel/bpf, tests/test_bpf.py): the body counts its
 * runs, so a test can prove an fmod_ret program skipped it.
 */
static unsigned long fmod_ret_body_runs;

int __noinline bpf_fmod_ret_test(int x)
{
	fmod_ret_body_runs++;
	return x + 1;
}

long __noinline bpf_fmod_ret_test_runs(void)
{
	return (long)fmod_ret_body_runs;
}

/* The target `bpf_stress` attaches to and detaches from under load. */
long __noinline bpf_stress_target(long x)
{
	return 3 * x + 1;
}
