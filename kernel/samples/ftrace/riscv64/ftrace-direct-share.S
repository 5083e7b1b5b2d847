/*
 * ftrace-direct-share.S - the riscv64 trampolines of the
 * ftrace-direct-share and ftrace-direct-noshare samples
 * (ftrace-direct-share.c), one per module (each module's code is its own
 * blob): the handler gets the traced function's first argument and t0,
 * where the call resumes - the function itself, or the replacement a live
 * patch (IPMODIFY) chose when ftrace_regs_caller ran both: it changes the
 * saved t0, never t1 (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_share_blob_start, ftrace_direct_share_blob_end, my_tramp_share
ftrace_direct_share_blob_start:
	.type	my_tramp_share, @function
my_tramp_share:
	TRAMP_ENTER
	mv	a1, t0				/* resume: into F or its replacement */
	CALL_ABS .Lmy_direct_func_share
	TRAMP_LEAVE
	HANDLER_LITERAL .Lmy_direct_func_share, my_direct_func_share
	.size	my_tramp_share, . - my_tramp_share
ftrace_direct_share_blob_end:

	.balign	16
	.globl	ftrace_direct_noshare_blob_start, ftrace_direct_noshare_blob_end
	.globl	my_tramp_noshare
ftrace_direct_noshare_blob_start:
	.type	my_tramp_noshare, @function
my_tramp_noshare:
	TRAMP_ENTER
	mv	a1, t0
	CALL_ABS .Lmy_direct_func_noshare
	TRAMP_LEAVE
	HANDLER_LITERAL .Lmy_direct_func_noshare, my_direct_func_noshare
	.size	my_tramp_noshare, . - my_tramp_noshare
ftrace_direct_noshare_blob_end:
