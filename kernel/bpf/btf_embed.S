/*
 * btf_embed.S - the kernel's BTF as data in the .BTF section, which the
 * arch linker scripts place last in .rodata, after .kallsyms and after all
 * code, between __start_BTF and __stop_BTF (kernel/bpf/btf.c reads it).
 *
 * kernel/build.mk assembles this file twice: for pass 1 of the link without
 * BTF_FILE (an empty section: the symbols exist, the kernel finds no BTF),
 * then, once pahole has encoded pass 1's DWARF, with BTF_FILE naming that
 * raw BTF for pass 2.  The section grows in pass 2 but sits after all code,
 * so no function moves (gen_kallsyms.py --check verifies it).
 */
	.section .BTF, "a"
	.balign 8
#ifdef BTF_FILE
	.incbin BTF_FILE
#endif
