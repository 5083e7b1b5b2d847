/*
 * trace_cmds.c - console commands of the tracing core: text_checksum and
 * selftest.
 */
#include "kernel.h"
#include "ftrace.h"
#include "shell.h"

int ftrace_selftest(void);

/* text_checksum - FNV-1a over all kernel text, trampoline pool included. */
static int cmd_text_checksum(int argc, char **argv)
{
	u64 h = 0xcbf29ce484222325ULL;

	for (const u8 *p = (const u8 *)_text_start; p < (const u8 *)_text_end; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	printk_raw("text_checksum: %016lx (%lu bytes)\n", (unsigned long)h,
		   (unsigned long)(_text_end - _text_start));
	return 0;
}

static int cmd_selftest(int argc, char **argv)
{
	int failed = ftrace_selftest();

	return failed ? cmd_err(-EINVAL, "selftest: %d failed", failed) : 0;
}

static const struct shell_cmd trace_cmds[] = {
	{ "text_checksum", "", "hash of all kernel text", cmd_text_checksum },
	{ "selftest", "", "run the tracing core's selftests (KTAP)", cmd_selftest },
	{ NULL, NULL, NULL, NULL },
};

void bench_init(void);
void stress_init(void);
void race_init(void);
void load_init(void);
void livepatch_test_init(void);
void bpf_stress_init(void);
void bench_bpf_init(void);

void trace_cmds_init(void)
{
	shell_register_cmds(trace_cmds);
	bench_init();
	stress_init();
	race_init();
	load_init();
	livepatch_test_init();
	bpf_stress_init();
	bench_bpf_init();
}
