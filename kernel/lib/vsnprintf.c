/*
 * vsnprintf.c - the kernel's printf: %d %i %u %x %X %p %s %c %% with the
 * flags '-', '0', field width ('*' too), precision for strings, and the
 * l / ll / z length modifiers.  %pS prints a symbol ("func+0x12/0x40"), %ps
 * its name, %pV a nested format (struct va_format, as in Linux).
 *
 * One formatter core, vcbprintf(), hands its output to a callback in
 * pieces, so a caller that streams (printk, straight to the UART) needs no
 * buffer and can never cut a line short.  vsnprintf() and scnprintf() are
 * that core with a callback that fills a caller's buffer.
 *
 * No piece of kernel/lib may touch hardware: tests/host builds this file
 * for the host and fuzzes it under AddressSanitizer.
 */
#include "kernel.h"

/*
 * Field widths and precisions beyond this are clamped: a format such as
 * "%99999999999d" would otherwise overflow the int being parsed, and no
 * kernel format pads anywhere near this far.
 */
#define FMT_WIDTH_MAX	4096

/* Output state: bytes are batched so the callback sees runs, not chars. */
struct out {
	vcbprintf_emit_t emit;
	void *ctx;
	size_t count;		/* bytes produced so far */
	size_t fill;		/* bytes waiting in batch[] */
	char batch[64];
};

/* flush - hand the batched bytes to the callback. */
static void flush(struct out *o)
{
	if (o->fill) {
		o->emit(o->ctx, o->batch, o->fill);
		o->fill = 0;
	}
}

/* put - one output byte; the callback sees it at the next flush. */
static void put(struct out *o, char c)
{
	o->batch[o->fill++] = c;
	o->count++;
	if (o->fill == sizeof(o->batch))
		flush(o);
}

/* put_pad - @n copies of @c (nothing when @n <= 0). */
static void put_pad(struct out *o, char c, int n)
{
	for (int i = 0; i < n; i++)
		put(o, c);
}

/* put_str - @len bytes of @s, padded to @width on the left or right. */
static void put_str(struct out *o, const char *s, size_t len, int width, bool left)
{
	int pad = (size_t)width > len ? width - (int)len : 0;

	if (!left)
		put_pad(o, ' ', pad);
	for (size_t i = 0; i < len; i++)
		put(o, s[i]);
	if (left)
		put_pad(o, ' ', pad);
}

/* put_num - @v in @base, '-' first if @neg, padded with blanks or zeros. */
static void put_num(struct out *o, unsigned long long v, bool neg, unsigned int base,
		    bool upper, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];		/* 2^64 has 20 decimal digits */
	int n = 0, len, pad;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	pad = width > len ? width - len : 0;
	if (!left && !zero)
		put_pad(o, ' ', pad);
	if (neg)
		put(o, '-');
	if (!left && zero)
		put_pad(o, '0', pad);
	while (n)
		put(o, tmp[--n]);
	if (left)
		put_pad(o, ' ', pad);
}

/*
 * put_symbol - %pS ("name+0xoff/0xsize") or %ps ("name") for @addr, or
 * "0x<addr>" outside every known function; padded to @width.  Looks the
 * symbol up directly instead of through a buffer, so names of any length
 * print whole.
 */
static void put_symbol(struct out *o, unsigned long addr, bool offset, int width,
		       bool left)
{
	unsigned long start, size;
	const char *name = kallsyms_lookup(addr, &start, &size);
	char tail[48];		/* "+0x" 16 hex "/0x" 16 hex, or "0x" 16 hex */
	size_t name_len = 0, tail_len;
	int pad;

	if (!name)
		tail_len = scnprintf(tail, sizeof(tail), "0x%lx", addr);
	else if (offset)
		tail_len = scnprintf(tail, sizeof(tail), "+0x%lx/0x%lx", addr - start, size);
	else
		tail_len = 0;
	if (name)
		name_len = strlen(name);
	pad = (size_t)width > name_len + tail_len ? width - (int)(name_len + tail_len) : 0;
	if (!left)
		put_pad(o, ' ', pad);
	for (size_t i = 0; i < name_len; i++)
		put(o, name[i]);
	for (size_t i = 0; i < tail_len; i++)
		put(o, tail[i]);
	if (left)
		put_pad(o, ' ', pad);
}

