/*
 * stress.c - live patching under load, on every CPU.
 *
 * Workers on all other CPUs call stress_target() in a tight loop and check
 * each result; every CPU's timer interrupt calls stress_irq_target() too.
 * Meanwhile this CPU flips the two targets' sites FLIPS times, with the
 * current patch_method or each method in turn:
 *
 *   nop<->call   ops B is registered and unregistered: the sites go
 *                nop -> call -> nop.  B's hits are reported, not checked.
 *   call->call   ops A stays registered the whole time; B (alternately
 *                with and without SAVE_REGS) comes and goes, so the sites
 *                move between A's own trampoline, ftrace_caller and
 *                ftrace_regs_caller.  Every call must reach A: calls == A's
 *                hits, exactly (the live-patching property of the seeds).
 *
 * A run fails on any wrong result, any call A missed in call->call mode,
 * or (with a breakpoint method and workers) no emulated breakpoint hit at
 * all: the race window was then never exercised.
 */
#include "kernel.h"
#include "ftrace.h"
#include "percpu.h"
#include "shell.h"
#include "smp.h"

long stress_target(long x);
long stress_irq_target(long x);

static long (*volatile target)(long) = stress_target;
static long (*volatile irq_target)(long) = stress_irq_target;

struct stress_cpu {
	unsigned long calls, irq_calls, wrong, hits_a, hits_b;
} __aligned(64);

static struct stress_cpu st[MAX_CPUS];
static volatile bool running, stop;

static void notrace count_a(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	__atomic_add_fetch(&st[arch_cpu_id()].hits_a, 1, __ATOMIC_RELAXED);
}

static void notrace count_b(unsigned long ip, unsigned long parent_ip,
			    struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	__atomic_add_fetch(&st[arch_cpu_id()].hits_b, 1, __ATOMIC_RELAXED);
}

static struct ftrace_ops ops_a = { .func = count_a, .name = "stress_a" };
static struct ftrace_ops ops_b = { .func = count_b, .name = "stress_b" };

/* stress_tick - from timer_tick() on every CPU while a run is on. */
void stress_tick(void)
{
	struct stress_cpu *s;

	if (!READ_ONCE(running))
		return;
	s = &st[arch_cpu_id()];
	if (irq_target(7) != 37)
		s->wrong++;
	s->irq_calls++;
}

static void worker(void *unused)
{
	struct stress_cpu *s = &st[arch_cpu_id()];
	unsigned long calls = 0, wrong = 0;
	long x = arch_cpu_id() * 1000;

	while (!READ_ONCE(stop)) {
		for (int i = 0; i < 64; i++, x++)
			wrong += target(x) != 3 * x + 1;
		calls += 64;
		cpu_quiescent();
	}
	s->calls = calls;
	s->wrong += wrong;
}

struct run_result {
	unsigned long calls, wrong, hits_a, hits_b;
	struct text_poke_stats poke;
	unsigned long ipis;
};

static int flip(bool call_call, unsigned int flips)
{
	for (unsigned int i = 0; i < flips; i++) {
		int err;

		ops_b.flags = call_call && (i & 2) ? FTRACE_OPS_FL_SAVE_REGS : 0;
		err = register_ftrace_function(&ops_b);
		if (!err)
			err = unregister_ftrace_function(&ops_b);
		if (err)
			return err;
	}
	return 0;
}

static int run(bool call_call, unsigned int flips, struct run_result *r)
{
	unsigned long ipis0 = smp_stats.ipis_sent;
	int err;

	memset(st, 0, sizeof(st));
	memset(&text_poke_stats, 0, sizeof(text_poke_stats));
	if (call_call && (err = register_ftrace_function(&ops_a)))
		return err;
	WRITE_ONCE(stop, false);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_run_on(c, worker, NULL);
	WRITE_ONCE(running, true);
	err = flip(call_call, flips);
	WRITE_ONCE(running, false);
	WRITE_ONCE(stop, true);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_wait_idle(c);
	if (call_call)
		unregister_ftrace_function(&ops_a);
	memset(r, 0, sizeof(*r));
	for (unsigned int c = 0; c < MAX_CPUS; c++) {
		r->calls += st[c].calls + st[c].irq_calls;
		r->wrong += st[c].wrong;
		r->hits_a += st[c].hits_a;
		r->hits_b += st[c].hits_b;
	}
	r->poke = text_poke_stats;
	r->ipis = smp_stats.ipis_sent - ipis0;
	return err;
}

