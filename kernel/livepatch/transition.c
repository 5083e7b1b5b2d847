/*
 * transition.c - how CPUs switch between a live patch's old and new
 * functions: the consistency model (livepatch.h) and its protocol.
 *
 * Linux switches task by task, each when no patched function is on its
 * stack, so a task never runs old and new functions in one call chain.
 * Here each CPU has one task context (the shell on CPU 0, the idle loop or
 * a test driver's worker elsewhere), and the place where a CPU's task is
 * known to be inside no traced function is its quiescent point
 * (cpu_quiescent(), smp.h): the same points synchronize_quiescent() waits
 * for.  So each CPU switches there, and its interrupt handlers follow it.
 *
 * State: a transition has a word W = (generation << 1) | patched, unique
 * for the life of the kernel.  klp_cpu_word[c] is the last word CPU c took
 * at a quiescent point; only CPU c writes it.  For a call on CPU c while
 * patch P is in transition (P->transition_word == W):
 *	CPU c has switched  <=>  klp_cpu_word[c] == W
 * and the call runs the side it switched to, else the side it left.
 * Outside a transition, a registered patch always redirects.
 *
 * Protocol (enable: old -> new; disable swaps the sides), CPU 0 driving:
 *  1. begin: P->transition_word = W.  No CPU has W, so every call that
 *     reaches P's handler keeps the side it had (for an enable: the ops
 *     is not even registered yet).
 *  2. (enable) core.c registers P's ops: sites now call the handler,
 *     which still sends nobody to the new side.
 *  3. run: klp_pending = W (release; after step 1's store).  A CPU that
 *     passes a quiescent point reads klp_pending (acquire) and stores it in
 *     its klp_cpu_word: from that instant, every call it makes and every
 *     call its interrupt handlers make runs the new side.  At a quiescent
 *     point the CPU's task is outside every traced function and none of its
 *     interrupt handlers is running (they run to completion before the task
 *     continues), so a call chain never sees both sides.  CPU 0 switches
 *     itself at once (it is in this code).  A CPU that is idle never
 *     reaches a quiescent point by itself: it gets an IPI, which ends its
 *     idle wait, and its idle loop passes cpu_quiescent() before anything
 *     else.
 *  4. wait until every online CPU holds W, re-sending the IPI to those
 *     that do not every millisecond.  Then no CPU can still be inside a
 *     function of the side it left: it was not when it switched (step 3),
 *     and no later call goes there.  klp_pending = 0.
 *  5. end: P->transition_word = 0.  For an enable, every CPU already
 *     runs the new side, which is what a registered patch does outside a
 *     transition; a disable unregisters the ops before this step, so no
 *     call reaches the handler any more.
 * A CPU that read an older W late (its quiescent point began before step
 * 3) may store that older word after step 3: it then counts as not
 * switched and switches at its next quiescent point; it can never store
 * an older word over a newer one (it reads them in order).  Generations
 * never repeat, so a word left from an earlier transition never matches.
 * One transition runs at a time (core.c's klp_lock).
 */
#include "kernel.h"
#include "livepatch.h"
#include "transition.h"
#include "percpu.h"
#include "smp.h"

struct klp_stats klp_stats;
bool klp_transition_naive;

#define KICK_INTERVAL_NS	1000000	/* re-wake a CPU that did not switch */

static unsigned long klp_pending;		/* W of the running transition, or 0 */
static unsigned long klp_generation;
static unsigned long klp_cpu_word[MAX_CPUS];

/*
 * klp_update_patch_state - step 3 on this CPU, from cpu_quiescent(): take
 * the running transition's word.  One load when none runs.
 */
void notrace klp_update_patch_state(void)
{
	unsigned long w = __atomic_load_n(&klp_pending, __ATOMIC_ACQUIRE);

	if (w)
		__atomic_store_n(&klp_cpu_word[arch_cpu_id()], w, __ATOMIC_RELEASE);
}

/*
 * klp_patched_here - from @patch's ftrace handler, any context: whether a
 * call on this CPU runs the new side now (the test in the header comment).
 */
bool notrace klp_patched_here(const struct klp_patch *patch)
{
	unsigned long w = READ_ONCE(patch->transition_word);
	bool switched;

	if (!w)
		return true;
	switched = __atomic_load_n(&klp_cpu_word[arch_cpu_id()], __ATOMIC_RELAXED) == w;
	return switched == (bool)(w & 1);
}

/* klp_transition_begin - step 1 (livepatch.h). */
void klp_transition_begin(struct klp_patch *patch, bool patched)
{
	unsigned long w = (++klp_generation << 1) | patched;

	__atomic_store_n(&patch->transition_word, w, __ATOMIC_SEQ_CST);
	klp_stats.transitions++;
}

/* all_switched - every online CPU holds @w. */
static bool all_switched(unsigned long w)
{
	for (unsigned int c = 0; c < arch_nr_cpus() && c < MAX_CPUS; c++)
		if (cpu_online(c) && __atomic_load_n(&klp_cpu_word[c], __ATOMIC_ACQUIRE) != w)
			return false;
	return true;
}

/* kick - wake every CPU that has not switched yet (step 3's IPI). */
static void kick(unsigned long w)
{
	unsigned int me = arch_cpu_id();

	for (unsigned int c = 0; c < arch_nr_cpus() && c < MAX_CPUS; c++)
		if (c != me && cpu_online(c) &&
		    __atomic_load_n(&klp_cpu_word[c], __ATOMIC_ACQUIRE) != w) {
			arch_send_ipi(c);
			klp_stats.kicks++;
		}
}

/*
 * klp_transition_run - steps 3 and 4.  Task context, interrupts on; waits
 * as long as a CPU stays inside a patched function (as Linux's transition
 * waits for a task sleeping in one).
 */
void klp_transition_run(struct klp_patch *patch)
{
	unsigned long w = patch->transition_word;
	u64 next_kick = 0;

	__atomic_store_n(&klp_pending, w, __ATOMIC_SEQ_CST);
	if (klp_transition_naive)	/* the negative control: no consistency */
		for (unsigned int c = 0; c < MAX_CPUS; c++)
			__atomic_store_n(&klp_cpu_word[c], w, __ATOMIC_SEQ_CST);
	cpu_quiescent();	/* this CPU: switches here */
	while (!all_switched(w)) {
		u64 now = arch_clock_ns();

		if (now >= next_kick) {
			kick(w);
			next_kick = now + KICK_INTERVAL_NS;
		}
		klp_stats.wait_rounds++;
		cpu_quiescent();	/* others may be synchronizing with us */
		arch_cpu_relax();
	}
	__atomic_store_n(&klp_pending, 0, __ATOMIC_SEQ_CST);
}

/* klp_transition_end - step 5. */
void klp_transition_end(struct klp_patch *patch)
{
	__atomic_store_n(&patch->transition_word, 0, __ATOMIC_SEQ_CST);
}
