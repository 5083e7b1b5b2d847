/*
 * line_edit.h - the console line editor (kernel/shell/line_edit.c).
 *
 * Pure logic: it takes input bytes one at a time and writes its echo
 * through a callback, touching no hardware, so tests/host builds it for the
 * host and fuzzes it.  The shell (kernel/shell/shell.c) owns one editor,
 * feeds it console bytes and runs the lines it completes.
 * docs/console-protocol.md is the contract with the harness.
 */
#ifndef LINE_EDIT_H
#define LINE_EDIT_H

#include "types.h"

#define LINE_MAX	1024	/* longest line that runs */
#define LINE_HIST	32	/* history entries */

/* What a byte did: most do nothing visible to the caller. */
enum line_event {
	LINE_NONE,		/* byte consumed, line still being edited */
	LINE_READY,		/* Enter: buf holds a valid line (added to history) */
	LINE_TOO_LONG,		/* Enter on a line that went past LINE_MAX */
	LINE_BAD_BYTE,		/* Enter on a line with a non-printable byte */
};

struct line_editor {
	/* set by line_init() */
	const char *prompt;
	void (*out)(void *ctx, const char *s, size_t n);	/* the echo */
	void *ctx;
	/* the line being edited */
	char buf[LINE_MAX + 1];	/* NUL-terminated, printable bytes only */
	size_t len;
	bool too_long;
	int bad_byte;		/* first non-printable byte seen, or -1 */
	int esc;		/* 0, 1 after ESC, 2 after ESC [ */
	int hist_pos;		/* history entries back; 0 = the live line */
	bool last_cr;		/* previous byte was '\r' ("\r\n" is one Enter) */
	char history[LINE_HIST][LINE_MAX + 1];
	unsigned int hist_count;	/* total ever added */
};

/* line_init - an empty editor with no history; prints nothing. */
void line_init(struct line_editor *l, const char *prompt,
	       void (*out)(void *ctx, const char *s, size_t n), void *ctx);
/* line_start - begin a new line: clear it and print the prompt. */
void line_start(struct line_editor *l);
/*
 * line_feed - one input byte: edit, echo, and say whether Enter completed
 * a line.  After LINE_READY / LINE_TOO_LONG / LINE_BAD_BYTE the caller
 * acts on it (the error lines are its to print) and calls line_start().
 * @c is 0..255.
 */
enum line_event line_feed(struct line_editor *l, int c);

#endif /* LINE_EDIT_H */
