/*
 * mm.c - Sv39 page tables, identity mapped (VA == PA), W^X:
 *
 *   kernel text            R X
 *   rodata (+ kallsyms)    R
 *   data, bss              R W     minus the boot stack's guard page
 *   free RAM               R W     1 GiB / 2 MiB leaves where aligned, minus
 *                                  the secondaries' guard pages (smp.c)
 *   the DTB                R
 *   UART, PLIC, test dev   R W
 *
 *   RISCV_TEXT_ALIAS + text   R W   the only writable view of code, used by
 *                                   arch_text_write() (ftrace.c)
 *
 * Nothing else is mapped: page 0 and the guard page fault.  Table pages come
 * from alloc_pages() (already zeroed, identity mapped).
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

#define PROT_RX		(PTE_R | PTE_X)
#define PROT_R		(PTE_R)
#define PROT_RW		(PTE_R | PTE_W)

static pte_t *root;
unsigned long riscv_kernel_satp;	/* head.S loads it on every secondary */

/* level_size - bytes one leaf maps at @level: 4 KiB, 2 MiB, 1 GiB. */
static unsigned long level_size(int level)
{
	return 1UL << (PAGE_SHIFT + SV39_VPN_BITS * level);
}

/* vpn - index of @va's entry in its table at @level. */
static unsigned int vpn(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + SV39_VPN_BITS * level)) & ((1U << SV39_VPN_BITS) - 1);
}

/* pte_table - the next-level table a non-leaf entry points to. */
static pte_t *pte_table(pte_t pte)
{
	return (pte_t *)((pte >> PTE_PPN_SHIFT) << PAGE_SHIFT);
}

/* make_pte - a valid entry for @pa; no R/W/X in @flags makes it a pointer. */
static pte_t make_pte(unsigned long pa, unsigned long flags)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | flags | PTE_V;
}

/*
 * pte_slot - the entry for @va at @level, creating tables on the way down.
 * Panics if a leaf already covers @va above @level.
 */
static pte_t *pte_slot(unsigned long va, int level)
{
	pte_t *table = root;

	for (int l = SV39_LEVELS - 1; l > level; l--) {
		pte_t *e = &table[vpn(va, l)];

		if (!(*e & PTE_V)) {
			pte_t *next = alloc_pages(0);

			if (!next)
				panic("pte_slot: out of memory for page tables");
			*e = make_pte((unsigned long)next, 0);
		} else if (*e & PTE_LEAF_MASK) {
			panic("pte_slot: 0x%lx already mapped by a large page", va);
		}
		table = pte_table(*e);
	}
	return &table[vpn(va, level)];
}

/*
 * map_range_to - map the virtual range [start, end) (page aligned) to the
 * physical pages from @pa on with @prot, using the largest leaf whose
 * virtual and physical addresses are both aligned and that fits, at each step.
 */
static void map_range_to(unsigned long start, unsigned long end, unsigned long pa,
			 unsigned long prot)
{
	unsigned long ad = PTE_A | ((prot & PTE_W) ? PTE_D : 0);

	if ((start | end | pa) & (PAGE_SIZE - 1) || (end >> (SV39_VA_BITS - 1)))
		panic("map_range_to: bad range 0x%lx-0x%lx", start, end);
	while (start < end) {
		int level = SV39_LEVELS - 1;
		pte_t *e;

		while (level > 0 && (((start | pa) & (level_size(level) - 1)) ||
				     start + level_size(level) > end))
			level--;
		e = pte_slot(start, level);
		if (*e & PTE_V)
			panic("map_range_to: 0x%lx mapped twice", start);
		*e = make_pte(pa, prot | ad | PTE_G);
		start += level_size(level);
		pa += level_size(level);
	}
}

/* map_range - map [start, end) (page aligned) to itself with @prot. */
static void map_range(unsigned long start, unsigned long end, unsigned long prot)
{
	map_range_to(start, end, start, prot);
}

/* map_mmio - a device's registers, R+W, never executable. */
static void map_mmio(unsigned long base, unsigned long size)
{
	map_range(ALIGN_DOWN(base, PAGE_SIZE), ALIGN_UP(base + size, PAGE_SIZE), PROT_RW);
}

/*
 * riscv_mm_lookup - the leaf PTE mapping @va, or 0 if none.  For fault
 * reports: tells "not mapped" from "mapped without that permission".
 */
