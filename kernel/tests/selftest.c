/*
 * selftest.c - the tracing core's own tests, run inside the kernel by the
 * `selftest` command; results in KTAP so the host parses them.
 */
#include "kernel.h"
#include "ftrace.h"
#include "shell.h"

int trace_selftest_dynamic_test_func(void);
int trace_selftest_dynamic_test_func2(void);
long trace_recursion_target(long x);
long selftest_ipmodify_orig(long x);
long selftest_ipmodify_new(long x);
long demo_add(long a, long b);

typedef int (*call_t)(void);

static int nr_fail, test_no;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printk_raw("# %s:%d: ", __func__, __LINE__);		\
		printk_raw(__VA_ARGS__);				\
		printk_raw("\n");					\
		return false;						\
	}								\
} while (0)

static void report(bool ok, const char *name)
{
	test_no++;
	printk_raw("%sok %d %s\n", ok ? "" : "not ", test_no, name);
	nr_fail += !ok;
}

static void skip(const char *name, const char *why)
{
	test_no++;
	printk_raw("ok %d %s # SKIP %s\n", test_no, name, why);
}

/* Called through a volatile pointer: the compiler cannot skip the call. */
static call_t volatile f1 = trace_selftest_dynamic_test_func;
static call_t volatile f2 = trace_selftest_dynamic_test_func2;

/* ---- the classic ops filter test (Linux trace_selftest_ops) ---- */

static unsigned long cnt[4];

static void notrace count_func(unsigned long ip, unsigned long parent_ip,
			       struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	cnt[(long)op->private]++;
}

static struct ftrace_ops test_ops[4] = {
	{ .func = count_func, .name = "selftest1", .private = (void *)0 },
	{ .func = count_func, .name = "selftest2", .private = (void *)1 },
	{ .func = count_func, .name = "selftest3", .private = (void *)2 },
	{ .func = count_func, .name = "selftest_dyn", .private = (void *)3 },
};

static bool counts(unsigned long a, unsigned long b, unsigned long c, unsigned long d)
{
	CHECK(cnt[0] == a && cnt[1] == b && cnt[2] == c && cnt[3] == d,
	      "counts %lu %lu %lu %lu, expected %lu %lu %lu %lu",
	      cnt[0], cnt[1], cnt[2], cnt[3], a, b, c, d);
	return true;
}

static bool site_mode(call_t f, bool tramp, unsigned int refs)
{
	struct dyn_ftrace *rec = ftrace_rec_for_func((unsigned long)f);

	CHECK(rec, "no record for %ps", (void *)f);
	CHECK(rec->refs == refs && !!(rec->flags & FTRACE_FL_TRAMP) == tramp,
	      "%ps: refs %u flags %x, expected refs %u %s", (void *)f, rec->refs,
	      rec->flags, refs, tramp ? "own trampoline" : "list caller");
	return true;
}

static bool test_ops_filter(void)
{
	static const char n1[] = "trace_selftest_dynamic_test_func";
	static const char n2[] = "trace_selftest_dynamic_test_func2";
	bool ok = false;

	memset(cnt, 0, sizeof(cnt));
	if (ftrace_set_filter(&test_ops[0], n1, true) ||
	    ftrace_set_filter(&test_ops[1], n2, true) ||
	    ftrace_set_filter(&test_ops[2], n1, true) ||
	    ftrace_set_filter(&test_ops[2], n2, false) ||
	    ftrace_set_filter(&test_ops[3], n1, true))
		return false;
	register_ftrace_function(&test_ops[0]);
	if (!site_mode(f1, true, 1))
		goto out;
	register_ftrace_function(&test_ops[1]);
	register_ftrace_function(&test_ops[2]);
	if (!site_mode(f1, false, 2) || !site_mode(f2, false, 2))
		goto out;
	f1();
	if (!counts(1, 0, 1, 0))
		goto out;
	f2();
	if (!counts(1, 1, 2, 0))
		goto out;
	register_ftrace_function(&test_ops[3]);
	f1();
	if (!counts(2, 1, 3, 1))
		goto out;
	f2();
	if (!counts(2, 2, 4, 1))
		goto out;
	ftrace_set_filter(&test_ops[2], "!trace_selftest_dynamic_test_func", false);
	f1();
	if (!counts(3, 2, 4, 2))
		goto out;
	f2();
	if (!counts(3, 3, 5, 2))
		goto out;
	unregister_ftrace_function(&test_ops[3]);
	f1();
	if (!counts(4, 3, 5, 2) || !site_mode(f1, true, 1))
		goto out;
	ok = true;
out:
	for (int i = 0; i < 4; i++)
		if (test_ops[i].flags & FTRACE_OPS_FL_ENABLED)
			unregister_ftrace_function(&test_ops[i]);
	f1();
	f2();
	ok = ok && counts(4, 3, 5, 2) && site_mode(f1, false, 0);
	for (int i = 0; i < 4; i++) {
		ftrace_set_filter(&test_ops[i], "", true);
		ftrace_set_notrace(&test_ops[i], "", true);
	}
	return ok;
}

