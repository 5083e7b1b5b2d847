/*
 * cmds.c - the console commands.  Each returns 0 or a negative errno after
 * printing one `error:` line (cmd_err).  The table at the end is what `help`
 * lists; docs/console-protocol.md documents the output formats.
 */
#include "kernel.h"
#include "arch.h"
#include "shell.h"
#include "smp.h"
#include "line_edit.h"

void fault_null(void);
void fault_text(void);
long fault_stack_recurse(long depth);
void fault_breakpoint(void);

const struct shell_cmd *shell_cmd_at(int i);

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *c;

	for (int i = 0; (c = shell_cmd_at(i)); i++) {
		char head[128];	/* the whole usage, however long: help must not cut it */

		snprintf(head, sizeof(head), "%s %s", c->name, c->usage);
		printk_raw("%-28s %s\n", head, c->help);
	}
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	fs_lookup("version")->read();
	return 0;
}

static int cmd_cpus(int argc, char **argv)
{
	for (unsigned int cpu = 0; cpu < arch_nr_cpus(); cpu++) {
		char desc[64];

		if (!cpu_online(cpu))
			continue;
		arch_cpu_describe(cpu, desc, sizeof(desc));
		printk_raw("cpu%u: online %s\n", cpu, desc);
	}
	return 0;
}

static int cmd_meminfo(int argc, char **argv)
{
	size_t heap_total, heap_used;

	heap_stats(&heap_total, &heap_used);
	printk_raw("MemTotal:       %8lu kB\n", pages_total() * (PAGE_SIZE / 1024));
	printk_raw("MemFree:        %8lu kB\n", pages_free() * (PAGE_SIZE / 1024));
	printk_raw("HeapTotal:      %8lu kB\n", (unsigned long)heap_total / 1024);
	printk_raw("HeapUsed:       %8lu kB\n", (unsigned long)heap_used / 1024);
	printk_raw("KernelText:     %8lu kB\n",
		   (unsigned long)(_text_end - _text_start) / 1024);
	return 0;
}

/* sym NAME prints the address and size; sym ADDR prints name+off/size. */
static int cmd_sym(int argc, char **argv)
{
	unsigned long addr, size;
	char buf[160];

	if (argc != 2)
		return cmd_err(-EINVAL, "usage: sym NAME|ADDR");
	if (kstrtoul(argv[1], &addr) == 0) {
		if (!kallsyms_lookup(addr, NULL, NULL))
			return cmd_err(-ENOENT, "no function at 0x%lx", addr);
		sprint_symbol(buf, sizeof(buf), addr);
		printk_raw("%s\n", buf);
		return 0;
	}
	addr = kallsyms_lookup_name(argv[1], &size);
	if (!addr)
		return cmd_err(-ENOENT, "unknown symbol '%s'", argv[1]);
	printk_raw("%s: 0x%016lx size %lu\n", argv[1], addr, size);
	return 0;
}

typedef long (*call6_t)(long, long, long, long, long, long);

/*
 * call FUNC [INT ...] - call a kernel function with up to six integer
 * arguments.  Both ABIs pass them in registers, so unused ones are harmless.
 */
static int cmd_call(int argc, char **argv)
{
	long args[6] = { 0 }, ret;
	unsigned long addr;
	char line[256];
	int n;

	if (argc < 2 || argc > 8)
		return cmd_err(-EINVAL, "usage: call FUNC [INT ...] (up to 6 arguments)");
	addr = kallsyms_lookup_name(argv[1], NULL);
	if (!addr)
		return cmd_err(-ENOENT, "unknown function '%s'", argv[1]);
	for (int i = 2; i < argc; i++)
		if (kstrtol(argv[i], &args[i - 2]))
			return cmd_err(-EINVAL, "bad integer '%s'", argv[i]);
	ret = ((call6_t)addr)(args[0], args[1], args[2], args[3], args[4], args[5]);
	n = scnprintf(line, sizeof(line), "%s(", argv[1]);
	for (int i = 2; i < argc; i++)
		n += scnprintf(line + n, sizeof(line) - n, "%s%ld", i > 2 ? ", " : "",
			       args[i - 2]);
	printk_raw("%s) = %ld (0x%lx)\n", line, ret, ret);
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	for (unsigned int i = 0; i < fs_count(); i++) {
		const struct tfile *f = fs_index(i);

		printk_raw("%c%c %s\n", f->read ? 'r' : '-', f->write ? 'w' : '-', f->name);
	}
	return 0;
}

