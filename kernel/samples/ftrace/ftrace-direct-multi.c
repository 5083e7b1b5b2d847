/*
 * ftrace-direct-multi.c - Linux's samples/ftrace/ftrace-direct-multi.c:
 * one direct ops, one trampoline, several functions (demo_add and
 * demo_mul3 here; wake_up_process and schedule there).  The trampoline
 * passes the return into the traced function, from which the handler
 * tells which function it is (the site is ARCH_FTRACE_SITE_SIZE bytes
 * before it), and the function's first argument:
 *
 *   sh-1 [000] ..... 12.345678: my_direct_func_multi: ip=ffffffff8010a2c0 func=demo_add a0=2
 *
 * Trampolines: x86_64/ftrace-direct-multi.S, riscv64/ftrace-direct-multi.S.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"

extern const char ftrace_direct_multi_blob_start[], ftrace_direct_multi_blob_end[],
	my_tramp_multi[];

void my_direct_func_multi(unsigned long ip, long a0);

/* my_direct_func_multi - the handler: which function (by its site) and a0. */
void my_direct_func_multi(unsigned long ip, long a0)
{
	unsigned long site = ip - ARCH_FTRACE_SITE_SIZE;

	trace_printk("ip=%lx func=%ps a0=%ld\n", site, (void *)site, a0);
}

static struct ftrace_ops direct = { .name = "ftrace-direct-multi" };

/* ftrace_direct_multi_init - attach my_tramp_multi to both functions at once. */
static int ftrace_direct_multi_init(struct tb_module *mod)
{
	int err = trace_printk_init_buffers();

	if (!err)
		err = ftrace_set_filter(&direct, "demo_add demo_mul3", true);
	if (!err)
		err = register_ftrace_direct(&direct, module_sym(mod, my_tramp_multi));
	if (err)
		ftrace_free_filter(&direct);
	return err;
}

/* ftrace_direct_multi_exit - detach from both; returns once no CPU is inside. */
static int ftrace_direct_multi_exit(struct tb_module *mod)
{
	return unregister_ftrace_direct(&direct, module_sym(mod, my_tramp_multi), true);
}

MODULE(ftrace_direct_multi_module, "ftrace-direct-multi", ftrace_direct_multi_init,
       ftrace_direct_multi_exit, ftrace_direct_multi_blob_start, ftrace_direct_multi_blob_end);
