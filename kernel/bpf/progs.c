/*
 * progs.c - the built-in programs (`bpf progs` lists them) and the log they
 * write (`bpf log`).  Every program reads the call only through the helpers
 * (helpers.c), as a BPF program would.
 *
 *   record         one log line per call, every value printed after the
 *                  cast to its C type (from BTF):
 *                  "<kind> <func> ip=0x<hex> nr_args=<n> args=<a0>,<a1>,... [ret=<r>]"
 *                  (ret=void for a function that returns nothing)
 *   count          counts the calls of its link (`bpf links` shows count=)
 *   override:<v>   fmod_ret: skip the function, return <v>
 *   deny           fmod_ret: skip the function, return -EPERM
 *   nop            nothing (an empty program, for the benchmarks)
 */
#include "kernel.h"
#include "bpf.h"
#include "ftrace.h"
#include "btf.h"
#include "spinlock.h"
#include "bpf_internal.h"

/* ---- the log: a ring of text, whole lines, oldest dropped first ---------- */

#define LOG_SIZE	65536

static char log_buf[LOG_SIZE];
static unsigned long log_head, log_tail;	/* bytes ever written / dropped */
static spinlock_t log_lock = SPINLOCK_INIT;

/* log_drop_line - forget the oldest line; log_lock held. */
static void notrace log_drop_line(void)
{
	while (log_tail != log_head && log_buf[log_tail++ % LOG_SIZE] != '\n')
		;
}

void notrace bpf_log(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	unsigned long flags;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	line[n++] = '\n';
	flags = spin_lock_irqsave(&log_lock);
	while (log_head + n - log_tail > LOG_SIZE)
		log_drop_line();
	for (int i = 0; i < n; i++)
		log_buf[log_head++ % LOG_SIZE] = line[i];
	spin_unlock_irqrestore(&log_lock, flags);
}

/* bpf_log_print - the log, oldest line first (shell CPU). */
void bpf_log_print(void)
{
	unsigned long flags = spin_lock_irqsave(&log_lock), from = log_tail, to = log_head;
	char chunk[128];

	spin_unlock_irqrestore(&log_lock, flags);
	while (from < to) {
		size_t n = 0;

		flags = spin_lock_irqsave(&log_lock);
		if (from < log_tail)
			from = log_tail;	/* overwritten meanwhile */
		while (from < to && n < sizeof(chunk))
			chunk[n++] = log_buf[from++ % LOG_SIZE];
		spin_unlock_irqrestore(&log_lock, flags);
		console_write(chunk, n);
	}
}

void bpf_log_clear(void)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);

	log_tail = log_head;
	spin_unlock_irqrestore(&log_lock, flags);
}

/* ---- record ------------------------------------------------------------ */

/* cast - @v as its C type of @size bytes: sign- or zero-extended, decimal. */
static int notrace cast(char *buf, size_t len, u64 v, u8 size, bool is_signed)
{
	unsigned int bits = size ? 8 * MIN(size, 8) : 64;

	if (bits < 64) {
		v &= (1ULL << bits) - 1;
		if (is_signed && (v >> (bits - 1)))
			v |= ~0ULL << bits;
	}
	return is_signed ? scnprintf(buf, len, "%ld", (long)v) : scnprintf(buf, len, "%lu", v);
}

static u64 notrace record(u64 *ctx)
{
	enum bpf_kind kind = bpf_run_kind(ctx);
	unsigned long ip = bpf_get_func_ip(ctx);
	const struct bpf_argdesc *d = bpf_argdesc_of(ip);
	u64 n = bpf_get_func_arg_cnt(ctx), v;
	char args[160] = "", ret[40] = "";
	size_t pos = 0;
	int bit = ftrace_test_recursion_trylock();	/* %ps calls traced code */

	if (bit < 0)
		return 0;

	for (u32 i = 0; i < n && !bpf_get_func_arg(ctx, i, &v); i++) {
		if (i)
			pos += scnprintf(args + pos, sizeof(args) - pos, ",");
		pos += cast(args + pos, sizeof(args) - pos, v, d ? d->slot_size[i] : 8,
			    d && d->slot_signed[i]);
	}
	if (d && !d->ret_size && kind != BPF_FENTRY)	/* a void function: no value */
		scnprintf(ret, sizeof(ret), " ret=void");
	else if (!bpf_get_func_ret(ctx, &v)) {
		pos = scnprintf(ret, sizeof(ret), " ret=");
		cast(ret + pos, sizeof(ret) - pos, v, d ? d->ret_size : 8, d && d->ret_signed);
	}
	bpf_log("%s %ps ip=0x%lx nr_args=%lu args=%s%s", bpf_kind_names[kind], (void *)ip, ip,
		(unsigned long)n, args, ret);
	ftrace_test_recursion_unlock(bit);
	return 0;
}

/* ---- count, override, deny ------------------------------------------------- */

static unsigned long counts[BPF_MAX_LINKS + 1];

static u64 notrace count(u64 *ctx)
{
	u64 link = bpf_get_attach_cookie(ctx);

	if (link <= BPF_MAX_LINKS)
		__atomic_add_fetch(&counts[link], 1, __ATOMIC_RELAXED);
	return 0;
}

unsigned long bpf_prog_count_of(u64 cookie)
{
	return cookie <= BPF_MAX_LINKS ? __atomic_load_n(&counts[cookie], __ATOMIC_RELAXED) : 0;
}

void bpf_prog_count_reset(u64 cookie)
{
	if (cookie <= BPF_MAX_LINKS)
		__atomic_store_n(&counts[cookie], 0, __ATOMIC_RELAXED);
}

static u64 notrace override(u64 *ctx)
{
	return bpf_get_attach_cookie(ctx);
}

static u64 notrace deny(u64 *ctx)
{
	return (u64)(long)-EPERM;
}

static u64 notrace nop(u64 *ctx)
{
	return 0;
}

static const struct bpf_prog progs[] = {
	{ "record", { record, record, record }, false,
	  "log each call: kind, function, ip, arguments (and return value)" },
	{ "count", { count, count, count }, false, "count the calls (bpf links shows them)" },
	{ "override", { NULL, NULL, override }, true,
	  "fmod_ret override:<value>: skip the function, return <value>" },
	{ "deny", { NULL, NULL, deny }, false, "fmod_ret: skip the function, return -EPERM" },
	{ "nop", { nop, nop, nop }, false, "does nothing (the benchmarks' empty program)" },
};

const struct bpf_prog *bpf_prog_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(progs); i++)
		if (!strcmp(progs[i].name, name))
			return &progs[i];
	return NULL;
}

const struct bpf_prog *bpf_prog_at(unsigned int i)
{
	return i < ARRAY_SIZE(progs) ? &progs[i] : NULL;
}

bool bpf_prog_is_count(const struct bpf_prog *p)
{
	return p == &progs[1];
}
