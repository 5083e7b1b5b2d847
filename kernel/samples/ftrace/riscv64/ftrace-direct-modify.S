/*
 * ftrace-direct-modify.S - the two riscv64 trampolines of the
 * ftrace-direct-modify sample (ftrace-direct-modify.c), which switches
 * demo_mul3's site between them: my_tramp1 calls my_direct_func1,
 * my_tramp2 my_direct_func2 (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_modify_blob_start, ftrace_direct_modify_blob_end
	.globl	my_tramp1, my_tramp2
ftrace_direct_modify_blob_start:
	.type	my_tramp1, @function
my_tramp1:
	TRAMP_ENTER
	CALL_ABS .Lmy_direct_func1
	TRAMP_LEAVE
	HANDLER_LITERAL .Lmy_direct_func1, my_direct_func1
	.size	my_tramp1, . - my_tramp1

	.balign	16
	.type	my_tramp2, @function
my_tramp2:
	TRAMP_ENTER
	CALL_ABS .Lmy_direct_func2
	TRAMP_LEAVE
	HANDLER_LITERAL .Lmy_direct_func2, my_direct_func2
	.size	my_tramp2, . - my_tramp2
ftrace_direct_modify_blob_end:
