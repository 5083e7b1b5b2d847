/*
 * demo.c - functions with known results for `call` and the tests.  Kept in
 * their own file and noinline so optimisation never folds them away.
 */
#include "kernel.h"
#include "arch.h"

long __noinline demo_add(long a, long b)
{
	return a + b;
}

long __noinline demo_mul3(long a, long b, long c)
{
	return a * b * c;
}

long __noinline demo_sum6(long a, long b, long c, long d, long e, long f)
{
	return a + b + c + d + e + f;
}

/*
 * demo_wait_ticks - busy-wait, interrupts on, until @n ticks (1..HZ) have
 * passed: timer interrupts then land inside this function for certain.
 * Returns @n, or -EINVAL outside the range (the shell must stay usable).
 */
long __noinline demo_wait_ticks(long n)
{
	u64 end;

	if (n < 1 || n > HZ)
		return -EINVAL;
	end = jiffies_read() + (u64)n;
	while (jiffies_read() < end)
		barrier();
	return n;
}

/*
 * demo_answer - the answer, off by one: 41.  The livepatch-callbacks-demo
 * module replaces it by one that returns 42.
 */
long __noinline demo_answer(void)
{
	return 41;
}

/*
 * demo_wait_input - busy-wait, interrupts on, until the console input ring
 * holds @bytes (pasted while we spin), then @ticks more (1..HZ) so input
 * keeps arriving at a full ring; gives up after 30 s.  The paste scenario
 * uses it so the ring overflows whatever rate the host delivers at.
 * Returns the bytes waiting in the ring at the end, or -EINVAL.
 */
long __noinline demo_wait_input(long bytes, long ticks)
{
	u64 give_up = jiffies_read() + 30 * HZ, end;

	if (bytes < 1 || ticks < 1 || ticks > HZ)
		return -EINVAL;
	while (console_rx_pending() < (unsigned long)bytes && jiffies_read() < give_up)
		barrier();
	end = jiffies_read() + (u64)ticks;
	while (jiffies_read() < end)
		barrier();
	return (long)console_rx_pending();
}
