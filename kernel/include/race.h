/*
 * race.h - debug windows: delays placed inside the core's race windows, so
 * that a race too narrow to hit by chance becomes a test (`race`,
 * kernel/tests/race.c, and the `race_window` file).  Off (0 us) by default;
 * each costs one load and a branch where it sits.
 *
 *   RACE_HASH_READ  the list function: between loading an ops' filter hash
 *                   and reading it (a hash freed meanwhile is read freed)
 *   RACE_RB_WRITE   ring_buffer_write(): between loading this CPU's buffer
 *                   and writing the entry (a resize may free it meanwhile)
 *   RACE_SET_HASH   set_hash(): between reading the current hash and
 *                   publishing the edited copy (another writer may edit too)
 */
#ifndef RACE_H
#define RACE_H

#include "types.h"

enum race_window_id { RACE_HASH_READ, RACE_RB_WRITE, RACE_SET_HASH, NR_RACE_WINDOWS };

extern unsigned int race_window_us[NR_RACE_WINDOWS];
extern const char *const race_window_names[NR_RACE_WINDOWS];
extern unsigned long race_window_hits[NR_RACE_WINDOWS];	/* delays made */
extern unsigned long race_window_uaf[NR_RACE_WINDOWS];	/* freed after the delay */

extern unsigned int race_window_owner;	/* CPU never delayed (~0U: none) */

/* race_window_delay - spin @us microseconds, count it; never traced. */
void race_window_delay(enum race_window_id w, unsigned int us);
/* race_window_freed - after the delay: is kmalloc'd @obj freed?  Counts it. */
bool race_window_freed(enum race_window_id w, const void *obj);

/* race_window - delay here if window @w is open. */
static inline __attribute__((always_inline)) void race_window(enum race_window_id w)
{
	unsigned int us = __atomic_load_n(&race_window_us[w], __ATOMIC_RELAXED);

	if (__builtin_expect(us != 0, 0))
		race_window_delay(w, us);
}

/*
 * race_window_obj - race_window() for a reader of the kmalloc'd object
 * @obj: false when @obj was freed while the reader was delayed (counted in
 * race_window_uaf), and the reader must not touch it - the fault it would
 * take is the bug, reported by `race` as a count instead of an oops.
 */
static inline __attribute__((always_inline)) bool race_window_obj(enum race_window_id w,
								   const void *obj)
{
	unsigned int us = __atomic_load_n(&race_window_us[w], __ATOMIC_RELAXED);

	if (__builtin_expect(us != 0, 0)) {
		race_window_delay(w, us);
		return !race_window_freed(w, obj);
	}
	return true;
}

/*
 * race_window_gone - race_window() for a reader of an object @loaded from
 * *@owner, where the protocol frees the object only after *@owner moved
 * on: true (counted in race_window_uaf) when *@owner no longer holds it
 * after the delay, i.e. it was freed under the reader, who must then not
 * touch it.  The ring buffer's writer uses it for its buffer.
 */
static inline __attribute__((always_inline)) bool
race_window_gone(enum race_window_id w, void *const *owner, const void *loaded)
{
	unsigned int us = __atomic_load_n(&race_window_us[w], __ATOMIC_RELAXED);

	if (__builtin_expect(us != 0, 0)) {
		race_window_delay(w, us);
		if (__atomic_load_n(owner, __ATOMIC_ACQUIRE) != loaded) {
			__atomic_add_fetch(&race_window_uaf[w], 1, __ATOMIC_RELAXED);
			return true;
		}
	}
	return false;
}

#endif /* RACE_H */
