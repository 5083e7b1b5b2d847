/*
 * test_vsnprintf.c - kernel/lib/vsnprintf.c against the host C library
 * for every conversion both support, plus what only the kernel has:
 * streaming (vcbprintf), scnprintf, %pS/%ps/%pV.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "host.h"
#include "env.h"
#include "ref.h"
#include "unit.h"

/* Both formatters on one format and argument; they must agree. */
#define SAME(fmt, ...)							\
	do {								\
		char k_[256], r_[256];					\
		int kn_ = snprintf(k_, sizeof(k_), fmt, __VA_ARGS__);	\
		int rn_ = ref_snprintf(r_, sizeof(r_), fmt, __VA_ARGS__); \
		CHECK(kn_ == rn_ && !ref_strcmp(k_, r_),		\
		      "format \"%s\": kernel %d \"%s\", libc %d \"%s\"",	\
		      fmt, kn_, k_, rn_, r_);				\
	} while (0)

TEST(vsnprintf_matches_libc_for_integers)
{
	SAME("%d", 0);
	SAME("%d|%i", INT_MIN, INT_MAX);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MIN);
	SAME("%lu", ULONG_MAX);
	SAME("%zu", (size_t)12345);
	SAME("%u", UINT_MAX);
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("%lx", 0xfedcba9876543210UL);
	SAME("[%8d] [%-8d] [%08d]", 42, 42, 42);
	SAME("[%08d]", -42);
	SAME("[%5x] [%05x] [%-5x]", 0xabu, 0xabu, 0xabu);
	SAME("[%1d]", 12345);
	SAME("%%|%c|%c", 'a', 'Z');
	SAME("[%5c] [%-5c]", 'x', 'y');		/* fuzz: %c ignored its width */
}

TEST(vsnprintf_matches_libc_for_strings_widths_and_precision)
{
	SAME("[%s]", "hello");
	SAME("[%10s] [%-10s]", "hi", "hi");
	SAME("[%.3s] [%.0s] [%.10s]", "abcdef", "abc", "abc");
	SAME("[%8.2s] [%-8.2s]", "abcdef", "abcdef");
	SAME("[%*d] [%*d]", 6, 7, -6, 7);
	SAME("[%-*s]", 6, "ab");
	SAME("[%.*s] [%.*s]", 2, "abcdef", -1, "abcdef");
}

/* Formats the compiler rightly calls wrong: they must still be safe. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-extra-args"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"

TEST(vsnprintf_prints_null_string_and_keeps_unknown_conversions)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	CHECK_STR(buf, "(null)");
	snprintf(buf, sizeof(buf), "a%qb%");
	CHECK_STR(buf, "a%qb");
	snprintf(buf, sizeof(buf), "%hd", 5);		/* no 'h': printed as text */
	CHECK_STR(buf, "%hd");
	snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	CHECK_STR(buf, "0x0000000000001234");
	snprintf(buf, sizeof(buf), "[%-08d]", -42);		/* '-' wins over '0' */
	CHECK_STR(buf, "[-42     ]");
}

TEST(vsnprintf_clamps_huge_widths_instead_of_overflowing)
{
	char *buf = malloc(8192);
	int n;

	/* Digits past INT_MAX used to overflow the width (UBSan: signed overflow). */
	n = snprintf(buf, 8192, "%99999999999999999999d", 1);
	CHECK(n == 4096, "returned %d", n);
	n = snprintf(buf, 8192, "%.99999999999999999999s", "abc");
	CHECK(n == 3 && !ref_strcmp(buf, "abc"), "returned %d \"%s\"", n, buf);
	n = snprintf(buf, 8192, "%*d", INT_MAX, 1);
	CHECK(n == 4096, "returned %d", n);
	n = snprintf(buf, 8192, "%*d", INT_MIN, 1);
	CHECK(n == 4096 && buf[0] == '1', "returned %d, starts '%c'", n, buf[0]);
	free(buf);
}
#pragma clang diagnostic pop

TEST(vsnprintf_truncates_terminates_and_returns_the_full_length)
{
	const char *want = "value=12345 name=abcdef";

	for (size_t size = 0; size <= 30; size++) {
		char *buf = malloc(size ? size : 1);	/* exact size: ASan sees overruns */
		int n = snprintf(size ? buf : NULL, size, "value=%d name=%s", 12345, "abcdef");

		CHECK(n == 23, "size %zu: returned %d", size, n);
		if (size) {
			size_t kept = size - 1 < 23 ? size - 1 : 23;

			CHECK(ref_strnlen(buf, size) == kept && !ref_memcmp(buf, want, kept),
			      "size %zu: kept \"%s\"", size, buf);
		}
		free(buf);
	}
}