/*
 * put_nested - %pV: the whole output of another format and its va_list
 * (Linux's struct va_format), e.g. panic()'s message inside its line.  The
 * va_list is copied, so the same va_format can be printed twice.
 */
static void put_nested(struct out *o, const struct va_format *vaf)
{
	va_list ap;

	flush(o);
	va_copy(ap, *vaf->va);
	o->count += vcbprintf(o->emit, o->ctx, vaf->fmt, ap);
	va_end(ap);
}

/* parse_int - a decimal field (width/precision), clamped to FMT_WIDTH_MAX. */
static int parse_int(const char **fmt)
{
	int v = 0;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++)
		if (v <= FMT_WIDTH_MAX)
			v = v * 10 + (**fmt - '0');
	return MIN(v, FMT_WIDTH_MAX);
}

/* vcbprintf - see kernel.h: the one formatter every other entry point uses. */
int vcbprintf(vcbprintf_emit_t emit, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { .emit = emit, .ctx = ctx };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool left = false, zero = false;
		int width = 0, prec = -1, lng = 0;

		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++)
			*fmt == '-' ? (left = true) : (zero = true);
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
			if (width < 0) {	/* C: a negative '*' width left-justifies */
				left = true;
				width = width < -FMT_WIDTH_MAX ? FMT_WIDTH_MAX : -width;
			}
			width = MIN(width, FMT_WIDTH_MAX);
		} else {
			width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			if (*++fmt == '*') {
				prec = va_arg(ap, int);	/* negative: as if omitted */
				prec = prec < 0 ? -1 : MIN(prec, FMT_WIDTH_MAX);
				fmt++;
			} else {
				prec = parse_int(&fmt);
			}
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;

			put_num(&o, u, v < 0, 10, false, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			unsigned long long v = lng ? va_arg(ap, unsigned long)
						   : va_arg(ap, unsigned int);

			put_num(&o, v, false, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				width, zero, left);
			break;
		}
		case 'p': {
			unsigned long v = (unsigned long)va_arg(ap, void *);

			if (fmt[1] == 'S' || fmt[1] == 's') {
				put_symbol(&o, v, *++fmt == 'S', width, left);
			} else if (fmt[1] == 'V') {
				fmt++;
				put_nested(&o, (const struct va_format *)v);
			} else {
				put(&o, '0');
				put(&o, 'x');
				put_num(&o, v, false, 16, false, 16, true, false);
			}
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			put_str(&o, s, strnlen(s, prec >= 0 ? (size_t)prec : (size_t)-1),
				width, left);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_str(&o, &c, 1, width, left);	/* padded, as in C */
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;		/* a lone '%' ends the format */
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	flush(&o);
	return o.count > INT32_MAX ? INT32_MAX : (int)o.count;
}

/* A caller's buffer as a vcbprintf() destination: keeps what fits. */
struct buf_out {
	char *buf;
	size_t size, pos;	/* pos: bytes stored, at most size - 1 */
};

/* to_buf - vcbprintf() callback: copy what still fits, keep a byte for NUL. */
static void to_buf(void *ctx, const char *s, size_t n)
{
	struct buf_out *b = ctx;
	size_t room = b->size ? b->size - 1 - b->pos : 0;

	if (n > room)
		n = room;
	if (n) {
		memcpy(b->buf + b->pos, s, n);
		b->pos += n;
	}
}

/* vsnprintf / snprintf / vscnprintf / scnprintf - see kernel.h. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_out b = { buf, size, 0 };
	int n = vcbprintf(to_buf, &b, fmt, ap);

	if (size)
		buf[b.pos] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (!size)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
