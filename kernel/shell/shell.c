/*
 * shell.c - the console line discipline and command dispatch.
 *
 * Reads bytes with console_getc() and edits one line: printable bytes are
 * echoed, backspace, Ctrl-U (kill line), Ctrl-C (abandon line), Up/Down
 * (history).  Over-long lines and non-printable bytes poison the line: it is
 * reported at Enter and never runs.  docs/console-protocol.md is the contract
 * with the harness; keep them in step.
 */
#include "kernel.h"
#include "arch.h"
#include "shell.h"

#define PROMPT		"tb# "
#define LINE_MAX	1024
#define HIST_SIZE	32

#define CTRL_C		0x03
#define CTRL_H		0x08
#define CTRL_U		0x15
#define ESC		0x1b
#define DEL		0x7f

struct line {
	char buf[LINE_MAX + 1];
	size_t len;
	bool too_long;
	int bad_byte;		/* first non-printable byte seen, or -1 */
	int esc;		/* 0, 1 after ESC, 2 after ESC [ */
	int hist_pos;		/* history entries back; 0 = the live line */
	bool last_cr;
};

#define MAX_CMD_TABLES 16

static const struct shell_cmd *cmd_tables[MAX_CMD_TABLES] = { shell_cmds };
static char history[HIST_SIZE][LINE_MAX + 1];
static unsigned int hist_count;		/* total ever added */
static bool cmd_err_printed;

int cmd_err(int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk_raw("error: %s (%d)\n", msg, err);
	cmd_err_printed = true;
	return err;
}

static void line_reset(struct line *l)
{
	l->len = 0;
	l->buf[0] = 0;
	l->too_long = false;
	l->bad_byte = -1;
	l->esc = 0;
	l->hist_pos = 0;
}

static void redraw(struct line *l)
{
	printk_raw("\r\x1b[K" PROMPT "%s", l->buf);
}

static void hist_add(const char *s)
{
	if (!*s)
		return;
	if (hist_count && !strcmp(history[(hist_count - 1) % HIST_SIZE], s))
		return;
	strlcpy(history[hist_count % HIST_SIZE], s, sizeof(history[0]));
	hist_count++;
}

/* hist_move - Up (@dir = +1) or Down (-1) through the history. */
static void hist_move(struct line *l, int dir)
{
	int avail = hist_count < HIST_SIZE ? (int)hist_count : HIST_SIZE;
	int pos = l->hist_pos + dir;

	if (pos < 0 || pos > avail)
		return;
	l->hist_pos = pos;
	if (pos == 0)
		l->buf[0] = 0;
	else
		strlcpy(l->buf, history[(hist_count - pos) % HIST_SIZE], sizeof(l->buf));
	l->len = strlen(l->buf);
	redraw(l);
}

/* tokenize - split @s in place on blanks, honouring '...' and "..." quotes. */
static int tokenize(char *s, char **argv, int max)
{
	int argc = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (argc == max)
			return -E2BIG;
		char *out = s;

		argv[argc++] = out;
		while (*s && *s != ' ' && *s != '\t') {
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
		if (*s)
			s++;
		*out = 0;
	}
	return argc;
}

int shell_register_cmds(const struct shell_cmd *table)
{
	for (int i = 0; i < MAX_CMD_TABLES; i++)
		if (!cmd_tables[i]) {
			cmd_tables[i] = table;
			return 0;
		}
	return -ENOSPC;
}

/* shell_for_each_cmd - the @i-th command over all tables, or NULL. */
const struct shell_cmd *shell_cmd_at(int i)
{
	for (int t = 0; t < MAX_CMD_TABLES && cmd_tables[t]; t++)
		for (const struct shell_cmd *c = cmd_tables[t]; c->name; c++)
			if (i-- == 0)
				return c;
	return NULL;
}

/* shell_exec - run one command line (already validated); 0 or -errno. */
static int shell_exec(char *line)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = tokenize(line, argv, SHELL_MAX_ARGS);

	const struct shell_cmd *c;

	if (argc == -E2BIG)
		return cmd_err(argc, "too many arguments (max %d)", SHELL_MAX_ARGS);
	if (argc < 0)
		return cmd_err(argc, "unterminated quote");
	if (argc == 0)
		return 0;
	for (int i = 0; (c = shell_cmd_at(i)); i++) {
		if (strcmp(c->name, argv[0]))
			continue;
		cmd_err_printed = false;
		int err = c->fn(argc, argv);

		if (err < 0 && !cmd_err_printed)
			cmd_err(err, "%s failed: %s", argv[0], errno_name(err));
		return err;
	}
	printk_raw("error: unknown command '%s' (try 'help')\n", argv[0]);
	return -ENOENT;
}

int shell_exec_line(const char *line)
{
	char buf[LINE_MAX + 1];

	strlcpy(buf, line, sizeof(buf));
	return shell_exec(buf);
}

static void enter(struct line *l)
{
	printk_raw("\n");
	if (l->too_long) {
		printk_raw("error: line too long (max %d bytes)\n", LINE_MAX);
	} else if (l->bad_byte >= 0) {
		printk_raw("error: non-printable byte 0x%02x in input, line discarded\n",
			   l->bad_byte);
	} else {
		hist_add(l->buf);
		shell_exec(l->buf);
	}
	line_reset(l);
	printk_raw(PROMPT);
}

/* escape - feed one byte of an ESC [ x sequence; true when consumed. */
static bool escape(struct line *l, int c)
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

static void input_byte(struct line *l, int c)
{
	bool after_cr = l->last_cr;

	l->last_cr = (c == '\r');
	if (l->esc && escape(l, c))
		return;
	if (c == '\n' && after_cr)
		return;			/* "\r\n" is one Enter */
	if (c == '\r' || c == '\n') {
		enter(l);
	} else if (c == CTRL_C) {
		printk_raw("^C\n" PROMPT);
		line_reset(l);
	} else if (c == CTRL_U) {
		line_reset(l);
		redraw(l);
	} else if (c == DEL || c == CTRL_H) {
		if (l->len && !l->too_long) {
			l->buf[--l->len] = 0;
			printk_raw("\b \b");
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
		console_write((char *)&l->buf[l->len - 1], 1);
	}
}

/* shell_run - the console loop; never returns.  Interrupts must be on. */
void shell_run(void)
{
	static struct line l;

	fs_init();
	line_reset(&l);
	printk_raw(PROMPT);
	for (;;)
		input_byte(&l, console_getc());
}
