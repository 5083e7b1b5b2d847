/*
 * smp.c - generic SMP: which CPUs are online, cross-CPU function calls,
 * work for idle secondaries, and stop_machine.
 *
 * Cross-CPU call protocol (one call at a time, under call_lock):
 *  1. the caller fills call_data, sets each target's pending flag and
 *     sends it the IPI;
 *  2. each target, in its IPI handler (interrupts off), sees its flag, runs
 *     func(info), then clears the flag (release);
 *  3. with wait, the caller spins until every flag it set is clear; only
 *     then may call_data be reused.
 * A CPU spinning for call_lock keeps interrupts on, so two CPUs calling at
 * once cannot deadlock: the loser still answers the winner's IPI.
 */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "smp.h"
#include "spinlock.h"
#include "livepatch.h"

struct smp_stats smp_stats;

static volatile unsigned long online_mask = 1;	/* the boot CPU */
static spinlock_t call_lock = SPINLOCK_INIT;
static struct {
	smp_func_t func;
	void *info;
} call_data;
static volatile bool call_pending[MAX_CPUS];

struct cpu_work {
	smp_func_t func;
	void *info;
};
static struct cpu_work work[MAX_CPUS];
static volatile unsigned long qs_seq[MAX_CPUS];
static volatile bool cpu_idle[MAX_CPUS];

/*
 * cpu_quiescent - this CPU's task context is at a quiescent point (smp.h):
 * count it for synchronize_quiescent(), and let a live patch transition
 * switch this CPU here (kernel/livepatch/transition.c).
 */
void notrace cpu_quiescent(void)
{
	unsigned int cpu = arch_cpu_id();

	klp_update_patch_state();
	__atomic_store_n(&qs_seq[cpu], qs_seq[cpu] + 1, __ATOMIC_RELEASE);
}

/*
 * cpu_idle_wait - sleep until an interrupt arrives, marked idle meanwhile:
 * the CPU's task context is then not inside any traced code, so
 * synchronize_quiescent() need not wait for it.  Called with interrupts
 * off; returns with them on (arch_wait_for_interrupt()).  The interrupt
 * that wakes the CPU runs while it is still marked idle: that is fine,
 * because synchronize_quiescent() covers interrupt handlers by other means.
 */
void notrace cpu_idle_wait(void)
{
	unsigned int cpu = arch_cpu_id();

	__atomic_store_n(&cpu_idle[cpu], true, __ATOMIC_SEQ_CST);
	arch_wait_for_interrupt();
	__atomic_store_n(&cpu_idle[cpu], false, __ATOMIC_SEQ_CST);
}

static void notrace nothing(void *unused)
{
}

/*
 * synchronize_quiescent - return once no other CPU can still be running
 * code that was reachable before the call (a trampoline no site calls any
 * more, an ops hash already replaced).  Such code runs in three contexts;
 * each is waited for:
 *
 *  1. interrupt handlers (NMIs included): a cross-CPU call is an interrupt
 *     every online CPU must take, and it can do so only between handlers -
 *     they run with interrupts off, and an NMI blocks them until it ends.
 *     Once every CPU took one (smp_call_function() waits for that), no
 *     handler that started before it is still running.  Needed although
 *     updates that rewrite sites sync all CPUs anyway: an update that
 *     changes no site (a filter rewritten to the same functions) makes no
 *     text sync, and its old hash may still be read by an interrupt on a
 *     CPU whose task context is idle;
 *  2. task context: after the snapshot below, each CPU must pass
 *     cpu_quiescent() (loops outside traced code, the ftrace lock's spin)
 *     or be seen idle (cpu_idle_wait(): no task context at all);
 *  3. this CPU: the caller itself, outside any traced code.
 * The snapshot is taken before the call in 1, so a CPU idle at the check in
 * 2 cannot hold a task-context reader from before the snapshot: it got
 * idle after it.  Caller: task context, interrupts on, any CPU.
 */
void synchronize_quiescent(void)
{
	unsigned long snap[MAX_CPUS];
	unsigned int me = arch_cpu_id();

	for (unsigned int c = 0; c < MAX_CPUS; c++)
		snap[c] = __atomic_load_n(&qs_seq[c], __ATOMIC_SEQ_CST);
	if (num_online_cpus() > 1)
		smp_call_function(nothing, NULL);
	for (unsigned int c = 0; c < MAX_CPUS; c++) {
		if (c == me || !cpu_online(c))
			continue;
		while (__atomic_load_n(&qs_seq[c], __ATOMIC_SEQ_CST) == snap[c] &&
		       !__atomic_load_n(&cpu_idle[c], __ATOMIC_SEQ_CST)) {
			cpu_quiescent();	/* two CPUs synchronizing wait for each other */
			arch_cpu_relax();
		}
	}
}

unsigned int num_online_cpus(void)
{
	unsigned long m = READ_ONCE(online_mask);
	unsigned int n = 0;

	for (; m; m &= m - 1)	/* no libgcc: count bits by hand */
		n++;
	return n;
}

