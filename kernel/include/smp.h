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
 * other CPUs may be running (a trampoline, an ops list walk, a hash) may
 * only be freed once no CPU can still be inside it.  Task contexts pass
 * quiescent points: cpu_quiescent() in loops that run for long, outside
 * traced code, and cpu_idle_wait() while idle; interrupt handlers are
 * waited for with a cross-CPU call (smp.c explains).
 */
void cpu_quiescent(void);
/* cpu_idle_wait - the idle sleep (interrupts off on entry, on at return). */
void cpu_idle_wait(void);
/* synchronize_quiescent - wait until no other CPU can be inside old code. */
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
