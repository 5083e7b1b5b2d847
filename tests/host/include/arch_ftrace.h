/*
 * arch_ftrace.h (host) - what kernel/include/ftrace.h needs from an arch
 * to compile for host tests: sizes and an opaque frame.  The host tests
 * use no call sites.
 */
#ifndef ARCH_FTRACE_H
#define ARCH_FTRACE_H

#define ARCH_FTRACE_SITE_SIZE	5
#define ARCH_BP_INSN_SIZE	1

struct ftrace_regs {
	unsigned long unused;
};

#endif /* ARCH_FTRACE_H */
