/*
 * head.S - riscv64 entry from OpenSBI (fw_dynamic), the secondary harts'
 * entry, and the boot CPU's stacks.
 *
 * OpenSBI enters _start in S-mode on one hart only - any of them, not
 * necessarily hart 0 (the others stay stopped in its HSM until smp.c starts
 * them through SBI) - with the MMU off and:
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

	/*
	 * The first hart here boots; any later one is a secondary that left
	 * OpenSBI too early.  OpenSBI before 1.3 (Debian ships 1.1) marks a
	 * hart START_PENDING in sbi_hsm_hart_start() before it writes the
	 * hart's start address and argument; the hart waiting in
	 * sbi_hsm_hart_wait() polls that state around a wfi, which may
	 * return at once (a pending interrupt, or under multi-threaded TCG
	 * simply running in parallel), and then mret's to the stale cold-boot
	 * address, this _start, with a1 = the DTB.  Fixed upstream by
	 * e8e9ed37 ("Set the state of a hart to START_PENDING after the hart
	 * is ready").  Such a hart must touch nothing here: it takes the
	 * argument start_cpu() (smp.c) published before its hart_start call
	 * and goes where that call meant to send it.
	 */
	la	t0, riscv_boot_claimed
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, .Lraced_secondary

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

.Lraced_secondary:
	la	t0, riscv_start_hartid
	la	t2, riscv_start_opaque
5:	fence	rw, rw			/* start_cpu() wrote both before its ecall */
	ld	t1, 0(t0)
	bne	t1, a0, 5b		/* only the hart being started can get here */
	ld	a1, 0(t2)
	la	t0, riscv_start_raced
	li	t1, 1
	amoadd.w t0, t1, (t0)
	j	riscv_secondary_start
	.size _start, . - _start

	.data
	.balign 8
	.globl riscv_boot_claimed, riscv_start_hartid, riscv_start_opaque, riscv_start_raced
riscv_start_hartid:
	.dword	-1
riscv_start_opaque:
	.dword	0
riscv_boot_claimed:
	.word	0
riscv_start_raced:
	.word	0

/*
 * riscv_secondary_start - where SBI HSM hart_start (smp.c) sends a secondary
 * hart: S-mode, MMU off, sstatus.SIE = 0, and
 *   a0 = this hart's id
 *   a1 = opaque: its struct riscv_percpu, stacks already allocated
 * Everything is identity mapped, so turning the MMU on changes no address.
 * The fence.i drops anything this hart's fetch may hold from before the
 * kernel patched its text.
 */
	.text
	.balign 4
	.globl riscv_secondary_start
	.type riscv_secondary_start, @function
riscv_secondary_start:
	csrw	sie, zero
	csrci	sstatus, SSTATUS_SIE
	mv	tp, a1
	ld	sp, PCPU_STACK_TOP(tp)
	la	t0, riscv_trap_entry
	csrw	stvec, t0
	la	t0, riscv_kernel_satp
	ld	t0, 0(t0)
	sfence.vma
	csrw	satp, t0
	sfence.vma
	fence.i
	li	s0, 0			/* ends frame-pointer walks */
	call	riscv_secondary_main
4:	wfi				/* riscv_secondary_main does not return */
	j	4b
	.size riscv_secondary_start, . - riscv_secondary_start

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
