/*
 * module.c - insmod / rmmod / lsmod for the modules built into the image
 * (include/module.h): each module's init and exit run at load and unload,
 * and its position-independent blob, if any, is copied into the trampoline
 * pool at load and freed at unload, so its memory really is reused by
 * whatever is loaded next.  Console commands only, one at a time.
 */
#include "kernel.h"
#include "ftrace.h"
#include "module.h"
#include "shell.h"

extern struct tb_module __start_tb_modules[], __stop_tb_modules[];

struct tb_module *module_find(const char *name)
{
	for (struct tb_module *m = __start_tb_modules; m < __stop_tb_modules; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

unsigned long module_sym(const struct tb_module *mod, const void *sym)
{
	const char *s = sym;

	if (!mod->load_addr || s < mod->blob_start || s >= mod->blob_end)
		return 0;
	return mod->load_addr + (unsigned long)(s - mod->blob_start);
}

/* load_blob - copy @mod's blob into the pool; 0, -ENOMEM or a poke error. */
static int load_blob(struct tb_module *mod)
{
	unsigned long size = mod->blob_end - mod->blob_start, at;
	u8 *fill;
	int err;

	if (!size)
		return 0;
	at = tramp_alloc(size);
	fill = kmalloc(size);
	if (!at || !fill) {
		if (at)
			tramp_release(at, size);
		kfree(fill);
		return -ENOMEM;
	}
	memset(fill, ARCH_TEXT_FILL_BYTE, size);
	err = text_poke((void *)at, fill, mod->blob_start, size);
	kfree(fill);
	if (err) {
		tramp_release(at, size);
		return err;
	}
	tramp_set_name(at, mod->name);
	mod->load_addr = at;
	mod->load_size = size;
	return 0;
}

/* unload_blob - fill the blob's copy back (checked by tramp_free). */
static void unload_blob(struct tb_module *mod)
{
	int err;

	if (!mod->load_addr)
		return;
	err = tramp_free(mod->load_addr, mod->blob_start, mod->load_size);
	if (err)
		panic("rmmod: %s's code at 0x%lx changed while loaded (%d)", mod->name,
		      mod->load_addr, err);
	mod->load_addr = mod->load_size = 0;
}

static int cmd_insmod(int argc, char **argv)
{
	struct tb_module *mod;
	int err;

	if (argc == 1) {	/* what can be loaded */
		for (mod = __start_tb_modules; mod < __stop_tb_modules; mod++)
			printk_raw("%s%s\n", mod->name, mod->loaded ? " (loaded)" : "");
		return 0;
	}
	if (argc != 2)
		return cmd_err(-EINVAL, "usage: insmod [NAME]");
	mod = module_find(argv[1]);
	if (!mod)
		return cmd_err(-ENOENT, "insmod: no module named '%s' (insmod lists them)", argv[1]);
	if (mod->loaded)
		return cmd_err(-EEXIST, "insmod: %s is already loaded", mod->name);
	err = load_blob(mod);
	if (err)
		return cmd_err(err, "insmod: no room for %s's code", mod->name);
	err = mod->init ? mod->init(mod) : 0;
	if (err) {
		unload_blob(mod);
		return cmd_err(err, "insmod: %s: init failed: %s", mod->name, errno_name(err));
	}
	mod->loaded = true;
	mod->loads++;
	return 0;
}

static int cmd_rmmod(int argc, char **argv)
{
	struct tb_module *mod;
	int err;

	if (argc != 2)
		return cmd_err(-EINVAL, "usage: rmmod NAME");
	mod = module_find(argv[1]);
	if (!mod)
		return cmd_err(-ENOENT, "rmmod: no module named '%s'", argv[1]);
	if (!mod->loaded)
		return cmd_err(-ENOENT, "rmmod: %s is not loaded", mod->name);
	err = mod->exit ? mod->exit(mod) : 0;
	if (err)
		return cmd_err(err, "rmmod: %s is in use: %s", mod->name, errno_name(err));
	unload_blob(mod);
	mod->loaded = false;
	return 0;
}

/* lsmod - Linux's columns; Size is the code copied into the pool. */
static int cmd_lsmod(int argc, char **argv)
{
	printk_raw("Module                  Size  Used by\n");
	for (struct tb_module *m = __start_tb_modules; m < __stop_tb_modules; m++)
		if (m->loaded)
			printk_raw("%-22s %6lu  0\n", m->name, m->load_size);
	return 0;
}

static const struct shell_cmd module_cmds[] = {
	{ "insmod", "[NAME]", "load a module (alone: list the modules)", cmd_insmod },
	{ "rmmod", "NAME", "unload a module", cmd_rmmod },
	{ "lsmod", "", "list the loaded modules", cmd_lsmod },
	{ NULL, NULL, NULL, NULL },
};

void module_init_cmds(void)
{
	shell_register_cmds(module_cmds);
}
