/*
 * direct-tramp.h - how the riscv64 sample trampolines are written: what a
 * user writing a direct trampoline must do (Linux's samples/ftrace, riscv
 * parts, and seed 004's t0 / t1 convention), as macros the samples' .S
 * files share.
 *
 * A site served by the direct ops alone calls the trampoline itself
 * (auipc t0 + jalr t0); when other ops share the site, ftrace_regs_caller
 * runs them and then jumps to it through t1.  Either way, on entry:
 *
 *      t0        return into the traced function F (site + 8), or where an
 *                IPMODIFY ops sent the call: the trampoline returns there
 *      ra        return into F's caller (F's prologue has not run)
 *      a0..a7    F's arguments
 *      sp        F's entry sp
 *
 * So the trampoline
 *  1. saves a0-a7, t0 and ra (the C handler clobbers them; F needs all);
 *  2. pushes a frame record {s0, ra} ending at F's entry sp and points s0
 *     at it, so backtraces taken in the handler read handler ->
 *     trampoline -> F's caller;
 *  3. calls the handler through an absolute address kept in a literal
 *     beside the code (loaded pc-relative, so the copy in the trampoline
 *     pool finds its own literal; module.h);
 *  4. restores and returns into F with jr t0 (never ret: ra is F's).
 *
 * Frame (TRAMP_FRAME bytes, 16-byte aligned):
 *
 *   entry sp -> +--------------------------+
 *               | ra   (into F's caller)   |  TRAMP_RA  \ frame record
 *               | s0   (caller's fp)       |  TRAMP_FP  /  s0 -> entry sp
 *               | (pad)                    |
 *               | t0   (into F)            |  TRAMP_T0
 *               | a7 .. a0                 |  TRAMP_A(n)
 *   sp       -> +--------------------------+
 */
#ifndef SAMPLES_FTRACE_RISCV_DIRECT_TRAMP_H
#define SAMPLES_FTRACE_RISCV_DIRECT_TRAMP_H

#define TRAMP_FRAME	96
#define TRAMP_A(n)	((n) * 8)
#define TRAMP_T0	64
#define TRAMP_FP	80
#define TRAMP_RA	88

	.if (TRAMP_FRAME % 16) != 0
	.error "the sample trampoline frame breaks the 16-byte stack alignment"
	.endif
	.if TRAMP_RA + 8 != TRAMP_FRAME
	.error "the frame record must end at the entry sp"
	.endif

	.macro TRAMP_ENTER
	addi	sp, sp, -TRAMP_FRAME
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7
	sd	a\n, TRAMP_A(\n)(sp)
	.endr
	sd	t0, TRAMP_T0(sp)
	sd	s0, TRAMP_FP(sp)
	sd	ra, TRAMP_RA(sp)
	addi	s0, sp, TRAMP_FRAME
	.endm

	/*
	 * CALL_ABS literal - call the handler whose address the 8-byte
	 * @literal holds (auipc + ld: pc-relative, inside the copied code).
	 */
	.macro CALL_ABS literal
	ld	t1, \literal
	jalr	t1
	.endm

	.macro TRAMP_LEAVE
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7
	ld	a\n, TRAMP_A(\n)(sp)
	.endr
	ld	t0, TRAMP_T0(sp)
	ld	s0, TRAMP_FP(sp)
	ld	ra, TRAMP_RA(sp)
	addi	sp, sp, TRAMP_FRAME
	jr	t0
	.endm

	/* HANDLER_LITERAL name, handler - the 8-byte absolute address of @handler. */
	.macro HANDLER_LITERAL name, handler
	.balign	8
\name:
	.dword	\handler
	.endm

#endif
