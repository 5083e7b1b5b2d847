/*
 * arch_inline.h - the fast x86_64 arch_* functions of kernel/include/arch.h.
 * Per-CPU data hangs off GS base (struct x86_percpu, first field: self).
 */
#ifndef ARCH_INLINE_H
#define ARCH_INLINE_H

#include "ptrace.h"

#define X86_RFLAGS_IF (1UL << 9)

struct x86_percpu {
	struct x86_percpu *self;
	unsigned int cpu;
	unsigned int apic_id;
};

static inline unsigned int arch_cpu_id(void)
{
	unsigned int cpu;

	__asm__ volatile("movl %%gs:%c1, %0" : "=r"(cpu)
			 : "i"(__builtin_offsetof(struct x86_percpu, cpu)));
	return cpu;
}

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return !(flags & X86_RFLAGS_IF);
}

static inline void arch_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void arch_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
/* sti takes effect after the next instruction, so no interrupt slips in. */
static inline void arch_wait_for_interrupt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }
static inline void arch_cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void arch_breakpoint(void) { __asm__ volatile("int3" ::: "memory"); }
/* arch_sync_core - cpuid serialises: later fetches see the stores before it. */
static inline void arch_sync_core(void)
{
	u32 a = 0, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) :: "memory");
}

static inline unsigned long arch_current_fp(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

#endif /* ARCH_INLINE_H */