/* ---- recursion: a callback that calls the function it traces ---- */

static unsigned long rec_calls;
static long (*volatile rec_target)(long) = trace_recursion_target;

static void notrace recursing_func(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	rec_calls++;
	rec_target(1);	/* traced again: must not come back here */
}

static struct ftrace_ops rec_ops = {
	.func = recursing_func, .flags = FTRACE_OPS_FL_RECURSION, .name = "selftest_rec",
};
static struct ftrace_ops rec_ops2 = {
	.func = count_func, .name = "selftest_rec2", .private = (void *)0,
};

static bool test_recursion(void)
{
	bool ok = true;

	rec_calls = 0;
	if (ftrace_set_filter(&rec_ops, "trace_recursion_target", true) ||
	    ftrace_set_filter(&rec_ops2, "trace_recursion_target", true))
		return false;
	register_ftrace_function(&rec_ops);		/* own trampoline */
	ok = rec_target(1) == 12 && rec_calls == 1;
	if (!ok)
		printk_raw("# own trampoline: %lu callbacks for 1 call\n", rec_calls);
	register_ftrace_function(&rec_ops2);		/* now via the list */
	memset(cnt, 0, sizeof(cnt));
	rec_calls = 0;
	rec_target(1);
	/* The list function is guarded too: the nested call reaches no ops. */
	if (rec_calls != 1 || cnt[0] != 1) {
		printk_raw("# list: %lu recursing callbacks (want 1), %lu counting (want 1)\n",
			   rec_calls, cnt[0]);
		ok = false;
	}
	unregister_ftrace_function(&rec_ops2);
	unregister_ftrace_function(&rec_ops);
	ftrace_set_filter(&rec_ops2, "", true);
	return ok;
}

/*
 * A FTRACE_OPS_FL_RECURSION ops whose callback also guards itself with
 * ftrace_test_recursion_trylock() (as Linux's callbacks may): the core's
 * guard and the callback's are separate bit ranges, so the callback runs,
 * alone (its trampoline's assist) and shared (the list function).
 */
static unsigned long guarded_runs;

static void notrace self_guarded_func(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	guarded_runs++;
	ftrace_test_recursion_unlock(bit);
}

static struct ftrace_ops guarded_ops = {
	.func = self_guarded_func, .flags = FTRACE_OPS_FL_RECURSION, .name = "selftest_guarded",
};

static bool test_recursion_self_guarded(void)
{
	unsigned long alone, shared;

	if (ftrace_set_filter(&guarded_ops, "trace_recursion_target", true) ||
	    ftrace_set_filter(&rec_ops2, "trace_recursion_target", true))
		return false;
	guarded_runs = 0;
	CHECK(!register_ftrace_function(&guarded_ops), "register failed");
	rec_target(1);
	alone = guarded_runs;
	register_ftrace_function(&rec_ops2);		/* now via the list */
	rec_target(1);
	shared = guarded_runs - alone;
	unregister_ftrace_function(&rec_ops2);
	unregister_ftrace_function(&guarded_ops);
	ftrace_set_filter(&rec_ops2, "", true);
	ftrace_set_filter(&guarded_ops, "", true);
	CHECK(alone == 1 && shared == 1, "callback ran %lu time(s) alone, %lu shared; want 1, 1",
	      alone, shared);
	return true;
}

