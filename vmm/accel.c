// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "accel.h"
#include "kvm-abi.h"
#include "log.h"

const char *host_arch(void)
{
#if defined(__s390x__)
	return "s390x";
#elif defined(__x86_64__)
	return "x86_64";
#elif defined(__aarch64__)
	return "aarch64";
#elif defined(__powerpc64__)
	return "ppc64";
#elif defined(__riscv)
	return "riscv";
#else
	return "unknown";
#endif
}

/*
 * An s390 KVM answers API version 12 and knows KVM_CAP_S390_PSW, which no
 * other architecture's KVM reports. Returns 0 or a negative errno, with a
 * reason for the user in why.
 */
static int kvm_probe_s390(const char *path, const char **why)
{
	int fd, ret = 0;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		*why = strerror(errno);
		return ret;
	}
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		*why = "it does not speak KVM API version 12";
		ret = -ENODEV;
	} else if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_S390_PSW) <= 0) {
		*why = "it is not an s390 KVM (no KVM_CAP_S390_PSW)";
		ret = -ENODEV;
	}
	close(fd);
	return ret;
}

static bool is_s390x_host(void)
{
	return !strcmp(host_arch(), "s390x");
}

int accel_select(enum accel_kind want, const char *kvm_path,
		 enum accel_kind *chosen)
{
	const char *why = NULL;
	int ret;

	if (want == ACCEL_SOFT) {
		*chosen = ACCEL_SOFT;
		return 0;
	}
	if (!is_s390x_host()) {
		if (want == ACCEL_AUTO) {
			*chosen = ACCEL_SOFT;
			return 0;
		}
		log_error("--accel kvm: this host is %s, and %s %s; zvmm needs "
			  "s390 KVM on an s390x host. Use --accel soft (or auto).",
			  host_arch(), kvm_path,
			  access(kvm_path, F_OK) ?
				"does not exist (it would run only this host's guests anyway)" :
				"is that architecture's KVM, which runs only its own guests");
		return -ENODEV;
	}
	ret = kvm_probe_s390(kvm_path, &why);
	if (!ret) {
		*chosen = ACCEL_KVM;
		return 0;
	}
	if (want == ACCEL_AUTO) {
		log_info("%s is not usable (%s): using softkvm", kvm_path, why);
		*chosen = ACCEL_SOFT;
		return 0;
	}
	log_error("--accel kvm: %s is not usable: %s", kvm_path, why);
	return ret;
}
