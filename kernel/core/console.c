/*
 * console.c - console input.  The arch's UART receive interrupt pushes bytes
 * into a single-producer/single-consumer ring; the shell pulls them with
 * console_getc(), sleeping in arch_wait_for_interrupt() while it is empty.
 *
 * Back-pressure instead of loss: when the ring is full the receive
 * interrupt stops reading the UART and console_rx_room() throttles the
 * receiver (arch_console_rx_throttle: its interrupt masked).  Unread bytes
 * stay in the UART's FIFO; once that is full too the sender has to wait
 * (QEMU's serial backend stops reading the host pty, so a paste into the
 * terminal simply blocks).  The shell restarts the receiver when it has
 * read a quarter of the ring.
 *
 * Both ends run on the boot CPU: the UART interrupt is routed there
 * (arch.h) and the shell runs there with interrupts on; each end works
 * with interrupts off, so the throttle state needs no lock.
 */
#include "kernel.h"
#include "arch.h"
#include "smp.h"

#define RX_RING_SIZE	16384	/* power of two; > the largest test burst */
#define RX_RESUME_ROOM	(RX_RING_SIZE / 4)	/* free bytes before restarting */
#define CTRL_C		0x03

static u8 rx_ring[RX_RING_SIZE];
static volatile unsigned int rx_head, rx_tail;	/* head: producer */
static bool rx_throttled;	/* the receiver is stopped: the ring was full */
static unsigned int rx_ctrl_c;	/* Ctrl-C bytes in the ring (skips most scans) */

/* console_rx_room - see kernel.h.  Receive interrupt, interrupts off. */
bool console_rx_room(void)
{
	if (rx_head - READ_ONCE(rx_tail) < RX_RING_SIZE)
		return true;
	if (!rx_throttled) {
		rx_throttled = true;
		arch_console_rx_throttle(true);
	}
	return false;
}

/*
 * console_rx_byte - store one received byte.  Receive interrupt, interrupts
 * off, only after console_rx_room() said yes: a full ring here means the
 * arch broke that contract.
 */
void console_rx_byte(u8 c)
{
	unsigned int head = rx_head;

	if (head - rx_tail == RX_RING_SIZE)
		panic("console_rx_byte: ring full (the arch must ask console_rx_room first)");
	rx_ring[head % RX_RING_SIZE] = c;
	rx_ctrl_c += (c == CTRL_C);
	__atomic_store_n(&rx_head, head + 1, __ATOMIC_RELEASE);
}

/*
 * rx_consumed - after the shell took bytes: restart a throttled receiver
 * once a quarter of the ring is free (hysteresis, so a slow reader does
 * not take one interrupt per byte).  Interrupts off.
 */
static void rx_consumed(void)
{
	if (rx_throttled && RX_RING_SIZE - (rx_head - rx_tail) >= RX_RESUME_ROOM) {
		rx_throttled = false;
		arch_console_rx_throttle(false);
	}
}

/*
 * console_getc - next input byte; sleeps until one arrives.  Must be called
 * with interrupts enabled (or it sleeps with them enabled and returns so).
 */
int console_getc(void)
{
	for (;;) {
		unsigned long flags = arch_irq_save();

		if (__atomic_load_n(&rx_head, __ATOMIC_ACQUIRE) != rx_tail) {
			u8 c = rx_ring[rx_tail % RX_RING_SIZE];

			WRITE_ONCE(rx_tail, rx_tail + 1);
			rx_ctrl_c -= (c == CTRL_C);
			rx_consumed();
			arch_irq_restore(flags);
			return c;
		}
		/* Empty: sleep with the check and the sleep atomic. */
		cpu_idle_wait();
		arch_irq_restore(flags);
	}
}

/* console_rx_pending - bytes received and not yet read (see kernel.h). */
unsigned long console_rx_pending(void)
{
	return __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE) - READ_ONCE(rx_tail);
}

/*
 * console_check_interrupt - see kernel.h.  Finds the first Ctrl-C between
 * tail and head and closes the gap by moving the bytes before it up one
 * slot, then advancing tail: only slots the consumer owns are touched, so
 * the receive interrupt may keep appending at head meanwhile.
 */
bool console_check_interrupt(void)
{
	unsigned long flags = arch_irq_save();
	unsigned int head = __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE);
	unsigned int tail = rx_tail, at;

	if (!rx_ctrl_c) {
		arch_irq_restore(flags);
		return false;
	}
	for (at = tail; at != head; at++)
		if (rx_ring[at % RX_RING_SIZE] == CTRL_C)
			break;
	if (at == head) {
		arch_irq_restore(flags);
		return false;
	}
	for (; at != tail; at--)
		rx_ring[at % RX_RING_SIZE] = rx_ring[(at - 1) % RX_RING_SIZE];
	WRITE_ONCE(rx_tail, tail + 1);
	rx_ctrl_c--;
	rx_consumed();
	arch_irq_restore(flags);
	return true;
}
