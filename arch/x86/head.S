/*
 * head.S - x86_64 entry through PVH.
 *
 * QEMU's -kernel loads this ELF64 at its physical addresses and, finding the
 * XEN_ELFNOTE_PHYS32_ENTRY note, enters pvh_start in 32-bit protected mode:
 * flat segments, paging off, interrupts off, %ebx = struct hvm_start_info.
 * We zero .bss, identity-map the first 4 GiB with 2 MiB pages (enough for
 * the image, RAM and the APIC MMIO), enter long mode and call kmain(%ebx).
 * arch_init() later replaces these tables with the W^X ones of mm.c.
 */
#include "x86.h"
#include "long_mode.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define EARLY_PTE	(PTE_P | PTE_W)
#define EARLY_PDE_2M	(PTE_P | PTE_W | PTE_PS)

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* namesz: "Xen\0" */
	.long 8				/* descsz: 64-bit entry address */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad pvh_start
	.balign 4

	.section .text.head, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	mov	%ebx, %esi			/* keep start_info */

	/* Zero .bss (it holds the early page tables and the boot stack). */
	mov	$_bss_start, %edi
	mov	$_bss_end, %ecx
	sub	%edi, %ecx
	shr	$2, %ecx
	xor	%eax, %eax
	rep stosl

	/* PML4[0] -> PDPT, PDPT[0..3] -> PD[0..3], PD entries: 2 MiB pages. */
	mov	$early_pdpt, %eax
	or	$EARLY_PTE, %eax
	mov	%eax, early_pml4
	mov	$early_pd, %eax
	or	$EARLY_PTE, %eax
	xor	%ecx, %ecx
1:	mov	%eax, early_pdpt(,%ecx,8)
	add	$4096, %eax
	inc	%ecx
	cmp	$4, %ecx
	jne	1b
	mov	$EARLY_PDE_2M, %eax
	xor	%ecx, %ecx
2:	mov	%eax, early_pd(,%ecx,8)
	add	$PAGE_2M, %eax
	inc	%ecx
	cmp	$(4 * 512), %ecx
	jne	2b

	/* PAE, then long mode with NX, then paging with write protection. */
	enter_long_mode early_pml4
	lgdt	early_gdt_desc
	ljmp	$KERNEL_CS, $long_mode

	.code64
long_mode:
	mov	$KERNEL_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	mov	$boot_stack_top, %rsp
	xor	%ebp, %ebp			/* ends frame-pointer walks */
	mov	%esi, %edi			/* kmain(start_info) */
	call	kmain
3:	hlt
	jmp	3b

	.section .rodata
	.balign 8
early_gdt:
	.quad 0				/* null */
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10: data */
early_gdt_end:
early_gdt_desc:
	.word early_gdt_end - early_gdt - 1
	.long early_gdt

	.section .bss..pgtable, "aw", @nobits
	.balign 4096
	.globl early_pml4
early_pml4:	.skip 4096
early_pdpt:	.skip 4096
early_pd:	.skip 4 * 4096

/*
 * The boot stack: 16 KiB, with a guard page directly below it that mm.c
 * leaves unmapped, so an overflow faults instead of corrupting .bss.
 */
	.section .bss..stack, "aw", @nobits
	.balign 4096
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:	.skip 4096
boot_stack_bottom:	.skip 16384
boot_stack_top:
