/*
 * arch_ftrace.h - x86_64 call-site encodings and the ftrace_regs accessors
 * (the contract in kernel/include/ftrace.h).
 *
 * A site is 5 bytes at function entry (fentry, default) or right after
 * "push %rbp; mov %rsp,%rbp" (classic mcount, make MCOUNT=1):
 *
 *   disabled:  0f 1f 44 00 00     nopl 0x0(%rax,%rax,1)      NOP5
 *   enabled:   e8 <rel32>         call ftrace_caller / a trampoline
 *   boot:      NOP5 (fentry, -mnop-mcount) or e8 <rel32 to mcount>
 */
#ifndef ARCH_FTRACE_H
#define ARCH_FTRACE_H

#include "ptrace.h"

#define ARCH_FTRACE_SITE_SIZE	5		/* MCOUNT_INSN_SIZE */
/*
 * ARCH_FTRACE_ENTRY_SITES - 1 when sites sit before the prologue, so an
 * IPMODIFY callback can send the call to another function's entry.
 */
#ifdef CONFIG_FTRACE_MCOUNT
#define ARCH_FTRACE_ENTRY_SITES	0
#else
#define ARCH_FTRACE_ENTRY_SITES	1
#endif
#define ARCH_TEXT_FILL_BYTE	0xcc		/* int3: free trampoline space traps */
#define X86_INT3		0xcc
#define ARCH_BP_INSN_SIZE	1		/* int3 */
#define ARCH_FTRACE_REG_ARGS	6		/* rdi rsi rdx rcx r8 r9 */
#define ARCH_CALL_INSN_SIZE	5		/* call rel32 */
#define X86_JMP_OPCODE		0xe9
#define X86_CALL_OPCODE		0xe8
#define X86_NOP5		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }

/*
 * struct ftrace_regs - the frame ftrace_caller / ftrace_regs_caller build:
 * a pt_regs whose cs is 0 when only the argument registers, rip, rsp and
 * rbp are valid (ftrace_caller) and KERNEL_CS when all are (regs caller).
 * rsp is the traced function's stack pointer at entry: it points at the
 * slot holding the return address into the parent.  @direct: 0 on entry
 * to ftrace_regs_caller; a direct ops' callback stores its trampoline
 * there, and the caller then returns into that trampoline as if the site
 * had called it (ftrace_64.S).
 */
struct ftrace_regs {
	struct pt_regs regs;
	unsigned long direct;
};

static inline struct pt_regs *ftrace_get_regs(struct ftrace_regs *f)
{
	return f->regs.cs ? &f->regs : (struct pt_regs *)0;
}

static inline unsigned long ftrace_regs_get_argument(struct ftrace_regs *f, int n)
{
	switch (n) {
	case 0: return f->regs.rdi;
	case 1: return f->regs.rsi;
	case 2: return f->regs.rdx;
	case 3: return f->regs.rcx;
	case 4: return f->regs.r8;
	case 5: return f->regs.r9;
	}
	return 0;
}

/* The slot holding the traced function's return address (graph hook). */
static inline unsigned long *ftrace_regs_parent_loc(struct ftrace_regs *f)
{
	return (unsigned long *)f->regs.rsp;
}

static inline unsigned long ftrace_regs_entry_sp(struct ftrace_regs *f)
{
	return f->regs.rsp;
}

/* IPMODIFY: where the traced call continues after the callbacks. */
static inline void ftrace_regs_set_ip(struct ftrace_regs *f, unsigned long ip)
{
	f->regs.rip = ip;
}

static inline unsigned long ftrace_regs_get_ip(struct ftrace_regs *f)
{
	return f->regs.rip;
}

/* Direct calls: continue into @addr once the callbacks are done. */
static inline void arch_ftrace_set_direct_caller(struct ftrace_regs *f, unsigned long addr)
{
	f->direct = addr;
}

#endif /* ARCH_FTRACE_H */
