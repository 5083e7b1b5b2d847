/*
 * trace.c - tracers and the tracing files, under Linux's tracefs names and
 * formats: available_tracers, current_tracer, tracing_on, trace_clock,
 * trace, trace_pipe, per_cpu/cpuN/{trace,trace_pipe,stats}, trace_marker,
 * buffer_size_kb, available_filter_functions(_addrs), set_ftrace_filter,
 * set_ftrace_notrace, enabled_functions.  (The graph tracer's files live
 * with it, the profiler's with the profiler, options in trace_options.c,
 * the filter commands in trace_filter.c, the stack tracer in
 * trace_stack.c.)
 *
 * `cat trace_pipe` blocks as Linux's does: it prints entries as they
 * arrive, consuming them, until Ctrl-C.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"
#include "smp.h"

#define MAX_TRACERS 8

void trace_cmds_init(void);
#define DEFAULT_BUFFER_KB 1408	/* Linux's default per CPU */

static struct tracer *tracers[MAX_TRACERS];
static struct tracer *current_tracer;
static volatile bool tracing_on = true;
static volatile int tracing_stopped;	/* readers of `trace` pause recording */
struct ftrace_ops_hash trace_global_hash;

bool notrace tracing_is_on(void)
{
	return READ_ONCE(tracing_on) && !READ_ONCE(tracing_stopped);
}

/* tracing_set_on - see trace.h: any context (filter commands run in callbacks). */
void notrace tracing_set_on(bool on)
{
	WRITE_ONCE(tracing_on, on);
}

bool notrace tracing_get_on(void)
{
	return READ_ONCE(tracing_on);
}

/* trace_current_tracer - for trace_options, which lists its options. */
struct tracer *trace_current_tracer(void)
{
	return current_tracer;
}

/* ---- trace_clock --------------------------------------------------------- */

/*
 * The clocks that mean something here.  local and global are both
 * arch_clock_ns(), which is one constant-rate clock for all CPUs on both
 * arches; counter counts entries (an atomic add: globally ordered);
 * uptime is jiffies.  The last two do not count nanoseconds and print raw.
 */
enum trace_clock_id { CLOCK_LOCAL, CLOCK_GLOBAL, CLOCK_COUNTER, CLOCK_UPTIME, NR_CLOCKS };
static const char *const clock_names[NR_CLOCKS] = { "local", "global", "counter", "uptime" };
static enum trace_clock_id trace_clock_id;
static u64 trace_counter;

u64 notrace trace_clock_read(void)
{
	switch (READ_ONCE(trace_clock_id)) {
	case CLOCK_COUNTER:
		return __atomic_fetch_add(&trace_counter, 1, __ATOMIC_RELAXED);
	case CLOCK_UPTIME:
		return jiffies_read();
	default:
		return arch_clock_ns();
	}
}

/* clock_peek - the clock's value now, without counting an event. */
static u64 clock_peek(void)
{
	switch (READ_ONCE(trace_clock_id)) {
	case CLOCK_COUNTER:
		return READ_ONCE(trace_counter);
	case CLOCK_UPTIME:
		return jiffies_read();
	default:
		return arch_clock_ns();
	}
}

bool trace_clock_in_ns(void)
{
	enum trace_clock_id id = READ_ONCE(trace_clock_id);

	return id == CLOCK_LOCAL || id == CLOCK_GLOBAL;
}

/* trace_clock: every clock, the one in use in brackets (Linux). */
static void trace_clock_file_read(void)
{
	for (int i = 0; i < NR_CLOCKS; i++)
		printk_raw(i == (int)trace_clock_id ? "%s[%s]" : "%s%s", i ? " " : "",
			   clock_names[i]);
	printk_raw("\n");
}

/* Selecting a clock empties the buffer: old and new stamps do not compare. */
static int trace_clock_file_write(const char *text, bool append)
{
	for (int i = 0; i < NR_CLOCKS; i++)
		if (!strcmp(text, clock_names[i])) {
			WRITE_ONCE(trace_clock_id, (enum trace_clock_id)i);
			ring_buffer_reset();
			return 0;
		}
	return -EINVAL;
}

