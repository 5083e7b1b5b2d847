/*
 * arch_inline.h - the fast riscv64 arch_* functions of kernel/include/arch.h.
 * Per-CPU data hangs off tp (struct riscv_percpu, riscv_percpu.h).
 */
#ifndef ARCH_INLINE_H
#define ARCH_INLINE_H

#include "ptrace.h"
#include "riscv_percpu.h"
#include "riscv.h"

/* riscv_this_cpu - the calling CPU's per-CPU data. */
static inline struct riscv_percpu *riscv_this_cpu(void)
{
	struct riscv_percpu *p;

	__asm__("mv %0, tp" : "=r"(p));
	return p;
}

static inline unsigned int arch_cpu_id(void)
{
	return (unsigned int)riscv_this_cpu()->cpu;
}

static inline unsigned long arch_irq_save(void)
{
	return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

static inline void arch_irq_restore(unsigned long flags)
{
	csr_set(sstatus, flags & SSTATUS_SIE);
}

static inline bool arch_irqs_disabled(void)
{
	return !(read_csr(sstatus) & SSTATUS_SIE);
}

static inline void arch_irq_enable(void) { csr_set(sstatus, SSTATUS_SIE); }
static inline void arch_irq_disable(void) { csr_clear(sstatus, SSTATUS_SIE); }

/*
 * arch_wait_for_interrupt - wfi wakes on any interrupt pending in sie even
 * while sstatus.SIE is 0, so sleeping first and enabling afterwards cannot
 * miss one: an interrupt raised before the wfi keeps it from sleeping and is
 * taken as soon as SIE is set.
 */
static inline void arch_wait_for_interrupt(void)
{
	wfi();
	csr_set(sstatus, SSTATUS_SIE);
}

/* arch_sync_core - fence.i: this hart's fetches see all stores before it. */
static inline void arch_sync_core(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

/* arch_breakpoint - the 2-byte c.ebreak the patcher writes. */
static inline void arch_breakpoint(void)
{
	__asm__ volatile("c.ebreak" ::: "memory");
}

/*
 * arch_cpu_relax - spin-wait hint.  A plain `pause` would do on hardware,
 * but QEMU's single-threaded TCG (the default accelerator) runs all vCPUs
 * in turn on one host thread and only switches on an exit: a hart spinning
 * on a flag that another vCPU must set keeps the thread until a timer
 * event, ~2 ms per wait (x86's `pause` exits, riscv's does not).  So make
 * the local software interrupt pending and `wfi`: the spec makes wfi
 * return at once when an interrupt enabled in sie is pending, even with
 * sstatus.SIE clear, and QEMU leaves the vCPU there.  The pending SSIP is
 * taken as soon as interrupts are on (at once if they were on here); the
 * IPI handler finds no work and returns.  Nothing is lost: a real IPI
 * arriving meanwhile sets the same bit, and the handler looks at every
 * request.
 */
static inline void arch_cpu_relax(void)
{
	unsigned long flags = arch_irq_save();

	csr_set(sip, SIP_SSIP);
	wfi();
	arch_irq_restore(flags);
}

/*
 * arch_current_fp - s0 of the function this is inlined into.  With
 * -fno-omit-frame-pointer s0 is the CFA: that function's return address is
 * at s0 - 8 and its caller's s0 at s0 - 16, so arch_unwind_frame() on it
 * yields the caller.
 */
static inline unsigned long arch_current_fp(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

#endif /* ARCH_INLINE_H */
