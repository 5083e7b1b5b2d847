/*
 * trace_filter.c - what set_ftrace_filter takes beyond globs, as on Linux:
 *
 *   N            line N of available_filter_functions (1-based), "!N" too
 *   \c           c literally (the glob characters * ? [ lose their meaning)
 *   f:traceon[:count]    turn recording on when f is called (count times)
 *   f:traceoff[:count]   turn it off
 *   f:stacktrace[:count] record f's call chain
 *   !f:cmd[:count]       remove such commands (the count form removes the
 *                        counted ones, the plain form the unlimited ones)
 *
 * Commands (Linux's "function probes") do not select functions for the
 * tracer: they run from an ftrace_ops of their own, whatever the current
 * tracer, and `>` does not remove them.  They are listed after the
 * filter's functions as "f:traceoff:unlimited" or "f:traceon:count=2" (the
 * calls left).  Unlike Linux, a write is all or nothing: a bad token
 * anywhere leaves the filter and the commands as they were.
 */
#include "kernel.h"
#include "ftrace.h"
#include "trace.h"
#include "shell.h"
#include "smp.h"

#define TEXT_MAX	1100	/* a console line, rewritten */

enum probe_cmd { PROBE_TRACEON, PROBE_TRACEOFF, PROBE_STACKTRACE, NR_PROBE_CMDS };
static const char *const probe_names[NR_PROBE_CMDS] = { "traceon", "traceoff", "stacktrace" };

struct probe {
	unsigned long ip;	/* site */
	u8 cmd;
	bool counted;		/* registered with a count ("f:cmd:N") */
	long count;		/* calls left, when counted */
};

/*
 * The command table, sorted by site.  A published table is never changed
 * except for the counts (atomics): writers edit a copy and swap it in.
 */
struct probe_table {
	unsigned int n, cap;
	struct probe p[];
};

static struct probe_table *probes;

/* table_copy - @src (NULL: empty) in a new table with room for @cap. */
static struct probe_table *table_copy(const struct probe_table *src, unsigned int cap)
{
	unsigned int n = src ? src->n : 0;
	struct probe_table *t = kzalloc(sizeof(*t) + MAX(cap, n) * sizeof(struct probe));

	if (!t)
		return NULL;
	t->cap = MAX(cap, n);
	t->n = n;
	if (n)
		memcpy(t->p, src->p, n * sizeof(struct probe));
	return t;
}

/* table_add - append @p to *@t, growing it; 0 or -ENOMEM (*@t unchanged). */
static int table_add(struct probe_table **t, struct probe p)
{
	if ((*t)->n == (*t)->cap) {
		struct probe_table *n = table_copy(*t, (*t)->cap * 2 + 8);

		if (!n)
			return -ENOMEM;
		kfree(*t);
		*t = n;
	}
	(*t)->p[(*t)->n++] = p;
	return 0;
}

/* table_sort - by site, so the callback can binary-search (insertion sort:
 * tables are short, and edits keep them nearly sorted). */
static void table_sort(struct probe_table *t)
{
	for (unsigned int i = 1; i < t->n; i++) {
		struct probe v = t->p[i];
		unsigned int j = i;

		for (; j && t->p[j - 1].ip > v.ip; j--)
			t->p[j] = t->p[j - 1];
		t->p[j] = v;
	}
}

/* ---- the rewrite: line numbers and escapes ------------------------------ */

/* emit - append @s (@len bytes) to @out; -E2BIG when it does not fit. */
static int emit(char *out, size_t size, size_t *at, const char *s, size_t len)
{
	if (*at + len + 1 > size)
		return -E2BIG;
	memcpy(out + *at, s, len);
	*at += len;
	out[*at] = 0;
	return 0;
}

/* line_name - the function on line @n of available_filter_functions. */
static int line_name(unsigned long n, char *buf, size_t size)
{
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *rec = ftrace_record(i);

		if (rec->flags & FTRACE_FL_DISABLED || --n)
			continue;
		sprint_symbol_name(buf, size, rec->func);
		return 0;
	}
	return -EINVAL;
}

/* all_digits - is the token a line number (Linux's MATCH_INDEX)? */
static bool all_digits(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len > 0;
}

/*
 * rewrite_token - one token.  An escaped glob character becomes a
 * one-character class ("[*]"); an escaped '!' at the start, which the
 * glob matcher would take for "remove", becomes "[-!]" (no function name
 * holds either character, so both simply match nothing, as on Linux).
 */
