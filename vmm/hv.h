/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_HV_H
#define ZVMM_HV_H

#include "config.h"

/*
 * The one dispatch point between the VMM and its hypervisor: real /dev/kvm
 * or softkvm (vmm/softkvm/softkvm.h). Both hand out real file descriptors
 * and take the same request numbers and structs; the VMM never asks which
 * one it has.
 */

/*
 * The system fd: open("/dev/kvm") for ACCEL_KVM, softkvm_open() for
 * ACCEL_SOFT (ACCEL_AUTO must be resolved by accel_select() first).
 * -1 with errno on failure.
 */
int hv_open(enum accel_kind kind);

/*
 * ioctl(2) on a hypervisor fd: the same result (>= 0, or -1 with errno).
 * Always pass the third argument, 0 when the request takes none (the
 * kernel rejects KVM_GET_API_VERSION with a non-zero one).
 */
int hv_ioctl(int fd, unsigned long req, ...);

/* Close a hypervisor fd, releasing softkvm's object behind it. */
int hv_close(int fd);

#endif
