/*
 * vsnprintf.c - the kernel's printf: %d %i %u %x %X %p %s %c %% with the
 * flags '-', '0', field width, precision for strings, and the l / ll / z
 * length modifiers.  %pS prints a symbol ("func+0x12/0x40"), %ps its name.  Always
 * terminates the buffer; returns the length the full output would have.
 */
#include "kernel.h"

struct out {
	char *buf;
	size_t size, pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_str(struct out *o, const char *s, int width, int prec, bool left)
{
	int len = (int)strnlen(s, prec >= 0 ? (size_t)prec : (size_t)-1);

	if (!left)
		for (int i = len; i < width; i++)
			put(o, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (left)
		for (int i = len; i < width; i++)
			put(o, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg, int base,
		    bool upper, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + neg;
	if (!left && !zero)
		for (int i = len; i < width; i++)
			put(o, ' ');
	if (neg)
		put(o, '-');
	if (!left && zero)
		for (int i = len; i < width; i++)
			put(o, '0');
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (int i = len; i < width; i++)
			put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

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
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			prec = 0;
			if (*++fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + (*fmt - '0');
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
				char sym[128];

				if (*++fmt == 'S')
					sprint_symbol(sym, sizeof(sym), v);
				else
					sprint_symbol_name(sym, sizeof(sym), v);
				put_str(&o, sym, width, -1, left);
			} else {
				put(&o, '0');
				put(&o, 'x');
				put_num(&o, v, false, 16, false, 16, true, false);
			}
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);

			put_str(&o, s ? s : "(null)", width, prec, left);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = 0;
	return (int)o.pos;
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