static int rewrite_token(const char *t, size_t len, char *out, size_t size, size_t *at)
{
	char name[128], cls[4] = "[x]";
	bool neg = len && t[0] == '!';
	int err = neg ? emit(out, size, at, "!", 1) : 0;

	t += neg;
	len -= neg;
	if (!err && all_digits(t, len)) {
		unsigned long n;

		memcpy(name, t, MIN(len, sizeof(name) - 1));
		name[MIN(len, sizeof(name) - 1)] = 0;
		err = kstrtoul(name, &n) || !n ? -EINVAL : line_name(n, name, sizeof(name));
		return err ? err : emit(out, size, at, name, strlen(name));
	}
	for (size_t i = 0; !err && i < len; i++) {
		char c = t[i];

		if (c != '\\' || i + 1 == len) {
			err = emit(out, size, at, &c, 1);
			continue;
		}
		c = t[++i];
		if (c == '!' && i == 1) {
			err = emit(out, size, at, "[-!]", 4);
		} else if (c == '*' || c == '?' || c == '[' || c == '\\') {
			cls[1] = c;
			err = emit(out, size, at, cls, 3);
		} else {
			err = emit(out, size, at, &c, 1);
		}
	}
	return err;
}

/* trace_filter_rewrite - see trace.h. */
int trace_filter_rewrite(const char *in, char *out, size_t size)
{
	size_t at = 0;
	int err = 0;

	out[0] = 0;
	while (!err && *in) {
		size_t len = 0;

		while (*in == ' ')
			in++;
		while (in[len] && in[len] != ' ')
			len++;
		if (!len)
			break;
		if (at)
			err = emit(out, size, &at, " ", 1);
		if (!err)
			err = rewrite_token(in, len, out, size, &at);
		in += len;
	}
	return err;
}

/* ---- the commands: an ftrace_ops of their own ---------------------------- */

/* probe_run - one command at its function's entry (Linux's semantics). */
static void notrace probe_run(struct probe *p, unsigned long ip, unsigned long parent_ip,
			      struct ftrace_regs *fregs)
{
	long old;

	if (p->cmd == PROBE_STACKTRACE) {
		if (!tracing_is_on())
			return;
		do {	/* counted: only as many chains as asked for */
			old = __atomic_load_n(&p->count, __ATOMIC_RELAXED);
			if (p->counted && old <= 0)
				return;
		} while (p->counted && !__atomic_compare_exchange_n(&p->count, &old, old - 1,
								   false, __ATOMIC_RELAXED,
								   __ATOMIC_RELAXED));
		trace_record_stack(ip, parent_ip, fregs);
		return;
	}
	/* traceon/traceoff: a count is spent only when the state changes. */
	if (p->counted && __atomic_load_n(&p->count, __ATOMIC_RELAXED) <= 0)
		return;
	if (tracing_get_on() == (p->cmd == PROBE_TRACEON))
		return;
	tracing_set_on(p->cmd == PROBE_TRACEON);
	if (p->counted)
		__atomic_fetch_sub(&p->count, 1, __ATOMIC_RELAXED);
}

/*
 * probe_call - the probe ops' callback: run every command of @ip (the
 * table is sorted by site).  Any context; takes no lock.
 */
static void notrace probe_call(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	struct probe_table *t;
	unsigned int lo = 0, hi;
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	t = READ_ONCE(probes);
	hi = t ? t->n : 0;
	while (lo < hi) {	/* the first probe of @ip */
		unsigned int mid = (lo + hi) / 2;

		if (t->p[mid].ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; t && lo < t->n && t->p[lo].ip == ip; lo++)
		probe_run(&t->p[lo], ip, parent_ip, fregs);
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops probe_ops = { .func = probe_call, .name = "probe" };

/* hash_free - a hash built here, and the struct holding it. */
static void hash_free(struct ftrace_hash *h)
{
	if (h) {
		ftrace_hash_clear(h);
		kfree(h);
	}
}

/*
 * probes_publish - make @t the command table: the probe ops then traces
 * exactly its functions, and is unregistered while it is empty (an empty
 * filter would mean every function).  On error nothing changed.  The
 * previous table stays allocated for the caller, who frees it (no CPU
 * reads it any more when this returns 0).  Shell context.
 */
static int probes_publish(struct probe_table *t)
{
	struct probe_table *old = probes;
	struct ftrace_hash **slot = &probe_ops.local_hash.filter_hash;
	struct ftrace_hash *oh = *slot, *nh = NULL;
	bool was_on = probe_ops.flags & FTRACE_OPS_FL_ENABLED;
	int err = 0;

	if (t->n) {
		nh = kzalloc(sizeof(*nh));
		err = nh ? 0 : -ENOMEM;
		for (unsigned int i = 0; !err && i < t->n; i++)
			err = ftrace_hash_add(nh, t->p[i].ip);
		if (err) {
			hash_free(nh);
			return err;
		}
	}
	WRITE_ONCE(probes, t);
	if (!t->n) {
		if (was_on)
			unregister_ftrace_function(&probe_ops);
		WRITE_ONCE(*slot, NULL);
	} else {
		WRITE_ONCE(*slot, nh);
		err = was_on ? ftrace_update_all() : register_ftrace_function(&probe_ops);
		if (err) {
			WRITE_ONCE(*slot, oh);
			WRITE_ONCE(probes, old);
			hash_free(nh);
			return err;
		}
	}
	synchronize_quiescent();	/* no callback still reads the old ones */
	text_sync();
	hash_free(oh);
	return 0;
}

/* find - @t's probe for (@ip, @cmd, @counted), or NULL. */
static struct probe *find(struct probe_table *t, unsigned long ip, int cmd, bool counted)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->p[i].ip == ip && t->p[i].cmd == cmd && t->p[i].counted == counted)
			return &t->p[i];
	return NULL;
}

