/*
 * mcount-dyn.S - riscv64 function tracing entry code.
 *
 * An enabled site (include/arch_ftrace.h) is "auipc t0; jalr t0" at the
 * traced function F's entry, calling ftrace_caller, ftrace_regs_caller or a
 * private copy of one (a trampoline, ftrace.c).  On entry here:
 *
 *      t0 = site + 8     return into F's body (resume address)
 *      ra                return into F's parent (F's prologue has not run)
 *      sp                F's sp at entry ("entry sp")
 *      a0..a7            F's arguments
 *
 * (The classic flavour differs in where F's frame is: see below.)
 *
 * Both callers build this frame (FTRACE_FRAME bytes, 16-byte aligned) and
 * call func(ip = t0 - 8 = the site, parent_ip = ra, op, fregs = sp):
 *
 *   entry sp ----> +----------------------------------+ sp + FTRACE_FRAME
 *                  | ra   (return into parent)        | \ record P: a frame
 *                  | s0   (parent's frame pointer)    | / record ending at entry sp
 *   s0 while  ---> +----------------------------------+ sp + PT_SIZE
 *   calling out    | frame_ra = t0 (into F)           | \ record F: ending at
 *                  | frame_fp = entry sp (-> rec. P)  | / sp + PT_SIZE
 *                  | unwind_fp = entry sp (-> rec. P) |   arch_regs_fp() of fregs
 *                  | scause, stval: 0 (regs caller)   |
 *                  | sstatus: 0 = partial frame,      |   ftrace_get_regs() test
 *                  |   SPP|SPIE=SIE = full (regs)     |
 *                  | x31 .. x1                        |   PT_X(n); x2 = entry sp
 *                  |                                  |   x5 = t0, x6 = t1 (*)
 *   sp, a3 ------> | sepc = t0: resume address        | <- struct ftrace_regs *
 *                  +----------------------------------+
 *
 * The two frame records {fp, ra} make frame-pointer backtraces taken inside
 * a callback read  callback -> ... -> F -> parent -> ...  (F has no frame of
 * its own yet).  As in a trap frame, unwind_fp is where a backtrace of the
 * frame's own pc (sepc, in F) continues: record P, F's caller.
 *
 * ftrace_caller saves only a0-a7, ra, s0, t0 / sepc and sp (and the records);
 * the other GPR slots hold garbage and sstatus is 0.
 *
 * Classic flavour (CONFIG_FTRACE_MCOUNT): the site follows F's prologue, so
 * F has its own frame record at s0 (ra at s0 - 8, the graph hook's slot):
 * record F and unwind_fp point at it instead of record P (left unused), and
 * the sp slot is F's sp at the site.
 *
 * Resuming: both callers reload a0-a7, s0 and ra (the function graph tracer
 * may have replaced the saved ra with return_to_handler), pop the frame and
 * jump: ftrace_caller to the saved t0, ftrace_regs_caller to sepc, which an
 * IPMODIFY callback may have changed (to another function's entry: it runs
 * with the restored arguments and returns to the parent).
 *
 * (*) Direct calls (Linux's DYNAMIC_FTRACE_WITH_DIRECT_CALLS, the t0 / t1
 * convention): a direct trampoline is entered with t0 = where the traced
 * function continues and returns through t0.  A site served by a direct ops
 * alone calls the trampoline itself (auipc t0 + jalr t0).  When other ops
 * share the site, ftrace_regs_caller stores 0 in PT_T1 on entry (t1 is
 * scratch at a function entry: its value is not kept), a direct ops'
 * callback stores its trampoline there (arch_ftrace_set_direct_caller()),
 * and the exit reloads t1 and t0 (= sepc, which an IPMODIFY ops may have
 * changed; never t1) and jumps to t1 when set, else to t0.  ftrace_caller
 * never serves direct ops and does not touch t1.
 *
 * Templates: each caller runs from its label to *_end and refers outside
 * itself only through the call at *_call (auipc ra + jalr ra, 8 bytes).  The
 * ops pointer is loaded pc-relative from the data slot *_op_slot at the end
 * of the template (0 in the originals: ftrace_ops_list_func ignores it).
 * ftrace.c copies a template into the trampoline pool, fills the slot and
 * re-encodes the call, so the copy calls one ops' callback directly.
 * kernel.lds asserts that each template fits create_trampoline()'s 512-byte
 * buffer (the assembler cannot: alignment leaves the sizes open until link).
 */
#include "ptrace.h"
#include "riscv.h"
#include "arch_ftrace.h"

#define FTRACE_FRAME	(PT_SIZE + 16)		/* pt_regs + record P */
#define REC_P_FP	(PT_SIZE)		/* record P: {fp, ra} ending at entry sp */
#define REC_P_RA	(PT_SIZE + 8)
#define SIE_TO_SPIE	4			/* sstatus bit 1 -> bit 5 */

	.if (FTRACE_FRAME % 16) != 0
	.error "ftrace frame breaks the 16-byte stack alignment"
	.endif
	.if (SSTATUS_SIE << SIE_TO_SPIE) != SSTATUS_SPIE
	.error "SIE_TO_SPIE does not map sstatus.SIE onto SPIE"
	.endif

/* Build the frame, saving what both callers need (see the drawing). */
	.macro SAVE_ABI_REGS
	addi	sp, sp, -FTRACE_FRAME
	sd	ra, PT_RA(sp)
	sd	s0, PT_S0(sp)
	sd	t0, PT_T0(sp)
	sd	t0, PT_SEPC(sp)
	.irp n, 10, 11, 12, 13, 14, 15, 16, 17
	sd	x\n, PT_X(\n)(sp)		/* a0..a7 */
	.endr
	sd	s0, REC_P_FP(sp)
	sd	ra, REC_P_RA(sp)
#ifdef CONFIG_FTRACE_MCOUNT
	sd	s0, PT_FRAME_FP(sp)		/* record F -> F's own record */
	sd	s0, PT_UNWIND_FP(sp)
	addi	s0, sp, FTRACE_FRAME
	sd	s0, PT_SP(sp)			/* sp at the site */
#else
	addi	s0, sp, FTRACE_FRAME
	sd	s0, PT_SP(sp)			/* entry sp */
	sd	s0, PT_FRAME_FP(sp)		/* record F -> record P */
	sd	s0, PT_UNWIND_FP(sp)		/* walks from sepc go on at P */
#endif
	sd	t0, PT_FRAME_RA(sp)
	addi	s0, sp, PT_SIZE			/* s0 -> record F */
	.endm

/* The remaining GPRs, the trap-like sstatus and zero cause (regs caller). */
	.macro SAVE_OTHER_REGS
	sd	gp, PT_GP(sp)
	sd	tp, PT_TP(sp)
	sd	zero, PT_T1(sp)			/* no direct trampoline yet (*) */
	.irp n, 7, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, PT_X(\n)(sp)
	.endr
	csrr	t2, sstatus
	andi	t3, t2, SSTATUS_SIE
	slli	t3, t3, SIE_TO_SPIE
	andi	t2, t2, ~SSTATUS_SPIE
	or	t2, t2, t3
	ori	t2, t2, SSTATUS_SPP		/* full frame mark */
	sd	t2, PT_SSTATUS(sp)
	sd	zero, PT_STVAL(sp)
	sd	zero, PT_SCAUSE(sp)
	.endm

	.macro RESTORE_OTHER_REGS
	ld	gp, PT_GP(sp)
	ld	tp, PT_TP(sp)
	.irp n, 6, 7, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, PT_X(\n)(sp)
	.endr
	.endm

	.macro RESTORE_ABI_REGS
	.irp n, 10, 11, 12, 13, 14, 15, 16, 17
	ld	x\n, PT_X(\n)(sp)
	.endr
	ld	ra, PT_RA(sp)			/* maybe return_to_handler now */
	ld	s0, PT_S0(sp)
	.endm

/* a0 = site, a1 = parent ip, a3 = fregs; a2 (op) is loaded by the caller. */
	.macro PREPARE_ARGS
	addi	a0, t0, -ARCH_FTRACE_SITE_SIZE
	mv	a1, ra
	mv	a3, sp
	.endm

/*
 * LOAD_OP_AND_CALL - a2 = the template's op slot, then call
 * ftrace_ops_list_func through the 8-byte auipc ra + jalr ra at \name\()_call
 * (never compressed: ftrace.c rewrites it in copies).
 */
	.macro LOAD_OP_AND_CALL name
\name\()_op:
	auipc	a2, %pcrel_hi(\name\()_op_slot)
	ld	a2, %pcrel_lo(\name\()_op)(a2)
	.option push
	.option norvc
\name\()_call:
	call	ftrace_ops_list_func
	.option pop
	.endm

/* The ops slot closing a template, 8-byte aligned (copies are too). */
	.macro OP_SLOT name
	.balign 8
\name\()_op_slot:
	.dword	0
\name\()_end:
	.endm

	.text
	.balign 16
	.globl ftrace_caller, ftrace_caller_call
	.globl ftrace_caller_op_slot, ftrace_caller_end
	.type ftrace_caller, @function
/*
 * ftrace_caller - the partial-frame caller: for sites whose ops need only
 * the arguments (function, function_graph, profile tracers).
 */
ftrace_caller:
	SAVE_ABI_REGS
	sd	zero, PT_SSTATUS(sp)		/* partial frame */
	PREPARE_ARGS
	LOAD_OP_AND_CALL ftrace_caller
	RESTORE_ABI_REGS
	ld	t0, PT_T0(sp)
	addi	sp, sp, FTRACE_FRAME
	jr	t0
	OP_SLOT ftrace_caller
	.size ftrace_caller, . - ftrace_caller

	.balign 16
	.globl ftrace_regs_caller, ftrace_regs_caller_call
	.globl ftrace_regs_caller_op_slot, ftrace_regs_caller_end
	.type ftrace_regs_caller, @function
/*
 * ftrace_regs_caller - the full-frame caller, for SAVE_REGS and IPMODIFY
 * ops: every register in the frame, and the resume address taken from sepc.
 */
ftrace_regs_caller:
	SAVE_ABI_REGS
	SAVE_OTHER_REGS
	PREPARE_ARGS
	LOAD_OP_AND_CALL ftrace_regs_caller
	RESTORE_OTHER_REGS			/* t1: a direct trampoline, or 0 */
	RESTORE_ABI_REGS
	ld	t0, PT_SEPC(sp)			/* IPMODIFY may have changed it */
	addi	sp, sp, FTRACE_FRAME
	bnez	t1, 1f
	jr	t0
1:	jr	t1				/* direct: it returns through t0 */
	OP_SLOT ftrace_regs_caller
	.size ftrace_regs_caller, . - ftrace_regs_caller

/*
 * return_to_handler - where a graph-traced function F returns instead of
 * its parent.  sp is F's entry sp again (F's epilogue popped its frame) and
 * a0/a1 hold its return value.  Keep them across the C handler, which takes
 * the entry sp (classic flavour: the s0 F restored, see arch_ftrace.h) to
 * find F's shadow frame and gives back the real return address; return
 * there with ra holding it, as if F had returned directly.
 *
 *   entry sp -> +-------------+
 *               | a1          |
 *   sp       -> | a0          |   RTH_FRAME = 16
 *               +-------------+
 *
 * No frame record: a backtrace from inside the handler goes from
 * return_to_handler straight to the parent's caller (the parent's return
 * address is on the shadow stack, not in a frame).
 */
#define RTH_FRAME	16
	.if (RTH_FRAME % 16) != 0
	.error "return_to_handler frame breaks the 16-byte stack alignment"
	.endif

	.balign 4
	.globl return_to_handler
	.type return_to_handler, @function
return_to_handler:
	addi	sp, sp, -RTH_FRAME
	sd	a0, 0(sp)
	sd	a1, 8(sp)
	mv	a1, a0				/* the return value */
#ifdef CONFIG_FTRACE_MCOUNT
	mv	a0, s0				/* F's caller's fp: the key (arch_ftrace.h) */
#else
	addi	a0, sp, RTH_FRAME		/* entry sp */
#endif
	call	ftrace_return_to_handler
	mv	ra, a0
	ld	a0, 0(sp)
	ld	a1, 8(sp)
	addi	sp, sp, RTH_FRAME
	jr	ra
	.size return_to_handler, . - return_to_handler

#ifdef CONFIG_FTRACE_MCOUNT
/*
 * _mcount - target of the classic -pg calls ("mv a0, ra; call _mcount")
 * until ftrace_init() makes them nops; it only returns.
 */
	.balign 4
	.globl _mcount
	.type _mcount, @function
_mcount:
	ret
	.size _mcount, . - _mcount
#endif

/*
 * The trampoline pool: inside .text (kernel.lds), so it is executable and
 * reachable by a site's auipc + jalr, and written only through the text
 * alias.  Free space is c.unimp (ARCH_TEXT_FILL_BYTE): jumping into it traps.
 */
#define TRAMP_POOL_SIZE	(256 * 1024)
	.section .text.tramp_pool, "ax"
	.balign 4096
	.globl tramp_pool_start, tramp_pool_end
tramp_pool_start:
	.fill TRAMP_POOL_SIZE, 1, ARCH_TEXT_FILL_BYTE
tramp_pool_end:
