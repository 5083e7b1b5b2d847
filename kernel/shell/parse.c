/*
 * parse.c - split a command line into words and its redirection, as a
 * POSIX shell would for this small grammar:
 *
 *   line  := { blank | word | redir }
 *   word  := { char | 'quoted' | "quoted" }      (no blank, no unquoted '>')
 *   redir := ('>' | '>>') blanks* word
 *
 * An unquoted '>' ends the word before it (`echo a>f` writes "a" to f); a
 * quoted one is text (`echo '>'` prints ">").  Pure logic on the caller's
 * buffer, no hardware: tests/host builds it for the host and fuzzes it.
 * shell_join() is the way back, for commands that take free text.
 */
#include "kernel.h"
#include "shell.h"

/*
 * read_word - copy the word at *@sp to itself, quotes removed, and
 * terminate it.  On return *@sp is past the word and the blank after it,
 * or at its '>' (which the terminator may have overwritten: *@op tells
 * whether one follows, and how many '>' it has).  0 or -EINVAL for an
 * unterminated quote.
 */
static int read_word(char **sp, int *op)
{
	char *s = *sp, *out = s;

	while (*s && *s != ' ' && *s != '\t' && *s != '>') {
		if (*s == '\'' || *s == '"') {
			char q = *s++;

			while (*s && *s != q)
				*out++ = *s++;
			if (!*s)
				return -EINVAL;
			s++;
		} else {
			*out++ = *s++;
		}
	}
	*op = *s != '>' ? 0 : s[1] == '>' ? 2 : 1;	/* read before out may hit it */
	if (*s == ' ' || *s == '\t')
		s++;
	*out = 0;
	*sp = s;
	return 0;
}

/*
 * shell_parse - see shell.h.  One pass: @op carries a '>' found at the end
 * of a word (whose terminator may have overwritten it) to the loop top.
 */
int shell_parse(char *s, struct shell_args *a, const char **why)
{
	bool want_file = false;
	int op = 0;

	a->argc = 0;
	a->redirect = NULL;
	a->append = false;
	for (;;) {
		if (op) {			/* a '>' or '>>' at s */
			if (want_file || a->redirect) {
				*why = !want_file ? "only one '>' or '>>' per command"
				       : a->append ? "'>>' needs a file name"
				       : "'>' needs a file name";
				return -EINVAL;
			}
			a->append = op == 2;
			s += op;
			want_file = true;
			op = 0;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '>') {
			op = s[1] == '>' ? 2 : 1;
			continue;
		}
		char *word = s;

		if (read_word(&s, &op)) {
			*why = "unterminated quote";
			return -EINVAL;
		}
		if (want_file) {
			a->redirect = word;
			want_file = false;
		} else if (a->argc == SHELL_MAX_ARGS) {
			*why = "too many arguments";
			return -E2BIG;
		} else {
			a->argv[a->argc++] = word;
		}
	}
	if (want_file) {
		*why = a->append ? "'>>' needs a file name" : "'>' needs a file name";
		return -EINVAL;
	}
	return 0;
}

/* shell_join - see shell.h; scnprintf, so n never passes the buffer. */
int shell_join(char *buf, size_t size, int argc, char **argv)
{
	int n = 0;

	if (!size)
		return 0;
	buf[0] = 0;
	for (int i = 0; i < argc; i++)
		n += scnprintf(buf + n, size - n, "%s%s", i ? " " : "", argv[i]);
	return n;
}