pte_t riscv_mm_lookup(unsigned long va)
{
	pte_t *table = root;

	if (!table || va >> (SV39_VA_BITS - 1))
		return 0;
	for (int l = SV39_LEVELS - 1; l >= 0; l--) {
		pte_t e = table[vpn(va, l)];

		if (!(e & PTE_V))
			return 0;
		if (e & PTE_LEAF_MASK)
			return e;
		table = pte_table(e);
	}
	return 0;
}

/*
 * riscv_mm_init - build the kernel page table and switch to it (arch_init,
 * boot CPU, interrupts off).  The image keeps running across the switch
 * because every address maps to itself.
 */
void riscv_mm_init(void)
{
	struct riscv_percpu *pc = riscv_this_cpu();
	phys_addr_t s, e;

	root = alloc_pages(0);
	if (!root)
		panic("riscv_mm_init: no page for the root table");

	map_range((unsigned long)_text_start, (unsigned long)_text_end, PROT_RX);
	map_range_to(RISCV_TEXT_ALIAS + (unsigned long)_text_start,
		     RISCV_TEXT_ALIAS + (unsigned long)_text_end,
		     (unsigned long)_text_start, PROT_RW);
	map_range((unsigned long)_rodata_start, (unsigned long)_rodata_end, PROT_R);
	map_range((unsigned long)_data_start, pc->guard, PROT_RW);
	map_range(pc->guard + PAGE_SIZE, (unsigned long)_kernel_end, PROT_RW);
	for (int i = 0; arch_mem_region(i, &s, &e) == 0; i++)
		map_range(ALIGN_UP(s, PAGE_SIZE), ALIGN_DOWN(e, PAGE_SIZE), PROT_RW);
	map_range(ALIGN_DOWN(riscv_plat.dtb_start, PAGE_SIZE),
		  ALIGN_UP(riscv_plat.dtb_end, PAGE_SIZE), PROT_R);
	map_mmio(riscv_plat.uart_base, PAGE_SIZE);
	map_mmio(riscv_plat.plic_base, riscv_plat.plic_size);
	if (riscv_plat.test_base)
		map_mmio(riscv_plat.test_base, PAGE_SIZE);

	csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
	riscv_kernel_satp = SATP_MODE_SV39 | ((unsigned long)root >> PAGE_SHIFT) << SATP_PPN_SHIFT;
	sfence_vma();
	write_csr(satp, riscv_kernel_satp);
	sfence_vma();
}

/*
 * split_leaf - replace the leaf *@e at @level (2 MiB or 1 GiB) by a table of
 * 512 leaves one level down mapping the same range with the same bits.
 */
static void split_leaf(pte_t *e, int level)
{
	pte_t *table = alloc_pages(0);
	unsigned long pa = (unsigned long)pte_table(*e);	/* a leaf's PPN too */
	unsigned long bits = *e & ((1UL << PTE_PPN_SHIFT) - 1);

	if (!table)
		panic("split_leaf: out of memory for page tables");
	for (unsigned int i = 0; i < (1U << SV39_VPN_BITS); i++)
		table[i] = ((pa + i * level_size(level - 1)) >> PAGE_SHIFT) << PTE_PPN_SHIFT | bits;
	*e = make_pte((unsigned long)table, 0);
}

/*
 * riscv_mm_unmap_page - make the 4 KiB page at @va (mapped RAM) fault,
 * splitting the 1 GiB / 2 MiB leaf over it first.  For the guard pages
 * under secondary CPUs' stacks: smp.c calls it for all of them before
 * starting any secondary, so only this hart's TLB can hold the old leaf
 * (sfence.vma drops it; a new hart starts with an empty TLB).
 */
void riscv_mm_unmap_page(unsigned long va)
{
	pte_t *table = root;

	for (int l = SV39_LEVELS - 1; l > 0; l--) {
		pte_t *e = &table[vpn(va, l)];

		if (!(*e & PTE_V))
			panic("riscv_mm_unmap_page: 0x%lx is not mapped", va);
		if (*e & PTE_LEAF_MASK)
			split_leaf(e, l);
		table = pte_table(*e);
	}
	if (!(table[vpn(va, 0)] & PTE_V))
		panic("riscv_mm_unmap_page: 0x%lx is not mapped", va);
	table[vpn(va, 0)] = 0;
	sfence_vma();
}
