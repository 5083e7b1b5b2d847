/*
 * trampoline.c - the BPF trampoline manager: links (one attach each),
 * trampolines (generated machine code, one per group of functions), their
 * grouping, and their lifetime.
 *
 * Grouping (seed 002).  A function has at most one trampoline.  Functions
 * share one when they have exactly the same links and the same number of
 * argument register slots; a function attached alone (a single-function
 * attach, or a live-patched function) gets its own.  Every attach and
 * detach re-groups only the functions it touches and the trampolines they
 * are in:
 *   1. every function the link names, and every function sharing a
 *      trampoline with one, is a member; its new link set is its old one
 *      plus (attach) or minus (detach) the link;
 *   2. members with the same old trampoline, the same membership in the
 *      link and the same slot count form one new trampoline (none if its
 *      link set is empty);
 *   3. the new trampolines are generated and written into the pool;
 *   4. ONE ftrace_direct_update() registers the new trampolines' direct ops
 *      and unregisters the old ones: one text batch whatever the number of
 *      functions, each site moving call -> call (or nop <-> call) atomically;
 *   5. when it returns no CPU can be inside an old trampoline any more, so
 *      their memory goes back to the pool.
 * On any error before step 4 completes, nothing has changed.  So fentry A
 * on a, fexit E on e, then multi X on a,b,c,d,e give four trampolines
 * (a: A+X, e: E+X, b+c: X with one slot, d: X with two); detaching X leaves
 * two.
 *
 * Sharing a function with a live patch (seed 000): a trampoline calls the
 * function's body through its own return address (arch_tramp_call_orig()),
 * which is where the IPMODIFY ops sent the call when one shares the site,
 * so fexit sees the patched function's result.  A trampoline serving one
 * function stores that function's address as ctx[-2]; one serving several
 * derives it from the return address, which a live patch would change, so
 * its ops_func refuses to share (the live patch then gets -EBUSY).
 *
 * Console commands only (the bpf lock serialises them).
 */
#include "kernel.h"
#include "ftrace.h"
#include "bpf.h"
#include "btf.h"
#include "spinlock.h"
#include "bpf_internal.h"

const char *const bpf_kind_names[BPF_NR_KINDS] = {
	[BPF_FENTRY] = "fentry", [BPF_FEXIT] = "fexit", [BPF_MODIFY_RETURN] = "fmod_ret",
};

struct bpf_link {
	int id;
	const struct bpf_prog *prog;
	enum bpf_kind kind;
	u64 cookie;
	char target[64];
	unsigned long nfuncs;
};

struct bpf_tramp {
	int id;
	u8 nr_regs;
	unsigned long *ips;		/* its functions, ascending */
	unsigned int nips;
	struct bpf_link **links;	/* attach order */
	unsigned int nlinks;
	unsigned long image, image_size;
	struct ftrace_ops ops;		/* direct ops: its functions -> image */
	char name[24];
	bool marked;			/* regroup's scratch (bpf_lock) */
	struct bpf_tramp *next;
};

static spinlock_t bpf_lock = SPINLOCK_INIT;
static struct bpf_link *links[BPF_MAX_LINKS + 1];	/* by id */
static struct bpf_tramp *tramps;
static int next_tramp_id = 1;
static struct bpf_tramp **rec_tramp;	/* by record index: its trampoline */
static struct bpf_argdesc *rec_desc;	/* by record index, once described */
static bool *rec_described;

/* ---- per-function state -------------------------------------------------- */

static int tables_init(void)
{
	unsigned int n = ftrace_nr_records();

	if (rec_tramp)
		return 0;
	rec_tramp = kzalloc(n * sizeof(*rec_tramp) + 1);
	rec_desc = kzalloc(n * sizeof(*rec_desc) + 1);
	rec_described = kzalloc(n + 1);
	if (!rec_tramp || !rec_desc || !rec_described) {
		kfree(rec_tramp);
		kfree(rec_desc);
		kfree(rec_described);
		rec_tramp = NULL;
		return -ENOMEM;
	}
	return 0;
}

static unsigned int rec_of(unsigned long ip)
{
	return ftrace_rec_index(ftrace_location(ip));
}

