/*
 * ring_buffer.c - per-CPU trace buffers of fixed-size slots, overwrite mode.
 *
 * Writer (any context, lock-free): reserve a sequence number with one
 * atomic add on this CPU's head (an interrupting writer on the same CPU just
 * gets the next one), fill the slot, then publish it by storing seq + 1 in
 * its commit word with release ordering.  The slot of seq is
 * slots[seq % nslots]; once head has run nslots past a reader's position,
 * the older entries are gone (overwritten).
 *
 * Reader: for seq, copy the slot and accept it only when its commit word
 * equals seq + 1 before and after the copy (a writer that lapped it in
 * between changes the word), like a seqlock.
 */
#include "kernel.h"
#include "percpu.h"
#include "trace.h"
#include "smp.h"
#include "race.h"
#include "rb_index.h"

struct rb_cpu {
	struct trace_entry *slots;	/* published to writers; NULL: skip */
	struct trace_entry *block;	/* the pages this CPU owns */
	unsigned long nslots;
	unsigned int order;		/* of the slots' page block */
	u64 head;		/* next seq to reserve */
	u64 read;		/* consumed up to here (trace_pipe, clear) */
	u64 reset;		/* head at the last reset: entries written since */
} __aligned(64);

static struct rb_cpu rb[MAX_CPUS];
static unsigned long rb_kb;

static unsigned int order_for_pages(unsigned long pages)
{
	unsigned int order = 0;

	while ((1UL << order) < pages)
		order++;
	return order;
}

/*
 * ring_buffer_resize - give every possible CPU @kb KiB of slots, rounded up
 * to whole pages (ring_buffer_kb() reports what is in use); contents are
 * dropped.  -EINVAL for 0, -ENOMEM beyond RB_MAX_KB or when the pages are
 * not there; on error the old buffers stay, untouched.
 *
 * Writers run on any CPU, in any context, without a lock, so the old
 * buffers are retired in three steps:
 *  1. unpublish: every CPU's slots pointer becomes NULL; a writer that
 *     loads it from now on skips the entry;
 *  2. synchronize_quiescent(): a writer that loaded the old pointer before
 *     step 1 is inside a callback, and returns before this does;
 *  3. free the old pages, then publish the new ones (size first, pointer
 *     last, with release: a writer that sees the pointer sees the size).
 * Task context (the tracefs write), interrupts on.
 */
int ring_buffer_resize(unsigned long kb)
{
	struct trace_entry *n[MAX_CPUS] = { 0 };
	unsigned long pages, nslots;
	unsigned int order, ncpu = arch_nr_cpus();

	if (!kb)
		return -EINVAL;
	if (kb > RB_MAX_KB)
		return -ENOMEM;		/* checked before kb * 1024 can wrap */
	pages = ALIGN_UP(kb * 1024, PAGE_SIZE) / PAGE_SIZE;
	if (rb_kb && pages * PAGE_SIZE / 1024 == rb_kb)
		return 0;	/* the size in use: nothing to do, the events stay */
	order = order_for_pages(pages);
	nslots = pages * PAGE_SIZE / sizeof(struct trace_entry);
	for (unsigned int c = 0; c < ncpu; c++) {
		n[c] = alloc_pages(order);
		if (!n[c]) {
			while (c--)
				free_pages(n[c], order);
			return -ENOMEM;
		}
	}
	for (unsigned int c = 0; c < MAX_CPUS; c++)
		__atomic_store_n(&rb[c].slots, NULL, __ATOMIC_SEQ_CST);
	synchronize_quiescent();
	for (unsigned int c = 0; c < MAX_CPUS; c++) {
		struct rb_cpu *b = &rb[c];

		if (b->block)
			free_pages(b->block, b->order);
		b->block = NULL;
		if (c >= ncpu)
			continue;
		b->nslots = nslots;
		b->order = order;
		b->head = b->read = b->reset = 0;
		b->block = n[c];
		__atomic_store_n(&b->slots, n[c], __ATOMIC_RELEASE);
	}
	rb_kb = pages * PAGE_SIZE / 1024;
	return 0;
}

int ring_buffer_init(unsigned long kb)
{
	return ring_buffer_resize(kb);
}

unsigned long ring_buffer_kb(void)
{
	return rb_kb;
}

/*
 * ring_buffer_write - append @e to this CPU's buffer.  The buffer is loaded
 * once: ring_buffer_resize() may unpublish it at any moment, and frees it
 * only after this returns.
 */