static int cmd_cat(int argc, char **argv)
{
	const struct tfile *f;

	if (argc != 2)
		return cmd_err(-EINVAL, "usage: cat FILE");
	f = fs_lookup(argv[1]);
	if (!f)
		return cmd_err(-ENOENT, "no such file '%s'", argv[1]);
	if (!f->read)
		return cmd_err(-EINVAL, "'%s' is write-only", f->name);
	fs_read(f);
	return 0;
}

/*
 * echo TEXT [> FILE | >> FILE]: the words joined by single spaces, to the
 * console or (the shell parsed the redirection) written to FILE.
 */
static int cmd_echo(int argc, char **argv)
{
	char text[LINE_MAX + 1];
	const struct tfile *f;
	bool append;
	const char *name = shell_redirect(&append);
	int err;

	shell_join(text, sizeof(text), argc - 1, argv + 1);
	if (!name) {
		printk_raw("%s\n", text);
		return 0;
	}
	f = fs_lookup(name);
	if (!f)
		return cmd_err(-ENOENT, "no such file '%s'", name);
	if (!f->write)
		return cmd_err(-EPERM, "'%s' is read-only", f->name);
	err = fs_write(f, text, append);
	if (err)
		return cmd_err(err, "write to '%s' failed: %s", f->name, errno_name(err));
	return 0;
}

/*
 * wc / grep: read a file with its output captured line by line (the file
 * can be far larger than memory allows to buffer: only one line is kept).
 */
static void cap_sink(const char *s, size_t n);

static struct {
	char line[1024];
	size_t len;
	unsigned long lines, words, bytes, matched;
	const char *pattern;	/* grep: substring, NULL for wc */
	bool invert, count_only;
	bool in_word;
} cap;

static void cap_line(void)
{
	cap.line[cap.len] = 0;
	if (cap.pattern) {
		bool hit = strstr(cap.line, cap.pattern) != NULL;

		if (hit != cap.invert) {
			cap.matched++;
			if (!cap.count_only) {
				console_set_sink(NULL);
				printk_raw("%s\n", cap.line);
				console_set_sink(cap_sink);
			}
		}
	}
	cap.len = 0;
}

static void cap_sink(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n';

		cap.bytes++;
		cap.words += !space && !cap.in_word;
		cap.in_word = !space;
		if (s[i] == '\n') {
			cap.lines++;
			cap_line();
		} else if (cap.len < sizeof(cap.line) - 1) {
			cap.line[cap.len++] = s[i];
		}
	}
}

/* capture - run @f's read() into cap_sink; 0 or -ENOENT. */
static int capture(const char *name)
{
	const struct tfile *f = fs_lookup(name);

	if (!f)
		return cmd_err(-ENOENT, "no such file '%s'", name);
	if (!f->read)
		return cmd_err(-EINVAL, "'%s' is write-only", f->name);
	cap.len = cap.lines = cap.words = cap.bytes = cap.matched = 0;
	cap.in_word = false;
	console_set_sink(cap_sink);
	fs_read(f);
	if (cap.len)
		cap_line();	/* a last line without newline */
	console_set_sink(NULL);
	return 0;
}

/* wc FILE - "lines words bytes FILE", like wc. */
static int cmd_wc(int argc, char **argv)
{
	int err;

	if (argc != 2)
		return cmd_err(-EINVAL, "usage: wc FILE");
	cap.pattern = NULL;
	err = capture(argv[1]);
	if (!err)
		printk_raw("%7lu %7lu %7lu %s\n", cap.lines, cap.words, cap.bytes, argv[1]);
	return err;
}

