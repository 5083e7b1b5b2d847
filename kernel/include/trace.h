/*
 * trace.h - the trace ring buffer, tracers and the tracing files.
 */
#ifndef TRACE_H
#define TRACE_H

#include "types.h"

struct ftrace_regs;
struct ftrace_hash;

enum trace_type {
	TRACE_FN = 1,		/* function tracer: ip <-parent_ip */
	TRACE_GRAPH_ENT,	/* function_graph entry */
	TRACE_GRAPH_RET,	/* function_graph return: duration, retval */
	TRACE_PRINT,		/* trace_marker text (in a trace_aux record) */
	TRACE_STACK,		/* a call chain (in a trace_aux record) */
	TRACE_BPRINT,		/* trace_printk() text (in a trace_aux record) */
	TRACE_BPUTS,		/* trace_printk() of a constant string: aux = the string */
};

/* Entry flags, printed as Linux's latency field "dnhpm". */
#define TRACE_FLAG_IRQS_OFF	0x01
#define TRACE_FLAG_HARDIRQ	0x02
#define TRACE_FLAG_NMI		0x04

/*
 * One fixed-size ring buffer slot.  The unions name what a word means for
 * each type; ring_buffer.c copies the words under their first names.
 */
struct trace_entry {
	u64 commit;		/* seq + 1 once complete; written last */
	u64 ts;			/* trace_clock_read() */
	unsigned long ip;	/* function (site); TRACE_PRINT, _BPRINT, _BPUTS: the writer */
	union {
		unsigned long parent_ip;	/* TRACE_FN: caller */
		unsigned long retval;		/* TRACE_GRAPH_RET: return value */
		unsigned long aux;		/* TRACE_PRINT, _STACK, _BPRINT: record seq;
						   TRACE_BPUTS: the string */
	};
	union {
		u64 calltime;
		u64 duration;	/* TRACE_GRAPH_RET: ns from entry to return */
	};
	u16 type;
	u8 flags;
	u8 depth;		/* graph nesting */
	s32 pid;
};

/* ---- ring buffer (kernel/trace/ring_buffer.c) ---- */
/* The largest per-CPU buffer: one block of the page allocator's (order 10). */
#define RB_MAX_KB	4096
int ring_buffer_init(unsigned long kb_per_cpu);
int ring_buffer_resize(unsigned long kb_per_cpu);
unsigned long ring_buffer_kb(void);
/* ring_buffer_write - append to this CPU's buffer (lock-free, any context). */
void ring_buffer_write(const struct trace_entry *e);
void ring_buffer_reset(void);
/* Iteration over all CPUs merged by timestamp. */
struct rb_iter {
	u64 pos[8];		/* next seq per CPU */
	u64 end[8];		/* head when the read started: never read past it */
	bool consume;
};
void rb_iter_start(struct rb_iter *it, bool consume);
/* rb_iter_next - next entry (copied to @e, its CPU in @cpu); false at end. */
bool rb_iter_next(struct rb_iter *it, struct trace_entry *e, int *cpu);
/* rb_iter_peek_cpu - the entry after the last one taken from @cpu. */
bool rb_iter_peek_cpu(struct rb_iter *it, int cpu, struct trace_entry *e);
void rb_iter_skip_cpu(struct rb_iter *it, int cpu);
void ring_buffer_stats(unsigned long *in_buffer, unsigned long *written);
/* One CPU's counters since the last reset (per_cpu/cpuN/stats). */
struct rb_cpu_stats {
	unsigned long entries;	/* in the buffer now */
	unsigned long written;
	unsigned long read;	/* consumed by trace_pipe */
};
void ring_buffer_cpu_stats(int cpu, struct rb_cpu_stats *st);

/* ---- tracers (kernel/trace/trace.c) ---- */

/*
 * A boolean option: a file options/<name> (0 or 1) and a line of
 * trace_options ("name" or "noname").  set(), when present, applies a
 * change and returns 0 or -errno (then nothing changed); without it the
 * value is just stored.
 */
struct trace_opt {
	const char *name;
	bool *val;
	int (*set)(bool on);
};

