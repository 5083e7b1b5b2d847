/*
 * test_parse.c - kernel/shell/parse.c: words, quotes and the one
 * redirection of a command line, and shell_join() back.
 */
#include <stdlib.h>

#include "host.h"
#include "shell.h"
#include "ref.h"
#include "unit.h"

/* parse - @line (copied) -> "argv0|argv1|... >file" or "error: why (err)". */
static const char *parse(const char *line)
{
	static char out[2048];
	char *buf = malloc(ref_strnlen(line, 4096) + 1);
	struct shell_args a;
	const char *why = "?";
	int n = 0, err;

	strlcpy(buf, line, ref_strnlen(line, 4096) + 1);
	err = shell_parse(buf, &a, &why);
	if (err) {
		snprintf(out, sizeof(out), "error: %s (%d)", why, err);
	} else {
		for (int i = 0; i < a.argc; i++)
			n += scnprintf(out + n, sizeof(out) - n, "%s%s", i ? "|" : "", a.argv[i]);
		if (a.redirect)
			scnprintf(out + n, sizeof(out) - n, " %s%s", a.append ? ">>" : ">",
				  a.redirect);
		if (!a.argc && !a.redirect)
			out[0] = 0;
	}
	free(buf);
	return out;
}

TEST(parse_splits_words_and_honours_quotes)
{
	CHECK_STR(parse("echo hello world"), "echo|hello|world");
	CHECK_STR(parse("  \techo\t  x  "), "echo|x");
	CHECK_STR(parse(""), "");
	CHECK_STR(parse("   "), "");
	CHECK_STR(parse("echo 'a b' \"c d\" e'f g'h"), "echo|a b|c d|ef gh");
	CHECK_STR(parse("echo '' x"), "echo||x");
	CHECK_STR(parse("echo \"it's\""), "echo|it's");
	CHECK_STR(parse("echo 'abc"), "error: unterminated quote (-22)");
}

TEST(parse_takes_one_redirection_anywhere_quoted_gt_is_text)
{
	CHECK_STR(parse("echo x > scratch"), "echo|x >scratch");
	CHECK_STR(parse("echo x >> scratch"), "echo|x >>scratch");
	CHECK_STR(parse("echo x>scratch"), "echo|x >scratch");
	CHECK_STR(parse("echo x>>scratch y"), "echo|x|y >>scratch");
	CHECK_STR(parse("> f echo a"), "echo|a >f");
	CHECK_STR(parse("echo '>' f"), "echo|>|f");
	CHECK_STR(parse("echo a'>'b"), "echo|a>b");
	CHECK_STR(parse("echo x > 'my file'"), "echo|x >my file");
	CHECK_STR(parse("echo x >"), "error: '>' needs a file name (-22)");
	CHECK_STR(parse("echo >>"), "error: '>>' needs a file name (-22)");
	CHECK_STR(parse("echo >>>"), "error: '>>' needs a file name (-22)");
	CHECK_STR(parse("echo > > f"), "error: '>' needs a file name (-22)");
	CHECK_STR(parse("echo > a > b"), "error: only one '>' or '>>' per command (-22)");
	CHECK_STR(parse("echo > 'a"), "error: unterminated quote (-22)");
}

TEST(parse_limits_words_and_join_never_overruns)
{
	char line[128] = "w", *argv[40], *buf;
	int n;

	for (int i = 1; i < SHELL_MAX_ARGS; i++)
		strlcpy(line + 2 * i - 1, " w", 3);
	CHECK(parse(line)[0] == 'w', "%d words: %s", SHELL_MAX_ARGS, parse(line));
	strlcpy(line + 2 * SHELL_MAX_ARGS - 1, " w", 3);
	CHECK_STR(parse(line), "error: too many arguments (-7)");

	for (int i = 0; i < 40; i++)
		argv[i] = "0123456789";
	buf = malloc(100);			/* 40 words need 439 bytes */
	n = shell_join(buf, 100, 40, argv);
	CHECK(n == 99 && ref_strnlen(buf, 100) == 99, "joined %d", n);
	n = shell_join(buf, 1, 40, argv);
	CHECK(n == 0 && buf[0] == 0, "size 1: %d", n);
	CHECK(shell_join(buf, 0, 40, argv) == 0, "size 0");
	n = shell_join(buf, 100, 3, argv);
	CHECK_STR(buf, "0123456789 0123456789 0123456789");
	CHECK(n == 32, "joined %d", n);
	free(buf);
}
