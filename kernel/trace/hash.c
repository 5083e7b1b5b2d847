/*
 * hash.c - sets of site addresses for ftrace_ops filters, and the glob
 * matcher behind set_ftrace_filter.
 *
 * Open addressing with linear probing; 0 marks an empty slot (no site is at
 * address 0).  Deletion shifts the following cluster back, so lookups never
 * need tombstones.  Lookups run in the tracing hot path (list function):
 * notrace, no locks; writers replace sites only under the ftrace lock.
 */
#include "kernel.h"
#include "ftrace.h"

static notrace unsigned int slot_of(const struct ftrace_hash *h, unsigned long ip)
{
	u64 x = ip * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(x >> 40) & (h->size - 1);
}

bool notrace ftrace_hash_contains(const struct ftrace_hash *h, unsigned long ip)
{
	if (!h || !h->count)
		return false;
	for (unsigned int i = slot_of(h, ip);; i = (i + 1) & (h->size - 1)) {
		unsigned long v = READ_ONCE(h->slots[i]);

		if (v == ip)
			return true;
		if (!v)
			return false;
	}
}

static int grow(struct ftrace_hash *h)
{
	unsigned int nsize = h->size ? h->size * 2 : 16;
	unsigned long *ns = kzalloc(nsize * sizeof(long));
	struct ftrace_hash n = { ns, nsize, 0 };

	if (!ns)
		return -ENOMEM;
	for (unsigned int i = 0; i < h->size; i++)
		if (h->slots[i])
			ftrace_hash_add(&n, h->slots[i]);
	kfree(h->slots);
	*h = n;
	return 0;
}

/* ftrace_hash_add - add @ip (idempotent); 0 or -ENOMEM. */
int ftrace_hash_add(struct ftrace_hash *h, unsigned long ip)
{
	if ((h->count + 1) * 2 > h->size) {
		int err = grow(h);

		if (err)
			return err;
	}
	for (unsigned int i = slot_of(h, ip);; i = (i + 1) & (h->size - 1)) {
		if (h->slots[i] == ip)
			return 0;
		if (!h->slots[i]) {
			h->slots[i] = ip;
			h->count++;
			return 0;
		}
	}
}

void ftrace_hash_remove(struct ftrace_hash *h, unsigned long ip)
{
	unsigned int i, j, mask = h->size - 1;

	if (!h->count)
		return;
	for (i = slot_of(h, ip); h->slots[i] != ip; i = (i + 1) & mask)
		if (!h->slots[i])
			return;
	/* Backward-shift deletion: pull later cluster members into the hole. */
	for (j = (i + 1) & mask; h->slots[j]; j = (j + 1) & mask) {
		unsigned int home = slot_of(h, h->slots[j]);

		if (((j - home) & mask) >= ((j - i) & mask)) {
			h->slots[i] = h->slots[j];
			i = j;
		}
	}
	h->slots[i] = 0;
	h->count--;
}

void ftrace_hash_clear(struct ftrace_hash *h)
{
	kfree(h->slots);
	*h = (struct ftrace_hash){ NULL, 0, 0 };
}

int ftrace_hash_copy(struct ftrace_hash *dst, const struct ftrace_hash *src)
{
	struct ftrace_hash n = { NULL, 0, 0 };

	for (unsigned int i = 0; i < src->size; i++)
		if (src->slots[i] && ftrace_hash_add(&n, src->slots[i])) {
			ftrace_hash_clear(&n);
			return -ENOMEM;
		}
	*dst = n;
	return 0;
}

/* ftrace_hash_move - free @dst's contents and take @src's; @src is emptied. */
void ftrace_hash_move(struct ftrace_hash *dst, struct ftrace_hash *src)
{
	unsigned long *old = dst->slots;

	*dst = *src;
	*src = (struct ftrace_hash){ NULL, 0, 0 };
	kfree(old);
}

/*
 * glob_match - shell-style match of the whole @str: '*' any run, '?' one
 * character, '[abc]' / '[a-z]' / '[!x]' a class.  Linux's filter forms
 * (name, name*, *name, *name*, na*me) are all special cases.
 */
bool glob_match(const char *pat, const char *str)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*str) {
		if (*pat == '*') {
			star_p = ++pat;
			star_s = str;
			continue;
		}
		if (*pat == '[') {
			const char *p = pat + 1;
			bool neg = (*p == '!'), hit = false;

			p += neg;
			for (; *p && *p != ']'; p++) {
				if (p[1] == '-' && p[2] && p[2] != ']') {
					hit |= (*str >= p[0] && *str <= p[2]);
					p += 2;
				} else {
					hit |= (*str == *p);
				}
			}
			if (*p == ']' && hit != neg) {
				pat = p + 1;
				str++;
				continue;
			}
		} else if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
			continue;
		}
		if (!star_p)
			return false;
		pat = star_p;
		str = ++star_s;
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}
