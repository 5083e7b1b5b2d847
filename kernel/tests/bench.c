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
	printk_raw("bench: %-34s %8lu.%03lu %6lu.%02lu\n", name,
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

/* bench [N] - one table; the ratio column is relative to the plain call. */
static int cmd_bench(int argc, char **argv)
{
	static const struct { const char *name; int nops; unsigned long flags; } cfg[] = {
		{ "one ops (own trampoline)", 1, 0 },
		{ "one SAVE_REGS ops (own regs tramp)", 1, FTRACE_OPS_FL_SAVE_REGS },
		{ "two ops (ftrace_caller + list)", 2, 0 },
		{ "two ops (ftrace_regs_caller + list)", 2, FTRACE_OPS_FL_SAVE_REGS },
	};
	unsigned long n = 20000;
	u64 base, t;

	if (argc > 2 || (argc == 2 && (kstrtoul(argv[1], &n) || !n)))
		return cmd_err(-EINVAL, "usage: bench [CALLS]");
	printk_raw("bench: %-34s %12s %9s\n", "config (per call)", "ns", "ratio");
	base = run(bench_target_nosite, n);
	if (!base)
		base = 1;
	row("plain call (no site)", base, base);
	row("nop site", run(bench_target, n), base);
	for (size_t i = 0; i < ARRAY_SIZE(cfg); i++) {
		int err = setup(cfg[i].nops, cfg[i].flags);

		hits = 0;
		t = err ? 0 : run(bench_target, n);
		teardown(cfg[i].nops);
		if (err)
			return cmd_err(err, "bench: %s: setup failed", cfg[i].name);
		if (hits != (n + 1) * cfg[i].nops)
			return cmd_err(-EIO, "bench: %s: %lu callbacks for %lu calls",
				       cfg[i].name, hits, n + 1);
		row(cfg[i].name, t, base);
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
 * (text_poke.c), one per batch where patch_settle is 1.
 */
static int cmd_bench_patch(int argc, char **argv)
{
	unsigned long sizes[] = { 1, 100, 1000, ~0UL };
	enum text_poke_method saved = text_poke_get_method();
	int err = 0;

	printk_raw("bench_patch: %u CPUs online\n", num_online_cpus());
	printk_raw("bench_patch: %-20s %6s %12s %12s %8s %8s\n", "method", "sites", "enable_us",
		   "disable_us", "syncs", "settle");
	for (size_t k = 0; k < ARRAY_SIZE(sizes) && !err; k++) {
		struct ftrace_hash *h = filter_first(sizes[k]);

		if (!h)
			return cmd_err(-ENOMEM, "bench_patch: no memory for the filter");
		patch_ops.local_hash.filter_hash = h;
		for (int m = 0; m < NR_POKE_METHODS && !err; m++) {
			u64 t0, t1, t2;
			unsigned long syncs, settle;

			text_poke_set_method(m);
			memset(&text_poke_stats, 0, sizeof(text_poke_stats));
			t0 = arch_clock_ns();
			err = register_ftrace_function(&patch_ops);
			t1 = arch_clock_ns();
			if (!err)
				err = unregister_ftrace_function(&patch_ops);
			t2 = arch_clock_ns();
			syncs = text_poke_stats.syncs;
			settle = text_poke_stats.settle_syncs;	/* included in syncs */
			if (!err)
				printk_raw("bench_patch: %-20s %6u %12lu %12lu %8lu %8lu\n",
					   text_poke_method_names[m], h->count,
					   (unsigned long)(t1 - t0) / 1000, (unsigned long)(t2 - t1) / 1000,
					   syncs, settle);
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
	{ "bench_patch", "", "time and syncs to flip 1..all sites, per patch method", cmd_bench_patch },
	{ NULL, NULL, NULL, NULL },
};

void bench_init(void)
{
	shell_register_cmds(bench_cmds);
}
