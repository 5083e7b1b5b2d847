/*
 * ftrace.c - the dynamic ftrace core: one record per call site, the
 * registered ftrace_ops, and the update that derives what every site must
 * call from all of them (see the table in include/ftrace.h).
 *
 * Locking: ftrace_lock serialises every change (registration, filters,
 * updates); the tracing hot path (ftrace_ops_list_func, trampolines) takes
 * no lock: it walks the ops list and reads hashes that writers only replace
 * after the sites stopped using them.
 */
#include "kernel.h"
#include "ftrace.h"
#include "percpu.h"
#include "spinlock.h"
#include "smp.h"
#include "race.h"

extern unsigned long __start_mcount_loc[], __stop_mcount_loc[];

static struct dyn_ftrace *recs;
static unsigned long *next_target;	/* scratch for an update, one per record */
static u32 *next_flags;
static unsigned int nr_recs;
static spinlock_t ftrace_lock = SPINLOCK_INIT;
static struct ftrace_ops *ftrace_ops_list;

struct ftrace_update_stats ftrace_stats;

/*
 * ftrace_lock_acquire - take ftrace_lock.  Waiting for it is a quiescent
 * point (smp.h): whoever holds it may be in synchronize_quiescent(),
 * waiting for this CPU, and nobody takes the lock from inside traced code.
 * Task context, interrupts on.
 */
static void ftrace_lock_acquire(void)
{
	while (__atomic_exchange_n(&ftrace_lock.locked, 1, __ATOMIC_ACQUIRE)) {
		cpu_quiescent();
		arch_cpu_relax();
	}
}

static void ftrace_lock_release(void)
{
	spin_unlock(&ftrace_lock);
}

#define MAX_BAD_REPORTS 8	/* sites with unexpected bytes reported one by one */

/* ---- records ------------------------------------------------------------ */

static void sort_ulongs(unsigned long *a, unsigned long n)
{
	/* Shell sort: no recursion, no allocation, fast enough for 50k sites. */
	for (unsigned long gap = n / 2; gap; gap /= 2)
		for (unsigned long i = gap; i < n; i++) {
			unsigned long v = a[i], j = i;

			for (; j >= gap && a[j - gap] > v; j -= gap)
				a[j] = a[j - gap];
			a[j] = v;
		}
}

static void print_bytes(const char *what, const u8 *b)
{
	char hex[3 * ARCH_FTRACE_SITE_SIZE + 1];

	for (int i = 0; i < ARCH_FTRACE_SITE_SIZE; i++)
		snprintf(hex + 3 * i, 4, "%02x ", b[i]);
	printk("ftrace:   %s %s\n", what, hex);
}

/*
 * ftrace_init - build the sorted record table from the compiler's list of
 * sites, check each holds what the compiler left there (a mismatch is
 * reported and that site is never touched), and turn classic mcount calls
 * into nops.  Boot CPU, once, after the heap and the text alias exist.
 */
void ftrace_init(void)
{
	unsigned long n = __stop_mcount_loc - __start_mcount_loc, bad = 0;
	unsigned long *ips = kmalloc(n * sizeof(long) + 1);
	struct text_poke_req *reqs;
	unsigned int nreq = 0;

	recs = kzalloc(n * sizeof(*recs) + 1);
	next_target = kzalloc(n * sizeof(long) + 1);
	next_flags = kzalloc(n * sizeof(u32) + 1);
	reqs = kmalloc(n * sizeof(*reqs) + 1);
	if (!ips || !recs || !next_target || !next_flags || !reqs)
		panic("ftrace_init: no memory for %lu records", n);
	memcpy(ips, __start_mcount_loc, n * sizeof(long));
	sort_ulongs(ips, n);
	for (unsigned long i = 0; i < n; i++) {
		u8 boot[ARCH_FTRACE_SITE_SIZE], nop[ARCH_FTRACE_SITE_SIZE];
		struct dyn_ftrace *rec;

		if (!ips[i] || (nr_recs && recs[nr_recs - 1].ip == ips[i]))
			continue;
		rec = &recs[nr_recs++];
		rec->ip = ips[i];
		rec->func = arch_ftrace_site_func(rec->ip);
		arch_ftrace_boot_insn(rec->ip, boot);
		arch_ftrace_site_insn(rec->ip, 0, nop);
		if (memcmp((void *)rec->ip, boot, ARCH_FTRACE_SITE_SIZE)) {
			if (bad < MAX_BAD_REPORTS) {
				printk("ftrace: site %pS (0x%lx) has unexpected bytes, left alone\n",
				       (void *)rec->ip, rec->ip);
				print_bytes("found:   ", (u8 *)rec->ip);
				print_bytes("expected:", boot);
			}
			rec->flags |= FTRACE_FL_DISABLED;
			bad++;
			continue;
		}
		if (memcmp(boot, nop, ARCH_FTRACE_SITE_SIZE)) {
			reqs[nreq].addr = (void *)rec->ip;
			reqs[nreq].len = ARCH_FTRACE_SITE_SIZE;
			memcpy(reqs[nreq].old, boot, ARCH_FTRACE_SITE_SIZE);
			memcpy(reqs[nreq].new, nop, ARCH_FTRACE_SITE_SIZE);
			nreq++;
		}
	}
	if (text_poke_batch(reqs, nreq, NULL))
		panic("ftrace_init: converting mcount calls to nops failed");
	kfree(reqs);
	kfree(ips);
	printk("ftrace: %u call sites (%lu left alone), %u sites rewritten to the nop form\n",
	       nr_recs, bad, nreq);
}

