/*
 * long_mode.h - the 32-bit to 64-bit switch shared by the boot CPU's entry
 * (head.S) and the secondary CPUs' trampoline (trampoline.S).  Assembly only.
 *
 * enter_long_mode: from 32-bit protected mode with paging off, enable PAE,
 * load @pml4 (a 32-bit address), set EFER.LME and EFER.NXE, then turn on
 * paging and write protection.  The caller far-jumps to 64-bit code next.
 * Clobbers eax, ecx, edx.
 */
#ifndef X86_LONG_MODE_H
#define X86_LONG_MODE_H

	.macro enter_long_mode pml4
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$\pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_WP | CR0_PE), %eax
	mov	%eax, %cr0
	.endm

#endif
