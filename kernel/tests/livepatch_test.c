/*
 * livepatch_test.c - the live patching scenarios' in-kernel side:
 *
 *  klp_stress [TOGGLES] [CYCLES] [busy] [naive]
 *	workers on every other CPU (and every CPU's timer interrupt) call
 *	klp_outer() in a loop while this CPU enables and disables a patch of
 *	klp_outer and klp_inner CYCLES times, and, while it is enabled,
 *	toggles the function tracer on the same two functions (their sites
 *	then move call -> call between the patch's trampoline and
 *	ftrace_regs_caller) TOGGLES times in all.  Every call is counted
 *	where it runs (klp_targets.h).  One key=value line, then ok or FAIL:
 *	  orig_calls_enabled  calls of an original after an enable returned
 *	                      and before the disable began: must be 0
 *	  new_calls_disabled  calls of a replacement after a disable returned
 *	                      and before the next enable began: must be 0
 *	  in_old_at_enable, in_new_at_disable
 *	                      CPUs inside the side just left when the enable
 *	                      (disable) returned: must be 0
 *	  mixed               call chains that ran an old and a new function
 *	                      (results 12 or 21): must be 0
 *	  lost                calls made minus calls that ran one version of
 *	                      klp_outer, and klp_outer runs minus klp_inner
 *	                      runs: must be 0 (none skipped, none doubled)
 *	  wrong               any other result: must be 0
 *	  transition_old / transition_new
 *	                      calls of each side while enables ran: both
 *	                      nonzero shows the CPUs switched at different
 *	                      times under load
 *	Workers call in bursts that IPIs start (below); `busy` keeps them
 *	calling without a pause.  `naive` is the negative control: every CPU
 *	is switched at once from this one, wherever it is (livepatch.h:
 *	klp_transition_naive); under `busy` load mixed chains then appear.
 *
 *  klp_load start|stop
 *	the same workers in the background, also calling klp_reuse_target(),
 *	while the console goes on (insmod, rmmod, echo ...); stop prints the
 *	counts: for klp_reuse_target each result (x+1 original, x+2 module a,
 *	x+3 module b) must match the calls each version counted itself.
 *
 *  klp_direct on FUNC [share|noshare|refuse] | off | show
 *	a direct ops on FUNC calling klp_test_direct_tramp (kernel/tests/
 *	<arch>/livepatch_test.S), whose ops_func agrees to share with a live
 *	patch (share), is missing (noshare) or refuses (refuse).
 *
 * and the test-klp-reuse-a / -b modules: patches of klp_reuse_target
 * whose replacements live in their module blobs, so unloading frees them
 * and the next load reuses the memory.
 */
#include "kernel.h"
#include "ftrace.h"
#include "livepatch.h"
#include "module.h"
#include "shell.h"
#include "smp.h"
#include "percpu.h"
#include "klp_targets.h"

/* ---- workers ------------------------------------------------------------- */

struct klp_worker_counts {
	unsigned long calls, old, new, mixed, wrong;
	unsigned long reuse_calls, reuse[3], reuse_wrong;
} __aligned(64);

/* [cpu]: the worker's own counts; the timer interrupt's are kept apart. */
static struct klp_worker_counts task_counts[MAX_CPUS], irq_counts[MAX_CPUS];
static long (*volatile outer)(long) = klp_outer;
static long (*volatile reuse)(long) = klp_reuse_target;
static volatile bool workers_stop, ticks_on, workers_reuse;
static bool load_running;

/* classify - count one klp_outer() result. */
static void classify(struct klp_worker_counts *w, long r)
{
	w->calls++;
	if (r == KLP_OUTER_OLD)
		w->old++;
	else if (r == KLP_OUTER_NEW)
		w->new++;
	else if (r == 12 || r == 21)
		w->mixed++;
	else
		w->wrong++;
}

/* classify_reuse - count one klp_reuse_target(@x) result: x + 1, 2 or 3. */
static void classify_reuse(struct klp_worker_counts *w, long x, long r)
{
	w->reuse_calls++;
	if (r - x >= 1 && r - x <= 3)
		w->reuse[r - x - 1]++;
	else
		w->reuse_wrong++;
}

/* klp_stress_tick - from timer_tick() on every CPU: one call in irq context. */
void klp_stress_tick(void)
{
	if (READ_ONCE(ticks_on))
		classify(&irq_counts[arch_cpu_id()], outer(arch_cpu_id()));
}

