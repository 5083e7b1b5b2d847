/*
 * trace_options.c - boolean trace options under Linux's names: one file
 * options/<name> per option (0 or 1), and trace_options listing the
 * generic options and the current tracer's ("name" when on, "noname" when
 * off) and taking "name" / "noname".
 *
 * Generic options that apply here: print-parent (default on), sym-offset,
 * sym-addr.  Tracers add their own (func_stack_trace, funcgraph-*).  As on
 * Linux, options/ holds every tracer's options while trace_options only
 * takes the current tracer's.
 */
#include "kernel.h"
#include "trace.h"
#include "shell.h"

#define MAX_OPTS 16

unsigned int trace_flags = TRACE_ITER_PRINT_PARENT;

static bool opt_print_parent = true, opt_sym_offset, opt_sym_addr;

/* set_flag - keep trace_flags (what the printers read) in step with @bit. */
static int set_flag(unsigned int bit, bool on)
{
	WRITE_ONCE(trace_flags, on ? (trace_flags | bit) : (trace_flags & ~bit));
	return 0;
}

/* The generic options' hooks: each keeps its trace_flags bit in step. */
static int set_print_parent(bool on) { return set_flag(TRACE_ITER_PRINT_PARENT, on); }
static int set_sym_offset(bool on) { return set_flag(TRACE_ITER_SYM_OFFSET, on); }
static int set_sym_addr(bool on) { return set_flag(TRACE_ITER_SYM_ADDR, on); }

static const struct trace_opt generic_opts[] = {
	{ "print-parent", &opt_print_parent, set_print_parent },
	{ "sym-offset", &opt_sym_offset, set_sym_offset },
	{ "sym-addr", &opt_sym_addr, set_sym_addr },
	{ NULL, NULL, NULL },
};

static const struct trace_opt *opts[MAX_OPTS];
static unsigned int nr_opts;

/* trace_parse_bool - see trace.h: option files take exactly 0 or 1. */
int trace_parse_bool(const char *text, bool *on)
{
	if (strcmp(text, "0") && strcmp(text, "1"))
		return -EINVAL;
	*on = text[0] == '1';
	return 0;
}

/* opt_apply - set @o to @on through its hook; 0 or -errno (nothing changed). */
static int opt_apply(const struct trace_opt *o, bool on)
{
	int err = 0;

	if (*o->val == on)
		return 0;
	if (o->set)
		err = o->set(on);
	if (!err)
		WRITE_ONCE(*o->val, on);
	return err;
}

/* opt_read - options/<name> of option @i: "0" or "1". */
static void opt_read(unsigned int i)
{
	printk_raw("%d\n", READ_ONCE(*opts[i]->val));
}

/* opt_write - options/<name>: exactly 0 or 1, else -EINVAL (Linux). */
static int opt_write(unsigned int i, const char *text)
{
	bool on;
	int err = trace_parse_bool(text, &on);

	return err ? err : opt_apply(opts[i], on);
}

/* One read and one write function per file: a tfile has no context. */
#define OPT_FILE_FNS(i)								\
	static void opt_read_##i(void) { opt_read(i); }				\
	static int opt_write_##i(const char *t, bool a) { return opt_write(i, t); }
OPT_FILE_FNS(0) OPT_FILE_FNS(1) OPT_FILE_FNS(2) OPT_FILE_FNS(3)
OPT_FILE_FNS(4) OPT_FILE_FNS(5) OPT_FILE_FNS(6) OPT_FILE_FNS(7)
OPT_FILE_FNS(8) OPT_FILE_FNS(9) OPT_FILE_FNS(10) OPT_FILE_FNS(11)
OPT_FILE_FNS(12) OPT_FILE_FNS(13) OPT_FILE_FNS(14) OPT_FILE_FNS(15)

#define OPT_FNS(i) { opt_read_##i, opt_write_##i }
static const struct {
	void (*read)(void);
	int (*write)(const char *text, bool append);
} opt_fns[MAX_OPTS] = {
	OPT_FNS(0), OPT_FNS(1), OPT_FNS(2), OPT_FNS(3), OPT_FNS(4), OPT_FNS(5),
	OPT_FNS(6), OPT_FNS(7), OPT_FNS(8), OPT_FNS(9), OPT_FNS(10), OPT_FNS(11),
	OPT_FNS(12), OPT_FNS(13), OPT_FNS(14), OPT_FNS(15),
};

static char opt_names[MAX_OPTS][40];
static struct tfile opt_files[MAX_OPTS];

/* trace_options_register - see trace.h.  Panics when the table is full
 * (a build-time mistake: raise MAX_OPTS). */
void trace_options_register(const struct trace_opt *table)
{
	for (const struct trace_opt *o = table; o->name; o++) {
		unsigned int i = nr_opts++;

		if (i >= MAX_OPTS)
			panic("trace_options_register: more than %d options", MAX_OPTS);
		opts[i] = o;
		snprintf(opt_names[i], sizeof(opt_names[i]), "options/%s", o->name);
		opt_files[i] = (struct tfile){ opt_names[i], opt_fns[i].read, opt_fns[i].write };
		fs_register(&opt_files[i]);
	}
}

/* list_opts - trace_options lines of @table (NULL: none). */
static void list_opts(const struct trace_opt *table)
{
	for (const struct trace_opt *o = table; o && o->name; o++)
		printk_raw("%s%s\n", READ_ONCE(*o->val) ? "" : "no", o->name);
}

/* trace_options: the generic options, then the current tracer's. */
static void trace_options_read(void)
{
	list_opts(generic_opts);
	list_opts(trace_current_tracer()->opts);
}

static const struct trace_opt *find_opt(const struct trace_opt *table, const char *name)
{
	for (const struct trace_opt *o = table; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* "name" sets an option, "noname" clears it; anything else is -EINVAL. */
static int trace_options_write(const char *text, bool append)
{
	bool on = strncmp(text, "no", 2) != 0;
	const char *name = on ? text : text + 2;
	const struct trace_opt *o = find_opt(generic_opts, name);

	if (!o)
		o = find_opt(trace_current_tracer()->opts, name);
	if (!o)
		return -EINVAL;
	return opt_apply(o, on);
}

static const struct tfile trace_options_file = {
	"trace_options", trace_options_read, trace_options_write,
};

/* trace_options_init - trace_options and the generic options' files; boot. */
void trace_options_init(void)
{
	fs_register(&trace_options_file);
	trace_options_register(generic_opts);
}
