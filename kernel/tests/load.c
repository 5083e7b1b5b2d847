/*
 * load.c - the `load` command: every idle CPU but the console's calls
 * traced functions in a loop, checking each result, while the console
 * does something else (insmod, rmmod, tracer changes).  It is the "while
 * other CPUs call the function" of the direct-call scenarios:
 *
 *   load start FUNC [FUNC ...] [calls=N] [gap_us=U]
 *   load stop     stop the workers now, wait for them, print the totals
 *   load wait     wait until every worker made its N calls, print them
 *
 * Worker k calls each FUNC with (seq, k, 3, 4, 5, 6) (as many as it takes),
 * seq = 0, 1, 2, ...
 * (its own count), so a handler that logs its function's first argument
 * tells which of the worker's calls it saw; FUNC must be one of the
 * functions below, whose results the worker knows.  After each round it
 * waits until U microseconds have passed since the previous one (to spread
 * N calls over time) and passes a quiescent point.  Totals, one line per
 * worker and a summary (key=value):
 *
 *   load: cpu=1 calls=500 wrong=0
 *   load: cpus=3 funcs=1 calls=1500 wrong=0 finished=3
 *
 * calls counts rounds (each FUNC once per round); finished, the workers
 * that made all N.  A CPU busy with other work (smp_run_on() -EBUSY, e.g.
 * the modify samples' switcher) is left out.
 */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "shell.h"
#include "smp.h"

long demo_add(long a, long b);
long demo_mul3(long a, long b, long c);
long demo_sum6(long a, long b, long c, long d, long e, long f);

/*
 * The functions a worker may call: a wrapper with the worker's arguments
 * (seq, cpu) that passes the traced function the arguments above, and
 * what it must return.
 */
struct load_target {
	const char *name;
	long (*call)(long seq, long cpu);
	long (*expect)(long seq, long cpu);
};

static long call_add(long seq, long cpu) { return demo_add(seq, cpu); }
static long expect_add(long seq, long cpu) { return seq + cpu; }
static long call_mul3(long seq, long cpu) { return demo_mul3(seq, cpu, 3); }
static long expect_mul3(long seq, long cpu) { return seq * cpu * 3; }
static long call_sum6(long seq, long cpu) { return demo_sum6(seq, cpu, 3, 4, 5, 6); }
static long expect_sum6(long seq, long cpu) { return seq + cpu + 3 + 4 + 5 + 6; }

static const struct load_target targets[] = {
	{ "demo_add", call_add, expect_add },
	{ "demo_mul3", call_mul3, expect_mul3 },
	{ "demo_sum6", call_sum6, expect_sum6 },
};

#define LOAD_MAX_FUNCS	4

struct load_cpu {
	unsigned long calls, wrong;
	bool active;		/* a worker was started here */
	bool finished;		/* it made all its calls */
} __aligned(64);

static struct load_cpu lc[MAX_CPUS];
static const struct load_target *funcs[LOAD_MAX_FUNCS];
static int nfuncs;
static unsigned long max_calls;		/* 0: until stopped */
static u64 gap_ns;
static volatile bool stop;
static bool running;

/*
 * load_worker - one CPU's loop (smp_run_on() work, task context): call
 * every function once per round and check the result, then wait out the
 * gap in a quiescent loop, so text updates and frees never wait long for
 * this CPU.
 */
static void load_worker(void *unused)
{
	unsigned int cpu = arch_cpu_id();
	struct load_cpu *c = &lc[cpu];
	u64 next = arch_clock_ns();
	unsigned long seq = 0, wrong = 0;

	while (!READ_ONCE(stop) && (!max_calls || seq < max_calls)) {
		for (int i = 0; i < nfuncs; i++)
			wrong += funcs[i]->call((long)seq, cpu) != funcs[i]->expect((long)seq, cpu);
		seq++;
		WRITE_ONCE(c->calls, seq);
		cpu_quiescent();
		next += gap_ns;
		while (gap_ns && arch_clock_ns() < next && !READ_ONCE(stop)) {
			cpu_quiescent();
			arch_cpu_relax();
		}
	}
	c->wrong = wrong;
	c->finished = max_calls && seq == max_calls;
}

