/*
 * trace_aux.c - side records for entries too big for a ring buffer slot:
 * trace_marker text and call chains (func_stack_trace, the stacktrace
 * filter command).  The ring buffer entry holds the record's sequence
 * number; the record lives in a per-CPU pool of fixed-size slots written
 * the way ring_buffer.c writes its own (reserve a sequence with an atomic
 * add, fill, publish by storing seq + 1 in the commit word), so any
 * context may write.  A reader copies a record and accepts it only if the
 * commit word is seq + 1 before and after: a pool that wrapped since the
 * entry was written reports the record as lost.
 *
 * Pools: markers, 32 slots of a whole console line per CPU (allocated at
 * boot); call chains, 1024 slots of TRACE_STACK_MAX frames per CPU,
 * allocated the first time something asks for stacks; trace_printk() text,
 * TRACE_PRINTK_SLOTS slots of TRACE_PRINTK_MAX bytes per CPU, allocated by
 * trace_printk_init_buffers() (a module that uses trace_printk, at load).
 * trace_printk() of a constant string needs no record: its entry holds the
 * string's address (Linux's trace_puts).
 */
#include "kernel.h"
#include "percpu.h"
#include "ftrace.h"
#include "trace.h"

#define MARKER_MAX	1040	/* a console line (1024) and its NUL, rounded */
#define NR_MARKERS	32
#define NR_STACKS	1024

struct aux_hdr {
	u64 commit;		/* seq + 1 once complete */
	u32 len;		/* bytes (text) or frames (stack) */
	u32 pad;
};

struct aux_pool {
	u8 *mem[MAX_CPUS];
	unsigned int rec_size, nrec;
	u64 head[MAX_CPUS];
};

static struct aux_pool markers = { .rec_size = sizeof(struct aux_hdr) + MARKER_MAX,
				   .nrec = NR_MARKERS };
static struct aux_pool stacks = {
	.rec_size = sizeof(struct aux_hdr) + TRACE_STACK_MAX * sizeof(unsigned long),
	.nrec = NR_STACKS };
static struct aux_pool prints = { .rec_size = sizeof(struct aux_hdr) + TRACE_PRINTK_MAX,
				  .nrec = TRACE_PRINTK_SLOTS };

/* pool_alloc - slots for every CPU; 0 or -ENOMEM (then nothing is kept). */
static int pool_alloc(struct aux_pool *p)
{
	u8 *mem[MAX_CPUS] = { 0 };

	for (unsigned int c = 0; c < arch_nr_cpus(); c++) {
		mem[c] = kzalloc((size_t)p->rec_size * p->nrec);
		if (!mem[c]) {
			while (c--)
				kfree(mem[c]);
			return -ENOMEM;
		}
	}
	for (unsigned int c = 0; c < arch_nr_cpus(); c++)
		WRITE_ONCE(p->mem[c], mem[c]);
	return 0;
}

/* pool_reserve - this CPU's next slot, commit word cleared; NULL if none. */
static struct aux_hdr *notrace pool_reserve(struct aux_pool *p, u64 *seq)
{
	unsigned int cpu = arch_cpu_id();
	u8 *mem = READ_ONCE(p->mem[cpu]);
	struct aux_hdr *h;

	if (!mem)
		return NULL;
	*seq = __atomic_fetch_add(&p->head[cpu], 1, __ATOMIC_RELAXED);
	h = (struct aux_hdr *)(mem + (*seq % p->nrec) * p->rec_size);
	__atomic_store_n(&h->commit, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	return h;
}

/* pool_commit - publish a filled record: readers accept it from now on. */
static void notrace pool_commit(struct aux_hdr *h, u64 seq)
{
	__atomic_store_n(&h->commit, seq + 1, __ATOMIC_RELEASE);
}

/* pool_read - copy record @seq of @cpu (header and @max payload bytes). */
static bool pool_read(struct aux_pool *p, int cpu, u64 seq, void *out, size_t max,
		      u32 *len)
{
	u8 *mem = READ_ONCE(p->mem[cpu]);
	struct aux_hdr *h;

	if (!mem || cpu < 0 || cpu >= MAX_CPUS)
		return false;
	h = (struct aux_hdr *)(mem + (seq % p->nrec) * p->rec_size);
	if (__atomic_load_n(&h->commit, __ATOMIC_ACQUIRE) != seq + 1)
		return false;
	*len = h->len;
	memcpy(out, h + 1, MIN(max, (size_t)p->rec_size - sizeof(*h)));
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&h->commit, __ATOMIC_RELAXED) == seq + 1;
}

