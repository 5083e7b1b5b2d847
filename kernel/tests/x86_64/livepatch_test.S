/*
 * livepatch_test.S - x86_64 code for kernel/tests/livepatch_test.c: a
 * direct trampoline, and the replacements of the test-klp-reuse-{a,b}
 * modules, each in its own position-independent blob (module.h).
 */

/*
 * klp_test_direct_tramp - a direct trampoline of the x86_64 convention
 * (arch_ftrace.h), entered as if the site had called it:
 *
 *	[rsp]      where the traced call continues: the function's body, or
 *	           the replacement a live patch chose (SHARE_IPMODIFY)
 *	[rsp + 8]  the return into the traced function's parent
 *
 * Counts itself in klp_test_direct_hits and returns into [rsp], with every
 * argument register untouched (only the flags change).
 */
	.text
	.balign 16
	.globl klp_test_direct_tramp
	.type klp_test_direct_tramp, @function
klp_test_direct_tramp:
	lock incq klp_test_direct_hits(%rip)
	ret
	.size klp_test_direct_tramp, . - klp_test_direct_tramp

/* Iterations of the replacements' busy loop: CPUs are mostly inside them. */
#define REUSE_SPIN	12000000

/*
 * REUSE_BLOB name, slot, delta - a blob holding one replacement of
 * klp_reuse_target(x) (= x + 1): it counts itself in klp_reuse_hits[slot]
 * through an absolute address (the blob runs from a copy elsewhere),
 * spins, and returns x + delta.  Both blobs are the same size, so each
 * load takes the pool memory the other one's unload freed.
 */
	.macro REUSE_BLOB name, slot, delta
	.balign 16
	.globl \name\()_start, \name\()_end, \name\()_new
\name\()_start:
\name\()_new:
	movabsq	$klp_reuse_hits + 8 * \slot, %rax
	lock incq (%rax)
	movl	$REUSE_SPIN, %ecx
1:	decl	%ecx
	jnz	1b
	leaq	\delta(%rdi), %rax
	ret
\name\()_end:
	.endm

	REUSE_BLOB klp_reuse_blob_a, 0, 2
	REUSE_BLOB klp_reuse_blob_b, 1, 3
