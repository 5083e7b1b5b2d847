/*
 * core.c - the klp-like live patching core (livepatch.h): a patch's
 * functions resolved by name and sympos, one IPMODIFY ftrace_ops per patch
 * that sends each of them to its replacement, Linux's sysfs files under
 * livepatch/, and the enable / disable sequences around transition.c.
 *
 * What differs from Linux, and why (README "Live patching"):
 *  - one ftrace_ops per patch, not one per function shared by the patches
 *    that change it: a second patch on a function is refused with -EBUSY
 *    naming the patch that holds it (no stacking, no atomic replace);
 *  - transitions run to completion inside the write to `enabled` (no
 *    workqueue retrying every second, nothing to force or reverse);
 *  - only vmlinux can be patched (modules here have no ftrace sites).
 */
#include "kernel.h"
#include "ftrace.h"
#include "livepatch.h"
#include "transition.h"
#include "module.h"
#include "smp.h"
#include "spinlock.h"

static spinlock_t klp_lock = SPINLOCK_INIT;
static struct klp_patch *klp_patches;	/* enabled (or enabling) patches */

#define klp_for_each_object(patch, obj) \
	for (struct klp_object *obj = (patch)->objs; obj && obj->funcs; obj++)
#define klp_for_each_func(obj, func) \
	for (struct klp_func *func = (obj)->funcs; func->old_name; func++)

/*
 * klp_lock_acquire - one live-patch operation at a time.  Waiting is a
 * quiescent point (like ftrace_lock's): the holder may be waiting for this
 * CPU to switch.  Task context.
 */
static void klp_lock_acquire(void)
{
	while (__atomic_exchange_n(&klp_lock.locked, 1, __ATOMIC_ACQUIRE)) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

/* klp_lock_release - the end of a live-patch operation. */
static void klp_lock_release(void)
{
	spin_unlock(&klp_lock);
}

/*
 * klp_ftrace_handler - the patch ops' callback, at the entry of a patched
 * function (from the ops' own regs trampoline, or ftrace_regs_caller's list
 * walk when other ops share the site): resume in the replacement instead,
 * unless this CPU has not switched to the patch yet (transition.c).  The
 * replacement then runs with the original arguments and returns straight
 * to the caller.  notrace: it runs inside every patched call.
 */
static void notrace klp_ftrace_handler(unsigned long ip, unsigned long parent_ip,
				       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct klp_patch *patch = op->private;

	if (!klp_patched_here(patch))
		return;
	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func)
			if (func->site == ip) {
				ftrace_regs_set_ip(fregs, (unsigned long)func->new_func);
				return;
			}
}

/*
 * klp_find_object_symbol - Linux's rules: @sympos 0 asks for a unique
 * name, N > 0 for the N-th function of that name (kallsyms order).  0 and
 * *@addr, or -EINVAL after one console line saying why.
 */
static int klp_find_object_symbol(const char *name, unsigned long sympos, unsigned long *addr)
{
	unsigned long count = 0, found = 0, a;

	for (unsigned int i = 0; i < kallsyms_count(); i++) {
		const char *n = kallsyms_name(i, &a, NULL);

		if (!n || strcmp(n, name))
			continue;
		count++;
		if ((!sympos && count == 1) || count == sympos)
			found = a;
	}
	if (!count)
		printk("livepatch: symbol '%s' not found in symbol table\n", name);
	else if (count > 1 && !sympos)
		printk("livepatch: unresolvable ambiguity for symbol '%s' in object 'vmlinux'\n",
		       name);
	else if (sympos && !found)
		printk("livepatch: symbol position %lu for symbol '%s' in object 'vmlinux' not found\n",
		       sympos, name);
	else {
		*addr = found;
		return 0;
	}
	return -EINVAL;
}

/*
 * klp_init_func - resolve @func to its function and ftrace site.  0 or
 * -EINVAL (printed).
 */
