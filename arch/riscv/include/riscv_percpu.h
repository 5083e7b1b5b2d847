/*
 * riscv_percpu.h - the arch's per-CPU data, found through the tp register
 * (which compiled code never touches: there is no TLS).  entry.S reads the
 * first fields by offset.
 *
 * trap_sp_limit is the lowest sp at which a trap frame still fits above the
 * stack's bottom (bottom + PT_SIZE).  A trap arriving with sp below it is a
 * stack overflow: entry.S moves to the emergency stack instead of writing the
 * frame into the guard page (which would fault again, recursively).
 *
 * Every CPU owns one 32 KiB stack block laid out the same way: cpu 0's is in
 * .bss (head.S), a secondary's comes from alloc_pages() (smp.c), whose guard
 * page mm.c then unmaps from the linear map:
 *
 *   +32K  stack_top
 *         stack (BOOT_STACK_SIZE)
 *   +16K  stack_bottom
 *         guard page (unmapped: an overflow faults)
 *   +12K  guard = emerg_top
 *         emergency stack (EMERG_STACK_SIZE)
 *    +0   emerg_bottom
 */
#ifndef RISCV_PERCPU_H
#define RISCV_PERCPU_H

/* PCPU_* offsets come from asm-offsets.c (generated asm-offsets.h). */
#ifndef ASM_OFFSETS_GEN	/* not while generating it */
#include "asm-offsets.h"
#endif

#define RISCV_MAX_CPUS		8
#define BOOT_STACK_SIZE		16384
#define EMERG_STACK_SIZE	12288
#define CPU_STACK_BLOCK		(EMERG_STACK_SIZE + 4096 + BOOT_STACK_SIZE)
#define CPU_STACK_ORDER		3	/* alloc_pages() order of one block */

#ifndef __ASSEMBLY__
#include "types.h"

struct riscv_percpu {
	unsigned long trap_sp_limit;	/* PCPU_TRAP_SP_LIMIT */
	unsigned long emerg_top;	/* PCPU_EMERG_TOP */
	unsigned long emerg_bottom;	/* PCPU_EMERG_BOTTOM */
	unsigned long on_emerg;		/* PCPU_ON_EMERG: 1 once on the emergency stack */
	unsigned long cpu;		/* PCPU_CPU: dense index, arch_cpu_id() */
	unsigned long hartid;		/* PCPU_HARTID: cpu 0: head.S from a0 */
	unsigned long stack_bottom;	/* the CPU's normal stack */
	unsigned long stack_top;	/* PCPU_STACK_TOP: a secondary's first sp */
	unsigned long guard;		/* unmapped page directly below stack_bottom */
	unsigned long plic_ctx;		/* its PLIC S-mode context (setup.c) */
	u64 timer_deadline;		/* the tick armed last (time.c) */
};
#endif

#endif /* RISCV_PERCPU_H */
