/*
 * fuzz_rb_index.c - the ring buffer's index arithmetic
 * (kernel/trace/rb_index.h) against a model ring that records, per slot,
 * which sequence number was written there last.
 *
 * Input: byte 0 sets nslots (1..256); then operation/amount pairs: write
 * some entries (up to 2^40 at once: only the last nslots are stored),
 * consume some as trace_pipe does, or reset (echo > trace).  After each,
 * every sequence the index functions call readable must still be in its
 * slot, and nothing older that the reader has not consumed may be.
 */
#include "fuzz.h"
#include "host.h"
#include "rb_index.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned long nslots = in_byte(&in) + 1;
	u64 *stored = malloc(nslots * sizeof(u64));
	u64 head = 0, read = 0;

	for (unsigned long i = 0; i < nslots; i++)
		stored[i] = ~0ULL;		/* never written */
	while (in.n) {
		int op = in_byte(&in) % 3;
		u64 amount = in_byte(&in);

		if (op == 0) {
			if (amount > 200)
				amount <<= (amount - 200) % 33;	/* big jumps too */
			u64 from = amount > nslots ? head + amount - nslots : head;

			for (u64 seq = from; seq < head + amount; seq++)
				stored[rb_slot(seq, nslots)] = seq;
			head += amount;
		} else if (op == 1) {
			u64 fv = rb_first_valid(head, read, nslots);

			read = fv + (amount < head - fv ? amount : head - fv);
		} else {
			read = head;
		}
		u64 fv = rb_first_valid(head, read, nslots), lo = rb_oldest(head, nslots);

		FUZZ_ASSERT(fv >= read && fv <= head && head - fv <= nslots,
			    "first_valid %llu, read %llu, head %llu, nslots %lu",
			    (unsigned long long)fv, (unsigned long long)read,
			    (unsigned long long)head, nslots);
		FUZZ_ASSERT(lo <= fv && head - lo <= nslots, "oldest %llu", (unsigned long long)lo);
		for (u64 seq = fv; seq < head; seq++)
			FUZZ_ASSERT(stored[rb_slot(seq, nslots)] == seq, "seq %llu was overwritten",
				    (unsigned long long)seq);
		if (fv > read)	/* lapped: the one before is really gone */
			FUZZ_ASSERT(stored[rb_slot(fv - 1, nslots)] != fv - 1,
				    "seq %llu is still there", (unsigned long long)(fv - 1));
	}
	free(stored);
	return 0;
}
