/*
 * test_strings.c - kernel/lib/string.c and errno.c: the number parsers
 * every console command relies on, and the libc-like routines against
 * the host's.
 */
#include <limits.h>
#include <stdlib.h>

#include "host.h"
#include "ref.h"
#include "unit.h"

struct ul_case {
	const char *s;
	int err;
	unsigned long v;
};

TEST(kstrtoul_takes_decimal_and_0x_hex_only_whole_strings)
{
	static const struct ul_case cases[] = {
		{ "0", 0, 0 }, { "42", 0, 42 }, { "0x2a", 0, 42 }, { "0X2A", 0, 42 },
		{ "007", 0, 7 }, { "18446744073709551615", 0, ULONG_MAX },
		{ "0xffffffffffffffff", 0, ULONG_MAX },
		{ "18446744073709551616", -ERANGE, 0 }, { "0x10000000000000000", -ERANGE, 0 },
		{ "", -EINVAL, 0 }, { "0x", -EINVAL, 0 }, { "+1", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 }, { "1 ", -EINVAL, 0 }, { " 1", -EINVAL, 0 },
		{ "12a", -EINVAL, 0 }, { "0xg", -EINVAL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 0xdead;
		int err = kstrtoul(cases[i].s, &v);

		CHECK(err == cases[i].err, "\"%s\": error %d, want %d", cases[i].s, err,
		      cases[i].err);
		CHECK(err || v == cases[i].v, "\"%s\": %lu, want %lu", cases[i].s, v, cases[i].v);
		CHECK(!err || v == 0xdead, "\"%s\": failed but wrote %lu", cases[i].s, v);
	}
}

TEST(kstrtoul_base_10_is_linux_kstrtoul_for_tracefs)
{
	static const struct ul_case cases[] = {
		{ "0", 0, 0 }, { "1", 0, 1 }, { "2", 0, 2 }, { "+0", 0, 0 }, { "+7", 0, 7 },
		{ "007", 0, 7 }, { "0x1", -EINVAL, 0 }, { "-0", -EINVAL, 0 },
		{ "++1", -EINVAL, 0 }, { "+", -EINVAL, 0 }, { "", -EINVAL, 0 },
		{ "99999999999999999999", -ERANGE, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 0;
		int err = kstrtoul_base(cases[i].s, 10, &v);

		CHECK(err == cases[i].err && (err || v == cases[i].v),
		      "\"%s\": error %d value %lu, want %d %lu", cases[i].s, err, v,
		      cases[i].err, cases[i].v);
	}
	unsigned long v;

	CHECK(kstrtoul_base("0x1f", 16, &v) == 0 && v == 31, "base 16 with 0x");
	CHECK(kstrtoul_base("1f", 16, &v) == 0 && v == 31, "base 16 bare");
	CHECK(kstrtoul_base("17", 8, &v) == -EINVAL, "base 8 is not supported");
}

TEST(kstrtol_takes_one_minus_and_wraps_as_documented)
{
	long v;

	CHECK(kstrtol("-5", &v) == 0 && v == -5, "-5 -> %ld", v);
	CHECK(kstrtol("-0x10", &v) == 0 && v == -16, "-0x10 -> %ld", v);
	CHECK(kstrtol("--5", &v) == -EINVAL, "--5 accepted");
	CHECK(kstrtol("-", &v) == -EINVAL, "- accepted");
	CHECK(kstrtol("18446744073709551615", &v) == 0 && v == -1, "wraps to -1");
}

TEST(string_routines_match_libc)
{
	static const char *hay[] = { "", "a", "abc", "aaab", "abcabcabd", "needle" };
	static const char *needle[] = { "", "a", "ab", "abd", "aab", "needles", "x" };
	char buf[16];

	for (size_t i = 0; i < sizeof(hay) / sizeof(hay[0]); i++) {
		for (size_t j = 0; j < sizeof(needle) / sizeof(needle[0]); j++) {
			CHECK(strstr(hay[i], needle[j]) == ref_strstr(hay[i], needle[j]),
			      "strstr(\"%s\", \"%s\")", hay[i], needle[j]);
			int k = strcmp(hay[i], needle[j]), r = ref_strcmp(hay[i], needle[j]);

			CHECK((k > 0) == (r > 0) && (k < 0) == (r < 0), "strcmp(\"%s\", \"%s\")",
			      hay[i], needle[j]);
		}
		for (int c = 0; c < 256; c += 17)
			CHECK(strchr(hay[i], c) == ref_strchr(hay[i], c), "strchr(\"%s\", %d)",
			      hay[i], c);
		CHECK(strchr(hay[i], 0) == ref_strchr(hay[i], 0), "strchr(\"%s\", 0)", hay[i]);
	}
	CHECK(strlcpy(buf, "0123456789abcdefXYZ", sizeof(buf)) == 19, "strlcpy length");
	CHECK_STR(buf, "0123456789abcde");
	CHECK(strlcpy(buf, "x", 0) == 1 && buf[0] == '0', "strlcpy with size 0 writes nothing");
	memcpy(buf, "0123456789", 11);
	memmove(buf + 2, buf, 5);
	CHECK_STR(buf, "0101234789");
	memmove(buf, buf + 3, 5);
	CHECK_STR(buf, "1234734789");
	CHECK(strncmp("abc", "abd", 2) == 0 && strncmp("abc", "abd", 3) < 0, "strncmp");
	CHECK(strnlen("abc", 2) == 2 && strnlen("abc", 9) == 3, "strnlen");
}

TEST(errno_name_knows_every_code_the_kernel_returns)
{
	CHECK_STR(errno_name(-EINVAL), "EINVAL");
	CHECK_STR(errno_name(EINTR), "EINTR");
	CHECK_STR(errno_name(-ENOTSUPP), "ENOTSUPP");
	CHECK_STR(errno_name(-9999), "E?");
	CHECK_STR(errno_name(INT_MIN), "E?");	/* -INT_MIN overflowed (UBSan) */
}
