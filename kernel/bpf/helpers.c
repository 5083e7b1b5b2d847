/*
 * helpers.c - what a program may ask about the call it runs in, read from
 * the context its trampoline built (include/bpf.h draws it).  Linux's
 * names and answers.  Called from programs, inside trampolines: notrace.
 */
#include "kernel.h"
#include "bpf.h"

/* bpf_get_func_arg_cnt - the argument register slots the function takes. */
u64 notrace bpf_get_func_arg_cnt(u64 *ctx)
{
	return ctx[-1];
}

/* bpf_get_func_arg - argument slot @n, as it arrived; -EINVAL past the last. */
int notrace bpf_get_func_arg(u64 *ctx, u32 n, u64 *value)
{
	if (n >= ctx[-1])
		return -EINVAL;
	*value = ctx[n];
	return 0;
}

enum bpf_kind notrace bpf_run_kind(u64 *ctx)
{
	return (enum bpf_kind)(ctx[-3] >> BPF_RUN_KIND_SHIFT);
}

/*
 * bpf_get_func_ret - the function's return value: fexit sees what the body
 * (or an fmod_ret program) returned, fmod_ret what the programs before it
 * set (0 at first).  An fentry program runs before there is one.
 */
int notrace bpf_get_func_ret(u64 *ctx, u64 *value)
{
	if (bpf_run_kind(ctx) == BPF_FENTRY)
		return -EOPNOTSUPP;
	*value = ctx[ctx[-1]];
	return 0;
}

/* bpf_get_func_ip - the traced function's address. */
u64 notrace bpf_get_func_ip(u64 *ctx)
{
	return ctx[-2];
}

/* bpf_get_attach_cookie - the value given at attach, sign-extended from 56 bits. */
u64 notrace bpf_get_attach_cookie(u64 *ctx)
{
	return (u64)((s64)(ctx[-3] << (64 - BPF_RUN_KIND_SHIFT)) >> (64 - BPF_RUN_KIND_SHIFT));
}
