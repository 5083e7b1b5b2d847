/*
 * race_window.c - the delays race.h places in the core's race windows.
 * Here, in kernel/trace, because the delay runs inside the tracer's hot
 * path and must never be traced itself.
 */
#include "kernel.h"
#include "arch.h"
#include "race.h"
#include "percpu.h"

unsigned int race_window_us[NR_RACE_WINDOWS];

const char *const race_window_names[NR_RACE_WINDOWS] = {
	[RACE_HASH_READ] = "hash_read",
	[RACE_RB_WRITE] = "rb_write",
	[RACE_SET_HASH] = "set_hash",
};

unsigned long race_window_hits[NR_RACE_WINDOWS];
unsigned long race_window_uaf[NR_RACE_WINDOWS];

unsigned int race_window_owner = ~0U;
static u64 last_end[MAX_CPUS];

/*
 * race_window_delay - spin @us here, except on race_window_owner (the CPU
 * driving the race must get on with it) and except within @us of this
 * CPU's previous delay: a CPU spends at most half its time delayed, so an
 * interrupt handler that is delayed longer than the tick period cannot
 * starve everything else on its CPU.
 */
void notrace race_window_delay(enum race_window_id w, unsigned int us)
{
	unsigned int cpu = arch_cpu_id();
	u64 now = arch_clock_ns(), end = now + (u64)us * 1000;

	if (cpu == READ_ONCE(race_window_owner) || now < last_end[cpu] + (u64)us * 1000)
		return;
	__atomic_add_fetch(&race_window_hits[w], 1, __ATOMIC_RELAXED);
	while ((now = arch_clock_ns()) < end)
		arch_cpu_relax();
	last_end[cpu] = now;
}

bool notrace race_window_freed(enum race_window_id w, const void *obj)
{
	if (!obj || kmem_live(obj))
		return false;
	__atomic_add_fetch(&race_window_uaf[w], 1, __ATOMIC_RELAXED);
	return true;
}
