/*
 * A small printf.  Formatting goes through a sink so that printf() can
 * stream to the console in chunks and snprintf() can fill a buffer with
 * the same code.
 */
#include "printf.h"
#include "console.h"
#include "string.h"

struct sink {
	char *buf;
	size_t size;			/* capacity of buf */
	size_t pos;			/* bytes in buf */
	size_t total;			/* bytes produced */
	bool console;			/* flush to the console when full */
};

static void sink_flush(struct sink *s)
{
	if (s->console && s->pos)
		console_write(s->buf, s->pos);
	s->pos = 0;
}

static void sink_put(struct sink *s, char c)
{
	s->total++;
	if (s->console) {
		if (s->pos == s->size)
			sink_flush(s);
		s->buf[s->pos++] = c;
	} else if (s->pos + 1 < s->size) {
		s->buf[s->pos++] = c;	/* keep room for the NUL */
	}
}

static void put_padded(struct sink *s, const char *str, size_t len,
		       unsigned int width, bool left, char pad)
{
	size_t fill = width > len ? width - len : 0;

	if (!left)
		while (fill--)
			sink_put(s, pad);
	while (len--)
		sink_put(s, *str++);
	if (left)
		while (fill--)
			sink_put(s, ' ');
}

static void put_number(struct sink *s, u64 v, unsigned int base, bool neg,
		       bool upper, unsigned int width, bool left, bool zero)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);

	if (neg) {
		if (zero && !left) {
			/* The sign goes before the zeros: -0042. */
			sink_put(s, '-');
			if (width)
				width--;
		} else {
			tmp[sizeof(tmp) - 1 - n++] = '-';
		}
	}
	put_padded(s, tmp + sizeof(tmp) - n, n, width, left,
		   zero && !left ? '0' : ' ');
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		bool left = false, zero = false;
		unsigned int width = 0, lng = 0;
		const char *str;
		u64 v;
		s64 sv;

		if (*fmt != '%') {
			sink_put(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			sv = lng ? va_arg(ap, long) : va_arg(ap, int);
			v = sv < 0 ? -(u64)sv : (u64)sv;
			put_number(s, v, 10, sv < 0, false, width, left, zero);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_number(s, v, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				   false, *fmt == 'X', width, left, zero);
			break;
		case 'p':
			sink_put(s, '0');
			sink_put(s, 'x');
			v = (u64)va_arg(ap, void *);
			put_number(s, v, 16, false, false, 16, false, true);
			break;
		case 'c':
			sink_put(s, (char)va_arg(ap, int));
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			put_padded(s, str, strlen(str), width, left, ' ');
			break;
		case '%':
			sink_put(s, '%');
			break;
		case '\0':
			return;
		default:
			/* Unknown conversion: show it rather than guess. */
			sink_put(s, '%');
			sink_put(s, *fmt);
			break;
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

	format(&s, fmt, ap);
	if (size)
		buf[s.pos] = '\0';
	return (int)s.total;
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

int vprintf(const char *fmt, va_list ap)
{
	char buf[256];
	struct sink s = { .buf = buf, .size = sizeof(buf), .console = true };

	/* One printf is one uninterrupted piece of console output. */
	console_lock();
	format(&s, fmt, ap);
	sink_flush(&s);
	console_unlock();
	return (int)s.total;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
