/*
 * bench_bpf.c - what BPF trampolines cost (`make bench` runs both):
 *
 *   bench_bpf [CALLS]    per call of bench_target: plain, fentry / fexit /
 *                        fmod_ret trampolines with the empty program, and
 *                        one trampoline calling 1, 2 and 8 programs;
 *   bench_bpf_attach     time and text syncs to attach one program to 1,
 *                        100 and 10,000 functions (multi-attach by glob)
 *                        and to detach it: one batch each, whatever N.
 *
 * Times come from arch_clock_ns(); under QEMU -icount shift=0 they are
 * guest instruction counts (bench.c says more).
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "bpf.h"
#include "shell.h"

long bench_target(long x);
long bench_target_nosite(long x);

static long (*volatile target)(long);

/* run - 1/1000 ns per call of @fn over @n calls. */
static u64 run(long (*fn)(long), unsigned long n)
{
	long acc = 0;
	u64 t0, t1;

	target = fn;
	acc += target(0);
	t0 = arch_clock_ns();
	for (unsigned long i = 0; i < n; i++)
		acc += target((long)i);
	t1 = arch_clock_ns();
	barrier();
	return acc ? (t1 - t0) * 1000 / n : 0;
}

static void row(const char *prefix, const char *name, u64 milli_ns, u64 base)
{
	printk_raw("%s: %-40s %8lu.%03lu %6lu.%02lu\n", prefix, name,
		   (unsigned long)(milli_ns / 1000), (unsigned long)(milli_ns % 1000),
		   (unsigned long)(milli_ns / base), (unsigned long)(milli_ns * 100 / base % 100));
}

/* attach_n - @n links of @prog as @kind on bench_target; their ids in @ids. */
static int attach_n(const char *prog, enum bpf_kind kind, int n, int *ids)
{
	char why[160];

	for (int i = 0; i < n; i++) {
		ids[i] = bpf_attach(bpf_prog_find(prog), kind, "bench_target", 0, why, sizeof(why));
		if (ids[i] < 0) {
			int err = ids[i];

			while (i--)
				bpf_detach(ids[i], why, sizeof(why));
			printk_raw("bench_bpf: attach: %s\n", why);
			return err;
		}
	}
	return 0;
}

static void detach_n(int n, const int *ids)
{
	char why[160];

	for (int i = 0; i < n; i++)
		bpf_detach(ids[i], why, sizeof(why));
}

static int cmd_bench_bpf(int argc, char **argv)
{
	static const struct { const char *name; enum bpf_kind kind; int progs; } cfg[] = {
		{ "fentry, empty program", BPF_FENTRY, 1 },
		{ "fexit, empty program", BPF_FEXIT, 1 },
		{ "fmod_ret, empty program", BPF_MODIFY_RETURN, 1 },
		{ "fentry, 2 programs", BPF_FENTRY, 2 },
		{ "fentry, 8 programs", BPF_FENTRY, 8 },
	};
	unsigned long n = 20000;
	u64 base;
	int ids[8], err;

	if (argc > 2 || (argc == 2 && (kstrtoul(argv[1], &n) || !n)))
		return cmd_err(-EINVAL, "usage: bench_bpf [CALLS]");
	printk_raw("bench_bpf: %-40s %12s %9s\n", "config (per call)", "ns", "ratio");
	base = run(bench_target_nosite, n);
	if (!base)
		base = 1;
	row("bench_bpf", "plain call (no site)", base, base);
	row("bench_bpf", "nop site", run(bench_target, n), base);
	for (size_t i = 0; i < ARRAY_SIZE(cfg); i++) {
		err = attach_n("nop", cfg[i].kind, cfg[i].progs, ids);
		if (err)
			return cmd_err(err, "bench_bpf: %s: attach failed", cfg[i].name);
		row("bench_bpf", cfg[i].name, run(bench_target, n), base);
		detach_n(cfg[i].progs, ids);
	}
	return 0;
}

/* The targets: 1, 100 and 10,000 of the generated functions. */
static const struct { unsigned long n; const char *glob; } attach_cfg[] = {
	{ 1, "gen_func_1" },
	{ 100, "gen_func_1??" },
	{ 10000, "gen_func_?,gen_func_??,gen_func_???,gen_func_????" },
};

static int cmd_bench_bpf_attach(int argc, char **argv)
{
	char why[160];

	/*
	 * Warm up: the first attach parses BTF into its tables and the first
	 * pattern caches the records' names (ftrace_rec_name), once per boot;
	 * without this the first rows measured that.
	 */
	int warm = bpf_attach(bpf_prog_find("nop"), BPF_FENTRY, attach_cfg[1].glob, 0, why,
			      sizeof(why));

	if (warm < 0)
		return cmd_err(warm, "bench_bpf_attach: %s: %s", attach_cfg[1].glob, why);
	bpf_detach(warm, why, sizeof(why));
	printk_raw("bench_bpf_attach: %8s %12s %12s %8s %8s\n", "funcs", "attach_us", "detach_us",
		   "syncs", "batches");
	for (size_t i = 0; i < ARRAY_SIZE(attach_cfg); i++) {
		struct text_poke_stats s0 = text_poke_stats;
		u64 t0 = arch_clock_ns(), t1, t2;
		int id = bpf_attach(bpf_prog_find("nop"), BPF_FENTRY, attach_cfg[i].glob, 0, why,
				    sizeof(why));
		int err;

		t1 = arch_clock_ns();
		if (id < 0)
			return cmd_err(id, "bench_bpf_attach: %s: %s", attach_cfg[i].glob, why);
		err = bpf_detach(id, why, sizeof(why));
		t2 = arch_clock_ns();
		if (err)
			return cmd_err(err, "bench_bpf_attach: detach: %s", why);
		printk_raw("bench_bpf_attach: %8lu %12lu %12lu %8lu %8lu\n", attach_cfg[i].n,
			   (unsigned long)(t1 - t0) / 1000, (unsigned long)(t2 - t1) / 1000,
			   text_poke_stats.syncs - s0.syncs, text_poke_stats.batches - s0.batches);
	}
	return 0;
}

static const struct shell_cmd bench_bpf_cmds[] = {
	{ "bench_bpf", "[CALLS]", "per-call cost of BPF trampolines", cmd_bench_bpf },
	{ "bench_bpf_attach", "", "time and syncs to attach to 1, 100, 10000 functions",
	  cmd_bench_bpf_attach },
	{ NULL, NULL, NULL, NULL },
};

void bench_bpf_init(void)
{
	shell_register_cmds(bench_bpf_cmds);
}
