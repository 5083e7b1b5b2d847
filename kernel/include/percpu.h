/*
 * percpu.h - generic per-CPU state, indexed by arch_cpu_id().
 *
 * The context counters are maintained by irq_enter()/irq_exit() and
 * nmi_enter()/nmi_exit(), which the arch's trap code calls; the tracer's
 * recursion protection and the trace flags read them.
 */
#ifndef PERCPU_H
#define PERCPU_H

#include "types.h"
#include "arch.h"

#define MAX_CPUS 8

enum trace_ctx { CTX_NORMAL, CTX_IRQ, CTX_NMI, NR_CTX };

struct cpu_state {
	unsigned int irq_depth;
	unsigned int nmi_depth;
	unsigned int bp_depth;		/* inside text_poke_bp_handler() */
	unsigned long nmis;		/* NMI callback runs (reruns included) */
	unsigned long nmis_nested;	/* NMIs that arrived inside one: latched */
	bool nmi_latched;		/* rerun the callback before returning */
	unsigned long trace_recursion;	/* one bit per (level, context) */
	const char *comm;		/* "task" name shown in traces */
	int pid;
} __aligned(64);

extern struct cpu_state cpu_state[MAX_CPUS];

static inline struct cpu_state *this_cpu(void)
{
	return &cpu_state[arch_cpu_id()];
}

static inline enum trace_ctx trace_context(void)
{
	struct cpu_state *c = this_cpu();

	if (c->nmi_depth)
		return CTX_NMI;
	return c->irq_depth ? CTX_IRQ : CTX_NORMAL;
}

void irq_enter(void);
void irq_exit(void);
void nmi_enter(void);
void nmi_exit(void);
void nmi_handler(void);
void nmi_set_callback(void (*fn)(void));
bool in_interrupt(void);

#endif /* PERCPU_H */
