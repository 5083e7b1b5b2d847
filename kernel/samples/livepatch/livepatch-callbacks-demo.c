/*
 * livepatch-callbacks-demo.c - a live patch that changes what a function
 * returns, with the four object callbacks of Linux's
 * samples/livepatch/livepatch-callbacks-demo.c printing when they run.
 *
 * demo_answer() (kernel/samples/demo.c) returns 41; patched, 42:
 *	tb# call demo_answer
 *	demo_answer() = 41 (0x29)
 *	tb# insmod livepatch-callbacks-demo
 *	tb# call demo_answer
 *	demo_answer() = 42 (0x2a)
 *
 * The console shows, as Linux's log does:
 *	livepatch: enabling patch 'livepatch_callbacks_demo'
 *	livepatch_callbacks_demo: pre_patch_callback: vmlinux
 *	livepatch: 'livepatch_callbacks_demo': starting patching transition
 *	livepatch_callbacks_demo: post_patch_callback: vmlinux
 *	livepatch: 'livepatch_callbacks_demo': patching complete
 * and, at `echo 0 > livepatch/livepatch_callbacks_demo/enabled`,
 * pre_unpatch_callback, the unpatching transition, post_unpatch_callback.
 */
#include "kernel.h"
#include "livepatch.h"
#include "module.h"

#define pr_fmt	"livepatch_callbacks_demo: "

/* callback_info - Linux's line: "<callback>: vmlinux" (only vmlinux here). */
static void callback_info(const char *callback, struct klp_object *obj)
{
	printk(pr_fmt "%s: %s\n", callback, obj->name ? obj->name : "vmlinux");
}

/* Before the patch goes live; an error here would refuse the enable. */
static int pre_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
	return 0;
}

/* Once every CPU runs the new function. */
static void post_patch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* Before the unpatching transition starts. */
static void pre_unpatch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* Once no CPU runs the new function any more. */
static void post_unpatch_callback(struct klp_object *obj)
{
	callback_info(__func__, obj);
}

/* The new demo_answer(): the fixed answer. */
static long livepatch_demo_answer(void)
{
	return 42;
}

static struct klp_func funcs[] = {
	{
		.old_name = "demo_answer",
		.new_func = livepatch_demo_answer,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch_callback,
			.post_patch = post_patch_callback,
			.pre_unpatch = pre_unpatch_callback,
			.post_unpatch = post_unpatch_callback,
		},
	}, { }
};

static struct klp_patch patch = {
	.objs = objs,
};

/* insmod: enable the patch. */
static int livepatch_callbacks_demo_init(struct tb_module *mod)
{
	patch.mod = mod;
	return klp_enable_patch(&patch);
}

/* rmmod: refused (-EBUSY) until the patch is disabled. */
static int livepatch_callbacks_demo_exit(struct tb_module *mod)
{
	return klp_module_exit(&patch);
}

MODULE(livepatch_callbacks_demo_module, "livepatch-callbacks-demo",
       livepatch_callbacks_demo_init, livepatch_callbacks_demo_exit, NULL, NULL);
