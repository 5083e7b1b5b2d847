/*
 * ftrace-direct-multi-modify.c - Linux's
 * samples/ftrace/ftrace-direct-multi-modify.c: the multi sample's two
 * functions (demo_add, demo_mul3) switched between two trampolines every
 * millisecond by the worker of direct-switcher.c, while they keep being
 * called.  Each handler logs which function it saw:
 *
 *   cpuidle-0 [002] ..... 12.345678: my_direct_func_multi1: my direct func1 func=demo_add a0=7
 *
 * rmmod prints "ftrace-direct-multi-modify: switches=N errors=0 ...".
 * Trampolines: x86_64/ftrace-direct-multi-modify.S and the riscv64 one.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"
#include "direct-switcher.h"

extern const char ftrace_direct_multi_modify_blob_start[],
	ftrace_direct_multi_modify_blob_end[], my_tramp_multi1[], my_tramp_multi2[];

void my_direct_func_multi1(unsigned long ip, long a0);
void my_direct_func_multi2(unsigned long ip, long a0);

/* my_direct_func_multi1 - my_tramp_multi1's handler. */
void my_direct_func_multi1(unsigned long ip, long a0)
{
	trace_printk("my direct func1 func=%ps a0=%ld\n", (void *)(ip - ARCH_FTRACE_SITE_SIZE),
		     a0);
}

/* my_direct_func_multi2 - my_tramp_multi2's handler. */
void my_direct_func_multi2(unsigned long ip, long a0)
{
	trace_printk("my direct func2 func=%ps a0=%ld\n", (void *)(ip - ARCH_FTRACE_SITE_SIZE),
		     a0);
}

static struct ftrace_ops direct = { .name = "ftrace-direct-multi-modify" };
static struct direct_switcher switcher = {
	.name = "ftrace-direct-multi-modify", .ops = &direct, .period_ns = 1000000,
};

/* ftrace_direct_multi_modify_init - attach my_tramp_multi1, start switching. */
static int ftrace_direct_multi_modify_init(struct tb_module *mod)
{
	int err = trace_printk_init_buffers();

	switcher.tramps[0] = module_sym(mod, my_tramp_multi1);
	switcher.tramps[1] = module_sym(mod, my_tramp_multi2);
	return err ? err : direct_switcher_attach(&switcher, "demo_add demo_mul3");
}

/* ftrace_direct_multi_modify_exit - stop switching, detach the one in use. */
static int ftrace_direct_multi_modify_exit(struct tb_module *mod)
{
	return direct_switcher_detach(&switcher);
}

MODULE(ftrace_direct_multi_modify_module, "ftrace-direct-multi-modify",
       ftrace_direct_multi_modify_init, ftrace_direct_multi_modify_exit,
       ftrace_direct_multi_modify_blob_start, ftrace_direct_multi_modify_blob_end);
