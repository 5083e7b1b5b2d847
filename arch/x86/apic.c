/*
 * apic.c - local APIC (periodic timer at HZ, EOI) and IOAPIC (routes COM1's
 * interrupt to this CPU).  The legacy 8259 PICs are masked.
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

#define LAPIC_ID	0x020
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310
#define ICR_BUSY	(1U << 12)	/* delivery status: send pending */
#define LAPIC_TIMER_ICR	0x380
#define LAPIC_TIMER_CCR	0x390
#define LAPIC_TIMER_DCR	0x3e0
#define SVR_ENABLE	(1U << 8)
#define LVT_MASKED	(1U << 16)
#define LVT_PERIODIC	(1U << 17)
#define DCR_DIV16	0x3

#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))
#define IOAPIC_ACTIVE_LOW (1U << 13)
#define IOAPIC_LEVEL	(1U << 15)
#define MADT_POLARITY_LOW 3
#define MADT_TRIGGER_LEVEL 3

u64 x86_calibrate(u64 (*read)(void), u32 *pm_elapsed);

static u32 timer_count;		/* LAPIC timer counts per tick, from the BSP */

static u32 lapic_read(u32 reg) { return mmio_read32(x86_plat.lapic_base + reg); }
static void lapic_write(u32 reg, u32 v) { mmio_write32(x86_plat.lapic_base + reg, v); }

static void ioapic_write(u32 reg, u32 v)
{
	mmio_write32(x86_plat.ioapic_base + IOAPIC_REGSEL, reg);
	mmio_write32(x86_plat.ioapic_base + IOAPIC_WIN, v);
}

static u64 lapic_elapsed(void)
{
	return ~0U - lapic_read(LAPIC_TIMER_CCR);
}

void x86_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* route_com1 - COM1's GSI -> VEC_IRQ_BASE + 4 on the boot CPU's APIC. */
static void route_com1(void)
{
	u32 lo = VEC_IRQ_BASE + COM1_IRQ;
	u32 pol = x86_plat.com1_flags & 3, trig = (x86_plat.com1_flags >> 2) & 3;

	if (pol == MADT_POLARITY_LOW)
		lo |= IOAPIC_ACTIVE_LOW;
	if (trig == MADT_TRIGGER_LEVEL)
		lo |= IOAPIC_LEVEL;
	ioapic_write(IOAPIC_REDTBL(x86_plat.com1_gsi) + 1,
		     (u32)x86_plat.apic_ids[0] << 24);
	ioapic_write(IOAPIC_REDTBL(x86_plat.com1_gsi), lo);
}

/* x86_apic_init - boot CPU: mask PICs, enable the APIC, start the timer. */
void x86_apic_init(void)
{
	u32 pm;
	u64 counts;

	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);

	lapic_write(LAPIC_TIMER_DCR, DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_ICR, ~0U);
	counts = x86_calibrate(lapic_elapsed, &pm);
	counts = counts * ACPI_PM_TIMER_HZ / pm / HZ;	/* per tick */
	if (!counts)
		panic("x86_apic_init: APIC timer does not count");
	timer_count = (u32)counts;
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, timer_count);
	route_com1();
}

/* x86_lapic_init_ap - a secondary CPU's APIC: enabled, same tick as the BSP. */
void x86_lapic_init_ap(void)
{
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_TIMER_DCR, DCR_DIV16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, timer_count);
}

bool x86_lapic_icr_idle(void)
{
	return !(lapic_read(LAPIC_ICR_LOW) & ICR_BUSY);
}

/*
 * x86_send_ipi - write the ICR: destination APIC id, then the command
 * (vector and delivery mode); waits for the previous send to complete.
 * Interrupts off around the pair so an interrupt handler's own IPI cannot
 * land between the two writes.
 */
void x86_send_ipi(u8 apic_id, u32 icr_low)
{
	unsigned long flags = arch_irq_save();

	while (!x86_lapic_icr_idle())
		arch_cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, (u32)apic_id << 24);
	lapic_write(LAPIC_ICR_LOW, icr_low);
	arch_irq_restore(flags);
}
