/*
 * ptrace.h - the riscv64 trap frame, as entry.S builds it on the stack.
 *
 * Slot i (8 bytes each) holds register x<i> for i = 1..31; slot 0, where x0
 * would be, holds sepc.  After the CSRs come three slots trap.c fills only
 * when a trap is fatal (see riscv_prepare_unwind()): the frame pointer die()
 * starts its backtrace from, and a two-word frame record {fp, ra} laid out
 * like a real one (ra at record_end - 8, fp at record_end - 16) so the
 * walk can step through a leaf function that never saved ra.
 *
 *   sp + PT_SIZE    ->  sp before the trap (saved in PT_SP)
 *                       frame_ra          PT_FRAME_RA
 *                       frame_fp          PT_FRAME_FP
 *                       unwind_fp         PT_UNWIND_FP (0: use s0)
 *                       scause, stval, sstatus
 *                       x31 ... x1
 *   sp              ->  sepc              <- struct pt_regs *
 */
#ifndef RISCV_PTRACE_H
#define RISCV_PTRACE_H

/* PT_* offsets come from asm-offsets.c (generated asm-offsets.h). */
#ifndef ASM_OFFSETS_GEN	/* not while generating it */
#include "asm-offsets.h"
#endif
/* x<n> (n = 1..31) is slot n, checked for every register in asm-offsets.c. */
#define PT_X(n)		((n) * 8)

#ifndef __ASSEMBLY__
#include "types.h"

struct pt_regs {
	unsigned long sepc;
	unsigned long ra, sp, gp, tp, t0, t1, t2;	/* x1..x7 */
	unsigned long s0, s1;				/* x8, x9 */
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;	/* x10..x17 */
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11; /* x18..x27 */
	unsigned long t3, t4, t5, t6;			/* x28..x31 */
	unsigned long sstatus, stval, scause;
	unsigned long unwind_fp;
	unsigned long frame_fp, frame_ra;
};
#endif

#endif /* RISCV_PTRACE_H */
