/* time.c - the periodic tick. */
#include "kernel.h"
#include "arch.h"

static volatile u64 jiffies;

/* timer_tick - called by the arch timer interrupt HZ times a second per CPU. */
void stress_tick(void);
void klp_stress_tick(void);

void timer_tick(void)
{
	if (arch_cpu_id() == 0)
		__atomic_add_fetch(&jiffies, 1, __ATOMIC_RELAXED);
	stress_tick();		/* calls traced functions while `stress` runs */
	klp_stress_tick();	/* ... and live-patched ones while klp_stress runs */
}

/* jiffies_read - ticks of CPU 0 since boot.  notrace: loops poll it. */
u64 notrace jiffies_read(void)
{
	return READ_ONCE(jiffies);
}