/* trace_aux_init - see trace.h; a kernel without marker records cannot boot. */
void trace_aux_init(void)
{
	if (pool_alloc(&markers))
		panic("trace_aux_init: no memory for trace_marker records");
}

/* trace_aux_enable_stacks - see trace.h; idempotent. */
int trace_aux_enable_stacks(void)
{
	return READ_ONCE(stacks.mem[0]) ? 0 : pool_alloc(&stacks);
}

/*
 * aux_entry - a ring-buffer entry of @type at @ip whose payload is @aux
 * (a record's sequence number in a pool, or a constant string's address).
 */
static void notrace aux_entry(enum trace_type type, unsigned long ip, unsigned long aux)
{
	struct trace_entry e;

	trace_fill_common(&e, type);
	e.ip = ip;
	e.aux = aux;
	e.calltime = 0;
	e.depth = 0;
	ring_buffer_write(&e);
}

/*
 * trace_record_print - see trace.h.  Like Linux's trace_marker, a write
 * while recording is off fails with -EBADF ("as if not open for write").
 */
int trace_record_print(unsigned long ip, const char *text)
{
	struct aux_hdr *h;
	u64 seq;
	size_t n = MIN(strlen(text), (size_t)MARKER_MAX - 1);

	if (!tracing_is_on())
		return -EBADF;
	h = pool_reserve(&markers, &seq);
	if (!h)
		return -ENOMEM;
	memcpy(h + 1, text, n);
	((char *)(h + 1))[n] = 0;
	h->len = (u32)n;
	pool_commit(h, seq);
	aux_entry(TRACE_PRINT, ip, seq);
	return 0;
}

/*
 * trace_printk_init_buffers - see trace.h: the text pool, once; 0 or
 * -ENOMEM.  Says so on the console, as Linux's notice does.  Task context.
 */
int trace_printk_init_buffers(void)
{
	int err;

	if (READ_ONCE(prints.mem[0]))
		return 0;
	err = pool_alloc(&prints);
	if (!err)
		printk("trace_printk() being used. Allocating extra memory (%u KiB per CPU).\n",
		       prints.rec_size * prints.nrec / 1024);
	return err;
}

/*
 * __trace_bputs - trace_printk() without arguments: the entry holds @str's
 * address, which must stay valid (a string literal).  0, or -EBADF while
 * recording is off.
 */
int notrace __trace_bputs(unsigned long ip, const char *str)
{
	if (!tracing_is_on())
		return -EBADF;
	aux_entry(TRACE_BPUTS, ip, (unsigned long)str);
	return 0;
}

/*
 * __trace_printk - trace_printk() with arguments: format now (the record
 * keeps text, not the arguments, whose pointers may not outlive the call),
 * into this CPU's next text record.  0, -EBADF while recording is off, or
 * -ENOMEM when trace_printk_init_buffers() was never called.
 */
int notrace __trace_printk(unsigned long ip, const char *fmt, ...)
{
	struct aux_hdr *h;
	va_list ap;
	u64 seq;
	int n;

	if (!tracing_is_on())
		return -EBADF;
	h = pool_reserve(&prints, &seq);
	if (!h)
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf((char *)(h + 1), TRACE_PRINTK_MAX, fmt, ap);
	va_end(ap);
	h->len = (u32)MIN(n < 0 ? 0 : n, TRACE_PRINTK_MAX - 1);
	pool_commit(h, seq);
	aux_entry(TRACE_BPRINT, ip, seq);
	return 0;
}

