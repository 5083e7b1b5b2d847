/*
 * arch_ftrace.h (host) - what kernel/include/ftrace.h needs from an arch
 * to compile for host tests: sizes and an opaque frame.  The host tests
 * use no call sites.
 */
#ifndef ARCH_FTRACE_H
#define ARCH_FTRACE_H

/* x86_64's values; ftrace.h checks that every one of them is defined. */
#define ARCH_FTRACE_SITE_SIZE	5
#define ARCH_FTRACE_ENTRY_SITES	1
#define ARCH_BP_INSN_SIZE	1
#define ARCH_CALL_INSN_SIZE	5
#define ARCH_FTRACE_REG_ARGS	6
#define ARCH_TEXT_FILL_BYTE	0xcc

struct ftrace_regs {
	unsigned long unused;
};

#endif /* ARCH_FTRACE_H */
