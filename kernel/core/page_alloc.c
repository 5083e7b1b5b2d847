/*
 * page_alloc.c - physical page allocator.
 *
 * One bitmap per free-RAM range reported by arch_mem_region(); the bitmap
 * itself is carved from the start of its range.  Blocks of 2^order pages are
 * naturally aligned, found first-fit from a rotating hint.  Memory is
 * identity mapped on both arches, so a physical address is also the pointer.
 *
 * Use after free is caught: a freed block is filled with PAGE_POISON and
 * marked poisoned; allocating it again checks every byte first and panics
 * on one that changed, naming the page and offset (Linux's page_poison).
 */
#include "kernel.h"
#include "arch.h"
#include "spinlock.h"

#define MAX_RANGES 8

struct page_range {
	phys_addr_t base;	/* first allocatable page */
	unsigned long npages;
	unsigned long *bitmap;	/* bit set = page in use */
	unsigned long *poisoned;	/* bit set = freed and filled with PAGE_POISON */
	unsigned long hint;
};

static struct page_range ranges[MAX_RANGES];
static int nr_ranges;
static unsigned long total_pages, free_page_count;
static spinlock_t page_lock = SPINLOCK_INIT;

#define BITS_PER_LONG (8 * sizeof(long))
#define PAGE_POISON	0xaaaaaaaaaaaaaaaaUL	/* Linux's PAGE_POISON byte, 0xaa */

static bool test_bit(const unsigned long *map, unsigned long i)
{
	return map[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG));
}

static void set_bits(unsigned long *map, unsigned long i, unsigned long n, bool on)
{
	for (; n; n--, i++) {
		if (on)
			map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		else
			map[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
	}
}

static bool page_used(struct page_range *r, unsigned long i)
{
	return test_bit(r->bitmap, i);
}

static void mark(struct page_range *r, unsigned long i, unsigned long n, bool used)
{
	set_bits(r->bitmap, i, n, used);
}

/* check_poison - panic if a poisoned page of the block at @i was written. */
static void check_poison(struct page_range *r, unsigned long i, unsigned long n)
{
	for (unsigned long j = i; j < i + n; j++) {
		const unsigned long *w = (const unsigned long *)(r->base + j * PAGE_SIZE);

		if (!test_bit(r->poisoned, j))
			continue;
		for (unsigned long k = 0; k < PAGE_SIZE / sizeof(long); k++)
			if (w[k] != PAGE_POISON)
				panic("alloc_pages: page %p written after it was freed "
				      "(offset 0x%lx: 0x%016lx)", (void *)w, k * sizeof(long), w[k]);
	}
	set_bits(r->poisoned, i, n, false);
}

/* page_alloc_init - take every range the arch reports.  Boot CPU, once. */
void page_alloc_init(void)
{
	phys_addr_t start, end;

	for (int i = 0; nr_ranges < MAX_RANGES && arch_mem_region(i, &start, &end) == 0; i++) {
		struct page_range *r = &ranges[nr_ranges];
		unsigned long pages, map_pages;

		start = ALIGN_UP(start, PAGE_SIZE);
		end = ALIGN_DOWN(end, PAGE_SIZE);
		if (end <= start + 2 * PAGE_SIZE)
			continue;
		pages = (end - start) / PAGE_SIZE;
		map_pages = 2 * (ALIGN_UP(pages / 8 + 1, PAGE_SIZE) / PAGE_SIZE);
		r->bitmap = (unsigned long *)start;
		r->poisoned = (unsigned long *)(start + map_pages / 2 * PAGE_SIZE);
		memset(r->bitmap, 0, map_pages * PAGE_SIZE);
		r->base = start + map_pages * PAGE_SIZE;
		r->npages = pages - map_pages;
		total_pages += r->npages;
		nr_ranges++;
	}
	free_page_count = total_pages;
	if (!nr_ranges)
		panic("page_alloc_init: no free memory reported by the arch");
}

static void *range_alloc(struct page_range *r, unsigned long n)
{
	if (n > r->npages)
		return NULL;
	for (unsigned long tries = 0, i = r->hint; tries < r->npages; tries += n, i += n) {
		if (i + n > r->npages)
			i = 0;
		i = ALIGN_DOWN(i, n);
		unsigned long j;

		for (j = 0; j < n && !page_used(r, i + j); j++)
			;
		if (j == n) {
			check_poison(r, i, n);
			mark(r, i, n, true);
			r->hint = i + n;
			return (void *)(r->base + i * PAGE_SIZE);
		}
	}
	return NULL;
}

/*
 * alloc_pages - 2^@order zeroed, naturally aligned (relative to the range)
 * pages, or NULL when no such block is free.  Any context.
 */
void *alloc_pages(unsigned int order)
{
	unsigned long n = 1UL << order, flags;
	void *p = NULL;

	flags = spin_lock_irqsave(&page_lock);
	for (int i = 0; i < nr_ranges && !p; i++)
		p = range_alloc(&ranges[i], n);
	if (p)
		free_page_count -= n;
	spin_unlock_irqrestore(&page_lock, flags);
	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

/* free_pages - return a block; freeing memory not allocated panics. */
void free_pages(void *p, unsigned int order)
{
	phys_addr_t a = (phys_addr_t)p;
	unsigned long n = 1UL << order, flags;

	flags = spin_lock_irqsave(&page_lock);
	for (int i = 0; i < nr_ranges; i++) {
		struct page_range *r = &ranges[i];

		if (a < r->base || a >= r->base + r->npages * PAGE_SIZE)
			continue;
		unsigned long idx = (a - r->base) / PAGE_SIZE;

		for (unsigned long j = 0; j < n; j++)
			if (!page_used(r, idx + j))
				panic("free_pages: double free of %p", p);
		for (unsigned long k = 0; k < n * PAGE_SIZE / sizeof(long); k++)
			((unsigned long *)p)[k] = PAGE_POISON;
		set_bits(r->poisoned, idx, n, true);
		mark(r, idx, n, false);
		free_page_count += n;
		spin_unlock_irqrestore(&page_lock, flags);
		return;
	}
	panic("free_pages: %p is not allocatable memory", p);
}

unsigned long pages_total(void)
{
	return total_pages;
}

unsigned long pages_free(void)
{
	return READ_ONCE(free_page_count);
}
