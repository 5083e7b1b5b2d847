/*
 * trace_stack.c - the stack tracer, as Linux's kernel/trace/trace_stack.c:
 * one more ftrace_ops user that, at the entry of every function
 * stack_trace_filter selects, measures how much of the CPU's stack is in
 * use and keeps the deepest call chain seen.
 *
 *   stack_tracer_enabled   Linux's sysctl: an integer, non-zero traces
 *   stack_max_size         the deepest use in bytes; writing sets it (0 resets)
 *   stack_trace            that chain: Depth, Size, Location per frame
 *   stack_trace_filter     globs (set_ftrace_filter's syntax, no commands)
 *
 * Depth is the stack top minus where a frame starts: for the traced
 * function and its caller the stack pointer at the traced call's entry
 * (the traced function has no frame of its own yet there, so its Size is
 * 0), for the callers above the frame pointer each frame record sits at
 * (frame records lie at the same offset in every frame, so Sizes - the
 * differences - are the frames' sizes).  Linux finds each return
 * address's slot by scanning the stack and shows the tracer's entry slot
 * as the traced function's size; riscv keeps return addresses in a
 * register until a prologue saves them, so scanning cannot be done alike
 * on both arches here.
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"
#include "spinlock.h"

#define STACK_TRACE_MAX	TRACE_STACK_MAX

static long stack_tracer_enabled;	/* as written (Linux keeps the int) */
static unsigned long stack_max_size;
static unsigned long dump_trace[STACK_TRACE_MAX];
static unsigned long dump_index[STACK_TRACE_MAX];	/* depth of each frame */
static int nr_entries;
static spinlock_t stack_lock = SPINLOCK_INIT;

/*
 * check_stack - record a new deepest chain if the traced call at @ip went
 * deeper than any before.  Interrupts off and the lock held only on a new
 * maximum, which is rare once the deep paths were seen.
 */
static void notrace check_stack(unsigned long ip, unsigned long parent_ip,
				struct ftrace_regs *fregs)
{
	unsigned long where[STACK_TRACE_MAX], lo, hi, flags;
	unsigned long sp = ftrace_regs_entry_sp(fregs), size;

	if (!arch_stack_bounds(sp, &lo, &hi))
		return;
	size = hi - sp;
	if (size <= READ_ONCE(stack_max_size))
		return;
	flags = arch_irq_save();
	spin_lock(&stack_lock);
	if (size > stack_max_size) {
		int n = trace_save_stack(ip, parent_ip, fregs, dump_trace, where,
					 STACK_TRACE_MAX);

		for (int i = 0; i < n; i++)
			dump_index[i] = where[i] >= lo && where[i] <= hi ? hi - where[i] : 0;
		nr_entries = n;
		WRITE_ONCE(stack_max_size, size);
	}
	spin_unlock(&stack_lock);
	arch_irq_restore(flags);
}

/* stack_trace_call - the ops' callback; NMIs may run on another stack. */
static void notrace stack_trace_call(unsigned long ip, unsigned long parent_ip,
				     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	if (!this_cpu()->nmi_depth)	/* Linux leaves NMIs out too */
		check_stack(ip, parent_ip, fregs);
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops stack_ops = { .func = stack_trace_call, .name = "stack_trace" };

/* parse_int - what Linux's proc_dointvec takes: [-]digits, in int range. */
static int parse_int(const char *s, long *v)
{
	bool neg = *s == '-';
	unsigned long u;

	for (const char *p = s + neg; *p || p == s + neg; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	if (kstrtoul(s + neg, &u) || u > 0x7fffffffUL + neg)
		return -EINVAL;
	*v = neg ? -(long)u : (long)u;
	return 0;
}

/* The files' reads print the values as Linux does (decimal). */
static void enabled_read(void)
{
	printk_raw("%ld\n", stack_tracer_enabled);
}

/* stack_tracer_enabled: register the ops on a change to non-zero, as Linux. */
static int enabled_write(const char *text, bool append)
{
	long v;
	int err = parse_int(text, &v);

	if (err)
		return err;
	if (!!v != !!stack_tracer_enabled) {
		if (v)
			err = register_ftrace_function(&stack_ops);
		else
			unregister_ftrace_function(&stack_ops);
	}
	if (!err)
		stack_tracer_enabled = v;
	return err;
}

static void max_size_read(void)
{
	printk_raw("%lu\n", READ_ONCE(stack_max_size));
}

/* stack_max_size: a decimal; 0 starts the search for the deepest over. */
static int max_size_write(const char *text, bool append)
{
	unsigned long v, flags;
	int err;

	for (const char *p = text; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	err = kstrtoul(text, &v);	/* -ERANGE past 2^64, as every numeric file */
	if (err)
		return err;
	flags = arch_irq_save();
	spin_lock(&stack_lock);
	WRITE_ONCE(stack_max_size, v);
	spin_unlock(&stack_lock);
	arch_irq_restore(flags);
	return 0;
}

/*
 * stack_trace - Linux's table, or its "disabled" note when nothing ran.
 * The chain is copied under the lock and printed after it: printing runs
 * traced code, whose stack check may need the lock.
 */
static void stack_trace_read(void)
{
	unsigned long trace[STACK_TRACE_MAX], index[STACK_TRACE_MAX], flags;
	int n;

	flags = arch_irq_save();
	spin_lock(&stack_lock);
	n = nr_entries;
	memcpy(trace, dump_trace, sizeof(trace));
	memcpy(index, dump_index, sizeof(index));
	spin_unlock(&stack_lock);
	arch_irq_restore(flags);
	printk_raw("        Depth    Size   Location    (%d entries)\n"
		   "        -----    ----   --------\n", n);
	if (!stack_tracer_enabled && !READ_ONCE(stack_max_size))
		printk_raw("#\n"
			   "#  Stack tracer disabled\n"
			   "#\n"
			   "# To enable the stack tracer, either add 'stacktrace' to the\n"
			   "# kernel command line\n"
			   "# or 'echo 1 > /proc/sys/kernel/stack_tracer_enabled'\n"
			   "#\n");
	for (int i = 0; i < n; i++) {
		unsigned long size = i + 1 == n ? index[i] : index[i] - index[i + 1];

		printk_raw("%3d) %8lu   %5lu   %pS\n", i, index[i], size, (void *)trace[i]);
	}
}

/* stack_trace_filter: the stack ops' own filter, set_ftrace_filter's globs. */
static void stack_filter_read(void)
{
	trace_print_hash(stack_ops.local_hash.filter_hash, "#### all functions enabled ####");
}

static int stack_filter_write(const char *text, bool append)
{
	char globs[1100];
	int err = strchr(text, ':') ? -EINVAL : trace_filter_rewrite(text, globs, sizeof(globs));

	return err ? err : ftrace_set_filter(&stack_ops, globs, !append);
}

static const struct tfile stack_files[] = {
	{ "stack_tracer_enabled", enabled_read, enabled_write },
	{ "stack_max_size", max_size_read, max_size_write },
	{ "stack_trace", stack_trace_read, NULL },
	{ "stack_trace_filter", stack_filter_read, stack_filter_write },
};

/* trace_stack_init - the four files; the ops registers when enabled. */
void trace_stack_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(stack_files); i++)
		fs_register(&stack_files[i]);
}
