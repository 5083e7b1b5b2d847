/*
 * heap.c - kmalloc/kfree.
 *
 * Small objects (up to 2 KiB with their header) come from power-of-two size
 * classes carved out of single pages; larger ones get their own block of
 * pages.  Every object carries a 16-byte header naming its class, so kfree()
 * needs no size and catches frees of foreign pointers.  Free small objects
 * are filled with POISON_FREE (as SLUB does) and checked when handed out
 * again, so a write after kfree() panics naming the object instead of
 * corrupting the free list silently.  Exhaustion returns NULL; callers
 * report -ENOMEM.
 */
#include "kernel.h"
#include "spinlock.h"

#define HDR_MAGIC	0x6b6d616cU	/* "kmal" */
#define MIN_SHIFT	5		/* 32-byte smallest class */
#define MAX_SHIFT	11		/* 2048-byte largest class */
#define NR_CLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define LARGE_CLASS	0xff
#define POISON_FREE	0x6b

struct hdr {
	u32 magic;
	u8 cls;		/* size class index, or LARGE_CLASS */
	u8 order;	/* page order for large objects */
	u16 pad;
	u64 size;	/* requested size (for statistics) */
};

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *free_list[NR_CLASSES];
static spinlock_t heap_lock = SPINLOCK_INIT;
static size_t heap_total, heap_used;

static unsigned int order_for(size_t bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static void poison(struct free_obj *o, size_t sz)
{
	memset(o + 1, POISON_FREE, sz - sizeof(*o));
}

/* check_poison - panic if a free object was written after kfree(). */
static void check_poison(struct free_obj *o, size_t sz)
{
	const u8 *p = (const u8 *)(o + 1);

	for (size_t i = 0; i < sz - sizeof(*o); i++)
		if (p[i] != POISON_FREE)
			panic("kmalloc: object %p (%lu bytes) written after free at +%lu",
			      (void *)o, (unsigned long)sz, (unsigned long)(i + sizeof(*o)));
}

/* refill - split one new page into objects of class @cls; false on OOM. */
static bool refill(int cls)
{
	size_t sz = 1UL << (cls + MIN_SHIFT);
	char *page = alloc_pages(0);

	if (!page)
		return false;
	for (size_t off = 0; off + sz <= PAGE_SIZE; off += sz) {
		struct free_obj *o = (struct free_obj *)(page + off);

		o->next = free_list[cls];
		poison(o, sz);
		free_list[cls] = o;
	}
	heap_total += PAGE_SIZE;
	return true;
}

void *kmalloc(size_t size)
{
	size_t need = size + sizeof(struct hdr);
	unsigned long flags;
	struct hdr *h;
	int cls;

	if (need > (1UL << MAX_SHIFT)) {
		unsigned int order = order_for(need);

		if (order > 10)
			return NULL;
		h = alloc_pages(order);
		if (!h)
			return NULL;
		*h = (struct hdr){ HDR_MAGIC, LARGE_CLASS, (u8)order, 0, size };
		flags = spin_lock_irqsave(&heap_lock);
		heap_total += PAGE_SIZE << order;
		heap_used += PAGE_SIZE << order;
		spin_unlock_irqrestore(&heap_lock, flags);
		return h + 1;
	}
	for (cls = 0; (1UL << (cls + MIN_SHIFT)) < need; cls++)
		;
	flags = spin_lock_irqsave(&heap_lock);
	if (!free_list[cls] && !refill(cls)) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	h = (struct hdr *)free_list[cls];
	check_poison(free_list[cls], 1UL << (cls + MIN_SHIFT));
	free_list[cls] = free_list[cls]->next;
	heap_used += 1UL << (cls + MIN_SHIFT);
	spin_unlock_irqrestore(&heap_lock, flags);
	*h = (struct hdr){ HDR_MAGIC, (u8)cls, 0, 0, size };
	return h + 1;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* kfree - release a kmalloc() object; NULL is ignored; a bad pointer panics. */
void kfree(void *p)
{
	struct hdr *h;
	unsigned long flags;
	int cls;

	if (!p)
		return;
	h = (struct hdr *)p - 1;
	if (h->magic != HDR_MAGIC)
		panic("kfree: %p was not allocated by kmalloc (or freed twice)", p);
	h->magic = 0;
	if (h->cls == LARGE_CLASS) {
		flags = spin_lock_irqsave(&heap_lock);
		heap_total -= PAGE_SIZE << h->order;
		heap_used -= PAGE_SIZE << h->order;
		spin_unlock_irqrestore(&heap_lock, flags);
		free_pages(h, h->order);
		return;
	}
	/* The free-list link overwrites the header: take the class first. */
	cls = h->cls;
	flags = spin_lock_irqsave(&heap_lock);
	((struct free_obj *)h)->next = free_list[cls];
	poison((struct free_obj *)h, 1UL << (cls + MIN_SHIFT));
	free_list[cls] = (struct free_obj *)h;
	heap_used -= 1UL << (cls + MIN_SHIFT);
	spin_unlock_irqrestore(&heap_lock, flags);
}

/*
 * kmem_live - true while @p is allocated: kfree() clears the header's magic
 * before the object goes back on a free list (and a reuse sets it again).
 * notrace: debug checks call it from the tracer's hot path.
 */
bool notrace kmem_live(const void *p)
{
	return READ_ONCE(((const struct hdr *)p - 1)->magic) == HDR_MAGIC;
}

void heap_stats(size_t *total, size_t *used)
{
	*total = heap_total;
	*used = heap_used;
}

/*
 * heap_verify - check the poison of every free small object; panics at the
 * first one written after kfree().  For selftests and debugging.
 */
void heap_verify(void)
{
	unsigned long flags = spin_lock_irqsave(&heap_lock);

	for (int cls = 0; cls < NR_CLASSES; cls++)
		for (struct free_obj *o = free_list[cls]; o; o = o->next)
			check_poison(o, 1UL << (cls + MIN_SHIFT));
	spin_unlock_irqrestore(&heap_lock, flags);
}
