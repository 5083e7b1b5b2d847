/*
 * trampoline.S - where a secondary x86 CPU starts.
 *
 * The startup IPI (SIPI) starts an AP in 16-bit real mode at
 * AP_TRAMP_PHYS (vector AP_TRAMP_PHYS >> 12), CS = AP_TRAMP_PHYS >> 4,
 * IP = 0.  x86_smp.c copies ap_trampoline..ap_trampoline_end there (below
 * 1 MiB, where real mode can reach) before each start.  The code:
 *
 *   16-bit: load its own GDT, set CR0.PE, far jump to 32-bit code
 *   32-bit: PAE, the boot page tables (early_pml4: identity 4 GiB, which
 *           also maps the trampoline executable), EFER.LME|NXE, paging,
 *           far jump to 64-bit code in kernel text
 *   64-bit (ap_long_mode, head of kernel text): switch to the kernel's own
 *           page tables, take the stack and CPU number the boot CPU left in
 *           ap_boot_*, call x86_ap_main(cpu)
 *
 * The trampoline only ever runs from its low copy: labels inside it are
 * used as offsets from ap_trampoline.
 */
#include "x86.h"
#include "long_mode.h"

#define AP_TRAMP_PHYS	0x8000
#define TRAMP(label)	(AP_TRAMP_PHYS + (label - ap_trampoline))
#define TR_CODE32	0x08
#define TR_DATA		0x10
#define TR_CODE64	0x18

	.section .rodata
	.balign 16
	.globl ap_trampoline, ap_trampoline_end
	.code16
ap_trampoline:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	(ap_gdt_desc - ap_trampoline)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$TR_CODE32, $TRAMP(ap_pm32)

	.code32
ap_pm32:
	mov	$TR_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	enter_long_mode early_pml4
	ljmp	$TR_CODE64, $ap_long_mode

	.balign 8
ap_gdt:
	.quad 0				/* null */
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
ap_gdt_end:
ap_gdt_desc:
	.word ap_gdt_end - ap_gdt - 1
	.long TRAMP(ap_gdt)
ap_trampoline_end:

	.code64
	.text
ap_long_mode:
	mov	ap_boot_cr3(%rip), %rax
	mov	%rax, %cr3
	mov	ap_boot_stack(%rip), %rsp
	mov	ap_boot_cpu(%rip), %edi
	xor	%ebp, %ebp
	call	x86_ap_main
1:	hlt
	jmp	1b

	.data
	.balign 8
	.globl ap_boot_cr3, ap_boot_stack, ap_boot_cpu
ap_boot_cr3:	.quad 0
ap_boot_stack:	.quad 0
ap_boot_cpu:	.quad 0