/*
 * bpf_argdesc_of - see bpf_internal.h.  A description, once written, never
 * changes (BTF does not), so programs read it without a lock.
 */
const struct bpf_argdesc *notrace bpf_argdesc_of(unsigned long ip)
{
	struct dyn_ftrace *rec = rec_desc ? ftrace_location(ip) : NULL;
	unsigned int i = rec ? ftrace_rec_index(rec) : 0;

	return rec && READ_ONCE(rec_described[i]) ? &rec_desc[i] : NULL;
}

/* describe - record @m's casts for `record`, once per function. */
static void describe(unsigned int ri, const struct btf_func_model *m)
{
	struct bpf_argdesc *d = &rec_desc[ri];

	if (rec_described[ri])
		return;
	for (unsigned int a = 0; a < m->nr_args; a++)
		for (unsigned int r = 0; r < m->args[a].nr_regs; r++) {
			bool whole = !(m->args[a].flags & BTF_ARG_STRUCT);

			d->slot_size[m->args[a].reg + r] = whole ? m->args[a].size : 8;
			d->slot_signed[m->args[a].reg + r] = whole && (m->args[a].flags & BTF_ARG_SIGNED);
		}
	d->ret_size = m->ret.size;
	d->ret_signed = m->ret.flags & BTF_ARG_SIGNED;
	__atomic_store_n(&rec_described[ri], true, __ATOMIC_RELEASE);
}

/* ---- resolving a target ------------------------------------------------ */

static void pick_rec(struct dyn_ftrace *rec, void *pick)
{
	((bool *)pick)[ftrace_rec_index(rec)] = true;
}

/*
 * resolve - the sites @target names (NAME, GLOB, or a comma list of them),
 * ascending, in a new array; their number, or an error after one line.
 */
static long resolve(const char *target, unsigned long **out, char *why, size_t whylen)
{
	unsigned int nrec = ftrace_nr_records();
	unsigned long *ips = kmalloc(nrec * sizeof(long) + 1), n = 0;
	bool *pick = kzalloc(nrec + 1);
	char item[64];
	const char *p = target;
	long err = 0;

	if (!ips || !pick) {
		err = -ENOMEM;
		goto out;
	}
	while (*p && !err) {
		size_t len = 0;
		unsigned long matched = 0;

		while (p[len] && p[len] != ',')
			len++;
		if (!len || len >= sizeof(item)) {
			scnprintf(why, whylen, "bad function name in '%s'", target);
			err = -EINVAL;
			break;
		}
		memcpy(item, p, len);
		item[len] = 0;
		p += len + (p[len] == ',');
		matched = ftrace_match_records(item, pick_rec, pick);
		if (matched)
			continue;
		if (!strchr(item, '*') && !strchr(item, '?') && !strchr(item, '[') &&
		    kallsyms_lookup_name(item, NULL)) {
			scnprintf(why, whylen, "%s has no call site (notrace): it cannot be traced", item);
			err = -EINVAL;
		} else {
			scnprintf(why, whylen, "no traceable function matches '%s'", item);
			err = -ENOENT;
		}
	}
	for (unsigned int i = 0; i < nrec && !err; i++)
		if (pick[i])
			ips[n++] = ftrace_record(i)->ip;
out:
	kfree(pick);
	if (err) {
		kfree(ips);
		return err;
	}
	*out = ips;
	return (long)n;
}

/* ---- generating a trampoline ---------------------------------------------- */

/*
 * The generic frame area (arch.h), in 8-byte slots:
 *   0 run context (ctx[-3])   1 ip (ctx[-2])   2 nr_args (ctx[-1])
 *   3 .. 3+n-1 arguments      3+n return value
 */
#define SLOT(i)		(8 * (i))
#define CTX		SLOT(3)
#define MAX_FMOD_RET	32	/* fmod_ret programs on one trampoline */

static unsigned int count_kind(const struct bpf_tramp *t, enum bpf_kind k)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < t->nlinks; i++)
		n += t->links[i]->kind == k;
	return n;
}

static u64 run_word(const struct bpf_link *l)
{
	return (u64)l->kind << BPF_RUN_KIND_SHIFT | (l->cookie & BPF_COOKIE_MASK);
}

/* emit_progs - call every program of kind @k in @t, each after its run word. */
static void emit_progs(struct tramp_emit *e, const struct bpf_tramp *t, enum bpf_kind k,
		       unsigned int ret_off, size_t *branches, unsigned int *nb)
{
	for (unsigned int i = 0; i < t->nlinks; i++) {
		const struct bpf_link *l = t->links[i];

		if (l->kind != k)
			continue;
		arch_tramp_store_imm(e, SLOT(0), run_word(l));
		arch_tramp_call(e, (unsigned long)l->prog->fn[k], CTX);
		if (k == BPF_MODIFY_RETURN) {
			arch_tramp_store_ret(e, ret_off);
			if (*nb == MAX_FMOD_RET) {
				e->err = e->err ? e->err : -E2BIG;
				return;
			}
			branches[(*nb)++] = arch_tramp_branch_if_ret(e);
		}
	}
}

/*
 * generate - @t's code into @e (arch.h's steps):
 *   save the argument registers into ctx, store nr_args and the ip;
 *   call the fentry programs;
 *   fentry only: restore the arguments and continue into the function;
 *   else: ret = 0, the fmod_ret programs (the first non-zero result skips
 *   the body and is the return value), restore the arguments, call the
 *   body, keep its result; then the fexit programs, and return the result
 *   to the function's caller.
 */
static void generate(struct tramp_emit *e, const struct bpf_tramp *t)
{
	unsigned int n = t->nr_regs, ret_off = CTX + SLOT(n), nb = 0;
	size_t branches[MAX_FMOD_RET];
	bool exits = false;

	for (unsigned int i = 0; i < t->nlinks; i++)
		exits |= t->links[i]->kind != BPF_FENTRY;
	arch_tramp_prologue(e, ALIGN_UP(ret_off + 8, 16));
	arch_tramp_save_args(e, n, CTX);
	arch_tramp_store_imm(e, SLOT(2), n);
	if (t->nips == 1)
		arch_tramp_store_imm(e, SLOT(1), t->ips[0]);
	else
		arch_tramp_store_site(e, SLOT(1));
	emit_progs(e, t, BPF_FENTRY, ret_off, NULL, NULL);
	if (!exits) {
		arch_tramp_restore_args(e, n, CTX);
		arch_tramp_return_to_func(e);
		return;
	}
	arch_tramp_store_imm(e, ret_off, 0);
	emit_progs(e, t, BPF_MODIFY_RETURN, ret_off, branches, &nb);
	arch_tramp_restore_args(e, n, CTX);
	arch_tramp_call_orig(e);
	arch_tramp_store_ret(e, ret_off);
	for (unsigned int i = 0; i < nb; i++)
		arch_tramp_fixup(e, branches[i], e->pos);
	emit_progs(e, t, BPF_FEXIT, ret_off, NULL, NULL);
	arch_tramp_load_ret(e, ret_off);
	arch_tramp_return_to_parent(e);
}

/* install - generate @t's image into the pool; 0, -ENOMEM, -ERANGE, -E2BIG. */
static int install(struct bpf_tramp *t)
{
	struct tramp_emit e = { 0 };
	u8 *buf, *fill;
	unsigned long at;
	int err;

	generate(&e, t);			/* sizing pass */
	if (e.err)
		return e.err;
	at = tramp_alloc(e.pos);
	buf = kmalloc(e.pos);
	fill = kmalloc(e.pos);
	err = at && buf && fill ? 0 : -ENOMEM;
	if (!err) {
		e = (struct tramp_emit){ .buf = buf, .max = e.pos, .at = at };
		generate(&e, t);
		err = e.err;
	}
	if (!err) {
		memset(fill, ARCH_TEXT_FILL_BYTE, e.pos);
		err = text_poke((void *)at, fill, buf, e.pos);
	}
	kfree(fill);
	kfree(buf);
	if (err) {
		if (at)
			tramp_release(at, e.max ? e.max : e.pos);
		return err;
	}
	t->image = at;
	t->image_size = e.pos;
	tramp_set_name(at, t->name);
	return 0;
}

