/*
 * direct-switcher.h - the worker of the ftrace-direct-modify and
 * ftrace-direct-multi-modify samples (Linux runs a kthread that calls
 * modify_ftrace_direct() in a loop): here a loop on another CPU, started
 * with smp_run_on(), that switches a direct ops between two trampolines
 * every period while the traced functions keep being called.
 */
#ifndef SAMPLES_FTRACE_DIRECT_SWITCHER_H
#define SAMPLES_FTRACE_DIRECT_SWITCHER_H

#include "types.h"

struct ftrace_ops;

struct direct_switcher {
	const char *name;		/* the module, for its messages */
	struct ftrace_ops *ops;		/* registered with tramps[0] */
	unsigned long tramps[2];
	u64 period_ns;
	/* owned by the switcher */
	int cpu;			/* where the worker runs, -1 when stopped */
	int cur;			/* index of the trampoline in use */
	volatile bool stop;
	unsigned long switches, errors;
	int last_err;
	u64 busy_ns, max_ns;		/* time spent in modify_ftrace_direct() */
};

/*
 * direct_switcher_start - run the worker on the highest-numbered idle CPU
 * other than this one.  0, or -ENODEV (no such CPU: one-CPU machines, or
 * every other CPU busy) after a console line saying so.  Task context.
 */
int direct_switcher_start(struct direct_switcher *s);

/*
 * direct_switcher_stop - stop the worker and wait until it has returned
 * (a quiescent wait: it may be inside modify_ftrace_direct(), waiting for
 * this CPU); then prints "<name>: switches=N errors=E last_error=X
 * period_us=P switch_us_avg=A switch_us_max=M" (A, M: what one
 * modify_ftrace_direct() took).
 * s->tramps[s->cur] is the trampoline in use afterwards.
 */
void direct_switcher_stop(struct direct_switcher *s);

/*
 * direct_switcher_attach - what both modify samples' init does: filter
 * s->ops to @functions, register it with s->tramps[0] and start the
 * worker.  0, or -errno with nothing left registered.
 */
int direct_switcher_attach(struct direct_switcher *s, const char *functions);

/*
 * direct_switcher_detach - their exit: stop the worker, then unregister
 * the trampoline in use; returns once no CPU is in either trampoline.
 */
int direct_switcher_detach(struct direct_switcher *s);

#endif
