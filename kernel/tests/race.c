/*
 * race.c - the core's race windows, widened (race.h) until a run hits them.
 *
 *   race hash [ROUNDS]     an ops' filter is rewritten to the same functions
 *                          (no site changes, so no text sync) while every
 *                          CPU's timer interrupt walks the list function and
 *                          is held between loading that hash and reading it.
 *                          The old hash must not be freed under the reader.
 *   race resize [ROUNDS]   buffer_size_kb changes while every other CPU
 *                          writes trace entries, each writer held between
 *                          loading its buffer and writing into it.  The old
 *                          buffer must not be freed under the writer (and
 *                          should a write land in freed pages anyway, they
 *                          are poisoned: the next allocation panics).
 *   race filters [ROUNDS]  two CPUs add different functions to one ops'
 *                          filter at once, each held between reading the
 *                          current hash and publishing its copy.  No edit
 *                          may be lost and no hash freed twice.
 *
 * Each prints one key=value line ending in ok or FAIL.  The `race_window`
 * file shows and sets the delays by hand ("NAME USECS"; 0 closes).
 */
#include "kernel.h"
#include "ftrace.h"
#include "trace.h"
#include "percpu.h"
#include "shell.h"
#include "smp.h"
#include "race.h"

long race_target(long x);

static long (*volatile target)(long) = race_target;
static volatile bool stop;

/* wait_us - let the other CPUs run for @us, staying quiescent here. */
static void wait_us(unsigned long us)
{
	u64 end = arch_clock_ns() + (u64)us * 1000;

	while (arch_clock_ns() < end) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

/* on_others - start @fn on every other online CPU; returns how many. */
static unsigned int on_others(smp_func_t fn, void *arg)
{
	unsigned int n = 0;

	WRITE_ONCE(stop, false);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c) && !smp_run_on(c, fn, arg))
			n++;
	return n;
}

static void join_others(void)
{
	WRITE_ONCE(stop, true);
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		if (c != arch_cpu_id() && cpu_online(c))
			smp_wait_idle(c);
}

/* window - open (@us > 0) or close window @w; this CPU is never delayed. */
static void window(enum race_window_id w, unsigned int us)
{
	if (us) {
		race_window_hits[w] = 0;
		race_window_uaf[w] = 0;
		WRITE_ONCE(race_window_owner, arch_cpu_id());
	}
	__atomic_store_n(&race_window_us[w], us, __ATOMIC_SEQ_CST);
}

/* ---- race hash --------------------------------------------------------- */

static unsigned long hash_calls;

static void notrace count_call(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	__atomic_add_fetch(&hash_calls, 1, __ATOMIC_RELAXED);
}

static struct ftrace_ops hash_a = { .func = count_call, .name = "race_hash_a" };
static struct ftrace_ops hash_b = { .func = count_call, .name = "race_hash_b" };

static int race_hash(unsigned long rounds)
{
	unsigned long uaf, hits;
	int err;

	/* Two ops on timer_tick: every tick on every CPU walks the list. */
	if ((err = ftrace_set_filter(&hash_a, "timer_tick", true)) ||
	    (err = ftrace_set_filter(&hash_b, "timer_tick", true)) ||
	    (err = register_ftrace_function(&hash_a)))
		return cmd_err(err, "race: hash: setup");
	if ((err = register_ftrace_function(&hash_b))) {
		unregister_ftrace_function(&hash_a);
		return cmd_err(err, "race: hash: setup");
	}
	/*
	 * The delay must outlast an update (tens of milliseconds to derive
	 * 20k sites under TCG), or every reader holding the old hash is gone
	 * before it is freed; the wait lets the delayed readers wake up.
	 */
	window(RACE_HASH_READ, 40000);
	for (unsigned long r = 0; r < rounds && !err; r++) {
		err = ftrace_set_filter(&hash_b, "timer_tick", true);
		wait_us(50000);
	}
	window(RACE_HASH_READ, 0);
	uaf = race_window_uaf[RACE_HASH_READ];
	hits = race_window_hits[RACE_HASH_READ];
	unregister_ftrace_function(&hash_b);
	unregister_ftrace_function(&hash_a);
	if (err)
		return cmd_err(err, "race: hash: set_filter");
	printk_raw("race: hash rounds=%lu delayed_readers=%lu use_after_free=%lu %s\n",
		   rounds, hits, uaf, !uaf && hits ? "ok" : "FAIL");
	return uaf || !hits ? -EIO : 0;
}

/* ---- race resize ------------------------------------------------------- */

static unsigned long writes[MAX_CPUS];

static void notrace write_entry(unsigned long ip, unsigned long parent_ip,
				struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct trace_entry e;

	trace_fill_common(&e, TRACE_FN);
	e.ip = ip;
	e.parent_ip = parent_ip;
	ring_buffer_write(&e);
	writes[arch_cpu_id()]++;
}

static struct ftrace_ops writer_ops = { .func = write_entry, .name = "race_writer" };

static void writer(void *unused)
{
	for (long x = 0; !READ_ONCE(stop); x++) {
		if (target(x) != x + 1)
			panic("race: race_target(%ld) went wrong", x);
		cpu_quiescent();
	}
}

