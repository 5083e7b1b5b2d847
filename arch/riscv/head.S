/*
 * head.S - riscv64 entry from OpenSBI (fw_dynamic) and the boot CPU's stacks.
 *
 * OpenSBI enters _start in S-mode on one hart only (the others stay stopped
 * in its HSM until started through SBI), with the MMU off and:
 *   a0 = this hart's id
 *   a1 = physical address of the device tree blob
 */
#include "riscv_percpu.h"
#include "riscv.h"

	.section .text.head, "ax"
	.balign 4
	.globl _start
	.type _start, @function
_start:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE

	/* tp -> cpu 0's per-CPU data (in .data: valid before .bss is zeroed). */
	la	tp, riscv_percpu
	sd	a0, PCPU_HARTID(tp)

	/* Traps work from here on: entry.S needs only tp and a sane sp. */
	la	sp, boot_stack_top
	la	t0, riscv_trap_entry
	csrw	stvec, t0

	/* Zero .bss.  The stack lives there too but holds nothing yet. */
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* s0 = 0 ends every frame-pointer walk at kmain. */
	li	s0, 0
	mv	a0, a1			/* kmain(boot_info = DTB address) */
	call	kmain
3:	wfi				/* kmain does not return */
	j	3b
	.size _start, . - _start

/*
 * Cpu 0's stacks: one 32 KiB block, 16 KiB aligned, so that the boot stack
 * itself is 16 KiB aligned with its guard page directly below it and the
 * emergency stack filling the rest of the block:
 *
 *   +32K  boot_stack_top
 *         boot stack (16 KiB)
 *   +16K  boot_stack_bottom
 *         guard page (4 KiB, unmapped by mm.c: an overflow faults)
 *   +12K  boot_stack_guard = emerg_stack0_top
 *         emergency stack (12 KiB) for traps that find the stack exhausted
 *    +0   emerg_stack0_bottom
 */
#if EMERG_STACK_SIZE + 4096 != BOOT_STACK_SIZE
#error "emergency stack + guard page must fill the 16 KiB below the boot stack"
#endif
	.section .bss..stack, "aw", @nobits
	.balign BOOT_STACK_SIZE
	.globl emerg_stack0_bottom, emerg_stack0_top
	.globl boot_stack_guard, boot_stack_bottom, boot_stack_top
emerg_stack0_bottom:
	.skip EMERG_STACK_SIZE
emerg_stack0_top:
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
