/*
 * bench.c - the `bench` command: per-call cost of a traced function in each
 * site configuration, measured in the guest with arch_clock_ns().
 *
 * Under QEMU -icount shift=0 the guest clock advances exactly 1 ns per
 * instruction, so the same command reports deterministic instruction counts;
 * without it, nanoseconds of (emulated) time.  `make bench` runs both.
 */
#include "kernel.h"
#include "ftrace.h"
#include "shell.h"
#include "smp.h"
#include "livepatch.h"
#include "klp_targets.h"

long bench_target(long x);
long bench_target_nosite(long x);

static long (*volatile target)(long);
static unsigned long hits;

static void notrace bench_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	hits++;
}

static struct ftrace_ops bench_ops[2] = {
	{ .func = bench_func, .name = "bench1" },
	{ .func = bench_func, .name = "bench2" },
};

/* run - ns per call of @fn over @n calls (loop and indirect call included). */
static u64 run(long (*fn)(long), unsigned long n)
{
	u64 t0, t1;
	long acc = 0;

	target = fn;
	acc += target(0);	/* warm up: translation, caches */
	t0 = arch_clock_ns();
	for (unsigned long i = 0; i < n; i++)
		acc += target((long)i);
	t1 = arch_clock_ns();
	barrier();
	return acc ? (t1 - t0) * 1000 / n : 0;	/* in 1/1000 ns */
}

static void row(const char *name, u64 milli_ns, u64 base)
{
	printk_raw("bench: %-40s %8lu.%03lu %6lu.%02lu\n", name,
		   (unsigned long)(milli_ns / 1000), (unsigned long)(milli_ns % 1000),
		   (unsigned long)(milli_ns / base), (unsigned long)(milli_ns * 100 / base % 100));
}

static int setup(int nops, unsigned long flags0)
{
	int err;

	bench_ops[0].flags = flags0;
	for (int i = 0; i < nops; i++) {
		err = ftrace_set_filter(&bench_ops[i], "bench_target", true);
		if (!err)
			err = register_ftrace_function(&bench_ops[i]);
		if (err)
			return err;
	}
	return 0;
}

static void teardown(int nops)
{
	for (int i = 0; i < nops; i++)
		if (bench_ops[i].flags & FTRACE_OPS_FL_ENABLED)
			unregister_ftrace_function(&bench_ops[i]);
}

/* The live-patched rows: bench_target sent to bench_target_v2 (same result). */
static struct klp_func bench_klp_funcs[] = {
	{ .old_name = "bench_target", .new_func = bench_target_v2 },
	{ }
};
static struct klp_object bench_klp_objs[] = { { .funcs = bench_klp_funcs }, { } };
static struct klp_patch bench_klp = { .name = "bench_klp", .objs = bench_klp_objs };

/*
 * klp_rows - a live-patched call: alone (the patch's own regs trampoline,
 * then the replacement), and with another ops on the function
 * (ftrace_regs_caller and the list walk).  Each call must run the
 * replacement.  0, or -errno after one error line; on the mcount flavours
 * a note instead of the rows (no entry sites: -ENOTSUPP).
 */
static int klp_rows(unsigned long n, u64 base)
{
	int err = klp_enable_patch(&bench_klp);
	u64 t;

	if (err == -ENOTSUPP) {
		printk_raw("bench: live-patched call: not here (mcount sites: -ENOTSUPP)\n");
		return 0;
	}
	if (err)
		return cmd_err(err, "bench: live-patched call: enabling the patch failed");
	for (int nops = 0; nops < 2 && !err; nops++) {
		bench_target_v2_calls = 0;
		hits = 0;
		err = setup(nops, 0);
		t = err ? 0 : run(bench_target, n);
		teardown(nops);
		if (err)
			break;
		if (bench_target_v2_calls != n + 1 || hits != (n + 1) * nops) {
			err = -EIO;
			break;
		}
		row(nops ? "live-patched + ops (regs caller+list)" : "live-patched call (own regs tramp)",
		    t, base);
	}
	klp_disable_patch(&bench_klp);
	if (err)
		return cmd_err(err, "bench: live-patched call: %lu of %lu calls replaced",
			       bench_target_v2_calls, n + 1);
	return 0;
}

/* ---- direct calls: bench_direct_tramp (kernel/tests/<arch>/bench-direct.S) ---- */

