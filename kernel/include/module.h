/*
 * module.h - loadable "modules": built into the image, loaded and unloaded
 * at run time with the console's insmod / rmmod (lsmod lists the loaded
 * ones, insmod alone what can be loaded), as Linux's samples are.
 *
 * A module declares itself with MODULE(name, init, exit, blob_start,
 * blob_end):
 *  init    runs at insmod; 0 or -errno (the module is then not loaded and
 *          must have undone what it did)
 *  exit    runs at rmmod; 0, or -errno to refuse (a live patch still
 *          enabled answers -EBUSY, as Linux's refcount does)
 *  blob    optional [start, end) of position-independent code the module
 *          executes from load memory: insmod copies it into the executable
 *          trampoline pool (through text_poke) and module_sym() gives the
 *          loaded address of a symbol in it; rmmod frees it after exit has
 *          returned, so exit must first make sure no CPU can still be in it
 *          (unregister, then the core's quiescent wait).  Code in a blob
 *          refers outside itself only through absolute address literals.
 * Module names use '-' (ftrace-direct), as Linux's module files do.
 *
 * Parameters (Linux's module_param, as strings): a module that takes some
 * declares them with MODULE_PARAMS(var, ..., "name1 name2"); `insmod NAME
 * name1=value` passes them, module_param() reads them in init.  insmod
 * refuses a name the module did not declare (-ENOENT, as Linux's "Unknown
 * parameter") and a malformed or too long list (-EINVAL, -E2BIG).
 */
#ifndef MODULE_H
#define MODULE_H

#include "types.h"

struct tb_module {
	const char *name;
	int (*init)(struct tb_module *mod);
	int (*exit)(struct tb_module *mod);
	const char *blob_start, *blob_end;
	const char *params;		/* the parameter names it takes, or NULL */
	/* state, owned by module.c */
	bool loaded;
	char args[128];			/* "name\0value\0...\0": this load's parameters */
	unsigned long load_addr, load_size;	/* the blob's copy, or 0 */
	unsigned long loads;			/* times loaded since boot */
};

#define MODULE_PARAMS(var, modname, initfn, exitfn, bstart, bend, names)		\
	static struct tb_module var __attribute__((used, section(".tb_modules"),	\
						   aligned(8))) = {		\
		.name = modname, .init = initfn, .exit = exitfn,		\
		.blob_start = bstart, .blob_end = bend, .params = names,	\
	}
#define MODULE(var, modname, initfn, exitfn, bstart, bend)			\
	MODULE_PARAMS(var, modname, initfn, exitfn, bstart, bend, NULL)

/*
 * module_param - the value `insmod` gave parameter @name of @mod, or @dflt
 * when it gave none.  In init (the values stay until the next insmod).
 */
const char *module_param(const struct tb_module *mod, const char *name, const char *dflt);

/*
 * module_sym - the address @sym (a symbol inside @mod's blob) has in the
 * loaded copy; 0 when the module is not loaded or @sym is not in its blob.
 */
unsigned long module_sym(const struct tb_module *mod, const void *sym);

/* module_find - the module named @name, loaded or not, or NULL. */
struct tb_module *module_find(const char *name);

void module_init_cmds(void);

#endif /* MODULE_H */
