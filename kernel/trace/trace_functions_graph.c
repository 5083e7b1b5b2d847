/*
 * trace_functions_graph.c - the function_graph tracer's output and
 * controls, in the shapes of Linux's kernel/trace/trace_functions_graph.c
 * (fgraph.c records the entries: graph_entry / graph_return).
 *
 * A line is: [abstime " |  "] [" 0) "] [" comm-pid  | "] [mark " "
 * duration "|  "] indentation (two spaces per depth) and the call:
 *
 *   " 0)               |  chain_outer() {"
 *   " 0)   0.412 us    |      chain_leaf();"
 *   " 0) + 12.118 us   |  }"
 *
 * so the '|' stands in the same column (18 with a one-digit CPU) on every
 * line.  A call whose return directly follows its entry is one leaf line;
 * a closing brace is plain "}" unless options/funcgraph-tail is set or its
 * entry was not seen.  "==========>" / "<==========" frame an interrupt
 * taken inside the graph.  The files: options/funcgraph-{overhead,cpu,
 * proc,duration,abstime,irqs,tail,retval,retval-hex}, max_graph_depth,
 * set_graph_notrace and tracing_thresh.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"
#include "smp.h"

#define GRAPH_INDENT	2
#define PRINT_DEPTH	256	/* entries remembered per CPU (depth is a u8) */

/* The options, with Linux's defaults. */
static bool opt_overhead = true, opt_cpu = true, opt_proc, opt_duration = true;
static bool opt_abstime, opt_tail, opt_retval, opt_retval_hex;

unsigned int fgraph_max_depth;
u64 tracing_thresh_ns;
struct ftrace_hash *graph_notrace_hash;

/* What the duration column holds on a line without a duration. */
enum fill { FILL_NONE, FILL_FULL, FILL_START, FILL_END };

/* Per-CPU print state for one listing (Linux's fgraph_cpu_data). */
struct graph_print_cpu {
	int last_pid;		/* -1: nothing printed yet */
	int depth;		/* where a comment (marker) indents to */
	int irq_depth;		/* depth of the interrupt being shown, or -1 */
	unsigned long enter_funcs[PRINT_DEPTH];	/* open "func() {" per depth */
};

static struct graph_print_cpu print_cpu[MAX_CPUS];

/* graph_open - a listing starts: nothing is open, no pid seen. */
static void graph_open(void)
{
	for (int c = 0; c < MAX_CPUS; c++) {
		print_cpu[c].last_pid = -1;
		print_cpu[c].depth = 0;
		print_cpu[c].irq_depth = -1;
		memset(print_cpu[c].enter_funcs, 0, sizeof(print_cpu[c].enter_funcs));
	}
}

/* print_proc - "comm-pid" centred in 14 columns, comm cut to 7 (Linux). */
static void print_proc(int pid, int cpu)
{
	char s[32];
	int len = snprintf(s, sizeof(s), "%.7s-%d", trace_comm(pid, cpu), pid);
	int spaces = len < 14 ? 14 - len : 0;

	printk_raw("%*s%s%*s", spaces / 2, "", s, spaces - spaces / 2, "");
}

/* print_prologue - the columns before the duration: time, CPU, task. */
static void print_prologue(const struct trace_entry *e, int cpu)
{
	if (opt_abstime) {
		u64 us = e->ts / 1000;

		printk_raw("%5lu.%06lu |  ", (unsigned long)(us / 1000000),
			   (unsigned long)(us % 1000000));
	}
	if (opt_cpu)
		printk_raw(" %*d) ", arch_nr_cpus() > 10 ? 2 : 1, cpu);
	if (opt_proc) {
		print_proc(e->pid, cpu);
		printk_raw(" | ");
	}
}

/* print_duration - Linux's print_graph_duration(): the mark, the time, "|". */
static void print_duration(u64 ns, enum fill fill)
{
	if (!opt_duration)
		return;
	switch (fill) {
	case FILL_FULL:
		printk_raw("              |  ");
		return;
	case FILL_START:
		printk_raw("  ");
		return;
	case FILL_END:
		printk_raw(" |");
		return;
	case FILL_NONE:
		break;
	}
	printk_raw("%c ", opt_overhead ? trace_find_mark(ns) : ' ');
	trace_print_graph_duration(ns);
	printk_raw("|  ");
}

