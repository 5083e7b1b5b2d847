/*
 * btf.h - the kernel's own BTF: the C prototype of every function, as the
 * models trampolines are built from (kernel/bpf/btf.c).
 *
 * The build encodes the DWARF of the pass-1 image with pahole into BTF
 * (Linux's format, include/uapi/linux/btf.h) and links it into pass 2 as
 * .BTF, last in .rodata, between __start_BTF and __stop_BTF
 * (kernel/build.mk, kernel/bpf/btf_embed.S).  The kernel parses it on first
 * use and never writes it.
 *
 * A function model says what a trampoline must save and how to read it:
 * every argument occupies one or two integer argument registers, in order
 * (slot i is the i-th argument register: x86_64 rdi rsi rdx rcx r8 r9,
 * riscv64 a0..a7), and the trampoline stores slot i at ctx[i].  The model
 * covers what both ABIs pass that way; anything else is refused with
 * -EOPNOTSUPP and a reason, never modelled wrongly:
 *   - more register slots than the arch passes in registers
 *     (ARCH_FTRACE_REG_ARGS, arch_ftrace.h): the rest would be on the stack
 *   - a struct or union by value wider than 16 bytes (passed in memory),
 *     empty, or with a member at an unaligned offset (x86_64 passes those
 *     in memory), or holding a floating point or 16-byte integer member
 *   - a floating point argument or return value (FP registers, or none)
 *   - a 16-byte integer (__int128) argument or return value
 *   - a struct or union returned by value
 *   - a variadic function
 * A struct or union of 1..16 bytes by value takes (size + 7) / 8 slots.
 */
#ifndef BTF_H
#define BTF_H

#include "types.h"

/*
 * BTF_MAX_ARGS - parameters a model can describe: more than any arch passes
 * in registers, so a longer prototype is refused for its registers (a
 * build check in btf.c holds ARCH_FTRACE_REG_ARGS below it).
 */
#define BTF_MAX_ARGS	12

/* BTF_WHY_LEN - room for any reason btf_func_model() writes. */
#define BTF_WHY_LEN	192

/* struct btf_arg.flags */
#define BTF_ARG_SIGNED	(1u << 0)	/* signed integer or enum: sign-extend from size */
#define BTF_ARG_PTR	(1u << 1)	/* a pointer (size 8, unsigned) */
#define BTF_ARG_STRUCT	(1u << 2)	/* struct / union by value, in nr_regs slots */

/*
 * struct btf_arg - one parameter, or the return value.  An integer, enum or
 * bool without BTF_ARG_SIGNED is unsigned; its C value is the low @size
 * bytes of the register, zero- or sign-extended (the upper bits of an
 * argument register are not defined by the x86_64 ABI).
 */
struct btf_arg {
	u8 size;		/* bytes of the C type; 0: void (return only) */
	u8 flags;		/* BTF_ARG_* */
	u8 reg;			/* first register slot (ctx index); 0 for the return */
	u8 nr_regs;		/* slots: 1, or 2 for a struct of 9..16 bytes */
	u32 type;		/* BTF type id, for btf_type_str() (0: void) */
	const char *name;	/* parameter name, "" when unnamed or the return */
};

/*
 * struct btf_func_model - what a trampoline for a function needs.  Valid
 * only when btf_func_model() returned 0.  @name points into the BTF and
 * stays valid for good.
 */
struct btf_func_model {
	const char *name;	/* the function */
	unsigned long addr;	/* its entry (kallsyms) */
	u32 func_id;		/* its BTF_KIND_FUNC */
	u8 nr_args;		/* C parameters */
	u8 nr_regs;		/* argument register slots they take (<= ARCH_FTRACE_REG_ARGS) */
	struct btf_arg args[BTF_MAX_ARGS];
	struct btf_arg ret;	/* size 0: returns void */
};

/*
 * btf_func_model - the model of function @name.  Returns 0, or on error
 * writes one line saying why to @why (@whylen bytes, BTF_WHY_LEN is enough;
 * NUL-terminated, "NAME: reason") and returns
 *   -ENOENT      no function of that name (kallsyms knows none)
 *   -EOPNOTSUPP  the function exists but its prototype cannot be served:
 *                the image has no usable BTF, the function has none (it is
 *                assembly, or a compiler-made clone such as foo.constprop.0),
 *                or its prototype is one the header above lists
 *   -ENOMEM      the first call could not allocate the BTF index
 * Any context that may allocate memory (the first call parses the BTF); not
 * from tracing callbacks.
 */
int btf_func_model(const char *name, struct btf_func_model *m, char *why, size_t whylen);

/*
 * btf_func_model_addr - btf_func_model() for the function containing
 * @addr (a site address or a return address will do).  -ENOENT when no
 * kernel function contains @addr ("0x<addr>: in no kernel function"; pool
 * trampolines are not kernel functions).
 */
int btf_func_model_addr(unsigned long addr, struct btf_func_model *m, char *why,
			size_t whylen);

/*
 * btf_type_str - type @type_id as C spells it ("u64", "const char *",
 * "struct bpf_fentry_test_t *", "void") into @buf (always NUL-terminated).
 * Returns the length it needed, as snprintf does.
 */
int btf_type_str(u32 type_id, char *buf, size_t len);

/*
 * btf_proto_str - the model's C prototype, "int bpf_fentry_test2(int a, u64 b)",
 * into @buf as btf_type_str() does.
 */
int btf_proto_str(const struct btf_func_model *m, char *buf, size_t len);

/* struct btf_stats - what `btf` prints about the embedded BTF. */
struct btf_stats {
	u32 bytes;		/* the whole .BTF section */
	u32 types;		/* type ids, void excluded */
	u32 funcs;		/* BTF_KIND_FUNC */
	u32 protos;		/* BTF_KIND_FUNC_PROTO */
	u32 str_bytes;		/* the string section */
	u64 parse_ns;		/* the first use's parse and index time */
};

/*
 * btf_get_stats - fill @s.  0, or -EOPNOTSUPP (no usable BTF; @why says
 * why) / -ENOMEM as btf_func_model().
 */
int btf_get_stats(struct btf_stats *s, char *why, size_t whylen);

/* btf_init_cmds - register the `btf` console command.  Boot CPU, once. */
void btf_init_cmds(void);

#endif /* BTF_H */