/*
 * stress [FLIPS] - every method unless `all` is replaced by the method
 * name.  Prints one line per run and a verdict.
 */
static int cmd_stress(int argc, char **argv)
{
	unsigned long flips = 100;
	enum text_poke_method saved = text_poke_get_method(), first = 0, last = NR_POKE_METHODS - 1;
	int failures = 0, err = 0;

	if (argc > 1 && kstrtoul(argv[1], &flips))
		return cmd_err(-EINVAL, "usage: stress [FLIPS] [METHOD]");
	if (argc > 2) {
		for (first = 0; first < NR_POKE_METHODS; first++)
			if (!strcmp(argv[2], text_poke_method_names[first]))
				break;
		if (first == NR_POKE_METHODS)
			return cmd_err(-EINVAL, "unknown patch method '%s'", argv[2]);
		last = first;
	}
	if ((err = ftrace_set_filter(&ops_a, "stress_target stress_irq_target", true)) ||
	    (err = ftrace_set_filter(&ops_b, "stress_target stress_irq_target", true)))
		return cmd_err(err, "stress: filters");
	printk_raw("stress: %u CPUs, %lu flips per run\n", num_online_cpus(), flips);
	for (enum text_poke_method m = first; m <= last && !err; m++) {
		text_poke_set_method(m);
		for (int mode = 0; mode < 2 && !err; mode++) {
			struct run_result r;
			bool call_call = mode == 1, bp = m != POKE_STOP_MACHINE;
			unsigned long lost;

			err = run(call_call, flips, &r);
			lost = call_call ? r.calls - r.hits_a : 0;
			unsigned long emulated = r.poke.bp_hits[BP_EMU_NOP] +
				r.poke.bp_hits[BP_EMU_CALL] + r.poke.bp_hits[BP_EMU_JMP];
			bool ok = !err && !r.wrong && !lost &&
				  (!bp || num_online_cpus() < 2 || emulated);

			printk_raw("stress: method=%s mode=%s calls=%lu callbacks_a=%lu callbacks_b=%lu "
				   "lost=%lu wrong=%lu bp_hits=nop:%lu,call:%lu,jmp:%lu batches=%lu sites=%lu "
				   "syncs=%lu ipis=%lu %s\n",
				   text_poke_method_names[m], call_call ? "call->call" : "nop<->call",
				   r.calls, r.hits_a, r.hits_b, lost, r.wrong,
				   r.poke.bp_hits[BP_EMU_NOP], r.poke.bp_hits[BP_EMU_CALL],
				   r.poke.bp_hits[BP_EMU_JMP], r.poke.batches, r.poke.sites,
				   r.poke.syncs, r.ipis,
				   ok ? "ok" : "FAIL");
			failures += !ok;
		}
	}
	text_poke_set_method(saved);
	ftrace_set_filter(&ops_a, "", true);
	ftrace_set_filter(&ops_b, "", true);
	if (err)
		return cmd_err(err, "stress: patching failed: %s", errno_name(err));
	if (failures)
		return cmd_err(-EIO, "stress: %d runs failed", failures);
	printk_raw("stress: all runs ok\n");
	return 0;
}

static void method_read(void)
{
	for (int m = 0; m < NR_POKE_METHODS; m++)
		printk_raw(m == (int)text_poke_get_method() ? "%s[%s]" : "%s%s", m ? " " : "",
			   text_poke_method_names[m]);
	printk_raw("\n");
}

static int method_write(const char *text, bool append)
{
	for (int m = 0; m < NR_POKE_METHODS; m++)
		if (!strcmp(text, text_poke_method_names[m]))
			return text_poke_set_method(m);
	return -EINVAL;
}

static const struct tfile method_file = { "patch_method", method_read, method_write };

static const struct shell_cmd stress_cmds[] = {
	{ "stress", "[FLIPS] [METHOD]", "flip traced sites under load on every CPU", cmd_stress },
	{ NULL, NULL, NULL, NULL },
};

void stress_init(void)
{
	shell_register_cmds(stress_cmds);
	fs_register(&method_file);
}