/*
 * trace_entry_text - see trace.h.  One trailing newline is dropped (Linux
 * formats end in "\n"; the listing ends every line itself).
 */
bool trace_entry_text(const struct trace_entry *e, int cpu, char *buf, size_t size)
{
	u32 len;
	size_t n;

	switch (e->type) {
	case TRACE_PRINT:
		if (!trace_aux_text(cpu, e->aux, buf, size))
			strlcpy(buf, "<marker text lost>", size);
		break;
	case TRACE_BPRINT:
		if (size < TRACE_PRINTK_MAX ||
		    !pool_read(&prints, cpu, e->aux, buf, TRACE_PRINTK_MAX, &len))
			strlcpy(buf, "<printk text lost>", size);
		else
			buf[MIN((size_t)len, size - 1)] = 0;
		break;
	case TRACE_BPUTS:
		strlcpy(buf, (const char *)e->aux, size);
		break;
	default:
		return false;
	}
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return true;
}

/* trace_aux_text - marker @seq of @cpu into @buf (at least MARKER_MAX). */
bool trace_aux_text(int cpu, unsigned long seq, char *buf, size_t size)
{
	u32 len;

	if (size < MARKER_MAX || !pool_read(&markers, cpu, seq, buf, MARKER_MAX, &len))
		return false;
	buf[MIN((size_t)len, size - 1)] = 0;
	return true;
}

/*
 * trace_save_stack - see trace.h.  The traced function has no frame of its
 * own yet at its entry site, so the chain is @ip, @parent_ip, then the
 * return addresses of the frames at or above the traced call's entry
 * stack pointer (the frames below it are the tracer's own).  A return
 * address inside the traced function itself (an mcount site runs after
 * the prologue) or repeating the previous one is skipped.
 */
int notrace trace_save_stack(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_regs *fregs, unsigned long *out,
			     unsigned long *where, int max)
{
	unsigned long fp = arch_current_fp(), ret, start = 0, size = 0;
	unsigned long entry_sp = fregs ? ftrace_regs_entry_sp(fregs) : 0;
	int n = 0;

	kallsyms_lookup(ip, &start, &size);
	if (where)
		where[n] = entry_sp;
	out[n++] = ip;
	if (parent_ip && n < max) {
		if (where)
			where[n] = entry_sp;
		out[n++] = parent_ip;
	}
	while (n < max) {
		unsigned long cur = fp;

		if (arch_unwind_frame(&fp, &ret) || !ret)
			break;
		if (cur < entry_sp || (ret >= start && ret < start + size) ||
		    ret == out[n - 1])
			continue;
		if (where)
			where[n] = cur;
		out[n++] = ret;
	}
	return n;
}

/* trace_record_stack - see trace.h; nothing when the pool is not there. */
void notrace trace_record_stack(unsigned long ip, unsigned long parent_ip,
				struct ftrace_regs *fregs)
{
	struct aux_hdr *h;
	u64 seq;

	if (!tracing_is_on())
		return;
	h = pool_reserve(&stacks, &seq);
	if (!h)
		return;
	h->len = (u32)trace_save_stack(ip, parent_ip, fregs, (unsigned long *)(h + 1),
				       NULL, TRACE_STACK_MAX);
	pool_commit(h, seq);
	aux_entry(TRACE_STACK, ip, (unsigned long)seq);
}

/* trace_aux_stack - chain @seq of @cpu: its frames, or -1 once it is gone. */
int trace_aux_stack(int cpu, unsigned long seq, unsigned long *ips, int max)
{
	unsigned long buf[TRACE_STACK_MAX];
	u32 len;

	if (!pool_read(&stacks, cpu, seq, buf, sizeof(buf), &len))
		return -1;
	len = MIN(len, (u32)max);
	memcpy(ips, buf, len * sizeof(long));
	return (int)len;
}
