/*
 * fuzz_strings.c - kernel/lib/string.c and errno.c: the number parsers
 * against a reference written from their contracts (string.c), the
 * libc-named routines against the host's, on exact-size heap copies.
 *
 * Input: byte 0 picks what to do with the rest.
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "ref.h"

/* ref_parse - digits of @base making all of @s; 0, -EINVAL, -ERANGE. */
static int ref_parse(const char *s, unsigned base, unsigned long *v)
{
	unsigned long r = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : 99;

		if (d >= (int)base)
			return -EINVAL;
		if (__builtin_mul_overflow(r, base, &r) || __builtin_add_overflow(r, d, &r))
			return -ERANGE;
	}
	*v = r;
	return 0;
}

static bool hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

static void numbers(const char *s)
{
	unsigned long k = 1, r = 2;
	long kl = 3;
	int ke, re;

	ke = kstrtoul(s, &k);
	re = hex_prefix(s) ? ref_parse(s + 2, 16, &r) : ref_parse(s, 10, &r);
	FUZZ_ASSERT(ke == re && (ke || k == r), "kstrtoul(\"%s\"): %d %lu, want %d %lu", s, ke,
		    k, re, r);
	ke = kstrtoul_base(s, 10, &k);
	re = ref_parse(s + (*s == '+'), 10, &r);
	FUZZ_ASSERT(ke == re && (ke || k == r), "kstrtoul_base(\"%s\", 10): %d, want %d", s, ke,
		    re);
	ke = kstrtoul_base(s, 16, &k);
	re = ref_parse(s + (*s == '+') + 2 * hex_prefix(s + (*s == '+')), 16, &r);
	FUZZ_ASSERT(ke == re && (ke || k == r), "kstrtoul_base(\"%s\", 16): %d, want %d", s, ke,
		    re);
	ke = kstrtol(s, &kl);
	re = kstrtoul(s + (*s == '-'), &r);
	FUZZ_ASSERT(ke == re && (ke || (unsigned long)kl == (*s == '-' ? -r : r)),
		    "kstrtol(\"%s\")", s);
}

static void strings(const char *a, size_t na, const char *b, size_t nb)
{
	char *d = malloc(na + 1);

	FUZZ_ASSERT(strlen(a) == na && strnlen(a, nb) == ref_strnlen(a, nb), "strlen");
	FUZZ_ASSERT(strstr(a, b) == ref_strstr(a, b), "strstr(\"%s\", \"%s\")", a, b);
	FUZZ_ASSERT(strchr(a, b[0]) == ref_strchr(a, b[0]), "strchr");
	int k = strncmp(a, b, nb), r = ref_strncmp(a, b, nb);

	FUZZ_ASSERT((k < 0) == (r < 0) && (k > 0) == (r > 0), "strncmp");
	k = strcmp(a, b);
	r = ref_strcmp(a, b);
	FUZZ_ASSERT((k < 0) == (r < 0) && (k > 0) == (r > 0), "strcmp");
	for (size_t size = 0; size <= na + 1; size += 1 + size / 4) {
		FUZZ_ASSERT(strlcpy(size ? d : NULL, a, size) == na, "strlcpy length");
		FUZZ_ASSERT(!size || (ref_strnlen(d, size) == (na < size ? na : size - 1) &&
			    !ref_memcmp(d, a, ref_strnlen(d, size))), "strlcpy into %zu", size);
	}
	if (na > 1) {
		char *want = malloc(na);
		size_t off = (unsigned char)b[0] % na, len = na - off;

		ref_memmove(d, a, na);
		ref_memmove(want, a, na);
		memmove(d, d + off, len);
		ref_memmove(want, want + off, len);
		FUZZ_ASSERT(!ref_memcmp(d, want, na), "memmove down by %zu", off);
		memmove(d + off, d, len);
		ref_memmove(want + off, want, len);
		FUZZ_ASSERT(!ref_memcmp(d, want, na), "memmove up by %zu", off);
		free(want);
	}
	free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	int mode = in_byte(&in);
	size_t na = ref_strnlen((const char *)in.p, in.n), nb;
	char *a = malloc(na + 1), *b;

	ref_memmove(a, in.p, na);
	a[na] = 0;
	in.p += na;
	in.n -= na;
	in_byte(&in);				/* the separator */
	nb = ref_strnlen((const char *)in.p, in.n);
	b = malloc(nb + 1);
	ref_memmove(b, in.p, nb);
	b[nb] = 0;
	if (mode % 3 == 0) {
		numbers(a);
	} else if (mode % 3 == 1) {
		strings(a, na, b, nb);
	} else {
		unsigned int bits = 0;

		for (size_t i = 0; i < 4 && i + 1 < size; i++)	/* raw: NULs too */
			bits |= (unsigned int)data[i + 1] << (8 * i);
		FUZZ_ASSERT(errno_name((int)bits) != NULL, "errno_name(%d)", (int)bits);
	}
	free(a);
	free(b);
	return 0;
}
