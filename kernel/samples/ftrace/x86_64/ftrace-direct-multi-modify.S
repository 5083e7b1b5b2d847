/*
 * ftrace-direct-multi-modify.S - the two x86_64 trampolines of the
 * ftrace-direct-multi-modify sample (ftrace-direct-multi-modify.c): each
 * serves several functions and passes its handler the return into the
 * traced function (which function) and its first argument
 * (direct-tramp.h).
 */
#include "direct-tramp.h"

	.text
	.balign	16
	.globl	ftrace_direct_multi_modify_blob_start, ftrace_direct_multi_modify_blob_end
	.globl	my_tramp_multi1, my_tramp_multi2
ftrace_direct_multi_modify_blob_start:
	.type	my_tramp_multi1, @function
my_tramp_multi1:
	TRAMP_ENTER
	movq	%rdi, %rsi			/* a0 */
	movq	TRAMP_RET_INTO_F(%rbp), %rdi	/* ip */
	CALL_ABS my_direct_func_multi1
	TRAMP_LEAVE
	.size	my_tramp_multi1, . - my_tramp_multi1

	.balign	16
	.type	my_tramp_multi2, @function
my_tramp_multi2:
	TRAMP_ENTER
	movq	%rdi, %rsi
	movq	TRAMP_RET_INTO_F(%rbp), %rdi
	CALL_ABS my_direct_func_multi2
	TRAMP_LEAVE
	.size	my_tramp_multi2, . - my_tramp_multi2
ftrace_direct_multi_modify_blob_end:
