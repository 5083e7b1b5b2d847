/*
 * rb_index.h - the ring buffer's index arithmetic (kernel/trace/ring_buffer.c),
 * pure functions of sequence numbers, so tests/host can check them against
 * a model ring without the buffer's memory, locking or per-CPU state.
 *
 * A writer reserves sequence numbers 0, 1, 2, ... (head is the next one);
 * sequence seq lives in slot seq % nslots, so once head has run nslots past
 * an entry it is overwritten.  A reader has consumed everything below read.
 */
#ifndef RB_INDEX_H
#define RB_INDEX_H

#include "types.h"

/* rb_slot - the slot that holds sequence @seq. */
static inline unsigned long rb_slot(u64 seq, unsigned long nslots)
{
	return (unsigned long)(seq % nslots);
}

/* rb_oldest - the oldest sequence not yet overwritten when head is @head. */
static inline u64 rb_oldest(u64 head, unsigned long nslots)
{
	return head > nslots ? head - nslots : 0;
}

/*
 * rb_first_valid - the first sequence a reader that consumed up to @read
 * can still get: @read, or the oldest survivor if writers lapped it.
 */
static inline u64 rb_first_valid(u64 head, u64 read, unsigned long nslots)
{
	return head - read > nslots ? head - nslots : read;
}

#endif /* RB_INDEX_H */
