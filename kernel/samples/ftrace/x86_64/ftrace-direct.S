/*
 * ftrace-direct.S - the x86_64 trampoline of the ftrace-direct sample
 * (ftrace-direct.c): my_direct_func(a) with demo_add's first argument,
 * which is already in rdi.  Written as a user writes a direct trampoline;
 * direct-tramp.h says what it must do and why.
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_blob_start, ftrace_direct_blob_end, my_tramp
ftrace_direct_blob_start:
	.type	my_tramp, @function
my_tramp:
	TRAMP_ENTER
	CALL_ABS my_direct_func
	TRAMP_LEAVE
	.size	my_tramp, . - my_tramp
ftrace_direct_blob_end:
