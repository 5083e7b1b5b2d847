/*
 * riscv_private.h - riscv64-private declarations shared by the files of
 * arch/riscv: the platform description read from the DTB, the FDT walker,
 * SBI calls and the per-subsystem init hooks.  Generic code never includes
 * this.
 */
#ifndef RISCV_PRIVATE_H
#define RISCV_PRIVATE_H

#include "types.h"
#include "riscv.h"
#include "riscv_percpu.h"

struct pt_regs;

/* ---- platform (setup.c): what arch_early_init() copies out of the DTB ---- */

#define RISCV_MAX_RAM	8
#define RISCV_MAX_HARTS	64	/* cpu nodes kept from the DTB (RISCV_MAX_CPUS run) */
#define RISCV_NO_PLIC_CTX	(~0UL)	/* a hart without an S-mode PLIC context */

struct riscv_range {
	phys_addr_t start, end;
};

/* One enabled /cpus/cpu@N node, in DTB order. */
struct riscv_hart {
	unsigned long hartid;		/* reg */
	u32 intc_phandle;		/* its riscv,cpu-intc child; 0 if none */
	unsigned long plic_ctx;		/* resolved from the PLIC's interrupts-extended */
};

struct riscv_platform {
	struct riscv_range ram[RISCV_MAX_RAM];	/* /memory reg, as found */
	int nr_ram;
	struct riscv_range reserved[RISCV_MAX_RAM]; /* /reserved-memory + memreserve */
	int nr_reserved;
	phys_addr_t dtb_start, dtb_end;
	u32 timebase_hz;		/* /cpus timebase-frequency */
	unsigned int dtb_cpus;		/* enabled cpu nodes in /cpus */
	struct riscv_hart harts[RISCV_MAX_HARTS];	/* the first RISCV_MAX_HARTS of them */
	unsigned int nr_cpus;		/* CPUs numbered (<= RISCV_MAX_CPUS): arch_nr_cpus() */
	unsigned long uart_base;	/* ns16550a */
	u32 uart_irq;
	u32 uart_reg_shift;
	unsigned long plic_base, plic_size;	/* riscv,plic0 */
	u32 plic_ndev;
	const u32 *plic_ie;		/* its interrupts-extended (big-endian cells) */
	u32 plic_ie_len;		/* in bytes */
	unsigned long test_base;	/* sifive,test0 finisher; 0 if absent */
};
extern struct riscv_platform riscv_plat;
extern struct riscv_percpu riscv_percpu[RISCV_MAX_CPUS];

/* head.S: cpu 0's emergency stack, guard page and boot stack, in that order. */
extern char emerg_stack0_bottom[], emerg_stack0_top[];
extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

/* ---- flattened device tree (fdt.c) ---- */

struct fdt_node {
	const char *name;		/* "uart@10000000"; "" for the root */
	const char *parent;		/* parent's name; NULL for the root */
	int depth;			/* root: 0 */
	u32 addr_cells, size_cells;	/* the parent's: how to decode reg */
	const u32 *props;		/* first token after the name */
	const u32 *struct_end;
	const char *strings;
};

typedef void (*fdt_node_fn)(const struct fdt_node *node, void *arg);

int riscv_fdt_check(const void *dtb);
u32 riscv_fdt_total_size(const void *dtb);
int riscv_fdt_walk(const void *dtb, fdt_node_fn fn, void *arg);
const void *riscv_fdt_prop(const struct fdt_node *node, const char *name, u32 *len);
bool riscv_fdt_prop_is(const struct fdt_node *node, const char *name, const char *value);
bool riscv_fdt_compatible(const struct fdt_node *node, const char *compat);
int riscv_fdt_u32(const struct fdt_node *node, const char *name, u32 *val);
int riscv_fdt_reg(const struct fdt_node *node, int i, u64 *base, u64 *size);
int riscv_fdt_memreserve(const void *dtb, int i, u64 *base, u64 *size);
u32 riscv_fdt_cell(const u32 *cells, unsigned int i);

