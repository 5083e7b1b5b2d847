/*
 * ftrace-direct-too.S - the x86_64 trampoline of the ftrace-direct-too
 * sample (ftrace-direct-too.c): my_direct_func_too(a..f) with all six of
 * demo_sum6's arguments, which are already in rdi, rsi, rdx, rcx, r8, r9;
 * the function must still find them there afterwards (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_too_blob_start, ftrace_direct_too_blob_end, my_tramp_too
ftrace_direct_too_blob_start:
	.type	my_tramp_too, @function
my_tramp_too:
	TRAMP_ENTER
	CALL_ABS my_direct_func_too
	TRAMP_LEAVE
	.size	my_tramp_too, . - my_tramp_too
ftrace_direct_too_blob_end:
