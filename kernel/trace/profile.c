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
				   u64 rettime, unsigned long data)
{
	struct dyn_ftrace *rec = ftrace_location(func);

	if (rec)
		stats[arch_cpu_id()][ftrace_rec_index(rec)].time_ns += rettime - calltime;
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

/* stat_read - trace_stat/function<cpu>: functions with hits, most time first. */
static void stat_read_cpu(unsigned int cpu)
{
	struct func_stat *s = stats[cpu];
	unsigned int n = ftrace_nr_records();
	u64 last_time = ~0ULL;
	unsigned int last_idx = 0;

	printk_raw("  Function                               Hit    Time            Avg\n"
		   "  --------                               ---    ----            ---\n");
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
		u64 t = s[best].time_ns, avg = t / s[best].hits;

		printk_raw("  %-36ps %8lu    %8lu.%03lu us  %8lu.%03lu us\n",
			   (void *)ftrace_record(best)->func, (unsigned long)s[best].hits,
			   (unsigned long)(t / 1000), (unsigned long)(t % 1000),
			   (unsigned long)(avg / 1000), (unsigned long)(avg % 1000));
		last_time = t;
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
