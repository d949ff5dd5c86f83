/*
 * Formatted output to the SCLP console.  Conversions: %d %i %u %x %X %o
 * %c %s %p %%, with the l and ll length modifiers, a field width, and the
 * '0' and '-' flags.  No floating point.
 */
#ifndef GUEST_PRINTF_H
#define GUEST_PRINTF_H

#include <stdarg.h>
#include "types.h"

int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The string and a newline, like C's puts(). */
int puts(const char *s);

#endif
