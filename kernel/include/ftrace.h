/*
 * ftrace.h - dynamic function tracing: call-site records, ftrace_ops, and
 * the services tracers build on.  Generic code (kernel/trace/) decides what
 * every site must call; the arch (arch.h: arch_ftrace_*, arch_text_*)
 * encodes instructions and writes them.
 *
 * A site is the compiler's hook at a function's entry (x86 fentry nop,
 * riscv patchable nops) or its mcount call (classic -pg).  Its state is
 * derived from all registered ops:
 *   no ops          -> nop
 *   exactly one ops -> a call to that ops' own trampoline (no list walk)
 *   several ops     -> a call to ftrace_caller / ftrace_regs_caller, whose
 *                      ftrace_ops_list_func checks every ops' hashes
 */
#ifndef FTRACE_H
#define FTRACE_H

#include "types.h"
#include "arch.h"

struct ftrace_ops;
struct ftrace_regs;	/* arch-defined frame built by ftrace_caller */

typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct ftrace_regs *fregs);

/* ftrace_ops flags (Linux names and meanings). */
#define FTRACE_OPS_FL_ENABLED		(1UL << 0)	/* registered (set by ftrace) */
#define FTRACE_OPS_FL_SAVE_REGS		(1UL << 1)	/* needs a full pt_regs */
#define FTRACE_OPS_FL_RECURSION		(1UL << 2)	/* ftrace guards recursion for it */
#define FTRACE_OPS_FL_IPMODIFY		(1UL << 3)	/* may change the resume address */
#define FTRACE_OPS_FL_DIRECT		(1UL << 4)	/* calls a direct trampoline */
#define FTRACE_OPS_FL_PERMANENT		(1UL << 5)	/* must not be disabled */
/*
 * Set and cleared by ftrace only, on a DIRECT ops whose ops_func agreed to
 * share a function with an IPMODIFY ops (a live patch): the direct
 * trampoline must then call the address the IPMODIFY ops chose, which it
 * finds as its return address, rather than the function's own body.
 */
#define FTRACE_OPS_FL_SHARE_IPMODIFY	(1UL << 6)

/*
 * What ftrace asks a DIRECT ops through its ops_func (Linux's names):
 *   ENABLE_SHARE_IPMODIFY_SELF  this direct ops is being registered on a
 *                               function an IPMODIFY ops already modifies
 *   ENABLE_SHARE_IPMODIFY_PEER  an IPMODIFY ops is being registered on a
 *                               function this direct ops is attached to
 *   DISABLE_SHARE_IPMODIFY_PEER that IPMODIFY ops has left
 * 0 agrees (ftrace then sets FTRACE_OPS_FL_SHARE_IPMODIFY); an error
 * refuses, and the registration in progress fails with -EBUSY.
 */
enum ftrace_ops_cmd {
	FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_SELF,
	FTRACE_OPS_CMD_ENABLE_SHARE_IPMODIFY_PEER,
	FTRACE_OPS_CMD_DISABLE_SHARE_IPMODIFY_PEER,
};
typedef int (*ftrace_ops_func_t)(struct ftrace_ops *op, enum ftrace_ops_cmd cmd);

/* A set of site addresses (open addressing, linear probing; 0 = empty). */
struct ftrace_hash {
	unsigned long *slots;
	unsigned int size;	/* power of two, or 0 */
	unsigned int count;
};

/*
 * Which sites an ops traces: all in filter_hash (NULL or empty = all) minus
 * those in notrace_hash.  A published hash is never modified: writers build
 * a new one, swap the pointer and free the old one after every CPU is past
 * it.  Tracers share one ftrace_ops_hash (the tracefs filter files).
 */
struct ftrace_ops_hash {
	struct ftrace_hash *filter_hash;
	struct ftrace_hash *notrace_hash;
};

struct ftrace_ops {
	ftrace_func_t func;
	unsigned long flags;
	const char *name;
	void *private;
	struct ftrace_ops_hash *func_hash;	/* NULL: local_hash */
	struct ftrace_ops_hash local_hash;
	/* Generated private trampoline (0 when none could be built). */
	unsigned long trampoline;
	unsigned long trampoline_size;
	/* Direct calls: the trampoline its sites call (register_ftrace_direct). */
	unsigned long direct_call;
	ftrace_ops_func_t ops_func;	/* the SHARE_IPMODIFY negotiation, or NULL */
	struct ftrace_ops *next;
};