/* uninstall - the image back to the pool, checked (tramp_free): nobody is in it. */
static void uninstall(struct bpf_tramp *t)
{
	struct tramp_emit e = { 0 };
	u8 *buf = kmalloc(t->image_size);
	int err = buf ? 0 : -ENOMEM;

	if (!err) {
		e = (struct tramp_emit){ .buf = buf, .max = t->image_size, .at = t->image };
		generate(&e, t);
		err = e.err ? e.err : tramp_free(t->image, buf, t->image_size);
	}
	kfree(buf);
	if (err)
		panic("bpf: trampoline %d at 0x%lx could not be freed (%d)", t->id, t->image, err);
	t->image = 0;
}

/* ---- trampolines as direct ops ------------------------------------------ */

/*
 * tramp_ops_func - the SHARE_IPMODIFY negotiation (ftrace.h): a trampoline
 * of one function shares it with a live patch (it calls the body through
 * its return address, where the patch sent the call); one of several
 * cannot tell its functions apart any more once a patch redirects one.
 */
static int tramp_ops_func(struct ftrace_ops *op, enum ftrace_ops_cmd cmd)
{
	struct bpf_tramp *t = op->private;

	if (cmd == FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER)
		return 0;
	if (t->nips > 1) {
		printk("bpf: trampoline %d serves %u functions and cannot share one with "
		       "a live patch\n", t->id, t->nips);
		return -EBUSY;
	}
	return 0;
}

static void tramp_free_struct(struct bpf_tramp *t)
{
	if (!t)
		return;
	if (t->ops.local_hash.filter_hash) {
		ftrace_hash_clear(t->ops.local_hash.filter_hash);
		kfree(t->ops.local_hash.filter_hash);
	}
	kfree(t->ips);
	kfree(t->links);
	kfree(t);
}

/* tramp_new - a trampoline for @nips functions and @nlinks links (unfilled). */
static struct bpf_tramp *tramp_new(unsigned int nips, unsigned int nlinks)
{
	struct bpf_tramp *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->ips = kmalloc(nips * sizeof(long) + 1);
	t->links = kmalloc(nlinks * sizeof(*t->links) + 1);
	t->ops.local_hash.filter_hash = kzalloc(sizeof(struct ftrace_hash));
	if (!t->ips || !t->links || !t->ops.local_hash.filter_hash) {
		tramp_free_struct(t);
		return NULL;
	}
	t->ops.func_hash = &t->ops.local_hash;
	t->ops.ops_func = tramp_ops_func;
	t->ops.private = t;
	t->ops.name = t->name;
	return t;
}

/* ---- re-grouping (steps 1-5 at the top) ----------------------------------- */

struct member {
	unsigned long ip;
	struct bpf_tramp *old;
	bool in_link;
	u8 nr_regs;
	int group;
};

/*
 * struct group - one new trampoline (step 2): members with the same old
 * trampoline, membership in the link and slot count; a function attached
 * alone (solo_ip) is a group of its own.
 */
struct group {
	struct bpf_tramp *old;
	bool in_link;
	u8 nr_regs;
	unsigned long solo_ip;
	unsigned int count;
	struct bpf_tramp *t;
};

/* group_of - the group @m belongs to, made if new (@g has room for one per member). */
static int group_of(struct group *g, int *ng, const struct member *m, bool solo)
{
	unsigned long solo_ip = solo ? m->ip : 0;

	for (int i = 0; i < *ng; i++)
		if (g[i].old == m->old && g[i].in_link == m->in_link &&
		    g[i].nr_regs == m->nr_regs && g[i].solo_ip == solo_ip)
			return i;
	g[*ng] = (struct group){ m->old, m->in_link, m->nr_regs, solo_ip, 0, NULL };
	return (*ng)++;
}

/*
 * regroup - steps 1 to 5 for link @l over @ips[0..@n) (ascending, with
 * their slot counts @regs), @attach or detach.  Caller holds bpf_lock.
 */