/*
 * Freeing a trampoline is a text write like any other: tramp_free() checks
 * the bytes it replaces and refuses (-EINVAL, nothing written) when they
 * are not what the owner installed.
 */
static bool test_tramp_free_checks_old_bytes(void)
{
	static u8 code[64], fill[64], wrong[64];
	unsigned long at = tramp_alloc(sizeof(code));
	int err;

	CHECK(at, "trampoline pool full");
	memset(fill, ARCH_TEXT_FILL_BYTE, sizeof(fill));
	for (unsigned int i = 0; i < sizeof(code); i++)
		code[i] = (u8)(0x40 + i);	/* never executed */
	memcpy(wrong, code, sizeof(wrong));
	wrong[17] ^= 1;
	if (text_poke((void *)at, fill, code, sizeof(code))) {
		tramp_release(at, sizeof(code));
		CHECK(false, "could not install test bytes at 0x%lx", at);
	}
	err = tramp_free(at, wrong, sizeof(code));
	bool kept = !memcmp((void *)at, code, sizeof(code));
	int err2 = tramp_free(at, code, sizeof(code));

	CHECK(err == -EINVAL && kept, "tramp_free over wrong bytes: %d, bytes %s", err,
	      kept ? "kept" : "CHANGED");
	CHECK(!err2 && !memcmp((void *)at, fill, sizeof(fill)),
	      "tramp_free over the right bytes: %d", err2);
	return true;
}

/* ---- SAVE_REGS: full registers, arguments, a changeable resume address ---- */

static unsigned long regs_seen, arg0_seen, arg1_seen;
static long (*volatile add_fn)(long, long) = demo_add;
static long (*volatile orig_fn)(long) = selftest_ipmodify_orig;

static void notrace regs_func(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	regs_seen = ftrace_get_regs(fregs) != NULL;
	arg0_seen = ftrace_regs_get_argument(fregs, 0);
	arg1_seen = ftrace_regs_get_argument(fregs, 1);
}

static void notrace ipmodify_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	ftrace_regs_set_ip(fregs, (unsigned long)selftest_ipmodify_new);
}

