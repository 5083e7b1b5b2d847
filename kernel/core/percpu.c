/* percpu.c - per-CPU state and the interrupt context counters. */
#include "kernel.h"
#include "percpu.h"

struct cpu_state cpu_state[MAX_CPUS];

/* irq_enter / irq_exit - bracket an interrupt handler (arch trap code). */
void notrace irq_enter(void)
{
	this_cpu()->irq_depth++;
}

void notrace irq_exit(void)
{
	this_cpu()->irq_depth--;
}

void notrace nmi_enter(void)
{
	this_cpu()->nmi_depth++;
}

void notrace nmi_exit(void)
{
	this_cpu()->nmi_depth--;
}

bool notrace in_interrupt(void)
{
	return this_cpu()->irq_depth || this_cpu()->nmi_depth;
}