/* print_irq_marker - the "==========>" / "<==========" line of an interrupt. */
static void print_irq_marker(const struct trace_entry *e, int cpu, bool enter)
{
	print_prologue(e, cpu);
	print_duration(0, FILL_START);
	printk_raw(enter ? "==========>" : "<==========");
	print_duration(0, FILL_END);
	printk_raw("\n");
}

/* verif_pid - Linux's context-switch banner when a CPU's pid changes. */
static void verif_pid(const struct trace_entry *e, int cpu)
{
	struct graph_print_cpu *pc = &print_cpu[cpu];
	int prev = pc->last_pid;

	if (prev == e->pid)
		return;
	pc->last_pid = e->pid;
	if (prev == -1)
		return;
	printk_raw(" ------------------------------------------\n");
	printk_raw(" %*d) ", arch_nr_cpus() > 10 ? 2 : 1, cpu);
	print_proc(prev, cpu);
	printk_raw(" => ");
	print_proc(e->pid, cpu);
	printk_raw("\n ------------------------------------------\n\n");
}

/*
 * print_retval - Linux 6.5's funcgraph-retval forms: "f(); /" "* = 0x3 *" "/"
 * and "} /" "* f = 0x22 *" "/"; an errno-like value (-1..-4095, also as a
 * 32-bit int) prints as a negative decimal unless funcgraph-retval-hex.
 */
static void print_retval(unsigned long func, unsigned long retval, bool leaf)
{
	unsigned long err = 0;

	if (retval && !opt_retval_hex) {
		if ((retval & (1UL << 31)) && !(retval >> 32))
			err = (unsigned long)(long)(s32)retval;
		else
			err = retval;
		if (err < (unsigned long)-4095)
			err = 0;
	}
	if (leaf)
		printk_raw("%ps(); /* = ", (void *)func);
	else
		printk_raw("} /* %ps = ", (void *)func);
	if (err)
		printk_raw("%ld */\n", (long)err);
	else
		printk_raw("0x%lx */\n", retval);
}

/* irq_start - is @e the first entry of an interrupt on its CPU? */
static bool irq_start(const struct trace_entry *e, int cpu)
{
	return (e->flags & TRACE_FLAG_HARDIRQ) && print_cpu[cpu].irq_depth < 0;
}

/* irq_end - after printing a return at @depth: close a shown interrupt. */
static void irq_end(const struct trace_entry *e, int cpu, int depth)
{
	struct graph_print_cpu *pc = &print_cpu[cpu];

	if (pc->irq_depth >= 0 && depth <= pc->irq_depth) {
		pc->irq_depth = -1;
		print_irq_marker(e, cpu, false);
	}
}

/*
 * hidden_irq - funcgraph-irqs cleared after recording: skip what an
 * interrupt recorded, from its first entry to the return at that depth.
 */
static bool hidden_irq(const struct trace_entry *e, int cpu)
{
	struct graph_print_cpu *pc = &print_cpu[cpu];

	if (READ_ONCE(graph_irqs))
		return false;
	if (e->type == TRACE_GRAPH_ENT) {
		if (pc->irq_depth < 0 && !(e->flags & TRACE_FLAG_HARDIRQ))
			return false;
		if (pc->irq_depth < 0)
			pc->irq_depth = e->depth;
		return true;
	}
	if (pc->irq_depth < 0)
		return false;
	if (pc->irq_depth >= e->depth)
		pc->irq_depth = -1;
	return true;
}

