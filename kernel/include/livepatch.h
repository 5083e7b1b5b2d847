/*
 * livepatch.h - live patching, after Linux's kernel/livepatch: a patch lists
 * functions by name (and sympos) with their replacements; enabling it
 * registers one IPMODIFY ftrace_ops whose callback sends every call of a
 * patched function to its replacement.
 *
 * A patch is usually declared by a module (module.h) whose init calls
 * klp_enable_patch() and whose exit calls klp_module_exit(), as Linux's
 * samples/livepatch do:
 *
 *	static struct klp_func funcs[] = {
 *		{ .old_name = "version_proc_show", .new_func = my_version_proc_show },
 *		{ }
 *	};
 *	static struct klp_object objs[] = { { .funcs = funcs }, { } };
 *	static struct klp_patch patch = { .objs = objs };
 *
 * While enabled, the patch has Linux's sysfs files in the console's file
 * namespace (kernel/shell/fs.c), under livepatch/<patch>/ where <patch> is
 * the module's name with '-' turned into '_' (livepatch-sample ->
 * livepatch_sample):
 *	enabled                              1; `echo 0` disables the patch
 *	transition                           1 while a transition runs
 *	vmlinux/patched                      1 while the object is patched
 *	vmlinux/<function>,<sympos>/patched  1 while that function is patched
 * Once disabled, a patch's files are gone (as Linux frees a disabled
 * patch); its module can then be removed, and loading it again enables it.
 *
 * Consistency model (transition.c has the protocol): each CPU switches
 * from the old functions to the new ones (and back) at a quiescent point
 * of its own, where it is inside no patched function; its interrupts
 * follow it.  So a CPU never mixes old and new functions of one patch in
 * one call chain, and when klp_enable_patch() / a write of 0 to `enabled`
 * returns, no CPU runs (or will run) an old (new) function of the patch.
 */
#ifndef LIVEPATCH_H
#define LIVEPATCH_H

#include "types.h"
#include "ftrace.h"
#include "shell.h"

struct tb_module;
struct klp_object;

/* Longest file name a patch gets (livepatch/<patch>/vmlinux/<f>,<n>/patched). */
#define KLP_PATH_MAX	128

/* A file of a patch, an object or a function (core.c finds @owner back). */
struct klp_file {
	struct tfile tfile;
	void *owner;
	char path[KLP_PATH_MAX];
};

/*
 * klp_func - one function to replace.  @old_name is looked up in kallsyms;
 * @old_sympos picks one of several functions with that name (1 = the
 * first; 0 = the name must be unique), as in Linux.  @new_func has the old
 * function's prototype.  The rest is the core's.
 */
struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long old_sympos;
	/* internal */
	unsigned long old_func;		/* resolved address */
	unsigned long site;		/* its ftrace site (the record's ip) */
	bool patched;
	struct klp_file patched_file;
};

/*
 * Linux's object callbacks: pre_patch runs before the patch goes live (an
 * error refuses the enable, and nothing else runs); post_patch once every
 * CPU runs the new functions; pre_unpatch before a disable starts;
 * post_unpatch once no CPU runs the new functions any more.
 */
struct klp_callbacks {
	int (*pre_patch)(struct klp_object *obj);
	void (*post_patch)(struct klp_object *obj);
	void (*pre_unpatch)(struct klp_object *obj);
	void (*post_unpatch)(struct klp_object *obj);
};

/*
 * klp_object - the functions a patch changes in one object.  Only vmlinux
 * (@name NULL) exists here: modules are blobs without ftrace sites.
 */
struct klp_object {
	const char *name;
	struct klp_func *funcs;		/* ends with an entry whose old_name is NULL */
	struct klp_callbacks callbacks;
	/* internal */
	bool patched;
	struct klp_file patched_file;
};

/*
 * klp_patch - @objs ends with an entry whose funcs is NULL.  @name is the
 * module's name with '-' turned into '_', set by klp_enable_patch(); a
 * patch without a module (@mod NULL: an in-kernel test driver's) sets
 * @name itself.
 */
struct klp_patch {
	struct tb_module *mod;		/* set by klp_enable_patch()'s caller */
	struct klp_object *objs;
	char name[40];
	/* internal */
	bool enabled;
	/*
	 * Nonzero while a transition of this patch runs: the transition's
	 * word (transition.c), which also says its target.
	 */
	unsigned long transition_word;
	struct ftrace_ops ops;
	struct klp_file files[2];	/* enabled, transition */
	struct klp_patch *next;		/* the list of enabled patches */
};

/*
 * klp_enable_patch - resolve every function, create the files, register
 * the patch's ftrace_ops and switch every CPU to the new functions.
 * Returns once no CPU runs an old function of the patch.  0, or:
 *  -EINVAL    a function not found, ambiguous, or without an ftrace site;
 *             an object other than vmlinux; no functions; already enabled
 *  -EBUSY     a function is already modified by another IPMODIFY ops
 *             (another patch) or has a direct trampoline whose ops does
 *             not agree to share (both named on the console)
 *  -ENOTSUPP  this kernel's sites follow the prologue (mcount flavours)
 *  -ENOMEM, or the error a pre_patch callback returned
 * On error nothing changed.  Console context (one live-patch operation at
 * a time, serialised by klp_lock).
 */
int klp_enable_patch(struct klp_patch *patch);

/*
 * klp_disable_patch - what `echo 0 > livepatch/<patch>/enabled` does:
 * switch every CPU back to the old functions, unregister the ops and
 * remove the files.  Returns once no CPU can be in the patch's trampoline
 * or replacements: the module may then free them.  0, or -EINVAL when the
 * patch is not enabled.
 */
int klp_disable_patch(struct klp_patch *patch);

/*
 * klp_module_exit - for a patch module's exit: -EBUSY while the patch is
 * enabled (Linux holds a reference on the module until it is disabled),
 * else 0.
 */
int klp_module_exit(struct klp_patch *patch);

/*
 * klp_update_patch_state - the quiescent-point hook (cpu_quiescent(),
 * smp.c): while a transition waits for this CPU, switch it to the
 * transition's target.  Any context but interrupts; notrace, cheap (one
 * load) when no transition runs.
 */
void klp_update_patch_state(void);

/*
 * klp_transition_naive - test-only negative control (klp_stress naive):
 * transitions switch every CPU at once from the driving CPU, wherever each
 * is, instead of at its own quiescent point.  Call chains then mix old
 * and new functions; klp_stress shows that they do.  Off by default.
 */
extern bool klp_transition_naive;

/* Counters for tests: transitions run, CPUs kicked out of idle. */
struct klp_stats {
	unsigned long transitions;
	unsigned long kicks;		/* cross-CPU calls made to wake idle CPUs */
	unsigned long wait_rounds;
};
extern struct klp_stats klp_stats;

#endif /* LIVEPATCH_H */
