/*
 * kallsyms.c - the image's own function table (generated at link time by
 * kernel/scripts/gen_kallsyms.py into the .kallsyms section): address to
 * name by binary search over the sorted addresses, name to address by binary
 * search over an index sorted by name.
 */
#include "kernel.h"
#include "ftrace.h"

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_off[];
extern const u32 kallsyms_by_name[];
extern const char kallsyms_names[];

unsigned int kallsyms_count(void)
{
	return (unsigned int)kallsyms_num;
}

const char *kallsyms_name(unsigned int i, unsigned long *addr, unsigned long *size)
{
	if (i >= kallsyms_num)
		return NULL;
	if (addr)
		*addr = kallsyms_addrs[i];
	if (size)
		*size = kallsyms_sizes[i];
	return &kallsyms_names[kallsyms_name_off[i]];
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *start,
			    unsigned long *size)
{
	long lo = 0, hi = (long)kallsyms_num - 1, found = -1;

	while (lo <= hi) {		/* last symbol with address <= addr */
		long mid = (lo + hi) / 2;

		if (kallsyms_addrs[mid] <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	/* addr - start, not start + size: a function may end at 2^64. */
	if (found < 0 || addr - kallsyms_addrs[found] >= kallsyms_sizes[found])
		return tramp_lookup(addr, start ? start : &(unsigned long){0},
				    size ? size : &(unsigned long){0});
	if (start)
		*start = kallsyms_addrs[found];
	if (size)
		*size = kallsyms_sizes[found];
	return &kallsyms_names[kallsyms_name_off[found]];
}

unsigned long kallsyms_lookup_name(const char *name, unsigned long *size)
{
	long lo = 0, hi = (long)kallsyms_num - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		u32 i = kallsyms_by_name[mid];
		int c = strcmp(name, &kallsyms_names[kallsyms_name_off[i]]);

		if (!c) {
			if (size)
				*size = kallsyms_sizes[i];
			return kallsyms_addrs[i];
		}
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * kallsyms_for_each_named - @fn(address, @arg) for every function named
 * @name (static functions of one name may sit in several files), found in
 * the by-name index: the first such entry by binary search, then its
 * neighbours.  Returns how many.
 */
unsigned int kallsyms_for_each_named(const char *name, void (*fn)(unsigned long addr, void *arg),
				     void *arg)
{
	long lo = 0, hi = (long)kallsyms_num;	/* first entry whose name >= @name */
	unsigned int n = 0;

	while (lo < hi) {
		long mid = (lo + hi) / 2;

		if (strcmp(&kallsyms_names[kallsyms_name_off[kallsyms_by_name[mid]]], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < (long)kallsyms_num; lo++, n++) {
		u32 i = kallsyms_by_name[lo];

		if (strcmp(&kallsyms_names[kallsyms_name_off[i]], name))
			break;
		fn(kallsyms_addrs[i], arg);
	}
	return n;
}

/* sprint_symbol / sprint_symbol_name - %pS / %ps into a buffer (vsnprintf.c). */
int sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	return snprintf(buf, len, "%pS", (void *)addr);
}

int sprint_symbol_name(char *buf, size_t len, unsigned long addr)
{
	return snprintf(buf, len, "%ps", (void *)addr);
}