unsigned int ftrace_nr_records(void)
{
	return nr_recs;
}

struct dyn_ftrace *ftrace_record(unsigned int i)
{
	return i < nr_recs ? &recs[i] : NULL;
}

unsigned int notrace ftrace_rec_index(const struct dyn_ftrace *rec)
{
	return (unsigned int)(rec - recs);
}

/* rec_search - binary search of the records by site (@by_func false) or function. */
static struct dyn_ftrace *notrace rec_search(unsigned long key, bool by_func)
{
	long lo = 0, hi = (long)nr_recs - 1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		unsigned long v = by_func ? recs[mid].func : recs[mid].ip;

		if (v == key)
			return &recs[mid];
		if (v < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* ftrace_location - the record of site @ip, or NULL.  Lock-free. */
struct dyn_ftrace *notrace ftrace_location(unsigned long ip)
{
	return rec_search(ip, false);
}

/* ftrace_rec_for_func - the record of the function starting at @func. */
struct dyn_ftrace *notrace ftrace_rec_for_func(unsigned long func)
{
	return rec_search(func, true);
}

/* ---- recursion protection ------------------------------------------------ */

/*
 * Recursion bits, per CPU, one per context (normal, irq, nmi) in each range
 * (Linux keeps the same two ranges apart):
 *  LIST - the core's guard: the list function, and the assist that wraps
 *         a FTRACE_OPS_FL_RECURSION ops called from its own trampoline;
 *  OPS  - ftrace_test_recursion_trylock(), the guard callbacks take
 *         themselves.  A separate range, so a callback that guards itself
 *         still runs when the core guards it too.
 */
#define RECURSION_LIST	0	/* bits 0..2 */
#define RECURSION_OPS	4	/* bits 4..6 */

static inline int notrace recursion_trylock(int base)
{
	struct cpu_state *c = this_cpu();
	int bit = base + trace_context();

	if (c->trace_recursion & (1UL << bit))
		return -1;
	c->trace_recursion |= 1UL << bit;
	barrier();
	return bit;
}

static inline void notrace recursion_unlock(int bit)
{
	barrier();
	this_cpu()->trace_recursion &= ~(1UL << bit);
}

/*
 * ftrace_test_recursion_trylock - callbacks call this first; a negative
 * return means this CPU is already inside a callback in the same context
 * (the callback itself called a traced function) and must return at once.
 */
int notrace ftrace_test_recursion_trylock(void)
{
	return recursion_trylock(RECURSION_OPS);
}

void notrace ftrace_test_recursion_unlock(int bit)
{
	recursion_unlock(bit);
}

/* ---- the tracing hot path ------------------------------------------------ */

/*
 * ops_selects - @ops' hashes select site @ip.  @hot: called from the list
 * function, where a hash may be replaced meanwhile (the RACE_HASH_READ
 * window sits there); updates call it under ftrace_lock with @hot false.
 */
static inline __attribute__((always_inline)) bool
ops_selects(const struct ftrace_ops *ops, unsigned long ip, bool hot)
{
	const struct ftrace_ops_hash *fh = ops->func_hash;
	const struct ftrace_hash *filter = READ_ONCE(fh->filter_hash);

	if (hot && !race_window_obj(RACE_HASH_READ, filter))
		return false;
	if (!ftrace_hash_empty(filter) && !ftrace_hash_contains(filter, ip))
		return false;
	return !ftrace_hash_contains(READ_ONCE(fh->notrace_hash), ip);
}

bool notrace ftrace_ops_traces(const struct ftrace_ops *ops, unsigned long ip)
{
	return ops_selects(ops, ip, false);
}

/*
 * ftrace_ops_assist_func - recursion guard for a FTRACE_OPS_FL_RECURSION
 * ops that its own trampoline calls (the list function guards the ops it
 * calls itself).  Takes the LIST bit, as the list function does: a
 * callback that recurses into a traced function reaches either and stops.
 */
static void notrace ftrace_ops_assist_func(unsigned long ip, unsigned long parent_ip,
					   struct ftrace_ops *op,
					   struct ftrace_regs *fregs)
{
	int bit = recursion_trylock(RECURSION_LIST);

	if (bit < 0)
		return;
	op->func(ip, parent_ip, op, fregs);
	recursion_unlock(bit);
}

/*
 * ftrace_ops_list_func - called by ftrace_caller / ftrace_regs_caller for
 * sites traced by several ops: calls every ops whose hashes select @ip.
 * Its LIST bit guards every ops it calls against recursion.
 */
void notrace ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *unused,
				  struct ftrace_regs *fregs)
{
	int bit = recursion_trylock(RECURSION_LIST);

