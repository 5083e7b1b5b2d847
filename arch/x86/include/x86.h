/*
 * x86.h - x86_64 private definitions: named constants and one-line
 * instruction accessors.  Only arch/x86 includes this.
 */
#ifndef X86_H
#define X86_H

#ifdef __ASSEMBLY__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#include "types.h"
#endif

#define PAGE_2M		(_UL(2) << 20)

/* Segment selectors (GDT laid out in cpu.c). */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define TSS_SEL		0x18

/* Control register bits. */
#define CR0_PE		(_UL(1) << 0)
#define CR0_WP		(_UL(1) << 16)
#define CR0_PG		(_UL(1) << 31)
#define CR4_PAE		(_UL(1) << 5)
#define CR4_PGE		(_UL(1) << 7)
#define MSR_EFER	0xc0000080
#define EFER_LME	(_UL(1) << 8)
#define EFER_NXE	(_UL(1) << 11)
#define MSR_GS_BASE	0xc0000101
#define RFLAGS_IF	(_UL(1) << 9)

/* Page table entry bits. */
#define PTE_P		(_UL(1) << 0)
#define PTE_W		(_UL(1) << 1)
#define PTE_PWT		(_UL(1) << 3)
#define PTE_PCD		(_UL(1) << 4)
#define PTE_PS		(_UL(1) << 7)
#define PTE_G		(_UL(1) << 8)
#define PTE_NX		(_UL(1) << 63)
#define PTE_ADDR_MASK	_UL(0x000ffffffffff000)

/* Writable alias of kernel text, for text_poke (mm.c): VA = alias + PA. */
#define X86_TEXT_ALIAS	_UL(0x4000000000)	/* 256 GiB */

/* Exception vectors. */
#define X86_TRAP_DE	0
#define X86_TRAP_NMI	2
#define X86_TRAP_BP	3
#define X86_TRAP_UD	6
#define X86_TRAP_DF	8
#define X86_TRAP_GP	13
#define X86_TRAP_PF	14
#define PF_ERR_WRITE	(_UL(1) << 1)
#define PF_ERR_FETCH	(_UL(1) << 4)
#define PF_ERR_PRESENT	(_UL(1) << 0)

/* Interrupt vectors we program. */
#define VEC_IRQ_BASE	0x20	/* IOAPIC GSI n -> 0x20 + n */
#define VEC_TIMER	0xf0
#define VEC_IPI		0xf1	/* cross-CPU call: smp_ipi_handler() */
#define VEC_SPURIOUS	0xff

/*
 * IST slots in the TSS (1-based as the IDT encodes them).  NMI has none on
 * purpose: everything runs in ring 0 on a valid stack, so an NMI needs no
 * stack switch, and without one it nests like any trap.  On an IST stack
 * a breakpoint inside the NMI handler would return with iretq, which
 * unmasks NMIs, and a second NMI would restart at the top of the stack the
 * first is still using (the problem Linux's NMI entry code exists for).
 */
#define IST_PF		1
#define IST_DF		2
#define NR_IST		2
#define IST_STACK_SIZE	8192

/* Legacy I/O ports. */
#define COM1_PORT	0x3f8
#define COM1_IRQ	4
#define PIC1_DATA	0x21
#define PIC2_DATA	0xa1
#define DEBUG_EXIT_PORT	0xf4	/* QEMU isa-debug-exit: exit((v << 1) | 1) */

/* ACPI power management. */
#define ACPI_PM_TIMER_HZ 3579545
#define ACPI_SLP_EN	(1U << 13)
#define ACPI_SLP_TYP_SHIFT 10

#ifndef __ASSEMBLY__
static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u32 inl(u16 port) { u32 v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 rdmsr(u32 msr) { u32 lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr)); return ((u64)hi << 32) | lo; }
static inline void wrmsr(u32 msr, u64 v) { __asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32))); }
static inline u64 rdtsc(void) { u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return ((u64)hi << 32) | lo; }
static inline unsigned long read_cr0(void) { unsigned long v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr2(void) { unsigned long v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr3(void) { unsigned long v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline unsigned long read_cr4(void) { unsigned long v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr3(unsigned long v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void write_cr4(unsigned long v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void lgdt(const void *desc) { __asm__ volatile("lgdt (%0)" :: "r"(desc) : "memory"); }
static inline void lidt(const void *desc) { __asm__ volatile("lidt (%0)" :: "r"(desc) : "memory"); }
/* reload_segments - CS = KERNEL_CS (far return), data segments = KERNEL_DS. */
static inline void reload_segments(void)
{
	__asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:\n\t"
			 "movl %1, %%eax; movl %%eax, %%ds; movl %%eax, %%es; movl %%eax, %%ss"
			 :: "i"(KERNEL_CS), "i"(KERNEL_DS) : "rax", "memory");
}
static inline void ltr(u16 sel) { __asm__ volatile("ltr %0" :: "r"(sel)); }
static inline void invlpg(unsigned long va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt"); }
/* cpuid - leaf @leaf, subleaf 0: r[0..3] = eax, ebx, ecx, edx. */
static inline void cpuid(u32 leaf, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}
static inline void mmio_write32(unsigned long a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 mmio_read32(unsigned long a) { return *(volatile u32 *)a; }

/* Values arch_early_init() collects from the boot info and ACPI tables. */
struct x86_platform {
	u16 pm1a_cnt;		/* ACPI PM1a control port */
	u16 pm_tmr;		/* ACPI PM timer port */
	bool pm_tmr_32bit;
	u16 slp_typ_s5;		/* SLP_TYPa for S5 from the DSDT */
	unsigned long lapic_base;
	unsigned long ioapic_base;
	u32 com1_gsi;		/* ISA IRQ 4 after MADT overrides */
	u32 com1_flags;		/* MADT polarity/trigger flags for it */
	unsigned int nr_cpus;
	u8 apic_ids[64];
};
extern struct x86_platform x86_plat;

struct pt_regs;
void x86_acpi_init(unsigned long rsdp);
void x86_cpu_init(void);
void x86_mm_init(void);
void x86_apic_init(void);
void x86_uart_init(void);
void x86_uart_enable_rx_irq(void);
void x86_uart_irq(void);
void x86_timer_irq(void);
void x86_lapic_eoi(void);
void x86_tsc_init(void);
u32 x86_pm_timer_read(void);
void x86_trap(struct pt_regs *regs);
bool x86_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi);
bool x86_in_guard_page(unsigned long addr);
const char *x86_hypervisor(void);

phys_addr_t x86_ram_top(void);
void x86_unmap_page(unsigned long va);
void x86_cpu_load(unsigned int cpu);
unsigned long x86_cpu_alloc(unsigned int cpu);
void x86_lapic_init_ap(void);
void x86_send_ipi(u8 apic_id, u32 icr_low);
bool x86_lapic_icr_idle(void);
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

#endif /* !__ASSEMBLY__ */

#endif /* X86_H */