/* print_entry - a call: one leaf line if its return follows, else "f() {". */
static void print_entry(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	struct graph_print_cpu *pc = &print_cpu[cpu];
	struct trace_entry next;
	int d = e->depth;

	verif_pid(e, cpu);
	if (irq_start(e, cpu)) {
		print_irq_marker(e, cpu, true);
		pc->irq_depth = d;
	}
	print_prologue(e, cpu);
	if (rb_iter_peek_cpu(it, cpu, &next) && next.type == TRACE_GRAPH_RET &&
	    next.ip == e->ip && next.pid == e->pid && next.depth == e->depth) {
		rb_iter_skip_cpu(it, cpu);
		pc->depth = d - 1;	/* comments stay at this depth */
		pc->enter_funcs[d] = 0;
		print_duration(next.duration, FILL_NONE);
		printk_raw("%*s", GRAPH_INDENT * d, "");
		if (opt_retval)
			print_retval(e->ip, next.retval, true);
		else
			printk_raw("%ps();\n", (void *)e->ip);
		irq_end(e, cpu, d);
		return;
	}
	pc->depth = d;
	pc->enter_funcs[d] = e->ip;
	print_duration(0, FILL_FULL);
	printk_raw("%*s%ps() {\n", GRAPH_INDENT * d, "", (void *)e->ip);
}

/* print_return - "}", or "} /" "* f *" "/" with funcgraph-tail or a lost entry. */
static void print_return(const struct trace_entry *e, int cpu)
{
	struct graph_print_cpu *pc = &print_cpu[cpu];
	int d = e->depth;
	bool match = pc->enter_funcs[d] == e->ip;

	pc->depth = d - 1;
	pc->enter_funcs[d] = 0;
	verif_pid(e, cpu);
	print_prologue(e, cpu);
	print_duration(e->duration, FILL_NONE);
	printk_raw("%*s", GRAPH_INDENT * d, "");
	if (opt_retval)
		print_retval(e->ip, e->retval, false);
	else if (match && !opt_tail)
		printk_raw("}\n");
	else
		printk_raw("} /* %ps */\n", (void *)e->ip);
	irq_end(e, cpu, d);
}

/*
 * print_comment - a marker or trace_printk() text inside the graph:
 * "/" "* text *" "/" (Linux).
 */
static void print_comment(const struct trace_entry *e, int cpu)
{
	char text[TRACE_TEXT_MAX];
	int d = print_cpu[cpu].depth;

	verif_pid(e, cpu);
	print_prologue(e, cpu);
	print_duration(0, FILL_FULL);
	if (d > 0)
		printk_raw("%*s", (d + 1) * GRAPH_INDENT, "");
	trace_entry_text(e, cpu, text, sizeof(text));
	printk_raw("/* %s */\n", text);
}

/* graph_print_line - one entry: calls, returns, markers as comments, the
 * rest (stack traces) in the default format as Linux does. */
static void graph_print_line(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	switch (e->type) {
	case TRACE_GRAPH_ENT:
		if (!hidden_irq(e, cpu))
			print_entry(it, e, cpu);
		break;
	case TRACE_GRAPH_RET:
		if (!hidden_irq(e, cpu))
			print_return(e, cpu);
		break;
	case TRACE_PRINT:
	case TRACE_BPRINT:
	case TRACE_BPUTS:
		print_comment(e, cpu);
		break;
	default:	/* stack traces and the rest: the default format, as Linux */
		trace_print_event(e, cpu);
	}
}

/* graph_print_header - Linux's two header lines for the columns shown. */
static void graph_print_header(void)
{
	printk_raw("#%s%s%s%s               FUNCTION CALLS\n",
		   opt_abstime ? "     TIME       " : "", opt_cpu ? " CPU" : "",
		   opt_proc ? "  TASK/PID       " : "", opt_duration ? "  DURATION   " : "");
	printk_raw("#%s%s%s%s               |   |   |   |\n",
		   opt_abstime ? "      |         " : "", opt_cpu ? " |  " : "",
		   opt_proc ? "   |    |        " : "", opt_duration ? "   |   |      " : "");
}

static const struct trace_opt graph_opts[] = {
	{ "funcgraph-overhead", &opt_overhead, NULL },
	{ "funcgraph-cpu", &opt_cpu, NULL },
	{ "funcgraph-proc", &opt_proc, NULL },
	{ "funcgraph-duration", &opt_duration, NULL },
	{ "funcgraph-abstime", &opt_abstime, NULL },
	{ "funcgraph-irqs", &graph_irqs, NULL },
	{ "funcgraph-tail", &opt_tail, NULL },
	{ "funcgraph-retval", &opt_retval, NULL },
	{ "funcgraph-retval-hex", &opt_retval_hex, NULL },
	{ NULL, NULL, NULL },
};

