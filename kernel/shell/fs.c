/*
 * fs.c - the console's file namespace: a flat table of named files that
 * subsystems register (the tracing files of later issues live here, under
 * Linux's tracefs names), plus the shell's own `scratch` and `version`.
 */
#include "kernel.h"
#include "version.h"
#include "arch.h"
#include "shell.h"

#define MAX_FILES 160
#define SCRATCH_SIZE 4096

static const struct tfile *files[MAX_FILES];
static unsigned int nr_files;

int fs_register(const struct tfile *f)
{
	if (fs_lookup(f->name))
		return -EEXIST;
	if (nr_files == MAX_FILES)
		return -ENOSPC;
	files[nr_files++] = f;
	return 0;
}

/* fs_unregister - see shell.h; shifts the later files down one slot. */
int fs_unregister(const struct tfile *f)
{
	for (unsigned int i = 0; i < nr_files; i++)
		if (files[i] == f) {
			memmove(&files[i], &files[i + 1], (nr_files - i - 1) * sizeof(files[0]));
			files[--nr_files] = NULL;
			return 0;
		}
	return -ENOENT;
}

static const struct tfile *current_file;

/* fs_read - print @f's content, with fs_current() = @f meanwhile. */
void fs_read(const struct tfile *f)
{
	const struct tfile *saved = current_file;

	current_file = f;
	if (f->read)
		f->read();
	current_file = saved;
}

/* fs_write - @f's write(): 0 or -errno; -EPERM if it has none. */
int fs_write(const struct tfile *f, const char *text, bool append)
{
	const struct tfile *saved = current_file;
	int err;

	if (!f->write)
		return -EPERM;
	current_file = f;
	err = f->write(text, append);
	current_file = saved;
	return err;
}

/* fs_current - for files of run-time objects (shell.h). */
const struct tfile *fs_current(void)
{
	return current_file;
}

const struct tfile *fs_lookup(const char *name)
{
	for (unsigned int i = 0; i < nr_files; i++)
		if (!strcmp(files[i]->name, name))
			return files[i];
	return NULL;
}

unsigned int fs_count(void)
{
	return nr_files;
}

const struct tfile *fs_index(unsigned int i)
{
	return i < nr_files ? files[i] : NULL;
}

/* scratch: a 4 KiB text file for trying out echo/cat. */
static char scratch[SCRATCH_SIZE];
static size_t scratch_len;

static void scratch_read(void)
{
	console_write(scratch, scratch_len);
}

static int scratch_write(const char *text, bool append)
{
	size_t n = strlen(text), base = append ? scratch_len : 0;

	if (base + n + 1 > SCRATCH_SIZE)
		return -ENOSPC;
	memcpy(scratch + base, text, n);
	scratch[base + n] = '\n';
	scratch_len = base + n + 1;
	return 0;
}

/*
 * version_proc_show - what `version` and `cat version` print (Linux's
 * /proc/version has a function of this name).  Traceable and noinline: the
 * livepatch-sample module replaces it, as Linux's sample replaces
 * cmdline_proc_show().
 */
void __noinline version_proc_show(void)
{
	printk_raw("testbed %s %s (gcc %s)\n", TESTBED_VERSION, arch_name(),
		   __VERSION__);
}

static void version_read(void)
{
	version_proc_show();
}

static const struct tfile scratch_file = { "scratch", scratch_read, scratch_write };
static const struct tfile version_file = { "version", version_read, NULL };

/* fs_init - register the shell's own files; called once before the prompt. */
void fs_init(void)
{
	fs_register(&version_file);
	fs_register(&scratch_file);
}