void notrace ring_buffer_write(const struct trace_entry *e)
{
	struct rb_cpu *b = &rb[arch_cpu_id()];
	struct trace_entry *slots = __atomic_load_n(&b->slots, __ATOMIC_ACQUIRE), *slot;
	u64 seq;

	if (unlikely(!slots) || race_window_gone(RACE_RB_WRITE, (void *const *)&b->block, slots))
		return;
	seq = __atomic_fetch_add(&b->head, 1, __ATOMIC_RELAXED);
	slot = &slots[rb_slot(seq, READ_ONCE(b->nslots))];
	__atomic_store_n(&slot->commit, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	slot->ts = e->ts;
	slot->ip = e->ip;
	slot->parent_ip = e->parent_ip;
	slot->calltime = e->calltime;
	slot->type = e->type;
	slot->flags = e->flags;
	slot->depth = e->depth;
	slot->pid = e->pid;
	__atomic_store_n(&slot->commit, seq + 1, __ATOMIC_RELEASE);
}

/* ring_buffer_reset - drop everything recorded so far (echo > trace). */
void ring_buffer_reset(void)
{
	for (int c = 0; c < MAX_CPUS; c++)
		rb[c].read = rb[c].reset = __atomic_load_n(&rb[c].head, __ATOMIC_ACQUIRE);
}

static u64 first_valid(const struct rb_cpu *b)
{
	u64 head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);

	return rb_first_valid(head, b->read, b->nslots);
}

/* read_slot - copy entry @seq of @b; false when not committed or lapped. */
static bool read_slot(const struct rb_cpu *b, u64 seq, struct trace_entry *e)
{
	const struct trace_entry *slot = &b->slots[rb_slot(seq, b->nslots)];

	if (__atomic_load_n(&slot->commit, __ATOMIC_ACQUIRE) != seq + 1)
		return false;
	*e = *slot;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&slot->commit, __ATOMIC_RELAXED) == seq + 1;
}

void ring_buffer_stats(unsigned long *in_buffer, unsigned long *written)
{
	*in_buffer = *written = 0;
	for (int c = 0; c < MAX_CPUS; c++) {
		u64 head = __atomic_load_n(&rb[c].head, __ATOMIC_ACQUIRE);

		if (!rb[c].slots)
			continue;
		*written += head - rb[c].reset;
		*in_buffer += head - first_valid(&rb[c]);
	}
}

/*
 * rb_iter_start - iterate over what is buffered now.  Entries written after
 * this call are not part of the read, so a reader whose own output is traced
 * still finishes.
 */
void rb_iter_start(struct rb_iter *it, bool consume)
{
	it->consume = consume;
	for (int c = 0; c < MAX_CPUS; c++) {
		it->pos[c] = rb[c].slots ? first_valid(&rb[c]) : 0;
		it->end[c] = rb[c].slots ? __atomic_load_n(&rb[c].head, __ATOMIC_ACQUIRE) : 0;
	}
}

/* cpu_next - the next readable entry of @c at or after it->pos[c]. */
static bool cpu_next(struct rb_iter *it, int c, struct trace_entry *e)
{
	const struct rb_cpu *b = &rb[c];

	if (!b->slots)
		return false;
	for (;;) {
		u64 head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);
		u64 lo = rb_oldest(head, b->nslots);

		if (it->pos[c] < lo)
			it->pos[c] = lo;	/* overwritten meanwhile */
		if (it->pos[c] >= head || it->pos[c] >= it->end[c])
			return false;
		if (read_slot(b, it->pos[c], e))
			return true;
		if (__atomic_load_n(&b->slots[rb_slot(it->pos[c], b->nslots)].commit,
				    __ATOMIC_ACQUIRE) == 0)
			return false;	/* being written right now: stop here */
		it->pos[c]++;		/* lapped: skip */
	}
}

bool rb_iter_next(struct rb_iter *it, struct trace_entry *e, int *cpu)
{
	struct trace_entry best, cur;
	int best_cpu = -1;

	for (int c = 0; c < MAX_CPUS; c++)
		if (cpu_next(it, c, &cur) && (best_cpu < 0 || cur.ts < best.ts)) {
			best = cur;
			best_cpu = c;
		}
	if (best_cpu < 0)
		return false;
	*e = best;
	*cpu = best_cpu;
	rb_iter_skip_cpu(it, best_cpu);
	return true;
}

bool rb_iter_peek_cpu(struct rb_iter *it, int cpu, struct trace_entry *e)
{
	return cpu_next(it, cpu, e);
}

void rb_iter_skip_cpu(struct rb_iter *it, int cpu)
{
	it->pos[cpu]++;
	if (it->consume)
		rb[cpu].read = it->pos[cpu];
}

/*
 * ring_buffer_cpu_stats - @cpu's counters since the last reset, for
 * per_cpu/cpuN/stats.  What was written and is neither in the buffer nor
 * consumed was overwritten.
 */
void ring_buffer_cpu_stats(int cpu, struct rb_cpu_stats *st)
{
	const struct rb_cpu *b = &rb[cpu];
	u64 head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);

	*st = (struct rb_cpu_stats){ 0, 0, 0 };
	if (!b->slots)
		return;
	st->written = head - b->reset;
	st->entries = head - first_valid(b);
	st->read = b->read - b->reset;
}
