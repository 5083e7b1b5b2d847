/*
 * time.c - arch_clock_ns() from the TSC, calibrated once against the ACPI
 * PM timer (3.579545 MHz, fixed by the ACPI spec).
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

#define CALIBRATE_PM_TICKS (ACPI_PM_TIMER_HZ / 200)	/* 5 ms */
#define CLOCK_SHIFT 32

static u64 tsc_at_boot, tsc_mult;
static u64 tsc_hz;

/*
 * pm_timer_wait - busy-wait @ticks PM timer ticks from @start; returns the
 * ticks that really elapsed (>= @ticks).  Handles the 24-bit wrap.
 */
static u32 pm_timer_wait(u32 start, u32 ticks)
{
	u32 mask = x86_plat.pm_tmr_32bit ? 0xffffffffU : 0xffffffU, d;

	do
		d = (x86_pm_timer_read() - start) & mask;
	while (d < ticks);
	return d;
}

/* x86_pm_timer_measure - run @fn-free busy wait of ~5 ms; used by apic.c too. */
u64 x86_calibrate(u64 (*read)(void), u32 *pm_elapsed)
{
	u32 start = x86_pm_timer_read();
	u64 c0 = read();

	*pm_elapsed = pm_timer_wait(start, CALIBRATE_PM_TICKS);
	return read() - c0;
}

static u64 read_tsc(void)
{
	return rdtsc();
}

/* x86_tsc_init - measure the TSC rate; boot CPU, before interrupts. */
void x86_tsc_init(void)
{
	u32 pm;
	u64 cycles;

	tsc_at_boot = rdtsc();
	cycles = x86_calibrate(read_tsc, &pm);
	tsc_hz = cycles * ACPI_PM_TIMER_HZ / pm;
	if (!tsc_hz)
		panic("x86_tsc_init: TSC does not advance");
	tsc_mult = (1000000000ULL << CLOCK_SHIFT) / tsc_hz;
}

u64 arch_clock_ns(void)
{
	u64 d = rdtsc() - tsc_at_boot;

	return (u64)(((unsigned __int128)d * tsc_mult) >> CLOCK_SHIFT);
}

u64 x86_tsc_hz(void)
{
	return tsc_hz;
}