static int regroup(struct bpf_link *l, const unsigned long *ips, const u8 *regs,
		   unsigned long n, bool attach, char *why, size_t whylen)
{
	/*
	 * Sized by what they can hold at most: an old trampoline per function
	 * of the link, a group (new trampoline) per member.
	 */
	struct ftrace_ops **add = NULL, **del = kmalloc(n * sizeof(*del) + 1);
	struct bpf_tramp **oldt = kmalloc(n * sizeof(*oldt) + 1);
	unsigned long *add_addr = NULL, nm = 0;
	struct group *g = NULL;
	u32 *member_of = kzalloc(ftrace_nr_records() * sizeof(u32) + 1);	/* index + 1 */
	struct member *m = NULL;
	int na = 0, nd = 0, ng = 0, err = del && oldt && member_of ? 0 : -ENOMEM;

	*why = 0;

	/* 1. the members: the link's functions and their trampolines' others */
	for (unsigned long i = 0; i < n && !err; i++) {
		struct bpf_tramp *t = rec_tramp[rec_of(ips[i])];

		if (t && !t->marked) {
			t->marked = true;
			oldt[nd++] = t;
		}
	}
	for (int j = 0; j < nd; j++) {
		oldt[j]->marked = false;
		nm += oldt[j]->nips;
	}
	if (!err) {
		m = kmalloc((nm + n) * sizeof(*m) + 1);
		g = kzalloc((nm + n) * sizeof(*g) + 1);
		add = kmalloc((nm + n) * sizeof(*add) + 1);
		add_addr = kmalloc((nm + n) * sizeof(*add_addr) + 1);
		err = m && g && add && add_addr ? 0 : -ENOMEM;
	}
	if (err)
		goto out;
	nm = 0;
	for (int j = 0; j < nd; j++)
		for (unsigned int k = 0; k < oldt[j]->nips; k++) {
			m[nm] = (struct member){ oldt[j]->ips[k], oldt[j], false, oldt[j]->nr_regs, 0 };
			member_of[rec_of(m[nm].ip)] = nm + 1;
			nm++;
		}
	for (unsigned long i = 0; i < n; i++) {
		u32 k = member_of[rec_of(ips[i])];

		if (k)
			m[k - 1].in_link = true;
		else
			m[nm++] = (struct member){ ips[i], NULL, true, regs[i], 0 };
	}
	/* 2. the groups */
	for (unsigned long i = 0; i < nm && !err; i++) {
		bool solo = !m[i].old &&
			    (n == 1 || (ftrace_location(m[i].ip)->flags & FTRACE_FL_IPMODIFY));
		int gi = group_of(g, &ng, &m[i], solo);

		if (gi < 0)
			err = gi;
		else
			g[m[i].group = gi].count++;
	}
	/* 3. the new trampolines (a group whose link set is empty gets none) */
	for (int gi = 0; gi < ng && !err; gi++) {
		struct group *gr = &g[gi];
		struct bpf_tramp *o = gr->old, *t = tramp_new(gr->count, (o ? o->nlinks : 0) + 1);
		unsigned int nl = 0;

		if (!t) {
			err = -ENOMEM;
			break;
		}
		for (unsigned int k = 0; o && k < o->nlinks; k++)
			if (attach || o->links[k] != l || !gr->in_link)
				t->links[nl++] = o->links[k];
		if (attach && gr->in_link)
			t->links[nl++] = l;
		t->nlinks = nl;
		t->nr_regs = gr->nr_regs;
		if (count_kind(t, BPF_MODIFY_RETURN) > MAX_FMOD_RET) {
			scnprintf(why, whylen, "at most %d fmod_ret programs on one function",
				  MAX_FMOD_RET);
			err = -E2BIG;
			tramp_free_struct(t);
			break;
		}
		for (unsigned long k = 0; k < nm && !err; k++)
			if (m[k].group == gi) {
				t->ips[t->nips++] = m[k].ip;
				err = ftrace_hash_add(t->ops.local_hash.filter_hash, m[k].ip);
			}
		if (!nl || err) {
			tramp_free_struct(t);
			continue;
		}
		t->id = next_tramp_id++;
		snprintf(t->name, sizeof(t->name), "bpf_trampoline_%d", t->id);
		err = install(t);
		if (err) {
			tramp_free_struct(t);
			break;
		}
		gr->t = t;
		add_addr[na] = t->image;
		add[na++] = &t->ops;
	}
	/* 4. one update */
	for (int j = 0; j < nd; j++)
		del[j] = &oldt[j]->ops;
	if (!err)
		err = ftrace_direct_update(add, add_addr, na, del, nd, NULL, NULL, 0);
	if (err) {
		for (int gi = 0; gi < ng; gi++)
			if (g[gi].t) {
				uninstall(g[gi].t);
				tramp_free_struct(g[gi].t);
			}
		goto out;
	}
	/* 5. the records follow, the old trampolines go back to the pool */
	for (int j = 0; j < nd; j++)
		for (unsigned int k = 0; k < oldt[j]->nips; k++)
			rec_tramp[rec_of(oldt[j]->ips[k])] = NULL;
	for (int gi = 0; gi < ng; gi++) {
		struct bpf_tramp *t = g[gi].t;

		if (!t)
			continue;
		for (unsigned int k = 0; k < t->nips; k++)
			rec_tramp[rec_of(t->ips[k])] = t;
		t->next = tramps;
		tramps = t;
	}
	for (int j = 0; j < nd; j++) {
		for (struct bpf_tramp **p = &tramps; *p; p = &(*p)->next)
			if (*p == oldt[j]) {
				*p = oldt[j]->next;
				break;
			}
		uninstall(oldt[j]);
		tramp_free_struct(oldt[j]);
	}
out:
	if (err && !*why)
		scnprintf(why, whylen, "%s", err == -EBUSY ? "a function's site is held by an ops "
			  "that does not share it (the kernel log says which)" : errno_name(err));
	kfree(m);
	kfree(g);
	kfree(add);
	kfree(add_addr);
	kfree(del);
	kfree(oldt);
	kfree(member_of);
	return err;
}

