// SPDX-License-Identifier: MIT
/* hv: route each call to the real KVM or to softkvm (hv.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel.h"
#include "hv.h"
#include "softkvm/softkvm.h"

int hv_open(enum accel_kind kind)
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

int hv_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;
	long r;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	if (!softkvm_try_ioctl(fd, req, arg, &r))
		return ioctl(fd, req, arg);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

int hv_close(int fd)
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
