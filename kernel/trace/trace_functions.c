/*
 * trace_functions.c - the function tracer: one entry "func <-parent" per
 * call of every function selected by set_ftrace_filter/set_ftrace_notrace.
 */
#include "kernel.h"
#include "ftrace.h"
#include "trace.h"

static void notrace function_trace_call(unsigned long ip, unsigned long parent_ip,
					struct ftrace_ops *op,
					struct ftrace_regs *fregs)
{
	struct trace_entry e;
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	if (tracing_is_on()) {
		trace_fill_common(&e, TRACE_FN);
		e.ip = ip;
		e.parent_ip = parent_ip;
		e.depth = 0;
		e.calltime = 0;
		ring_buffer_write(&e);
	}
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops trace_ops = {
	.func = function_trace_call,
	.name = "function",
	.func_hash = &trace_global_hash,
};

static int function_init(void)
{
	return register_ftrace_function(&trace_ops);
}

static void function_reset(void)
{
	unregister_ftrace_function(&trace_ops);
}

static void function_header(void)
{
	printk_raw("#                                _-----=> irqs-off/BH-disabled\n"
		   "#                               / _----=> need-resched\n"
		   "#                              | / _---=> hardirq/softirq\n"
		   "#                              || / _--=> preempt-depth\n"
		   "#                              ||| / _-=> migrate-disable\n"
		   "#                              |||| /     delay\n"
		   "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		   "#              | |         |   |||||     |         |\n");
}

static void function_line(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	if (e->type != TRACE_FN)
		return;
	trace_print_common(e, cpu);
	printk_raw("%ps <-%ps\n", (void *)e->ip, (void *)e->parent_ip);
}

static struct tracer function_tracer = {
	"function", function_init, function_reset, function_header, function_line,
};

void trace_functions_init(void)
{
	register_tracer(&function_tracer);
}