/* Per-site record flags, derived at every update from the ops... */
#define FTRACE_FL_REGS		(1U << 0)	/* calls ftrace_regs_caller or a regs trampoline */
#define FTRACE_FL_IPMODIFY	(1U << 1)	/* an IPMODIFY ops traces it */
#define FTRACE_FL_DIRECT	(1U << 2)	/* a direct ops traces it */
#define FTRACE_FL_TRAMP		(1U << 3)	/* calls one ops' own trampoline */
#define FTRACE_FL_CALL_OPS	(1U << 4)	/* calls the per-record ops caller */
#define FTRACE_FL_DERIVED	0x1fU
/* ... and kept across updates: */
#define FTRACE_FL_DISABLED	(1U << 8)	/* bad bytes at boot: never touched */
#define FTRACE_FL_TOUCHED	(1U << 9)	/* an ops was attached once */
#define FTRACE_FL_MODIFIED	(1U << 10)	/* ... an IPMODIFY or direct one */
#define FTRACE_FL_SCOPE		(1U << 11)	/* scratch: in the update's scope */

struct dyn_ftrace {
	unsigned long ip;	/* site address */
	unsigned long func;	/* start of its function */
	unsigned long target;	/* what the site calls now; 0 = nop */
	u32 flags;
	u32 refs;		/* ops tracing it */
	/*
	 * The one ops tracing it when the site calls the per-record caller
	 * (FTRACE_FL_CALL_OPS: its ops had no trampoline).  Written before a
	 * site starts calling that caller and never cleared, so a call racing
	 * with an update finds a registered ops, never NULL.
	 */
	struct ftrace_ops *ops;
	unsigned long direct;	/* FTRACE_FL_DIRECT: its direct trampoline */
};

/* ---- records ---- */
void ftrace_init(void);				/* boot: build and verify records */
struct dyn_ftrace *ftrace_location(unsigned long ip);	/* binary search */
struct dyn_ftrace *ftrace_rec_for_func(unsigned long func);
unsigned int ftrace_nr_records(void);
struct dyn_ftrace *ftrace_record(unsigned int i);
unsigned int ftrace_rec_index(const struct dyn_ftrace *rec);
/* ftrace_rec_name - @rec's function name (kallsyms), cached after the first call. */
const char *ftrace_rec_name(const struct dyn_ftrace *rec);

/* ---- ops ---- */
int register_ftrace_function(struct ftrace_ops *ops);
int unregister_ftrace_function(struct ftrace_ops *ops);

/*
 * Direct calls (Linux's API).  @ops' filter selects the functions (one or
 * many); their sites call @addr, a trampoline of the arch's direct-call
 * convention (arch_ftrace.h), instead of a tracer caller:
 *  register_ftrace_direct   0; -EINVAL (no filter, @addr 0), -EBUSY (already
 *                           registered, a function already has a direct
 *                           trampoline, or an IPMODIFY ops is there and
 *                           @ops->ops_func does not agree to share),
 *                           -ENOTSUPP (mcount sites), -ENOMEM
 *  unregister_ftrace_direct 0; -EINVAL when @ops is not registered with
 *                           @addr; @free_filters also clears its filter
 *  modify_ftrace_direct     switch every site of @ops to @addr while other
 *                           CPUs call them: each call reaches the old or
 *                           the new trampoline, exactly once
 * On error nothing changed (sites, records, flags).
 */
int register_ftrace_direct(struct ftrace_ops *ops, unsigned long addr);
int unregister_ftrace_direct(struct ftrace_ops *ops, unsigned long addr, bool free_filters);
int modify_ftrace_direct(struct ftrace_ops *ops, unsigned long addr);

/*
 * ftrace_direct_update - register @add[i] (trampoline @add_addr[i]),
 * unregister @del[i] and re-point @mod[i] to @mod_addr[i], all as one
 * update: one text batch however many ops and functions they cover.  0,
 * or an error with nothing changed; on 0 no CPU can still be inside a
 * trampoline no site calls any more.
 */
int ftrace_direct_update(struct ftrace_ops **add, const unsigned long *add_addr, int na,
			 struct ftrace_ops **del, int nd,
			 struct ftrace_ops **mod, const unsigned long *mod_addr, int nm);
/*
 * ftrace_set_filter / ftrace_set_notrace - apply space-separated globs
 * ("name", "na*me", "?", "!name" removes) to @ops' filter or notrace hash,
 * after clearing it when @reset.  A glob that matches no function makes
 * the whole call fail with -EINVAL and nothing changes.  Sites are updated
 * when @ops is registered.
 */
