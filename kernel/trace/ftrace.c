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
static void ftrace_rec_callers_init(void);

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
	ftrace_rec_callers_init();
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

/*
 * Each record's function name, looked up once: matching a glob against
 * every record looked each name up again (a binary search over kallsyms
 * per record, ~390 instructions), so one `bpf attach` of one function
 * spent 7.9 M instructions finding it.  Records never change after boot.
 * 0: not built, 1: being built (others wait), 2: ready.
 */
static const char **rec_names;
static int rec_names_state;

const char *ftrace_rec_name(const struct dyn_ftrace *rec)
{
	int st = __atomic_load_n(&rec_names_state, __ATOMIC_ACQUIRE);

	if (st != 2) {
		int zero = 0;

		if (st == 0 && __atomic_compare_exchange_n(&rec_names_state, &zero, 1, false,
							   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			const char **names = kmalloc(nr_recs * sizeof(*names) + 1);

			for (unsigned int i = 0; names && i < nr_recs; i++)
				names[i] = kallsyms_lookup(recs[i].func, NULL, NULL);
			rec_names = names;
			/* without memory the lookups go on one by one */
			__atomic_store_n(&rec_names_state, names ? 2 : 0, __ATOMIC_RELEASE);
		}
		while ((st = __atomic_load_n(&rec_names_state, __ATOMIC_ACQUIRE)) == 1)
			arch_cpu_relax();
		if (st != 2)
			return kallsyms_lookup(rec->func, NULL, NULL);
	}
	return rec_names[rec - recs];
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

/* ---- the per-record caller: one ops without a trampoline --------------- */

/*
 * When an ops' private trampoline cannot be built (the pool is full), a site
 * it traces alone calls one of two shared copies of the callers whose call
 * goes here instead of to the list function: the record names its one ops
 * (dyn_ftrace.ops), so the cost is one record search, never a walk over
 * unrelated ops (Linux's CALL_OPS answers the same problem).
 */
static unsigned long rec_callers[2];	/* [regs]: the per-record callers */

static void notrace ftrace_ops_rec_func(unsigned long ip, unsigned long parent_ip,
					struct ftrace_ops *unused, struct ftrace_regs *fregs)
{
	struct dyn_ftrace *rec = ftrace_location(ip);
	struct ftrace_ops *op = rec ? READ_ONCE(rec->ops) : NULL;
	int bit = recursion_trylock(RECURSION_LIST);

	if (bit < 0)
		return;
	if (op)
		op->func(ip, parent_ip, op, fregs);	/* guarded by our LIST bit */
	recursion_unlock(bit);
}

/* ---- updates ------------------------------------------------------------- */

static unsigned long direct_of(const struct dyn_ftrace *rec);
static void unshare_ipmodify(struct ftrace_ops **agreed, int n);

static inline bool ops_is(const struct ftrace_ops *op, unsigned long flag)
{
	return op->flags & flag;
}

/*
 * holder_first - order two conflicting ops as (the one registered already,
 * the newcomer).  The list walk meets the ops being registered first (it
 * is pushed at the head), so without this the refusal named the newcomer
 * as the holder and the holder as refused.
 */
static void holder_first(struct ftrace_ops **a, struct ftrace_ops **b)
{
	if (!((*a)->flags & FTRACE_OPS_FL_ENABLED) && ((*b)->flags & FTRACE_OPS_FL_ENABLED)) {
		struct ftrace_ops *t = *a;

		*a = *b;
		*b = t;
	}
}

/*
 * refuse_site - -EBUSY after the line @fmt makes of @rec's function, the
 * ops holding the site and the one refused (@a and @b, in either order).
 */
static int refuse_site(const char *fmt, const struct dyn_ftrace *rec, struct ftrace_ops *a,
		       struct ftrace_ops *b)
{
	holder_first(&a, &b);
	printk(fmt, (void *)rec->func, a->name, b->name);
	return -EBUSY;
}

/*
 * compute_site - what record @rec must call given the registered ops, as
 * *@target and the derived record flags (refs in the upper half).  Returns
 * -EBUSY, after one line naming the holder, when the ops cannot share it
 * (the list is newest first: of two ops that clash, the one found second
 * was there first and holds the site, the one found first is refused):
 * two IPMODIFY ops, two DIRECT ops, or a DIRECT and an IPMODIFY ops unless
 * the direct one agreed to share (FTRACE_OPS_FL_SHARE_IPMODIFY).
 */
static int compute_site(const struct dyn_ftrace *rec, unsigned long *target, u32 *flags)
{
	struct ftrace_ops *only = NULL, *ipmodify = NULL, *direct = NULL;
	unsigned int refs = 0;
	bool regs = false;

	for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next) {
		if (!ftrace_ops_traces(op, rec->ip))
			continue;
		refs++;
		only = op;
		regs |= ops_is(op, FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY |
				   FTRACE_OPS_FL_DIRECT);
		/* newest first: @op came before the one found already, it holds the site */
		if (ops_is(op, FTRACE_OPS_FL_IPMODIFY)) {
			if (ipmodify)
				return refuse_site("ftrace: %ps is already modified by %s (IPMODIFY); "
						   "%s refused\n", rec, op, ipmodify);
			ipmodify = op;
		}
		if (ops_is(op, FTRACE_OPS_FL_DIRECT)) {
			if (direct)
				return refuse_site("ftrace: %ps already has a direct trampoline from %s; "
						   "%s refused\n", rec, op, direct);
			direct = op;
		}
	}
	if (ipmodify && direct && !ops_is(direct, FTRACE_OPS_FL_SHARE_IPMODIFY)) {
		printk("ftrace: %ps: direct %s and IPMODIFY %s do not share it\n",
		       (void *)rec->func, direct->name, ipmodify->name);
		return -EBUSY;
	}
	*flags = (regs ? FTRACE_FL_REGS : 0) | (ipmodify ? FTRACE_FL_IPMODIFY : 0) |
		 (direct ? FTRACE_FL_DIRECT : 0);
	if (!refs) {
		*target = 0;
	} else if (refs == 1 && direct) {
		*target = READ_ONCE(direct->direct_call);	/* nothing else on the path */
		*flags &= ~FTRACE_FL_REGS;
	} else if (refs == 1 && only->trampoline) {
		*target = only->trampoline;
		*flags |= FTRACE_FL_TRAMP;
	} else if (refs == 1 && rec_callers[regs]) {
		*target = rec_callers[regs];
		*flags |= FTRACE_FL_CALL_OPS;
	} else {
		*target = (unsigned long)(regs ? ftrace_regs_caller : ftrace_caller);
	}
	*flags |= refs << 16;
	return 0;
}

/*
 * The records an update may change (its scope): those the hashes passed to
 * ftrace_update_sites() select, or all of them.  A filter hash that is
 * empty selects every function, so it makes the scope all records; an empty
 * notrace hash excludes nothing, so it adds none.
 */
struct update_scope {
	const struct ftrace_hash *hash[2];
	bool filter[2];		/* hash[i] is a filter (empty = all) */
	int n;
};

static void scope_add(struct update_scope *sc, const struct ftrace_hash *h, bool filter)
{
	sc->hash[sc->n] = h;
	sc->filter[sc->n++] = filter;
}

/* ops_scope - the records @ops may trace: its filter hash. */
static void scope_of_ops(struct update_scope *sc, const struct ftrace_ops *ops)
{
	scope_add(sc, ops->func_hash ? ops->func_hash->filter_hash : NULL, true);
}

static bool scope_is_all(const struct update_scope *sc)
{
	if (!sc)
		return true;
	for (int i = 0; i < sc->n; i++)
		if (sc->filter[i] && ftrace_hash_empty(sc->hash[i]))
			return true;
	return false;
}

/*
 * scope_records - the indexes of the records in @sc, ascending, in a new
 * array (*@out, kfree() it); returns their number, or -ENOMEM.
 */
static long scope_records(const struct update_scope *sc, unsigned int **out)
{
	unsigned long cap = 0, n = 0;
	unsigned int *idx;

	if (scope_is_all(sc)) {
		idx = kmalloc(nr_recs * sizeof(*idx) + 1);
		if (!idx)
			return -ENOMEM;
		for (unsigned int i = 0; i < nr_recs; i++)
			idx[n++] = i;
		*out = idx;
		return (long)n;
	}
	for (int i = 0; i < sc->n; i++)
		cap += sc->hash[i] ? sc->hash[i]->count : 0;
	idx = kmalloc(cap * sizeof(*idx) + 1);
	if (!idx)
		return -ENOMEM;
	for (int i = 0; i < sc->n; i++) {
		const struct ftrace_hash *h = sc->hash[i];

		for (unsigned int j = 0; h && j < h->size; j++) {
			struct dyn_ftrace *rec = h->slots[j] ? ftrace_location(h->slots[j]) : NULL;

			if (rec && !(rec->flags & FTRACE_FL_SCOPE)) {
				rec->flags |= FTRACE_FL_SCOPE;
				idx[n++] = (unsigned int)(rec - recs);
			}
		}
	}
	/*
	 * Ascending order.  Insertion sort costs ~n^2/4 moves: fine for a few
	 * functions, but a filter naming 20k of them took 800M instructions
	 * (0.8 s) to sort.  Once that would cost more than one pass over the
	 * records, take the marked ones in table order instead.
	 */
	if ((u64)n * n / 4 > nr_recs) {
		n = 0;
		for (unsigned int i = 0; i < nr_recs; i++)
			if (recs[i].flags & FTRACE_FL_SCOPE) {
				recs[i].flags &= ~FTRACE_FL_SCOPE;
				idx[n++] = i;
			}
		*out = idx;
		return (long)n;
	}
	for (unsigned long i = 0; i < n; i++)
		recs[idx[i]].flags &= ~FTRACE_FL_SCOPE;
	for (unsigned long i = 1; i < n; i++) {
		unsigned int v = idx[i];
		unsigned long j = i;

		for (; j && idx[j - 1] > v; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
	*out = idx;
	return (long)n;
}

/*
 * ftrace_update_sites - bring the sites in @sc (NULL: all) in line with the
 * ops list, as one text_poke batch; records outside the scope cannot have
 * changed, so an update costs in proportion to the functions it touches.
 * On any error nothing has been written and the records are unchanged.
 * Caller holds ftrace_lock.
 */
static int ftrace_update_sites(const struct update_scope *sc)
{
	struct text_poke_req *reqs;
	unsigned int *idx, n = 0, bad = 0;
	long nidx = scope_records(sc, &idx);
	int err = 0;

	if (nidx < 0)
		return (int)nidx;
	for (long k = 0; k < nidx; k++) {
		unsigned int i = idx[k];

		if (recs[i].flags & FTRACE_FL_DISABLED)
			continue;
		err = compute_site(&recs[i], &next_target[i], &next_flags[i]);
		if (err) {
			kfree(idx);
			return err;
		}
		n += next_target[i] != recs[i].target;
	}
	reqs = kmalloc(n * sizeof(*reqs) + 1);
	if (!reqs) {
		kfree(idx);
		return -ENOMEM;
	}
	n = 0;
	for (long k = 0; k < nidx; k++) {
		unsigned int i = idx[k];

		if ((recs[i].flags & FTRACE_FL_DISABLED) || next_target[i] == recs[i].target)
			continue;
		reqs[n].addr = (void *)recs[i].ip;
		reqs[n].len = ARCH_FTRACE_SITE_SIZE;
		if (arch_ftrace_site_insn(recs[i].ip, recs[i].target, reqs[n].old) ||
		    arch_ftrace_site_insn(recs[i].ip, next_target[i], reqs[n].new)) {
			printk("ftrace: %ps: target out of reach\n", (void *)recs[i].ip);
			err = -ERANGE;
			goto out;
		}
		n++;
	}
	/* The per-record caller must find its ops before a site calls it. */
	for (long k = 0; k < nidx; k++) {
		unsigned int i = idx[k];

		if (!(recs[i].flags & FTRACE_FL_DISABLED) && (next_flags[i] & FTRACE_FL_CALL_OPS))
			for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next)
				if (ftrace_ops_traces(op, recs[i].ip))
					WRITE_ONCE(recs[i].ops, op);
	}
	err = text_poke_batch(reqs, n, &bad);
	if (err) {
		printk("ftrace: site %pS does not hold the expected bytes; nothing changed\n",
		       reqs[bad].addr);
		print_bytes("found:   ", reqs[bad].addr);
		print_bytes("expected:", reqs[bad].old);
		goto out;
	}
	for (long k = 0; k < nidx; k++) {
		struct dyn_ftrace *rec = &recs[idx[k]];
		u32 f = next_flags[idx[k]];

		if (rec->flags & FTRACE_FL_DISABLED)
			continue;
		rec->target = next_target[idx[k]];
		rec->direct = (f & FTRACE_FL_DIRECT) ? direct_of(rec) : 0;
		rec->refs = f >> 16;
		rec->flags = (rec->flags & ~FTRACE_FL_DERIVED) | (f & FTRACE_FL_DERIVED);
		if (rec->refs)
			rec->flags |= FTRACE_FL_TOUCHED;
		if (f & (FTRACE_FL_IPMODIFY | FTRACE_FL_DIRECT))
			rec->flags |= FTRACE_FL_MODIFIED;
	}
	ftrace_stats.sites_changed = n;
	ftrace_stats.records_scanned = nidx;
	ftrace_stats.updates++;
out:
	kfree(reqs);
	kfree(idx);
	return err;
}

int ftrace_update_all(void)
{
	int err;

	ftrace_lock_acquire();
	err = ftrace_update_sites(NULL);
	ftrace_lock_release();
	return err;
}

/* ---- ops registration -------------------------------------------------- */

/* A caller template (arch.h): its start, ops slot, callback call, end. */
struct tramp_template {
	char *start, *op_slot, *call, *end;
};

static const struct tramp_template tramp_templates[2] = {
	{ ftrace_caller, ftrace_caller_op_slot, ftrace_caller_call, ftrace_caller_end },
	{ ftrace_regs_caller, ftrace_regs_caller_op_slot, ftrace_regs_caller_call,
	  ftrace_regs_caller_end },
};

/*
 * build_caller - a copy of the caller template (ftrace_regs_caller when
 * @regs) for address @at, in @buf (at most @max bytes), with @op in its op
 * slot and its call retargeted to @func.  @at 0: only the size is wanted.
 * Returns the size, -E2BIG or -ERANGE.
 */
static long build_caller(bool regs, unsigned long func, const void *op, unsigned long at,
			 u8 *buf, size_t max)
{
	const struct tramp_template *t = &tramp_templates[regs];
	size_t size = t->end - t->start, call = t->call - t->start;
	unsigned long opv = (unsigned long)op;

	if (size > max)
		return -E2BIG;
	memcpy(buf, t->start, size);
	memcpy(buf + (t->op_slot - t->start), &opv, sizeof(opv));
	if (at && arch_call_insn(at + call, func, buf + call))
		return -ERANGE;
	return (long)size;
}

/*
 * build_trampoline - @ops' private caller copy for address @at: the
 * template its flags need, calling its callback directly.
 */
static long build_trampoline(const struct ftrace_ops *ops, unsigned long at, u8 *buf,
			     size_t max)
{
	bool regs = ops->flags & (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY);
	unsigned long func = (unsigned long)(ops->flags & FTRACE_OPS_FL_RECURSION ?
					     ftrace_ops_assist_func : ops->func);

	return build_caller(regs, func, ops, at, buf, max);
}

/*
 * install_caller - allocate pool space for the caller @build describes and
 * write it there (text_poke: the space must still hold the fill).  Returns
 * its address and size, or 0 when the pool is full.
 */
static unsigned long install_caller(bool regs, unsigned long func, const void *op,
				    unsigned long *sizep)
{
	static u8 buf[512], fill[512];
	long size = build_caller(regs, func, op, 0, buf, sizeof(buf));
	unsigned long at;

	if (size <= 0 || !(at = tramp_alloc(size)))
		return 0;
	build_caller(regs, func, op, at, buf, sizeof(buf));
	memset(fill, ARCH_TEXT_FILL_BYTE, size);
	if (text_poke((void *)at, fill, buf, size)) {
		printk("ftrace: trampoline pool at 0x%lx is not free\n", at);
		tramp_release(at, size);
		return 0;
	}
	*sizep = size;
	return at;
}

/* create_trampoline - the ops' private caller copy, best effort. */
static void create_trampoline(struct ftrace_ops *ops)
{
	bool regs = ops->flags & (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY);
	unsigned long func = (unsigned long)(ops->flags & FTRACE_OPS_FL_RECURSION ?
					     ftrace_ops_assist_func : ops->func);

	if (ops->flags & FTRACE_OPS_FL_DIRECT)
		return;		/* alone, its sites call its direct trampoline */
	ops->trampoline = install_caller(regs, func, ops, &ops->trampoline_size);
}

/*
 * ftrace_rec_callers_init - the two per-record callers (before any ops can
 * use up the pool).  Boot CPU, from ftrace_init().
 */
static void ftrace_rec_callers_init(void)
{
	unsigned long size;

	for (int regs = 0; regs < 2; regs++) {
		rec_callers[regs] = install_caller(regs, (unsigned long)ftrace_ops_rec_func,
						   NULL, &size);
		if (!rec_callers[regs])
			panic("ftrace_init: no pool space for the per-record callers");
		tramp_set_name(rec_callers[regs], regs ? "ftrace_rec_regs_caller" :
			       "ftrace_rec_caller");
	}
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

/* ops_filter - @ops' filter hash, NULL when it traces every function. */
static const struct ftrace_hash *ops_filter(const struct ftrace_ops *ops)
{
	const struct ftrace_hash *h = ops->func_hash ? ops->func_hash->filter_hash : NULL;

	return ftrace_hash_empty(h) ? NULL : h;
}

/*
 * ops_overlap - some usable record is traced by both @a and @b.  Only the
 * sites of the smaller filter can be in both: enabling livepatch-sample
 * among 1,019 BPF trampolines (each a direct ops) scanned 1,019 x 20k
 * records, 1.2 G instructions; now 0.6 M.  Two ops without filters scan
 * every record.
 */
static bool ops_overlap(const struct ftrace_ops *a, const struct ftrace_ops *b)
{
	const struct ftrace_hash *ha = ops_filter(a), *hb = ops_filter(b), *h;

	h = !ha ? hb : !hb ? ha : ha->count <= hb->count ? ha : hb;
	if (h) {
		for (unsigned int i = 0; i < h->size; i++) {
			unsigned long ip = h->slots[i];
			const struct dyn_ftrace *rec = ip ? ftrace_location(ip) : NULL;

			if (rec && !(rec->flags & FTRACE_FL_DISABLED) && ftrace_ops_traces(a, ip) &&
			    ftrace_ops_traces(b, ip))
				return true;
		}
		return false;
	}
	for (unsigned int i = 0; i < nr_recs; i++)
		if (!(recs[i].flags & FTRACE_FL_DISABLED) && ftrace_ops_traces(a, recs[i].ip) &&
		    ftrace_ops_traces(b, recs[i].ip))
			return true;
	return false;
}

/* direct_of - the direct trampoline of the DIRECT ops tracing @rec, or 0. */
static unsigned long direct_of(const struct dyn_ftrace *rec)
{
	for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next)
		if (ops_is(op, FTRACE_OPS_FL_DIRECT) && ftrace_ops_traces(op, rec->ip))
			return READ_ONCE(op->direct_call);
	return 0;
}

/*
 * share_ipmodify - the SHARE_IPMODIFY negotiation (seed 000's final design)
 * for @ops about to be registered: a DIRECT ops and an IPMODIFY ops may
 * trace one function only if the direct ops' ops_func agrees.  Asks every
 * overlapping direct ops (PEER, when @ops is IPMODIFY) or @ops itself
 * (SELF, when @ops is direct and an IPMODIFY ops is there) and sets
 * FTRACE_OPS_FL_SHARE_IPMODIFY on each that agrees, listing them in
 * @agreed (at most @max) so a failed registration can take it back.
 * Returns the number agreed, or -EBUSY after naming who refused.
 */
static int share_ipmodify(struct ftrace_ops *ops, struct ftrace_ops **agreed, int max)
{
	int n = 0;

	for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next) {
		struct ftrace_ops *direct = NULL;
		enum ftrace_ops_cmd cmd;

		if (op == ops)
			continue;
		if (ops_is(ops, FTRACE_OPS_FL_IPMODIFY) && ops_is(op, FTRACE_OPS_FL_DIRECT)) {
			direct = op;
			cmd = FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER;
		} else if (ops_is(ops, FTRACE_OPS_FL_DIRECT) && ops_is(op, FTRACE_OPS_FL_IPMODIFY)) {
			direct = ops;
			cmd = FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF;
		} else {
			continue;
		}
		/*
		 * The overlap scan reads every record: only for the pairs that
		 * need it (it used to run for every registered ops first, so
		 * registering the 200th plain ops scanned 199 x 20k records).
		 */
		if (ops_is(direct, FTRACE_OPS_FL_SHARE_IPMODIFY) || !ops_overlap(ops, op))
			continue;	/* agreed already (another IPMODIFY ops), or apart */
		if (!direct->ops_func || direct->ops_func(direct, cmd) || n == max) {
			printk("ftrace: direct %s %s share its functions with IPMODIFY %s\n",
			       direct->name, direct->ops_func ? "refused to" : "cannot (no ops_func)",
			       direct == ops ? op->name : ops->name);
			unshare_ipmodify(agreed, n);
			return -EBUSY;
		}
		direct->flags |= FTRACE_OPS_FL_SHARE_IPMODIFY;
		agreed[n++] = direct;
	}
	return n;
}

/* unshare_ipmodify - take back what share_ipmodify() set on @agreed. */
static void unshare_ipmodify(struct ftrace_ops **agreed, int n)
{
	while (n--) {
		struct ftrace_ops *direct = agreed[n];

		direct->flags &= ~FTRACE_OPS_FL_SHARE_IPMODIFY;
		if (direct->flags & FTRACE_OPS_FL_ENABLED)	/* a peer: tell it */
			direct->ops_func(direct, FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER);
	}
}

/*
 * ipmodify_left - @ops (IPMODIFY) is gone: every direct ops that shared a
 * function with it and now overlaps no IPMODIFY ops is told, and loses
 * FTRACE_OPS_FL_SHARE_IPMODIFY.
 */
static void ipmodify_left(struct ftrace_ops *ops)
{
	for (struct ftrace_ops *d = ftrace_ops_list; d; d = d->next) {
		bool still = false;

		if (!ops_is(d, FTRACE_OPS_FL_DIRECT) || !ops_is(d, FTRACE_OPS_FL_SHARE_IPMODIFY) ||
		    !ops_overlap(d, ops))
			continue;
		for (struct ftrace_ops *op = ftrace_ops_list; op && !still; op = op->next)
			still = ops_is(op, FTRACE_OPS_FL_IPMODIFY) && ops_overlap(d, op);
		if (still)
			continue;
		d->flags &= ~FTRACE_OPS_FL_SHARE_IPMODIFY;
		if (d->ops_func)
			d->ops_func(d, FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER);
	}
}

#define MAX_SHARERS 64

/*
 * __register_ftrace_function - register @ops, ftrace_lock held.  On error
 * nothing changed: not the sites, records, ops list, trampolines, nor any
 * ops' SHARE_IPMODIFY flag.
 */
static int __register_ftrace_function(struct ftrace_ops *ops)
{
	struct ftrace_ops *agreed[MAX_SHARERS];
	struct update_scope sc = { 0 };
	int err, nagreed;

	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		return -EBUSY;
	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	if (!ops->name)
		ops->name = "ftrace_ops";
	nagreed = share_ipmodify(ops, agreed, MAX_SHARERS);
	if (nagreed < 0)
		return nagreed;
	create_trampoline(ops);
	ops->next = ftrace_ops_list;
	WRITE_ONCE(ftrace_ops_list, ops);
	scope_of_ops(&sc, ops);
	err = ftrace_update_sites(&sc);
	if (err) {
		ops_unlink(ops);
		synchronize_quiescent();	/* list walks that saw it are over */
		free_trampoline(ops);
		unshare_ipmodify(agreed, nagreed);
	} else {
		ops->flags |= FTRACE_OPS_FL_ENABLED;
	}
	return err;
}

/*
 * __unregister_ftrace_function - ftrace_lock held.  Sites move away from
 * @ops' trampoline before it is freed, and only once no CPU can be inside.
 */
static int __unregister_ftrace_function(struct ftrace_ops *ops)
{
	struct update_scope sc = { 0 };
	int err;

	if (!(ops->flags & FTRACE_OPS_FL_ENABLED))
		return -EINVAL;
	ops_unlink(ops);
	scope_of_ops(&sc, ops);
	err = ftrace_update_sites(&sc);
	if (err)
		panic("unregister_ftrace_function: sites could not be updated (%d)", err);
	synchronize_quiescent();
	free_trampoline(ops);
	ops->flags &= ~FTRACE_OPS_FL_ENABLED;
	if (ops_is(ops, FTRACE_OPS_FL_IPMODIFY))
		ipmodify_left(ops);
	return 0;
}

/*
 * register_ftrace_function - start calling @ops->func for the sites its
 * hashes select.  Returns 0, -EBUSY (already registered, or the ops cannot
 * share a function: see compute_site() and share_ipmodify()), -ENOTSUPP
 * (IPMODIFY without entry sites), -ENOMEM, or a patching error; on error
 * nothing changed.
 */
int register_ftrace_function(struct ftrace_ops *ops)
{
	int err;

	if ((ops->flags & FTRACE_OPS_FL_IPMODIFY) && !ARCH_FTRACE_ENTRY_SITES)
		return -ENOTSUPP;	/* the prologue already ran at an mcount site */
	ftrace_lock_acquire();
	err = __register_ftrace_function(ops);
	ftrace_lock_release();
	return err;
}

/* unregister_ftrace_function - stop tracing with @ops; -EINVAL if it is not on. */
int unregister_ftrace_function(struct ftrace_ops *ops)
{
	int err;

	ftrace_lock_acquire();
	err = __unregister_ftrace_function(ops);
	ftrace_lock_release();
	return err;
}

/* ---- direct calls ------------------------------------------------------ */

/*
 * call_direct_funcs - a DIRECT ops' callback, run by ftrace_regs_caller's
 * list walk when other ops share the site: continue into the direct
 * trampoline once every callback is done.
 */
static void notrace call_direct_funcs(unsigned long ip, unsigned long parent_ip,
				      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	unsigned long addr = READ_ONCE(op->direct_call);

	if (addr)
		arch_ftrace_set_direct_caller(fregs, addr);
}

/*
 * free_local_hashes - drop the filter and notrace hashes of @ops, which is
 * not registered: no site calls for it and no list walk can still read
 * them (unregistering waited for that), so no update is needed, unlike a
 * filter cleared through ftrace_set_filter() (an empty filter selects all
 * functions: it re-derived all 20k records).  ftrace_lock held.
 */
static void free_local_hashes(struct ftrace_ops *ops)
{
	struct ftrace_hash **slots[2] = { &ops->local_hash.filter_hash,
					  &ops->local_hash.notrace_hash };

	for (int i = 0; i < 2; i++) {
		struct ftrace_hash *h = *slots[i];

		*slots[i] = NULL;
		if (h) {
			ftrace_hash_clear(h);
			kfree(h);
		}
	}
}

/*
 * ftrace_free_filter - Linux's: free the filters of an ops that is not
 * registered (-EBUSY if it is; -EINVAL for an ops using a shared hash,
 * which is not its own to free).
 */
int ftrace_free_filter(struct ftrace_ops *ops)
{
	int err = 0;

	ftrace_lock_acquire();
	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		err = -EBUSY;
	else if (ops->func_hash && ops->func_hash != &ops->local_hash)
		err = -EINVAL;
	else
		free_local_hashes(ops);
	ftrace_lock_release();
	return err;
}

int register_ftrace_direct(struct ftrace_ops *ops, unsigned long addr)
{
	int err;

	if (!ARCH_FTRACE_ENTRY_SITES)
		return -ENOTSUPP;	/* the prologue already ran at an mcount site */
	if (!addr || !ops->func_hash || ftrace_hash_empty(ops->func_hash->filter_hash))
		return -EINVAL;		/* a direct ops names its functions */
	ftrace_lock_acquire();
	if (ops->flags & FTRACE_OPS_FL_ENABLED) {
		ftrace_lock_release();
		return -EBUSY;
	}
	ops->func = call_direct_funcs;
	ops->flags |= FTRACE_OPS_FL_DIRECT;
	ops->direct_call = addr;
	err = __register_ftrace_function(ops);
	if (err) {
		ops->flags &= ~FTRACE_OPS_FL_DIRECT;
		ops->direct_call = 0;
	}
	ftrace_lock_release();
	return err;
}

int unregister_ftrace_direct(struct ftrace_ops *ops, unsigned long addr, bool free_filters)
{
	int err;

	ftrace_lock_acquire();
	if (!(ops->flags & FTRACE_OPS_FL_ENABLED) || !(ops->flags & FTRACE_OPS_FL_DIRECT) ||
	    ops->direct_call != addr) {
		ftrace_lock_release();
		return -EINVAL;
	}
	err = __unregister_ftrace_function(ops);
	ops->flags &= ~(FTRACE_OPS_FL_DIRECT | FTRACE_OPS_FL_SHARE_IPMODIFY);
	ops->direct_call = 0;
	if (!err && free_filters)
		free_local_hashes(ops);
	ftrace_lock_release();
	return err;
}

/*
 * modify_ftrace_direct - re-point every site of @ops to @addr in one batch:
 *  1. direct_call becomes @addr: from now on a call that goes through
 *     ftrace_regs_caller (a site @ops shares) continues into @addr;
 *  2. the sites @ops serves alone move from "call old" to "call @addr",
 *     a call -> call change the breakpoint protocol makes atomic for every
 *     call (a CPU that hits the breakpoint is sent to @addr);
 *  3. wait until no CPU can still be inside the old trampoline, so the
 *     caller may free or reuse it when this returns.
 * A call made at any moment reaches the old trampoline or the new one,
 * exactly once.  Not registered: -EINVAL (as Linux).  On error the old
 * trampoline stays in use everywhere.
 */
int modify_ftrace_direct(struct ftrace_ops *ops, unsigned long addr)
{
	struct ftrace_ops *mod[1] = { ops };
	unsigned long addrs[1] = { addr };

	if (!addr || !(ops->flags & FTRACE_OPS_FL_DIRECT))
		return -EINVAL;
	return ftrace_direct_update(NULL, NULL, 0, NULL, 0, mod, addrs, 1);
}

/* scope_union - a new hash of every function @ops[0..@n) names; NULL + -ENOMEM. */
static struct ftrace_hash *scope_union(struct ftrace_ops **ops, int n, bool *all)
{
	struct ftrace_hash *u = kzalloc(sizeof(*u));

	for (int i = 0; u && i < n; i++) {
		const struct ftrace_hash *h = ops[i]->func_hash ? ops[i]->func_hash->filter_hash : NULL;

		if (ftrace_hash_empty(h))
			*all = true;
		for (unsigned int j = 0; h && j < h->size; j++)
			if (h->slots[j] && ftrace_hash_add(u, h->slots[j])) {
				ftrace_hash_clear(u);
				kfree(u);
				return NULL;
			}
	}
	return u;
}

/*
 * ftrace_direct_update - several direct changes as ONE update (one text
 * batch, whatever their number: the BPF trampoline manager attaches a
 * program to thousands of functions, grouped into a few trampolines, this
 * way):  register @add[i] with trampoline @add_addr[i], unregister
 * @del[i], re-point @mod[i] to @mod_addr[i].  Returns 0, or an error
 * (-EINVAL for an ops in the wrong state, -EBUSY from the sharing rules,
 * -ENOMEM, a patching error) with nothing changed.  When it returns 0, no
 * CPU can still be inside a trampoline that no site calls any more.
 */
int ftrace_direct_update(struct ftrace_ops **add, const unsigned long *add_addr, int na,
			 struct ftrace_ops **del, int nd,
			 struct ftrace_ops **mod, const unsigned long *mod_addr, int nm)
{
	struct ftrace_ops **all_ops, *agreed[MAX_SHARERS];
	unsigned long *old_addr;
	struct update_scope sc = { 0 };
	struct ftrace_hash *u;
	int err = 0, nagreed = 0, n = 0;
	bool all = false;

	if (na < 0 || nd < 0 || nm < 0)
		return -EINVAL;
	if ((na || nm) && !ARCH_FTRACE_ENTRY_SITES)
		return -ENOTSUPP;
	all_ops = kmalloc((size_t)(na + nd + nm) * sizeof(*all_ops) + 1);
	old_addr = kmalloc((size_t)nm * sizeof(*old_addr) + 1);
	if (!all_ops || !old_addr) {
		kfree(all_ops);
		kfree(old_addr);
		return -ENOMEM;
	}
	ftrace_lock_acquire();
	for (int i = 0; i < na && !err; i++)
		if ((add[i]->flags & FTRACE_OPS_FL_ENABLED) || !add_addr[i] || !add[i]->func_hash ||
		    ftrace_hash_empty(add[i]->func_hash->filter_hash))
			err = -EINVAL;
	for (int i = 0; i < nd && !err; i++)
		if (!(del[i]->flags & FTRACE_OPS_FL_ENABLED) || !(del[i]->flags & FTRACE_OPS_FL_DIRECT))
			err = -EINVAL;
	for (int i = 0; i < nm && !err; i++)
		if (!(mod[i]->flags & FTRACE_OPS_FL_ENABLED) || !(mod[i]->flags & FTRACE_OPS_FL_DIRECT) ||
		    !mod_addr[i])
			err = -EINVAL;
	if (err)
		goto unlock;
	for (int i = 0; i < na; i++) {
		add[i]->func = call_direct_funcs;
		add[i]->flags |= FTRACE_OPS_FL_DIRECT;
		add[i]->direct_call = add_addr[i];
		if (!add[i]->name)
			add[i]->name = "direct";
		err = share_ipmodify(add[i], agreed + nagreed, MAX_SHARERS - nagreed);
		if (err < 0)
			goto undo_flags;
		nagreed += err;
		err = 0;
		all_ops[n++] = add[i];
	}
	for (int i = 0; i < nd; i++)
		all_ops[n++] = del[i];
	for (int i = 0; i < nm; i++)
		all_ops[n++] = mod[i];
	u = scope_union(all_ops, n, &all);
	if (!u) {
		err = -ENOMEM;
		goto undo_flags;
	}
	if (!all)
		scope_add(&sc, u, false);	/* an explicit set: empty means none */
	for (int i = 0; i < na; i++) {
		add[i]->next = ftrace_ops_list;
		WRITE_ONCE(ftrace_ops_list, add[i]);
	}
	for (int i = 0; i < nd; i++)
		ops_unlink(del[i]);
	for (int i = 0; i < nm; i++) {
		old_addr[i] = mod[i]->direct_call;
		WRITE_ONCE(mod[i]->direct_call, mod_addr[i]);
	}
	err = ftrace_update_sites(all ? NULL : &sc);
	if (err) {
		for (int i = 0; i < nm; i++)
			WRITE_ONCE(mod[i]->direct_call, old_addr[i]);
		for (int i = 0; i < nd; i++) {
			del[i]->next = ftrace_ops_list;
			WRITE_ONCE(ftrace_ops_list, del[i]);
		}
		for (int i = 0; i < na; i++)
			ops_unlink(add[i]);
	} else {
		for (int i = 0; i < na; i++)
			add[i]->flags |= FTRACE_OPS_FL_ENABLED;
		for (int i = 0; i < nd; i++)
			del[i]->flags &= ~(FTRACE_OPS_FL_ENABLED | FTRACE_OPS_FL_DIRECT |
					   FTRACE_OPS_FL_SHARE_IPMODIFY);
	}
	synchronize_quiescent();	/* old trampolines, walks that saw unlinked ops */
	ftrace_hash_clear(u);
	kfree(u);
	if (!err)
		goto unlock;
undo_flags:
	unshare_ipmodify(agreed, nagreed);
	for (int i = 0; i < na; i++)
		if (!(add[i]->flags & FTRACE_OPS_FL_ENABLED)) {
			add[i]->flags &= ~FTRACE_OPS_FL_DIRECT;
			add[i]->direct_call = 0;
		}
unlock:
	ftrace_lock_release();
	kfree(all_ops);
	kfree(old_addr);
	return err;
}

/* ---- filters --------------------------------------------------------------- */

struct match_ctx {
	void (*fn)(struct dyn_ftrace *rec, void *arg);
	void *arg;
	unsigned long matched;
};

static void match_addr(unsigned long addr, void *arg)
{
	struct match_ctx *c = arg;
	struct dyn_ftrace *rec = ftrace_rec_for_func(addr);

	if (rec && !(rec->flags & FTRACE_FL_DISABLED)) {
		c->fn(rec, c->arg);
		c->matched++;
	}
}

unsigned long ftrace_match_records(const char *glob,
				   void (*fn)(struct dyn_ftrace *rec, void *arg), void *arg)
{
	struct match_ctx c = { fn, arg, 0 };

	/* A plain name: the by-name symbol index, not a pass over 20k names. */
	if (!strchr(glob, '*') && !strchr(glob, '?') && !strchr(glob, '[') && !strchr(glob, '\\')) {
		kallsyms_for_each_named(glob, match_addr, &c);
		return c.matched;
	}
	for (unsigned int i = 0; i < nr_recs; i++) {
		const char *name = ftrace_rec_name(&recs[i]);

		if ((recs[i].flags & FTRACE_FL_DISABLED) || !name || !glob_match(glob, name))
			continue;
		fn(&recs[i], arg);
		c.matched++;
	}
	return c.matched;
}

struct glob_edit {
	struct ftrace_hash *hash;
	bool neg;
	int err;
};

static void glob_edit_one(struct dyn_ftrace *rec, void *arg)
{
	struct glob_edit *g = arg;

	if (g->neg)
		ftrace_hash_remove(g->hash, rec->ip);
	else if (!g->err && ftrace_hash_add(g->hash, rec->ip))
		g->err = -ENOMEM;
}

int ftrace_hash_apply_globs(struct ftrace_hash *hash, const char *globs, bool reset)
{
	char tok[128];
	const char *p = globs;

	if (reset)
		ftrace_hash_clear(hash);
	while (*p) {
		struct glob_edit g = { .hash = hash };
		size_t len = 0;
		unsigned long matched;

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
		g.neg = tok[0] == '!';
		matched = ftrace_match_records(tok + g.neg, glob_edit_one, &g);
		if (g.err)
			return g.err;
		if (!matched)
			return -EINVAL;
	}
	return 0;
}

/*
 * set_hash - replace *@slot by a copy edited with @globs, then update the
 * sites; on any error the old hash stays and nothing changed.
 */
struct hash_edit {
	const char *globs;	/* the glob list, or NULL to edit by address: */
	unsigned long ip;	/* a site's address */
	bool remove;		/* add it, or take it out */
};

static int hash_edit_apply(struct ftrace_hash *hash, const struct hash_edit *e, bool reset)
{
	if (e->globs)
		return ftrace_hash_apply_globs(hash, e->globs, reset);
	if (reset)
		ftrace_hash_clear(hash);
	if (!ftrace_location(e->ip))
		return -ENOENT;
	if (e->remove) {
		ftrace_hash_remove(hash, e->ip);
		return 0;
	}
	return ftrace_hash_add(hash, e->ip) ? -ENOMEM : 0;
}

static int set_hash(struct ftrace_hash **slot, const struct hash_edit *e, bool reset,
		    bool filter)
{
	struct ftrace_hash *old, *n = kzalloc(sizeof(*n));
	struct update_scope sc = { 0 };
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
		err = hash_edit_apply(n, e, reset);
	if (!err) {
		/* Only the functions the old or the new hash names can change. */
		scope_add(&sc, old, filter);
		scope_add(&sc, n, filter);
		WRITE_ONCE(*slot, n);
		err = ftrace_update_sites(&sc);
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
	struct hash_edit e = { .globs = globs };

	return set_hash(is_notrace ? &fh->notrace_hash : &fh->filter_hash, &e, reset,
			!is_notrace);
}

int ftrace_set_filter(struct ftrace_ops *ops, const char *globs, bool reset)
{
	struct hash_edit e = { .globs = globs };

	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	return set_hash(&ops->func_hash->filter_hash, &e, reset, true);
}

int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, bool remove, bool reset)
{
	struct hash_edit e = { .ip = ip, .remove = remove };

	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	return set_hash(&ops->func_hash->filter_hash, &e, reset, true);
}

int ftrace_set_notrace(struct ftrace_ops *ops, const char *globs, bool reset)
{
	struct hash_edit e = { .globs = globs };

	if (!ops->func_hash)
		ops->func_hash = &ops->local_hash;
	return set_hash(&ops->func_hash->notrace_hash, &e, reset, false);
}

/* ftrace_for_each_ops - for enabled_functions: which ops trace @ip. */
struct ftrace_ops *ftrace_ops_first(void)
{
	return ftrace_ops_list;
}
