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
 * all although sites changed under load: the race window was then never
 * exercised.  Runs where no site had to change (another tracer already
 * sends the targets where every update asks) do not need a hit.
 *
 * With `nmi`, each worker also sends an NMI to the next worker after every
 * 64 calls, and the NMI handler calls stress_target() too: NMIs land in
 * the breakpoint handler and hit breakpoints themselves, so the handler's
 * reentrancy is exercised.  Such a run also fails if no NMI made a call
 * or, with a breakpoint method, no breakpoint was emulated in an NMI.
 * stop_machine is skipped: an NMI runs on a "stopped" CPU anyway and may
 * execute a site while it is half written (the NMI problem Linux's
 * stop_machine-era ftrace had to work around).
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
	unsigned long nmi_calls, nmi_in_bp;
} __aligned(64);

static struct stress_cpu st[MAX_CPUS];
static volatile bool running, stop, send_nmis;
static unsigned int nmis_active;	/* stress_nmi() instances running */

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

/*
 * stress_nmi - the NMI callback while a run is on: one checked call of the
 * worker's own target.  nmis_active lets run() wait until no NMI is still
 * inside before it unregisters ops A.
 */
static void notrace stress_nmi(void)
{
	struct stress_cpu *s = &st[arch_cpu_id()];

	__atomic_add_fetch(&nmis_active, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&running, __ATOMIC_SEQ_CST)) {
		long x = -(long)s->nmi_calls;

		if (this_cpu()->bp_depth)
			s->nmi_in_bp++;
		if (target(x) != 3 * x + 1)
			s->wrong++;
		s->nmi_calls++;
	}
	__atomic_sub_fetch(&nmis_active, 1, __ATOMIC_SEQ_CST);
}

/* next_worker - the online CPU after this one, skipping @patcher. */
static unsigned int next_worker(unsigned int patcher)
{
	unsigned int c = arch_cpu_id();

	do
		c = (c + 1) % arch_nr_cpus();
	while (c == patcher || !cpu_online(c));
	return c;
}

static void worker(void *patcher)
{
	struct stress_cpu *s = &st[arch_cpu_id()];
	unsigned long calls = 0, wrong = 0;
	long x = arch_cpu_id() * 1000;
	unsigned int peer = next_worker((unsigned int)(unsigned long)patcher);

	while (!READ_ONCE(stop)) {
		for (int i = 0; i < 64; i++, x++)
			wrong += target(x) != 3 * x + 1;
		calls += 64;
		if (READ_ONCE(send_nmis))
			arch_send_nmi(peer);
		cpu_quiescent();
	}
	s->calls = calls;
	s->wrong += wrong;
}