/*
 * Workers call in bursts of burst_us microseconds and then sleep until an
 * interrupt: a vCPU that halts gives its host thread back, so on a host
 * with fewer cores than vCPUs the patching CPU is not starved, and every
 * IPI the patching sends (each text sync, each transition's kick) wakes
 * the workers into a burst right inside the window it opens.  The timer
 * tick wakes them too.  Sleeping is a quiescent point (cpu_idle_wait).
 * A burst is bounded in time, not in calls: inside a window every call
 * takes the breakpoint, and a long burst of those would starve the
 * patching CPU in turn.  `klp_load` runs them without sleeping (0).
 */
#define BURST_US	50
#define BURST_FOREVER	0

static unsigned long worker_burst_us = BURST_US;

/*
 * worker - on every other CPU until workers_stop: batches of calls, a
 * quiescent point between batches (where a transition switches the CPU).
 */
static void worker(void *unused)
{
	struct klp_worker_counts *w = &task_counts[arch_cpu_id()];
	long x = arch_cpu_id() * 1000000;
	u64 burst_ns = READ_ONCE(worker_burst_us) * 1000, end = arch_clock_ns() + burst_ns;

	while (!READ_ONCE(workers_stop)) {
		for (int i = 0; i < 16; i++, x++)
			classify(w, outer(x));
		if (READ_ONCE(workers_reuse))	/* one: its replacements take long */
			classify_reuse(w, x, reuse(x));
		cpu_quiescent();
		if (burst_ns && arch_clock_ns() >= end) {
			arch_irq_disable();
			if (READ_ONCE(workers_stop))
				arch_irq_enable();
			else
				cpu_idle_wait();	/* returns with interrupts on */
			end = arch_clock_ns() + burst_ns;
		}
	}
}

/*
 * workers_start - clear every count and start a worker on each other CPU;
 * @burst_us: how long each burst lasts, or BURST_FOREVER.
 */
static void workers_start(bool with_reuse, unsigned long burst_us)
{
	memset(task_counts, 0, sizeof(task_counts));
	memset(irq_counts, 0, sizeof(irq_counts));
	memset(klp_target_counts, 0, sizeof(klp_target_counts));
	WRITE_ONCE(workers_stop, false);
	WRITE_ONCE(workers_reuse, with_reuse);
	WRITE_ONCE(worker_burst_us, burst_us);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_run_on(c, worker, NULL);
	WRITE_ONCE(ticks_on, true);
}

/* workers_stop_wait - stop them and wait until every worker has returned. */
static void workers_stop_wait(void)
{
	WRITE_ONCE(ticks_on, false);
	WRITE_ONCE(workers_stop, true);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			arch_send_ipi(c);	/* out of a sleep */
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_wait_idle(c);
	synchronize_quiescent();	/* and every tick that saw ticks_on */
}

/* sum_workers - the task and irq counts of every CPU added up. */
static struct klp_worker_counts sum_workers(void)
{
	struct klp_worker_counts s = { 0 };

	for (int c = 0; c < MAX_CPUS; c++)
		for (int k = 0; k < 2; k++) {
			const struct klp_worker_counts *w = k ? &irq_counts[c] : &task_counts[c];

			s.calls += READ_ONCE(w->calls);
			s.old += READ_ONCE(w->old);
			s.new += READ_ONCE(w->new);
			s.mixed += READ_ONCE(w->mixed);
			s.wrong += READ_ONCE(w->wrong);
			s.reuse_calls += READ_ONCE(w->reuse_calls);
			for (int i = 0; i < 3; i++)
				s.reuse[i] += READ_ONCE(w->reuse[i]);
			s.reuse_wrong += READ_ONCE(w->reuse_wrong);
		}
	return s;
}

/* What the targets counted of their own calls, all CPUs. */
struct target_sums {
	unsigned long outer_old, outer_new, inner_old, inner_new, reuse_old;
	long in_old, in_new;
};

/* sum_targets - the targets' own counts, every CPU added up. */
static struct target_sums sum_targets(void)
{
	struct target_sums s = { 0 };

