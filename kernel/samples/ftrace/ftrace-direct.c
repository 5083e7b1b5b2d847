/*
 * ftrace-direct.c - Linux's samples/ftrace/ftrace-direct.c: a direct
 * trampoline on one function, demo_add() here (wake_up_process() there),
 * that calls my_direct_func() with the function's first argument; the
 * handler logs it with trace_printk():
 *
 *   sh-1 [000] ..... 12.345678: my_direct_func: demo_add a=2
 *
 * The trampoline is written per arch, as a user writes one
 * (x86_64/ftrace-direct.S, riscv64/ftrace-direct.S); it runs from the copy
 * `insmod ftrace-direct` puts in the trampoline pool (module.h).
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"

extern const char ftrace_direct_blob_start[], ftrace_direct_blob_end[], my_tramp[];

void my_direct_func(long a);

/* my_direct_func - the handler my_tramp calls before demo_add(a, ...) runs. */
void my_direct_func(long a)
{
	trace_printk("demo_add a=%ld\n", a);
}

static struct ftrace_ops direct = { .name = "ftrace-direct" };

/*
 * ftrace_direct_init - attach my_tramp (its loaded copy) to demo_add.  On
 * error nothing stays behind: the filter is freed, no site changed.
 */
static int ftrace_direct_init(struct tb_module *mod)
{
	int err = trace_printk_init_buffers();

	if (!err)
		err = ftrace_set_filter(&direct, "demo_add", true);
	if (!err)
		err = register_ftrace_direct(&direct, module_sym(mod, my_tramp));
	if (err)
		ftrace_free_filter(&direct);
	return err;
}

/*
 * ftrace_direct_exit - detach; unregister_ftrace_direct() returns once no
 * CPU can still be in my_tramp, so rmmod may free its copy.
 */
static int ftrace_direct_exit(struct tb_module *mod)
{
	return unregister_ftrace_direct(&direct, module_sym(mod, my_tramp), true);
}

MODULE(ftrace_direct_module, "ftrace-direct", ftrace_direct_init, ftrace_direct_exit,
       ftrace_direct_blob_start, ftrace_direct_blob_end);
