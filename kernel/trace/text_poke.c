/*
 * text_poke.c - the one path that writes kernel code, on a live SMP machine.
 *
 * Every request names the bytes it expects to replace; all are checked
 * before the first byte is written, so a mismatch leaves text untouched.
 * Writes go through the arch's writable alias (text stays read-only where it
 * executes).  Callers hold the ftrace lock (one patcher at a time) and have
 * interrupts on.
 *
 * Breakpoint sequencing (POKE_BP), for a batch of sites, each a first unit
 * of ARCH_BP_INSN_SIZE bytes (the breakpoint's size) and a tail:
 *
 *  0. publish the batch, sorted by address, for the breakpoint handler.
 *  1. write the breakpoint over the first unit of every site; sync.
 *     A CPU now executes either the old instruction (fetched before the
 *     sync) or the breakpoint.  The handler finds the site by binary search
 *     and emulates the NEW instruction: a call is made (to the new target),
 *     never skipped, so a site moving call -> call never loses a call.
 *  2. write every site's tail; sync.  Nobody can execute a tail now: the
 *     first unit is a breakpoint that no CPU can get past.
 *  3. write every site's new first unit; sync.  The site is whole again.
 *  4. unpublish.  The handler runs with interrupts off and every sync is an
 *     interrupt each CPU must take, so after step 3's sync no CPU is still
 *     inside the handler for this batch, and none can trap on it anew.
 *
 * Three syncs per batch whatever its size (POKE_BP_NAIVE does the same per
 * site, for comparison), and a fourth where translated code can go stale
 * (settle(), below).  POKE_STOP_MACHINE parks all other CPUs with
 * interrupts off while this one writes.
 *
 * Emulators that cache translated code: QEMU's multi-threaded TCG.
 * QEMU invalidates the translation blocks (TBs) of a code page when a
 * store reaches it, but it does so before the store itself lands
 * (accel/tcg/cputlb.c: store_helper() calls notdirty_write(), which calls
 * tb_invalidate_phys_page_fast(), and only then stores).  A vCPU thread
 * that translates the same code in that window (tb_gen_code() reads the
 * guest bytes without any lock against the store) builds a TB from the OLD
 * bytes and links it afterwards (tb_link_page() -> tlb_protect_code()).
 * Nothing invalidates that TB again: the store that should have already
 * passed its check.  The CPU then runs the old bytes for as long as the TB
 * lives, whatever serialising instruction or IPI it takes; real CPUs and
 * single-threaded TCG (no other vCPU translates while one stores) cannot.
 * For the breakpoint sequence the stale bytes can be the breakpoint itself,
 * found on a CPU after the batch was unpublished: an oops.
 *
 * Every write of the sequence but the last is repaired by the next one
 * (which invalidates the stale TB again, the page being code-protected once
 * the TB is linked).  settle() repairs the last: after the final sync -
 * when every TB translated during the final writes is linked, since a vCPU
 * takes the sync interrupt only between TBs, after its translation ended -
 * it writes the final bytes once more, which invalidates any TB that still
 * holds older bytes, and syncs so no CPU is still inside one.  A TB
 * translated while the rewrite runs reads the final bytes: they were in
 * memory before that sync.  Writing twice without a sync between does not
 * work: the stale TB may not be linked yet when the second store passes.
 * The rewrite must also reach QEMU's invalidation: settle() drops the alias
 * TLB entries first (arch_text_alias_flush()), because a second 7.2 race
 * can clear an entry's "stores hit code" mark while its page holds a stale
 * TB.  (The earlier writes need no flush: a stale TB they miss holds a
 * whole old or breakpoint instruction, which is still allowed until the
 * final sync, and the settle rewrite catches it.)
 * Cost: one more write pass and one more sync per batch.  QEMU 8.1 narrowed
 * the first race (commit deba78709ae8, "accel/tcg: Always lock pages
 * before translation") but a page with no TBs can still go stale; the step
 * stays on wherever arch_stale_code_possible() cannot rule emulation out.
 */
#include "kernel.h"
#include "ftrace.h"
#include "smp.h"
#include "percpu.h"

const char *const text_poke_method_names[NR_POKE_METHODS] = {
	[POKE_BP] = "breakpoint",
	[POKE_STOP_MACHINE] = "stop_machine",
	[POKE_BP_NAIVE] = "breakpoint_per_site",
};

struct text_poke_stats text_poke_stats;
static enum text_poke_method method = POKE_BP;
static struct text_poke_req *bp_reqs;	/* the published batch */
static unsigned int bp_nr;
static bool settle_on;		/* arch_stale_code_possible() at boot */