extern char bench_direct_tramp[];
void bench_direct_func(void);

/* bench_direct_func - what bench_direct_tramp calls: a count, as bench_func. */
void notrace bench_direct_func(void)
{
	hits++;
}

static struct ftrace_ops direct_ops = { .name = "bench_direct" };

/* ---- 200 unrelated ops, each on its own function ---- */

#define NR_UNRELATED	200

static struct ftrace_ops *unrelated;
static unsigned long unrelated_hits;

/* bench_other - the unrelated ops' callback: counted apart (it must never run). */
static void notrace bench_other(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	unrelated_hits++;
}

/* unrelated_unregister - undo unrelated_register(), however far it got. */
static void unrelated_unregister(void)
{
	for (int i = 0; unrelated && i < NR_UNRELATED; i++) {
		struct ftrace_hash *h = unrelated[i].local_hash.filter_hash;

		if (unrelated[i].flags & FTRACE_OPS_FL_ENABLED)
			unregister_ftrace_function(&unrelated[i]);
		unrelated[i].local_hash.filter_hash = NULL;
		if (h) {
			ftrace_hash_clear(h);
			kfree(h);
		}
	}
	kfree(unrelated);
	unrelated = NULL;
}

/*
 * unrelated_register - register NR_UNRELATED ops, ops i on gen_func_<i>
 * alone (functions nothing calls), as a kernel with many tracing users
 * has; the time it took in *@us.  0, or -errno with none left registered.
 */
static int unrelated_register(unsigned long *us)
{
	u64 t0 = arch_clock_ns();
	int err = 0;

	unrelated = kzalloc(NR_UNRELATED * sizeof(*unrelated));
	if (!unrelated)
		return -ENOMEM;
	for (int i = 0; i < NR_UNRELATED && !err; i++) {
		char name[32];
		struct dyn_ftrace *rec;
		struct ftrace_hash *h = kzalloc(sizeof(*h));

		snprintf(name, sizeof(name), "gen_func_%d", i);
		rec = ftrace_rec_for_func(kallsyms_lookup_name(name, NULL));
		unrelated[i].func = bench_other;
		unrelated[i].name = "bench_unrelated";
		unrelated[i].local_hash.filter_hash = h;
		err = !h ? -ENOMEM : !rec ? -ENOENT : ftrace_hash_add(h, rec->ip);
		if (!err)
			err = register_ftrace_function(&unrelated[i]);
	}
	if (err)
		unrelated_unregister();
	*us = (unsigned long)((arch_clock_ns() - t0) / 1000);
	return err;
}

/* ---- an exhausted trampoline pool ---- */

#define POOL_GRAIN	64

static unsigned long *pool_taken;
static unsigned long pool_ntaken;

/* pool_release - give back what pool_exhaust() took. */
static void pool_release(void)
{
	while (pool_ntaken)
		tramp_release(pool_taken[--pool_ntaken], POOL_GRAIN);
	kfree(pool_taken);
	pool_taken = NULL;
}

/*
 * pool_exhaust - allocate trampoline memory until none is left, so new
 * ops get no trampoline of their own and their sites fall back to the
 * per-record caller.  0 or -ENOMEM.
 */
static int pool_exhaust(void)
{
	unsigned long cap = (1 << 20) / POOL_GRAIN, a;

	pool_taken = kmalloc(cap * sizeof(*pool_taken));
	if (!pool_taken)
		return -ENOMEM;
	while (pool_ntaken < cap && (a = tramp_alloc(POOL_GRAIN)))
		pool_taken[pool_ntaken++] = a;
	return 0;
}

/* ---- the table ---- */

/*
 * A configuration: @nops ops on bench_target (the first with @flags), the
 * first of them the direct ops when @direct, with @unrelated ops on other
 * functions registered first, in an exhausted pool when @pool_full.
 */
struct bench_cfg {
	const char *name;
	int nops;
	unsigned long flags;
	bool direct, unrelated, pool_full;
};

