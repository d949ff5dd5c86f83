// SPDX-License-Identifier: MIT
/* hv: route each call to the real KVM or to softkvm (hv.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel.h"
#include "hv.h"
#include "softkvm/softkvm.h"
#include "trace.h"

static int hv_open_fd(enum accel_kind kind)
{
	int fd;

	switch (kind) {
	case ACCEL_KVM:
		return open(KVM_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	case ACCEL_SOFT:
		fd = softkvm_open();
		if (fd < 0) {
			errno = -fd;
			return -1;
		}
		return fd;
	default:
		errno = EINVAL;
		return -1;
	}
}

static void trace_open(enum accel_kind kind, int fd)
{
	const char *what = kind == ACCEL_KVM ? "open " KVM_DEVICE_PATH :
					       "softkvm_open";

	trace_fd_kvm(fd);
	if (!trace_on(TRACE_IOCTL))
		return;
	if (fd < 0)
		trace_line("%s -> -1 %s", what, strerror(errno));
	else
		trace_line("%s -> fd %d (kvm)", what, fd);
}

int hv_open(enum accel_kind kind)
{
	int fd = hv_open_fd(kind);

	if (trace_on(TRACE_IOCTL | TRACE_IRQ))
		trace_open(kind, fd);
	return fd;
}

static int hv_do_ioctl(int fd, unsigned long req, unsigned long arg)
{
	long r;

	if (!softkvm_try_ioctl(fd, req, arg, &r))
		return ioctl(fd, req, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

int hv_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	r = hv_do_ioctl(fd, req, arg);
	if (trace_on(TRACE_IOCTL | TRACE_IRQ)) {
		int err = errno;

		trace_ioctl(fd, req, arg, r, err);
		errno = err;
	}
	return r;
}

static int hv_do_close(int fd)
{
	int r;

	if (!softkvm_owns(fd))
		return close(fd);
	r = softkvm_close(fd);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

int hv_close(int fd)
{
	int r = hv_do_close(fd);

	if (trace_on(TRACE_IOCTL | TRACE_IRQ)) {
		int err = errno;

		trace_fd_closed(fd, r, err);
		errno = err;
	}
	return r;
}
