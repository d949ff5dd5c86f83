// SPDX-License-Identifier: MIT
/*
 * The guest console on zvmm's stdout: what the SCLP writes goes out at
 * once (no stdio buffer), and each line is scanned for kvm-unit-tests'
 * "EXIT: STATUS=<n>" so that zvmm can exit with n >> 1 when the guest
 * stops every CPU instead of loading a disabled wait.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vm.h"

#define EXIT_PREFIX "EXIT: STATUS="

static void scan_line(struct vm *vm)
{
	const char *p = vm->line + strlen(EXIT_PREFIX);
	char *end;
	long v;

	if (vm->line_long || strncmp(vm->line, EXIT_PREFIX, strlen(EXIT_PREFIX)))
		return;
	if (*p < '0' || *p > '9')
		return;
	errno = 0;
	v = strtol(p, &end, 10);
	if (errno || *end || !(v & 1) || v > 511)
		return;
	vm->exit_line_code = (int)(v >> 1);
}

void console_scan(struct vm *vm, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			vm->line[vm->line_len] = '\0';
			scan_line(vm);
			vm->line_len = 0;
			vm->line_long = false;
		} else if (c == '\r') {
			continue;
		} else if (vm->line_len + 1 < sizeof(vm->line)) {
			vm->line[vm->line_len++] = c;
		} else {
			vm->line_long = true;
		}
	}
}

int console_output(void *opaque, const char *buf, size_t len)
{
	struct vm *vm = opaque;
	size_t off = 0;

	console_scan(vm, buf, len);
	while (off < len) {
		ssize_t n = write(STDOUT_FILENO, buf + off, len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}
