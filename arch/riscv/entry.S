/*
 * entry.S - the single S-mode trap vector (stvec, direct mode).
 *
 * Builds a struct pt_regs (include/ptrace.h) on the current stack and calls
 * riscv_trap(regs, on_emergency_stack).  Every trap comes from S-mode (there
 * is no user mode), so tp always points at this CPU's struct riscv_percpu.
 *
 * Stack overflow: before writing the 304-byte frame the entry compares sp
 * with the CPU's trap_sp_limit (stack bottom + PT_SIZE).  Below it, the frame
 * would land in the guard page and fault again inside this code, so the frame
 * goes on the CPU's emergency stack instead and riscv_trap() reports the
 * overflow.  The only register free before anything is saved is the one
 * parked in sscratch (t0).  A second overflow while already on the emergency
 * stack cannot be reported: the CPU parks itself.
 */
#include "ptrace.h"
#include "riscv_percpu.h"
#include "riscv.h"

#if PT_SIZE % 16
#error "pt_regs must keep sp 16-byte aligned"
#endif

/* Save / restore x1 and x3..x31 except t0 (x5); sp and t0 need care. */
	.macro SAVE_GPRS
	sd	x1, PT_X(1)(sp)
	sd	x3, PT_X(3)(sp)
	sd	x4, PT_X(4)(sp)
	.irp n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, PT_X(\n)(sp)
	.endr
	.endm

	.macro RESTORE_GPRS
	ld	x1, PT_X(1)(sp)
	ld	x3, PT_X(3)(sp)
	ld	x4, PT_X(4)(sp)
	ld	x5, PT_X(5)(sp)
	.irp n, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, PT_X(\n)(sp)
	.endr
	.endm

	.text
	.balign 4			/* stvec ignores the low two bits */
	.globl riscv_trap_entry
	.type riscv_trap_entry, @function
riscv_trap_entry:
	csrw	sscratch, t0
	ld	t0, PCPU_TRAP_SP_LIMIT(tp)
	bltu	sp, t0, .Lstack_overflow

	addi	sp, sp, -PT_SIZE
	SAVE_GPRS
	addi	t0, sp, PT_SIZE		/* sp before the trap */
	sd	t0, PT_SP(sp)
	li	a1, 0			/* on_emergency_stack = 0 */

.Lframe_rest:
	csrr	t0, sscratch
	sd	t0, PT_T0(sp)
	csrr	t0, sepc
	sd	t0, PT_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, PT_SSTATUS(sp)
	csrr	t0, stval
	sd	t0, PT_STVAL(sp)
	csrr	t0, scause
	sd	t0, PT_SCAUSE(sp)
	sd	zero, PT_UNWIND_FP(sp)

	mv	a0, sp
	call	riscv_trap

	/* sepc and sstatus (SPP, SPIE for sret) may have been changed. */
	ld	t0, PT_SEPC(sp)
	csrw	sepc, t0
	ld	t0, PT_SSTATUS(sp)
	csrw	sstatus, t0
	RESTORE_GPRS
	ld	sp, PT_SP(sp)
	sret

.Lstack_overflow:
	ld	t0, PCPU_ON_EMERG(tp)
	bnez	t0, .Lpark
	ld	t0, PCPU_EMERG_TOP(tp)
	addi	t0, t0, -PT_SIZE
	sd	sp, PT_SP(t0)		/* the overflowing sp, for the report */
	mv	sp, t0
	SAVE_GPRS
	/* From now on the emergency stack is the one traps check against. */
	li	t0, 1
	sd	t0, PCPU_ON_EMERG(tp)
	ld	t0, PCPU_EMERG_BOTTOM(tp)
	addi	t0, t0, PT_SIZE
	sd	t0, PCPU_TRAP_SP_LIMIT(tp)
	li	a1, 1			/* on_emergency_stack = 1 */
	j	.Lframe_rest

.Lpark:
	csrw	sie, zero
1:	wfi
	j	1b
	.size riscv_trap_entry, . - riscv_trap_entry
