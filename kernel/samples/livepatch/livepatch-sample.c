/*
 * livepatch-sample.c - Linux's samples/livepatch/livepatch-sample.c, here:
 * this (dumb) live patch overrides the function that prints the kernel
 * version when `version` runs or the `version` file is read
 * (version_proc_show(), kernel/shell/fs.c), as Linux's overrides the one
 * behind /proc/cmdline.
 *
 * Example:
 *	tb# version
 *	testbed <version> x86_64 (gcc ...)
 *	tb# insmod livepatch-sample
 *	tb# version
 *	this has been live patched
 *	tb# echo 0 > livepatch/livepatch_sample/enabled
 *	tb# version
 *	testbed <version> x86_64 (gcc ...)
 *	tb# rmmod livepatch-sample
 *
 * The replacement is built into the image (it calls printk_raw, which a
 * position-independent module blob could not): unloading frees the patch's
 * trampoline, not this function.
 */
#include "kernel.h"
#include "livepatch.h"
#include "module.h"

/* The new version_proc_show(): same prototype, new output. */
static void livepatch_version_proc_show(void)
{
	printk_raw("%s\n", "this has been live patched");
}

static struct klp_func funcs[] = {
	{
		.old_name = "version_proc_show",
		.new_func = livepatch_version_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.objs = objs,
};

/* livepatch_init - insmod: enable the patch, as Linux's sample does on load. */
static int livepatch_init(struct tb_module *mod)
{
	patch.mod = mod;
	return klp_enable_patch(&patch);
}

/* livepatch_exit - rmmod: refused (-EBUSY) until the patch is disabled. */
static int livepatch_exit(struct tb_module *mod)
{
	return klp_module_exit(&patch);
}

MODULE(livepatch_sample_module, "livepatch-sample", livepatch_init, livepatch_exit, NULL, NULL);