static int klp_init_func(struct klp_patch *patch, struct klp_func *func)
{
	struct dyn_ftrace *rec;
	int err;

	if (!func->new_func) {
		printk("livepatch: %s: no replacement for '%s'\n", patch->name, func->old_name);
		return -EINVAL;
	}
	err = klp_find_object_symbol(func->old_name, func->old_sympos, &func->old_func);
	if (err)
		return err;
	rec = ftrace_rec_for_func(func->old_func);
	if (!rec || (rec->flags & FTRACE_FL_DISABLED)) {
		printk("livepatch: failed to find location for function '%s'\n", func->old_name);
		return -EINVAL;
	}
	func->site = rec->ip;
	func->patched = false;
	return 0;
}

/*
 * klp_init_patch - name the patch, check and resolve every function, and
 * build the filter hash of its sites into patch->ops (not registered).
 * 0 or -errno, with nothing allocated.
 */
static int klp_init_patch(struct klp_patch *patch)
{
	struct ftrace_hash *h;
	unsigned int nfuncs = 0;
	int err = 0;

	if (patch->mod) {
		strlcpy(patch->name, patch->mod->name, sizeof(patch->name));
		for (char *c = patch->name; *c; c++)
			if (*c == '-')
				*c = '_';
	}
	if (!patch->name[0] || !patch->objs)
		return -EINVAL;
	klp_for_each_object(patch, obj) {
		if (obj->name) {
			printk("livepatch: %s: object '%s': only vmlinux can be patched\n",
			       patch->name, obj->name);
			return -EINVAL;
		}
		klp_for_each_func(obj, func) {
			err = klp_init_func(patch, func);
			if (err)
				return err;
			nfuncs++;
		}
	}
	if (!nfuncs)
		return -EINVAL;
	h = kzalloc(sizeof(*h));
	if (!h)
		return -ENOMEM;
	klp_for_each_object(patch, obj)
		klp_for_each_func(obj, func) {
			if (ftrace_hash_contains(h, func->site)) {
				printk("livepatch: %s: '%s' is listed twice\n", patch->name,
				       func->old_name);
				err = -EINVAL;
			}
			if (!err)
				err = ftrace_hash_add(h, func->site);
		}
	if (err) {
		ftrace_hash_clear(h);
		kfree(h);
		return err;
	}
	memset(&patch->ops, 0, sizeof(patch->ops));
	patch->ops.func = klp_ftrace_handler;
	patch->ops.flags = FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_SAVE_REGS;
	patch->ops.name = patch->name;
	patch->ops.private = patch;
	patch->ops.local_hash.filter_hash = h;
	return 0;
}

/* klp_free_ops_hash - the unregistered ops' filter (no CPU reads it). */
static void klp_free_ops_hash(struct klp_patch *patch)
{
	struct ftrace_hash *h = patch->ops.local_hash.filter_hash;

	patch->ops.local_hash.filter_hash = NULL;
	if (h) {
		ftrace_hash_clear(h);
		kfree(h);
	}
}

/* ---- the files: livepatch/<patch>/... ---------------------------------- */

/*
 * kstrtobool - Linux's parse of a boolean attribute: the first character
 * decides (1 y Y t T / 0 n N f F), "on" and "off" too.  0 or -EINVAL.
 */
static int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case '1': case 'y': case 'Y': case 't': case 'T':
		*res = true;
		return 0;
	case '0': case 'n': case 'N': case 'f': case 'F':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* klp_file_owner - the patch, object or function of the file being accessed. */
static void *klp_file_owner(void)
{
	return container_of(fs_current(), struct klp_file, tfile)->owner;
}

/* enabled_read - `cat livepatch/<patch>/enabled`: 1 while the files exist. */
static void enabled_read(void)
{
	const struct klp_patch *patch = klp_file_owner();

	printk_raw("%d\n", patch->enabled);
}

/*
 * enabled_write - Linux's enabled_store(): writing the state the patch is
 * already in is -EINVAL, and so is writing 1 (a disabled patch is gone; it
 * is enabled again by loading its module again).  0 disables.
 */
static int enabled_write(const char *text, bool append)
{
	struct klp_patch *patch = klp_file_owner();
	bool enable;
	int err = kstrtobool(text, &enable);

	if (err)
		return err;
	if (enable == patch->enabled || enable)
		return -EINVAL;
	return klp_disable_patch(patch);
}

