/*
 * test_hash_glob.c - kernel/trace/hash.c: the site-address sets behind
 * every ftrace filter (open addressing, backward-shift deletion) and the
 * glob matcher behind set_ftrace_filter.
 */
#include <stdlib.h>

#include "host.h"
#include "ftrace.h"
#include "env.h"
#include "ref.h"
#include "unit.h"

/* check_set - @h holds exactly the @n addresses of @want (and no others). */
static void check_set(const struct ftrace_hash *h, const unsigned long *want, int n,
		      const char *when)
{
	CHECK(h->count == (unsigned int)n, "%s: count %u, want %d", when, h->count, n);
	CHECK(!h->size || (h->size & (h->size - 1)) == 0, "%s: size %u", when, h->size);
	CHECK(h->count * 2 <= h->size || !h->count, "%s: %u in %u slots", when, h->count,
	      h->size);
	for (int i = 0; i < n; i++)
		CHECK(ftrace_hash_contains(h, want[i]), "%s: lost %#lx", when, want[i]);
}

TEST(hash_add_remove_contains_through_growth_and_wrapping_clusters)
{
	struct ftrace_hash h = { 0 };
	unsigned long *in = malloc(1000 * sizeof(long));
	int n = 0;

	for (unsigned long ip = 0x1000; ip < 0x1000 + 1000 * 5; ip += 5) {
		CHECK(ftrace_hash_add(&h, ip) == 0, "add %#lx", ip);
		in[n++] = ip;
	}
	CHECK(ftrace_hash_add(&h, 0x1000) == 0 && h.count == 1000, "adding twice counts once");
	check_set(&h, in, n, "after 1000 adds");
	CHECK(!ftrace_hash_contains(&h, 0x1001), "contains an address never added");
	/* Remove every other one: backward shifts must keep the rest findable. */
	int kept = 0;

	for (int i = 0; i < n; i++) {
		if (i % 2)
			ftrace_hash_remove(&h, in[i]);
		else
			in[kept++] = in[i];
	}
	check_set(&h, in, kept, "after removing half");
	for (int i = 1; i < 1000; i += 2)
		CHECK(!ftrace_hash_contains(&h, 0x1000 + 5UL * i), "removed %#lx still there",
		      0x1000 + 5UL * i);
	ftrace_hash_remove(&h, 0x999999);	/* absent: nothing changes */
	check_set(&h, in, kept, "after removing an absent address");
	ftrace_hash_clear(&h);
	CHECK(h.count == 0 && h.size == 0 && !h.slots, "clear");
	CHECK(!ftrace_hash_contains(&h, in[0]) && !ftrace_hash_contains(NULL, in[0]),
	      "empty and NULL hashes contain nothing");
	free(in);
}

TEST(hash_copy_and_move_and_out_of_memory)
{
	struct ftrace_hash a = { 0 }, b = { 0 }, c = { 0 };
	unsigned long ips[] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90 };

	for (int i = 0; i < 9; i++)
		ftrace_hash_add(&a, ips[i]);
	CHECK(ftrace_hash_copy(&b, &a) == 0, "copy");
	check_set(&b, ips, 9, "copy");
	ftrace_hash_move(&c, &b);
	check_set(&c, ips, 9, "moved");
	CHECK(b.count == 0 && !b.slots, "move leaves the source empty");

	host_alloc_countdown = 0;
	CHECK(ftrace_hash_copy(&b, &a) == -ENOMEM, "copy without memory");
	CHECK(b.count == 0 && !b.slots, "a failed copy leaves nothing behind");
	host_alloc_countdown = 1;		/* the first table, not the grown one */
	for (unsigned long ip = 0x1000; ip < 0x1100; ip += 8)
		if (ftrace_hash_add(&b, ip))
			break;
	CHECK(b.count == 8, "grow failure stops at 8 of 16 slots, got %u", b.count);
	host_alloc_countdown = -1;
	ftrace_hash_clear(&a);
	ftrace_hash_clear(&b);
	ftrace_hash_clear(&c);
}

struct glob_case {
	const char *pat, *str;
	bool match;
};

TEST(glob_match_linux_filter_forms_and_classes)
{
	static const struct glob_case cases[] = {
		{ "demo_add", "demo_add", true }, { "demo_add", "demo_add2", false },
		{ "demo*", "demo_add", true }, { "demo*", "demo", true }, { "demo*", "dem", false },
		{ "*add", "demo_add", true }, { "*add", "demo_adds", false },
		{ "*mo_a*", "demo_add", true }, { "de*dd", "demo_add", true },
		{ "d*o*d", "demo_add", true }, { "*", "", true }, { "", "", true },
		{ "", "a", false }, { "?", "a", true }, { "?", "", false }, { "a?c", "abc", true },
		{ "[a-c]x", "bx", true }, { "[a-c]x", "dx", false }, { "[!a-c]x", "dx", true },
		{ "[!a-c]x", "bx", false }, { "[abc]", "c", true }, { "[a-]", "-", true },
		{ "[]", "a", false }, { "[!]", "a", true }, { "[abc", "a", false },
		{ "*[0-9]", "gen_func_7", true }, { "*[0-9]", "gen_func_x", false },
		{ "**a**", "xax", true }, { "*a*b*c*", "aXbXc", true }, { "*a*b*c*", "aXcXb", false },
		{ "a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(glob_match(cases[i].pat, cases[i].str) == cases[i].match,
		      "glob_match(\"%s\", \"%s\") should be %s", cases[i].pat, cases[i].str,
		      cases[i].match ? "true" : "false");
}
