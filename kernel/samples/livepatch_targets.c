/*
 * livepatch_targets.c - what the live patching tests replace, and their
 * replacements (klp_targets.h).  Traceable and noinline, in their own file
 * (as trace_targets.c), so the compiler keeps every call a real call.
 * Each counts its own calls on the CPU it runs on.
 */
#include "kernel.h"
#include "klp_targets.h"

struct klp_target_counts klp_target_counts[MAX_CPUS];

#define COUNT(field, n) __atomic_add_fetch(&klp_target_counts[arch_cpu_id()].field, (n), \
					   __ATOMIC_RELAXED)

/*
 * spin - a little work inside klp_outer's two versions, so CPUs are often
 * inside one when a transition starts (the window the model covers).
 */
static inline void spin(void)
{
	for (volatile int i = 0; i < 16; i++)
		;
}

long __noinline klp_inner(long x)
{
	COUNT(inner_old, 1);
	return 1;
}

long __noinline klp_outer(long x)
{
	long r;

	COUNT(outer_old, 1);
	COUNT(in_old, 1);
	spin();
	r = klp_inner(x) * 10 + 1;
	COUNT(in_old, -1);
	return r;
}

long __noinline klp_inner_v2(long x)
{
	COUNT(inner_new, 1);
	return 2;
}

long __noinline klp_outer_v2(long x)
{
	long r;

	COUNT(outer_new, 1);
	COUNT(in_new, 1);
	spin();
	r = klp_inner(x) * 10 + 2;	/* the old name: the patch sends it to klp_inner_v2 */
	COUNT(in_new, -1);
	return r;
}

long __noinline klp_reuse_target(long x)
{
	COUNT(reuse_old, 1);
	return x + 1;
}

unsigned long bench_target_v2_calls;

long __noinline bench_target_v2(long x)
{
	bench_target_v2_calls++;
	return x + 1;
}
