/*
 * line_edit.c - the console line discipline: printable bytes are echoed,
 * Backspace, Ctrl-U (kill line), Ctrl-C (abandon line), Up/Down (history).
 * Over-long lines and non-printable bytes poison the line: Enter reports
 * it to the caller and it never runs.
 *
 * No hardware and no global state: everything lives in the struct
 * line_editor the caller owns, and the echo goes through its callback
 * (line_edit.h says why).
 */
#include "kernel.h"
#include "line_edit.h"

#define CTRL_C		0x03
#define CTRL_H		0x08
#define CTRL_U		0x15
#define ESC		0x1b
#define DEL		0x7f

/* emit - @s through the editor's echo callback. */
static void emit(struct line_editor *l, const char *s)
{
	l->out(l->ctx, s, strlen(s));
}

/* line_reset - forget the line being edited (not the history). */
static void line_reset(struct line_editor *l)
{
	l->len = 0;
	l->buf[0] = 0;
	l->too_long = false;
	l->bad_byte = -1;
	l->esc = 0;
	l->hist_pos = 0;
}

/* redraw - the whole line again: "\r", erase to end of line, prompt, text. */
static void redraw(struct line_editor *l)
{
	emit(l, "\r\x1b[K");
	emit(l, l->prompt);
	emit(l, l->buf);
}

/* line_init / line_start / line_feed - see line_edit.h. */
void line_init(struct line_editor *l, const char *prompt,
	       void (*out)(void *ctx, const char *s, size_t n), void *ctx)
{
	l->prompt = prompt;
	l->out = out;
	l->ctx = ctx;
	l->hist_count = 0;
	l->last_cr = false;
	line_reset(l);
}

void line_start(struct line_editor *l)
{
	line_reset(l);
	emit(l, l->prompt);
}

/* hist_add - remember a line that ran, unless empty or a repeat of the last. */
static void hist_add(struct line_editor *l, const char *s)
{
	if (!*s)
		return;
	if (l->hist_count && !strcmp(l->history[(l->hist_count - 1) % LINE_HIST], s))
		return;
	strlcpy(l->history[l->hist_count % LINE_HIST], s, sizeof(l->history[0]));
	l->hist_count++;
}

/* hist_move - Up (@dir = +1) or Down (-1) through the history. */
static void hist_move(struct line_editor *l, int dir)
{
	int avail = l->hist_count < LINE_HIST ? (int)l->hist_count : LINE_HIST;
	int pos = l->hist_pos + dir;

	if (pos < 0 || pos > avail)
		return;
	l->hist_pos = pos;
	/* The recalled line replaces what was typed, poison included. */
	l->too_long = false;
	l->bad_byte = -1;
	if (pos == 0)
		l->buf[0] = 0;
	else
		strlcpy(l->buf, l->history[(l->hist_count - pos) % LINE_HIST], sizeof(l->buf));
	l->len = strlen(l->buf);
	redraw(l);
}

/* escape - feed one byte of an ESC [ x sequence; true when consumed. */
static bool escape(struct line_editor *l, int c)
{
	if (l->esc == 1) {
		l->esc = (c == '[') ? 2 : 0;
		if (c != '[' && l->bad_byte < 0)
			l->bad_byte = ESC;
		return c == '[';
	}
	l->esc = 0;
	if (c == 'A')
		hist_move(l, 1);
	else if (c == 'B')
		hist_move(l, -1);
	/* Other CSI finals (cursor left/right...) are ignored. */
	return true;
}

/* enter - Enter pressed: end the echoed line and classify what was typed. */
static enum line_event enter(struct line_editor *l)
{
	emit(l, "\n");
	if (l->too_long)
		return LINE_TOO_LONG;
	if (l->bad_byte >= 0)
		return LINE_BAD_BYTE;
	hist_add(l, l->buf);
	return LINE_READY;
}

enum line_event line_feed(struct line_editor *l, int c)
{
	bool after_cr = l->last_cr;

	l->last_cr = (c == '\r');
	if (l->esc && escape(l, c))
		return LINE_NONE;
	if (c == '\n' && after_cr)
		return LINE_NONE;		/* "\r\n" is one Enter */
	if (c == '\r' || c == '\n')
		return enter(l);
	if (c == CTRL_C) {
		emit(l, "^C\n");
		line_start(l);
	} else if (c == CTRL_U) {
		line_reset(l);
		redraw(l);
	} else if (c == DEL || c == CTRL_H) {
		if (l->len && !l->too_long) {
			l->buf[--l->len] = 0;
			emit(l, "\b \b");
		}
	} else if (c == ESC) {
		l->esc = 1;
	} else if (c < 0x20 || c > 0x7e) {
		if (l->bad_byte < 0)
			l->bad_byte = c;
	} else if (l->len == LINE_MAX || l->too_long) {
		l->too_long = true;
	} else {
		l->buf[l->len++] = (char)c;
		l->buf[l->len] = 0;
		l->out(l->ctx, &l->buf[l->len - 1], 1);
	}
	return LINE_NONE;
}