void notrace trace_fill_common(struct trace_entry *e, enum trace_type type)
{
	struct cpu_state *c = this_cpu();

	e->type = type;
	e->ts = trace_clock_read();
	e->pid = c->pid;
	e->flags = (arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0) |
		   (c->irq_depth ? TRACE_FLAG_HARDIRQ : 0) |
		   (c->nmi_depth ? TRACE_FLAG_NMI : 0);
}

int register_tracer(struct tracer *t)
{
	for (int i = 0; i < MAX_TRACERS; i++)
		if (!tracers[i]) {
			tracers[i] = t;
			return 0;
		}
	return -ENOSPC;
}

static struct tracer *find_tracer(const char *name)
{
	for (int i = 0; i < MAX_TRACERS; i++)
		if (tracers[i] && !strcmp(tracers[i]->name, name))
			return tracers[i];
	return NULL;
}

/* ---- nop tracer: records nothing, prints markers and stacks by default ---- */
static int nop_init(void) { return 0; }
static void nop_reset(void) { }
static void nop_line(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	trace_print_event(e, cpu);
}
static struct tracer nop_tracer = {
	.name = "nop", .init = nop_init, .reset = nop_reset, .print_line = nop_line,
};

/* ---- files ---- */

/* available_tracers: newest first, one space between, as Linux lists them. */
static void available_tracers_read(void)
{
	bool first = true;

	for (int i = MAX_TRACERS - 1; i >= 0; i--)
		if (tracers[i]) {
			printk_raw("%s%s", first ? "" : " ", tracers[i]->name);
			first = false;
		}
	printk_raw("\n");
}

static void current_tracer_read(void)
{
	printk_raw("%s\n", current_tracer->name);
}

/* current_tracer_write - stop the old tracer, start the new one. */
static int current_tracer_write(const char *text, bool append)
{
	struct tracer *t = find_tracer(text), *old = current_tracer;
	int err;

	if (!t)
		return -EINVAL;
	if (t == old)
		return 0;
	old->reset();
	current_tracer = &nop_tracer;
	ring_buffer_reset();	/* as Linux: a new tracer starts empty */
	err = t->init();
	if (err) {
		if (old->init() == 0)
			current_tracer = old;
		return err;
	}
	current_tracer = t;
	return 0;
}

static void tracing_on_read(void)
{
	printk_raw("%d\n", tracing_on);
}

/*
 * tracing_on_write - as Linux's rb_simple_write(): a decimal number
 * (kstrtoul base 10), 0 stops recording and any other value resumes it;
 * "0x1", "-0" and junk are -EINVAL, too many digits -ERANGE.
 */
static int tracing_on_write(const char *text, bool append)
{
	unsigned long v;
	int err = kstrtoul_base(text, 10, &v);

	if (err)
		return err;
	WRITE_ONCE(tracing_on, v != 0);
	return 0;
}

/*
 * print_trace - print what is buffered now through the current tracer,
 * consuming it when @consume, only CPU @cpu's entries when @cpu >= 0.
 * Returns how many entries were taken.
 */
static unsigned long print_trace(bool consume, int cpu)
{
	struct rb_iter it;
	struct trace_entry e;
	unsigned long n = 0;
	int c;

	rb_iter_start(&it, consume);
	for (c = 0; c < MAX_CPUS && cpu >= 0; c++)
		if (c != cpu)
			it.end[c] = it.pos[c];
	while (rb_iter_next(&it, &e, &c)) {
		current_tracer->print_line(&it, &e, c);
		n++;
	}
	return n;
}

/*
 * trace_listing - `cat trace` (@cpu < 0) or per_cpu/cpuN/trace.  As in
 * Linux, recording pauses while the file is read, so the listing is a
 * consistent snapshot (tracing_on is unchanged).
 */
static void trace_listing(int cpu)
{
	tracing_stopped++;
	printk_raw("# tracer: %s\n#\n", current_tracer->name);
	if (current_tracer->print_header)
		current_tracer->print_header();
	else
		trace_default_header();
	if (current_tracer->open)
		current_tracer->open();
	print_trace(false, cpu);
	tracing_stopped--;
}

/* trace / trace_pipe: every CPU's entries. */
static void trace_read(void)
{
	trace_listing(-1);
}

static int trace_write(const char *text, bool append)
{
	ring_buffer_reset();	/* echo > trace clears the buffer */
	return 0;
}

/*
 * trace_pipe_listing - consume and print entries as they arrive until
 * Ctrl-C ("^C", then back to the prompt).  The shell CPU sleeps between
 * looks; its timer tick (and a typed byte) wakes it.
 */
