/*
 * text_poke.c - the one path that writes kernel code.
 *
 * Every request names the bytes it expects to replace; all are checked
 * before the first byte is written, so a mismatch leaves text untouched.
 * Writes go through the arch's writable alias (text stays read-only where it
 * executes), then every CPU's instruction fetch is synchronised.
 * Callers hold the ftrace lock (one patcher at a time).
 */
#include "kernel.h"
#include "ftrace.h"

int notrace text_poke_batch(struct text_poke_req *reqs, unsigned int n,
			    unsigned int *bad)
{
	for (unsigned int i = 0; i < n; i++) {
		if (reqs[i].len > sizeof(reqs[i].new))
			return -EINVAL;
		if (memcmp(reqs[i].addr, reqs[i].old, reqs[i].len)) {
			if (bad)
				*bad = i;
			return -EINVAL;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		int err = arch_text_write(reqs[i].addr, reqs[i].new, reqs[i].len);

		if (err)
			panic("text_poke_batch: write to %p failed (%d) after checks passed",
			      reqs[i].addr, err);
	}
	if (n)
		arch_text_sync();
	return 0;
}

/*
 * text_poke - write @len bytes of code at @addr if it holds @old.  For
 * larger blocks (trampolines), checked and written in one piece.
 * Returns 0, -EINVAL on a mismatch, -EFAULT when @addr is not text.
 */
int notrace text_poke(void *addr, const void *old, const void *new, size_t len)
{
	int err;

	if (memcmp(addr, old, len))
		return -EINVAL;
	err = arch_text_write(addr, new, len);
	if (!err)
		arch_text_sync();
	return err;
}