/* transition_read - 1 while a transition of the patch runs. */
static void transition_read(void)
{
	const struct klp_patch *patch = klp_file_owner();

	printk_raw("%d\n", READ_ONCE(patch->transition_word) != 0);
}

/* object_patched_read - vmlinux/patched (Linux 6.1's object attribute). */
static void object_patched_read(void)
{
	const struct klp_object *obj = klp_file_owner();

	printk_raw("%d\n", obj->patched);
}

/* func_patched_read - vmlinux/<function>,<sympos>/patched (an addition). */
static void func_patched_read(void)
{
	const struct klp_func *func = klp_file_owner();

	printk_raw("%d\n", func->patched);
}

/* file_init - @f is the file @fmt... of @owner, with @read and @write. */
static void __printf(5, 6) file_init(struct klp_file *f, void *owner, void (*read)(void),
				     int (*write)(const char *, bool), const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->path, sizeof(f->path), fmt, ap);
	va_end(ap);
	f->tfile.name = f->path;
	f->tfile.read = read;
	f->tfile.write = write;
	f->owner = owner;
}

/* klp_remove_files - unregister whichever of the patch's files are registered. */
static void klp_remove_files(struct klp_patch *patch)
{
	for (int i = 0; i < 2; i++)
		fs_unregister(&patch->files[i].tfile);
	klp_for_each_object(patch, obj) {
		fs_unregister(&obj->patched_file.tfile);
		klp_for_each_func(obj, func)
			fs_unregister(&func->patched_file.tfile);
	}
}

/*
 * klp_create_files - Linux's sysfs layout (livepatch.h): 0, or -EEXIST /
 * -ENOSPC with none of them left registered.
 */
static int klp_create_files(struct klp_patch *patch)
{
	int err;

	file_init(&patch->files[0], patch, enabled_read, enabled_write,
		  "livepatch/%s/enabled", patch->name);
	file_init(&patch->files[1], patch, transition_read, NULL,
		  "livepatch/%s/transition", patch->name);
	for (int i = 0; i < 2; i++)
		if ((err = fs_register(&patch->files[i].tfile)))
			goto fail;
	klp_for_each_object(patch, obj) {
		file_init(&obj->patched_file, obj, object_patched_read, NULL,
			  "livepatch/%s/vmlinux/patched", patch->name);
		if ((err = fs_register(&obj->patched_file.tfile)))
			goto fail;
		klp_for_each_func(obj, func) {
			/* Linux names a function's directory "name,sympos", 0 shown as 1. */
			file_init(&func->patched_file, func, func_patched_read, NULL,
				  "livepatch/%s/vmlinux/%s,%lu/patched", patch->name,
				  func->old_name, func->old_sympos ? func->old_sympos : 1);
			if ((err = fs_register(&func->patched_file.tfile)))
				goto fail;
		}
	}
	return 0;
fail:
	klp_remove_files(patch);
	return err;
}

/* ---- enable / disable ---------------------------------------------------- */

/* klp_set_patched - every function and object of @patch reads @on. */
static void klp_set_patched(struct klp_patch *patch, bool on)
{
	klp_for_each_object(patch, obj) {
		obj->patched = on;
		klp_for_each_func(obj, func)
			func->patched = on;
	}
}

/*
 * klp_pre_patch - run the objects' pre_patch callbacks; on a refusal, the
 * post_unpatch callbacks of those that agreed (Linux's order) and the error.
 */
static int klp_pre_patch(struct klp_patch *patch)
{
	klp_for_each_object(patch, obj) {
		int err = obj->callbacks.pre_patch ? obj->callbacks.pre_patch(obj) : 0;

		if (err) {
			printk("livepatch: pre-patch callback failed for object '%s'\n",
			       obj->name ? obj->name : "vmlinux");
			for (struct klp_object *o = patch->objs; o != obj; o++)
				if (o->callbacks.post_unpatch)
					o->callbacks.post_unpatch(o);
			return err;
		}
	}
	return 0;
}

