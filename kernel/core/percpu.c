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

static void (*volatile nmi_callback)(void);

/* nmi_set_callback - @fn (or NULL) runs in NMI context on every NMI. */
void notrace nmi_set_callback(void (*fn)(void))
{
	nmi_callback = fn;
}

/*
 * nmi_handler - the arch's NMI entry, interrupts off; it may interrupt any
 * code at all, the breakpoint handler of live patching included.
 *
 * NMIs do not nest here, as the hardware intends: but a breakpoint taken
 * inside the handler returns with an instruction that unmasks them (x86
 * iretq), so a second NMI can arrive inside the first.  It only latches
 * itself and returns; the first runs the callback again before it ends.
 * Nested, the second would find the first's NMI recursion bit set and its
 * traced calls would skip their callbacks.
 */
void notrace nmi_handler(void)
{
	struct cpu_state *c = this_cpu();
	void (*fn)(void);

	if (c->nmi_depth) {
		c->nmi_latched = true;
		c->nmis_nested++;
		return;
	}
	nmi_enter();
	do {
		WRITE_ONCE(c->nmi_latched, false);
		c->nmis++;
		fn = nmi_callback;
		if (fn)
			fn();
	} while (READ_ONCE(c->nmi_latched));
	nmi_exit();
}

bool notrace in_interrupt(void)
{
	return this_cpu()->irq_depth || this_cpu()->nmi_depth;
}
