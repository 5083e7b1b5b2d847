/*
 * tramp_pool.c - memory for generated trampolines.
 *
 * The pool is a block inside kernel text (tramp_pool_start..end, provided
 * by the arch's ftrace assembly and filled with ARCH_TEXT_FILL_BYTE, an
 * instruction that traps), so it is executable, read-only where it runs and
 * written only through text_poke.  Free space always holds the fill byte:
 * tramp_free() writes it back, so text checksums return to their boot value.
 * Allocation is first fit over 64-byte granules.  Callers hold the ftrace lock.
 */
#include "kernel.h"
#include "ftrace.h"

#define GRANULE		64
#define MAX_TRAMPS	64

extern char tramp_pool_start[], tramp_pool_end[];

struct tramp_sym {
	unsigned long addr, size;
	char name[40];
};

static u8 used[(1 << 20) / GRANULE];	/* room for a pool of up to 1 MiB */
static struct tramp_sym syms[MAX_TRAMPS];

static unsigned long pool_granules(void)
{
	return MIN((unsigned long)(tramp_pool_end - tramp_pool_start) / GRANULE,
		   sizeof(used));
}

/* tramp_alloc - address of @size bytes of pool (still fill bytes), or 0. */
unsigned long tramp_alloc(size_t size)
{
	unsigned long need = ALIGN_UP(size, GRANULE) / GRANULE, run = 0;

	for (unsigned long i = 0; i < pool_granules(); i++) {
		run = used[i] ? 0 : run + 1;
		if (run < need)
			continue;
		unsigned long first = i + 1 - need;

		memset(&used[first], 1, need);
		for (int s = 0; s < MAX_TRAMPS; s++)
			if (!syms[s].addr) {
				syms[s].addr = (unsigned long)tramp_pool_start + first * GRANULE;
				syms[s].size = size;
				strlcpy(syms[s].name, "ftrace_trampoline", sizeof(syms[s].name));
				return syms[s].addr;
			}
		memset(&used[first], 0, need);
		return 0;
	}
	return 0;
}

/* tramp_release - forget the allocation at @addr (its bytes are fill). */
void tramp_release(unsigned long addr, size_t size)
{
	unsigned long first = (addr - (unsigned long)tramp_pool_start) / GRANULE;

	memset(&used[first], 0, ALIGN_UP(size, GRANULE) / GRANULE);
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr == addr)
			syms[s].addr = 0;
}

/*
 * tramp_free - put the fill bytes back over [@addr, +@size), which must
 * hold @old (the trampoline as installed), then release it.  Goes through
 * text_poke(), which checks every byte before writing: 0, or -EINVAL and
 * nothing written when the trampoline is not what its owner installed.
 * The caller made sure no site calls it and no CPU is inside it.
 */
int tramp_free(unsigned long addr, const void *old, size_t size)
{
	static u8 fill[512];
	int err;

	if (size > sizeof(fill))
		return -E2BIG;
	memset(fill, ARCH_TEXT_FILL_BYTE, size);
	err = text_poke((void *)addr, old, fill, size);
	if (err)
		return err;
	tramp_release(addr, size);
	return 0;
}

void tramp_set_name(unsigned long addr, const char *name)
{
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr == addr)
			strlcpy(syms[s].name, name, sizeof(syms[s].name));
}

/* tramp_lookup - kallsyms fallback: the trampoline containing @addr. */
const char *tramp_lookup(unsigned long addr, unsigned long *start,
			 unsigned long *size)
{
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr && addr >= syms[s].addr &&
		    addr < syms[s].addr + syms[s].size) {
			*start = syms[s].addr;
			*size = syms[s].size;
			return syms[s].name;
		}
	return NULL;
}
