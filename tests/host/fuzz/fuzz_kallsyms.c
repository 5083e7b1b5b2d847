/*
 * fuzz_kallsyms.c - kallsyms lookups (kernel/core/kallsyms.c) over the
 * generated table of tests/host/kallsyms.nm against a linear search of
 * the same table, and %pS / %ps against the reference format.
 *
 * Input: 9-byte records.  The first byte picks a function, the next eight
 * an offset from it (small, signed) or, for every fourth pick, a raw
 * address; then the rest is a name looked up by kallsyms_lookup_name().
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "env.h"
#include "ref.h"

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_off[];
extern const char kallsyms_names[];

/* linear - the reference: last entry at or below @addr that contains it. */
static const char *linear(unsigned long addr, unsigned long *start, unsigned long *size)
{
	long found = -1;

	for (u64 i = 0; i < kallsyms_num; i++)
		if (kallsyms_addrs[i] <= addr)
			found = (long)i;
	if (found >= 0 && addr - kallsyms_addrs[found] < kallsyms_sizes[found]) {
		*start = kallsyms_addrs[found];
		*size = kallsyms_sizes[found];
		return &kallsyms_names[kallsyms_name_off[found]];
	}
	if (addr - HOST_TRAMP_ADDR < HOST_TRAMP_SIZE) {
		*start = HOST_TRAMP_ADDR;
		*size = HOST_TRAMP_SIZE;
		return "host_tramp";
	}
	return NULL;
}

static void check_addr(unsigned long addr)
{
	unsigned long s1 = 0, z1 = 0, s2 = 0, z2 = 0;
	const char *got = kallsyms_lookup(addr, &s1, &z1), *want = linear(addr, &s2, &z2);
	char k[512], r[512];

	FUZZ_ASSERT((!got && !want) || (got && want && !ref_strcmp(got, want) && s1 == s2 &&
		    z1 == z2), "%#lx: %s %#lx/%#lx, reference %s %#lx/%#lx", addr,
		    got ? got : "-", s1, z1, want ? want : "-", s2, z2);
	snprintf(k, sizeof(k), "%pS", (void *)addr);
	if (want)
		ref_snprintf(r, sizeof(r), "%s+0x%lx/0x%lx", want, addr - s2, z2);
	else
		ref_snprintf(r, sizeof(r), "0x%lx", addr);
	FUZZ_ASSERT(!ref_strcmp(k, r), "%%pS of %#lx: \"%s\", want \"%s\"", addr, k, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	char *name;

	while (in.n >= 9) {
		int pick = in_byte(&in);
		unsigned long raw = in_ulong(&in);

		if (pick % 4 == 3)
			check_addr(raw);
		else
			check_addr(kallsyms_addrs[pick % kallsyms_num] + (long)(int8_t)raw);
	}
	name = malloc(in.n + 1);
	ref_memmove(name, in.p, in.n);
	name[in.n] = 0;
	unsigned long want = 0;

	for (u64 i = 0; i < kallsyms_num; i++)
		if (!ref_strcmp(name, &kallsyms_names[kallsyms_name_off[i]]))
			want = kallsyms_addrs[i];
	FUZZ_ASSERT(kallsyms_lookup_name(name, NULL) == want, "lookup_name(\"%s\")", name);
	free(name);
	return 0;
}
