/*
 * unit.c - runs every TEST() linked into the host unit-test program, in
 * registration order (optionally only those whose name contains argv[1]),
 * and prints KTAP: "ok N name" / "not ok N name" with "# " diagnostics.
 * Exits 1 when any test failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

static struct unit_test *first, **last = &first;
static int failures;		/* of the running test */

void unit_register(struct unit_test *t)
{
	*last = t;
	last = &t->next;
}

void unit_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	printf("# %s:%d: CHECK(%s) failed: ", file, line, cond);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	int n = 0, i = 0, failed = 0;

	for (struct unit_test *t = first; t; t = t->next)
		n += !only || strstr(t->name, only);
	printf("KTAP version 1\n1..%d\n", n);
	for (struct unit_test *t = first; t; t = t->next) {
		if (only && !strstr(t->name, only))
			continue;
		failures = 0;
		t->fn();
		printf("%sok %d %s\n", failures ? "not " : "", ++i, t->name);
		failed += failures != 0;
		fflush(stdout);
	}
	printf("# %d of %d failed\n", failed, n);
	return failed != 0;
}
