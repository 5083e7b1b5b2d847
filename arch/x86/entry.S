/*
 * entry.S - every x86_64 interrupt and exception vector.
 *
 * One stub per vector pushes a zero error code when the CPU does not push
 * one, then the vector number, and jumps to trap_common, which saves the
 * general registers into a struct pt_regs (include/ptrace.h) and calls
 * x86_trap(regs).  The frame is 22 * 8 = 176 bytes; the CPU 16-byte aligns
 * RSP before pushing, so the call below sees an aligned stack.
 */
#include "x86.h"
#include "ptrace.h"

#if PT_REGS_SIZE % 16
#error "pt_regs must keep the stack 16-byte aligned"
#endif

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			(v) == 21 || (v) == 29 || (v) == 30)

	.macro SAVE_GPRS
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	.endm

	.macro RESTORE_GPRS
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	.endm

#define STUB_SIZE 16

	.text
	.balign STUB_SIZE
	.globl x86_vector_stubs
x86_vector_stubs:
	vec = 0
	.rept 256
	.balign STUB_SIZE
	.if vec == X86_TRAP_BP
	jmp	int3_entry
	.else
	.if !HAS_ERRCODE(vec)
	pushq	$0
	.endif
	pushq	$vec
	jmp	trap_common
	.endif
	vec = vec + 1
	.endr

/*
 * int3_entry - #BP with a gap.  The CPU pushed its 5-word frame right
 * below the interrupted stack pointer; to emulate a call, the handler must
 * push a return address there.  So copy the frame 40 bytes lower: iretq
 * uses the copy, and the original becomes a gap the handler may overwrite
 * (arch_emulate_insn writes at regs->rsp - 8).  Each push reads 32(%rsp)
 * after the previous push moved rsp: ss, rsp, rflags, cs, rip in turn.
 *
 *   before:  rsp -> rip cs rflags rsp ss | interrupted stack
 *   after:   rsp -> rip cs rflags rsp ss | rip cs rflags rsp ss (gap) | ...
 */
int3_entry:
	.rept 5
	pushq	32(%rsp)
	.endr
	pushq	$0
	pushq	$X86_TRAP_BP
	jmp	trap_common

trap_common:
	SAVE_GPRS
	mov	%rsp, %rdi
	call	x86_trap
	RESTORE_GPRS
	add	$16, %rsp			/* vector, error code */
	iretq

	.section .rodata
	.globl x86_stub_size
x86_stub_size:	.long STUB_SIZE