	if (bit < 0)
		return;
	for (struct ftrace_ops *op = READ_ONCE(ftrace_ops_list); op;
	     op = READ_ONCE(op->next)) {
		if (ops_selects(op, ip, true))
			op->func(ip, parent_ip, op, fregs);	/* guarded by our LIST bit */
	}
	recursion_unlock(bit);
}

/* ---- updates ------------------------------------------------------------- */

/*
 * compute_site - what record @rec must call given the registered ops.
 * Returns -EBUSY when two IPMODIFY ops would share it.
 */
static int compute_site(const struct dyn_ftrace *rec, unsigned long *target, u32 *flags)
{
	struct ftrace_ops *only = NULL;
	unsigned int refs = 0, ipmodify = 0;
	bool regs = false;

	for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next) {
		if (!ftrace_ops_traces(op, rec->ip))
			continue;
		refs++;
		only = op;
		regs |= !!(op->flags & (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY));
		ipmodify += !!(op->flags & FTRACE_OPS_FL_IPMODIFY);
	}
	*flags = (regs ? FTRACE_FL_REGS : 0) | (ipmodify ? FTRACE_FL_IPMODIFY : 0);
	if (ipmodify > 1)
		return -EBUSY;
	if (!refs)
		*target = 0;
	else if (refs == 1 && only->trampoline) {
		*target = only->trampoline;
		*flags |= FTRACE_FL_TRAMP;
	} else {
		*target = (unsigned long)(regs ? ftrace_regs_caller : ftrace_caller);
	}
	*flags |= refs << 16;
	return 0;
}

/*
 * ftrace_update_sites - bring every site in line with the ops list, as one
 * text_poke batch.  On any error nothing has been written and the records
 * are unchanged.  Caller holds ftrace_lock.
 */
static int ftrace_update_sites(void)
{
	struct text_poke_req *reqs;
	unsigned int n = 0, bad = 0;
	int err = 0;

	for (unsigned int i = 0; i < nr_recs; i++) {
		if (recs[i].flags & FTRACE_FL_DISABLED)
			continue;
		err = compute_site(&recs[i], &next_target[i], &next_flags[i]);
		if (err) {
			printk("ftrace: %ps would have two IPMODIFY ops\n", (void *)recs[i].ip);
			return err;
		}
		n += next_target[i] != recs[i].target;
	}
	reqs = kmalloc(n * sizeof(*reqs) + 1);
	if (!reqs)
		return -ENOMEM;
	n = 0;
	for (unsigned int i = 0; i < nr_recs; i++) {
		if ((recs[i].flags & FTRACE_FL_DISABLED) || next_target[i] == recs[i].target)
			continue;
		reqs[n].addr = (void *)recs[i].ip;
		reqs[n].len = ARCH_FTRACE_SITE_SIZE;
		if (arch_ftrace_site_insn(recs[i].ip, recs[i].target, reqs[n].old) ||
		    arch_ftrace_site_insn(recs[i].ip, next_target[i], reqs[n].new)) {
			printk("ftrace: %ps: target out of reach\n", (void *)recs[i].ip);
			kfree(reqs);
			return -ERANGE;
		}
		n++;
	}
	err = text_poke_batch(reqs, n, &bad);
	if (err) {
		printk("ftrace: site %pS does not hold the expected bytes; nothing changed\n",
		       reqs[bad].addr);
		print_bytes("found:   ", reqs[bad].addr);
		print_bytes("expected:", reqs[bad].old);
		kfree(reqs);
		return err;
	}
	kfree(reqs);
	for (unsigned int i = 0; i < nr_recs; i++) {
		if (recs[i].flags & FTRACE_FL_DISABLED)
			continue;
		recs[i].target = next_target[i];
		recs[i].refs = next_flags[i] >> 16;
		recs[i].flags = next_flags[i] & 0xffff;
	}
	ftrace_stats.sites_changed = n;
	ftrace_stats.updates++;
	return 0;
}

int ftrace_update_all(void)
{
	int err;

	ftrace_lock_acquire();
	err = ftrace_update_sites();
	ftrace_lock_release();
	return err;
}

/* ---- ops registration -------------------------------------------------- */

/* build_trampoline - @ops' private caller copy for address @at, in @buf. */
static long build_trampoline(const struct ftrace_ops *ops, unsigned long at, u8 *buf,
			     size_t max)
{
	bool regs = ops->flags & (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY);
	unsigned long func = (unsigned long)(ops->flags & FTRACE_OPS_FL_RECURSION ?
					     ftrace_ops_assist_func : ops->func);

	return arch_ftrace_tramp_build(buf, max, at, regs, func, (void *)ops);
}

/* create_trampoline - the ops' private caller copy, best effort. */
static void create_trampoline(struct ftrace_ops *ops)
{
	static u8 buf[512], fill[512];
	long size = build_trampoline(ops, 0, buf, sizeof(buf));
	unsigned long at;

	if (size <= 0 || !(at = tramp_alloc(size)))
		return;
	build_trampoline(ops, at, buf, sizeof(buf));
	memset(fill, ARCH_TEXT_FILL_BYTE, size);
	if (text_poke((void *)at, fill, buf, size)) {
		printk("ftrace: trampoline pool at 0x%lx is not free\n", at);
		tramp_release(at, size);
		return;
	}
	ops->trampoline = at;
	ops->trampoline_size = size;
}

/*
 * free_trampoline - give the ops' trampoline back: its bytes are rebuilt
 * and checked by tramp_free() before the fill goes back over them, like
 * every other text write.  No site calls it and no CPU is inside it.
 */
static void free_trampoline(struct ftrace_ops *ops)
{
	static u8 buf[512];
	int err;

	if (!ops->trampoline)
		return;
	build_trampoline(ops, ops->trampoline, buf, sizeof(buf));
	err = tramp_free(ops->trampoline, buf, ops->trampoline_size);
	if (err)
		panic("free_trampoline: %s's trampoline at 0x%lx changed (%d)",
		      ops->name ? ops->name : "ops", ops->trampoline, err);
	ops->trampoline = 0;
}

static void ops_unlink(struct ftrace_ops *ops)
{
	for (struct ftrace_ops **p = &ftrace_ops_list; *p; p = &(*p)->next)
		if (*p == ops) {
			WRITE_ONCE(*p, ops->next);
			return;
		}
}

/*
 * register_ftrace_function - start calling @ops->func for the sites its
 * hashes select.  Returns 0, -EBUSY (already registered, or a second
 * IPMODIFY ops on a site), -ENOTSUPP (IPMODIFY without entry sites),
 * -ENOMEM, or a patching error; on error nothing changed.
 */
int register_ftrace_function(struct ftrace_ops *ops)
{
	int err;

	if ((ops->flags & FTRACE_OPS_FL_IPMODIFY) && !ARCH_FTRACE_ENTRY_SITES)
		return -ENOTSUPP;	/* the prologue already ran at an mcount site */
	ftrace_lock_acquire();
	if (ops->flags & FTRACE_OPS_FL_ENABLED) {
		ftrace_lock_release();
		return -EBUSY;
	}
	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	create_trampoline(ops);
	ops->next = ftrace_ops_list;
	WRITE_ONCE(ftrace_ops_list, ops);
	err = ftrace_update_sites();
	if (err) {
		ops_unlink(ops);
		free_trampoline(ops);
	} else {
		ops->flags |= FTRACE_OPS_FL_ENABLED;
	}
	ftrace_lock_release();
	return err;
}