static void trace_pipe_listing(int cpu)
{
	if (current_tracer->open)
		current_tracer->open();
	for (;;) {
		unsigned long flags;

		if (print_trace(true, cpu))
			continue;
		if (console_check_interrupt())
			break;
		flags = arch_irq_save();
		cpu_idle_wait();	/* a quiescent point, as the shell's own wait */
		arch_irq_restore(flags);
	}
	printk_raw("^C\n");
}

static void trace_pipe_read(void)
{
	trace_pipe_listing(-1);
}

/* per_cpu/cpuN/stats - Linux's tracing_stats_read() lines for one CPU. */
static void cpu_stats_listing(int cpu)
{
	struct rb_cpu_stats st;
	struct rb_iter it;
	struct trace_entry e;
	u64 oldest = 0, now = clock_peek();

	ring_buffer_cpu_stats(cpu, &st);
	rb_iter_start(&it, false);
	if (rb_iter_peek_cpu(&it, cpu, &e))
		oldest = e.ts;
	printk_raw("entries: %lu\noverrun: %lu\ncommit overrun: 0\nbytes: %lu\n",
		   st.entries, st.written - st.entries - st.read,
		   st.entries * (unsigned long)sizeof(struct trace_entry));
	if (trace_clock_in_ns()) {
		u64 o = (oldest + 500) / 1000, n = (now + 500) / 1000;

		printk_raw("oldest event ts: %5lu.%06lu\nnow ts: %5lu.%06lu\n",
			   (unsigned long)(o / 1000000), (unsigned long)(o % 1000000),
			   (unsigned long)(n / 1000000), (unsigned long)(n % 1000000));
	} else {
		printk_raw("oldest event ts: %lu\nnow ts: %lu\n", (unsigned long)oldest,
			   (unsigned long)now);
	}
	printk_raw("dropped events: 0\nread events: %lu\n", st.read);
}

/* One read function per per_cpu file: a tfile has no context. */
#define CPU_FILE_FNS(n)								\
	static void cpu_trace_read_##n(void) { trace_listing(n); }		\
	static void cpu_pipe_read_##n(void) { trace_pipe_listing(n); }		\
	static void cpu_stats_read_##n(void) { cpu_stats_listing(n); }
CPU_FILE_FNS(0) CPU_FILE_FNS(1) CPU_FILE_FNS(2) CPU_FILE_FNS(3)
CPU_FILE_FNS(4) CPU_FILE_FNS(5) CPU_FILE_FNS(6) CPU_FILE_FNS(7)

