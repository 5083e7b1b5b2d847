/* kernel.h - generic kernel services: printk, panic, memory, strings. */
#ifndef KERNEL_H
#define KERNEL_H

#include "types.h"
#include "errno.h"

struct pt_regs;

/*
 * kmain - generic kernel entry.  The arch's entry code calls it on the boot
 * CPU with interrupts off, a valid stack and a zeroed .bss.
 */
void __noreturn kmain(unsigned long boot_info);

/* ---- printk (kernel/core/printk.c) ---- */
/*
 * printk - format and print one message with a "[ seconds.micros] " stamp
 * before every line.  Serialised by a spinlock so lines from several CPUs
 * never interleave; safe in interrupt and trap context.
 */
int printk(const char *fmt, ...) __printf(1, 2);
/* printk_raw - print without the timestamp (shell output, echo). */
int printk_raw(const char *fmt, ...) __printf(1, 2);
void console_write(const char *s, size_t n);
/* console_set_sink - capture this CPU's raw output (NULL: back to the UART). */
void console_set_sink(void (*sink)(const char *s, size_t n));

/* ---- formatting (kernel/lib/vsnprintf.c) ---- */
/*
 * vcbprintf - format @fmt and hand the output to @emit(@ctx, bytes, n) in
 * pieces, in order, as it is produced; nothing is ever cut.  Returns the
 * number of bytes emitted.  Any context; the callback's own rules apply.
 */
/* %pV's argument: a format and its arguments, printed in place (Linux). */
struct va_format {
	const char *fmt;
	va_list *va;
};
typedef void (*vcbprintf_emit_t)(void *ctx, const char *s, size_t n);
int vcbprintf(vcbprintf_emit_t emit, void *ctx, const char *fmt, va_list ap);
/*
 * vsnprintf / snprintf - format into @buf, keeping what fits in @size
 * bytes, always terminated when @size > 0.  Return the length the whole
 * output has, which may exceed what was stored: never add it to a buffer
 * offset (use scnprintf for that).
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
/*
 * vscnprintf / scnprintf - the same, returning the bytes actually stored
 * (excluding the terminator; 0 when @size is 0), so `n += scnprintf(buf + n,
 * sizeof(buf) - n, ...)` can never step past the buffer.
 */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* ---- console input (kernel/core/console.c) ---- */
/*
 * console_rx_room - called by the arch's receive interrupt before it reads
 * each byte from the UART: true when console_rx_byte() may be called.
 * False when the input ring is full; console.c has then throttled the
 * receiver (arch_console_rx_throttle) and restarts it once the shell has
 * read enough: bytes wait in the UART, nothing is lost.
 */
bool console_rx_room(void);
void console_rx_byte(u8 c);	/* called by the arch's receive interrupt */
int console_getc(void);		/* blocks (sleeping) until a byte arrives */
/* console_rx_pending - bytes received and not yet read; any context. */
unsigned long console_rx_pending(void);
/*
 * console_check_interrupt - true (once per Ctrl-C) when a Ctrl-C byte has
 * arrived on the console since the running command started; the byte is
 * taken out of the input, every other typed-ahead byte stays.  Long-running
 * commands poll it between steps and stop with -EINTR.  Shell CPU, with
 * interrupts on (kernel/core/console.c).
 */
bool console_check_interrupt(void);

/* ---- time (kernel/core/time.c) ---- */
void timer_tick(void);		/* called by the arch's periodic timer */
u64 jiffies_read(void);

/* ---- panic (kernel/core/panic.c) ---- */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);
/*
 * die - report a fatal trap: "Oops: <reason> at address <addr>", the
 * faulting PC symbolized, all registers, the call trace; then panic.
 */
void __noreturn die(const char *reason, unsigned long addr,
		    const struct pt_regs *regs);
void dump_backtrace(unsigned long pc, unsigned long fp);
void dump_stack(void);
void __noreturn kernel_poweroff(void);

/* ---- memory (kernel/core/page_alloc.c, heap.c) ---- */
void page_alloc_init(void);
void *alloc_pages(unsigned int order);	/* zeroed; NULL when exhausted */
void free_pages(void *p, unsigned int order);
unsigned long pages_total(void);
unsigned long pages_free(void);
void *kmalloc(size_t size);		/* NULL when exhausted */
void *kzalloc(size_t size);
void kfree(void *p);
bool kmem_live(const void *p);		/* allocated, not freed (debug checks) */
void heap_stats(size_t *total, size_t *used);
void heap_verify(void);

/* ---- symbols (kernel/core/kallsyms.c) ---- */
/*
 * kallsyms_lookup - find the function containing @addr.  Returns its name
 * and sets *@start and *@size, or returns NULL for an address outside every
 * known function.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *start,
			    unsigned long *size);
/* kallsyms_lookup_name - address of function @name, 0 if unknown. */
unsigned long kallsyms_lookup_name(const char *name, unsigned long *size);
/* kallsyms_for_each_named - @fn(addr, @arg) for each function named @name; how many. */
unsigned int kallsyms_for_each_named(const char *name, void (*fn)(unsigned long addr, void *arg),
				     void *arg);
/* sprint_symbol_name - "name" (Linux %ps) or "0x<addr>". */
int sprint_symbol_name(char *buf, size_t len, unsigned long addr);
/* sprint_symbol - "name+0xoff/0xsize" (Linux %pS) or "0x<addr>". */
int sprint_symbol(char *buf, size_t len, unsigned long addr);
unsigned int kallsyms_count(void);
const char *kallsyms_name(unsigned int i, unsigned long *addr,
			  unsigned long *size);

/* ---- strings (kernel/lib/string.c) ---- */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strlcpy(char *d, const char *s, size_t n);
int kstrtol(const char *s, long *res);	/* 0 or -EINVAL; dec, 0x hex, sign */
int kstrtoul(const char *s, unsigned long *res);
/* kstrtoul_base - Linux's kstrtoul(): base 10 or 16, optional '+' (string.c). */
int kstrtoul_base(const char *s, unsigned int base, unsigned long *res);

/* Linker-script symbols bounding the image. */
extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[];
extern char _data_start[], _bss_start[], _bss_end[], _kernel_end[];
extern char _kernel_start[];

#endif /* KERNEL_H */
