/*
 * bpf_cmds.c - the `bpf` console command:
 *
 *   bpf progs                               the built-in programs
 *   bpf attach fentry|fexit|fmod_ret PROG TARGET
 *                                           TARGET: FUNC, GLOB or a,b,c;
 *                                           prints "link N"
 *   bpf detach N
 *   bpf links                               one key=value line per link
 *   bpf tramps                              one key=value line per trampoline
 *   bpf dump ID                             a trampoline's bytes in hex
 *   bpf log [clear]                         what the programs logged
 */
#include "kernel.h"
#include "bpf.h"
#include "shell.h"

static int kind_of(const char *s)
{
	for (int k = 0; k < BPF_NR_KINDS; k++)
		if (!strcmp(s, bpf_kind_names[k]))
			return k;
	return -1;
}

/* attach - "bpf attach KIND PROG[:VALUE] TARGET" */
static int attach(int argc, char **argv)
{
	char name[32], why[160];
	const char *colon = strchr(argv[3], ':');
	const struct bpf_prog *prog;
	size_t len = colon ? (size_t)(colon - argv[3]) : strlen(argv[3]);
	long value = 0;
	int kind = kind_of(argv[2]), id;

	if (kind < 0)
		return cmd_err(-EINVAL, "bpf: unknown kind '%s' (fentry, fexit, fmod_ret)", argv[2]);
	if (len >= sizeof(name))
		return cmd_err(-ENOENT, "bpf: no program '%s' (bpf progs lists them)", argv[3]);
	memcpy(name, argv[3], len);
	name[len] = 0;
	prog = bpf_prog_find(name);
	if (!prog)
		return cmd_err(-ENOENT, "bpf: no program '%s' (bpf progs lists them)", name);
	if (prog->param != !!colon || (colon && kstrtol(colon + 1, &value)))
		return cmd_err(-EINVAL, prog->param ? "bpf: %s needs a value: %s:<number>" :
			       "bpf: %s takes no value", name, name);
	/* the value rides in the link's cookie: 56 bits, sign-extended when read */
	if (colon && (value < -(1L << (BPF_RUN_KIND_SHIFT - 1)) ||
		      value >= (1L << (BPF_RUN_KIND_SHIFT - 1))))
		return cmd_err(-ERANGE, "bpf: %s: the value must fit in %d signed bits", name,
			       BPF_RUN_KIND_SHIFT);
	if (colon && !value && kind == BPF_MODIFY_RETURN)
		return cmd_err(-EINVAL, "bpf: %s:0 would never skip the function (an fmod_ret "
			       "program's 0 lets the body run)", name);
	why[0] = 0;
	id = bpf_attach(prog, (enum bpf_kind)kind, argv[4], (u64)value, why, sizeof(why));
	if (id < 0)
		return cmd_err(id, "bpf: attach %s %s %s: %s", argv[2], argv[3], argv[4],
			       why[0] ? why : errno_name(id));
	printk_raw("link %d\n", id);
	return 0;
}

static int cmd_bpf(int argc, char **argv)
{
	static const char usage[] = "usage: bpf progs | attach KIND PROG TARGET | detach N | "
				    "links | tramps | dump ID | log [clear]";
	unsigned long n;
	int err;

	if (argc == 2 && !strcmp(argv[1], "progs")) {
		const struct bpf_prog *p;

		for (unsigned int i = 0; (p = bpf_prog_at(i)); i++) {
			printk_raw("%s%s kinds=", p->name, p->param ? ":<value>" : "");
			for (int k = 0, first = 1; k < BPF_NR_KINDS; k++)
				if (p->fn[k]) {
					printk_raw("%s%s", first ? "" : ",", bpf_kind_names[k]);
					first = 0;
				}
			printk_raw("  %s\n", p->help);
		}
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "attach"))
		return attach(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "detach")) {
		if (kstrtoul(argv[2], &n) || !n || n > 1000000)
			return cmd_err(-EINVAL, "bpf: bad link id '%s'", argv[2]);
		char why[160] = "";

		err = bpf_detach((int)n, why, sizeof(why));
		return err ? cmd_err(err, "bpf: detach %lu: %s", n,
				     err == -ENOENT ? "no such link" : why[0] ? why : errno_name(err)) : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "links")) {
		bpf_links_print();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "tramps")) {
		bpf_tramps_print();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "dump")) {
		if (kstrtoul(argv[2], &n) || bpf_tramp_dump((int)n))
			return cmd_err(-ENOENT, "bpf: no trampoline %s", argv[2]);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "log")) {
		bpf_log_print();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "log") && !strcmp(argv[2], "clear")) {
		bpf_log_clear();
		return 0;
	}
	return cmd_err(-EINVAL, usage);
}

static const struct shell_cmd bpf_cmds[] = {
	{ "bpf", "progs|attach|detach|links|tramps|dump|log ...",
	  "BPF-style trampolines: attach built-in programs to functions", cmd_bpf },
	{ NULL, NULL, NULL, NULL },
};

void bpf_init(void)
{
	shell_register_cmds(bpf_cmds);
}