	for (int c = 0; c < MAX_CPUS; c++) {
		const struct klp_target_counts *t = &klp_target_counts[c];

		s.outer_old += __atomic_load_n(&t->outer_old, __ATOMIC_RELAXED);
		s.outer_new += __atomic_load_n(&t->outer_new, __ATOMIC_RELAXED);
		s.inner_old += __atomic_load_n(&t->inner_old, __ATOMIC_RELAXED);
		s.inner_new += __atomic_load_n(&t->inner_new, __ATOMIC_RELAXED);
		s.reuse_old += __atomic_load_n(&t->reuse_old, __ATOMIC_RELAXED);
		s.in_old += __atomic_load_n(&t->in_old, __ATOMIC_RELAXED);
		s.in_new += __atomic_load_n(&t->in_new, __ATOMIC_RELAXED);
	}
	return s;
}

/* absdiff - |a - b|: a count that should match another, off by this much. */
static unsigned long absdiff(unsigned long a, unsigned long b)
{
	return a > b ? a - b : b - a;
}

/* ---- klp_stress ---------------------------------------------------------- */

static struct klp_func stress_funcs[] = {
	{ .old_name = "klp_outer", .new_func = klp_outer_v2 },
	{ .old_name = "klp_inner", .new_func = klp_inner_v2 },
	{ }
};

static struct klp_object stress_objs[] = { { .funcs = stress_funcs }, { } };
static struct klp_patch stress_patch = { .name = "klp_stress", .objs = stress_objs };

/* set_file - write @text to the tracing file @name, as `echo` would. */
static int set_file(const char *name, const char *text)
{
	const struct tfile *f = fs_lookup(name);

	return f ? fs_write(f, text, false) : -ENOENT;
}

/* toggle - the function tracer on and off @n times (its filter is set). */
static int toggle(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		int err = set_file("current_tracer", "function");

		if (!err)
			err = set_file("current_tracer", "nop");
		if (err)
			return err;
	}
	return 0;
}

