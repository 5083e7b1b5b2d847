/*
 * cpu.c - x86_64 descriptor tables and per-CPU data: the GDT with a TSS
 * whose IST stacks catch #PF (so a kernel stack overflow can still be
 * reported), #DF and NMI, and the IDT pointing at entry.S's stubs.
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"
#include "percpu.h"

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


/* Everything one CPU owns; cpu 0 uses the static boot and IST stacks. */
struct x86_cpu {
	struct x86_percpu pc;
	u64 gdt[5] __aligned(16);	/* null, code, data, tss (2 slots) */
	struct tss64 tss __aligned(16);
	unsigned long stack_lo, stack_hi;	/* main stack */
	unsigned long guard;			/* its unmapped guard page */
	unsigned long ist_lo;			/* NR_IST stacks, contiguous */
};

static struct idt_entry idt[256] __aligned(16);
static u8 boot_ist_stacks[NR_IST * IST_STACK_SIZE] __aligned(16);
static struct x86_cpu cpus[MAX_CPUS];

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

/* x86_stack_bounds - the known stack (any CPU's) containing @addr. */
bool x86_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	for (int c = 0; c < MAX_CPUS; c++) {
		struct x86_cpu *x = &cpus[c];

		if (!x->stack_hi)
			continue;
		if (addr >= x->stack_lo && addr < x->stack_hi) {
			*lo = x->stack_lo;
			*hi = x->stack_hi;
			return true;
		}
		if (addr >= x->ist_lo && addr < x->ist_lo + NR_IST * IST_STACK_SIZE) {
			*lo = x->ist_lo + (addr - x->ist_lo) / IST_STACK_SIZE * IST_STACK_SIZE;
			*hi = *lo + IST_STACK_SIZE;
			return true;
		}
	}
	return false;
}

bool x86_in_guard_page(unsigned long addr)
{
	for (int c = 0; c < MAX_CPUS; c++)
		if (cpus[c].stack_hi && addr >= cpus[c].guard &&
		    addr < cpus[c].guard + PAGE_SIZE)
			return true;
	return false;
}

/*
 * x86_cpu_load - on CPU @cpu: its GS base (arch_cpu_id() works after this),
 * its GDT with its own TSS (whose IST stacks catch #PF and #DF; NMI has
 * none, see IST_PF), and the shared IDT.
 */
void x86_cpu_load(unsigned int cpu)
{
	struct x86_cpu *x = &cpus[cpu];
	unsigned long t = (unsigned long)&x->tss;
	struct desc_ptr gdtr = { sizeof(x->gdt) - 1, (u64)x->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (u64)idt };

	x->pc.self = &x->pc;
	x->pc.cpu = cpu;
	x->pc.apic_id = x86_plat.apic_ids[cpu];
	wrmsr(MSR_GS_BASE, (u64)&x->pc);
	x->gdt[1] = GDT_CODE64;
	x->gdt[2] = GDT_DATA;
	x->gdt[3] = (sizeof(x->tss) - 1) | ((t & 0xffffff) << 16) | (TSS_TYPE_AVAIL << 40) |
		    (((t >> 24) & 0xff) << 56);
	x->gdt[4] = t >> 32;
	x->tss.ist[IST_PF - 1] = x->ist_lo + 1 * IST_STACK_SIZE;
	x->tss.ist[IST_DF - 1] = x->ist_lo + 2 * IST_STACK_SIZE;
	x->tss.iomap_base = sizeof(x->tss);
	lgdt(&gdtr);
	reload_segments();	/* a secondary still holds the trampoline's */
	ltr(TSS_SEL);
	lidt(&idtr);
}

/* x86_cpu_init - the IDT (once) and the boot CPU's tables. */
void x86_cpu_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0);
	set_gate(X86_TRAP_PF, IST_PF);
	set_gate(X86_TRAP_DF, IST_DF);
	cpus[0].stack_lo = (unsigned long)boot_stack_bottom;
	cpus[0].stack_hi = (unsigned long)boot_stack_top;
	cpus[0].guard = (unsigned long)boot_stack_guard;
	cpus[0].ist_lo = (unsigned long)boot_ist_stacks;
	x86_cpu_load(0);
}

/*
 * x86_cpu_alloc - stacks for secondary CPU @cpu: a 32 KiB block whose lowest
 * page becomes the unmapped guard, and 16 KiB for the IST stacks.  Returns
 * the top of the main stack, or 0 when memory is short.
 */
#define IST_ORDER 2
_Static_assert((PAGE_SIZE << IST_ORDER) == NR_IST * IST_STACK_SIZE, "IST block size");

unsigned long x86_cpu_alloc(unsigned int cpu)
{
	struct x86_cpu *x = &cpus[cpu];
	u8 *block = alloc_pages(3), *ist = alloc_pages(IST_ORDER);

	if (!block || !ist) {
		if (block)
			free_pages(block, 3);
		if (ist)
			free_pages(ist, IST_ORDER);
		return 0;
	}
	x->guard = (unsigned long)block;
	x86_unmap_page(x->guard);
	x->stack_lo = x->guard + PAGE_SIZE;
	x->stack_hi = (unsigned long)block + 8 * PAGE_SIZE;
	x->ist_lo = (unsigned long)ist;
	return x->stack_hi;
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

	wrmsr(MSR_GS_BASE, (u64)&cpus[0].pc);	/* arch_cpu_id() == 0 */
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
	return MIN(x86_plat.nr_cpus, (unsigned int)MAX_CPUS);
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

#define CPUID_FEATURES		1
#define CPUID_ECX_HYPERVISOR	(1U << 31)	/* leaf 1: running under a hypervisor */
#define CPUID_HV_VENDOR		0x40000000	/* ebx:ecx:edx = 12-byte signature */

/*
 * x86_hypervisor - the 12-character hypervisor signature of CPUID leaf
 * 0x40000000 ("TCGTCGTCGTCG" under QEMU TCG, "KVMKVMKVM" under KVM), ""
 * on real hardware (leaf 1's hypervisor bit clear).
 */
const char *x86_hypervisor(void)
{
	static char sig[13];
	u32 r[4];

	cpuid(CPUID_FEATURES, r);
	if (!(r[2] & CPUID_ECX_HYPERVISOR))
		return "";
	cpuid(CPUID_HV_VENDOR, r);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = 0;
	return sig;
}

/*
 * arch_stale_code_possible - see arch.h.  Real hardware keeps instruction
 * fetch coherent with the serialising sync; so does KVM (the guest runs on
 * it).  Only an emulator caches translations: QEMU TCG says so with its
 * "TCGTCGTCGTCG" signature; an unknown hypervisor is assumed to, too.
 */
bool arch_stale_code_possible(void)
{
	const char *hv = x86_hypervisor();

	return *hv && strcmp(hv, "KVMKVMKVM");
}