/* ---- links ---------------------------------------------------------------- */

int bpf_attach(const struct bpf_prog *prog, enum bpf_kind kind, const char *target, u64 cookie,
	       char *why, size_t whylen)
{
	struct btf_func_model *model = kmalloc(sizeof(*model));
	unsigned long *ips = NULL;
	struct bpf_link *l = NULL;
	long n;
	u8 *regs = NULL;
	int err = 0, id;

	if (!model)
		return -ENOMEM;
	if (!prog->fn[kind]) {
		scnprintf(why, whylen, "%s cannot be attached as %s", prog->name, bpf_kind_names[kind]);
		kfree(model);
		return -EINVAL;
	}
	if (!ARCH_FTRACE_ENTRY_SITES) {
		scnprintf(why, whylen, "trampolines need sites at function entry (this is an mcount build)");
		kfree(model);
		return -ENOTSUPP;
	}
	spin_lock(&bpf_lock);
	err = tables_init();
	for (id = 1; !err && id <= BPF_MAX_LINKS && links[id]; id++)
		;
	if (!err && id > BPF_MAX_LINKS)
		err = -ENOSPC;
	if (err)
		scnprintf(why, whylen, "%s", errno_name(err));
	n = err ? err : resolve(target, &ips, why, whylen);
	if (n < 0) {
		err = (int)n;
		goto out;
	}
	regs = kmalloc(n + 1);
	l = kzalloc(sizeof(*l));
	if (!regs || !l) {
		err = -ENOMEM;
		goto out;
	}
	for (long i = 0; i < n && !err; i++) {
		err = btf_func_model_addr(ips[i], model, why, whylen);
		if (err)
			break;
		describe(rec_of(ips[i]), model);
		regs[i] = model->nr_regs;
	}
	if (err)
		goto out;
	*l = (struct bpf_link){ .id = id, .prog = prog, .kind = kind, .nfuncs = (unsigned long)n,
				.cookie = bpf_prog_is_count(prog) ? (u64)id : cookie };
	strlcpy(l->target, target, sizeof(l->target));
	bpf_prog_count_reset(l->cookie);
	err = regroup(l, ips, regs, (unsigned long)n, true, why, whylen);
	if (!err) {
		links[id] = l;
		l = NULL;
	}
out:
	spin_unlock(&bpf_lock);
	kfree(l);
	kfree(regs);
	kfree(ips);
	kfree(model);
	return err ? err : id;
}

