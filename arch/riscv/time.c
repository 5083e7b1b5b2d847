/*
 * time.c - the time CSR as the clock (arch_clock_ns) and the SBI timer as the
 * periodic HZ tick.
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

#define NSEC_PER_SEC	1000000000ULL
#define CLOCK_SHIFT	32

/*
 * ns = (ticks * clock_mult) >> CLOCK_SHIFT with a 64x64->128 bit product
 * (mul + mulhu), so no tick count can overflow it.  clock_mult =
 * 10^9 * 2^32 / timebase: exact (100 << 32) for QEMU's 10 MHz.
 */
static u64 clock_mult;
static u64 clock_base;		/* time CSR at boot */
static u64 timer_period;	/* time ticks per jiffy */

/* riscv_clock_init - from arch_early_init(), after the DTB is parsed. */
void riscv_clock_init(void)
{
	u32 hz = riscv_plat.timebase_hz;

	clock_mult = (NSEC_PER_SEC << CLOCK_SHIFT) / hz;
	timer_period = hz / HZ;
	if (!timer_period)
		panic("riscv_clock_init: timebase %u Hz is below HZ", hz);
	clock_base = rdtime();
}

/* arch_clock_ns - see arch.h.  Lock-free; 0 before riscv_clock_init(). */
u64 arch_clock_ns(void)
{
	return (u64)(((unsigned __int128)(rdtime() - clock_base) * clock_mult) >> CLOCK_SHIFT);
}

/*
 * riscv_timer_start - arm this CPU's first tick (arch_init() on the boot
 * CPU, riscv_secondary_main() on the others; interrupts off).  The SBI
 * timer is per hart: each CPU ticks HZ times a second on its own.
 */
void riscv_timer_start(void)
{
	struct riscv_percpu *pc = riscv_this_cpu();

	pc->timer_deadline = rdtime() + timer_period;
	riscv_sbi_set_timer(pc->timer_deadline);
}

/*
 * riscv_timer_irq - supervisor timer interrupt: count the tick and arm the
 * next one.  Deadlines advance by whole periods so ticks do not drift; if
 * the kernel was stalled past a deadline it re-bases rather than firing a
 * burst of catch-up ticks.  Setting a new deadline clears sip.STIP.  Each
 * CPU keeps its own deadline.
 */
void riscv_timer_irq(void)
{
	struct riscv_percpu *pc = riscv_this_cpu();
	u64 now = rdtime();

	timer_tick();
	pc->timer_deadline += timer_period;
	if (pc->timer_deadline <= now)
		pc->timer_deadline = now + timer_period;
	riscv_sbi_set_timer(pc->timer_deadline);
}
