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

/*
 * name_blob_syms - give the loaded copy the names its functions have in
 * the image (the trampolines of a direct-call sample, say), so %pS and
 * enabled_functions show "my_tramp+0x0/0x30" rather than an offset into
 * the module.  Best effort: a full name table leaves the module's name.
 */
static void name_blob_syms(struct tb_module *mod)
{
	unsigned long start = (unsigned long)mod->blob_start, end = (unsigned long)mod->blob_end;

	for (unsigned int i = 0; i < kallsyms_count(); i++) {
		unsigned long addr, size;
		const char *name = kallsyms_name(i, &addr, &size);

		if (addr >= start && addr < end && size)
			tramp_add_sym(mod->load_addr + (addr - start), size, name);
	}
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
	name_blob_syms(mod);
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

/* declares - @mod's parameter list names @name (@len bytes). */
static bool declares(const struct tb_module *mod, const char *name, size_t len)
{
	const char *p = mod->params;

	while (p && *p) {
		size_t n = 0;

		while (p[n] && p[n] != ' ')
			n++;
		if (n == len && !strncmp(p, name, len))
			return true;
		p += n;
		while (*p == ' ')
			p++;
	}
	return false;
}

/*
 * parse_params - check @argv[0..@argc) ("name=value" each) against @mod's
 * declared parameters and pack them into @out ("name\0value\0...\0\0",
 * @size bytes).  0, or -errno after the command's one error line.
 */
static int parse_params(const struct tb_module *mod, int argc, char **argv, char *out,
			size_t size)
{
	size_t used = 0;

	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t len = strlen(argv[i]);

		if (!eq || eq == argv[i])
			return cmd_err(-EINVAL, "insmod: %s: '%s' is not name=value", mod->name,
				       argv[i]);
		if (!declares(mod, argv[i], (size_t)(eq - argv[i])))
			return cmd_err(-ENOENT, "insmod: %s: unknown parameter '%.*s'", mod->name,
				       (int)(eq - argv[i]), argv[i]);
		if (used + len + 2 > size)
			return cmd_err(-E2BIG, "insmod: %s: parameters longer than %lu bytes",
				       mod->name, (unsigned long)size - 2);
		memcpy(out + used, argv[i], len + 1);
		out[used + (size_t)(eq - argv[i])] = 0;	/* name\0value\0 */
		used += len + 1;
	}
	out[used] = 0;
	return 0;
}

const char *module_param(const struct tb_module *mod, const char *name, const char *dflt)
{
	for (const char *p = mod->args; *p; ) {
		const char *val = p + strlen(p) + 1;

		if (!strcmp(p, name))
			return val;
		p = val + strlen(val) + 1;
	}
	return dflt;
}

/*
 * insmod [NAME [name=value ...]] - load a module with its parameters, or
 * list what can be loaded.  Console CPU.
 */
static int cmd_insmod(int argc, char **argv)
{
	char args[sizeof(((struct tb_module *)0)->args)];
	struct tb_module *mod;
	int err;

	if (argc == 1) {	/* what can be loaded */
		for (mod = __start_tb_modules; mod < __stop_tb_modules; mod++)
			printk_raw("%s%s\n", mod->name, mod->loaded ? " (loaded)" : "");
		return 0;
	}
	mod = module_find(argv[1]);
	if (!mod)
		return cmd_err(-ENOENT, "insmod: no module named '%s' (insmod lists them)", argv[1]);
	if (mod->loaded)
		return cmd_err(-EEXIST, "insmod: %s is already loaded", mod->name);
	err = parse_params(mod, argc - 2, argv + 2, args, sizeof(args));
	if (err)
		return err;
	memcpy(mod->args, args, sizeof(args));
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

/*
 * rmmod NAME - run exit (which may refuse), then free the module's code:
 * exit returned, so no CPU can still be inside it.  Console CPU.
 */
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

/*
 * modules - Linux's /proc/modules: "name size refcount deps state address"
 * per loaded module; address is where its code was copied (0 without).
 */
static void modules_read(void)
{
	for (struct tb_module *m = __start_tb_modules; m < __stop_tb_modules; m++)
		if (m->loaded)
			printk_raw("%s %lu 0 - Live 0x%016lx\n", m->name, m->load_size,
				   m->load_addr);
}

static const struct tfile modules_file = { "modules", modules_read, NULL };

static const struct shell_cmd module_cmds[] = {
	{ "insmod", "[NAME [PARAM=VALUE ...]]", "load a module (alone: list the modules)",
	  cmd_insmod },
	{ "rmmod", "NAME", "unload a module", cmd_rmmod },
	{ "lsmod", "", "list the loaded modules", cmd_lsmod },
	{ NULL, NULL, NULL, NULL },
};

/* module_init_cmds - the commands and the modules file; boot CPU. */
void module_init_cmds(void)
{
	shell_register_cmds(module_cmds);
	fs_register(&modules_file);
}
