/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_ACCEL_H
#define ZVMM_ACCEL_H

#include "config.h"

#define KVM_DEVICE_PATH "/dev/kvm"

/* Name of the architecture this zvmm binary runs on, e.g. "x86_64". */
const char *host_arch(void);

/*
 * Decide which hypervisor backs the VM. `auto` picks real KVM only on an
 * s390x host whose /dev/kvm answers as an s390 KVM, softkvm otherwise;
 * `kvm` fails (logged, -ENODEV) on any other host; `soft` always picks
 * softkvm. kvm_path is the device to probe (normally /dev/kvm).
 */
int accel_select(enum accel_kind want, const char *kvm_path,
		 enum accel_kind *chosen);

#endif
