/*
 * uart.c - the ns16550a console: polled transmit, interrupt-driven receive.
 * Until arch_early_init() has found the UART in the DTB, output goes through
 * the SBI legacy console so that early panics are still visible.
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

/* Register indices (scaled by the DTB's reg-shift). */
#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */

#define IER_RDI		0x01	/* receive data available */
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define FCR_CLEAR_TX	0x04
#define LCR_8N1		0x03
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08	/* gates the interrupt line on PC-style boards */
#define LSR_DR		0x01	/* a byte is waiting */
#define LSR_THRE	0x20	/* transmit holding register empty */

static unsigned long uart_base;	/* 0 until riscv_uart_init() */

/* uart_read / uart_write - register @reg, spaced by the DTB's reg-shift. */
static u8 uart_read(unsigned int reg)
{
	return mmio_read8(uart_base + (reg << riscv_plat.uart_reg_shift));
}

static void uart_write(unsigned int reg, u8 v)
{
	mmio_write8(uart_base + (reg << riscv_plat.uart_reg_shift), v);
}

/*
 * riscv_uart_init - 8N1, FIFOs on, interrupts off.  The baud rate is left as
 * the firmware set it (QEMU ignores it).  Boot CPU, interrupts off.
 */
void riscv_uart_init(void)
{
	uart_base = riscv_plat.uart_base;
	uart_write(UART_IER, 0);
	uart_write(UART_LCR, LCR_8N1);
	uart_write(UART_FCR, FCR_ENABLE | FCR_CLEAR_RX | FCR_CLEAR_TX);
	uart_write(UART_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
}

/* riscv_uart_enable_rx_irq - raise the UART's PLIC line when bytes arrive. */
void riscv_uart_enable_rx_irq(void)
{
	uart_write(UART_IER, IER_RDI);
}

#define UART_FIFO_SIZE	16	/* the 16550's transmit FIFO */

/*
 * arch_console_putc - see arch.h.  THRE means the whole transmit FIFO is
 * empty, so after one poll 16 bytes can go without asking again (each MMIO
 * access is an exit under emulation).  Callers serialise (printk's console
 * lock); a CPU that oopses inside printk may at worst overfill the FIFO,
 * which drops bytes but cannot hang.
 */
static unsigned int tx_room;

void arch_console_putc(char c)
{
	if (!uart_base) {
		/* OpenSBI's console turns '\n' into "\r\n" itself. */
		if (c != '\r')
			riscv_sbi_legacy_putchar(c);
		return;
	}
	if (!tx_room) {
		while (!(uart_read(UART_LSR) & LSR_THRE))
			;
		tx_room = UART_FIFO_SIZE;
	}
	tx_room--;
	uart_write(UART_THR, (u8)c);
}

/*
 * riscv_uart_irq - from the PLIC handler, interrupts off: move received
 * bytes into the console ring while it has room.  Reading RBR until LSR.DR
 * clears deasserts the interrupt; when the ring is full console.c has
 * throttled us instead, which deasserts it too.
 */
void riscv_uart_irq(void)
{
	while (console_rx_room() && (uart_read(UART_LSR) & LSR_DR))
		console_rx_byte(uart_read(UART_RBR));
}

/*
 * arch_console_rx_throttle - see arch.h.  IER gates the level-triggered
 * PLIC line: off, the line drops; on with data waiting, it is raised again.
 */
void arch_console_rx_throttle(bool stop)
{
	uart_write(UART_IER, stop ? 0 : IER_RDI);
}