struct tracer {
	const char *name;
	int (*init)(void);	/* 0 or -errno: start tracing */
	void (*reset)(void);	/* stop */
	void (*print_header)(void);	/* NULL: trace_default_header() */
	/* open - a listing (trace, trace_pipe) starts: reset print state. */
	void (*open)(void);
	/* print_line - print @e; may consume a following entry of @cpu. */
	void (*print_line)(struct rb_iter *it, const struct trace_entry *e, int cpu);
	const struct trace_opt *opts;	/* its options, NULL-name terminated */
};
int register_tracer(struct tracer *t);
bool tracing_is_on(void);
/* tracing_set_on / tracing_get_on - the tracing_on switch itself (what
 * traceon/traceoff flip), without the pause a `cat trace` adds. */
void tracing_set_on(bool on);
bool tracing_get_on(void);
/* trace_fill_common - timestamp, pid and context flags for a new entry. */
void trace_fill_common(struct trace_entry *e, enum trace_type type);
/* trace_clock_read - now, in the clock trace_clock selects. */
u64 trace_clock_read(void);
/* trace_clock_in_ns - true unless the clock counts events or ticks. */
bool trace_clock_in_ns(void);
struct ftrace_ops_hash;
extern struct ftrace_ops_hash trace_global_hash;	/* set_ftrace_filter/notrace */
void trace_init(void);
void trace_functions_init(void);
void trace_graph_init(void);
void trace_graph_output_init(void);
void trace_profile_init(void);
void trace_stack_init(void);
void trace_print_hash(const struct ftrace_hash *h, const char *empty_msg);

/* ---- options (kernel/trace/trace_options.c) ---- */
/* The generic options that apply here (Linux's trace_flags bits). */
#define TRACE_ITER_PRINT_PARENT	0x1
#define TRACE_ITER_SYM_OFFSET	0x2
#define TRACE_ITER_SYM_ADDR	0x4
extern unsigned int trace_flags;
/* trace_options_register - files options/<name> for @opts (boot CPU). */
void trace_options_register(const struct trace_opt *opts);
/* trace_parse_bool - "0" or "1" (what option files take); -EINVAL else. */
int trace_parse_bool(const char *text, bool *on);
void trace_options_init(void);
struct tracer *trace_current_tracer(void);

/* ---- output (kernel/trace/trace_output.c) ---- */
const char *trace_comm(int pid, int cpu);
/* "           sh-1       [000] d.h..    12.345678: " (Linux's context) */
void trace_print_common(const struct trace_entry *e, int cpu);
/* trace_print_sym - a symbol as Linux's seq_print_ip_sym: name,
 * name+0xoff/0xsize with sym-offset, " <addr>" with sym-addr. */
void trace_print_sym(unsigned long ip);
void trace_default_header(void);
/* trace_print_event - print a FN, PRINT or STACK entry in the default
 * format (what tracers without a format of their own show). */
void trace_print_event(const struct trace_entry *e, int cpu);
/* trace_find_mark - Linux's overhead mark for a duration: ' ' + ! # * @ $ */
char trace_find_mark(u64 ns);
/* trace_print_graph_duration - "0.412 us    ", Linux's fixed field. */
void trace_print_graph_duration(u64 ns);
int trace_format_graph_duration(char *buf, size_t size, u64 ns);

/* ---- side records for markers and call chains (kernel/trace/trace_aux.c) ---- */
#define TRACE_STACK_MAX	24	/* frames kept per call chain */
/* trace_aux_init - boot: the pools (markers now, stacks when first needed). */
void trace_aux_init(void);
/* trace_aux_enable_stacks - allocate the call-chain pool; 0 or -ENOMEM. */
int trace_aux_enable_stacks(void);
/* trace_record_print - a TRACE_PRINT entry for @text; 0 or -EBADF (off). */
int trace_record_print(unsigned long ip, const char *text);
/* trace_record_stack - a TRACE_STACK entry: the chain of the traced call. */
void trace_record_stack(unsigned long ip, unsigned long parent_ip,
			struct ftrace_regs *fregs);
