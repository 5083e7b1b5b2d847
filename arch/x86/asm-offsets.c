/*
 * asm-offsets.c - C layout the x86_64 assembly uses: compiled to assembler
 * only, turned into $(OUT)/include/asm-offsets.h by kernel/build.mk.
 */
#define ASM_OFFSETS_GEN	/* the headers must not include what this makes */
#include "kernel.h"
#include "kbuild.h"
#include "ptrace.h"
#include "ftrace.h"

void asm_offsets(void);

void asm_offsets(void)
{
	/* struct pt_regs (include/ptrace.h): entry.S, ftrace_64.S */
	OFFSET(PT_R15, pt_regs, r15);
	OFFSET(PT_R14, pt_regs, r14);
	OFFSET(PT_R13, pt_regs, r13);
	OFFSET(PT_R12, pt_regs, r12);
	OFFSET(PT_R11, pt_regs, r11);
	OFFSET(PT_R10, pt_regs, r10);
	OFFSET(PT_R9, pt_regs, r9);
	OFFSET(PT_R8, pt_regs, r8);
	OFFSET(PT_RBP, pt_regs, rbp);
	OFFSET(PT_RDI, pt_regs, rdi);
	OFFSET(PT_RSI, pt_regs, rsi);
	OFFSET(PT_RDX, pt_regs, rdx);
	OFFSET(PT_RCX, pt_regs, rcx);
	OFFSET(PT_RBX, pt_regs, rbx);
	OFFSET(PT_RAX, pt_regs, rax);
	OFFSET(PT_VECTOR, pt_regs, vector);
	OFFSET(PT_ERROR, pt_regs, error_code);
	OFFSET(PT_RIP, pt_regs, rip);
	OFFSET(PT_CS, pt_regs, cs);
	OFFSET(PT_RFLAGS, pt_regs, rflags);
	OFFSET(PT_RSP, pt_regs, rsp);
	OFFSET(PT_SS, pt_regs, ss);
	DEFINE(PT_REGS_SIZE, sizeof(struct pt_regs));
	BLANK();
	/* struct ftrace_regs (include/arch_ftrace.h): ftrace_64.S */
	OFFSET(FREGS_DIRECT, ftrace_regs, direct);
	DEFINE(FREGS_SIZE, sizeof(struct ftrace_regs));
}
