// SPDX-License-Identifier: MIT
/*
 * Debian builds its static libseccomp.a against glibc with _FORTIFY_SOURCE,
 * so the archive calls glibc's checked printf entry point. musl has no such
 * symbol; this forwards it to the plain function so the static musl link
 * works. Only the zvmm binary links this file, never the glibc host build.
 */
#include <stdarg.h>
#include <stdio.h>

int __fprintf_chk(FILE *stream, int flag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

int __fprintf_chk(FILE *stream, int flag, const char *fmt, ...)
{
	va_list ap;
	int ret;

	(void)flag;
	va_start(ap, fmt);
	ret = vfprintf(stream, fmt, ap);
	va_end(ap);
	return ret;
}