/*
 * trace_save_stack - that chain into @out: ip, parent_ip, then callers;
 * @where (NULL or @max words) gets the stack address each frame starts
 * below (the entry sp for the first two).  Returns the number of frames.
 */
int trace_save_stack(unsigned long ip, unsigned long parent_ip,
		     struct ftrace_regs *fregs, unsigned long *out,
		     unsigned long *where, int max);
/* Read a record back: false when it was overwritten since. */
bool trace_aux_text(int cpu, unsigned long seq, char *buf, size_t size);
/*
 * trace_entry_text - the text of a TRACE_PRINT, TRACE_BPRINT or TRACE_BPUTS
 * entry into @buf (at least TRACE_TEXT_MAX bytes), without a trailing
 * newline; "<marker text lost>" / "<printk text lost>" once its record was
 * reused.  Returns false for entries of other types.
 */
#define TRACE_TEXT_MAX	1100
bool trace_entry_text(const struct trace_entry *e, int cpu, char *buf, size_t size);

/*
 * trace_printk(fmt, ...) - Linux's debugging printk into the trace buffer:
 * an entry the `trace` file prints as "<function>: <text>" after the
 * context columns (the function is the one calling trace_printk), and
 * function_graph as a comment.  Any context, NMIs included; nothing while
 * recording is off.  A call without arguments stores only the pointer to
 * its (constant) format, as Linux's trace_puts() does: it can never be
 * lost.  Formatted text (at most TRACE_PRINTK_MAX - 1 bytes, cut beyond)
 * needs the per-CPU buffers trace_printk_init_buffers() allocates; its
 * users (modules) call that at load, as Linux allocates them when a module
 * using trace_printk is loaded.  Each CPU keeps the last TRACE_PRINTK_SLOTS
 * texts; an older entry prints "<printk text lost>".
 */
#define TRACE_PRINTK_MAX	112
#define TRACE_PRINTK_SLOTS	8160	/* 1 MiB of 128-byte slots per CPU */
int trace_printk_init_buffers(void);
int __trace_bputs(unsigned long ip, const char *str);
int __trace_printk(unsigned long ip, const char *fmt, ...) __printf(2, 3);
#define _THIS_IP_ ({ __label__ __here; __here: (unsigned long)&&__here; })
#define __trace_stringify_1(...) #__VA_ARGS__
#define __trace_stringify(...) __trace_stringify_1(__VA_ARGS__)
#define trace_printk(fmt, ...)							\
do {										\
	char _______STR[] = __trace_stringify((__VA_ARGS__));			\
										\
	if (sizeof(_______STR) > 3)	/* "()": no arguments */			\
		__trace_printk(_THIS_IP_, fmt, ##__VA_ARGS__);			\
	else									\
		__trace_bputs(_THIS_IP_, fmt);					\
} while (0)
int trace_aux_stack(int cpu, unsigned long seq, unsigned long *ips, int max);

/* ---- function_graph recording controls (trace_functions_graph.c) ---- */
extern bool graph_irqs;			/* options/funcgraph-irqs */
extern unsigned int fgraph_max_depth;	/* max_graph_depth, 0 = no limit */
extern u64 tracing_thresh_ns;		/* tracing_thresh, 0 = off */
extern struct ftrace_hash *graph_notrace_hash;	/* set_graph_notrace */
int trace_graph_start(void);
void trace_graph_stop(void);
/* trace_hash_replace - publish a new hash for @slot and free the old one
 * once no CPU can still read it. */
void trace_hash_replace(struct ftrace_hash **slot, struct ftrace_hash *n);

/* ---- filter files (kernel/trace/trace_filter.c) ---- */
/*
 * trace_filter_rewrite - a filter file's text as ftrace_hash_apply_globs()
 * takes it: a token of digits N ("!N") selects line N of
 * available_filter_functions by name, and "\c" makes c literal.  Returns
 * 0, -EINVAL (no such line), -E2BIG (@out too small).
 */
int trace_filter_rewrite(const char *in, char *out, size_t size);
/* trace_filter_print_probes - the func:cmd lines of set_ftrace_filter. */
void trace_filter_print_probes(void);
int trace_filter_write(const char *text, bool append);

#endif /* TRACE_H */
