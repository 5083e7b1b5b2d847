/* bpf_internal.h - what kernel/bpf's files share and nobody else needs. */
#ifndef BPF_INTERNAL_H
#define BPF_INTERNAL_H

#include "types.h"
#include "btf.h"
#include "bpf.h"

#define BPF_MAX_LINKS	1024	/* link ids 1..BPF_MAX_LINKS */

/*
 * struct bpf_argdesc - how `record` casts a function's values: each
 * argument register slot's C size and signedness, and the return value's
 * (from its BTF model, kept while the function has a trampoline).
 */
struct bpf_argdesc {
	u8 slot_size[BTF_MAX_ARGS];
	bool slot_signed[BTF_MAX_ARGS];
	u8 ret_size;
	bool ret_signed;
};

/* bpf_argdesc_of - the description of traced function @ip, or NULL. */
const struct bpf_argdesc *bpf_argdesc_of(unsigned long ip);
bool bpf_prog_is_count(const struct bpf_prog *p);
void bpf_prog_count_reset(u64 cookie);

/* bpf_sext_cookie - a 56-bit cookie as the signed value it was given as. */
static inline long bpf_sext_cookie(u64 cookie)
{
	return (long)(cookie << (64 - BPF_RUN_KIND_SHIFT)) >> (64 - BPF_RUN_KIND_SHIFT);
}

#endif /* BPF_INTERNAL_H */
