/*
 * transition.h - the transition protocol (transition.c) as core.c uses it;
 * private to kernel/livepatch, as Linux's kernel/livepatch/transition.h.
 */
#ifndef KLP_TRANSITION_H
#define KLP_TRANSITION_H

#include "livepatch.h"

/*
 * klp_transition_begin - a new transition of @patch towards @patched: its
 * word goes into patch->transition_word, but no CPU switches yet (so the
 * ops can be registered first).
 */
void klp_transition_begin(struct klp_patch *patch, bool patched);
/*
 * klp_transition_run - let every CPU switch at its next quiescent point
 * and wait until all have (waking idle CPUs).  Then no CPU can still be
 * inside a function of the side it left.
 */
void klp_transition_run(struct klp_patch *patch);
/* klp_transition_end - no transition of @patch any more. */
void klp_transition_end(struct klp_patch *patch);
/*
 * klp_patched_here - the handler's test: does a call on this CPU, now,
 * run @patch's new functions?  notrace, any context.
 */
bool klp_patched_here(const struct klp_patch *patch);

#endif /* KLP_TRANSITION_H */
