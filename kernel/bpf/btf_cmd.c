/*
 * btf_cmd.c - the `btf` console command: what the embedded BTF holds, and
 * the model (kernel/include/btf.h) a trampoline would get for a function.
 * Output formats are in docs/console-protocol.md.
 */
#include "kernel.h"
#include "ftrace.h"		/* ARCH_FTRACE_REG_ARGS, glob_match */
#include "shell.h"
#include "btf.h"

/*
 * arg_token - "SIZE:CLASS" for one argument or the return value: s / u
 * (signed / unsigned integer, enum or bool), ptr, struct (by value, in
 * (SIZE + 7) / 8 registers); "void" for a void return.
 */
static const char *arg_token(const struct btf_arg *a, char *buf, size_t len)
{
	const char *cls = a->flags & BTF_ARG_STRUCT ? "struct" :
			  a->flags & BTF_ARG_PTR ? "ptr" :
			  a->flags & BTF_ARG_SIGNED ? "s" : "u";

	if (!a->size)
		return "void";
	snprintf(buf, len, "%u:%s", a->size, cls);
	return buf;
}

/*
 * print_model - one line: func= addr= nr_args= nr_regs= ret= args= and,
 * last, proto= (the C prototype, spaces and all, to the end of the line).
 */
static void print_model(const struct btf_func_model *m)
{
	char args[BTF_MAX_ARGS * 12] = "void", tok[16], proto[256];
	size_t n = 0;

	for (unsigned int i = 0; i < m->nr_args; i++)
		n += snprintf(args + n, sizeof(args) - n, "%s%s", i ? "," : "",
			      arg_token(&m->args[i], tok, sizeof(tok)));
	btf_proto_str(m, proto, sizeof(proto));
	printk_raw("func=%s addr=0x%lx nr_args=%u nr_regs=%u ret=%s args=%s proto=%s\n",
		   m->name, m->addr, m->nr_args, m->nr_regs,
		   arg_token(&m->ret, tok, sizeof(tok)), args, proto);
}

/*
 * count_glob - `btf -c GLOB`: try the model of every kallsyms function
 * matching @glob; print how many matched, how many have a model, how many
 * are refused (-EOPNOTSUPP: no BTF prototype, or one not modelled) and the
 * models by argument count ("nr_args=0:2858,1:2857"; "-" when none).
 */
static int count_glob(const char *glob)
{
	unsigned int matched = 0, models = 0, unsupported = 0, by_args[BTF_MAX_ARGS + 1] = { 0 };
	struct btf_func_model m;
	char why[BTF_WHY_LEN], hist[(BTF_MAX_ARGS + 1) * 16] = "-";
	size_t n = 0;
	int err;

	for (unsigned int i = 0; i < kallsyms_count(); i++) {
		const char *name = kallsyms_name(i, NULL, NULL);

		if (!glob_match(glob, name))
			continue;
		matched++;
		err = btf_func_model(name, &m, why, sizeof(why));
		if (err == -EOPNOTSUPP) {
			unsupported++;
		} else if (err) {
			return cmd_err(err, "%s", why);
		} else {
			models++;
			by_args[m.nr_args]++;
		}
	}
	if (!matched)
		return cmd_err(-ENOENT, "no function matches '%s'", glob);
	for (unsigned int k = 0; k <= BTF_MAX_ARGS; k++)
		if (by_args[k])
			n += snprintf(hist + n, sizeof(hist) - n, "%s%u:%u", n ? "," : "", k,
				      by_args[k]);
	printk_raw("matched=%u models=%u unsupported=%u nr_args=%s\n", matched, models,
		   unsupported, hist);
	return 0;
}

/*
 * btf                 bytes= types= funcs= protos= strings= arg_regs= parse_us=
 * btf FUNC | ADDR     the model of FUNC (of the function containing ADDR)
 * btf -c GLOB         count_glob()
 * Errors: -ENOENT (no such function), -EOPNOTSUPP (no model: the reason).
 */
static int cmd_btf(int argc, char **argv)
{
	struct btf_func_model m;
	struct btf_stats s;
	unsigned long addr;
	char why[BTF_WHY_LEN];
	int err;

	if (argc == 1) {
		err = btf_get_stats(&s, why, sizeof(why));
		if (err)
			return cmd_err(err, "%s", why);
		printk_raw("bytes=%u types=%u funcs=%u protos=%u str_bytes=%u arg_regs=%u "
			   "parse_us=%lu\n", s.bytes, s.types, s.funcs, s.protos, s.str_bytes,
			   ARCH_FTRACE_REG_ARGS, (unsigned long)(s.parse_ns / 1000));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return count_glob(argv[2]);
	if (argc != 2 || argv[1][0] == '-')
		return cmd_err(-EINVAL, "usage: btf [FUNC | ADDR | -c GLOB]");
	if (kstrtoul(argv[1], &addr) == 0)
		err = btf_func_model_addr(addr, &m, why, sizeof(why));
	else
		err = btf_func_model(argv[1], &m, why, sizeof(why));
	if (err)
		return cmd_err(err, "%s", why);
	print_model(&m);
	return 0;
}

static const struct shell_cmd btf_cmds[] = {
	{ "btf", "[FUNC|ADDR|-c GLOB]", "BTF summary, or a function's prototype model",
	  cmd_btf },
	{ NULL, NULL, NULL, NULL },
};

/* btf_init_cmds - see btf.h; kmain() calls it before the prompt. */
void btf_init_cmds(void)
{
	shell_register_cmds(btf_cmds);
}
