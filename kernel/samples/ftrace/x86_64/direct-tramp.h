/*
 * direct-tramp.h - how the x86_64 sample trampolines are written: what a
 * user writing a direct trampoline must do (Linux's samples/ftrace, x86
 * parts), as macros the samples' .S files share.
 *
 * A direct trampoline is called like a function, by the traced function's
 * site (or, when other ops share the site, by ftrace_regs_caller returning
 * into it with the same stack):
 *
 *      entry rsp -> [return into the traced function F]   (or where an
 *                   [return into F's caller]                IPMODIFY ops
 *                                                           sent the call)
 *
 * F's prologue has not run: its arguments are in rdi, rsi, rdx, rcx, r8, r9
 * (rax holds the vector-register count of a varargs call), and F's body
 * must find them there.  So the trampoline
 *  1. builds a frame (push rbp; mov rsp, rbp): backtraces taken in the
 *     handler read handler -> trampoline -> F's caller;
 *  2. saves the argument registers and rax, which the C handler may
 *     clobber (the callee-saved ones it keeps itself);
 *  3. calls the handler through an absolute address: the code runs from a
 *     copy in the trampoline pool (module.h), where a call rel32 written
 *     for the image would land elsewhere;
 *  4. restores, leaves the frame and returns into F with ret.
 *
 * Frame (8 pushes after the call's return address keep rsp 16-byte
 * aligned at the handler's call, as the ABI asks: rsp is 8 mod 16 at F's
 * entry, 0 after the site's call):
 *
 *      entry rsp -> +---------------------------+
 *                   | saved rbp                 |  <- rbp
 *                   | rdi rsi rdx rcx r8 r9 rax |  TRAMP_SAVED = 7 slots
 *      rsp       -> +---------------------------+
 *
 * 8(%rbp) is the return into F (TRAMP_RET_INTO_F): what the multi and
 * share samples pass their handlers.
 */
#ifndef SAMPLES_FTRACE_X86_DIRECT_TRAMP_H
#define SAMPLES_FTRACE_X86_DIRECT_TRAMP_H

#define TRAMP_SAVED		7
#define TRAMP_RET_INTO_F	8	/* offset from rbp */

#if ((TRAMP_SAVED + 1) * 8) % 16
#error "the sample trampoline frame breaks the 16-byte call alignment"
#endif

	.macro TRAMP_ENTER
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%rax
	.endm

	/* CALL_ABS handler - call @handler by its absolute address (rax is saved). */
	.macro CALL_ABS handler
	movabsq	$\handler, %rax
	call	*%rax
	.endm

	.macro TRAMP_LEAVE
	popq	%rax
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	leave
	ret
	.endm

#endif
