/*
 * trace_functions.c - the function tracer: one entry "func <-parent" per
 * call of every function selected by set_ftrace_filter/set_ftrace_notrace,
 * and with options/func_stack_trace the call chain after each (Linux's
 * function tracer option of that name).  It prints in the default format
 * under the default header, as on Linux.
 */
#include "kernel.h"
#include "ftrace.h"
#include "trace.h"

static bool func_stack_trace;	/* options/func_stack_trace */

/* function_trace_call - the tracer's callback: an entry (and a chain). */
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
		if (READ_ONCE(func_stack_trace))
			trace_record_stack(ip, parent_ip, fregs);
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

/* function_line - Linux's function tracer has no format of its own. */
static void function_line(struct rb_iter *it, const struct trace_entry *e, int cpu)
{
	trace_print_event(e, cpu);
}

/* func_stack_trace needs the call-chain pool: allocate it when first set. */
static int set_func_stack_trace(bool on)
{
	return on ? trace_aux_enable_stacks() : 0;
}

static const struct trace_opt function_opts[] = {
	{ "func_stack_trace", &func_stack_trace, set_func_stack_trace },
	{ NULL, NULL, NULL },
};

static struct tracer function_tracer = {
	.name = "function",
	.init = function_init,
	.reset = function_reset,
	.print_line = function_line,
	.opts = function_opts,
};

void trace_functions_init(void)
{
	register_tracer(&function_tracer);
	trace_options_register(function_opts);
}