int ftrace_set_filter(struct ftrace_ops *ops, const char *globs, bool reset);
/*
 * ftrace_free_filter - free the filter and notrace hashes of @ops, which
 * must not be registered (-EBUSY) and must use its own local hashes
 * (-EINVAL); no site changes.  What a module calls when its init fails
 * after setting a filter.
 */
int ftrace_free_filter(struct ftrace_ops *ops);
int ftrace_set_notrace(struct ftrace_ops *ops, const char *globs, bool reset);
/*
 * ftrace_set_filter_ip - add the site at @ip to @ops' filter (take it out
 * when @remove), after clearing the filter when @reset; -ENOENT when @ip is
 * not a site.  Unlike a name, an address names exactly one site.
 */
int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, bool remove, bool reset);
int ftrace_hash_apply_globs(struct ftrace_hash *hash, const char *globs, bool reset);
/*
 * ftrace_match_records - @fn(rec, @arg) for each usable record whose
 * function @glob matches (a plain name is looked up in the by-name symbol
 * index, a pattern is matched against every record); how many.
 */
unsigned long ftrace_match_records(const char *glob,
				   void (*fn)(struct dyn_ftrace *rec, void *arg), void *arg);
/*
 * ftrace_set_hash - the same on a shared ftrace_ops_hash (@notrace picks
 * which of its two hashes), then update every site.
 */
int ftrace_set_hash(struct ftrace_ops_hash *fh, bool is_notrace, const char *globs,
		    bool reset);
bool ftrace_ops_traces(const struct ftrace_ops *ops, unsigned long ip);
struct ftrace_ops *ftrace_ops_first(void);	/* registered ops, for listings */
/* ftrace_update_all - re-derive every site after a shared hash changed. */
int ftrace_update_all(void);
void ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip,
			  struct ftrace_ops *op, struct ftrace_regs *fregs);
/* Statistics of the last update, for tests and benchmarks. */
struct ftrace_update_stats {
	unsigned long sites_changed;
	unsigned long records_scanned;	/* records the last update re-derived */
	unsigned long updates;
};
extern struct ftrace_update_stats ftrace_stats;

/* ---- hashes and globs (kernel/trace/hash.c) ---- */
bool ftrace_hash_contains(const struct ftrace_hash *h, unsigned long ip);
int ftrace_hash_add(struct ftrace_hash *h, unsigned long ip);
void ftrace_hash_remove(struct ftrace_hash *h, unsigned long ip);
void ftrace_hash_clear(struct ftrace_hash *h);
int ftrace_hash_copy(struct ftrace_hash *dst, const struct ftrace_hash *src);
void ftrace_hash_move(struct ftrace_hash *dst, struct ftrace_hash *src);
static inline bool ftrace_hash_empty(const struct ftrace_hash *h)
{
	return !h || !h->count;
}
bool glob_match(const char *pat, const char *str);

/* ---- recursion protection (per CPU and context) ---- */
int ftrace_test_recursion_trylock(void);	/* bit, or -1 when recursing */
void ftrace_test_recursion_unlock(int bit);

/* ---- text patching (kernel/trace/text_poke.c) ---- */
struct text_poke_req {
	void *addr;
	u8 old[16], new[16];
	unsigned int len;
};
/*
 * text_poke_batch - apply @n changes: every site is first checked to hold
 * its old bytes; on any mismatch nothing is written and -EINVAL is
 * returned (the failing request's index in *@bad, if non-NULL).
 */
int text_poke_batch(struct text_poke_req *reqs, unsigned int n, unsigned int *bad);
int text_poke(void *addr, const void *old, const void *new, size_t len);
/* text_poke_init - boot CPU, before the first write: pick the settle step. */
void text_poke_init(void);
/* text_poke_settles - true when batches rewrite their final bytes (README). */
bool text_poke_settles(void);
void text_poke_set_settle(bool on);
void text_sync(void);
bool text_poke_bp_handler(struct pt_regs *regs);

/* How text_poke_batch() writes (tracing file `patch_method`). */
enum text_poke_method {
	POKE_BP,		/* breakpoint first byte, tail, head: three syncs */
	POKE_STOP_MACHINE,	/* other CPUs spin with interrupts off */
	POKE_BP_NAIVE,		/* breakpoint sequence per site: 3 syncs each */
	NR_POKE_METHODS,
};
extern const char *const text_poke_method_names[NR_POKE_METHODS];
int text_poke_set_method(enum text_poke_method m);
enum text_poke_method text_poke_get_method(void);

struct text_poke_stats {
	unsigned long batches, sites;
	unsigned long syncs;		/* made by text_poke_batch() */
	unsigned long settle_syncs;	/* of those, for stale translated code */
	unsigned long restarts;		/* CPUs moved back to a site's start (riscv) */
	unsigned long block_syncs;	/* made by text_poke() (trampolines) */
	unsigned long bp_hits[BP_EMU_KINDS];
	unsigned long bp_hits_nmi;	/* of those, taken in NMI context */
};
extern struct text_poke_stats text_poke_stats;

/* ---- trampoline memory (kernel/trace/tramp_pool.c) ---- */
unsigned long tramp_alloc(size_t size);
int tramp_free(unsigned long addr, const void *old, size_t size);
void tramp_release(unsigned long addr, size_t size);
const char *tramp_lookup(unsigned long addr, unsigned long *start,
			 unsigned long *size);
void tramp_set_name(unsigned long addr, const char *name);
int tramp_add_sym(unsigned long addr, unsigned long size, const char *name);

/* ---- function graph (kernel/trace/fgraph.c) ---- */
struct fgraph_ops {
	/*
	 * entry: return false to not trace this call's return.  *@data (0 on
	 * entry) is kept in the call's shadow frame and handed back to
	 * retfunc, so a return is judged by what its entry decided, not by
	 * settings that may have changed while the function ran.  retfunc
	 * also gets the function's return value (the arch's return register).
	 */
	bool (*entryfunc)(unsigned long func, int depth, unsigned long *data);
	void (*retfunc)(unsigned long func, int depth, u64 calltime, u64 rettime,
			unsigned long data, unsigned long retval);
	struct ftrace_ops ops;
};
int register_ftrace_graph(struct fgraph_ops *gops);
void unregister_ftrace_graph(struct fgraph_ops *gops);
unsigned long ftrace_return_to_handler(unsigned long entry_sp, unsigned long retval);

/*
 * The arch's arch_ftrace.h (arch/<arch>/include, by include path) provides,
 * and nothing else is assumed of it:
 *
 *   ARCH_FTRACE_SITE_SIZE    bytes of a call site (x86 5, riscv 8)
 *   ARCH_FTRACE_ENTRY_SITES  1 when sites precede the prologue (IPMODIFY
 *                            and direct calls need it), 0 for mcount sites
 *   ARCH_BP_INSN_SIZE        bytes of the breakpoint text_poke sequences
 *                            sites with: the first unit of every site
 *   ARCH_CALL_INSN_SIZE      bytes arch_call_insn() writes
 *   ARCH_FTRACE_REG_ARGS     integer arguments passed in registers
 *   ARCH_TEXT_FILL_BYTE      the byte free trampoline memory holds: an
 *                            instruction that traps, repeated
 *   struct ftrace_regs       the frame ftrace_caller / ftrace_regs_caller
 *                            pass to callbacks, and its accessors:
 *     ftrace_get_regs(f)               full pt_regs, or NULL (ftrace_caller)
 *     ftrace_regs_get_argument(f, n)   argument n (0-based, n < 6)
 *     ftrace_regs_get_ip(f) / _set_ip  where the traced call continues
 *                                      (IPMODIFY changes it)
 *     ftrace_regs_parent_loc(f)        the slot holding the return address
 *                                      into the parent (the graph hook)
 *     ftrace_regs_entry_sp(f)          the traced function's sp at entry
 *     arch_ftrace_set_direct_caller(f, addr)
 *                                      (ftrace_regs_caller frames only) once
 *                                      the callbacks are done, enter the
 *                                      direct trampoline @addr as if the site
 *                                      had called it, with the resume address
 *                                      (ftrace_regs_get_ip) as its return
 */
#include "arch_ftrace.h"

#if !defined(ARCH_FTRACE_SITE_SIZE) || !defined(ARCH_FTRACE_ENTRY_SITES) || \
	!defined(ARCH_BP_INSN_SIZE) || !defined(ARCH_CALL_INSN_SIZE) || \
	!defined(ARCH_FTRACE_REG_ARGS) || \
	!defined(ARCH_TEXT_FILL_BYTE)
#error "arch_ftrace.h does not provide the contract in ftrace.h"
#endif

#endif /* FTRACE_H */
