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
 *    chain_leaf (twice) and chain_other.
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

/* Eight arguments: two of them on the stack on both ABIs. */
long __noinline trace_test_args8(long a, long b, long c, long d, long e, long f,
				 long g, long h)
{
	return a + b + c + d + e + f + g + h;
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
