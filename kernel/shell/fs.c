/*
 * fs.c - the console's file namespace: a flat table of named files that
 * subsystems register (the tracing files of later issues live here, under
 * Linux's tracefs names), plus the shell's own `scratch` and `version`.
 */
#include "kernel.h"
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

static void version_read(void)
{
	printk_raw("testbed %s %s (gcc %s)\n", TESTBED_VERSION, arch_name(),
		   __VERSION__);
}

static const struct tfile scratch_file = { "scratch", scratch_read, scratch_write };
static const struct tfile version_file = { "version", version_read, NULL };

/* fs_init - register the shell's own files; called once before the prompt. */
void fs_init(void)
{
	fs_register(&version_file);
	fs_register(&scratch_file);
}
