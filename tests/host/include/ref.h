/*
 * ref.h - the host C library's functions under names host.h does not
 * rename (tests/host/ref.c is compiled without host.h), as references to
 * compare the kernel's own implementations against.
 */
#ifndef HOST_REF_H
#define HOST_REF_H

#include <stdarg.h>
#include <stddef.h>

int ref_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ref_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t ref_strnlen(const char *s, size_t max);
int ref_strcmp(const char *a, const char *b);
int ref_strncmp(const char *a, const char *b, size_t n);
char *ref_strchr(const char *s, int c);
char *ref_strstr(const char *hay, const char *needle);
int ref_memcmp(const void *a, const void *b, size_t n);
void *ref_memmove(void *d, const void *s, size_t n);

#endif /* HOST_REF_H */