TEST(scnprintf_returns_what_was_stored_so_appending_never_overruns)
{
	char *buf = malloc(16);
	int n = 0;

	for (int i = 0; i < 10; i++)
		n += scnprintf(buf + n, 16 - n, "%s", "word ");
	CHECK(n == 15, "appended %d bytes to a 16-byte buffer", n);
	CHECK_STR(buf, "word word word ");
	CHECK(scnprintf(buf, 0, "abc") == 0, "size 0 stores nothing");
	CHECK(scnprintf(buf, 1, "abc") == 0 && buf[0] == 0, "size 1 stores the terminator");
	free(buf);
}

/* Collects vcbprintf's pieces into one heap string, counting calls. */
struct collect {
	char *s;
	size_t len;
	int calls;
};

static void collect_out(void *ctx, const char *s, size_t n)
{
	struct collect *c = ctx;

	c->s = realloc(c->s, c->len + n + 1);
	memcpy(c->s + c->len, s, n);
	c->len += n;
	c->s[c->len] = 0;
	c->calls++;
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

TEST(vcbprintf_streams_a_line_of_any_length_whole)
{
	/* What printk does: a 10,000-byte line arrives with its newline. */
	char *text = malloc(10001);
	struct collect c = { 0 };
	int n;

	memset(text, 'x', 10000);
	text[10000] = 0;
	n = cb(&c, "echo %s\n", text);
	CHECK(n == 10006 && c.len == 10006, "returned %d, emitted %zu", n, c.len);
	CHECK(c.s && c.s[c.len - 1] == '\n', "the newline was lost");
	CHECK(c.calls > 1 && c.calls < 200, "%d callbacks for 10 KB (batched?)", c.calls);
	free(c.s);
	free(text);
}

/* pv - print a %pV of (@fmt, ...) twice inside an outer format. */
static void pv(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { fmt, &ap };

	va_start(ap, fmt);
	snprintf(buf, size, "<%pV|%pV>", &vaf, &vaf);
	va_end(ap);
}

TEST(vsnprintf_pV_prints_a_nested_format_and_can_repeat_it)
{
	char buf[64];

	pv(buf, sizeof(buf), "%s=%d", "x", 42);
	CHECK_STR(buf, "<x=42|x=42>");
	pv(buf, 8, "%s=%d", "x", 42);
	CHECK_STR(buf, "<x=42|x");
}

TEST(vsnprintf_pS_and_ps_symbolize_with_padding)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%pS", (void *)0x1004);
	CHECK_STR(buf, "first_func+0x4/0x20");
	snprintf(buf, sizeof(buf), "%ps", (void *)0x1004);
	CHECK_STR(buf, "first_func");
	snprintf(buf, sizeof(buf), "[%22pS]", (void *)0x1021);
	CHECK_STR(buf, "[static_helper+0x1/0x10]");
	snprintf(buf, sizeof(buf), "[%-16ps]", (void *)0x1021);
	CHECK_STR(buf, "[static_helper   ]");
	snprintf(buf, sizeof(buf), "[%16ps]", (void *)0x1021);
	CHECK_STR(buf, "[   static_helper]");
	snprintf(buf, sizeof(buf), "%pS", (void *)0x1800);	/* in no function */
	CHECK_STR(buf, "0x1800");
	snprintf(buf, sizeof(buf), "%pS", (void *)(HOST_TRAMP_ADDR + 8));
	CHECK_STR(buf, "host_tramp+0x8/0x100");
}

TEST(vsnprintf_pS_prints_names_longer_than_any_old_buffer_whole)
{
	char buf[512];
	const char *name = "a_function_with_a_rather_long_name_that_goes_on_and_on_and_on_"
			   "for_well_over_one_hundred_and_twenty_eight_characters_to_test_buffers";

	snprintf(buf, sizeof(buf), "%ps", (void *)0x2100);
	CHECK_STR(buf, name);
	CHECK(sprint_symbol(buf, 20, 0x2100) > 128, "sprint_symbol returns the full length");
	CHECK(ref_strnlen(buf, 20) == 19, "and keeps what fits");
}