static const struct bench_cfg cfgs[] = {
	{ "one ops (own trampoline)", 1, 0 },
	{ "one SAVE_REGS ops (own regs tramp)", 1, FTRACE_OPS_FL_SAVE_REGS },
	{ "two ops (ftrace_caller + list)", 2, 0 },
	{ "two ops (ftrace_regs_caller + list)", 2, FTRACE_OPS_FL_SAVE_REGS },
	{ "direct trampoline alone", 1, 0, .direct = true },
	{ "direct via ftrace_regs_caller (+1 ops)", 2, 0, .direct = true },
	{ "one ops among 200 (own trampolines)", 1, 0, .unrelated = true },
	{ "two ops among 200 (list walks 202)", 2, 0, .unrelated = true },
	{ "one ops, pool full (per-record caller)", 1, 0, .pool_full = true },
	{ "one ops among 200, pool full (per-rec)", 1, 0, .unrelated = true, .pool_full = true },
	{ "two ops among 200, pool full (list)", 2, 0, .unrelated = true, .pool_full = true },
};

/* cfg_setup - build @c's configuration; 0 or -errno (cfg_teardown undoes either). */
static int cfg_setup(const struct bench_cfg *c, unsigned long *reg_us)
{
	int err = c->pool_full ? pool_exhaust() : 0;

	*reg_us = 0;
	if (!err && c->unrelated)
		err = unrelated_register(reg_us);
	if (err || !c->direct)
		return err ? err : setup(c->nops, c->flags);
	err = ftrace_set_filter(&direct_ops, "bench_target", true);
	if (!err)
		err = register_ftrace_direct(&direct_ops, (unsigned long)bench_direct_tramp);
	for (int i = 1; i < c->nops && !err; i++) {
		err = ftrace_set_filter(&bench_ops[i], "bench_target", true);
		if (!err)
			err = register_ftrace_function(&bench_ops[i]);
	}
	return err;
}

/* cfg_teardown - undo cfg_setup(), whatever it got to. */
static void cfg_teardown(const struct bench_cfg *c)
{
	if (direct_ops.flags & FTRACE_OPS_FL_ENABLED)
		unregister_ftrace_direct(&direct_ops, (unsigned long)bench_direct_tramp, true);
	teardown(2);
	bench_ops[0].flags = 0;
	unrelated_unregister();
	pool_release();
}

/*
 * bench [N] - one table; the ratio column is relative to the plain call.
 * Each configuration with unrelated ops also prints how long registering
 * them took: "bench_info: <config>: registered 200 ops in N us".
 */
static int cmd_bench(int argc, char **argv)
{
	unsigned long n = 20000;
	u64 base, t;

	if (argc > 2 || (argc == 2 && (kstrtoul(argv[1], &n) || !n)))
		return cmd_err(-EINVAL, "usage: bench [CALLS]");
	printk_raw("bench: %-40s %12s %9s\n", "config (per call)", "ns", "ratio");
	base = run(bench_target_nosite, n);
	if (!base)
		base = 1;
	row("plain call (no site)", base, base);
	row("nop site", run(bench_target, n), base);
	for (size_t i = 0; i < ARRAY_SIZE(cfgs); i++) {
		const struct bench_cfg *c = &cfgs[i];
		unsigned long reg_us;
		int err = cfg_setup(c, &reg_us);

		hits = unrelated_hits = 0;
		t = err ? 0 : run(bench_target, n);
		cfg_teardown(c);
		if (err == -ENOTSUPP && c->direct) {	/* mcount sites: no direct calls */
			printk_raw("bench_info: %s: not supported here (ENOTSUPP)\n", c->name);
			continue;
		}
		if (err)
			return cmd_err(err, "bench: %s: setup failed", c->name);
		if (hits != (n + 1) * c->nops || unrelated_hits)
			return cmd_err(-EIO, "bench: %s: %lu callbacks for %lu calls (%lu unrelated)",
				       c->name, hits, n + 1, unrelated_hits);
		row(c->name, t, base);
		if (c->unrelated)
			printk_raw("bench_info: %s: registered %d ops in %lu us\n", c->name,
				   NR_UNRELATED, reg_us);
	}
	bench_ops[0].flags = 0;
	return klp_rows(n, base);
}

/* ---- bench_patch: the cost of flipping N sites, per patch method ---- */

static struct ftrace_ops patch_ops = { .func = bench_func, .name = "bench_patch" };

/* filter_first - a hash of the first @n usable sites, or NULL. */
static struct ftrace_hash *filter_first(unsigned long n)
{
	struct ftrace_hash *h = kzalloc(sizeof(*h));

