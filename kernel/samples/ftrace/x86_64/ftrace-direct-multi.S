/*
 * ftrace-direct-multi.S - the x86_64 trampoline of the ftrace-direct-multi
 * sample (ftrace-direct-multi.c), one trampoline for several functions:
 * my_direct_func_multi(ip, a0) gets the return into the traced function,
 * which tells the handler which function it is, and that function's first
 * argument (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_multi_blob_start, ftrace_direct_multi_blob_end, my_tramp_multi
ftrace_direct_multi_blob_start:
	.type	my_tramp_multi, @function
my_tramp_multi:
	TRAMP_ENTER
	movq	%rdi, %rsi			/* a0 */
	movq	TRAMP_RET_INTO_F(%rbp), %rdi	/* ip: the return into F */
	CALL_ABS my_direct_func_multi
	TRAMP_LEAVE
	.size	my_tramp_multi, . - my_tramp_multi
ftrace_direct_multi_blob_end:
