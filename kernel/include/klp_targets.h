/*
 * klp_targets.h - the functions the live patching tests replace
 * (kernel/samples/livepatch_targets.c) and the per-CPU counts they keep of
 * their own calls, so a test counts calls of the original and of the
 * replacement where they run, not where they are made.
 */
#ifndef KLP_TARGETS_H
#define KLP_TARGETS_H

#include "types.h"
#include "percpu.h"

/*
 * Counts per CPU, bumped atomically (an interrupt handler on the same CPU
 * may call the same function in the middle of an increment).  in_old /
 * in_new: calls of klp_outer / klp_outer_v2 running on this CPU right now
 * (above 1 when an interrupt nests a call inside another).
 */
struct klp_target_counts {
	unsigned long outer_old, outer_new, inner_old, inner_new;
	long in_old, in_new;
	unsigned long reuse_old;	/* klp_reuse_target's own calls */
} __aligned(64);

extern struct klp_target_counts klp_target_counts[MAX_CPUS];

/*
 * A two-function patch: klp_outer calls klp_inner.  Old: 1 and 10 * 1 + 1;
 * new: 2 and 10 * 2 + 2.  A call chain that mixed the sides returns 12 or
 * 21: the consistency model says it never does.
 */
#define KLP_OUTER_OLD	11
#define KLP_OUTER_NEW	22
long klp_outer(long x);
long klp_inner(long x);
long klp_outer_v2(long x);
long klp_inner_v2(long x);

/* klp_reuse_target(x) = x + 1; the test-klp-reuse-{a,b} modules make it x + 2, x + 3. */
long klp_reuse_target(long x);

/* The bench row's patch: bench_target's replacement, same result, counted. */
long bench_target_v2(long x);
extern unsigned long bench_target_v2_calls;

#endif /* KLP_TARGETS_H */