static struct tracer graph_tracer = {
	.name = "function_graph",
	.init = trace_graph_start,
	.reset = trace_graph_stop,
	.print_header = graph_print_header,
	.open = graph_open,
	.print_line = graph_print_line,
	.opts = graph_opts,
};

/* ---- controls --------------------------------------------------------- */

/* parse_decimal - Linux's kstrtoul(s, 10): digits only; -EINVAL, -ERANGE. */
static int parse_decimal(const char *s, unsigned long *v)
{
	if (!*s)
		return -EINVAL;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	return kstrtoul(s, v);
}

/* max_graph_depth, tracing_thresh, set_graph_notrace: values as written. */
static void max_depth_read(void)
{
	printk_raw("%u\n", READ_ONCE(fgraph_max_depth));
}

/* max_graph_depth: 0 (no limit) or how many levels to graph (Linux). */
static int max_depth_write(const char *text, bool append)
{
	unsigned long v;
	int err = parse_decimal(text, &v);

	if (err)
		return err;
	if (v > 0xffffffffUL)
		return -ERANGE;
	WRITE_ONCE(fgraph_max_depth, (unsigned int)v);
	return 0;
}

static void thresh_read(void)
{
	printk_raw("%lu\n", (unsigned long)(READ_ONCE(tracing_thresh_ns) / 1000));
}

/*
 * tracing_thresh: microseconds, as Linux.  While set, function_graph
 * records only returns that took at least this long (and no entries), and
 * trace_stat leaves out the times of functions whose average is below it.
 */
static int thresh_write(const char *text, bool append)
{
	unsigned long us;
	int err = parse_decimal(text, &us);

	if (err)
		return err;
	if (us > ~0UL / 1000)
		return -ERANGE;
	WRITE_ONCE(tracing_thresh_ns, (u64)us * 1000);
	return 0;
}

/* trace_hash_replace - see trace.h: the swap set_graph_function uses. */
void trace_hash_replace(struct ftrace_hash **slot, struct ftrace_hash *n)
{
	struct ftrace_hash *old = *slot;

	WRITE_ONCE(*slot, n);
	text_sync();		/* interrupt handlers past the old hash */
	synchronize_quiescent();	/* and task contexts */
	if (old) {
		ftrace_hash_clear(old);
		kfree(old);
	}
}

static void graph_notrace_read(void)
{
	trace_print_hash(graph_notrace_hash, "#### no functions disabled ####");
}

/* set_graph_notrace: these functions and all they call stay out of the graph. */
static int graph_notrace_write(const char *text, bool append)
{
	struct ftrace_hash *old = graph_notrace_hash, *n = kzalloc(sizeof(*n));
	char globs[1100];
	int err = n ? 0 : -ENOMEM;

	if (!err && old && append)
		err = ftrace_hash_copy(n, old);
	if (!err)
		err = trace_filter_rewrite(text, globs, sizeof(globs));
	if (!err)
		err = ftrace_hash_apply_globs(n, globs, !append);
	if (err) {
		if (n)
			ftrace_hash_clear(n);
		kfree(n);
		return err;
	}
	trace_hash_replace(&graph_notrace_hash, n);
	return 0;
}

static const struct tfile graph_files[] = {
	{ "max_graph_depth", max_depth_read, max_depth_write },
	{ "tracing_thresh", thresh_read, thresh_write },
	{ "set_graph_notrace", graph_notrace_read, graph_notrace_write },
};

/* trace_graph_output_init - the tracer, its options and control files. */
void trace_graph_output_init(void)
{
	register_tracer(&graph_tracer);
	trace_options_register(graph_opts);
	for (size_t i = 0; i < ARRAY_SIZE(graph_files); i++)
		fs_register(&graph_files[i]);
}