struct run_result {
	unsigned long calls, wrong, hits_a, hits_b, nmi_calls, nmi_in_bp, nmis_nested;
	unsigned long flipped;		/* sites rewritten while the workers ran */
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

static int run(bool call_call, bool nmi, unsigned int flips, struct run_result *r)
{
	unsigned long ipis0 = smp_stats.ipis_sent, nested0 = 0, flipped0;
	int err;

	for (unsigned int c = 0; c < MAX_CPUS; c++)
		nested0 += cpu_state[c].nmis_nested;

	memset(st, 0, sizeof(st));
	memset(&text_poke_stats, 0, sizeof(text_poke_stats));
	if (call_call && (err = register_ftrace_function(&ops_a)))
		return err;
	WRITE_ONCE(stop, false);
	WRITE_ONCE(send_nmis, nmi);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_run_on(c, worker, (void *)(unsigned long)arch_cpu_id());
	__atomic_store_n(&running, true, __ATOMIC_SEQ_CST);
	flipped0 = text_poke_stats.sites;
	err = flip(call_call, flips);
	flipped0 = text_poke_stats.sites - flipped0;
	__atomic_store_n(&running, false, __ATOMIC_SEQ_CST);
	WRITE_ONCE(stop, true);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_wait_idle(c);
	WRITE_ONCE(send_nmis, false);
	while (__atomic_load_n(&nmis_active, __ATOMIC_SEQ_CST))
		arch_cpu_relax();	/* an NMI that saw running may still call */
	if (call_call)
		unregister_ftrace_function(&ops_a);
	memset(r, 0, sizeof(*r));
	r->nmis_nested = -nested0;
	for (unsigned int c = 0; c < MAX_CPUS; c++) {
		r->calls += st[c].calls + st[c].irq_calls + st[c].nmi_calls;
		r->nmi_calls += st[c].nmi_calls;
		r->nmi_in_bp += st[c].nmi_in_bp;
		r->nmis_nested += cpu_state[c].nmis_nested;
		r->wrong += st[c].wrong;
		r->hits_a += st[c].hits_a;
		r->hits_b += st[c].hits_b;
	}
	r->poke = text_poke_stats;
	r->flipped = flipped0;
	r->ipis = smp_stats.ipis_sent - ipis0;
	return err;
}

/*
 * stress [FLIPS] [METHOD|all] [nmi] - every method unless one is named;
 * `nmi` adds the NMI load.  Prints one line per run and a verdict.
 */
static int cmd_stress(int argc, char **argv)
{
	static const char usage[] = "usage: stress [FLIPS] [METHOD|all] [nmi]";
	unsigned long flips = 100;
	enum text_poke_method saved = text_poke_get_method(), first = 0, last = NR_POKE_METHODS - 1;
	int failures = 0, err = 0, a = 1;
	bool nmi = false;

	if (a < argc && argv[a][0] >= '0' && argv[a][0] <= '9' && kstrtoul(argv[a++], &flips))
		return cmd_err(-EINVAL, usage);
	if (a < argc && strcmp(argv[a], "nmi")) {
		if (strcmp(argv[a], "all")) {
			for (first = 0; first < NR_POKE_METHODS; first++)
				if (!strcmp(argv[a], text_poke_method_names[first]))
					break;
			if (first == NR_POKE_METHODS)
				return cmd_err(-EINVAL, "unknown patch method '%s'", argv[a]);
			last = first;
		}
		a++;
	}
	if (a < argc && !strcmp(argv[a], "nmi")) {
		nmi = true;
		a++;
	}
	if (a < argc)
		return cmd_err(-EINVAL, usage);
	if (nmi && first == POKE_STOP_MACHINE && last == first)
		return cmd_err(-EINVAL, "stress: stop_machine cannot patch under NMIs: "
			       "they run on the stopped CPUs");
	/* one NMI to this CPU, with no callback yet: -ENOTSUPP if there are none */
	if (nmi && (err = arch_send_nmi(arch_cpu_id())))
		return cmd_err(err, "stress: this architecture has no NMI");
	if ((err = ftrace_set_filter(&ops_a, "stress_target stress_irq_target", true)) ||
	    (err = ftrace_set_filter(&ops_b, "stress_target stress_irq_target", true)))
		return cmd_err(err, "stress: filters");
	printk_raw("stress: %u CPUs, %lu flips per run%s\n", num_online_cpus(), flips,
		   nmi ? ", NMIs between workers" : "");
	if (nmi)
		nmi_set_callback(stress_nmi);
	for (enum text_poke_method m = first; m <= last && !err; m++) {
		if (nmi && m == POKE_STOP_MACHINE) {
			printk_raw("stress: method=%s skipped: NMIs run on the stopped CPUs\n",
				   text_poke_method_names[m]);
			continue;
		}
		text_poke_set_method(m);
		for (int mode = 0; mode < 2 && !err; mode++) {
			struct run_result r;
			bool call_call = mode == 1, bp = m != POKE_STOP_MACHINE;
			bool workers = num_online_cpus() > 1;
			unsigned long lost;
			char nmi_text[128] = "";

			err = run(call_call, nmi, flips, &r);
			lost = call_call ? r.calls - r.hits_a : 0;
			unsigned long emulated = r.poke.bp_hits[BP_EMU_NOP] +
				r.poke.bp_hits[BP_EMU_CALL] + r.poke.bp_hits[BP_EMU_JMP];
			/*
			 * A breakpoint method must have been caught in the act at
			 * least once - unless no site changed while the workers
			 * ran (the sites already called what every update asks
			 * for, e.g. another tracer covers them): then there was
			 * no window to exercise, and nothing failed.
			 */
			bool ok = !err && !r.wrong && !lost &&
				  (!bp || !workers || !r.flipped || emulated);

			if (nmi) {
				ok = ok && (!workers || (r.nmi_calls && r.poke.bp_hits_nmi));
				snprintf(nmi_text, sizeof(nmi_text),
					 "nmi_calls=%lu nmi_bp_hits=%lu nmi_in_bp_handler=%lu "
					 "nmi_nested=%lu ",
					 r.nmi_calls, r.poke.bp_hits_nmi, r.nmi_in_bp, r.nmis_nested);
			}
			printk_raw("stress: method=%s mode=%s calls=%lu callbacks_a=%lu callbacks_b=%lu "
				   "lost=%lu wrong=%lu bp_hits=nop:%lu,call:%lu,jmp:%lu batches=%lu sites=%lu "
				   "sites_flipped_under_load=%lu "
				   "syncs=%lu settle_syncs=%lu restarts=%lu ipis=%lu %s%s\n",
				   text_poke_method_names[m], call_call ? "call->call" : "nop<->call",
				   r.calls, r.hits_a, r.hits_b, lost, r.wrong,
				   r.poke.bp_hits[BP_EMU_NOP], r.poke.bp_hits[BP_EMU_CALL],
				   r.poke.bp_hits[BP_EMU_JMP], r.poke.batches, r.poke.sites,
				   r.flipped,
				   r.poke.syncs, r.poke.settle_syncs, r.poke.restarts, r.ipis, nmi_text,
				   ok ? "ok" : "FAIL");
			failures += !ok;
		}
	}
	nmi_set_callback(NULL);
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

static void settle_read(void)
{
	printk_raw("%d\n", text_poke_settles());
}

/* patch_settle: 1 rewrites final bytes after the last sync (text_poke.c), 0 not. */
static int settle_write(const char *text, bool append)
{
	if (strcmp(text, "0") && strcmp(text, "1"))
		return -EINVAL;
	text_poke_set_settle(text[0] == '1');
	return 0;
}

static const struct tfile settle_file = { "patch_settle", settle_read, settle_write };

static const struct shell_cmd stress_cmds[] = {
	{ "stress", "[FLIPS] [METHOD|all] [nmi]", "flip traced sites under load on every CPU", cmd_stress },
	{ NULL, NULL, NULL, NULL },
};

void stress_init(void)
{
	shell_register_cmds(stress_cmds);
	fs_register(&method_file);
	fs_register(&settle_file);
}