bool cpu_online(unsigned int cpu)
{
	return cpu < MAX_CPUS && (READ_ONCE(online_mask) & (1UL << cpu));
}

void smp_init(void)
{
	arch_smp_boot();
	printk("smp: %u of %u CPUs online\n", num_online_cpus(), arch_nr_cpus());
}

/*
 * smp_secondary_entry - a secondary CPU's life after arch setup: go online,
 * then run work handed over by smp_run_on(), sleeping in between.
 */
void smp_secondary_entry(void)
{
	unsigned int cpu = arch_cpu_id();
	struct cpu_work *w = &work[cpu];

	this_cpu()->comm = "cpuidle";
	__atomic_or_fetch(&online_mask, 1UL << cpu, __ATOMIC_RELEASE);
	for (;;) {
		smp_func_t func;

		cpu_quiescent();
		arch_irq_disable();
		func = __atomic_load_n(&w->func, __ATOMIC_ACQUIRE);
		if (!func) {
			cpu_idle_wait();	/* returns with irqs on */
			continue;
		}
		arch_irq_enable();
		func(w->info);
		__atomic_store_n(&w->func, NULL, __ATOMIC_RELEASE);
	}
}

void smp_ipi_handler(void)
{
	unsigned int cpu = arch_cpu_id();

	if (!__atomic_load_n(&call_pending[cpu], __ATOMIC_ACQUIRE))
		return;		/* a wake-up for smp_run_on() work */
	call_data.func(call_data.info);
	__atomic_store_n(&call_pending[cpu], false, __ATOMIC_RELEASE);
}

void smp_call_function(smp_func_t func, void *info)
{
	unsigned int me, ncpu = arch_nr_cpus();

	spin_lock(&call_lock);
	me = arch_cpu_id();
	call_data.func = func;
	call_data.info = info;
	smp_stats.calls++;
	for (unsigned int c = 0; c < ncpu; c++) {
		if (c == me || !cpu_online(c))
			continue;
		__atomic_store_n(&call_pending[c], true, __ATOMIC_RELEASE);
		arch_send_ipi(c);
		smp_stats.ipis_sent++;
	}
	for (unsigned int c = 0; c < ncpu; c++)
		while (__atomic_load_n(&call_pending[c], __ATOMIC_ACQUIRE))
			arch_cpu_relax();
	spin_unlock(&call_lock);
}

int smp_run_on(unsigned int cpu, smp_func_t func, void *info)
{
	if (!cpu_online(cpu) || cpu == arch_cpu_id())
		return -EINVAL;
	if (__atomic_load_n(&work[cpu].func, __ATOMIC_ACQUIRE))
		return -EBUSY;
	work[cpu].info = info;
	__atomic_store_n(&work[cpu].func, func, __ATOMIC_RELEASE);
	arch_send_ipi(cpu);	/* wake it from its idle wait */
	smp_stats.ipis_sent++;
	return 0;
}

/*
 * smp_wait_idle - a quiescent wait: @cpu's work may itself be waiting in
 * synchronize_quiescent() for this CPU.
 */
void smp_wait_idle(unsigned int cpu)
{
	while (__atomic_load_n(&work[cpu].func, __ATOMIC_ACQUIRE)) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

/* ---- stop_machine ---- */

static volatile int stop_state;		/* 0 idle, 1 held, 2 released */
static volatile unsigned int stop_arrived;

static void stop_spin(void *unused)
{
	__atomic_add_fetch(&stop_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&stop_state, __ATOMIC_ACQUIRE) == 1)
		arch_cpu_relax();
	__atomic_sub_fetch(&stop_arrived, 1, __ATOMIC_ACQ_REL);
}

/*
 * stop_machine - the other CPUs enter stop_spin() from their IPI handler
 * (interrupts off) and stay there until @fn is done.  Callers hold no
 * spinlock that an interrupt handler could need and have interrupts on.
 */
int stop_machine(int (*fn)(void *arg), void *arg)
{
	unsigned int others = num_online_cpus() - 1, me;
	unsigned long flags;
	int ret;

	spin_lock(&call_lock);
	me = arch_cpu_id();
	__atomic_store_n(&stop_state, 1, __ATOMIC_RELEASE);
	call_data.func = stop_spin;
	call_data.info = NULL;
	for (unsigned int c = 0; c < arch_nr_cpus(); c++) {
		if (c == me || !cpu_online(c))
			continue;
		__atomic_store_n(&call_pending[c], true, __ATOMIC_RELEASE);
		arch_send_ipi(c);
		smp_stats.ipis_sent++;
	}
	while (__atomic_load_n(&stop_arrived, __ATOMIC_ACQUIRE) != others)
		arch_cpu_relax();
	flags = arch_irq_save();
	ret = fn(arg);
	arch_irq_restore(flags);
	__atomic_store_n(&stop_state, 2, __ATOMIC_RELEASE);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		while (__atomic_load_n(&call_pending[c], __ATOMIC_ACQUIRE))
			arch_cpu_relax();
	__atomic_store_n(&stop_state, 0, __ATOMIC_RELEASE);
	spin_unlock(&call_lock);
	return ret;
}
