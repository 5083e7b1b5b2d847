/*
 * unit.h - a minimal unit-test harness for the host tests: TEST(name)
 * registers a function, CHECK(cond, fmt, ...) records a failure with a
 * message and carries on, and unit.c runs them all, printing KTAP
 * (tests/test_host_sanitizers.py parses it).
 */
#ifndef HOST_UNIT_H
#define HOST_UNIT_H

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);
void unit_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define TEST(name)							\
	static void name(void);						\
	static struct unit_test name##_test = { #name, name, 0 };	\
	__attribute__((constructor)) static void name##_register(void)	\
	{								\
		unit_register(&name##_test);				\
	}								\
	static void name(void)

/* CHECK - @cond must hold; otherwise report "@fmt ..." and continue. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond))						\
			unit_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

/* CHECK_STR - two C strings must be equal (shows both when not). */
#define CHECK_STR(got, want, ...)					\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (ref_strcmp(g_, w_))					\
			unit_fail(__FILE__, __LINE__, #got " == " #want,	\
				  "got \"%s\", want \"%s\"", g_, w_);	\
	} while (0)

#endif /* HOST_UNIT_H */
