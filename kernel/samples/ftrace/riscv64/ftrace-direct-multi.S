/*
 * ftrace-direct-multi.S - the riscv64 trampoline of the ftrace-direct-multi
 * sample (ftrace-direct-multi.c), one trampoline for several functions:
 * my_direct_func_multi(ip, a0) gets t0, the return into the traced
 * function, which tells the handler which function it is, and that
 * function's first argument (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_multi_blob_start, ftrace_direct_multi_blob_end, my_tramp_multi
ftrace_direct_multi_blob_start:
	.type	my_tramp_multi, @function
my_tramp_multi:
	TRAMP_ENTER
	mv	a1, a0				/* a0 */
	mv	a0, t0				/* ip: the return into F */
	CALL_ABS .Lmy_direct_func_multi
	TRAMP_LEAVE
	HANDLER_LITERAL .Lmy_direct_func_multi, my_direct_func_multi
	.size	my_tramp_multi, . - my_tramp_multi
ftrace_direct_multi_blob_end:
