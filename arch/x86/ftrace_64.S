/*
 * ftrace_64.S - x86_64 function tracing entry code.
 *
 * A traced site calls ftrace_caller, ftrace_regs_caller or a private copy of
 * one (a trampoline, see ftrace.c).  On entry (fentry flavour):
 *
 *      [rsp]     return into the traced function (site + 5)
 *      [rsp + 8] return into its parent            <- entry sp
 *
 * The callers build this frame (FRAME = sizeof(struct ftrace_regs)):
 *
 *      entry sp  -> +-------------------------+
 *                   | return into parent      |
 *                   +-------------------------+
 *                   | return into function    |  rip
 *      rbp       -> | saved rbp               |  (a real frame for unwinders)
 *                   +-------------------------+
 *                   | direct (regs caller)    |  FREGS_DIRECT
 *                   | struct pt_regs          |  <- rsp, fregs
 *                   +-------------------------+
 *
 * and call func(ip = site, parent_ip, op, fregs).  In the classic mcount
 * flavour the site follows "push %rbp; mov %rsp,%rbp", so the parent's
 * return slot is at the function's rbp + 8 instead.
 *
 * The templates run to ftrace_*caller_end and use only relative jumps inside
 * themselves, so the generic trampoline builder (kernel/trace/ftrace.c) can
 * copy them: it fills the op pointer at *_op_slot (the movabs's imm64) and
 * retargets the call at *_call (arch.h lists these labels).
 */
#include "x86.h"
#include "ptrace.h"
#include "asm-offsets.h"

#define FRAME		FREGS_SIZE
#define SITE_SIZE	5

#if (FRAME + 8) % 16
#error "ftrace frame breaks the 16-byte call alignment"
#endif

	.macro SAVE_ARGS
	pushq	%rbp
	movq	%rsp, %rbp
	subq	$FRAME, %rsp
	movq	%rdi, PT_RDI(%rsp)
	movq	%rsi, PT_RSI(%rsp)
	movq	%rdx, PT_RDX(%rsp)
	movq	%rcx, PT_RCX(%rsp)
	movq	%r8, PT_R8(%rsp)
	movq	%r9, PT_R9(%rsp)
	movq	%rax, PT_RAX(%rsp)
	movq	(%rbp), %rdx
	movq	%rdx, PT_RBP(%rsp)		/* the traced function's rbp */
	movq	8(%rbp), %rdx
	movq	%rdx, PT_RIP(%rsp)
#ifdef CONFIG_FTRACE_MCOUNT
	movq	(%rbp), %rdx
	leaq	8(%rdx), %rdx			/* function's rbp + 8 */
#else
	leaq	16(%rbp), %rdx
#endif
	movq	%rdx, PT_RSP(%rsp)
	.endm

	/* rdi = site, rsi = parent ip, rcx = fregs; rdx is loaded by the caller. */
	.macro PREPARE_ARGS
	movq	PT_RIP(%rsp), %rdi
	subq	$SITE_SIZE, %rdi
	movq	PT_RSP(%rsp), %rsi
	movq	(%rsi), %rsi
	movq	%rsp, %rcx
	.endm

	.macro RESTORE_ARGS
	movq	PT_RDI(%rsp), %rdi
	movq	PT_RSI(%rsp), %rsi
	movq	PT_RDX(%rsp), %rdx
	movq	PT_RCX(%rsp), %rcx
	movq	PT_R8(%rsp), %r8
	movq	PT_R9(%rsp), %r9
	movq	PT_RAX(%rsp), %rax
	.endm

	.text
	.balign 16
	.globl ftrace_caller, ftrace_caller_op_slot, ftrace_caller_call, ftrace_caller_end
ftrace_caller:
	SAVE_ARGS
	movq	$0, PT_CS(%rsp)			/* partial frame */
	PREPARE_ARGS
	movabsq	$0, %rdx			/* op: filled in trampolines */
	.set	ftrace_caller_op_slot, . - 8	/* the imm64 */
ftrace_caller_call:
	call	ftrace_ops_list_func
	RESTORE_ARGS
	movq	%rbp, %rsp
	popq	%rbp
	ret
ftrace_caller_end:

	.balign 16
	.globl ftrace_regs_caller, ftrace_regs_caller_op_slot, ftrace_regs_caller_call
	.globl ftrace_regs_caller_end
ftrace_regs_caller:
	SAVE_ARGS
	movq	%rbx, PT_RBX(%rsp)
	movq	%r10, PT_R10(%rsp)
	movq	%r11, PT_R11(%rsp)
	movq	%r12, PT_R12(%rsp)
	movq	%r13, PT_R13(%rsp)
	movq	%r14, PT_R14(%rsp)
	movq	%r15, PT_R15(%rsp)
	pushfq
	popq	PT_RFLAGS(%rsp)
	movq	$KERNEL_CS, PT_CS(%rsp)		/* full frame */
	movq	$KERNEL_DS, PT_SS(%rsp)
	movq	$0, FREGS_DIRECT(%rsp)		/* no direct trampoline yet */
	PREPARE_ARGS
	movabsq	$0, %rdx
	.set	ftrace_regs_caller_op_slot, . - 8
ftrace_regs_caller_call:
	call	ftrace_ops_list_func
	/* An IPMODIFY callback may have changed rip: return there. */
	movq	PT_RIP(%rsp), %rax
	movq	%rax, 8(%rbp)
	movq	PT_RBX(%rsp), %rbx
	movq	PT_R10(%rsp), %r10
	movq	PT_R11(%rsp), %r11
	movq	PT_R12(%rsp), %r12
	movq	PT_R13(%rsp), %r13
	movq	PT_R14(%rsp), %r14
	movq	PT_R15(%rsp), %r15
	movq	FREGS_DIRECT(%rsp), %rax
	testq	%rax, %rax
	jnz	1f
	RESTORE_ARGS
	movq	%rbp, %rsp
	popq	%rbp
	ret
1:	/*
	 * A direct ops set its trampoline: return into it as if the site had
	 * called it.  The saved-rbp slot becomes its address, so after the
	 * frame is gone the stack reads [direct][return into function (or
	 * where IPMODIFY sent it)][return into parent], and ret enters the
	 * trampoline with the traced function's return address on top.
	 */
	movq	%rax, (%rbp)
	RESTORE_ARGS
	movq	PT_RBP(%rsp), %rbp		/* the traced function's rbp */
	addq	$FRAME, %rsp			/* -> the slot holding direct */
	ret
ftrace_regs_caller_end:

/*
 * return_to_handler - where a graph-traced function returns.  rsp is its
 * entry sp + 8; keep the return registers across the C handler, then jump
 * to the real return address it gives back.
 */
	.balign 16
	.globl return_to_handler
return_to_handler:
	subq	$16, %rsp
	movq	%rax, 0(%rsp)
	movq	%rdx, 8(%rsp)
	leaq	8(%rsp), %rdi			/* entry sp = (rsp + 16) - 8 */
	movq	%rax, %rsi			/* the return value */
	call	ftrace_return_to_handler
	movq	%rax, %rcx
	movq	0(%rsp), %rax
	movq	8(%rsp), %rdx
	addq	$16, %rsp
	jmp	*%rcx

/* mcount - target of the classic -pg calls until ftrace_init makes them nops. */
	.globl mcount
mcount:
	ret

/* The trampoline pool: inside text, so it is executable and poke-able. */
#define TRAMP_POOL_SIZE	(256 * 1024)
	.section .text.tramp_pool, "ax"
	.balign 4096
	.globl tramp_pool_start, tramp_pool_end
tramp_pool_start:
	.fill TRAMP_POOL_SIZE, 1, 0xcc
tramp_pool_end:
