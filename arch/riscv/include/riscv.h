/*
 * riscv.h - RISC-V privileged-architecture names and one-line accessors:
 * CSR bits, trap causes, Sv39 page-table bits, and the instructions C code
 * may not spell out itself (CSR access, fences, wfi, rdtime).
 * Usable from assembly (constants only) and C.
 */
#ifndef RISCV_H
#define RISCV_H

#ifdef __ASSEMBLY__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#include "types.h"
#endif

/* sstatus */
#define SSTATUS_SIE	(_UL(1) << 1)	/* S-mode interrupts enabled */
#define SSTATUS_SPIE	(_UL(1) << 5)	/* SIE before the trap */
#define SSTATUS_SPP	(_UL(1) << 8)	/* trapped from S-mode */
#define SSTATUS_SUM	(_UL(1) << 18)	/* S-mode may touch U pages */
#define SSTATUS_MXR	(_UL(1) << 19)	/* loads from X-only pages */

/* sie / sip: which interrupts are enabled / pending */
#define SIE_SSIE	(_UL(1) << 1)	/* software (IPI) */
#define SIE_STIE	(_UL(1) << 5)	/* timer */
#define SIE_SEIE	(_UL(1) << 9)	/* external (PLIC) */
#define SIP_SSIP	(_UL(1) << 1)	/* software interrupt pending (an IPI) */

/* scause: top bit set for interrupts, the rest is the code */
#define SCAUSE_INTR	(_UL(1) << 63)
#define SCAUSE_CODE(c)	((c) & ~SCAUSE_INTR)

/* Interrupt codes. */
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9

/* Exception codes. */
#define EXC_INSN_MISALIGNED	0
#define EXC_INSN_ACCESS		1
#define EXC_ILLEGAL_INSN	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_ECALL_S		9
#define EXC_INSN_PAGE_FAULT	12
#define EXC_LOAD_PAGE_FAULT	13
#define EXC_STORE_PAGE_FAULT	15

/* stvec: MODE field (low two bits) */
#define STVEC_MODE_DIRECT	0

/* satp */
#define SATP_MODE_SV39	(_UL(8) << 60)
#define SATP_PPN_SHIFT	0

/* Sv39 page-table entries */
#define PTE_V		(_UL(1) << 0)	/* valid */
#define PTE_R		(_UL(1) << 1)
#define PTE_W		(_UL(1) << 2)
#define PTE_X		(_UL(1) << 3)
#define PTE_U		(_UL(1) << 4)
#define PTE_G		(_UL(1) << 5)	/* global: all address spaces */
#define PTE_A		(_UL(1) << 6)	/* accessed (set up front: no A/D faults) */
#define PTE_D		(_UL(1) << 7)	/* dirty */
#define PTE_LEAF_MASK	(PTE_R | PTE_W | PTE_X)	/* any of these: a leaf */
#define PTE_PPN_SHIFT	10		/* PTE bits 53..10 hold PA >> 12 */
#define SV39_LEVELS	3
#define SV39_VPN_BITS	9		/* 512 entries per table */
#define SV39_VA_BITS	39

#ifndef __ASSEMBLY__

typedef unsigned long pte_t;

/* CSR access; @csr is the CSR's assembler name (sstatus, sie, ...). */
#define read_csr(csr) \
	({ unsigned long __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define write_csr(csr, v) \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"((unsigned long)(v)) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"((unsigned long)(bits)) : "memory")
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"((unsigned long)(bits)) : "memory")
/* csr_read_clear - clear @bits, return the old value (one atomic csrrc). */
#define csr_read_clear(csr, bits) \
	({ unsigned long __v; __asm__ volatile("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"((unsigned long)(bits)) : "memory"); __v; })

/* sfence_vma - drop every cached translation of this hart. */
static inline void sfence_vma(void) { __asm__ volatile("sfence.vma zero, zero" ::: "memory"); }
/* fence_i - make this hart's instruction fetch see its own code stores. */
static inline void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }
/* wfi - sleep until an interrupt enabled in sie is pending (ignores sstatus.SIE). */
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }
/* rdtime - the constant-rate time counter (DTB timebase-frequency). */
static inline u64 rdtime(void) { u64 t; __asm__ volatile("rdtime %0" : "=r"(t)); return t; }

/* MMIO: plain volatile accesses (QEMU virt devices need no extra fences). */
static inline void mmio_write8(unsigned long a, u8 v) { *(volatile u8 *)a = v; }
static inline u8 mmio_read8(unsigned long a) { return *(volatile u8 *)a; }
static inline void mmio_write32(unsigned long a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 mmio_read32(unsigned long a) { return *(volatile u32 *)a; }

#endif /* !__ASSEMBLY__ */

#endif /* RISCV_H */
