/* shell.h - console shell commands and the tiny tracing-file namespace. */
#ifndef SHELL_H
#define SHELL_H

#include "types.h"

#define SHELL_MAX_ARGS 16

struct shell_cmd {
	const char *name;
	const char *usage;	/* arguments, "" if none */
	const char *help;	/* one line */
	int (*fn)(int argc, char **argv);	/* 0 or -errno */
	bool redirect;		/* takes `> FILE` / `>> FILE` (shell_redirect()) */
};

/* A parsed command line: its words and at most one redirection. */
struct shell_args {
	int argc;
	char *argv[SHELL_MAX_ARGS];
	const char *redirect;	/* the file after '>' or '>>', NULL if none */
	bool append;		/* '>>' */
};

/*
 * shell_parse - split @line in place into words (blanks separate them,
 * '...' and "..." quote) and one `> FILE` or `>> FILE` (kernel/shell/
 * parse.c has the grammar).  Returns 0, -E2BIG for more than
 * SHELL_MAX_ARGS words, or -EINVAL (unterminated quote, a '>' without a
 * file name, two redirections); on error *@why says which, for the
 * caller's error line.  Pure: no output, no global state.
 */
int shell_parse(char *line, struct shell_args *a, const char **why);
/*
 * shell_join - @argv[0..@argc) joined by single spaces into @buf (@size
 * bytes, always terminated when @size > 0; what does not fit is cut).
 * Returns the length stored.  `echo` prints and `panic` reports this.
 */
int shell_join(char *buf, size_t size, int argc, char **argv);

/*
 * shell_redirect - for a command marked `redirect`: the file its output
 * goes to (NULL: the console), and in *@append whether it was `>>`.
 */
const char *shell_redirect(bool *append);

/* The command table (kernel/shell/cmds.c), terminated by a NULL name. */
extern const struct shell_cmd shell_cmds[];

/*
 * shell_register_cmds - add a subsystem's NULL-terminated command table
 * (tracing, stress...).  Boot CPU, before the prompt.  -ENOSPC when full.
 */
int shell_register_cmds(const struct shell_cmd *table);
/* shell_exec_line - run one command line as if typed (for `repeat`). */
int shell_exec_line(const char *line);

/*
 * cmd_err - print the command's one error line "error: <msg> (<err>)" and
 * return @err (negative errno), so commands end with `return cmd_err(...)`.
 */
int cmd_err(int err, const char *fmt, ...) __printf(2, 3);

/*
 * A file in the console's file namespace.  read() prints the whole content
 * to the console (files can be far larger than any buffer); write() gets the
 * text after `echo` without the trailing newline and returns 0 or -errno,
 * having printed nothing (the shell prints the error).  A NULL write makes
 * the file read-only, a NULL read write-only (trace_marker).
 *
 * Files that belong to an object created at run time (a live patch's
 * livepatch/<patch>/... files, as sysfs attributes belong to a kobject)
 * embed their tfile in a struct of their own and find it again with
 * container_of(fs_current(), ...) from read() or write().
 */
struct tfile {
	const char *name;
	void (*read)(void);
	int (*write)(const char *text, bool append);
};

/* fs_register - add a file; -EEXIST for a taken name, -ENOSPC when full. */
int fs_register(const struct tfile *f);
/*
 * fs_unregister - remove @f (registered earlier; the others keep their
 * order).  Console context, like every file operation: no command can be
 * reading @f meanwhile.  -ENOENT if @f is not registered.
 */
int fs_unregister(const struct tfile *f);
/*
 * fs_read / fs_write - run @f's read() / write() (0 or -errno; -EPERM when
 * it has none), with fs_current() giving @f meanwhile.
 */
void fs_read(const struct tfile *f);
int fs_write(const struct tfile *f, const char *text, bool append);
/* fs_current - the file whose read() / write() runs now, else NULL. */
const struct tfile *fs_current(void);
const struct tfile *fs_lookup(const char *name);
unsigned int fs_count(void);
const struct tfile *fs_index(unsigned int i);
void fs_init(void);

#endif /* SHELL_H */
