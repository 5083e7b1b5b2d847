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
	int d, bit = ftrace_test_recursion_trylock();

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
	d = fc->depth;
	if (!gops->entryfunc(ip, d, &data))
		goto out;
	/*
	 * Take the slot first, then fill it: an interrupt taken between the
	 * two pushes its handlers' frames above it.  Filled first and taken
	 * after, the slot was the interrupt's to use: its handler's frame
	 * (riscv_plic_irq's, say) was left in ours, this function's return
	 * then found a frame deeper than itself on top, dropped it as stale
	 * and panicked with no frame of its own (riscv64, function_graph on
	 * every function with console input arriving).
	 */
	fc->depth = d + 1;
	barrier();
	fc->stack[d] = (struct fgraph_frame){
		.ret = *loc, .func = ip, .entry_sp = ftrace_regs_entry_sp(fregs),
		.calltime = arch_clock_ns(), .gops = gops, .data = data,
	};
	barrier();	/* the frame is whole before the return can use it */
	*loc = (unsigned long)return_to_handler;
out:
	ftrace_test_recursion_unlock(bit);
}

/*
 * ftrace_return_to_handler - called by return_to_handler with the stack
 * pointer the returning function had at entry and its return value.
 * Returns the address to continue at.  A missing frame is a broken
 * invariant: panic.
 */
unsigned long notrace ftrace_return_to_handler(unsigned long entry_sp, unsigned long retval)
{
	struct fgraph_cpu *fc = &fgraph_cpu[arch_cpu_id()];
	struct fgraph_frame f;
	int bit;

	while (fc->depth && fc->stack[fc->depth - 1].entry_sp < entry_sp) {
		fc->depth--;
		fc->stale++;
	}
	if (!fc->depth || fc->stack[fc->depth - 1].entry_sp != entry_sp) {
		for (int i = 0; i < fc->depth; i++)
			printk("fgraph: frame %d: %ps sp=0x%lx ret=%pS\n", i, (void *)fc->stack[i].func,
			       fc->stack[i].entry_sp, (void *)fc->stack[i].ret);
		printk("fgraph: %lu frames discarded as stale so far\n", fc->stale);
		panic("ftrace_return_to_handler: no shadow frame for sp 0x%lx", entry_sp);
	}
	f = fc->stack[fc->depth - 1];
	barrier();
	fc->depth--;
	bit = ftrace_test_recursion_trylock();
	if (bit >= 0) {
		f.gops->retfunc(f.func, fc->depth, f.calltime, arch_clock_ns(), f.data, retval);
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
static int graph_root_depth[MAX_CPUS];		/* the outermost one's depth */
static unsigned int graph_notrace_active[MAX_CPUS];	/* inside a notrace one */
bool graph_irqs = true;			/* options/funcgraph-irqs */

#define GRAPH_FL_ROOT	1UL	/* frame data: this call entered a graph function */
#define GRAPH_FL_NOTRACE 2UL	/* frame data: this call entered a notrace one */

/*
 * graph_entry - with set_graph_function, calls are graphed only inside a
 * listed function: graph_active[cpu] counts the listed calls in progress.
 * A call that raises it says so in its frame (GRAPH_FL_ROOT) and its return
 * lowers it again, whatever the hash holds by then: the list may change
 * while a listed function (the shell's own cmd_echo, say) is running.
 * Only calls deeper than the outermost listed call count as inside it: an
 * interrupt taken between the count going up and that call's shadow frame
 * being pushed (or after the frame is popped, before the count goes down)
 * runs at the listed call's own depth and is not part of its graph.
 * set_graph_notrace works the same way the other way round (Linux keeps
 * its return so that it can clear the state: so do we), and
 * max_graph_depth drops calls nested deeper than it.  With tracing_thresh
 * only returns are recorded (graph_return decides by duration).
 */
static bool notrace graph_entry(unsigned long func, int depth, unsigned long *data)
{
	struct trace_entry e;
	struct ftrace_hash *h = READ_ONCE(graph_hash);
	struct ftrace_hash *nh = READ_ONCE(graph_notrace_hash);
	unsigned int cpu = arch_cpu_id(), max = READ_ONCE(fgraph_max_depth);

	if (graph_notrace_active[cpu])
		return false;
	if (!ftrace_hash_empty(nh) && ftrace_hash_contains(nh, func)) {
		graph_notrace_active[cpu]++;
		*data = GRAPH_FL_NOTRACE;
		return true;
	}
	if (!READ_ONCE(graph_irqs) && this_cpu()->irq_depth)
		return false;	/* the whole interrupt stays out of the graph */
	if (max && (unsigned int)depth >= max)
		return false;
	if (!ftrace_hash_empty(h)) {
		if (ftrace_hash_contains(h, func)) {
			if (!graph_active[cpu])
				graph_root_depth[cpu] = depth;
			barrier();
			graph_active[cpu]++;
			*data = GRAPH_FL_ROOT;
		} else if (!graph_active[cpu] || depth <= graph_root_depth[cpu]) {
			return false;
		}
	}
	if (tracing_is_on() && !READ_ONCE(tracing_thresh_ns)) {
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
				 unsigned long data, unsigned long retval)
{
	struct trace_entry e;
	u64 thresh = READ_ONCE(tracing_thresh_ns);

	if (data & GRAPH_FL_NOTRACE) {
		graph_notrace_active[arch_cpu_id()]--;
		return;
	}
	if (data & GRAPH_FL_ROOT)
		graph_active[arch_cpu_id()]--;
	if (!tracing_is_on() || (thresh && rettime - calltime < thresh))
		return;
	trace_fill_common(&e, TRACE_GRAPH_RET);
	e.ip = func;
	e.retval = retval;
	e.duration = rettime - calltime;
	e.depth = (u8)depth;
	ring_buffer_write(&e);
}

static struct fgraph_ops graph_ops = {
	.entryfunc = graph_entry,
	.retfunc = graph_return,
	.ops = { .name = "function_graph", .func_hash = &trace_global_hash },
};

/* trace_graph_start - the function_graph tracer's init (current_tracer). */
int trace_graph_start(void)
{
	memset(graph_active, 0, sizeof(graph_active));
	memset(graph_notrace_active, 0, sizeof(graph_notrace_active));
	return register_ftrace_graph(&graph_ops);
}

void trace_graph_stop(void)
{
	unregister_ftrace_graph(&graph_ops);
}

static void graph_function_read(void)
{
	trace_print_hash(graph_hash, "#### all functions enabled ####");
}

/* set_graph_function: same glob syntax as set_ftrace_filter. */
static int graph_function_write(const char *text, bool append)
{
	struct ftrace_hash *old = graph_hash, *n = kzalloc(sizeof(*n));
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

/* trace_graph_init - set_graph_function (the output side registers the tracer). */
void trace_graph_init(void)
{
	fs_register(&graph_function_file);
}
