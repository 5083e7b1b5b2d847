/* uart.c - 16550 on COM1: polled transmit, interrupt-driven receive. */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

#define UART_RBR 0	/* receive buffer (read) */
#define UART_THR 0	/* transmit holding (write) */
#define UART_DLL 0	/* divisor low (DLAB = 1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define IER_RX_AVAIL	0x01
#define FCR_ENABLE_CLEAR 0x07	/* FIFO on, clear both, trigger at 1 byte */
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the IRQ line on PCs */
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

void x86_uart_init(void)
{
	outb(COM1_PORT + UART_IER, 0);
	outb(COM1_PORT + UART_LCR, LCR_DLAB);
	outb(COM1_PORT + UART_DLL, 1);		/* 115200 baud */
	outb(COM1_PORT + UART_DLM, 0);
	outb(COM1_PORT + UART_LCR, LCR_8N1);
	outb(COM1_PORT + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1_PORT + UART_MCR, MCR_DTR_RTS_OUT2);
}

void x86_uart_enable_rx_irq(void)
{
	outb(COM1_PORT + UART_IER, IER_RX_AVAIL);
}

#define UART_FIFO_SIZE	16

/*
 * arch_console_putc - THR empty means the whole transmit FIFO is empty, so
 * after one poll 16 bytes can go without asking again: half the port I/O
 * (each access is an exit under emulation).  Callers serialise (printk's
 * console lock); a CPU that oopses inside printk may at worst overfill the
 * FIFO, which drops bytes but cannot hang.
 */
static unsigned int tx_room;

void arch_console_putc(char c)
{
	if (!tx_room) {
		while (!(inb(COM1_PORT + UART_LSR) & LSR_THR_EMPTY))
			;
		tx_room = UART_FIFO_SIZE;
	}
	tx_room--;
	outb(COM1_PORT + UART_THR, (u8)c);
}

/*
 * x86_uart_irq - move received bytes into the console ring while it has
 * room; the rest wait in the FIFO (console.c has throttled us).
 */
void x86_uart_irq(void)
{
	while (console_rx_room() && (inb(COM1_PORT + UART_LSR) & LSR_DATA_READY))
		console_rx_byte(inb(COM1_PORT + UART_RBR));
}

/*
 * arch_console_rx_throttle - see arch.h.  With the receive interrupt off
 * in IER the line drops; turning it back on with data waiting raises it
 * again, a new edge for the IOAPIC.
 */
void arch_console_rx_throttle(bool stop)
{
	outb(COM1_PORT + UART_IER, stop ? 0 : IER_RX_AVAIL);
}
