/*
 * mm.c - the x86_64 kernel page tables, identity mapped (VA == PA):
 *
 *   0 .. 4 KiB              unmapped (NULL dereferences fault)
 *   kernel text             present, read-only, executable
 *   kernel rodata           read-only, NX
 *   data, bss, other RAM    read-write, NX
 *   boot stack guard page   unmapped (stack overflows fault)
 *   LAPIC, IOAPIC           read-write, NX, uncached
 *
 *   X86_TEXT_ALIAS + text   read-write, NX: the only writable view of code,
 *                           used by arch_text_write()
 *
 * 2 MiB pages wherever a whole 2 MiB block has one set of permissions, 4 KiB
 * pages elsewhere.  CR0.WP is set, so the kernel itself cannot write text.
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

#define PT_ENTRIES 512
#define PTE_RW_NX	(PTE_P | PTE_W | PTE_NX)
#define PTE_MMIO	(PTE_P | PTE_W | PTE_NX | PTE_PCD | PTE_PWT)

static u64 *pml4;

static u64 *table_alloc(void)
{
	u64 *t = alloc_pages(0);

	if (!t)
		panic("x86_mm_init: out of memory for page tables");
	return t;
}

/* next_level - the table entry @e points to, allocating it if empty. */
static u64 *next_level(u64 *e)
{
	if (!(*e & PTE_P))
		*e = (u64)table_alloc() | PTE_P | PTE_W;
	return (u64 *)(*e & PTE_ADDR_MASK);
}

static u64 *pd_entry(unsigned long va)
{
	u64 *pdpt = next_level(&pml4[(va >> 39) & 511]);
	u64 *pd = next_level(&pdpt[(va >> 30) & 511]);

	return &pd[(va >> 21) & 511];
}

static void map_4k_pa(unsigned long va, unsigned long pa, u64 flags)
{
	u64 *pt = next_level(pd_entry(va));

	pt[(va >> 12) & 511] = flags ? (pa | flags) : 0;
}

static void map_4k(unsigned long va, u64 flags)
{
	map_4k_pa(va, va, flags);
}

/* flags_for - the permissions of the 4 KiB page at @pa; 0 = unmapped. */
static u64 flags_for(unsigned long pa)
{
	if (pa < PAGE_SIZE)
		return 0;
	if (pa >= (unsigned long)boot_stack_guard && pa < (unsigned long)boot_stack_bottom)
		return 0;
	if (pa >= (unsigned long)_text_start && pa < (unsigned long)_text_end)
		return PTE_P;
	if (pa >= (unsigned long)_kernel_start && pa < (unsigned long)_rodata_end)
		return PTE_P | PTE_NX;
	return PTE_RW_NX;
}

/* map_block - one 2 MiB block: a large page if uniform, else 4 KiB pages. */
static void map_block(unsigned long base)
{
	u64 first = flags_for(base);
	bool uniform = true;

	for (unsigned long pa = base; pa < base + PAGE_2M && uniform; pa += PAGE_SIZE)
		uniform = flags_for(pa) == first;
	if (uniform && first) {
		*pd_entry(base) = base | first | PTE_PS;
		return;
	}
	for (unsigned long pa = base; pa < base + PAGE_2M; pa += PAGE_SIZE)
		map_4k(pa, flags_for(pa));
}

void x86_mm_init(void)
{
	unsigned long top = ALIGN_UP(x86_ram_top(), PAGE_2M);

	pml4 = table_alloc();
	for (unsigned long b = 0; b < top; b += PAGE_2M)
		map_block(b);
	*pd_entry(ALIGN_DOWN(x86_plat.lapic_base, PAGE_2M)) =
		ALIGN_DOWN(x86_plat.lapic_base, PAGE_2M) | PTE_MMIO | PTE_PS;
	*pd_entry(ALIGN_DOWN(x86_plat.ioapic_base, PAGE_2M)) =
		ALIGN_DOWN(x86_plat.ioapic_base, PAGE_2M) | PTE_MMIO | PTE_PS;
	for (unsigned long pa = (unsigned long)_text_start; pa < (unsigned long)_text_end;
	     pa += PAGE_SIZE)
		map_4k_pa(X86_TEXT_ALIAS + pa, pa, PTE_RW_NX);
	write_cr3((unsigned long)pml4);
}

/*
 * x86_unmap_page - make the 4 KiB page at @va (identity mapped RAM) not
 * present, splitting its 2 MiB page first if needed.  Used for the guard
 * pages under secondary CPUs' stacks, before those CPUs start (so only
 * this CPU's TLB can hold the old entry).
 */
void x86_unmap_page(unsigned long va)
{
	u64 *pde = pd_entry(va);

	if (*pde & PTE_PS) {
		u64 *pt = table_alloc();
		unsigned long base = *pde & PTE_ADDR_MASK & ~(PAGE_2M - 1);
		u64 flags = *pde & ~PTE_ADDR_MASK & ~PTE_PS;

		for (int i = 0; i < PT_ENTRIES; i++)
			pt[i] = (base + i * PAGE_SIZE) | flags;
		*pde = (u64)pt | PTE_P | PTE_W;
		write_cr3(read_cr3());	/* drop the old 2 MiB translation */
	}
	map_4k(va, 0);
	invlpg(va);
}
