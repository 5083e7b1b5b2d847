/*
 * fuzz_hash.c - the ftrace_hash sets (kernel/trace/hash.c) against a
 * model.  Each input byte pair is an operation and an address from a
 * small pool (so sets grow, shrink and collide): add, remove, copy into a
 * second set, move back, clear, and make the next allocations fail.
 * After every operation both sets must hold exactly what the model says.
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "ftrace.h"
#include "env.h"

#define POOL 96

static unsigned long addr_of(int k)
{
	/* Site-like addresses: 4-5 bytes apart, a few far away. */
	return k < 80 ? 0x100000 + 5UL * k : 0xffffffffffff0000UL + 64UL * k;
}

static void verify(const struct ftrace_hash *h, const bool *model, const char *which)
{
	unsigned int n = 0;

	for (int k = 0; k < POOL; k++) {
		bool in = ftrace_hash_contains(h, addr_of(k));

		FUZZ_ASSERT(in == model[k], "%s: %#lx contained=%d model=%d", which, addr_of(k),
			    in, model[k]);
		n += model[k];
	}
	FUZZ_ASSERT(h->count == n, "%s: count %u, model %u", which, h->count, n);
	FUZZ_ASSERT(!h->size || !(h->size & (h->size - 1)), "%s: size %u", which, h->size);
	FUZZ_ASSERT(!h->count || h->count * 2 <= h->size, "%s: %u in %u", which, h->count,
		    h->size);
	n = 0;
	for (unsigned int i = 0; i < h->size; i++)
		n += h->slots[i] != 0;
	FUZZ_ASSERT(n == h->count, "%s: %u used slots, count %u", which, n, h->count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct ftrace_hash a = { 0 }, b = { 0 };
	bool ma[POOL] = { 0 }, mb[POOL] = { 0 };

	host_alloc_countdown = -1;
	while (in.n) {
		int op = in_byte(&in) % 8, k = in_byte(&in) % POOL;

		switch (op) {
		case 0:
		case 1:
		case 2:
			if (ftrace_hash_add(&a, addr_of(k)) == 0)
				ma[k] = true;
			break;
		case 3:
		case 4:
			ftrace_hash_remove(&a, addr_of(k));
			ma[k] = false;
			break;
		case 5:
			ftrace_hash_clear(&b);
			if (ftrace_hash_copy(&b, &a) == 0)
				memcpy(mb, ma, sizeof(ma));
			else
				memset(mb, 0, sizeof(mb));
			break;
		case 6:
			ftrace_hash_move(&a, &b);
			memcpy(ma, mb, sizeof(ma));
			memset(mb, 0, sizeof(mb));
			break;
		case 7:
			host_alloc_countdown = k % 4 ? k % 4 - 1 : -1;
			break;
		}
		verify(&a, ma, "a");
		verify(&b, mb, "b");
	}
	host_alloc_countdown = -1;
	ftrace_hash_clear(&a);
	ftrace_hash_clear(&b);
	return 0;
}
