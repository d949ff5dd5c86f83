// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static bool quiet;

void log_set_quiet(bool q)
{
	quiet = q;
}

bool log_is_quiet(void)
{
	return quiet;
}

static void log_vprint(const char *level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void log_vprint(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "zvmm: %s", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint("error: ", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_vprint("warning: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_vprint("", fmt, ap);
	va_end(ap);
}
