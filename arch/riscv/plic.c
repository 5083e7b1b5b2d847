/*
 * plic.c - the RISC-V platform-level interrupt controller: route device
 * interrupts to one hart's S-mode context, claim and complete them.  Every
 * function acts on the calling CPU's context, which setup.c resolved from
 * the PLIC's interrupts-extended (not assumed to be 2 * hart + 1).
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

/* Register layout (riscv,plic0), offsets from the base. */
#define PLIC_PRIORITY(irq)	(4UL * (irq))
#define PLIC_ENABLE(ctx, irq)	(0x2000UL + 0x80UL * (ctx) + 4UL * ((irq) / 32))
#define PLIC_THRESHOLD(ctx)	(0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)		(0x200000UL + 0x1000UL * (ctx) + 4)

#define PLIC_PRIO_DEFAULT	1	/* any nonzero priority beats threshold 0 */

/* plic_context - this CPU's S-mode context; panics if its hart has none. */
static unsigned long plic_context(void)
{
	unsigned long ctx = riscv_this_cpu()->plic_ctx;

	if (ctx == RISCV_NO_PLIC_CTX)
		panic("plic_context: hart %lu has no S-mode PLIC context",
		      riscv_this_cpu()->hartid);
	return ctx;
}

/* plic_reg - address of register @off; panics outside the DTB's reg. */
static unsigned long plic_reg(unsigned long off)
{
	if (off + 4 > riscv_plat.plic_size)
		panic("plic_reg: offset 0x%lx outside the PLIC", off);
	return riscv_plat.plic_base + off;
}

/*
 * riscv_plic_init - accept every priority on this CPU's S context (each
 * CPU, interrupts off).  A hart without one simply gets no device
 * interrupts; only the boot hart needs one (the UART is routed there).
 */
void riscv_plic_init(void)
{
	if (riscv_this_cpu()->plic_ctx != RISCV_NO_PLIC_CTX)
		mmio_write32(plic_reg(PLIC_THRESHOLD(plic_context())), 0);
}

/* riscv_plic_enable - give @irq a priority and route it to this CPU. */
void riscv_plic_enable(unsigned int irq)
{
	unsigned long en = plic_reg(PLIC_ENABLE(plic_context(), irq));

	if (irq == 0 || irq > riscv_plat.plic_ndev)
		panic("riscv_plic_enable: irq %u outside 1..%u", irq, riscv_plat.plic_ndev);
	mmio_write32(plic_reg(PLIC_PRIORITY(irq)), PLIC_PRIO_DEFAULT);
	mmio_write32(en, mmio_read32(en) | (1U << (irq % 32)));
}

/*
 * riscv_plic_irq - the supervisor external interrupt: claim and handle
 * until the PLIC has nothing pending for this context.  Trap context.
 */
void riscv_plic_irq(void)
{
	unsigned long claim = plic_reg(PLIC_CLAIM(plic_context()));
	u32 irq;

	while ((irq = mmio_read32(claim)) != 0) {
		if (irq == riscv_plat.uart_irq)
			riscv_uart_irq();
		else
			printk("riscv_plic_irq: unexpected irq %u\n", irq);
		mmio_write32(claim, irq);	/* complete */
	}
}
