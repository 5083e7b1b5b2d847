/*
 * printk.c - console output.  Every line printk() starts gets a
 * "[seconds.micros] " stamp from arch_clock_ns().  One lock serialises all
 * CPUs; the owner field lets a CPU that faults while printing (an oops inside
 * printk) still print its report instead of deadlocking on itself.
 */
#include "kernel.h"
#include "arch.h"

#define NO_OWNER (~0U)

static volatile unsigned int printk_owner = NO_OWNER;
static bool at_line_start = true;

/* console_lock - take the console for this CPU; returns false if nested. */
static bool console_lock(unsigned long *flags)
{
	unsigned int me;

	*flags = arch_irq_save();
	me = arch_cpu_id();
	if (READ_ONCE(printk_owner) == me)
		return false;
	while (!__atomic_compare_exchange_n(&printk_owner, &(unsigned int){NO_OWNER},
					    me, false, __ATOMIC_ACQUIRE,
					    __ATOMIC_RELAXED))
		arch_cpu_relax();
	return true;
}

static void console_unlock(unsigned long flags, bool taken)
{
	if (taken)
		__atomic_store_n(&printk_owner, NO_OWNER, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}

/* console_emit - bytes to the UART, stamping each new line when @stamp. */
static void console_emit(const char *s, size_t n, bool stamp)
{
	for (size_t i = 0; i < n; i++) {
		if (stamp && at_line_start && s[i] != '\n') {
			char ts[32];
			u64 ns = arch_clock_ns();
			int len = snprintf(ts, sizeof(ts), "[%5lu.%06lu] ",
					   (unsigned long)(ns / 1000000000),
					   (unsigned long)(ns % 1000000000) / 1000);

			for (int j = 0; j < len; j++)
				arch_console_putc(ts[j]);
		}
		if (s[i] == '\n')
			arch_console_putc('\r');
		arch_console_putc(s[i]);
		at_line_start = (s[i] == '\n');
	}
}

/*
 * Shell output capture: while a sink is set, printk_raw()/console_write()
 * output of the CPU that set it (outside interrupts) goes to the sink
 * instead of the UART.  The shell uses it for `wc` and `grep`.  Stamped
 * printk() messages always reach the console.
 */
static void (*raw_sink)(const char *s, size_t n);
static unsigned int raw_sink_cpu;

void console_set_sink(void (*sink)(const char *s, size_t n))
{
	raw_sink_cpu = arch_cpu_id();
	WRITE_ONCE(raw_sink, sink);
}

/* sink_active - raw output of this CPU goes to the capture sink now. */
static bool sink_active(void)
{
	return READ_ONCE(raw_sink) && arch_cpu_id() == raw_sink_cpu &&
	       !arch_irqs_disabled();
}

/* to_sink - give @s to the capture sink if it is active; false if not. */
static bool to_sink(const char *s, size_t n)
{
	if (!sink_active())
		return false;
	READ_ONCE(raw_sink)(s, n);
	return true;
}

/* console_write - raw bytes (no stamps, "\n" becomes "\r\n"). */
void console_write(const char *s, size_t n)
{
	unsigned long flags;
	bool taken;

	if (to_sink(s, n))
		return;
	taken = console_lock(&flags);
	console_emit(s, n, false);
	console_unlock(flags, taken);
}

/* console_out - vcbprintf() callback: @ctx says whether lines get stamps. */
static void console_out(void *ctx, const char *s, size_t n)
{
	console_emit(s, n, *(bool *)ctx);
}

/* sink_out - vcbprintf() callback while shell output is being captured. */
static void sink_out(void *ctx, const char *s, size_t n)
{
	READ_ONCE(raw_sink)(s, n);
}

/*
 * vprintk_stamp - format straight to the console (or the capture sink for
 * raw output) with no intermediate buffer, so a line of any length arrives
 * whole, newline included.  Formatting runs under the console lock: the
 * line cannot interleave with another CPU's.
 */
static int vprintk_stamp(bool stamp, const char *fmt, va_list ap)
{
	unsigned long flags;
	bool taken;
	int n;

	if (!stamp && sink_active())
		return vcbprintf(sink_out, NULL, fmt, ap);
	taken = console_lock(&flags);
	n = vcbprintf(console_out, &stamp, fmt, ap);
	console_unlock(flags, taken);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_stamp(true, fmt, ap);
	va_end(ap);
	return n;
}

int printk_raw(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_stamp(false, fmt, ap);
	va_end(ap);
	return n;
}
