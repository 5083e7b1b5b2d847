/*
 * livepatch_test.S - riscv64 code for kernel/tests/livepatch_test.c: a
 * direct trampoline, and the replacements of the test-klp-reuse-{a,b}
 * modules, each in its own position-independent blob (module.h).
 */

/*
 * klp_test_direct_tramp - a direct trampoline of the riscv64 convention
 * (the t0 / t1 one, mcount-dyn.S):
 *
 *	t0  where the traced call continues: the function's body, or the
 *	    replacement a live patch chose (SHARE_IPMODIFY)
 *	ra  the return into the traced function's parent
 *
 * Counts itself in klp_test_direct_hits and jumps to t0.  Uses t1 and t2,
 * scratch at a function's entry (t1 held this trampoline's address).
 */
	.text
	.balign 4
	.globl klp_test_direct_tramp
	.type klp_test_direct_tramp, @function
klp_test_direct_tramp:
	lla	t1, klp_test_direct_hits
	li	t2, 1
	amoadd.d zero, t2, (t1)
	jr	t0
	.size klp_test_direct_tramp, . - klp_test_direct_tramp

/* Iterations of the replacements' busy loop: CPUs are mostly inside them. */
#define REUSE_SPIN	12000000

/*
 * REUSE_BLOB name, slot, delta - a blob holding one replacement of
 * klp_reuse_target(x) (= x + 1): it counts itself in klp_reuse_hits[slot]
 * through an absolute address kept in the blob (it runs from a copy
 * elsewhere: only pc-relative references inside the blob survive, so
 * norelax keeps the assembler from turning them into anything else),
 * spins, and returns x + delta.  Both blobs are the same size, so each
 * load takes the pool memory the other one's unload freed.
 */
	.macro REUSE_BLOB name, slot, delta
	.balign 8
	.globl \name\()_start, \name\()_end, \name\()_new
\name\()_start:
\name\()_new:
2:	auipc	t1, %pcrel_hi(\name\()_lit)
	ld	t1, %pcrel_lo(2b)(t1)
	li	t2, 1
	amoadd.d zero, t2, (t1)
	li	t1, REUSE_SPIN
1:	addi	t1, t1, -1
	bnez	t1, 1b
	addi	a0, a0, \delta
	ret
	.balign 8
\name\()_lit:
	.dword	klp_reuse_hits + 8 * \slot
\name\()_end:
	.endm

	.option push
	.option norelax
	REUSE_BLOB klp_reuse_blob_a, 0, 2
	REUSE_BLOB klp_reuse_blob_b, 1, 3
	.option pop
