/*
 * ftrace-direct-share.c - two direct-call samples for the live patching
 * scenarios (seed 000): a direct ops on a function a live patch (an
 * IPMODIFY ops) may also modify.  Not in Linux's samples/ftrace: there,
 * the BPF trampoline manager is the direct ops with an ops_func.
 *
 *   ftrace-direct-share    its ops_func agrees to share (returns 0 for
 *                          every command) and logs each command it gets:
 *                          "my_share_ops_func: ENABLE_SHARE_IPMODIFY_PEER"
 *   ftrace-direct-noshare  no ops_func: registering it on a live-patched
 *                          function, or a live patch on its function,
 *                          fails with -EBUSY
 *
 * Both take `func=NAME` (default demo_add): `insmod ftrace-direct-share
 * func=demo_mul3`.  Their handler logs the function's first argument and
 * where the call resumes after the trampoline - the function itself, or the
 * replacement a live patch chose, when both share the site:
 *
 *   sh-1 [000] ..... 12.345678: my_direct_func_share: a0=2 resume=demo_add
 *
 * Trampolines: x86_64/ftrace-direct-share.S, riscv64/ftrace-direct-share.S.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "trace.h"

extern const char ftrace_direct_share_blob_start[], ftrace_direct_share_blob_end[],
	my_tramp_share[];
extern const char ftrace_direct_noshare_blob_start[], ftrace_direct_noshare_blob_end[],
	my_tramp_noshare[];

void my_direct_func_share(long a0, unsigned long resume);
void my_direct_func_noshare(long a0, unsigned long resume);

/* my_direct_func_share - ftrace-direct-share's handler. */
void my_direct_func_share(long a0, unsigned long resume)
{
	trace_printk("a0=%ld resume=%ps\n", a0, (void *)resume);
}

/* my_direct_func_noshare - ftrace-direct-noshare's handler. */
void my_direct_func_noshare(long a0, unsigned long resume)
{
	trace_printk("a0=%ld resume=%ps\n", a0, (void *)resume);
}

/*
 * my_share_ops_func - ftrace asks before a live patch and this ops share a
 * function (ftrace.h, enum ftrace_ops_cmd); the trampoline already resumes
 * wherever the patch sends the call, so it always agrees.  Runs under
 * ftrace's lock, in the registering task.
 */
static int my_share_ops_func(struct ftrace_ops *op, enum ftrace_ops_cmd cmd)
{
	switch (cmd) {
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF:
		trace_printk("ENABLE_SHARE_IPMODIFY_SELF\n");
		break;
	case FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER:
		trace_printk("ENABLE_SHARE_IPMODIFY_PEER\n");
		break;
	case FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER:
		trace_printk("DISABLE_SHARE_IPMODIFY_PEER\n");
		break;
	}
	return 0;
}

static struct ftrace_ops share_ops = { .name = "ftrace-direct-share",
				       .ops_func = my_share_ops_func };
static struct ftrace_ops noshare_ops = { .name = "ftrace-direct-noshare" };

/*
 * attach - @ops on the function named by @mod's func= parameter, calling
 * @tramp's loaded copy; nothing stays behind on error.
 */
static int attach(struct tb_module *mod, struct ftrace_ops *ops, const char *tramp)
{
	int err = trace_printk_init_buffers();

	if (!err)
		err = ftrace_set_filter(ops, module_param(mod, "func", "demo_add"), true);
	if (!err)
		err = register_ftrace_direct(ops, module_sym(mod, tramp));
	if (err)
		ftrace_free_filter(ops);
	return err;
}

/* share_init - insmod: attach to func= (default demo_add). */
static int share_init(struct tb_module *mod)
{
	return attach(mod, &share_ops, my_tramp_share);
}

/* share_exit - rmmod: detach; no CPU is left in the trampoline. */
static int share_exit(struct tb_module *mod)
{
	return unregister_ftrace_direct(&share_ops, module_sym(mod, my_tramp_share), true);
}

/* noshare_init - as share_init, for the ops without ops_func. */
static int noshare_init(struct tb_module *mod)
{
	return attach(mod, &noshare_ops, my_tramp_noshare);
}

/* noshare_exit - as share_exit. */
static int noshare_exit(struct tb_module *mod)
{
	return unregister_ftrace_direct(&noshare_ops, module_sym(mod, my_tramp_noshare), true);
}

MODULE_PARAMS(ftrace_direct_share_module, "ftrace-direct-share", share_init, share_exit,
	      ftrace_direct_share_blob_start, ftrace_direct_share_blob_end, "func");
MODULE_PARAMS(ftrace_direct_noshare_module, "ftrace-direct-noshare", noshare_init,
	      noshare_exit, ftrace_direct_noshare_blob_start, ftrace_direct_noshare_blob_end,
	      "func");
