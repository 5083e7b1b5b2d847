/*
 * trace_output.c - how entries print, in the shapes of Linux's
 * kernel/trace/trace_output.c and trace.c: the context columns, symbols
 * under the sym-offset / sym-addr options, the default header, marker and
 * stack-trace entries, and the graph duration field with its overhead
 * marks (shared by function_graph and trace_stat).
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"

/*
 * trace_comm - the task name Linux would show for @pid on @cpu.  There is
 * one task per CPU here (the shell on CPU 0, idle loops elsewhere), so the
 * CPU's comm is the pid's; pid 0 is "<idle>" as on Linux.
 */
const char *trace_comm(int pid, int cpu)
{
	if (!pid || !cpu_state[cpu].comm)
		return "<idle>";
	return cpu_state[cpu].comm;
}

/*
 * print_ts - Linux's trace_print_time(): " secs.usecs" (rounded to the
 * nearest microsecond) for clocks in nanoseconds, the raw count in 12
 * columns for counter and uptime.
 */
static void print_ts(u64 ts)
{
	if (trace_clock_in_ns()) {
		u64 us = (ts + 500) / 1000;

		printk_raw(" %5lu.%06lu", (unsigned long)(us / 1000000),
			   (unsigned long)(us % 1000000));
	} else {
		printk_raw(" %12lu", (unsigned long)ts);
	}
}

/* trace_print_common - "           sh-1       [000] d.h..    12.345678: " */
void trace_print_common(const struct trace_entry *e, int cpu)
{
	char ctx = e->flags & TRACE_FLAG_NMI ? 'z' : e->flags & TRACE_FLAG_HARDIRQ ? 'h' : '.';

	printk_raw("%16s-%-7d [%03d] %c.%c..", trace_comm(e->pid, cpu), e->pid, cpu,
		   e->flags & TRACE_FLAG_IRQS_OFF ? 'd' : '.', ctx);
	print_ts(e->ts);
	printk_raw(": ");
}

/* trace_print_sym - see trace.h (Linux's seq_print_ip_sym). */
void trace_print_sym(unsigned long ip)
{
	unsigned int flags = READ_ONCE(trace_flags);

	if (!ip) {
		printk_raw("0");
		return;
	}
	if (flags & TRACE_ITER_SYM_OFFSET)
		printk_raw("%pS", (void *)ip);
	else
		printk_raw("%ps", (void *)ip);
	if (flags & TRACE_ITER_SYM_ADDR)
		printk_raw(" <%016lx>", ip);
}

/*
 * trace_default_header - Linux's header for tracers without their own
 * (nop, function): the entry counts, then the context columns explained.
 */
void trace_default_header(void)
{
	unsigned long in_buf, written;

	ring_buffer_stats(&in_buf, &written);
	printk_raw("# entries-in-buffer/entries-written: %lu/%lu   #P:%u\n#\n",
		   in_buf, written, arch_nr_cpus());
	printk_raw("#                                _-----=> irqs-off/BH-disabled\n"
		   "#                               / _----=> need-resched\n"
		   "#                              | / _---=> hardirq/softirq\n"
		   "#                              || / _--=> preempt-depth\n"
		   "#                              ||| / _-=> migrate-disable\n"
		   "#                              |||| /     delay\n"
		   "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		   "#              | |         |   |||||     |         |\n");
}

/* print_stack - Linux's trace_stack_print(): "<stack trace>" and " => f". */
static void print_stack(const struct trace_entry *e, int cpu)
{
	unsigned long ips[TRACE_STACK_MAX];
	int n = trace_aux_stack(cpu, e->aux, ips, TRACE_STACK_MAX);

	if (n < 0) {
		printk_raw("<stack trace lost>\n");
		return;
	}
	printk_raw("<stack trace>\n");
	for (int i = 0; i < n; i++) {
		printk_raw(" => ");
		trace_print_sym(ips[i]);
		printk_raw("\n");
	}
}

/* trace_print_event - see trace.h. */
void trace_print_event(const struct trace_entry *e, int cpu)
{
	char text[TRACE_TEXT_MAX];

	trace_print_common(e, cpu);
	switch (e->type) {
	case TRACE_FN:
		trace_print_sym(e->ip);
		if ((READ_ONCE(trace_flags) & TRACE_ITER_PRINT_PARENT) && e->parent_ip) {
			printk_raw(" <-");
			trace_print_sym(e->parent_ip);
		}
		printk_raw("\n");
		break;
	case TRACE_PRINT:	/* trace_marker */
	case TRACE_BPRINT:	/* trace_printk, Linux's "func: text" */
	case TRACE_BPUTS:
		trace_print_sym(e->ip);
		trace_entry_text(e, cpu, text, sizeof(text));
		printk_raw(": %s\n", text);
		break;
	case TRACE_STACK:
		print_stack(e, cpu);
		break;
	default:
		printk_raw("<entry of type %u>\n", e->type);
	}
}

/* Linux's trace_find_mark(): the first threshold a duration exceeds. */
static const struct { u64 ns; char sym; } marks[] = {
	{ 1000000000ULL, '$' },	/* 1 s */
	{ 100000000ULL, '@' },	/* 100 ms */
	{ 10000000ULL, '*' },	/* 10 ms */
	{ 1000000ULL, '#' },	/* 1 ms */
	{ 100000ULL, '!' },	/* 100 us */
	{ 10000ULL, '+' },	/* 10 us */
};

/* trace_find_mark - see trace.h: strictly above a threshold gets its mark. */
char trace_find_mark(u64 ns)
{
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
		if (ns > marks[i].ns)
			return marks[i].sym;
	return ' ';
}

/*
 * trace_format_graph_duration - Linux's trace_print_graph_duration() into
 * @buf: microseconds, then as many nanosecond digits as keep the number at
 * 7 digits, " us ", padded so the field is 12 columns for anything under
 * 10 s.  Returns the length.
 */
int trace_format_graph_duration(char *buf, size_t size, u64 ns)
{
	char usecs[24], nsecs[8];
	int len = snprintf(usecs, sizeof(usecs), "%lu", (unsigned long)(ns / 1000));
	int n = snprintf(buf, size, "%s", usecs);

	if (len < 7) {
		size_t slen = MIN((size_t)5, (size_t)(8 - len));	/* Linux's cut */

		snprintf(nsecs, slen, "%03lu", (unsigned long)(ns % 1000));
		n += snprintf(buf + n, size - n, ".%s", nsecs);
		len += (int)strlen(nsecs) + 1;
	}
	n += snprintf(buf + n, size - n, " us ");
	for (; len < 8; len++)
		n += snprintf(buf + n, size - n, " ");
	return n;
}

/* trace_print_graph_duration - the field above, to the console. */
void trace_print_graph_duration(u64 ns)
{
	char buf[48];

	trace_format_graph_duration(buf, sizeof(buf), ns);
	printk_raw("%s", buf);
}