/*
 * unregister_ftrace_function - stop tracing with @ops.  Sites move away
 * from its trampoline before the trampoline is freed.
 */
int unregister_ftrace_function(struct ftrace_ops *ops)
{
	int err;

	ftrace_lock_acquire();
	if (!(ops->flags & FTRACE_OPS_FL_ENABLED)) {
		ftrace_lock_release();
		return -EINVAL;
	}
	ops_unlink(ops);
	err = ftrace_update_sites();
	if (err)
		panic("unregister_ftrace_function: sites could not be updated (%d)", err);
	/* No site calls the trampoline now; wait until no CPU is inside it. */
	synchronize_quiescent();
	free_trampoline(ops);
	ops->flags &= ~FTRACE_OPS_FL_ENABLED;
	ftrace_lock_release();
	return 0;
}

/* ---- filters --------------------------------------------------------------- */

int ftrace_hash_apply_globs(struct ftrace_hash *hash, const char *globs, bool reset)
{
	char tok[128];
	const char *p = globs;

	if (reset)
		ftrace_hash_clear(hash);
	while (*p) {
		size_t len = 0;
		unsigned long matched = 0;
		bool neg;

		while (*p == ' ')
			p++;
		while (p[len] && p[len] != ' ')
			len++;
		if (!len)
			break;
		if (len >= sizeof(tok))
			return -ENAMETOOLONG;
		memcpy(tok, p, len);
		tok[len] = 0;
		p += len;
		neg = tok[0] == '!';
		for (unsigned int i = 0; i < nr_recs; i++) {
			const char *name = kallsyms_lookup(recs[i].func, NULL, NULL);

			if ((recs[i].flags & FTRACE_FL_DISABLED) || !name ||
			    !glob_match(tok + neg, name))
				continue;
			matched++;
			if (neg)
				ftrace_hash_remove(hash, recs[i].ip);
			else if (ftrace_hash_add(hash, recs[i].ip))
				return -ENOMEM;
		}
		if (!matched)
			return -EINVAL;
	}
	return 0;
}

/*
 * set_hash - replace *@slot by a copy edited with @globs, then update the
 * sites; on any error the old hash stays and nothing changed.
 */
static int set_hash(struct ftrace_hash **slot, const char *globs, bool reset)
{
	struct ftrace_hash *old, *n = kzalloc(sizeof(*n));
	int err = n ? 0 : -ENOMEM;

	ftrace_lock_acquire();
	/*
	 * Read the current hash under the lock: two writers that both copied
	 * it before taking the lock would each publish their own copy (one
	 * edit lost) and both free it (a double free).
	 */
	old = *slot;
	race_window(RACE_SET_HASH);
	if (!err && old && !reset)
		err = ftrace_hash_copy(n, old);
	if (!err)
		err = ftrace_hash_apply_globs(n, globs, reset);
	if (!err) {
		WRITE_ONCE(*slot, n);
		err = ftrace_update_sites();
		if (err)
			WRITE_ONCE(*slot, old);
	}
	if (err && n) {
		ftrace_hash_clear(n);
		kfree(n);
	} else if (!err && old) {
		synchronize_quiescent();	/* no list walk still reads it */
		ftrace_hash_clear(old);
		kfree(old);
	}
	ftrace_lock_release();
	return err;
}

int ftrace_set_hash(struct ftrace_ops_hash *fh, bool is_notrace, const char *globs,
		    bool reset)
{
	return set_hash(is_notrace ? &fh->notrace_hash : &fh->filter_hash, globs, reset);
}

int ftrace_set_filter(struct ftrace_ops *ops, const char *globs, bool reset)
{
	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	return set_hash(&ops->func_hash->filter_hash, globs, reset);
}

int ftrace_set_notrace(struct ftrace_ops *ops, const char *globs, bool reset)
{
	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	return set_hash(&ops->func_hash->notrace_hash, globs, reset);
}

/* ftrace_for_each_ops - for enabled_functions: which ops trace @ip. */
struct ftrace_ops *ftrace_ops_first(void)
{
	return ftrace_ops_list;
}
