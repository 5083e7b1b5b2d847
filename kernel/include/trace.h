/*
 * trace.h - the trace ring buffer, tracers and the tracing files.
 */
#ifndef TRACE_H
#define TRACE_H

#include "types.h"

enum trace_type { TRACE_FN = 1, TRACE_GRAPH_ENT, TRACE_GRAPH_RET };

/* Entry flags, printed as Linux's latency field "dnhpm". */
#define TRACE_FLAG_IRQS_OFF	0x01
#define TRACE_FLAG_HARDIRQ	0x02
#define TRACE_FLAG_NMI		0x04

/* One fixed-size ring buffer slot. */
struct trace_entry {
	u64 commit;		/* seq + 1 once complete; written last */
	u64 ts;			/* arch_clock_ns() */
	unsigned long ip;	/* function (site) */
	unsigned long parent_ip;	/* TRACE_FN: caller */
	u64 calltime;		/* TRACE_GRAPH_RET: entry time */
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

/* ---- tracers (kernel/trace/trace.c) ---- */
struct tracer {
	const char *name;
	int (*init)(void);	/* 0 or -errno: start tracing */
	void (*reset)(void);	/* stop */
	void (*print_header)(void);
	/* print_line - print @e; may consume a following entry of @cpu. */
	void (*print_line)(struct rb_iter *it, const struct trace_entry *e, int cpu);
};
int register_tracer(struct tracer *t);
bool tracing_is_on(void);
/* trace_fill_common - timestamp, pid and context flags for a new entry. */
void trace_fill_common(struct trace_entry *e, enum trace_type type);
void trace_print_common(const struct trace_entry *e, int cpu);
struct ftrace_ops_hash;
extern struct ftrace_ops_hash trace_global_hash;	/* set_ftrace_filter/notrace */
void trace_init(void);
void trace_functions_init(void);
void trace_graph_init(void);
void trace_profile_init(void);

#endif /* TRACE_H */