static int race_resize(unsigned long rounds)
{
	unsigned long kb = ring_buffer_kb(), total = 0;
	unsigned int workers;
	int err;

	if ((err = ftrace_set_filter(&writer_ops, "race_target", true)) ||
	    (err = register_ftrace_function(&writer_ops)))
		return cmd_err(err, "race: resize: setup");
	memset(writes, 0, sizeof(writes));
	window(RACE_RB_WRITE, 300);
	workers = on_others(writer, NULL);
	for (unsigned long r = 0; r < rounds && !err; r++) {
		err = ring_buffer_resize(r & 1 ? 8 : 16);
		wait_us(2000);
	}
	join_others();
	window(RACE_RB_WRITE, 0);
	unregister_ftrace_function(&writer_ops);
	if (!err)
		err = ring_buffer_resize(kb);
	if (err)
		return cmd_err(err, "race: resize: ring_buffer_resize");
	for (unsigned int c = 0; c < MAX_CPUS; c++)
		total += writes[c];
	bool ok = workers && race_window_hits[RACE_RB_WRITE] && !race_window_uaf[RACE_RB_WRITE];

	printk_raw("race: resize rounds=%lu workers=%u writes=%lu delayed_writers=%lu "
		   "use_after_free=%lu %s\n", rounds, workers, total,
		   race_window_hits[RACE_RB_WRITE], race_window_uaf[RACE_RB_WRITE],
		   ok ? "ok" : "FAIL");
	return ok ? 0 : -EIO;
}

/* ---- race filters ------------------------------------------------------ */

static struct ftrace_ops filter_ops = { .func = count_call, .name = "race_filters" };
static int filter_err[MAX_CPUS];

/* add_filters - add record @first, @first + 2, ... (@n of them) one at a time. */
static void add_filters(unsigned int first, unsigned long n, int *errp)
{
	for (unsigned long i = 0; i < n && !*errp; i++) {
		/* By address: a static function's name can name several sites. */
		struct dyn_ftrace *rec = ftrace_record(first + 2 * i);

		*errp = rec ? ftrace_set_filter_ip(&filter_ops, rec->ip, false, false) : -ENOENT;
	}
}

static unsigned long filter_rounds;

static void filter_worker(void *unused)
{
	add_filters(1, filter_rounds, &filter_err[arch_cpu_id()]);
}

static int race_filters(unsigned long rounds)
{
	unsigned int peer = MAX_CPUS;
	unsigned long count;
	int err = 0;

	for (unsigned int c = 0; c < arch_nr_cpus() && peer == MAX_CPUS; c++)
		if (c != arch_cpu_id() && cpu_online(c))
			peer = c;
	if (peer == MAX_CPUS)
		return cmd_err(-ENODEV, "race: filters needs two CPUs");
	if (2 * rounds + 1 > ftrace_nr_records())
		return cmd_err(-EINVAL, "race: filters: at most %u rounds",
			       (ftrace_nr_records() - 1) / 2);
	ftrace_set_filter(&filter_ops, "", true);	/* empty: start from nothing */
	filter_rounds = rounds;
	filter_err[peer] = 0;
	window(RACE_SET_HASH, 500);
	if ((err = smp_run_on(peer, filter_worker, NULL)))
		return cmd_err(err, "race: filters: start");
	add_filters(0, rounds, &err);
	smp_wait_idle(peer);
	window(RACE_SET_HASH, 0);
	if (!err)
		err = filter_err[peer];
	count = filter_ops.local_hash.filter_hash ? filter_ops.local_hash.filter_hash->count : 0;
	ftrace_set_filter(&filter_ops, "", true);
	if (err)
		return cmd_err(err, "race: filters: set_filter");
	printk_raw("race: filters rounds=%lu expected=%lu count=%lu delayed_writers=%lu %s\n",
		   rounds, 2 * rounds, count, race_window_hits[RACE_SET_HASH],
		   count == 2 * rounds ? "ok" : "FAIL");
	return count == 2 * rounds ? 0 : -EIO;
}

/* ---- commands and the race_window file --------------------------------- */

static int cmd_race(int argc, char **argv)
{
	static const char usage[] = "usage: race hash|resize|filters [ROUNDS]";
	unsigned long rounds = 20;
	int err;

	if (argc < 2 || argc > 3)
		return cmd_err(-EINVAL, usage);
	if (argc == 3 && (kstrtoul(argv[2], &rounds) || !rounds || rounds > 100000))
		return cmd_err(-EINVAL, "race: ROUNDS must be 1..100000");
	if (num_online_cpus() < 2)
		return cmd_err(-ENODEV, "race: needs at least two CPUs");
	if (!strcmp(argv[1], "hash"))
		err = race_hash(rounds);
	else if (!strcmp(argv[1], "resize"))
		err = race_resize(rounds);
	else if (!strcmp(argv[1], "filters"))
		err = race_filters(rounds);
	else
		return cmd_err(-EINVAL, usage);
	return err == -EIO ? cmd_err(err, "race: %s: the race was lost", argv[1]) : err;
}

static void window_read(void)
{
	for (int w = 0; w < NR_RACE_WINDOWS; w++)
		printk_raw("%s %u\n", race_window_names[w], READ_ONCE(race_window_us[w]));
}

/* race_window: "NAME USECS" opens window NAME for USECS (0 closes it). */
static int window_write(const char *text, bool append)
{
	char name[32];
	const char *sp = strchr(text, ' ');
	unsigned long us;

	if (!sp || (size_t)(sp - text) >= sizeof(name) || kstrtoul(sp + 1, &us) ||
	    us > 1000000)
		return -EINVAL;
	memcpy(name, text, sp - text);
	name[sp - text] = 0;
	for (int w = 0; w < NR_RACE_WINDOWS; w++)
		if (!strcmp(name, race_window_names[w])) {
			window(w, us);
			return 0;
		}
	return -EINVAL;
}

static const struct tfile window_file = { "race_window", window_read, window_write };

static const struct shell_cmd race_cmds[] = {
	{ "race", "hash|resize|filters [ROUNDS]", "widen a race window of the core and run through it",
	  cmd_race },
	{ NULL, NULL, NULL, NULL },
};

void race_init(void)
{
	shell_register_cmds(race_cmds);
	fs_register(&window_file);
}