/* klp_run_callbacks - call each object's callback @cb, where it has one. */
#define klp_run_callbacks(patch, cb)				\
	klp_for_each_object(patch, obj)				\
		if (obj->callbacks.cb)				\
			obj->callbacks.cb(obj)

/*
 * __klp_enable_patch - klp_lock held.  The order makes every failure
 * leave nothing behind: files, then pre_patch, then the ops (the one step
 * that changes text, and it changes nothing when it fails), then the
 * transition, which cannot fail.
 */
static int __klp_enable_patch(struct klp_patch *patch)
{
	int err;

	if (patch->enabled || patch->transition_word)
		return -EINVAL;
	err = klp_init_patch(patch);
	if (err)
		return err;
	for (struct klp_patch *p = klp_patches; p; p = p->next)
		if (!strcmp(p->name, patch->name)) {
			printk("livepatch: a patch named '%s' is already enabled\n", patch->name);
			err = -EEXIST;
			goto out_hash;
		}
	err = klp_create_files(patch);
	if (err)
		goto out_hash;
	printk("livepatch: enabling patch '%s'\n", patch->name);
	err = klp_pre_patch(patch);
	if (err)
		goto out_files;
	klp_transition_begin(patch, true);
	err = register_ftrace_function(&patch->ops);
	if (err) {
		klp_transition_end(patch);
		klp_run_callbacks(patch, post_unpatch);
		goto out_files;
	}
	printk("livepatch: '%s': starting patching transition\n", patch->name);
	klp_transition_run(patch);
	klp_set_patched(patch, true);
	patch->enabled = true;
	patch->next = klp_patches;
	klp_patches = patch;
	klp_transition_end(patch);
	klp_run_callbacks(patch, post_patch);
	printk("livepatch: '%s': patching complete\n", patch->name);
	return 0;

out_files:
	klp_remove_files(patch);
out_hash:
	klp_free_ops_hash(patch);
	printk("livepatch: failed to enable patch '%s' (%d)\n", patch->name, err);
	return err;
}

/* klp_enable_patch - see livepatch.h; refused early on mcount sites. */
int klp_enable_patch(struct klp_patch *patch)
{
	int err;

	if (!ARCH_FTRACE_ENTRY_SITES) {
		printk("livepatch: call sites follow the prologue here (mcount): "
		       "live patching needs entry sites\n");
		return -ENOTSUPP;
	}
	klp_lock_acquire();
	err = __klp_enable_patch(patch);
	klp_lock_release();
	return err;
}

/*
 * __klp_disable_patch - klp_lock held.  Every CPU switches back before the
 * ops goes (so no call is redirected after a CPU switched), and the ops'
 * unregistration waits until no CPU is in its trampoline: after the
 * transition no CPU is in a replacement either (transition.c, step 4).
 */
static int __klp_disable_patch(struct klp_patch *patch)
{
	int err;

	if (!patch->enabled)
		return -EINVAL;
	klp_run_callbacks(patch, pre_unpatch);
	printk("livepatch: '%s': starting unpatching transition\n", patch->name);
	klp_transition_begin(patch, false);
	klp_transition_run(patch);
	err = unregister_ftrace_function(&patch->ops);
	if (err)
		panic("klp_disable_patch: %s: ops not registered (%d)", patch->name, err);
	klp_set_patched(patch, false);
	klp_transition_end(patch);
	for (struct klp_patch **p = &klp_patches; *p; p = &(*p)->next)
		if (*p == patch) {
			*p = patch->next;
			break;
		}
	patch->enabled = false;
	klp_remove_files(patch);
	klp_free_ops_hash(patch);
	klp_run_callbacks(patch, post_unpatch);
	printk("livepatch: '%s': unpatching complete\n", patch->name);
	return 0;
}

/* klp_disable_patch - see livepatch.h. */
int klp_disable_patch(struct klp_patch *patch)
{
	int err;

	klp_lock_acquire();
	err = __klp_disable_patch(patch);
	klp_lock_release();
	return err;
}

/* klp_module_exit - see livepatch.h: what Linux's module refcount does. */
int klp_module_exit(struct klp_patch *patch)
{
	return READ_ONCE(patch->enabled) ? -EBUSY : 0;
}
