// SPDX-License-Identifier: MIT
/*
 * softkvm TOD clock: the host TOD (CLOCK_MONOTONIC in TOD units, set once
 * to wall-clock time), the per-VM epoch and the KVM_S390_VM_TOD attributes.
 * Guest TOD = host TOD + epoch, as in the kernel.
 */
#include <errno.h>
#include <time.h>

#include "softkvm/softkvm.h"

/* TOD value of 1970-01-01 00:00:00 UTC; TOD bit 51 = 1 us (4096 units). */
#define TOD_UNIX_EPOCH 0x7D91048BCA000000ULL

static uint64_t ts_to_tod(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 4096000000ULL +
	       (uint64_t)ts->tv_nsec * 512 / 125;
}

static pthread_once_t base_once = PTHREAD_ONCE_INIT;
static uint64_t tod_base;

static void base_init(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	tod_base = TOD_UNIX_EPOCH + ts_to_tod(&rt) - ts_to_tod(&mono);
}

uint64_t softkvm_host_tod(void)
{
	struct timespec ts;

	pthread_once(&base_once, base_init);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return tod_base + ts_to_tod(&ts);
}

uint64_t softkvm_guest_tod(const struct sk_vcpu *vcpu)
{
	return softkvm_host_tod() +
	       __atomic_load_n(&vcpu->sie.epoch, __ATOMIC_RELAXED);
}

/* Set the VM epoch from a wanted guest TOD and copy it to every vCPU. [F] */
static void set_tod(struct sk_vm *vm, uint64_t tod)
{
	vm->epoch = tod - softkvm_host_tod();
	for (unsigned i = 0; i < SK_MAX_VCPUS; i++) {
		struct sk_vcpu *v = vm->vcpus[i];

		if (v)
			__atomic_store_n(&v->sie.epoch, vm->epoch,
					 __ATOMIC_RELAXED);
	}
}

static long tod_set(struct sk_vm *vm, const struct kvm_device_attr *attr)
{
	void *p = (void *)(uintptr_t)attr->addr;

	switch (attr->attr) {
	case KVM_S390_VM_TOD_LOW:
		if (!p)
			return -EFAULT;
		set_tod(vm, *(const uint64_t *)p);
		return 0;
	case KVM_S390_VM_TOD_HIGH:
		if (!p)
			return -EFAULT;
		return *(const uint8_t *)p ? -EINVAL : 0;
	case KVM_S390_VM_TOD_EXT: {
		const struct kvm_s390_vm_tod_clock *c = p;

		if (!p)
			return -EFAULT;
		/* No multiple-epoch facility (139): epoch index must be 0. */
		if (c->epoch_idx)
			return -EINVAL;
		set_tod(vm, c->tod);
		return 0;
	}
	default:
		return -ENXIO;
	}
}

static long tod_get(struct sk_vm *vm, const struct kvm_device_attr *attr)
{
	void *p = (void *)(uintptr_t)attr->addr;

	switch (attr->attr) {
	case KVM_S390_VM_TOD_LOW:
		if (!p)
			return -EFAULT;
		*(uint64_t *)p = softkvm_host_tod() + vm->epoch;
		return 0;
	case KVM_S390_VM_TOD_HIGH:
		if (!p)
			return -EFAULT;
		*(uint8_t *)p = 0;
		return 0;
	case KVM_S390_VM_TOD_EXT: {
		struct kvm_s390_vm_tod_clock c = { 0 };

		if (!p)
			return -EFAULT;
		c.tod = softkvm_host_tod() + vm->epoch;
		*(struct kvm_s390_vm_tod_clock *)p = c;
		return 0;
	}
	default:
		return -ENXIO;
	}
}

long sk_tod_attr(struct sk_vm *vm, unsigned long req,
		 const struct kvm_device_attr *attr)
{
	long r;

	if (req == KVM_HAS_DEVICE_ATTR) {
		/* 6.1-era kernels report LOW and HIGH only (EXT works). */
		return attr->attr == KVM_S390_VM_TOD_LOW ||
		       attr->attr == KVM_S390_VM_TOD_HIGH ? 0 : -ENXIO;
	}
	if (attr->flags)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	r = req == KVM_SET_DEVICE_ATTR ? tod_set(vm, attr) : tod_get(vm, attr);
	pthread_mutex_unlock(&vm->lock);
	return r;
}
