/*
 * fuzz.h - helpers shared by the libFuzzer targets: a byte reader over
 * the input, and FUZZ_ASSERT, which aborts (a crash libFuzzer saves)
 * with a message when a target's own oracle disagrees with the kernel.
 */
#ifndef HOST_FUZZ_H
#define HOST_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct input {
	const uint8_t *p;
	size_t n;
};

static inline int in_byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static inline unsigned long in_ulong(struct input *in)
{
	unsigned long v = 0;

	for (int i = 0; i < 8; i++)
		v |= (unsigned long)in_byte(in) << (8 * i);
	return v;
}

#define FUZZ_ASSERT(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "FUZZ_ASSERT(%s) failed at %s:%d: ",	\
				#cond, __FILE__, __LINE__);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* HOST_FUZZ_H */
