/*
 * trace.c - tracers and the tracing files, under Linux's tracefs names and
 * formats: available_tracers, current_tracer, tracing_on, trace, trace_pipe,
 * buffer_size_kb, available_filter_functions, set_ftrace_filter,
 * set_ftrace_notrace, enabled_functions.  (set_graph_function lives with the
 * graph tracer, function_profile_enabled and trace_stat/ with the profiler.)
 *
 * Differences from Linux, because the console is the only reader:
 * `cat trace_pipe` prints what is buffered, consumes it and returns instead
 * of blocking.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"

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

void notrace trace_fill_common(struct trace_entry *e, enum trace_type type)
{
	struct cpu_state *c = this_cpu();

	e->type = type;
	e->ts = arch_clock_ns();
	e->pid = c->pid;
	e->flags = (arch_irqs_disabled() ? TRACE_FLAG_IRQS_OFF : 0) |
		   (c->irq_depth ? TRACE_FLAG_HARDIRQ : 0) |
		   (c->nmi_depth ? TRACE_FLAG_NMI : 0);
}

/* trace_print_common - "           sh-1       [000] d.h..    12.345678: " */
void trace_print_common(const struct trace_entry *e, int cpu)
{
	const char *comm = cpu_state[cpu].comm && e->pid ? cpu_state[cpu].comm : "<idle>";
	char ctx = e->flags & TRACE_FLAG_NMI ? 'z' : e->flags & TRACE_FLAG_HARDIRQ ? 'h' : '.';

	printk_raw("%16s-%-7d [%03d] %c.%c.. %5lu.%06lu: ", comm, e->pid, cpu,
		   e->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.', ctx,
		   (unsigned long)(e->ts / 1000000000),
		   (unsigned long)(e->ts % 1000000000) / 1000);
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

/* ---- nop tracer ---- */
static int nop_init(void) { return 0; }
static void nop_reset(void) { }
static void nop_header(void)
{
	printk_raw("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		   "#              | |         |   |||||     |         |\n");
}
static void nop_line(struct rb_iter *it, const struct trace_entry *e, int cpu) { }
static struct tracer nop_tracer = { "nop", nop_init, nop_reset, nop_header, nop_line };

/* ---- files ---- */

static void available_tracers_read(void)
{
	for (int i = MAX_TRACERS - 1; i >= 0; i--)
		if (tracers[i])
			printk_raw("%s ", tracers[i]->name);
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

static void print_trace(bool consume)
{
	struct rb_iter it;
	struct trace_entry e;
	int cpu;

	rb_iter_start(&it, consume);
	while (rb_iter_next(&it, &e, &cpu))
		current_tracer->print_line(&it, &e, cpu);
}

/*
 * trace_read - `cat trace`.  As in Linux, recording pauses while the file is
 * read, so the listing is a consistent snapshot (tracing_on is unchanged).
 */
static void trace_read(void)
{
	unsigned long in_buf, written;

	tracing_stopped++;
	ring_buffer_stats(&in_buf, &written);
	printk_raw("# tracer: %s\n#\n", current_tracer->name);
	printk_raw("# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n#\n",
		   in_buf, written, arch_nr_cpus());
	current_tracer->print_header();
	print_trace(false);
	tracing_stopped--;
}

static int trace_write(const char *text, bool append)
{
	ring_buffer_reset();	/* echo > trace clears the buffer */
	return 0;
}

static void trace_pipe_read(void)
{
	print_trace(true);
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

	if (kstrtoul(text, &kb) || !kb)
		return -EINVAL;
	WRITE_ONCE(tracing_on, false);
	err = ring_buffer_resize(kb);
	WRITE_ONCE(tracing_on, on);
	return err;
}

static void available_filter_functions_read(void)
{
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *rec = ftrace_record(i);

		if (!(rec->flags & FTRACE_FL_DISABLED))
			printk_raw("%ps\n", (void *)rec->func);
	}
}

/* print_hash - the functions in @h, in address order, or @empty_msg. */
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

static void filter_read(void)
{
	trace_print_hash(trace_global_hash.filter_hash, "#### all functions enabled ####");
}

static int filter_write(const char *text, bool append)
{
	return ftrace_set_hash(&trace_global_hash, false, text, !append);
}

static void notrace_read(void)
{
	trace_print_hash(trace_global_hash.notrace_hash, "#### no functions disabled ####");
}

static int notrace_write(const char *text, bool append)
{
	return ftrace_set_hash(&trace_global_hash, true, text, !append);
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
	{ "trace", trace_read, trace_write },
	{ "trace_pipe", trace_pipe_read, NULL },
	{ "buffer_size_kb", buffer_size_read, buffer_size_write },
	{ "available_filter_functions", available_filter_functions_read, NULL },
	{ "set_ftrace_filter", filter_read, filter_write },
	{ "set_ftrace_notrace", notrace_read, notrace_write },
	{ "enabled_functions", enabled_functions_read, NULL },
};

/* trace_init - buffers, tracers and files; boot CPU after ftrace_init(). */
void trace_init(void)
{
	if (ring_buffer_init(DEFAULT_BUFFER_KB))
		panic("trace_init: no memory for the ring buffers");
	register_tracer(&nop_tracer);
	current_tracer = &nop_tracer;
	trace_functions_init();
	trace_graph_init();
	trace_profile_init();
	for (size_t i = 0; i < ARRAY_SIZE(trace_files); i++)
		fs_register(&trace_files[i]);
	trace_cmds_init();
}