#define CPU_FILES(n)								\
	{ "per_cpu/cpu" #n "/trace", cpu_trace_read_##n, trace_write },	\
	{ "per_cpu/cpu" #n "/trace_pipe", cpu_pipe_read_##n, NULL },	\
	{ "per_cpu/cpu" #n "/stats", cpu_stats_read_##n, NULL }
static const struct tfile cpu_files[MAX_CPUS][3] = {
	{ CPU_FILES(0) }, { CPU_FILES(1) }, { CPU_FILES(2) }, { CPU_FILES(3) },
	{ CPU_FILES(4) }, { CPU_FILES(5) }, { CPU_FILES(6) }, { CPU_FILES(7) },
};

/*
 * tracing_mark_write - trace_marker: the text becomes an entry, shown as
 * "tracing_mark_write: text" (this function's name, as on Linux) or as a
 * comment in the graph.  Write-only; -EBADF while recording is off.
 */
static int tracing_mark_write(const char *text, bool append)
{
	return trace_record_print((unsigned long)tracing_mark_write, text);
}

static void buffer_size_read(void)
{
	printk_raw("%lu\n", ring_buffer_kb());
}

static int buffer_size_write(const char *text, bool append)
{
	unsigned long kb;
	bool on = tracing_on;
	int err;

	err = kstrtoul(text, &kb);
	if (err)
		return err;
	WRITE_ONCE(tracing_on, false);
	err = ring_buffer_resize(kb);
	WRITE_ONCE(tracing_on, on);
	return err;
}

/* available_filter_functions(_addrs): one line per site, "[addr ]name". */
static void list_functions(bool addrs)
{
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *rec = ftrace_record(i);

		if (rec->flags & FTRACE_FL_DISABLED)
			continue;
		if (addrs)
			printk_raw("%lx ", rec->ip);
		printk_raw("%ps\n", (void *)rec->func);
	}
}

/* The two listings of the sites tracing can use. */
static void available_filter_functions_read(void)
{
	list_functions(false);
}

static void available_filter_functions_addrs_read(void)
{
	list_functions(true);
}

/* trace_print_hash - the functions in @h, in address order, or @empty_msg. */
void trace_print_hash(const struct ftrace_hash *h, const char *empty_msg)
{
	if (ftrace_hash_empty(h)) {
		printk_raw("%s\n", empty_msg);
		return;
	}
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *rec = ftrace_record(i);

		if (ftrace_hash_contains(h, rec->ip))
			printk_raw("%ps\n", (void *)rec->func);
	}
}

/* set_ftrace_filter: the functions, then the filter commands (Linux). */
static void filter_read(void)
{
	trace_print_hash(trace_global_hash.filter_hash, "#### all functions enabled ####");
	trace_filter_print_probes();
}

static void notrace_read(void)
{
	trace_print_hash(trace_global_hash.notrace_hash, "#### no functions disabled ####");
}

/* set_ftrace_notrace: globs, line numbers, escapes; commands are -EINVAL. */
static int notrace_write(const char *text, bool append)
{
	char globs[1100];
	int err = strchr(text, ':') ? -EINVAL : trace_filter_rewrite(text, globs, sizeof(globs));

	return err ? err : ftrace_set_hash(&trace_global_hash, true, globs, !append);
}

/* enabled_functions - "name (refs) R I D O\ttramp: <target> (<ops func>)" */
static void enabled_functions_read(void)
{
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *rec = ftrace_record(i);
		struct ftrace_ops *op;

		if (!rec->target)
			continue;
		printk_raw("%ps (%u) %s%s%s%s\ttramp: %pS", (void *)rec->func, rec->refs,
			   rec->flags & FTRACE_FL_REGS ? " R" : "  ",
			   rec->flags & FTRACE_FL_IPMODIFY ? " I" : "  ",
			   rec->flags & FTRACE_FL_DIRECT ? " D" : "  ",
			   rec->flags & FTRACE_FL_TRAMP ? " O" : "  ",
			   (void *)rec->target);
		for (op = ftrace_ops_first(); op; op = op->next)
			if ((rec->flags & FTRACE_FL_TRAMP) && op->trampoline == rec->target)
				printk_raw(" (%pS)", (void *)op->func);
		printk_raw("\n");
	}
}

static const struct tfile trace_files[] = {
	{ "available_tracers", available_tracers_read, NULL },
	{ "current_tracer", current_tracer_read, current_tracer_write },
	{ "tracing_on", tracing_on_read, tracing_on_write },
	{ "trace_clock", trace_clock_file_read, trace_clock_file_write },
	{ "trace", trace_read, trace_write },
	{ "trace_pipe", trace_pipe_read, NULL },
	{ "trace_marker", NULL, tracing_mark_write },
	{ "buffer_size_kb", buffer_size_read, buffer_size_write },
	{ "available_filter_functions", available_filter_functions_read, NULL },
	{ "available_filter_functions_addrs", available_filter_functions_addrs_read, NULL },
	{ "set_ftrace_filter", filter_read, trace_filter_write },
	{ "set_ftrace_notrace", notrace_read, notrace_write },
	{ "enabled_functions", enabled_functions_read, NULL },
};

/* trace_init - buffers, tracers and files; boot CPU after ftrace_init(). */
void trace_init(void)
{
	if (ring_buffer_init(DEFAULT_BUFFER_KB))
		panic("trace_init: no memory for the ring buffers");
	trace_aux_init();
	trace_options_init();
	register_tracer(&nop_tracer);
	current_tracer = &nop_tracer;
	trace_functions_init();
	trace_graph_output_init();
	trace_graph_init();
	trace_profile_init();
	for (size_t i = 0; i < ARRAY_SIZE(trace_files); i++)
		fs_register(&trace_files[i]);
	for (unsigned int c = 0; c < arch_nr_cpus() && c < MAX_CPUS; c++)
		for (int f = 0; f < 3; f++)
			fs_register(&cpu_files[c][f]);
	trace_stack_init();
	trace_cmds_init();
}