/* text_poke_init - decide once whether writes need settle(); boot CPU. */
void text_poke_init(void)
{
	settle_on = arch_stale_code_possible();
	printk("text_poke: %s\n", settle_on ?
	       "code may run stale after a write (emulator): final bytes rewritten after a sync" :
	       "no stale translated code on this machine: no rewrite after the final sync");
}

bool text_poke_settles(void)
{
	return READ_ONCE(settle_on);
}

/*
 * text_poke_set_settle - the `patch_settle` file: 0 turns the settle step
 * off, to reproduce the emulator's stale code (README); 1 turns it on.
 * Between batches only (the caller holds no batch: ftrace_lock is not held,
 * but a batch reads settle_on once).
 */
void text_poke_set_settle(bool on)
{
	WRITE_ONCE(settle_on, on);
}

int text_poke_set_method(enum text_poke_method m)
{
	if (m >= NR_POKE_METHODS)
		return -EINVAL;
	WRITE_ONCE(method, m);
	return 0;
}

enum text_poke_method text_poke_get_method(void)
{
	return READ_ONCE(method);
}

static void notrace sync_core_ipi(void *unused)
{
	arch_sync_core();
}

/*
 * text_sync - make every CPU fetch the current text: arch_sync_core() here
 * and, from a cross-CPU call, on every other online CPU; returns after all
 * have.  The call is an interrupt each CPU takes only with interrupts on,
 * which the breakpoint protocol relies on beyond coherent fetch: once all
 * have taken it, none is still inside the breakpoint handler (interrupts
 * off) and, on riscv, none stands between a site's two instructions (its
 * IPI handler restarts such a site).  This is why riscv does not use SBI
 * remote fence.i: OpenSBI performs it in M-mode even on a hart whose
 * S-mode interrupts are off, in the middle of the handler.
 */
void notrace text_sync(void)
{
	arch_sync_core();
	if (num_online_cpus() > 1)
		smp_call_function(sync_core_ipi, NULL);
}

static void notrace sync_all(void)
{
	text_sync();
	text_poke_stats.syncs++;
}

static void notrace write_or_die(void *addr, const void *src, size_t len)
{
	int err = arch_text_write(addr, src, len);

	if (err)
		panic("text_poke: write to %p failed (%d) after checks passed", addr, err);
}

/*
 * text_poke_bp_handler - the breakpoint trap, interrupts off: if the
 * breakpoint is one of the published batch, continue as its new
 * instruction would.  Returns false for any other breakpoint.
 *
 * Reentrant: it reads only the published batch, which stays unchanged
 * until the last sync, and writes only @regs and atomic counters, so an
 * NMI may interrupt it anywhere and hit a breakpoint of the same batch
 * (`stress ... nmi` provokes exactly that).  The last sync cannot complete
 * while any CPU is in here: a CPU takes the sync's interrupt only with
 * interrupts on, and an NMI's breakpoint ends before the NMI returns.
 */
bool notrace text_poke_bp_handler(struct pt_regs *regs)
{
	unsigned long ip = arch_bp_address(regs);
	struct text_poke_req *reqs = __atomic_load_n(&bp_reqs, __ATOMIC_ACQUIRE);
	long lo = 0, hi = (long)READ_ONCE(bp_nr) - 1;
	struct cpu_state *c = this_cpu();
	bool found = false;

	if (!reqs)
		return false;
	c->bp_depth++;
	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		unsigned long a = (unsigned long)reqs[mid].addr;

		if (a == ip) {
			int kind = arch_emulate_insn(regs, ip, reqs[mid].new, reqs[mid].len);

			if (kind < 0)
				panic("text_poke_bp_handler: cannot emulate the new bytes at %pS", (void *)ip);
			__atomic_add_fetch(&text_poke_stats.bp_hits[kind], 1, __ATOMIC_RELAXED);
			if (c->nmi_depth)
				__atomic_add_fetch(&text_poke_stats.bp_hits_nmi, 1, __ATOMIC_RELAXED);
			found = true;
			break;
		}
		if (a < ip)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	c->bp_depth--;
	return found;
}

/*
 * settle - rewrite the final bytes of @reqs[0..@n) and sync, after the
 * sequence's last sync (see the top of the file): any TB translated from
 * older bytes while they were written is invalidated, and no CPU is still
 * running one when this returns.  Only where arch_stale_code_possible().
 */
