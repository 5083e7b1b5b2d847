/*
 * fuzz_console.c - the console input ring (kernel/core/console.c) as the
 * UART interrupt and the shell drive it, against a model queue: bytes come
 * out in order, none lost, none invented; Ctrl-C taken by
 * console_check_interrupt() is the first one waiting and only it goes; the
 * receiver is stopped only when the ring is full and restarted once a
 * quarter of it is free.
 *
 * Input: operation/amount byte pairs: receive bytes (the UART's side:
 * ask console_rx_room() before each; the handler may run while stopped, as
 * an interrupt latched before the mask would), receive a burst big enough to fill
 * the ring, read bytes (console_getc), check for Ctrl-C.  Each input ends
 * by reading everything, so the next starts from an empty ring.
 */
#include <string.h>

#include "fuzz.h"
#include "host.h"
#include "env.h"

#define RING 16384		/* RX_RING_SIZE in console.c */
#define CTRL_C 0x03

static unsigned char model[4 * RING];
static size_t mhead, mtail;	/* model queue: model[mtail..mhead) */

/* receive - the UART interrupt with @n bytes waiting: returns how many it took. */
static size_t receive(struct input *in, size_t n, bool burst)
{
	size_t took = 0;

	while (took < n) {
		bool was_stopped = host_rx_stopped;

		if (!console_rx_room()) {
			FUZZ_ASSERT(mhead - mtail == RING, "no room with %zu of %d used",
				    mhead - mtail, RING);
			FUZZ_ASSERT(host_rx_stopped, "full but the receiver still runs");
			break;
		}
		/*
		 * Room while stopped is fine: an interrupt latched before the
		 * mask may still run the handler; it just fills the ring.
		 */
		FUZZ_ASSERT(host_rx_stopped == was_stopped, "room changed the receiver");
		unsigned char c = burst ? (unsigned char)(took % 7 == 3 ? CTRL_C : 'a' + took % 26)
				     : (unsigned char)in_byte(in);

		console_rx_byte(c);
		model[mhead++ % sizeof(model)] = c;
		took++;
	}
	return took;
}

/* read_one - console_getc() must return the model's next byte. */
static void read_one(void)
{
	int c = console_getc();

	FUZZ_ASSERT(mtail < mhead, "getc returned %d from an empty ring", c);
	FUZZ_ASSERT(c == model[mtail % sizeof(model)], "getc %#x, want %#x", c,
		    model[mtail % sizeof(model)]);
	mtail++;
	if (RING - (mhead - mtail) >= RING / 4)
		FUZZ_ASSERT(!host_rx_stopped, "a quarter free and still stopped");
}

/* check_ctrl_c - take the first waiting Ctrl-C out of the model too. */
static void check_ctrl_c(void)
{
	size_t at;
	bool got = console_check_interrupt();

	for (at = mtail; at < mhead && model[at % sizeof(model)] != CTRL_C; at++)
		;
	FUZZ_ASSERT(got == (at < mhead), "check_interrupt %d with %s Ctrl-C waiting", got,
		    at < mhead ? "a" : "no");
	if (!got)
		return;
	for (; at > mtail; at--)
		model[at % sizeof(model)] = model[(at - 1) % sizeof(model)];
	mtail++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	mhead = mtail = 0;
	while (in.n) {
		int op = in_byte(&in) % 5, k = in_byte(&in);

		if (op == 0)
			receive(&in, k, false);
		else if (op == 1)
			receive(&in, RING + k, true);
		else if (op == 2 || op == 3)
			for (int i = 0; i < k * (op == 3 ? 64 : 1) && mtail < mhead; i++)
				read_one();
		else
			check_ctrl_c();
		FUZZ_ASSERT(console_rx_pending() == mhead - mtail, "pending %lu, model %zu",
			    console_rx_pending(), mhead - mtail);
	}
	while (mtail < mhead)
		read_one();
	FUZZ_ASSERT(!host_rx_stopped, "empty ring, receiver stopped");
	FUZZ_ASSERT(!console_check_interrupt(), "a Ctrl-C in an empty ring");
	return 0;
}
