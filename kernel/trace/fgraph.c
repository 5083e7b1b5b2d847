/*
 * fgraph.c - function graph tracing: entry and return of traced functions.
 *
 * At entry, the graph callback saves the function's return address on this
 * CPU's shadow stack and replaces it with return_to_handler (arch asm).
 * When the function returns there, ftrace_return_to_handler() pops the
 * shadow frame, reports the return and gives back the real address.
 *
 * Frames are matched by the stack pointer the function had at entry
 * (entry_sp).  Stacks grow down, so a frame with a lower entry_sp than the
 * returning function belongs to a function that never returned normally
 * (it escaped through a panic or a longjmp-like path): it is discarded, and
 * other frames are never disturbed.  Interrupt handlers run on the same
 * stack, below the code they interrupt, so nesting stays LIFO.  NMIs are
 * not graph traced (they may run on another stack).
 *
 * Several users (the graph tracer, the profiler) may trace one function:
 * each pushes its own frame, and the returns unwind through them in order.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"
#include "smp.h"

#define FGRAPH_DEPTH 64

struct fgraph_frame {
	unsigned long ret;	/* the real return address */
	unsigned long func;
	unsigned long entry_sp;
	u64 calltime;
	struct fgraph_ops *gops;
	unsigned long data;	/* entryfunc's, for retfunc */
};

struct fgraph_cpu {
	struct fgraph_frame stack[FGRAPH_DEPTH];
	int depth;
	unsigned long overruns, stale;
};

static struct fgraph_cpu fgraph_cpu[MAX_CPUS];

static void notrace fgraph_entry(unsigned long ip, unsigned long parent_ip,
				 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct fgraph_ops *gops = op->private;
	struct fgraph_cpu *fc;
	unsigned long *loc;
	unsigned long data = 0;
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	if (this_cpu()->nmi_depth)
		goto out;
	fc = &fgraph_cpu[arch_cpu_id()];
	loc = ftrace_regs_parent_loc(fregs);
	if (fc->depth == FGRAPH_DEPTH) {
		fc->overruns++;
		goto out;
	}
	if (!gops->entryfunc(ip, fc->depth, &data))
		goto out;
	fc->stack[fc->depth] = (struct fgraph_frame){
		.ret = *loc, .func = ip, .entry_sp = ftrace_regs_entry_sp(fregs),
		.calltime = arch_clock_ns(), .gops = gops, .data = data,
	};
	barrier();
	fc->depth++;	/* visible before the return can happen */
	*loc = (unsigned long)return_to_handler;
out:
	ftrace_test_recursion_unlock(bit);
}

/*
 * ftrace_return_to_handler - called by return_to_handler with the stack
 * pointer the returning function had at entry.  Returns the address to
 * continue at.  A missing frame is a broken invariant: panic.
 */
unsigned long notrace ftrace_return_to_handler(unsigned long entry_sp)
{
	struct fgraph_cpu *fc = &fgraph_cpu[arch_cpu_id()];
	struct fgraph_frame f;
	int bit;

	while (fc->depth && fc->stack[fc->depth - 1].entry_sp < entry_sp) {
		fc->depth--;
		fc->stale++;
	}
	if (!fc->depth || fc->stack[fc->depth - 1].entry_sp != entry_sp)
		panic("ftrace_return_to_handler: no shadow frame for sp 0x%lx", entry_sp);
	f = fc->stack[fc->depth - 1];
	barrier();
	fc->depth--;
	bit = ftrace_test_recursion_trylock();
	if (bit >= 0) {
		f.gops->retfunc(f.func, fc->depth, f.calltime, arch_clock_ns(), f.data);
		ftrace_test_recursion_unlock(bit);
	}
	return f.ret;
}

int register_ftrace_graph(struct fgraph_ops *gops)
{
	gops->ops.func = fgraph_entry;
	gops->ops.private = gops;
	return register_ftrace_function(&gops->ops);
}

void unregister_ftrace_graph(struct fgraph_ops *gops)
{
	unregister_ftrace_function(&gops->ops);
}

/* ---- the function_graph tracer ---------------------------------------- */

static struct ftrace_hash *graph_hash;	/* set_graph_function; NULL = all */
static unsigned int graph_active[MAX_CPUS];	/* inside a graph function */
static bool graph_irqs = true;			/* options/funcgraph-irqs */

#define GRAPH_FL_ROOT	1UL	/* frame data: this call entered a graph function */

/*
 * graph_entry - with set_graph_function, calls are graphed only inside a
 * listed function: graph_active[cpu] counts the listed calls in progress.
 * A call that raises it says so in its frame (GRAPH_FL_ROOT) and its return
 * lowers it again, whatever the hash holds by then: the list may change
 * while a listed function (the shell's own cmd_echo, say) is running.
 */
static bool notrace graph_entry(unsigned long func, int depth, unsigned long *data)
{
	struct trace_entry e;
	struct ftrace_hash *h = READ_ONCE(graph_hash);
	unsigned int cpu = arch_cpu_id();

	if (!READ_ONCE(graph_irqs) && this_cpu()->irq_depth)
		return false;	/* the whole interrupt stays out of the graph */
	if (!ftrace_hash_empty(h)) {
		if (ftrace_hash_contains(h, func)) {
			graph_active[cpu]++;
			*data = GRAPH_FL_ROOT;
		} else if (!graph_active[cpu]) {
			return false;
		}
	}
	if (tracing_is_on()) {
		trace_fill_common(&e, TRACE_GRAPH_ENT);
		e.ip = func;
		e.parent_ip = 0;
		e.calltime = 0;
		e.depth = (u8)depth;
		ring_buffer_write(&e);
	}
	return true;
}

static void notrace graph_return(unsigned long func, int depth, u64 calltime, u64 rettime,
				 unsigned long data)
{
	struct trace_entry e;

	if (data & GRAPH_FL_ROOT)
		graph_active[arch_cpu_id()]--;
	if (!tracing_is_on())
		return;
	trace_fill_common(&e, TRACE_GRAPH_RET);
	e.ts = rettime;
	e.ip = func;
	e.parent_ip = 0;
	e.calltime = calltime;
	e.depth = (u8)depth;
	ring_buffer_write(&e);
}

static struct fgraph_ops graph_ops = {
	.entryfunc = graph_entry,
	.retfunc = graph_return,
	.ops = { .name = "function_graph", .func_hash = &trace_global_hash },
};

static int graph_init(void)
{
	memset(graph_active, 0, sizeof(graph_active));
	return register_ftrace_graph(&graph_ops);
}

static void graph_reset(void)
{
	unregister_ftrace_graph(&graph_ops);
}

static void graph_header(void)
{
	printk_raw("# CPU  DURATION                  FUNCTION CALLS\n"
		   "# |     |   |                     |   |   |   |\n");
}

static void print_duration(int cpu, u64 ns)
{
	printk_raw("%2d)  %7lu.%03lu us   |  ", cpu, (unsigned long)(ns / 1000),
		   (unsigned long)(ns % 1000));
}

/*
 * graph_line - Linux's layout: a call with no traced callee is one line
 * "func();" with its duration; otherwise "func() {" ... "}" with the
 * duration on the closing line.  Indentation: two spaces per depth.
 */
static void graph_line(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	struct trace_entry next;

	if (e->type == TRACE_GRAPH_ENT) {
		if (rb_iter_peek_cpu(it, cpu, &next) && next.type == TRACE_GRAPH_RET &&
		    next.ip == e->ip && next.depth == e->depth) {
			rb_iter_skip_cpu(it, cpu);
			print_duration(cpu, next.ts - next.calltime);
			printk_raw("%*s%ps();\n", 2 * e->depth, "", (void *)e->ip);
			return;
		}
		printk_raw("%2d)                   |  %*s%ps() {\n", cpu, 2 * e->depth, "",
			   (void *)e->ip);
	} else if (e->type == TRACE_GRAPH_RET) {
		print_duration(cpu, e->ts - e->calltime);
		printk_raw("%*s} /* %ps */\n", 2 * e->depth, "", (void *)e->ip);
	}
}

static struct tracer graph_tracer = {
	"function_graph", graph_init, graph_reset, graph_header, graph_line,
};

void trace_print_hash(const struct ftrace_hash *h, const char *empty_msg);

static void graph_function_read(void)
{
	trace_print_hash(graph_hash, "#### all functions enabled ####");
}

/* set_graph_function: same glob syntax as set_ftrace_filter. */
static int graph_function_write(const char *text, bool append)
{
	struct ftrace_hash *old = graph_hash, *n = kzalloc(sizeof(*n));
	int err = n ? 0 : -ENOMEM;

	if (!err && old && append)
		err = ftrace_hash_copy(n, old);
	if (!err)
		err = ftrace_hash_apply_globs(n, text, !append);
	if (err) {
		if (n)
			ftrace_hash_clear(n);
		kfree(n);
		return err;
	}
	WRITE_ONCE(graph_hash, n);
	text_sync();		/* interrupt handlers past the old hash */
	synchronize_quiescent();	/* and task contexts */
	if (old) {
		ftrace_hash_clear(old);
		kfree(old);
	}
	return 0;
}

static const struct tfile graph_function_file = {
	"set_graph_function", graph_function_read, graph_function_write,
};

/* options/funcgraph-irqs: 1 (default) graphs interrupts too, as Linux. */
static void graph_irqs_read(void)
{
	printk_raw("%d\n", READ_ONCE(graph_irqs));
}

static int graph_irqs_write(const char *text, bool append)
{
	if (strcmp(text, "0") && strcmp(text, "1"))
		return -EINVAL;
	WRITE_ONCE(graph_irqs, text[0] == '1');
	return 0;
}

static const struct tfile graph_irqs_file = {
	"options/funcgraph-irqs", graph_irqs_read, graph_irqs_write,
};

void trace_graph_init(void)
{
	register_tracer(&graph_tracer);
	fs_register(&graph_function_file);
	fs_register(&graph_irqs_file);
}