/* wait_us - let the workers run for @us, quiescent here. */
static void wait_us(unsigned long us)
{
	u64 end = arch_clock_ns() + (u64)us * 1000;

	while (arch_clock_ns() < end) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

struct stress_result {
	unsigned long orig_enabled, new_disabled, in_old_at_enable, in_new_at_disable;
	unsigned long transition_old, transition_new;
};

/*
 * stress_cycles - CYCLES enables and disables under load, toggling the
 * tracer TOGGLES times in all while enabled.  Counts (see the top of the
 * file) into @r; 0 or the first error.
 */
static int stress_cycles(unsigned long toggles, unsigned long cycles, struct stress_result *r)
{
	struct target_sums s0, s1, s2, s3 = sum_targets();
	int err = 0;

	for (unsigned long c = 0; c < cycles && !err; c++) {
		wait_us(200);		/* calls while disabled */
		s0 = sum_targets();
		r->new_disabled += (s0.outer_new - s3.outer_new) + (s0.inner_new - s3.inner_new);
		err = klp_enable_patch(&stress_patch);
		if (err)
			break;
		s1 = sum_targets();
		r->in_old_at_enable += s1.in_old;
		r->transition_old += s1.outer_old - s0.outer_old;
		r->transition_new += s1.outer_new - s0.outer_new;
		err = toggle(toggles / cycles + (c < toggles % cycles));
		wait_us(200);
		s2 = sum_targets();
		r->orig_enabled += (s2.outer_old - s1.outer_old) + (s2.inner_old - s1.inner_old);
		if (klp_disable_patch(&stress_patch))
			panic("klp_stress: the patch it enabled is not enabled");
		s3 = sum_targets();
		r->in_new_at_disable += s3.in_new;
	}
	wait_us(200);
	s0 = sum_targets();
	r->new_disabled += (s0.outer_new - s3.outer_new) + (s0.inner_new - s3.inner_new);
	return err;
}

/*
 * klp_stress [TOGGLES] [CYCLES] [busy] [naive] - the scenario at the top of the
 * file; -EIO when a check fails.
 */
static int cmd_klp_stress(int argc, char **argv)
{
	static const char usage[] = "usage: klp_stress [TOGGLES] [CYCLES] [busy] [naive]";
	unsigned long toggles = 1000, cycles = 10, lost, bp0, sites0, emulated, kicks0;
	struct stress_result r = { 0 };
	struct klp_worker_counts w;
	struct target_sums t;
	bool ok, busy = false, naive = false;
	int a = 1, err;

	if (a < argc && argv[a][0] >= '0' && argv[a][0] <= '9' && kstrtoul(argv[a++], &toggles))
		return cmd_err(-EINVAL, usage);
	if (a < argc && argv[a][0] >= '0' && argv[a][0] <= '9' &&
	    (kstrtoul(argv[a++], &cycles) || !cycles))
		return cmd_err(-EINVAL, usage);
	for (; a < argc; a++) {
		if (!strcmp(argv[a], "busy"))
			busy = true;
		else if (!strcmp(argv[a], "naive"))
			naive = true;
		else
			return cmd_err(-EINVAL, usage);
	}
	if (load_running)
		return cmd_err(-EBUSY, "klp_stress: klp_load is running");
	err = set_file("set_ftrace_filter", "klp_outer klp_inner");
	if (err)
		return cmd_err(err, "klp_stress: set_ftrace_filter: %s", errno_name(err));
	bp0 = text_poke_stats.bp_hits[BP_EMU_NOP] + text_poke_stats.bp_hits[BP_EMU_CALL] +
	      text_poke_stats.bp_hits[BP_EMU_JMP];
	sites0 = text_poke_stats.sites;
	kicks0 = klp_stats.kicks;
	klp_transition_naive = naive;
	workers_start(false, busy ? BURST_FOREVER : BURST_US);
	err = stress_cycles(toggles, cycles, &r);
	workers_stop_wait();
	klp_transition_naive = false;
	set_file("current_tracer", "nop");
	set_file("set_ftrace_filter", "");
	if (err)
		return cmd_err(err, "klp_stress: %s", errno_name(err));
	emulated = text_poke_stats.bp_hits[BP_EMU_NOP] + text_poke_stats.bp_hits[BP_EMU_CALL] +
		   text_poke_stats.bp_hits[BP_EMU_JMP] - bp0;
	w = sum_workers();
	t = sum_targets();
	lost = absdiff(w.calls, t.outer_old + t.outer_new) +
	       absdiff(t.outer_old + t.outer_new, t.inner_old + t.inner_new);
	ok = !r.orig_enabled && !r.new_disabled && !r.in_old_at_enable && !r.in_new_at_disable &&
	     !w.mixed && !w.wrong && !lost && w.calls;
	printk_raw("klp_stress: cpus=%u cycles=%lu toggles=%lu calls=%lu old=%lu new=%lu "
		   "orig_calls_enabled=%lu new_calls_disabled=%lu in_old_at_enable=%lu "
		   "in_new_at_disable=%lu mixed=%lu wrong=%lu lost=%lu transition_old=%lu "
		   "transition_new=%lu bp_emulated=%lu sites_changed=%lu transitions=%lu "
		   "kicks=%lu %s\n",
		   num_online_cpus(), cycles, toggles, w.calls, w.old, w.new, r.orig_enabled,
		   r.new_disabled, r.in_old_at_enable, r.in_new_at_disable, w.mixed, w.wrong, lost,
		   r.transition_old, r.transition_new, emulated, text_poke_stats.sites - sites0,
		   2 * cycles, klp_stats.kicks - kicks0, ok ? "ok" : "FAIL");
	return ok ? 0 : cmd_err(-EIO, "klp_stress: a check failed");
}

/* ---- klp_load: the workers in the background ----------------------------- */

/* The reuse modules' blobs: where each load put its copy (distinct ones). */
#define MAX_BLOB_ADDRS	8
static unsigned long blob_addrs[MAX_BLOB_ADDRS], blob_loads;
static unsigned int nr_blob_addrs;

/* note_blob_load - a reuse module was loaded at @addr. */
static void note_blob_load(unsigned long addr)
{
	blob_loads++;
	for (unsigned int i = 0; i < nr_blob_addrs; i++)
		if (blob_addrs[i] == addr)
			return;
	if (nr_blob_addrs < MAX_BLOB_ADDRS)
		blob_addrs[nr_blob_addrs++] = addr;
}

unsigned long klp_reuse_hits[2];	/* counted by the blobs themselves */

/*
 * klp_load start|stop - start the workers (klp_outer and klp_reuse_target)
 * and return to the prompt; stop them and print the counts, ok or FAIL.
 */
static int cmd_klp_load(int argc, char **argv)
{
	struct klp_worker_counts w;
	struct target_sums t;
	unsigned long hits[2], lost;
	bool ok;

	if (argc == 2 && !strcmp(argv[1], "start")) {
		if (load_running)
			return cmd_err(-EBUSY, "klp_load: already running");
		if (num_online_cpus() < 2)
			return cmd_err(-EINVAL, "klp_load: needs a second CPU");
		klp_reuse_hits[0] = klp_reuse_hits[1] = 0;
		blob_loads = nr_blob_addrs = 0;
		workers_start(true, BURST_FOREVER);
		load_running = true;
		return 0;
	}
	if (argc != 2 || strcmp(argv[1], "stop"))
		return cmd_err(-EINVAL, "usage: klp_load start|stop");
	if (!load_running)
		return cmd_err(-EINVAL, "klp_load: not running");
	workers_stop_wait();
	load_running = false;
	w = sum_workers();
	t = sum_targets();
	hits[0] = READ_ONCE(klp_reuse_hits[0]);
	hits[1] = READ_ONCE(klp_reuse_hits[1]);
	lost = absdiff(w.calls, t.outer_old + t.outer_new) +
	       absdiff(t.outer_old + t.outer_new, t.inner_old + t.inner_new);
	/* Each result must come from a call its version counted, and back. */
	ok = !w.mixed && !w.wrong && !lost && !w.reuse_wrong && w.reuse_calls &&
	     w.reuse[0] == t.reuse_old && w.reuse[1] == hits[0] && w.reuse[2] == hits[1];
	printk_raw("klp_load: calls=%lu old=%lu new=%lu mixed=%lu wrong=%lu lost=%lu "
		   "reuse_calls=%lu reuse_orig=%lu reuse_a=%lu reuse_b=%lu reuse_wrong=%lu "
		   "orig_counted=%lu a_counted=%lu b_counted=%lu blob_loads=%lu blob_addrs=%u %s\n",
		   w.calls, w.old, w.new, w.mixed, w.wrong, lost, w.reuse_calls, w.reuse[0],
		   w.reuse[1], w.reuse[2], w.reuse_wrong, t.reuse_old, hits[0], hits[1],
		   blob_loads, nr_blob_addrs, ok ? "ok" : "FAIL");
	return ok ? 0 : cmd_err(-EIO, "klp_load: a check failed");
}

/* ---- the reuse modules ------------------------------------------------- */

extern char klp_reuse_blob_a_start[], klp_reuse_blob_a_end[], klp_reuse_blob_a_new[];
extern char klp_reuse_blob_b_start[], klp_reuse_blob_b_end[], klp_reuse_blob_b_new[];

struct reuse_module {
	struct klp_func funcs[2];
	struct klp_object objs[2];
	struct klp_patch patch;
	char *new_func;			/* in the blob, as linked */
};

static struct reuse_module reuse_mods[2] = {
	{ .new_func = klp_reuse_blob_a_new },
	{ .new_func = klp_reuse_blob_b_new },
};

/*
 * reuse_init - load: point the patch at the replacement's loaded copy
 * (module_sym) and enable it.
 */
static int reuse_init(struct reuse_module *r, struct tb_module *mod)
{
	unsigned long at = module_sym(mod, r->new_func);

	memset(r->funcs, 0, sizeof(r->funcs));
	memset(r->objs, 0, sizeof(r->objs));
	r->funcs[0].old_name = "klp_reuse_target";
	r->funcs[0].new_func = (void *)at;
	r->objs[0].funcs = r->funcs;
	r->patch.objs = r->objs;
	r->patch.mod = mod;
	note_blob_load(at);
	return klp_enable_patch(&r->patch);
}

/* reuse_a_init / reuse_b_init - the two modules' insmod. */
static int reuse_a_init(struct tb_module *mod)
{
	return reuse_init(&reuse_mods[0], mod);
}

static int reuse_b_init(struct tb_module *mod)
{
	return reuse_init(&reuse_mods[1], mod);
}

/*
 * reuse_a_exit / reuse_b_exit - rmmod: refused while enabled; once the
 * patch is disabled no CPU can be in the blob, which module.c then frees.
 */
static int reuse_a_exit(struct tb_module *mod)
{
	return klp_module_exit(&reuse_mods[0].patch);
}

static int reuse_b_exit(struct tb_module *mod)
{
	return klp_module_exit(&reuse_mods[1].patch);
}

MODULE(test_klp_reuse_a, "test-klp-reuse-a", reuse_a_init, reuse_a_exit,
       klp_reuse_blob_a_start, klp_reuse_blob_a_end);
MODULE(test_klp_reuse_b, "test-klp-reuse-b", reuse_b_init, reuse_b_exit,
       klp_reuse_blob_b_start, klp_reuse_blob_b_end);

/* ---- klp_direct: a direct ops beside a live patch ------------------------ */

extern char klp_test_direct_tramp[];
unsigned long klp_test_direct_hits;	/* counted by the trampoline */

static const char *const ops_cmd_names[] = {
	[FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF] = "ENABLE_SHARE_IPMODIFY_SELF",
	[FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER] = "ENABLE_SHARE_IPMODIFY_PEER",
	[FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER] = "DISABLE_SHARE_IPMODIFY_PEER",
};

static bool direct_refuses;

/*
 * direct_ops_func - the negotiation (ftrace.h): the trampoline returns
 * into wherever the call continues, a live patch's replacement included,
 * so it can always share, unless told to refuse.  One console line per
 * question, so the scenarios see which ftrace asked.
 */
static int direct_ops_func(struct ftrace_ops *op, enum ftrace_ops_cmd cmd)
{
	int ret = direct_refuses && cmd != FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER ? -EBUSY : 0;

	printk("klp_direct: ops_func %s -> %d\n", ops_cmd_names[cmd], ret);
	return ret;
}

static struct ftrace_ops direct_ops = { .name = "klp_direct" };

/* direct_show - one key=value line about the direct ops. */
static void direct_show(void)
{
	printk_raw("klp_direct: registered=%d share_ipmodify=%d ops_func=%s hits=%lu\n",
		   !!(direct_ops.flags & FTRACE_OPS_FL_ENABLED),
		   !!(direct_ops.flags & FTRACE_OPS_FL_SHARE_IPMODIFY),
		   !direct_ops.ops_func ? "none" : direct_refuses ? "refuse" : "share",
		   READ_ONCE(klp_test_direct_hits));
}

/* klp_direct on FUNC [share|noshare|refuse] | off | show */
static int cmd_klp_direct(int argc, char **argv)
{
	static const char usage[] = "usage: klp_direct on FUNC [share|noshare|refuse] | off | show";
	unsigned long addr = (unsigned long)klp_test_direct_tramp;
	int err;

	if (argc == 2 && !strcmp(argv[1], "show")) {
		direct_show();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "off")) {
		err = unregister_ftrace_direct(&direct_ops, addr, true);
		if (err)
			return cmd_err(err, "klp_direct: not registered");
		direct_show();
		return 0;
	}
	if (argc < 3 || argc > 4 || strcmp(argv[1], "on"))
		return cmd_err(-EINVAL, usage);
	if (direct_ops.flags & FTRACE_OPS_FL_ENABLED)
		return cmd_err(-EBUSY, "klp_direct: already registered");
	if (argc == 3 || !strcmp(argv[3], "share") || !strcmp(argv[3], "refuse")) {
		direct_ops.ops_func = direct_ops_func;
		direct_refuses = argc == 4 && !strcmp(argv[3], "refuse");
	} else if (!strcmp(argv[3], "noshare")) {
		direct_ops.ops_func = NULL;
	} else {
		return cmd_err(-EINVAL, usage);
	}
	err = ftrace_set_filter(&direct_ops, argv[2], true);
	if (err)
		return cmd_err(err, "klp_direct: no function '%s'", argv[2]);
	err = register_ftrace_direct(&direct_ops, addr);
	if (err) {
		ftrace_set_filter(&direct_ops, "", true);
		return cmd_err(err, "klp_direct: register_ftrace_direct on %s: %s", argv[2],
			       errno_name(err));
	}
	direct_show();
	return 0;
}

static const struct shell_cmd livepatch_test_cmds[] = {
	{ "klp_stress", "[TOGGLES] [CYCLES] [busy] [naive]",
	  "live patch enabled/disabled and traced under load on every CPU", cmd_klp_stress },
	{ "klp_load", "start|stop", "call live-patched functions on every other CPU",
	  cmd_klp_load },
	{ "klp_direct", "on FUNC [share|noshare|refuse]|off|show",
	  "a direct ops beside a live patch", cmd_klp_direct },
	{ NULL, NULL, NULL, NULL },
};

/* livepatch_test_init - the commands; boot CPU, before the prompt. */
void livepatch_test_init(void)
{
	shell_register_cmds(livepatch_test_cmds);
}
