/*
 * asm-offsets.c - C layout the riscv64 assembly uses: compiled to assembler
 * only, turned into $(OUT)/include/asm-offsets.h by kernel/build.mk.
 */
#define ASM_OFFSETS_GEN	/* the headers must not include what this makes */
#include "kernel.h"
#include "kbuild.h"
#include "ptrace.h"
#include "riscv_percpu.h"

void asm_offsets(void);

/* x<n> sits in slot n of struct pt_regs (slot 0 is sepc): PT_X(n). */
#define CHECK_X(n, field) \
	_Static_assert(__builtin_offsetof(struct pt_regs, field) == (n) * sizeof(long), #field)
CHECK_X(1, ra); CHECK_X(2, sp); CHECK_X(3, gp); CHECK_X(4, tp); CHECK_X(5, t0);
CHECK_X(6, t1); CHECK_X(7, t2); CHECK_X(8, s0); CHECK_X(9, s1); CHECK_X(10, a0);
CHECK_X(17, a7); CHECK_X(18, s2); CHECK_X(27, s11); CHECK_X(28, t3); CHECK_X(31, t6);

void asm_offsets(void)
{
	/* struct pt_regs (include/ptrace.h): entry.S, mcount-dyn.S */
	OFFSET(PT_SEPC, pt_regs, sepc);
	OFFSET(PT_RA, pt_regs, ra);
	OFFSET(PT_SP, pt_regs, sp);
	OFFSET(PT_GP, pt_regs, gp);
	OFFSET(PT_TP, pt_regs, tp);
	OFFSET(PT_T0, pt_regs, t0);
	OFFSET(PT_T1, pt_regs, t1);
	OFFSET(PT_S0, pt_regs, s0);
	OFFSET(PT_A0, pt_regs, a0);
	OFFSET(PT_SSTATUS, pt_regs, sstatus);
	OFFSET(PT_STVAL, pt_regs, stval);
	OFFSET(PT_SCAUSE, pt_regs, scause);
	OFFSET(PT_UNWIND_FP, pt_regs, unwind_fp);
	OFFSET(PT_FRAME_FP, pt_regs, frame_fp);
	OFFSET(PT_FRAME_RA, pt_regs, frame_ra);
	DEFINE(PT_SIZE, sizeof(struct pt_regs));
	BLANK();
	/* struct riscv_percpu (include/riscv_percpu.h): entry.S, head.S */
	OFFSET(PCPU_TRAP_SP_LIMIT, riscv_percpu, trap_sp_limit);
	OFFSET(PCPU_EMERG_TOP, riscv_percpu, emerg_top);
	OFFSET(PCPU_EMERG_BOTTOM, riscv_percpu, emerg_bottom);
	OFFSET(PCPU_ON_EMERG, riscv_percpu, on_emerg);
	OFFSET(PCPU_CPU, riscv_percpu, cpu);
	OFFSET(PCPU_HARTID, riscv_percpu, hartid);
	OFFSET(PCPU_STACK_TOP, riscv_percpu, stack_top);
}
