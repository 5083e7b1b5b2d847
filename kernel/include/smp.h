/*
 * smp.h - cross-CPU services built on arch_smp_boot() / arch_send_ipi().
 */
#ifndef SMP_H
#define SMP_H

#include "types.h"

typedef void (*smp_func_t)(void *info);

void smp_init(void);			/* boot CPU: bring the others up */
void __noreturn smp_secondary_entry(void);	/* arch: a new CPU is ready */
void smp_ipi_handler(void);		/* arch: the call IPI arrived */
unsigned int num_online_cpus(void);
bool cpu_online(unsigned int cpu);

/*
 * smp_call_function - run @func(@info) on every other online CPU, from its
 * IPI handler (interrupts off there), and return after all have finished.
 * Callers must have interrupts enabled (a CPU waiting for the call lock
 * must still answer IPIs) and must not be in interrupt context.
 */
void smp_call_function(smp_func_t func, void *info);

/*
 * smp_run_on - start @func(@info) on idle CPU @cpu, in its task context
 * (interrupts on), without waiting.  -EBUSY if it is still running
 * earlier work, -EINVAL if it is offline or the caller itself.
 */
int smp_run_on(unsigned int cpu, smp_func_t func, void *info);
/* smp_wait_idle - wait until @cpu finished the work smp_run_on() gave it. */
void smp_wait_idle(unsigned int cpu);

/*
 * Quiescent states (what synchronize_rcu_tasks() gives Linux): code that
 * other CPUs may be running in task context, interrupts on (a trampoline,
 * an ops list walk), may only be freed once every CPU's task context has
 * passed a quiescent point since it became unreachable.  Idle CPUs are
 * quiescent; loops that run for long call cpu_quiescent() once per round.
 * Interrupt handlers cannot be inside such code then: they run with
 * interrupts off, and the text sync before is an interrupt they must take.
 */
void cpu_quiescent(void);
/* synchronize_quiescent - wait until every other online CPU was quiescent. */
void synchronize_quiescent(void);

/*
 * stop_machine - every other online CPU spins with interrupts off while
 * @fn(@arg) runs here; they resume when it returns.  Returns @fn's value.
 */
int stop_machine(int (*fn)(void *arg), void *arg);

/* Counters, for `stress` and the benchmarks. */
struct smp_stats {
	unsigned long ipis_sent;
	unsigned long calls;
};
extern struct smp_stats smp_stats;

#endif /* SMP_H */