static void notrace settle(struct text_poke_req *reqs, unsigned int n)
{
	if (!READ_ONCE(settle_on))
		return;
	arch_text_alias_flush();
	for (unsigned int i = 0; i < n; i++)
		write_or_die(reqs[i].addr, reqs[i].new, reqs[i].len);
	sync_all();
	text_poke_stats.settle_syncs++;
}

/* bp_sequence - steps 0 to 4 above for @reqs[0..@n), sorted by address. */
static void notrace bp_sequence(struct text_poke_req *reqs, unsigned int n)
{
	u8 bp[ARCH_BP_INSN_SIZE];
	bool tails = false;

	arch_bp_insn(bp);
	bp_nr = n;
	__atomic_store_n(&bp_reqs, reqs, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < n; i++)
		write_or_die(reqs[i].addr, bp, ARCH_BP_INSN_SIZE);
	sync_all();
	for (unsigned int i = 0; i < n; i++) {
		unsigned int tail = reqs[i].len - ARCH_BP_INSN_SIZE;

		if (tail && memcmp(reqs[i].old + ARCH_BP_INSN_SIZE,
				   reqs[i].new + ARCH_BP_INSN_SIZE, tail)) {
			write_or_die((u8 *)reqs[i].addr + ARCH_BP_INSN_SIZE,
				     reqs[i].new + ARCH_BP_INSN_SIZE, tail);
			tails = true;
		}
	}
	if (tails)
		sync_all();
	for (unsigned int i = 0; i < n; i++)
		write_or_die(reqs[i].addr, reqs[i].new, ARCH_BP_INSN_SIZE);
	sync_all();
	settle(reqs, n);	/* before unpublishing: a stale TB may hold the breakpoint */
	__atomic_store_n(&bp_reqs, NULL, __ATOMIC_RELEASE);
	bp_nr = 0;
}

struct stop_batch {
	struct text_poke_req *reqs;
	unsigned int n;
};

static int notrace stop_write(void *arg)
{
	struct stop_batch *b = arg;

	for (unsigned int i = 0; i < b->n; i++)
		write_or_die(b->reqs[i].addr, b->reqs[i].new, b->reqs[i].len);
	return 0;
}

static bool notrace sorted(const struct text_poke_req *reqs, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		if ((unsigned long)reqs[i - 1].addr >= (unsigned long)reqs[i].addr)
			return false;
	return true;
}

int notrace text_poke_batch(struct text_poke_req *reqs, unsigned int n,
			    unsigned int *bad)
{
	struct stop_batch sb = { reqs, n };

	for (unsigned int i = 0; i < n; i++) {
		if (reqs[i].len > sizeof(reqs[i].new) || reqs[i].len < ARCH_BP_INSN_SIZE)
			return -EINVAL;
		if (memcmp(reqs[i].addr, reqs[i].old, reqs[i].len)) {
			if (bad)
				*bad = i;
			return -EINVAL;
		}
	}
	if (!n)
		return 0;
	if (!sorted(reqs, n))
		panic("text_poke_batch: requests not sorted by address");
	text_poke_stats.batches++;
	text_poke_stats.sites += n;
	if (num_online_cpus() == 1 && arch_irqs_disabled()) {
		/*
		 * Boot (ftrace_init() turning 20k patchable entries into
		 * nops): no other CPU runs and nothing interrupts this one,
		 * so nothing can execute a site half written, and no other
		 * vCPU can translate one.  Whole sites, one local sync.
		 */
		stop_write(&sb);
		sync_all();
		return 0;
	}
	switch (READ_ONCE(method)) {
	case POKE_STOP_MACHINE:
		/*
		 * No settle(): a TB holding a site is translated only by a
		 * CPU about to run that site, and every other CPU is parked
		 * in stop_machine's loop until the writes are done, so none
		 * translates the sites while they change.
		 */
		stop_machine(stop_write, &sb);
		sync_all();
		break;
	case POKE_BP_NAIVE:
		for (unsigned int i = 0; i < n; i++)
			bp_sequence(&reqs[i], 1);
		break;
	default:
		bp_sequence(reqs, n);
	}
	return 0;
}

/*
 * text_poke - write @len bytes of code at @addr if it holds @old: blocks
 * nobody executes yet (a trampoline being installed or freed), so no
 * sequencing, only a sync.  Returns 0, -EINVAL on a mismatch, -EFAULT when
 * @addr is not text.
 */
int notrace text_poke(void *addr, const void *old, const void *new, size_t len)
{
	int err;

	if (memcmp(addr, old, len))
		return -EINVAL;
	err = arch_text_write(addr, new, len);
	if (!err) {
		text_sync();
		text_poke_stats.block_syncs++;
	}
	return err;
}
