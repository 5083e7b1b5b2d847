/*
 * ftrace-direct-modify.c - Linux's samples/ftrace/ftrace-direct-modify.c:
 * two trampolines on one function, demo_mul3() here (schedule() there),
 * and a worker that switches the function between them with
 * modify_ftrace_direct() every millisecond (Linux: every second, from a
 * kthread; here from another CPU, direct-switcher.c) while the function
 * keeps being called.  Each handler logs a constant line, which
 * trace_printk stores without a text record, so none is ever lost:
 *
 *   cpuidle-0 [001] ..... 12.345678: my_direct_func1: my direct func1
 *
 * Every call reaches exactly one of the two: `grep -c` of the two lines in
 * `trace` adds up to the calls made.  rmmod prints the worker's count:
 * "ftrace-direct-modify: switches=N errors=0 ...".
 * Trampolines: x86_64/ftrace-direct-modify.S, riscv64/ftrace-direct-modify.S.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"
#include "direct-switcher.h"

extern const char ftrace_direct_modify_blob_start[], ftrace_direct_modify_blob_end[],
	my_tramp1[], my_tramp2[];

void my_direct_func1(void);
void my_direct_func2(void);

/* my_direct_func1 - my_tramp1's handler. */
void my_direct_func1(void)
{
	trace_printk("my direct func1\n");
}

/* my_direct_func2 - my_tramp2's handler. */
void my_direct_func2(void)
{
	trace_printk("my direct func2\n");
}

static struct ftrace_ops direct = { .name = "ftrace-direct-modify" };
static struct direct_switcher switcher = {
	.name = "ftrace-direct-modify", .ops = &direct, .period_ns = 1000000,
};

/*
 * ftrace_direct_modify_init - attach my_tramp1 to demo_mul3 and start the
 * worker; on error nothing stays behind.
 */
static int ftrace_direct_modify_init(struct tb_module *mod)
{
	switcher.tramps[0] = module_sym(mod, my_tramp1);
	switcher.tramps[1] = module_sym(mod, my_tramp2);
	return direct_switcher_attach(&switcher, "demo_mul3");
}

/*
 * ftrace_direct_modify_exit - stop the worker, then detach whichever
 * trampoline is in use; returns once no CPU is in either.
 */
static int ftrace_direct_modify_exit(struct tb_module *mod)
{
	return direct_switcher_detach(&switcher);
}

MODULE(ftrace_direct_modify_module, "ftrace-direct-modify", ftrace_direct_modify_init,
       ftrace_direct_modify_exit, ftrace_direct_modify_blob_start,
       ftrace_direct_modify_blob_end);
