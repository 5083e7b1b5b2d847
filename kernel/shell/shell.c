/*
 * shell.c - command dispatch on top of the console line editor.
 *
 * The editor (line_edit.c) turns console bytes into lines; this file runs
 * them: parse (parse.c), find the command in the registered tables, run
 * it with its redirection, and make sure a failure prints exactly one
 * `error:` line.  docs/console-protocol.md is the contract with the
 * harness; keep them in step.
 */
#include "kernel.h"
#include "arch.h"
#include "shell.h"
#include "line_edit.h"

#define PROMPT		"tb# "
#define MAX_CMD_TABLES	16

static const struct shell_cmd *cmd_tables[MAX_CMD_TABLES] = { shell_cmds };
static bool cmd_err_printed;		/* the running command printed its error */
static const struct shell_args *cur_args;	/* the running command's */

/* cmd_err - see shell.h.  %pV: the message is printed whole, with no buffer. */
int cmd_err(int err, const char *fmt, ...)
{
	va_list ap;
	struct va_format vaf = { fmt, &ap };

	va_start(ap, fmt);
	printk_raw("error: %pV (%d)\n", &vaf, err);
	va_end(ap);
	cmd_err_printed = true;
	return err;
}

/* shell_register_cmds - see shell.h. */
int shell_register_cmds(const struct shell_cmd *table)
{
	for (int i = 0; i < MAX_CMD_TABLES; i++)
		if (!cmd_tables[i]) {
			cmd_tables[i] = table;
			return 0;
		}
	return -ENOSPC;
}

/* shell_cmd_at - the @i-th command over all tables, or NULL (for `help`). */
const struct shell_cmd *shell_cmd_at(int i)
{
	for (int t = 0; t < MAX_CMD_TABLES && cmd_tables[t]; t++)
		for (const struct shell_cmd *c = cmd_tables[t]; c->name; c++)
			if (i-- == 0)
				return c;
	return NULL;
}

/* find_cmd - the command called @name, over all tables, or NULL. */
static const struct shell_cmd *find_cmd(const char *name)
{
	const struct shell_cmd *c;

	for (int i = 0; (c = shell_cmd_at(i)); i++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* shell_redirect - see shell.h: the running command's parsed redirection. */
const char *shell_redirect(bool *append)
{
	*append = cur_args && cur_args->append;
	return cur_args ? cur_args->redirect : NULL;
}

/*
 * shell_exec - run one command line (already validated by the editor);
 * 0 or -errno.  A failure prints exactly one `error:` line: the command's
 * own, or a generic one if it printed none.  Reentrant: `repeat` runs
 * command lines through it; an error line printed by such a nested line
 * counts as the outer command's (repeat returns that line's error).
 */
static int shell_exec(char *line)
{
	const struct shell_args *outer = cur_args;
	const struct shell_cmd *c;
	struct shell_args a;
	const char *why = "";
	int err = shell_parse(line, &a, &why);

	cmd_err_printed = false;
	if (err == -E2BIG)
		return cmd_err(err, "too many arguments (max %d)", SHELL_MAX_ARGS);
	if (err)
		return cmd_err(err, "%s", why);
	if (a.argc == 0)
		return a.redirect ? cmd_err(-EINVAL, "no command before '>'") : 0;
	c = find_cmd(a.argv[0]);
	if (!c) {
		printk_raw("error: unknown command '%s' (try 'help')\n", a.argv[0]);
		cmd_err_printed = true;
		return -ENOENT;
	}
	if (a.redirect && !c->redirect)
		return cmd_err(-EINVAL, "'%s' does not write to files", c->name);
	cur_args = &a;
	err = c->fn(a.argc, a.argv);
	cur_args = outer;
	if (err < 0 && !cmd_err_printed)
		cmd_err(err, "%s failed: %s", a.argv[0], errno_name(err));
	return err;
}

/*
 * shell_exec_line - see shell.h.  Works on a copy (parsing writes into the
 * line); a line longer than the console allows is refused, never cut.
 */
int shell_exec_line(const char *line)
{
	char buf[LINE_MAX + 1];

	if (strlcpy(buf, line, sizeof(buf)) >= sizeof(buf))
		return cmd_err(-E2BIG, "command line too long (max %d bytes)", LINE_MAX);
	return shell_exec(buf);
}

/* console_out - the line editor's echo: raw bytes to the console. */
static void console_out(void *ctx, const char *s, size_t n)
{
	console_write(s, n);
}

/* shell_run - the console loop; never returns.  Interrupts must be on. */
void shell_run(void)
{
	static struct line_editor ed;	/* 33 KiB with its history: not on the stack */

	fs_init();
	line_init(&ed, PROMPT, console_out, NULL);
	line_start(&ed);
	for (;;) {
		switch (line_feed(&ed, console_getc())) {
		case LINE_NONE:
			continue;
		case LINE_READY:
			shell_exec(ed.buf);
			break;
		case LINE_TOO_LONG:
			printk_raw("error: line too long (max %d bytes)\n", LINE_MAX);
			break;
		case LINE_BAD_BYTE:
			printk_raw("error: non-printable byte 0x%02x in input, line discarded\n",
				   ed.bad_byte);
			break;
		}
		line_start(&ed);
	}
}