int bpf_detach(int id, char *why, size_t whylen)
{
	struct bpf_link *l;
	unsigned long *ips = NULL, n = 0;
	unsigned int nrec;
	u8 *regs = NULL, *mark = NULL;
	int err;

	spin_lock(&bpf_lock);
	l = id > 0 && id <= BPF_MAX_LINKS ? links[id] : NULL;
	if (!l) {
		spin_unlock(&bpf_lock);
		return -ENOENT;
	}
	ips = kmalloc(l->nfuncs * sizeof(long) + 1);
	regs = kmalloc(l->nfuncs + 1);
	/*
	 * regroup wants ips ascending: mark each of the link's sites by its
	 * record (1 + its trampoline's nr_regs), then take them in table
	 * order.  (An insertion sort of the trampolines' interleaved runs took
	 * 300 M instructions for 10,000 functions.)
	 */
	nrec = ftrace_nr_records();
	mark = kzalloc(nrec + 1);
	err = ips && regs && mark ? 0 : -ENOMEM;
	for (struct bpf_tramp *t = tramps; t && !err; t = t->next)
		for (unsigned int k = 0; k < t->nlinks; k++)
			if (t->links[k] == l)
				for (unsigned int f = 0; f < t->nips; f++)
					mark[rec_of(t->ips[f])] = 1 + t->nr_regs;
	for (unsigned int i = 0; i < nrec && !err && n < l->nfuncs; i++)
		if (mark[i]) {
			ips[n] = ftrace_record(i)->ip;
			regs[n++] = mark[i] - 1;
		}
	if (!err)
		err = regroup(l, ips, regs, n, false, why, whylen);
	if (!err) {
		links[id] = NULL;
		kfree(l);
	}
	spin_unlock(&bpf_lock);
	kfree(mark);
	kfree(ips);
	kfree(regs);
	return err;
}

/* ---- listings --------------------------------------------------------------- */

void bpf_links_print(void)
{
	for (int id = 1; id <= BPF_MAX_LINKS; id++) {
		const struct bpf_link *l = links[id];

		if (!l)
			continue;
		printk_raw("link id=%d kind=%s prog=%s target=%s funcs=%lu", l->id,
			   bpf_kind_names[l->kind], l->prog->name, l->target, l->nfuncs);
		if (bpf_prog_is_count(l->prog))
			printk_raw(" count=%lu", bpf_prog_count_of(l->cookie));
		else if (l->prog->param)
			printk_raw(" value=%ld", (long)bpf_sext_cookie(l->cookie));
		printk_raw("\n");
	}
}

#define LIST_FUNCS	8	/* functions named per trampoline line */

void bpf_tramps_print(void)
{
	for (const struct bpf_tramp *t = tramps; t; t = t->next) {
		printk_raw("tramp id=%d addr=0x%lx size=%lu nr_args=%u nfuncs=%u funcs=", t->id,
			   t->image, t->image_size, t->nr_regs, t->nips);
		for (unsigned int f = 0; f < t->nips && f < LIST_FUNCS; f++)
			printk_raw("%s%ps", f ? "," : "", (void *)t->ips[f]);
		if (t->nips > LIST_FUNCS)
			printk_raw(",...");
		for (int k = 0; k < BPF_NR_KINDS; k++) {
			bool first = true;

			printk_raw(" %s=", bpf_kind_names[k]);
			for (unsigned int i = 0; i < t->nlinks; i++)
				if (t->links[i]->kind == (enum bpf_kind)k) {
					printk_raw("%s%s#%d", first ? "" : ",", t->links[i]->prog->name,
						   t->links[i]->id);
					first = false;
				}
		}
		printk_raw("\n");
	}
}

/* bpf_tramp_dump - trampoline @id's bytes, 16 a line, for a disassembler. */
int bpf_tramp_dump(int id)
{
	const struct bpf_tramp *t = tramps;

	while (t && t->id != id)
		t = t->next;
	if (!t)
		return -ENOENT;
	for (unsigned long off = 0; off < t->image_size; off += 16) {
		printk_raw("%04lx:", off);
		for (unsigned long i = off; i < t->image_size && i < off + 16; i++)
			printk_raw(" %02x", ((const u8 *)t->image)[i]);
		printk_raw("\n");
	}
	return 0;
}
