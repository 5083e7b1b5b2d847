/*
 * env.c - the kernel services the generic C under test calls, for the
 * host: memory from malloc (with a knob that makes allocations fail, to
 * reach the -ENOMEM paths), panic as abort, and a fake trampoline for
 * kallsyms' fallback lookup.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "ftrace.h"
#include "env.h"

long host_alloc_countdown = -1;

/* kmalloc - malloc, unless the countdown says this allocation fails. */
void *kmalloc(size_t size)
{
	if (host_alloc_countdown == 0)
		return NULL;
	if (host_alloc_countdown > 0)
		host_alloc_countdown--;
	return malloc(size ? size : 1);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	free(p);
}

/* panic - a broken kernel invariant: report it and abort (a test failure). */
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("Kernel panic - not syncing: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/*
 * tramp_lookup - one fake trampoline, HOST_TRAMP_ADDR..+HOST_TRAMP_SIZE,
 * named "host_tramp", so lookups outside the kallsyms table take the same
 * fallback path as in the kernel.
 */
const char *tramp_lookup(unsigned long addr, unsigned long *start, unsigned long *size)
{
	if (addr - HOST_TRAMP_ADDR >= HOST_TRAMP_SIZE)
		return NULL;
	*start = HOST_TRAMP_ADDR;
	*size = HOST_TRAMP_SIZE;
	return "host_tramp";
}

bool host_rx_stopped;
unsigned long host_rx_throttle_calls;

/*
 * arch_console_rx_throttle - the host has no UART: record what console.c
 * asked for, so fuzz_console can check when it stops and restarts input.
 */
void arch_console_rx_throttle(bool stop)
{
	host_rx_stopped = stop;
	host_rx_throttle_calls++;
}

/*
 * cpu_idle_wait - console_getc() sleeps here in the kernel (smp.c); the
 * host tests never let the ring run empty while reading, so it only has
 * to exist.
 */
void cpu_idle_wait(void)
{
}