/* ---- SBI (sbi.c) ---- */

#define SBI_EXT_LEGACY_SET_TIMER	0x00
#define SBI_EXT_LEGACY_PUTCHAR		0x01
#define SBI_EXT_LEGACY_SHUTDOWN		0x08
#define SBI_EXT_BASE			0x10
#define  SBI_BASE_GET_SPEC_VERSION	0
#define  SBI_BASE_PROBE_EXT		3
#define SBI_EXT_TIME			0x54494d45	/* "TIME" */
#define  SBI_TIME_SET_TIMER		0
#define SBI_EXT_IPI			0x735049	/* "sPI" */
#define  SBI_IPI_SEND_IPI		0
#define SBI_EXT_HSM			0x48534d	/* "HSM" */
#define  SBI_HSM_HART_START		0
#define SBI_EXT_SRST			0x53525354	/* "SRST" */
#define  SBI_SRST_RESET			0
#define  SBI_SRST_TYPE_SHUTDOWN		0
#define  SBI_SRST_REASON_NONE		0
#define  SBI_SRST_REASON_SYSFAIL	1

#define SBI_SUCCESS			0

struct sbiret {
	long error;
	long value;
};

/*
 * sbi_ecall - one ecall to the SBI firmware: a7 = extension, a6 = function,
 * a0..a2 = arguments; the firmware answers in a0 (error) and a1 (value).
 */
static inline struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
				      unsigned long arg0, unsigned long arg1,
				      unsigned long arg2)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a2 __asm__("a2") = arg2;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a2), "r"(a6), "r"(a7) : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

void riscv_sbi_init(void);
void riscv_sbi_set_timer(u64 deadline);
void riscv_sbi_legacy_putchar(char c);
bool riscv_sbi_have_smp(void);
long riscv_sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);
void riscv_sbi_send_ipi(unsigned long hartid);

/*
 * QEMU's sifive,test "finisher": a 32-bit write of PASS exits QEMU with 0,
 * (code << 16) | FAIL exits with status code.
 */
#define SIFIVE_TEST_FAIL		0x3333
#define SIFIVE_TEST_PASS		0x5555
#define SIFIVE_TEST_CODE_SHIFT		16

/* ---- devices and subsystems ---- */

void riscv_uart_init(void);
void riscv_uart_enable_rx_irq(void);
void riscv_uart_irq(void);

/* The PLIC functions act on the calling CPU's S-mode context. */
void riscv_plic_init(void);
void riscv_plic_enable(unsigned int irq);
void riscv_plic_irq(void);

void riscv_clock_init(void);
void riscv_timer_start(void);
void riscv_timer_irq(void);

/*
 * RISCV_TEXT_ALIAS - base of the second, writable view of kernel text
 * (mm.c): text at pa is also mapped R+W, never X, at RISCV_TEXT_ALIAS + pa,
 * for arch_text_write().  128 GiB: inside Sv39's lower half (VAs below
 * 2^38; 0x4000000000 would be non-canonical) and far above RAM.
 */
#define RISCV_TEXT_ALIAS	0x2000000000UL

void riscv_mm_init(void);
pte_t riscv_mm_lookup(unsigned long va);
void riscv_mm_unmap_page(unsigned long va);
extern unsigned long riscv_kernel_satp;	/* satp of the kernel page table (head.S) */

/* ---- SMP (smp.c) ---- */

/* head.S: where SBI HSM starts a secondary hart (a1 = its riscv_percpu). */
extern char riscv_secondary_start[];
void __noreturn riscv_secondary_main(void);
void riscv_ipi_irq(struct pt_regs *regs);

#ifdef CONFIG_FTRACE_MCOUNT
void riscv_mcount_init(void);
#endif
void riscv_ftrace_restart_site(struct pt_regs *regs);

void riscv_trap(struct pt_regs *regs, unsigned long on_emergency_stack);

#endif /* RISCV_PRIVATE_H */