/* grep [-v] [-c] TEXT FILE - lines of FILE containing TEXT (fixed string). */
static int cmd_grep(int argc, char **argv)
{
	int i = 1, err;

	cap.invert = cap.count_only = false;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-v"))
			cap.invert = true;
		else if (!strcmp(argv[i], "-c"))
			cap.count_only = true;
		else
			return cmd_err(-EINVAL, "grep: unknown option '%s'", argv[i]);
	}
	if (argc - i != 2)
		return cmd_err(-EINVAL, "usage: grep [-v] [-c] TEXT FILE");
	cap.pattern = argv[i];
	err = capture(argv[i + 1]);
	if (!err && cap.count_only)
		printk_raw("%lu\n", cap.matched);
	return err;
}

/* panic [TEXT] - panic with the words of TEXT as the message, whole. */
static int cmd_panic(int argc, char **argv)
{
	char msg[LINE_MAX + 1];

	shell_join(msg, sizeof(msg), argc - 1, argv + 1);
	panic("%s", argc > 1 ? msg : "requested from the console");
}

static int cmd_fault(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "null"))
		fault_null();
	else if (argc == 2 && !strcmp(argv[1], "text"))
		fault_text();
	else if (argc == 2 && !strcmp(argv[1], "stack"))
		fault_stack_recurse(0);
	else if (argc == 2 && !strcmp(argv[1], "breakpoint"))
		fault_breakpoint();
	else
		return cmd_err(-EINVAL, "usage: fault null|text|stack|breakpoint");
	return cmd_err(-EINVAL, "fault %s did not fault", argv[1]);
}

/* hang - test-only: a CPU stuck with interrupts off, for harness timeouts. */
static int cmd_hang(int argc, char **argv)
{
	printk_raw("hanging with interrupts off\n");
	arch_halt_forever();
}

/*
 * repeat N CMD [CMD ...] - run the quoted command lines N times in turn.
 * Stops at the first failing command and returns its error (that command
 * printed the one error line), or at a Ctrl-C typed meanwhile (-EINTR).
 */
static int cmd_repeat(int argc, char **argv)
{
	unsigned long n;

	if (argc < 3 || kstrtoul(argv[1], &n))
		return cmd_err(-EINVAL, "usage: repeat N 'CMD' ['CMD' ...]");
	for (unsigned long i = 0; i < n; i++)
		for (int j = 2; j < argc; j++) {
			int err;

			if (console_check_interrupt())
				return cmd_err(-EINTR, "repeat: interrupted by Ctrl-C in round %lu",
					       i + 1);
			err = shell_exec_line(argv[j]);
			if (err) {
				printk_raw("repeat: stopped in round %lu\n", i + 1);
				return err;	/* the command printed its error */
			}
		}
	printk_raw("repeat: %lu rounds done\n", n);
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	kernel_poweroff();
}

const struct shell_cmd shell_cmds[] = {
	{ "help", "", "list commands", cmd_help },
	{ "version", "", "kernel version, architecture and compiler", cmd_version },
	{ "cpus", "", "list online CPUs", cmd_cpus },
	{ "meminfo", "", "memory usage", cmd_meminfo },
	{ "sym", "NAME|ADDR", "look a function up by name or address", cmd_sym },
	{ "call", "FUNC [INT ...]", "call a kernel function, print its return", cmd_call },
	{ "ls", "", "list files", cmd_ls },
	{ "cat", "FILE", "print a file", cmd_cat },
	{ "echo", "TEXT [>|>> FILE]", "print TEXT or write it to a file", cmd_echo, true },
	{ "wc", "FILE", "count lines, words and bytes of a file", cmd_wc },
	{ "grep", "[-v] [-c] TEXT FILE", "lines of a file containing TEXT", cmd_grep },
	{ "panic", "[TEXT]", "panic the kernel (QEMU exits non-zero)", cmd_panic },
	{ "fault", "null|text|stack|breakpoint", "provoke a fatal fault", cmd_fault },
	{ "repeat", "N 'CMD' ...", "run command lines N times", cmd_repeat },
	{ "hang", "", "spin forever with interrupts off (test-only)", cmd_hang },
	{ "poweroff", "", "power off (QEMU exits 0)", cmd_poweroff },
	{ NULL, NULL, NULL, NULL },
};
