/*
 * ftrace-direct-share.S - the x86_64 trampolines of the ftrace-direct-share
 * and ftrace-direct-noshare samples (ftrace-direct-share.c), one per module
 * (each module's code is its own blob): the handler gets the traced
 * function's first argument and where the call resumes, the return
 * address this trampoline returns to - the function itself, or the
 * replacement a live patch (IPMODIFY) chose when ftrace_regs_caller ran
 * both (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_share_blob_start, ftrace_direct_share_blob_end, my_tramp_share
ftrace_direct_share_blob_start:
	.type	my_tramp_share, @function
my_tramp_share:
	TRAMP_ENTER
	movq	TRAMP_RET_INTO_F(%rbp), %rsi	/* resume: into F or its replacement */
	CALL_ABS my_direct_func_share
	TRAMP_LEAVE
	.size	my_tramp_share, . - my_tramp_share
ftrace_direct_share_blob_end:

	.balign	16
	.globl	ftrace_direct_noshare_blob_start, ftrace_direct_noshare_blob_end
	.globl	my_tramp_noshare
ftrace_direct_noshare_blob_start:
	.type	my_tramp_noshare, @function
my_tramp_noshare:
	TRAMP_ENTER
	movq	TRAMP_RET_INTO_F(%rbp), %rsi
	CALL_ABS my_direct_func_noshare
	TRAMP_LEAVE
	.size	my_tramp_noshare, . - my_tramp_noshare
ftrace_direct_noshare_blob_end:
