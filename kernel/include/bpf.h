/*
 * bpf.h - BPF-style per-function trampolines (kernel/bpf/).
 *
 * Programs are C functions compiled into the kernel, u64 prog(u64 *ctx);
 * everything else is the real mechanism: trampolines generated as machine
 * code at run time (arch.h's emitter steps, arch/<arch>/bpf_jit.c),
 * installed through the direct-call API (ftrace_direct_update()).
 *
 * The context a trampoline builds on its stack (seed 002's layout, as
 * Linux's):
 *
 *   ctx[-3]  run context: the program's kind (bits 63..56) and its link's
 *            cookie (bits 55..0), written before each program call
 *   ctx[-2]  the traced function's address (bpf_get_func_ip)
 *   ctx[-1]  nr_args: the argument register slots (bpf_get_func_arg_cnt)
 *   ctx[0 .. nr_args-1]  the argument registers, as they arrived
 *   ctx[nr_args]         the return value (fexit, fmod_ret)
 *
 * One trampoline serves one function, or several with the same nr_args and
 * exactly the same programs attached (multi-attach, seed 002); a function
 * has at most one trampoline.
 */
#ifndef BPF_H
#define BPF_H

#include "types.h"

enum bpf_kind { BPF_FENTRY, BPF_FEXIT, BPF_MODIFY_RETURN, BPF_NR_KINDS };

typedef u64 (*bpf_prog_fn)(u64 *ctx);

/*
 * struct bpf_prog - a built-in program: one C function per kind it can be
 * attached as (NULL: not as that kind).  @param: the program takes a value
 * after a colon ("override:42"), which becomes its link's cookie.
 */
struct bpf_prog {
	const char *name;
	bpf_prog_fn fn[BPF_NR_KINDS];
	bool param;
	const char *help;
};

#define BPF_RUN_KIND_SHIFT	56
#define BPF_COOKIE_MASK		((1ULL << BPF_RUN_KIND_SHIFT) - 1)

/* ---- helpers programs call (kernel/bpf/helpers.c), Linux's names ---- */
int bpf_get_func_arg(u64 *ctx, u32 n, u64 *value);	/* -EINVAL: n >= nr_args */
int bpf_get_func_ret(u64 *ctx, u64 *value);		/* -EOPNOTSUPP in fentry */
u64 bpf_get_func_arg_cnt(u64 *ctx);
u64 bpf_get_func_ip(u64 *ctx);
u64 bpf_get_attach_cookie(u64 *ctx);			/* sign-extended from 56 bits */
enum bpf_kind bpf_run_kind(u64 *ctx);

/* ---- programs and the log (kernel/bpf/progs.c) ---- */
const struct bpf_prog *bpf_prog_find(const char *name);
const struct bpf_prog *bpf_prog_at(unsigned int i);
unsigned long bpf_prog_count_of(u64 cookie);		/* the `count` program */
void bpf_log(const char *fmt, ...) __printf(1, 2);
void bpf_log_print(void);
void bpf_log_clear(void);

/* ---- links and trampolines (kernel/bpf/trampoline.c) ---- */
extern const char *const bpf_kind_names[BPF_NR_KINDS];

/*
 * bpf_attach - attach @prog as @kind to the functions @target names (one
 * name, a glob, or a comma-separated list), with @cookie; one update, one
 * text batch.  Returns the new link's id (> 0), or an error with nothing
 * changed and one line in @why (@whylen bytes) saying why: -ENOENT (no such function,
 * or one without a call site), -EOPNOTSUPP (its prototype cannot be
 * served), -EINVAL (the program has no @kind form), -ENOTSUPP (no entry
 * sites), -EBUSY (a live patch that cannot share), -ENOMEM, -E2BIG.
 */
int bpf_attach(const struct bpf_prog *prog, enum bpf_kind kind, const char *target,
	       u64 cookie, char *why, size_t whylen);
/* bpf_detach - undo link @id; -ENOENT when there is none.  One batch. */
int bpf_detach(int id, char *why, size_t whylen);
void bpf_links_print(void);
void bpf_tramps_print(void);
int bpf_tramp_dump(int id);

void bpf_init(void);

#endif /* BPF_H */