/*
 * apply_command - edit table *@t (a private copy) with one
 * "[!]glob:cmd[:count]" token.  Returns 0, -ENOMEM, or -EINVAL (unknown
 * command, bad count, a glob that selects nothing, nothing to remove).
 */
static int apply_command(struct probe_table **t, char *tok)
{
	char *cmd = strchr(tok, ':'), *param, globs[TEXT_MAX];
	struct ftrace_hash h = { NULL, 0, 0 };
	bool neg = tok[0] == '!', counted;
	unsigned long count = 0;
	unsigned int removed = 0;
	int c, err;

	*cmd++ = 0;
	param = strchr(cmd, ':');
	if (param)
		*param++ = 0;
	for (c = 0; c < NR_PROBE_CMDS && strcmp(cmd, probe_names[c]); c++)
		;
	counted = param != NULL;
	if (c == NR_PROBE_CMDS || (param && (!*param || strchr(param, ':') ||
					     kstrtoul(param, &count) || (long)count < 0)))
		return -EINVAL;
	err = trace_filter_rewrite(tok + neg, globs, sizeof(globs));
	if (!err && !globs[0])
		err = -EINVAL;
	if (!err)
		err = ftrace_hash_apply_globs(&h, globs, true);
	for (unsigned int i = 0; !err && i < ftrace_nr_records(); i++) {
		unsigned long ip = ftrace_record(i)->ip;
		struct probe *p;

		if (!ftrace_hash_contains(&h, ip))
			continue;
		p = find(*t, ip, c, counted);
		if (neg && p) {
			*p = (*t)->p[--(*t)->n];
			removed++;
		} else if (!neg && !p) {	/* an existing one keeps its count */
			err = table_add(t, (struct probe){ ip, (u8)c, counted, (long)count });
		}
	}
	ftrace_hash_clear(&h);
	if (!err && neg && !removed)
		err = -EINVAL;
	if (!err && !neg && c == PROBE_STACKTRACE)
		err = trace_aux_enable_stacks();
	return err;
}

/*
 * split_tokens - the commands of @text into table *@t, its globs
 * (rewritten) into @globs.  Returns 0 or -errno; *@changed says whether
 * any command was seen.
 */
static int split_tokens(const char *text, struct probe_table **t, char *globs, size_t size,
			bool *changed)
{
	char tok[TEXT_MAX];
	size_t at = 0;
	int err = 0;

	globs[0] = 0;
	while (!err && *text) {
		size_t len = 0;

		while (*text == ' ')
			text++;
		while (text[len] && text[len] != ' ')
			len++;
		if (!len)
			break;
		if (len >= sizeof(tok))
			return -E2BIG;
		memcpy(tok, text, len);
		tok[len] = 0;
		text += len;
		if (strchr(tok, ':')) {
			err = apply_command(t, tok);
			*changed = true;
		} else {
			if (at)
				err = emit(globs, size, &at, " ", 1);
			if (!err)
				err = rewrite_token(tok, len, globs, size, &at);
		}
	}
	return err;
}

/*
 * trace_filter_write - set_ftrace_filter: the commands first (into a copy
 * of the table), then the globs; if the globs fail the old commands come
 * back, so nothing changed.  `>` (@append false) empties the filter even
 * when the text holds only commands, as Linux's O_TRUNC open does.
 */
int trace_filter_write(const char *text, bool append)
{
	char globs[TEXT_MAX];
	struct probe_table *old = probes, *t = table_copy(old, 8);
	bool changed = false;
	int err = t ? 0 : -ENOMEM;

	if (!err)
		err = split_tokens(text, &t, globs, sizeof(globs), &changed);
	if (!err && changed) {
		table_sort(t);
		err = probes_publish(t);
	}
	if (err || !changed)
		kfree(t);
	if (err)
		return err;
	if (globs[0] || !append)
		err = ftrace_set_hash(&trace_global_hash, false, globs, !append);
	if (!changed)
		return err;
	if (!err) {
		kfree(old);
		return 0;
	}
	if (!old)
		old = table_copy(NULL, 0);
	if (!old || probes_publish(old))
		panic("trace_filter_write: could not restore the filter commands");
	kfree(t);
	return err;
}

/* trace_filter_print_probes - see trace.h. */
void trace_filter_print_probes(void)
{
	struct probe_table *t = probes;

	for (unsigned int i = 0; t && i < t->n; i++) {
		printk_raw("%ps:%s", (void *)ftrace_location(t->p[i].ip)->func,
			   probe_names[t->p[i].cmd]);
		if (t->p[i].counted)
			printk_raw(":count=%ld\n", __atomic_load_n(&t->p[i].count,
								    __ATOMIC_RELAXED));
		else
			printk_raw(":unlimited\n");
	}
}
