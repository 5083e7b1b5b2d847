/*
 * ref.c - thin wrappers around the host C library (ref.h says why).
 * Compiled without host.h, so these names reach glibc.
 */
#include <stdio.h>
#include <string.h>

#include "ref.h"

int ref_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t ref_strnlen(const char *s, size_t max) { return strnlen(s, max); }
int ref_strcmp(const char *a, const char *b) { return strcmp(a, b); }
int ref_strncmp(const char *a, const char *b, size_t n) { return strncmp(a, b, n); }
char *ref_strchr(const char *s, int c) { return strchr(s, c); }
char *ref_strstr(const char *hay, const char *needle) { return strstr(hay, needle); }
int ref_memcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }
void *ref_memmove(void *d, const void *s, size_t n) { return memmove(d, s, n); }
