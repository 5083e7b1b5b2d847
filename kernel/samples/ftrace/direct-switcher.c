/*
 * direct-switcher.c - the switching worker of the modify samples
 * (direct-switcher.h).
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "smp.h"
#include "direct-switcher.h"

/*
 * switcher_run - the worker, on its own CPU: every period, move the ops
 * to the other trampoline.  modify_ftrace_direct() returns once no CPU can
 * still be in the old one.  The wait between switches is a quiescent loop,
 * so this CPU never holds up another CPU's synchronize_quiescent().
 */
static void switcher_run(void *arg)
{
	struct direct_switcher *s = arg;
	u64 next = arch_clock_ns() + s->period_ns;

	while (!READ_ONCE(s->stop)) {
		u64 t0;
		int err;

		cpu_quiescent();
		if (arch_clock_ns() < next) {
			arch_cpu_relax();
			continue;
		}
		t0 = arch_clock_ns();
		err = modify_ftrace_direct(s->ops, s->tramps[!s->cur]);
		t0 = arch_clock_ns() - t0;
		s->busy_ns += t0;
		s->max_ns = MAX(s->max_ns, t0);
		if (err) {
			s->errors++;
			s->last_err = err;
		} else {
			s->cur = !s->cur;
			s->switches++;
		}
		next = arch_clock_ns() + s->period_ns;
	}
}

int direct_switcher_start(struct direct_switcher *s)
{
	s->stop = false;
	s->cur = 0;
	s->switches = s->errors = 0;
	s->last_err = 0;
	s->busy_ns = s->max_ns = 0;
	for (int cpu = (int)arch_nr_cpus() - 1; cpu >= 0; cpu--) {
		if ((unsigned int)cpu == arch_cpu_id() || !cpu_online((unsigned int)cpu))
			continue;
		if (!smp_run_on((unsigned int)cpu, switcher_run, s)) {
			s->cpu = cpu;
			return 0;
		}
	}
	s->cpu = -1;
	printk("%s: no idle CPU to switch trampolines from\n", s->name);
	return -ENODEV;
}

void direct_switcher_stop(struct direct_switcher *s)
{
	if (s->cpu < 0)
		return;
	WRITE_ONCE(s->stop, true);
	smp_wait_idle((unsigned int)s->cpu);
	s->cpu = -1;
	printk("%s: switches=%lu errors=%lu last_error=%d period_us=%lu switch_us_avg=%lu "
	       "switch_us_max=%lu\n", s->name, s->switches, s->errors, s->last_err,
	       (unsigned long)(s->period_ns / 1000),
	       (unsigned long)(s->busy_ns / 1000 / MAX(s->switches + s->errors, 1UL)),
	       (unsigned long)(s->max_ns / 1000));
}

int direct_switcher_attach(struct direct_switcher *s, const char *functions)
{
	int err = ftrace_set_filter(s->ops, functions, true);

	if (!err)
		err = register_ftrace_direct(s->ops, s->tramps[0]);
	if (err) {
		ftrace_free_filter(s->ops);
		return err;
	}
	err = direct_switcher_start(s);
	if (err)
		unregister_ftrace_direct(s->ops, s->tramps[0], true);
	return err;
}

int direct_switcher_detach(struct direct_switcher *s)
{
	direct_switcher_stop(s);
	return unregister_ftrace_direct(s->ops, s->tramps[s->cur], true);
}