static struct ftrace_ops regs_ops = {
	.func = regs_func, .flags = FTRACE_OPS_FL_SAVE_REGS, .name = "selftest_regs",
};
static struct ftrace_ops ipmodify_ops = {
	.func = ipmodify_func, .name = "selftest_ipmodify",
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static bool test_save_regs(void)
{
	long r;

	if (ftrace_set_filter(&regs_ops, "demo_add", true))
		return false;
	regs_seen = 0;
	register_ftrace_function(&regs_ops);
	r = add_fn(10, 20);
	unregister_ftrace_function(&regs_ops);
	ftrace_set_filter(&regs_ops, "", true);
	CHECK(r == 30, "demo_add(10, 20) = %ld under SAVE_REGS", r);
	CHECK(regs_seen, "ftrace_get_regs() gave NULL to a SAVE_REGS ops");
	CHECK(arg0_seen == 10 && arg1_seen == 20, "arguments %lu %lu, expected 10 20",
	      arg0_seen, arg1_seen);
	return true;
}

static bool test_ipmodify(void)
{
	long before, during, after;

	if (ftrace_set_filter(&ipmodify_ops, "selftest_ipmodify_orig", true))
		return false;
	before = orig_fn(5);
	register_ftrace_function(&ipmodify_ops);
	during = orig_fn(5);
	unregister_ftrace_function(&ipmodify_ops);
	after = orig_fn(5);
	ftrace_set_filter(&ipmodify_ops, "", true);
	CHECK(before == 6 && during == 1005 && after == 6,
	      "orig(5) gave %ld / %ld / %ld, expected 6 / 1005 / 6", before, during, after);
	return true;
}

/* ---- text_poke refuses a site that does not hold the expected bytes ---- */

static bool test_poke_mismatch(void)
{
	struct dyn_ftrace *rec = ftrace_rec_for_func((unsigned long)f1);
	u8 before[ARCH_FTRACE_SITE_SIZE], wrong[ARCH_FTRACE_SITE_SIZE],
	   call[ARCH_FTRACE_SITE_SIZE];
	int err;

	CHECK(rec && !rec->target, "site of %ps is not idle", (void *)f1);
	memcpy(before, (void *)rec->ip, sizeof(before));
	memcpy(wrong, before, sizeof(wrong));
	wrong[0] ^= 0xff;
	arch_ftrace_site_insn(rec->ip, (unsigned long)ftrace_caller, call);
	err = text_poke((void *)rec->ip, wrong, call, sizeof(call));
	CHECK(err == -EINVAL, "text_poke with wrong old bytes returned %d", err);
	CHECK(!memcmp((void *)rec->ip, before, sizeof(before)), "site bytes changed");
	return true;
}

/*
 * An update whose batch includes one site with unexpected bytes must be
 * abandoned before any byte is written: the good site stays a nop too.
 */
static struct ftrace_ops batch_ops = { .func = count_func, .name = "selftest_batch" };

static bool test_batch_abandoned(void)
{
	struct dyn_ftrace *r1 = ftrace_rec_for_func((unsigned long)f1);
	struct dyn_ftrace *r2 = ftrace_rec_for_func((unsigned long)f2);
	u8 nop1[ARCH_FTRACE_SITE_SIZE], nop2[ARCH_FTRACE_SITE_SIZE], bad[ARCH_FTRACE_SITE_SIZE];
	int err;

	CHECK(r1 && r2 && !r1->target && !r2->target, "test sites busy");
	memcpy(nop1, (void *)r1->ip, sizeof(nop1));
	memcpy(nop2, (void *)r2->ip, sizeof(nop2));
	memset(bad, ARCH_TEXT_FILL_BYTE, sizeof(bad));	/* a trap: never a valid site */
	CHECK(!text_poke((void *)r2->ip, nop2, bad, sizeof(bad)), "could not plant bad bytes");
	ftrace_set_filter(&batch_ops, "trace_selftest_dynamic_test_func*", true);
	err = register_ftrace_function(&batch_ops);
	bool untouched = !memcmp((void *)r1->ip, nop1, sizeof(nop1)) &&
			 !memcmp((void *)r2->ip, bad, sizeof(bad)) && !r1->target && !r2->target;
	text_poke((void *)r2->ip, bad, nop2, sizeof(bad));
	if (!err)
		unregister_ftrace_function(&batch_ops);
	CHECK(err == -EINVAL, "register over a bad site returned %d, expected -EINVAL", err);
	CHECK(untouched, "a site changed although the batch was refused");
	err = register_ftrace_function(&batch_ops);
	CHECK(!err, "register after repair failed (%d)", err);
	unregister_ftrace_function(&batch_ops);
	ftrace_set_filter(&batch_ops, "", true);
	return true;
}

static bool test_records_sorted(void)
{
	for (unsigned int i = 0; i < ftrace_nr_records(); i++) {
		struct dyn_ftrace *r = ftrace_record(i);

		CHECK(i == 0 || ftrace_record(i - 1)->ip < r->ip, "records not sorted at %u", i);
		CHECK(ftrace_location(r->ip) == r, "ftrace_location missed %ps", (void *)r->ip);
		CHECK(!ftrace_location(r->ip + 1), "ftrace_location matched ip + 1");
	}
	return true;
}

/* ftrace_selftest - run everything; returns the number of failures. */
int ftrace_selftest(void)
{
	nr_fail = test_no = 0;
	printk_raw("KTAP version 1\n1..9\n");
	report(test_records_sorted(), "ftrace_records_sorted");
	report(test_poke_mismatch(), "text_poke_refuses_wrong_bytes");
	report(test_batch_abandoned(), "update_with_a_bad_site_changes_nothing");
	report(test_ops_filter(), "ftrace_ops_filter");
	report(test_recursion(), "ftrace_recursion");
	report(test_recursion_self_guarded(), "ftrace_recursion_self_guarded_callback_runs");
	report(test_tramp_free_checks_old_bytes(), "tramp_free_checks_old_bytes");
	report(test_save_regs(), "ftrace_save_regs");
	if (ARCH_FTRACE_ENTRY_SITES)
		report(test_ipmodify(), "ftrace_ipmodify_resume_address");
	else
		skip("ftrace_ipmodify_resume_address",
		     "sites follow the prologue (mcount flavour)");
	printk_raw("# %d tests, %d failed\n", test_no, nr_fail);
	return nr_fail;
}