	for (unsigned int i = 0; h && i < ftrace_nr_records() && h->count < n; i++) {
		struct dyn_ftrace *rec = ftrace_record(i);

		if (!(rec->flags & FTRACE_FL_DISABLED) && ftrace_hash_add(h, rec->ip)) {
			ftrace_hash_clear(h);
			kfree(h);
			return NULL;
		}
	}
	return h;
}

/*
 * bench_patch - for 1, 100, 1000 and all sites and each patch method:
 * the time and syncs to enable (nop -> call) and disable (call -> nop);
 * "settle" counts the syncs of those that repair stale translated code
 * (text_poke.c), one per batch where patch_settle is 1; "scanned" the
 * records the enabling update re-derived (ftrace_stats.records_scanned):
 * only those the ops' filter names.  `bench_patch MAX` stops at MAX sites
 * (the per-site method on all 20k sites and 4 CPUs takes most of a minute
 * under TCG).
 */
static int cmd_bench_patch(int argc, char **argv)
{
	unsigned long sizes[] = { 1, 100, 1000, ~0UL }, max = ~0UL;
	enum text_poke_method saved = text_poke_get_method();
	struct ftrace_hash *warm;
	int err = 0;

	if (argc > 2 || (argc == 2 && (kstrtoul(argv[1], &max) || !max)))
		return cmd_err(-EINVAL, "usage: bench_patch [MAX_SITES]");
	warm = filter_first(1);

	/*
	 * Warm up: the first update translates (under TCG) and caches the
	 * patching path on every CPU; without this the first row measured that.
	 */
	if (!warm)
		return cmd_err(-ENOMEM, "bench_patch: no memory for the filter");
	patch_ops.local_hash.filter_hash = warm;
	for (int m = 0; m < NR_POKE_METHODS && !err; m++) {
		text_poke_set_method(m);
		err = register_ftrace_function(&patch_ops);
		if (!err)
			err = unregister_ftrace_function(&patch_ops);
	}
	patch_ops.local_hash.filter_hash = NULL;
	ftrace_hash_clear(warm);
	kfree(warm);
	printk_raw("bench_patch: %u CPUs online\n", num_online_cpus());
	printk_raw("bench_patch: %-20s %6s %12s %12s %8s %8s %8s\n", "method", "sites",
		   "enable_us", "disable_us", "syncs", "settle", "scanned");
	for (size_t k = 0; k < ARRAY_SIZE(sizes) && sizes[k] <= max && !err; k++) {
		struct ftrace_hash *h = filter_first(sizes[k]);

		if (!h)
			return cmd_err(-ENOMEM, "bench_patch: no memory for the filter");
		patch_ops.local_hash.filter_hash = h;
		for (int m = 0; m < NR_POKE_METHODS && !err; m++) {
			u64 t0, t1, t2;
			unsigned long syncs, settle, scanned;

			text_poke_set_method(m);
			memset(&text_poke_stats, 0, sizeof(text_poke_stats));
			t0 = arch_clock_ns();
			err = register_ftrace_function(&patch_ops);
			t1 = arch_clock_ns();
			scanned = ftrace_stats.records_scanned;	/* by the enable */
			if (!err)
				err = unregister_ftrace_function(&patch_ops);
			t2 = arch_clock_ns();
			syncs = text_poke_stats.syncs;
			settle = text_poke_stats.settle_syncs;	/* included in syncs */
			if (!err)
				printk_raw("bench_patch: %-20s %6u %12lu %12lu %8lu %8lu %8lu\n",
					   text_poke_method_names[m], h->count,
					   (unsigned long)(t1 - t0) / 1000, (unsigned long)(t2 - t1) / 1000,
					   syncs, settle, scanned);
		}
		patch_ops.local_hash.filter_hash = NULL;
		ftrace_hash_clear(h);
		kfree(h);
	}
	text_poke_set_method(saved);
	return err ? cmd_err(err, "bench_patch: %s", errno_name(err)) : 0;
}

static const struct shell_cmd bench_cmds[] = {
	{ "bench", "[CALLS]", "per-call cost of each site configuration", cmd_bench },
	{ "bench_patch", "[MAX_SITES]", "time and syncs to flip 1..all sites, per patch method",
	  cmd_bench_patch },
	{ NULL, NULL, NULL, NULL },
};

void bench_init(void)
{
	shell_register_cmds(bench_cmds);
}