/* find_target - the load_target named @name, or NULL. */
static const struct load_target *find_target(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

/* load_start - parse the arguments, then start a worker on every idle CPU. */
static int load_start(int argc, char **argv)
{
	unsigned long calls = 0, gap_us = 0;
	int n = 0, started = 0;

	if (running)
		return cmd_err(-EBUSY, "load: already running ('load stop' first)");
	for (int i = 0; i < argc; i++) {
		const struct load_target *t = find_target(argv[i]);

		if (!strncmp(argv[i], "calls=", 6)) {
			if (kstrtoul(argv[i] + 6, &calls) || !calls)
				return cmd_err(-EINVAL, "load: bad '%s'", argv[i]);
		} else if (!strncmp(argv[i], "gap_us=", 7)) {
			if (kstrtoul(argv[i] + 7, &gap_us) || gap_us > 1000000)
				return cmd_err(-EINVAL, "load: bad '%s' (0..1000000)", argv[i]);
		} else if (!t) {
			return cmd_err(-ENOENT, "load: cannot check '%s' (demo_add, demo_mul3, "
				       "demo_sum6)", argv[i]);
		} else if (n == LOAD_MAX_FUNCS) {
			return cmd_err(-E2BIG, "load: at most %d functions", LOAD_MAX_FUNCS);
		} else {
			funcs[n++] = t;
		}
	}
	if (!n)
		return cmd_err(-EINVAL, "usage: load start FUNC [FUNC ...] [calls=N] [gap_us=U]");
	nfuncs = n;
	max_calls = calls;
	gap_ns = (u64)gap_us * 1000;
	WRITE_ONCE(stop, false);
	memset(lc, 0, sizeof(lc));
	for (unsigned int cpu = 0; cpu < arch_nr_cpus() && cpu < MAX_CPUS; cpu++) {
		if (cpu == arch_cpu_id() || !cpu_online(cpu))
			continue;
		if (!smp_run_on(cpu, load_worker, NULL)) {
			lc[cpu].active = true;
			started++;
		}
	}
	if (!started)
		return cmd_err(-EBUSY, "load: no idle CPU to run on");
	running = true;
	return 0;
}

/* load_finish - wait for every worker (quiescent waits), print the totals. */
static int load_finish(bool stop_now)
{
	unsigned long calls = 0, wrong = 0;
	unsigned int cpus = 0, finished = 0;

	if (!running)
		return cmd_err(-EINVAL, "load: not running");
	if (!stop_now && !max_calls)
		return cmd_err(-EINVAL, "load: started without calls=N: it never ends ('load stop')");
	if (stop_now)
		WRITE_ONCE(stop, true);
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (!lc[cpu].active)
			continue;
		smp_wait_idle(cpu);
		printk_raw("load: cpu=%u calls=%lu wrong=%lu\n", cpu, lc[cpu].calls, lc[cpu].wrong);
		cpus++;
		calls += lc[cpu].calls;
		wrong += lc[cpu].wrong;
		finished += lc[cpu].finished;
	}
	running = false;
	printk_raw("load: cpus=%u funcs=%d calls=%lu wrong=%lu finished=%u\n", cpus, nfuncs,
		   calls, wrong, finished);
	return 0;
}

/* load start|stop|wait ... - see the top of the file. */
static int cmd_load(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "start"))
		return load_start(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "stop"))
		return load_finish(true);
	if (argc == 2 && !strcmp(argv[1], "wait"))
		return load_finish(false);
	return cmd_err(-EINVAL, "usage: load start FUNC [FUNC ...] [calls=N] [gap_us=U] | "
		       "load stop | load wait");
}

static const struct shell_cmd load_cmds[] = {
	{ "load", "start FUNC...|stop|wait", "call functions on the other CPUs meanwhile",
	  cmd_load },
	{ NULL, NULL, NULL, NULL },
};

/* load_init - register the command; boot CPU. */
void load_init(void)
{
	shell_register_cmds(load_cmds);
}
