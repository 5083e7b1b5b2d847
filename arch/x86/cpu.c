/*
 * cpu.c - x86_64 descriptor tables and per-CPU data: the GDT with a TSS
 * whose IST stacks catch #PF (so a kernel stack overflow can still be
 * reported), #DF and NMI, and the IDT pointing at entry.S's stubs.
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

struct __packed idt_entry {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type;	/* present, DPL, gate type */
	u16 off_mid;
	u32 off_hi;
	u32 zero;
};

struct __packed desc_ptr {
	u16 limit;
	u64 base;
};

#define IDT_INTERRUPT_GATE 0x8e		/* present, DPL 0, 64-bit interrupt gate */
#define GDT_CODE64	0x00af9a000000ffffUL
#define GDT_DATA	0x00cf92000000ffffUL
#define TSS_TYPE_AVAIL	0x89UL

static u64 gdt[5] __aligned(16);	/* null, code, data, tss (2 slots) */
static struct tss64 tss __aligned(16);
static struct idt_entry idt[256] __aligned(16);
static u8 ist_stacks[3][IST_STACK_SIZE] __aligned(16);
static struct x86_percpu percpu0;

extern char x86_vector_stubs[];
extern const u32 x86_stub_size;

struct x86_platform x86_plat;

static void set_gate(int vec, int ist)
{
	unsigned long a = (unsigned long)x86_vector_stubs + vec * x86_stub_size;

	idt[vec] = (struct idt_entry){
		.off_lo = a & 0xffff, .sel = KERNEL_CS, .ist = (u8)ist,
		.type = IDT_INTERRUPT_GATE, .off_mid = (a >> 16) & 0xffff,
		.off_hi = a >> 32,
	};
}

/* x86_stack_bounds - the known stack containing @addr, if any. */
bool x86_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	if (addr >= (unsigned long)boot_stack_bottom && addr < (unsigned long)boot_stack_top) {
		*lo = (unsigned long)boot_stack_bottom;
		*hi = (unsigned long)boot_stack_top;
		return true;
	}
	for (int i = 0; i < 3; i++) {
		unsigned long s = (unsigned long)ist_stacks[i];

		if (addr >= s && addr < s + IST_STACK_SIZE) {
			*lo = s;
			*hi = s + IST_STACK_SIZE;
			return true;
		}
	}
	return false;
}

bool x86_in_guard_page(unsigned long addr)
{
	return addr >= (unsigned long)boot_stack_guard &&
	       addr < (unsigned long)boot_stack_bottom;
}

/* x86_cpu_init - load GDT, TSS, IDT and GS base on the boot CPU. */
void x86_cpu_init(void)
{
	unsigned long t = (unsigned long)&tss;
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (u64)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)idt };

	gdt[1] = GDT_CODE64;
	gdt[2] = GDT_DATA;
	gdt[3] = (sizeof(tss) - 1) | ((t & 0xffffff) << 16) | (TSS_TYPE_AVAIL << 40) |
		 (((t >> 24) & 0xff) << 56);
	gdt[4] = t >> 32;
	tss.ist[IST_PF - 1] = (u64)ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_DF - 1] = (u64)ist_stacks[1] + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (u64)ist_stacks[2] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss);
	lgdt(&gdtr);
	ltr(TSS_SEL);

	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(X86_TRAP_PF, IST_PF);
	set_gate(X86_TRAP_DF, IST_DF);
	set_gate(X86_TRAP_NMI, IST_NMI);
	lidt(&idtr);
}

/* x86_percpu_init - GS base for CPU 0; arch_cpu_id() works afterwards. */
static void x86_percpu_init(void)
{
	percpu0.self = &percpu0;
	percpu0.cpu = 0;
	wrmsr(MSR_GS_BASE, (u64)&percpu0);
}

/*
 * arch_early_init - PVH start_info: copy the memory map, parse ACPI, set up
 * per-CPU data and the console.  Nothing here allocates memory.
 */
#define PVH_MAGIC 0x336ec578

struct __packed hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};

struct __packed hvm_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};

#define E820_RAM 1
#define MAX_RAM_RANGES 8

static struct { phys_addr_t start, end; } ram[MAX_RAM_RANGES];
static int nr_ram;

void arch_early_init(unsigned long boot_info)
{
	const struct hvm_start_info *si = (const void *)boot_info;

	x86_percpu_init();
	x86_uart_init();
	if (si->magic != PVH_MAGIC)
		panic("arch_early_init: bad PVH start_info magic 0x%x", si->magic);
	if (si->version < 1 || !si->memmap_paddr)
		panic("arch_early_init: PVH start_info has no memory map");
	const struct hvm_memmap_entry *mm = (const void *)si->memmap_paddr;

	for (u32 i = 0; i < si->memmap_entries && nr_ram < MAX_RAM_RANGES; i++) {
		phys_addr_t s = mm[i].addr, e = mm[i].addr + mm[i].size;

		if (mm[i].type != E820_RAM || e <= 0x100000)
			continue;	/* low memory belongs to the firmware */
		if (s < (phys_addr_t)_kernel_end && e > (phys_addr_t)_kernel_start)
			s = (phys_addr_t)_kernel_end;	/* RAM starts at 1 MiB with us */
		if (s < e)
			ram[nr_ram].start = s, ram[nr_ram++].end = e;
	}
	x86_acpi_init(si->rsdp_paddr);
	x86_cpu_init();
	x86_tsc_init();
}

int arch_mem_region(int i, phys_addr_t *start, phys_addr_t *end)
{
	if (i >= nr_ram)
		return -ENOENT;
	*start = ram[i].start;
	*end = ram[i].end;
	return 0;
}

/* x86_ram_top - end of the highest RAM range (mm.c maps up to it). */
phys_addr_t x86_ram_top(void)
{
	phys_addr_t top = (phys_addr_t)_kernel_end;

	for (int i = 0; i < nr_ram; i++)
		top = MAX(top, ram[i].end);
	return top;
}

void arch_init(void)
{
	x86_mm_init();
	x86_apic_init();
	x86_uart_enable_rx_irq();
}

const char *arch_name(void)
{
	return "x86_64";
}

unsigned int arch_nr_cpus(void)
{
	return 1;
}

void arch_cpu_describe(unsigned int cpu, char *buf, size_t len)
{
	snprintf(buf, len, "(apic id %u)", x86_plat.apic_ids[cpu]);
}

void __noreturn arch_halt_forever(void)
{
	for (;;) {
		arch_irq_disable();
		hlt();
	}
}
