/*
 * console.c - console input.  The arch's UART receive interrupt pushes bytes
 * into a single-producer/single-consumer ring; the shell pulls them with
 * console_getc(), sleeping in arch_wait_for_interrupt() while it is empty.
 */
#include "kernel.h"
#include "arch.h"
#include "smp.h"

#define RX_RING_SIZE 16384	/* power of two; > the largest test burst */

static u8 rx_ring[RX_RING_SIZE];
static volatile unsigned int rx_head, rx_tail;	/* head: producer */
static unsigned long rx_dropped;

/* console_rx_byte - called from the receive interrupt with irqs off. */
void console_rx_byte(u8 c)
{
	unsigned int head = rx_head;

	if (head - rx_tail == RX_RING_SIZE) {
		rx_dropped++;
		return;
	}
	rx_ring[head % RX_RING_SIZE] = c;
	__atomic_store_n(&rx_head, head + 1, __ATOMIC_RELEASE);
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

			rx_tail++;
			arch_irq_restore(flags);
			return c;
		}
		/* Empty: sleep with the check and the sleep atomic. */
		cpu_idle_wait();
		arch_irq_restore(flags);
	}
}

unsigned long console_rx_dropped(void)
{
	return rx_dropped;
}

/*
 * console_check_interrupt - see kernel.h.  Finds the first Ctrl-C between
 * tail and head and closes the gap by moving the bytes before it up one
 * slot, then advancing tail: only slots the consumer owns are touched, so
 * the receive interrupt may keep appending at head meanwhile.  (A minimal
 * version of the helper on the robust-c branch, which also counts Ctrl-C
 * bytes to skip the scan.)
 */
bool console_check_interrupt(void)
{
	unsigned long flags = arch_irq_save();
	unsigned int head = __atomic_load_n(&rx_head, __ATOMIC_ACQUIRE);
	unsigned int tail = rx_tail, at;

	for (at = tail; at != head; at++)
		if (rx_ring[at % RX_RING_SIZE] == 0x03)
			break;
	if (at == head) {
		arch_irq_restore(flags);
		return false;
	}
	for (; at != tail; at--)
		rx_ring[at % RX_RING_SIZE] = rx_ring[(at - 1) % RX_RING_SIZE];
	rx_tail = tail + 1;
	arch_irq_restore(flags);
	return true;
}
