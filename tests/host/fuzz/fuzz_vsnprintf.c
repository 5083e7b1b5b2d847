/*
 * fuzz_vsnprintf.c - kernel/lib/vsnprintf.c under ASan/UBSan.
 *
 * Input byte 0 picks a mode, byte 1 a buffer size (the buffer is exactly
 * that big on the heap, so any overrun is caught):
 *   0  the rest is a format string, any bytes; every argument is a pointer
 *      to a valid string, which is a valid argument for %s/%p/%pS and, on
 *      x86-64, a (meaningless) one for %d/%c/'*'.  Checks: vsnprintf,
 *      scnprintf and the streaming vcbprintf agree on length and bytes.
 *   1  conversions both formatters support are built from the bytes and
 *      compared with the host C library's output.
 *   2  words joined with shell_join() (the `n += ...` pattern that smashed
 *      the stack in cmd_panic) must fit the buffer.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "shell.h"
#include "ref.h"

#define MAX_CONVERSIONS 30	/* '%' and '*' each take at most one argument */
#define ARGS(p) p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, \
		p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p

struct collect {
	char *s;
	size_t len;
};

static void collect_out(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	c->s = realloc(c->s, c->len + n + 1);
	ref_memmove(c->s + c->len, s, n);
	c->len += n;
}

static int cb(struct collect *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vcbprintf(collect_out, c, fmt, ap);
	va_end(ap);
	return n;
}

#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma clang diagnostic ignored "-Wformat-security"
#pragma clang diagnostic ignored "-Wformat-extra-args"

/* raw_format - mode 0. */
static void raw_format(struct input *in, size_t size)
{
	static const char str[] = "str";
	const char *p = str;
	char *fmt = malloc(in->n + 1), *buf = malloc(size ? size : 1);
	struct collect c = { calloc(1, 1), 0 };
	size_t len = 0;
	int args = 0, n, full, sc;

	while (in->n) {
		char ch = (char)in_byte(in);

		if (ch == 'V')
			ch = 'v';	/* %pV would take the string for a va_format */
		args += ch == '%' || ch == '*';
		if (args > MAX_CONVERSIONS)
			break;
		fmt[len++] = ch;
	}
	fmt[len] = 0;
	full = cb(&c, fmt, ARGS(p));
	FUZZ_ASSERT((size_t)full == c.len, "vcbprintf returned %d, emitted %zu", full, c.len);
	n = snprintf(size ? buf : NULL, size, fmt, ARGS(p));
	FUZZ_ASSERT(n == full, "vsnprintf %d, vcbprintf %d", n, full);
	if (size) {
		size_t kept = (size_t)n < size ? (size_t)n : size - 1;

		FUZZ_ASSERT(buf[kept] == 0 && !ref_memcmp(buf, c.s, kept),
			    "size %zu: buffer is not the output's prefix", size);
	}
	sc = scnprintf(size ? buf : NULL, size, fmt, ARGS(p));
	FUZZ_ASSERT(sc == (size ? (n < (int)size ? n : (int)size - 1) : 0),
		    "scnprintf %d for %d bytes in %zu", sc, n, size);
	free(c.s);
	free(fmt);
	free(buf);
}

/* one_spec - mode 1: one conversion from the input, compared with libc. */
static void one_spec(struct input *in)
{
	static const char convs[] = "diuxXsc%";
	char fmt[32], k[256], r[256];
	int f = 0, b = in_byte(in), conv = convs[in_byte(in) % (sizeof(convs) - 1)];
	int width = in_byte(in) % 40 - 8, prec = in_byte(in) % 40 - 8;
	long long v = (long long)in_ulong(in);
	bool num = strchr("diuxX", conv) != NULL, star = b & 16, pstar = b & 32;
	const char *s = "hello, world";
	int kn, rn;

	fmt[f++] = 'a';
	fmt[f++] = '%';
	if (b & 1)
		fmt[f++] = '-';
	if ((b & 2) && num)
		fmt[f++] = '0';		/* '0' on %s/%c is undefined in C */
	if (conv != '%') {		/* C leaves a width on %% open */
		if (star)
			fmt[f++] = '*';
		else if (width > 0)
			f += ref_snprintf(fmt + f, 8, "%d", width);
	}
	if (conv == 's' && (b & 4)) {	/* precision: strings only in the kernel */
		fmt[f++] = '.';
		if (pstar)
			fmt[f++] = '*';
		else if (prec >= 0)
			f += ref_snprintf(fmt + f, 8, "%d", prec);
	}
	if (num && (b & 8))
		fmt[f++] = 'l';
	if (num && (b & 8) && (b & 64))
		fmt[f++] = 'l';
	fmt[f++] = (char)conv;
	fmt[f++] = 'z';
	fmt[f] = 0;

#define BOTH(...) (kn = snprintf(k, sizeof(k), __VA_ARGS__), \
		   rn = ref_snprintf(r, sizeof(r), __VA_ARGS__))
	if (conv == '%') {
		BOTH(fmt, 0);
	} else if (conv == 's' || conv == 'c') {
		void *arg = conv == 's' ? (void *)(s + (v & 7)) : (void *)(long)((v & 0x7f) | 0x20);

		if (star && pstar && (b & 4))
			BOTH(fmt, width, prec, arg);
		else if (star)
			BOTH(fmt, width, arg);
		else if (pstar && (b & 4))
			BOTH(fmt, prec, arg);
		else
			BOTH(fmt, arg);
	} else if (b & 8) {
		if (star)
			BOTH(fmt, width, (long)v);
		else
			BOTH(fmt, (long)v);
	} else {
		if (star)
			BOTH(fmt, width, (int)v);
		else
			BOTH(fmt, (int)v);
	}
	FUZZ_ASSERT(kn == rn && !ref_strcmp(k, r), "format \"%s\": kernel %d \"%s\", libc %d \"%s\"",
		    fmt, kn, k, rn, r);
}

/* join - mode 2: NUL-separated words joined into a @size-byte buffer. */
static void join(struct input *in, size_t size)
{
	char *copy = malloc(in->n + 1), *argv[64], *buf = malloc(size ? size : 1);
	int argc = 0, n;

	ref_memmove(copy, in->p, in->n);
	copy[in->n] = 0;
	for (char *w = copy; argc < 64 && w <= copy + in->n; w += ref_strnlen(w, 1 << 20) + 1)
		argv[argc++] = w;
	n = shell_join(size ? buf : NULL, size, argc, argv);
	FUZZ_ASSERT(size ? (size_t)n < size && ref_strnlen(buf, size) == (size_t)n : n == 0,
		    "joined %d into %zu", n, size);
	free(copy);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	int mode = in_byte(&in) % 3;
	size_t bufsize = in_byte(&in);

	if (mode == 0)
		raw_format(&in, bufsize);
	else if (mode == 1)
		while (in.n)
			one_spec(&in);
	else
		join(&in, bufsize);
	return 0;
}
