/*
 * ptrace.h - the x86_64 trap frame, as entry.S builds it.
 *
 *   higher addresses
 *   ss, rsp, rflags, cs, rip      pushed by the CPU
 *   error_code                    by the CPU, or 0 by the stub
 *   vector                        by the stub
 *   rax ... r15                   by the common entry   <- struct pt_regs *
 */
#ifndef X86_PTRACE_H
#define X86_PTRACE_H

#ifndef __ASSEMBLY__
#include "types.h"

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};
#endif

/* PT_* offsets and PT_REGS_SIZE come from asm-offsets.c (asm-offsets.h). */
#ifndef ASM_OFFSETS_GEN	/* not while generating it */
#include "asm-offsets.h"
#endif

#endif /* X86_PTRACE_H */
