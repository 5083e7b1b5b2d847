/*
 * ftrace-direct-too.c - Linux's samples/ftrace/ftrace-direct-too.c: a
 * direct trampoline on a function with several arguments, demo_sum6()
 * here (handle_mm_fault() there); the handler logs all of them, and the
 * function still computes its result from the same registers:
 *
 *   sh-1 [000] ..... 12.345678: my_direct_func_too: demo_sum6 a=1 b=2 c=3 d=4 e=5 f=6
 *
 * Trampolines: x86_64/ftrace-direct-too.S, riscv64/ftrace-direct-too.S.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"

extern const char ftrace_direct_too_blob_start[], ftrace_direct_too_blob_end[],
	my_tramp_too[];

void my_direct_func_too(long a, long b, long c, long d, long e, long f);

/* my_direct_func_too - the handler my_tramp_too calls with demo_sum6's arguments. */
void my_direct_func_too(long a, long b, long c, long d, long e, long f)
{
	trace_printk("demo_sum6 a=%ld b=%ld c=%ld d=%ld e=%ld f=%ld\n", a, b, c, d, e, f);
}

static struct ftrace_ops direct = { .name = "ftrace-direct-too" };

/* ftrace_direct_too_init - attach my_tramp_too to demo_sum6; nothing stays on error. */
static int ftrace_direct_too_init(struct tb_module *mod)
{
	int err = trace_printk_init_buffers();

	if (!err)
		err = ftrace_set_filter(&direct, "demo_sum6", true);
	if (!err)
		err = register_ftrace_direct(&direct, module_sym(mod, my_tramp_too));
	if (err)
		ftrace_free_filter(&direct);
	return err;
}

/* ftrace_direct_too_exit - detach; returns once no CPU is in my_tramp_too. */
static int ftrace_direct_too_exit(struct tb_module *mod)
{
	return unregister_ftrace_direct(&direct, module_sym(mod, my_tramp_too), true);
}

MODULE(ftrace_direct_too_module, "ftrace-direct-too", ftrace_direct_too_init,
       ftrace_direct_too_exit, ftrace_direct_too_blob_start, ftrace_direct_too_blob_end);
