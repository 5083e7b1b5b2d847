/*
 * test_line_edit.c - kernel/shell/line_edit.c: the console line
 * discipline of docs/console-protocol.md, byte by byte, with the echo
 * captured through the editor's callback.
 */
#include <stdlib.h>

#include "host.h"
#include "line_edit.h"
#include "ref.h"
#include "unit.h"

static char echo[65536];
static size_t echo_len;

static void capture(void *ctx, const char *s, size_t n)
{
	if (echo_len + n < sizeof(echo)) {
		memcpy(echo + echo_len, s, n);
		echo_len += n;
		echo[echo_len] = 0;
	}
}

/* An editor on the heap (ASan sees its bounds), prompt printed, echo empty. */
static struct line_editor *editor(void)
{
	struct line_editor *l = malloc(sizeof(*l));

	line_init(l, "tb# ", capture, NULL);
	line_start(l);
	echo_len = 0;
	echo[0] = 0;
	return l;
}

/* feed - all of @s (length @n); returns the last non-NONE event, or NONE. */
static enum line_event feed(struct line_editor *l, const char *s, size_t n)
{
	enum line_event last = LINE_NONE;

	for (size_t i = 0; i < n; i++) {
		enum line_event e = line_feed(l, (unsigned char)s[i]);

		if (e != LINE_NONE)
			last = e;
	}
	return last;
}
#define FEED(l, lit) feed(l, lit, sizeof(lit) - 1)

TEST(line_edit_echoes_printables_and_enter_completes_the_line)
{
	struct line_editor *l = editor();

	CHECK(FEED(l, "help") == LINE_NONE, "no event before Enter");
	CHECK_STR(echo, "help");
	CHECK(FEED(l, "\r") == LINE_READY, "Enter");
	CHECK_STR(l->buf, "help");
	CHECK_STR(echo, "help\n");
	line_start(l);
	CHECK(FEED(l, "\n") == LINE_NONE, "the \\n of \\r\\n is not a second Enter");
	CHECK(FEED(l, "\n") == LINE_READY && l->buf[0] == 0, "a lone \\n is an Enter");
	free(l);
}

TEST(line_edit_backspace_ctrl_u_and_ctrl_c)
{
	struct line_editor *l = editor();

	FEED(l, "hepl\x7f\x7f" "lp");
	CHECK_STR(l->buf, "help");
	CHECK_STR(echo, "hepl\b \b\b \blp");
	echo_len = 0;
	FEED(l, "\x08\x08\x08\x08\x08\x08");	/* more than there is */
	CHECK(l->len == 0, "len %zu", l->len);
	FEED(l, "garbage\x15");
	CHECK(l->len == 0, "Ctrl-U left %zu bytes", l->len);
	CHECK(ref_strstr(echo, "\r\x1b[Ktb# ") != NULL, "Ctrl-U redraws: %s", echo);
	echo_len = 0;
	FEED(l, "abc\x03");
	CHECK_STR(echo, "abc^C\ntb# ");
	CHECK(l->len == 0, "Ctrl-C keeps the line");
	free(l);
}

TEST(line_edit_rejects_long_lines_and_non_printable_bytes_at_enter)
{
	struct line_editor *l = editor();
	char *big = malloc(LINE_MAX + 10);

	memset(big, 'a', LINE_MAX + 10);
	CHECK(feed(l, big, LINE_MAX) == LINE_NONE && l->len == LINE_MAX, "a full line");
	CHECK(feed(l, big, 10) == LINE_NONE && l->too_long, "past the limit");
	CHECK(echo_len == LINE_MAX, "echoed %zu bytes past the limit", echo_len - LINE_MAX);
	FEED(l, "\x7f");
	CHECK(l->len == LINE_MAX, "backspace on a poisoned line edits it");
	CHECK(FEED(l, "\r") == LINE_TOO_LONG, "too long at Enter");
	line_start(l);
	CHECK(FEED(l, "ab\x01" "c\x80\r") == LINE_BAD_BYTE && l->bad_byte == 1,
	      "bad byte 0x%x", l->bad_byte);
	line_start(l);
	CHECK(FEED(l, "\x1bxy\r") == LINE_BAD_BYTE && l->bad_byte == 0x1b, "ESC not followed by [");
	line_start(l);
	CHECK(FEED(l, "\x1b[\x03ok\r") == LINE_READY, "ESC [ takes Ctrl-C as its final byte");
	CHECK_STR(l->buf, "ok");
	free(big);
	free(l);
}

TEST(line_edit_history_recalls_dedups_and_wraps)
{
	struct line_editor *l = editor();
	char line[16];

	for (int i = 0; i < 40; i++) {
		int n = snprintf(line, sizeof(line), "cmd%d\r", i);

		CHECK(feed(l, line, n) == LINE_READY, "line %d", i);
		line_start(l);
	}
	FEED(l, "again\r");
	line_start(l);
	FEED(l, "again\r");			/* a repeat is stored once */
	line_start(l);
	FEED(l, "\x1b[A");
	CHECK_STR(l->buf, "again");
	FEED(l, "\x1b[A");
	CHECK_STR(l->buf, "cmd39");
	for (int i = 0; i < 40; i++)
		FEED(l, "\x1b[A");		/* stops at the oldest kept */
	CHECK_STR(l->buf, "cmd9");
	FEED(l, "\x1b[B");
	CHECK_STR(l->buf, "cmd10");
	for (int i = 0; i < 40; i++)
		FEED(l, "\x1b[B");
	CHECK(l->len == 0, "down past the newest is the empty live line");
	FEED(l, "junk\x01");
	FEED(l, "\x1b[A\r");
	CHECK_STR(l->buf, "again");		/* recalled: the poison went with "junk" */
	free(l);
}
