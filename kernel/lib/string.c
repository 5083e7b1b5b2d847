/*
 * string.c - the freestanding string and memory routines the kernel and the
 * compiler rely on (gcc may emit calls to memcpy/memset/memmove/memcmp).
 */
#include "kernel.h"

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp < sp)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *pa = a, *pb = b;

	for (; n; n--, pa++, pb++)
		if (*pa != *pb)
			return *pa - *pb;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? NULL : (char *)s;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

/* strlcpy - copy at most n-1 bytes and always terminate; returns strlen(s). */
size_t strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);

	if (n) {
		size_t c = len < n - 1 ? len : n - 1;

		memcpy(d, s, c);
		d[c] = 0;
	}
	return len;
}

/*
 * parse_ul - the digits of @s in @base (10 or 16) make the whole string;
 * 0, -EINVAL (empty, or a character that is not a digit) or -ERANGE.
 */
static int parse_ul(const char *s, unsigned long base, unsigned long *res)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		unsigned long d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -EINVAL;
		if (v > (~0UL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*res = v;
	return 0;
}

/*
 * kstrtoul - parse an unsigned number: decimal, or hex with a 0x prefix.
 * The whole string must be consumed.  Returns 0, -EINVAL or -ERANGE.
 */
int kstrtoul(const char *s, unsigned long *res)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_ul(s + 2, 16, res);
	return parse_ul(s, 10, res);
}

/*
 * kstrtoul_base - Linux's kstrtoul(s, base, res) for base 10 or 16: an
 * optional '+', then digits of @base only (16 also takes a 0x prefix), the
 * whole string.  tracefs files parse with base 10, so "0x1" and "-0" are
 * -EINVAL there, as in Linux.  Returns 0, -EINVAL or -ERANGE.
 */
int kstrtoul_base(const char *s, unsigned int base, unsigned long *res)
{
	if (base != 10 && base != 16)
		return -EINVAL;
	if (*s == '+')
		s++;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return parse_ul(s, base, res);
}

/* kstrtol - kstrtoul with an optional leading '-' (two's complement wrap). */
int kstrtol(const char *s, long *res)
{
	unsigned long v;
	int neg = (*s == '-'), err;

	err = kstrtoul(s + neg, &v);
	if (err)
		return err;
	*res = neg ? -(long)v : (long)v;
	return 0;
}
