/*
 * arch_inline.h (host) - the fast arch_* accessors of kernel/include/arch.h
 * for host tests: one CPU, interrupts never on, nothing to serialise.
 * Only the generic C that tests/host builds reaches these.
 */
#ifndef ARCH_INLINE_H
#define ARCH_INLINE_H

static inline unsigned int arch_cpu_id(void) { return 0; }
static inline unsigned long arch_irq_save(void) { return 0; }
static inline void arch_irq_restore(unsigned long flags) { (void)flags; }
static inline bool arch_irqs_disabled(void) { return true; }
static inline void arch_irq_enable(void) { }
static inline void arch_irq_disable(void) { }
static inline void arch_wait_for_interrupt(void) { }
static inline void arch_cpu_relax(void) { }
static inline void arch_breakpoint(void) { __builtin_trap(); }
static inline void arch_sync_core(void) { }
static inline unsigned long arch_current_fp(void)
{
	return (unsigned long)__builtin_frame_address(0);
}

#endif /* ARCH_INLINE_H */
