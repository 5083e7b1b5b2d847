/*
 * fuzz_line_edit.c - the console line editor (kernel/shell/line_edit.c)
 * and the command-line parser (kernel/shell/parse.c) on arbitrary input
 * bytes, as a paste of binary junk into the console would feed them.
 *
 * Oracle: a tiny terminal interprets the editor's echo (printables,
 * backspace, CR, ESC [ K, newline); whenever a byte completes nothing, the
 * terminal's line must read exactly prompt + the editor's buffer.  Every
 * completed line is parsed and joined back (shell_parse, shell_join) into
 * exact-size heap buffers.
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "line_edit.h"
#include "shell.h"
#include "ref.h"

#define PROMPT "tb# "

static struct {
	char line[LINE_MAX + 64];
	size_t len, cursor;
	int esc;		/* 0, 1 after ESC, 2 after ESC [ */
} term;

static void term_put(char c)
{
	if (term.esc == 1) {
		term.esc = c == '[' ? 2 : 0;
		return;
	}
	if (term.esc == 2) {
		FUZZ_ASSERT(c == 'K', "the editor sent ESC [ %#x", (unsigned char)c);
		term.len = term.cursor;	/* erase to end of line */
		term.esc = 0;
		return;
	}
	if (c == 0x1b) {
		term.esc = 1;
	} else if (c == '\n') {
		term.len = term.cursor = 0;
	} else if (c == '\r') {
		term.cursor = 0;
	} else if (c == '\b') {
		FUZZ_ASSERT(term.cursor > 0, "backspace at column 0");
		term.cursor--;
	} else {
		FUZZ_ASSERT(c >= 0x20 && c <= 0x7e, "the editor echoed %#x", (unsigned char)c);
		FUZZ_ASSERT(term.cursor < sizeof(term.line), "line past %zu columns", term.cursor);
		term.line[term.cursor++] = c;
		if (term.cursor > term.len)
			term.len = term.cursor;
	}
}

static void echo(void *ctx, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		term_put(s[i]);
}

/* The terminal shows prompt + buffer, then only blanks left by "\b \b". */
static void check_screen(const struct line_editor *l)
{
	size_t p = sizeof(PROMPT) - 1;

	FUZZ_ASSERT(l->len <= LINE_MAX && l->buf[l->len] == 0 &&
		    ref_strnlen(l->buf, LINE_MAX + 1) == l->len, "buffer length %zu", l->len);
	FUZZ_ASSERT(term.cursor == p + l->len, "cursor at %zu, line %zu long", term.cursor,
		    p + l->len);
	FUZZ_ASSERT(!ref_memcmp(term.line, PROMPT, p) && !ref_memcmp(term.line + p, l->buf, l->len),
		    "the screen does not show the line");
	for (size_t i = term.cursor; i < term.len; i++)
		FUZZ_ASSERT(term.line[i] == ' ', "stale %#x at column %zu", term.line[i], i);
}

static void run_line(const char *text)
{
	size_t n = ref_strnlen(text, LINE_MAX + 1);
	char *buf = malloc(n + 1), *joined = malloc(LINE_MAX + 1);
	struct shell_args a;
	const char *why = NULL;
	int err, len;

	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(text[i] >= 0x20 && text[i] <= 0x7e, "line holds %#x", text[i]);
	ref_memmove(buf, text, n + 1);
	err = shell_parse(buf, &a, &why);
	if (err) {
		FUZZ_ASSERT((err == -EINVAL || err == -E2BIG) && why, "parse error %d", err);
	} else {
		FUZZ_ASSERT(a.argc >= 0 && a.argc <= SHELL_MAX_ARGS, "argc %d", a.argc);
		for (int i = 0; i < a.argc; i++)
			FUZZ_ASSERT(a.argv[i] >= buf && a.argv[i] <= buf + n, "argv outside the line");
		FUZZ_ASSERT(!a.redirect || (a.redirect >= buf && a.redirect <= buf + n),
			    "redirect outside the line");
		len = shell_join(joined, LINE_MAX + 1, a.argc, a.argv);
		FUZZ_ASSERT((size_t)len <= n && ref_strnlen(joined, LINE_MAX + 1) == (size_t)len,
			    "joined %d bytes from a %zu-byte line", len, n);
	}
	free(buf);
	free(joined);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line_editor *l = malloc(sizeof(*l));

	memset(&term, 0, sizeof(term));
	line_init(l, PROMPT, echo, NULL);
	line_start(l);
	check_screen(l);
	for (size_t i = 0; i < size; i++) {
		switch (line_feed(l, data[i])) {
		case LINE_NONE:
			if (!l->esc)	/* mid-sequence nothing is drawn yet */
				check_screen(l);
			continue;
		case LINE_READY:
			run_line(l->buf);
			break;
		case LINE_TOO_LONG:
			FUZZ_ASSERT(l->too_long, "too long without the flag");
			break;
		case LINE_BAD_BYTE:
			FUZZ_ASSERT(l->bad_byte >= 0 && l->bad_byte <= 0xff &&
				    (l->bad_byte < 0x20 || l->bad_byte > 0x7e),
				    "bad byte %#x", l->bad_byte);
			break;
		}
		FUZZ_ASSERT(term.len == 0 && term.cursor == 0, "Enter did not end the line");
		line_start(l);
		check_screen(l);
	}
	free(l);
	return 0;
}
