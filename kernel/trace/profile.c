/*
 * profile.c - the function profiler: `echo 1 > function_profile_enabled`
 * counts hits and time per function (the functions set_ftrace_filter
 * selects) and trace_stat/function<cpu> shows them, like Linux.  Built on the
 * function graph hooks: hits at entry, time from entry to return.
 * Counters are per CPU and per site record, so the hot path takes no lock.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"

struct func_stat {
	u64 hits;
	u64 time_ns;
	u64 time_sq;	/* sum of squared call times (ns^2), for s^2 */
};

static struct func_stat *stats[MAX_CPUS];
static bool profile_on;

static bool notrace profile_entry(unsigned long func, int depth, unsigned long *data)
{
	struct dyn_ftrace *rec = ftrace_location(func);

	if (!rec)
		return false;
	stats[arch_cpu_id()][ftrace_rec_index(rec)].hits++;
	return true;
}

static void notrace profile_return(unsigned long func, int depth, u64 calltime,
				   u64 rettime, unsigned long data, unsigned long retval)
{
	struct dyn_ftrace *rec = ftrace_location(func);
	struct func_stat *st;
	u64 t = rettime - calltime;

	if (!rec)
		return;
	st = &stats[arch_cpu_id()][ftrace_rec_index(rec)];
	st->time_ns += t;
	st->time_sq += t * t;
}

static struct fgraph_ops profile_ops = {
	.entryfunc = profile_entry,
	.retfunc = profile_return,
	.ops = { .name = "function_profile", .func_hash = &trace_global_hash },
};

static void profile_enabled_read(void)
{
	printk_raw("%d\n", profile_on);
}

/* Enabling resets the counters, as Linux does. */
static int profile_enabled_write(const char *text, bool append)
{
	long v;
	int err;

	if (kstrtol(text, &v) || (v != 0 && v != 1))
		return -EINVAL;
	if (v == profile_on)
		return 0;
	if (!v) {
		unregister_ftrace_graph(&profile_ops);
		profile_on = false;
		return 0;
	}
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		memset(stats[c], 0, ftrace_nr_records() * sizeof(struct func_stat));
	err = register_ftrace_graph(&profile_ops);
	if (!err)
		profile_on = true;
	return err;
}

/*
 * stat_line - one function's line as Linux's function_stat_show(): name
 * cut to 30 columns, hits under "Hit", then total, average and the sample
 * variance s^2 (in us^2, printed in the duration field as Linux does),
 * times left out when tracing_thresh is set and the average is below it.
 */
static void stat_line(unsigned int idx, const struct func_stat *st)
{
	char name[64];
	u64 avg = st->time_ns / st->hits, s2 = 0;

	sprint_symbol_name(name, sizeof(name), ftrace_record(idx)->func);
	printk_raw("  %-30.30s  %10lu", name, (unsigned long)st->hits);
	if (tracing_thresh_ns && avg < tracing_thresh_ns) {
		printk_raw("\n");
		return;
	}
	if (st->hits > 1)	/* Welford: (n * sum(x^2) - sum(x)^2) / (n (n - 1)) */
		s2 = (st->hits * st->time_sq - st->time_ns * st->time_ns) /
		     (st->hits * (st->hits - 1) * 1000);
	printk_raw("    ");
	trace_print_graph_duration(st->time_ns);
	printk_raw("    ");
	trace_print_graph_duration(avg);
	printk_raw("    ");
	trace_print_graph_duration(s2);
	printk_raw("\n");
}

/* stat_read_cpu - trace_stat/function<cpu>: functions with hits, most time first. */
static void stat_read_cpu(unsigned int cpu)
{
	struct func_stat *s = stats[cpu];
	unsigned int n = ftrace_nr_records();
	u64 last_time = ~0ULL;
	unsigned int last_idx = 0;

	printk_raw("  Function                               Hit    Time            Avg             s^2\n"
		   "  --------                               ---    ----            ---             ---\n");
	/* Selection by descending time: the listing is short in practice. */
	for (;;) {
		int best = -1;

		for (unsigned int i = 0; i < n; i++) {
			if (!s[i].hits)
				continue;
			bool below = s[i].time_ns < last_time ||
				     (s[i].time_ns == last_time && i > last_idx);

			if (below && (best < 0 || s[i].time_ns > s[best].time_ns))
				best = (int)i;
		}
		if (best < 0)
			break;
		stat_line((unsigned int)best, &s[best]);
		last_time = s[best].time_ns;
		last_idx = (unsigned int)best;
	}
}

#define DEFINE_STAT_FILE(n) \
	static void stat_read_##n(void) { stat_read_cpu(n); }
DEFINE_STAT_FILE(0) DEFINE_STAT_FILE(1) DEFINE_STAT_FILE(2) DEFINE_STAT_FILE(3)
DEFINE_STAT_FILE(4) DEFINE_STAT_FILE(5) DEFINE_STAT_FILE(6) DEFINE_STAT_FILE(7)

static const struct tfile stat_files[MAX_CPUS] = {
	{ "trace_stat/function0", stat_read_0, NULL },
	{ "trace_stat/function1", stat_read_1, NULL },
	{ "trace_stat/function2", stat_read_2, NULL },
	{ "trace_stat/function3", stat_read_3, NULL },
	{ "trace_stat/function4", stat_read_4, NULL },
	{ "trace_stat/function5", stat_read_5, NULL },
	{ "trace_stat/function6", stat_read_6, NULL },
	{ "trace_stat/function7", stat_read_7, NULL },
};

static const struct tfile profile_file = {
	"function_profile_enabled", profile_enabled_read, profile_enabled_write,
};

void trace_profile_init(void)
{
	for (unsigned int c = 0; c < arch_nr_cpus(); c++) {
		stats[c] = kzalloc(ftrace_nr_records() * sizeof(struct func_stat) + 1);
		if (!stats[c])
			panic("trace_profile_init: no memory for counters");
		fs_register(&stat_files[c]);
	}
	fs_register(&profile_file);
}
