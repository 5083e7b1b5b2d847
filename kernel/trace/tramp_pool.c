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
#define MAX_TRAMPS	1024	/* more than the pool holds of the smallest */

extern char tramp_pool_start[], tramp_pool_end[];

struct tramp_sym {
	unsigned long addr, size;
	bool inner;		/* a name inside an allocation (tramp_add_sym) */
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
				syms[s].inner = false;
				strlcpy(syms[s].name, "ftrace_trampoline", sizeof(syms[s].name));
				return syms[s].addr;
			}
		memset(&used[first], 0, need);
		return 0;
	}
	return 0;
}

/*
 * tramp_release - forget the allocation at @addr (its bytes are fill), and
 * every name given inside it (tramp_add_sym).
 */
void tramp_release(unsigned long addr, size_t size)
{
	unsigned long first = (addr - (unsigned long)tramp_pool_start) / GRANULE;

	memset(&used[first], 0, ALIGN_UP(size, GRANULE) / GRANULE);
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr >= addr && syms[s].addr < addr + size)
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
	/*
	 * The fill is as long as the trampoline: a fixed 512-byte buffer
	 * made every larger one unfreeable (-E2BIG; a BPF trampoline with
	 * twelve programs, 560 bytes, panicked its owner on detach).
	 */
	u8 *fill = kmalloc(size + 1);
	int err;

	if (!fill)
		return -ENOMEM;
	memset(fill, ARCH_TEXT_FILL_BYTE, size);
	err = text_poke((void *)addr, old, fill, size);
	kfree(fill);
	if (err)
		return err;
	tramp_release(addr, size);
	return 0;
}

/* tramp_set_name - what %pS calls the allocation at @addr (default "ftrace_trampoline"). */
void tramp_set_name(unsigned long addr, const char *name)
{
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr == addr && !syms[s].inner)
			strlcpy(syms[s].name, name, sizeof(syms[s].name));
}

/*
 * tramp_add_sym - name [@addr, +@size) inside an allocation, e.g. one
 * function of a module's code (module.c): lookups prefer it to the
 * allocation's own name.  It goes when the allocation is released.
 * -ENOSPC when the name table is full (lookups then give the allocation's).
 */
int tramp_add_sym(unsigned long addr, unsigned long size, const char *name)
{
	for (int s = 0; s < MAX_TRAMPS; s++)
		if (!syms[s].addr) {
			syms[s].addr = addr;
			syms[s].size = size;
			syms[s].inner = true;
			strlcpy(syms[s].name, name, sizeof(syms[s].name));
			return 0;
		}
	return -ENOSPC;
}

/*
 * tramp_lookup - kallsyms fallback: the smallest named range containing
 * @addr, a name inside an allocation before the allocation's own (a
 * module's function before the module, even when it is all the module).
 */
const char *tramp_lookup(unsigned long addr, unsigned long *start,
			 unsigned long *size)
{
	int best = -1;

	for (int s = 0; s < MAX_TRAMPS; s++)
		if (syms[s].addr && addr >= syms[s].addr &&
		    addr < syms[s].addr + syms[s].size &&
		    (best < 0 || syms[s].size < syms[best].size ||
		     (syms[s].size == syms[best].size && syms[s].inner)))
			best = s;
	if (best < 0)
		return NULL;
	*start = syms[best].addr;
	*size = syms[best].size;
	return syms[best].name;
}
