/*
 * bench-direct.S - the direct trampoline `bench` measures (kernel/tests/
 * bench.c): the sample trampolines' shape (kernel/samples/ftrace/riscv64/
 * direct-tramp.h) around a handler that only counts, so the row shows
 * what a user's direct trampoline costs.  Runs in place (not a module).
 */
#include "../../samples/ftrace/riscv64/direct-tramp.h"

	.text
	.balign	16
	.globl	bench_direct_tramp
	.type	bench_direct_tramp, @function
bench_direct_tramp:
	TRAMP_ENTER
	CALL_ABS .Lbench_direct_func
	TRAMP_LEAVE
	HANDLER_LITERAL .Lbench_direct_func, bench_direct_func
	.size	bench_direct_tramp, . - bench_direct_tramp
