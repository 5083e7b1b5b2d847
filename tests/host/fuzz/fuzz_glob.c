/*
 * fuzz_glob.c - glob_match() (kernel/trace/hash.c) against a reference
 * matcher written from its documented semantics: '*' any run, '?' one
 * character, '[abc]' / '[a-z]' / '[!x]' a class, where a class without
 * its ']' matches nothing.  The reference recurses with memoisation; the
 * kernel uses the one-star backtracking loop.
 *
 * Input: pattern, a 0x00 byte, then the string (each cut at 48 bytes so
 * the reference stays cheap), both copied to exact-size heap buffers.
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "ftrace.h"
#include "ref.h"

#define MAXLEN 48

static const char *P, *S;
static signed char memo[MAXLEN + 2][MAXLEN + 2];

/* class - the class at P[pi] ('[') against c: 1 hit, 0 miss; *end past ']'. */
static int class(size_t pi, char c, size_t *end)
{
	size_t p = pi + 1;
	bool neg = P[p] == '!', hit = false;

	p += neg;
	for (; P[p] && P[p] != ']'; p++) {
		if (P[p + 1] == '-' && P[p + 2] && P[p + 2] != ']') {
			hit |= c >= P[p] && c <= P[p + 2];
			p += 2;
		} else {
			hit |= c == P[p];
		}
	}
	if (P[p] != ']')
		return 0;		/* unterminated: no match */
	*end = p + 1;
	return hit != neg;
}

static bool ref_match(size_t pi, size_t si)
{
	signed char *m = &memo[pi][si];
	size_t end;
	bool r;

	if (*m >= 0)
		return *m;
	if (!P[pi])
		r = !S[si];
	else if (P[pi] == '*')
		r = ref_match(pi + 1, si) || (S[si] && ref_match(pi, si + 1));
	else if (!S[si])
		r = false;
	else if (P[pi] == '[')
		r = class(pi, S[si], &end) && ref_match(end, si + 1);
	else
		r = (P[pi] == '?' || P[pi] == S[si]) && ref_match(pi + 1, si + 1);
	*m = r;
	return r;
}

static char *take(struct input *in)
{
	size_t n = 0;

	while (n < in->n && n < MAXLEN && in->p[n])
		n++;
	char *s = malloc(n + 1);

	ref_memmove(s, in->p, n);
	s[n] = 0;
	in->p += n;
	in->n -= n;
	if (in->n) {			/* the separator, or the rest past MAXLEN */
		in->p++;
		in->n--;
	}
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	char *pat = take(&in), *str = take(&in);
	bool got, want;

	P = pat;
	S = str;
	memset(memo, -1, sizeof(memo));
	want = ref_match(0, 0);
	got = glob_match(pat, str);
	FUZZ_ASSERT(got == want, "glob_match(\"%s\", \"%s\") = %d, reference %d", pat, str,
		    got, want);
	free(pat);
	free(str);
	return 0;
}
