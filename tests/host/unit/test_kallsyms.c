/*
 * test_kallsyms.c - kernel/core/kallsyms.c over the table the real
 * generator (kernel/scripts/gen_kallsyms.py --c) made from
 * tests/host/kallsyms.nm: every boundary of every function.
 */
#include <stdint.h>

#include "host.h"
#include "env.h"
#include "ref.h"
#include "unit.h"

struct lookup_case {
	unsigned long addr;
	const char *name;	/* NULL: no function there */
	unsigned long start, size;
};

TEST(kallsyms_lookup_finds_the_function_at_each_boundary)
{
	static const struct lookup_case cases[] = {
		{ 0xfff, NULL, 0, 0 },
		{ 0x1000, "first_func", 0x1000, 0x20 }, { 0x101f, "first_func", 0x1000, 0x20 },
		{ 0x1020, "static_helper", 0x1020, 0x10 },
		{ 0x1030, "no_size_given", 0x1030, 0x10 },	/* size: to the next symbol */
		{ 0x1048, "weak_one_byte", 0x1048, 1 }, { 0x1049, NULL, 0, 0 },
		{ 0x1fff, NULL, 0, 0 }, { 0x2000, "after_a_gap", 0x2000, 0x100 },
		{ HOST_TRAMP_ADDR, "host_tramp", HOST_TRAMP_ADDR, HOST_TRAMP_SIZE },
		{ 0x2140, NULL, 0, 0 },			/* data symbols are not functions */
		{ 0x3000, NULL, 0, 0 },			/* _text_end names a place */
		{ 0xffffffffffffff00UL, "ends_at_the_top_of_the_address_space",
		  0xffffffffffffff00UL, 0x100 },
		{ 0xffffffffffffffffUL, "ends_at_the_top_of_the_address_space",
		  0xffffffffffffff00UL, 0x100 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long start = 1, size = 1;
		const char *name = kallsyms_lookup(cases[i].addr, &start, &size);

		if (!cases[i].name) {
			CHECK(!name, "%#lx: found %s", cases[i].addr, name);
			continue;
		}
		CHECK(name && !ref_strcmp(name, cases[i].name) && start == cases[i].start &&
		      size == cases[i].size, "%#lx: %s %#lx/%#lx, want %s", cases[i].addr,
		      name ? name : "(none)", start, size, cases[i].name);
	}
	const char *alias = kallsyms_lookup(0x1044, NULL, NULL);

	CHECK(alias && (!ref_strcmp(alias, "alias_a") || !ref_strcmp(alias, "alias_b")),
	      "an alias: %s", alias ? alias : "(none)");
}

TEST(kallsyms_lookup_name_finds_every_function_and_nothing_else)
{
	unsigned long addr, size;

	for (unsigned int i = 0; i < kallsyms_count(); i++) {
		const char *name = kallsyms_name(i, &addr, NULL);

		unsigned long found = kallsyms_lookup_name(name, &size);

		/* one of the functions of that name (static_helper has two) */
		CHECK(found == addr || !ref_strcmp(kallsyms_lookup(found, NULL, NULL), name),
		      "%s", name);
	}
	CHECK(kallsyms_lookup_name("first_func", &size) == 0x1000 && size == 0x20, "size");
	CHECK(kallsyms_lookup_name("not_a_function", NULL) == 0, "a data symbol");
	CHECK(kallsyms_lookup_name("", NULL) == 0, "the empty name");
	CHECK(kallsyms_lookup_name("first_fun", NULL) == 0, "a prefix");
	CHECK(kallsyms_lookup_name("zzz", NULL) == 0 && kallsyms_lookup_name("A", NULL) == 0,
	      "past either end");
	CHECK(kallsyms_name(kallsyms_count(), NULL, NULL) == NULL, "index past the end");
}

static void collect(unsigned long addr, void *arg)
{
	unsigned long *v = arg;

	if (v[0] < 4)
		v[1 + v[0]] = addr;
	v[0]++;
}

TEST(kallsyms_for_each_named_finds_every_function_of_a_name)
{
	unsigned long v[5] = { 0 };

	CHECK(kallsyms_for_each_named("static_helper", collect, v) == 2 && v[0] == 2, "two");
	CHECK((v[1] == 0x1020 && v[2] == 0x2200) || (v[1] == 0x2200 && v[2] == 0x1020),
	      "%#lx %#lx", v[1], v[2]);
	for (unsigned int i = 0; i < kallsyms_count(); i++) {
		unsigned long addr, w[5] = { 0 };
		const char *name = kallsyms_name(i, &addr, NULL);

		kallsyms_for_each_named(name, collect, w);
		CHECK(w[0] >= 1 && (w[1] == addr || w[2] == addr), "%s", name);
	}
	v[0] = 0;
	CHECK(kallsyms_for_each_named("static_help", collect, v) == 0 && !v[0], "a prefix");
	CHECK(kallsyms_for_each_named("not_a_function", collect, v) == 0, "a data symbol");
	CHECK(kallsyms_for_each_named("", collect, v) == 0, "the empty name");
	CHECK(kallsyms_for_each_named("zzz", collect, v) == 0 &&
	      kallsyms_for_each_named("A", collect, v) == 0, "past either end");
}

TEST(sprint_symbol_is_pS)
{
	char buf[64];

	sprint_symbol(buf, sizeof(buf), 0x2010);
	CHECK_STR(buf, "after_a_gap+0x10/0x100");
	sprint_symbol_name(buf, sizeof(buf), 0x2010);
	CHECK_STR(buf, "after_a_gap");
	sprint_symbol(buf, sizeof(buf), 0x5);
	CHECK_STR(buf, "0x5");
}
