// SPDX-License-Identifier: MIT
/*
 * The FLIC device (KVM_CREATE_DEVICE type KVM_DEV_TYPE_FLIC): its fd and
 * its attribute groups, over the irq module's floating state.
 */
#include <errno.h>
#include <unistd.h>

#include "softkvm/softkvm.h"

long sk_create_device(struct sk_vm *vm, struct kvm_create_device *cd)
{
	int fd, r;

	/* s390 kernels register FLIC (and VFIO, which softkvm lacks). */
	if (cd->type != KVM_DEV_TYPE_FLIC)
		return -ENODEV;
	if (cd->flags & KVM_CREATE_DEVICE_TEST)
		return 0;
	pthread_mutex_lock(&vm->lock);
	if (vm->has_flic) {
		pthread_mutex_unlock(&vm->lock);
		return -EINVAL;
	}
	fd = sk_new_fd("softkvm-flic", 0);
	if (fd < 0) {
		pthread_mutex_unlock(&vm->lock);
		return fd;
	}
	sk_vm_get(vm);
	r = sk_register(fd, SK_FLIC, vm, NULL);
	if (r < 0) {
		pthread_mutex_unlock(&vm->lock);
		close(fd);
		sk_vm_put(vm);
		return r;
	}
	vm->has_flic = true;
	pthread_mutex_unlock(&vm->lock);
	cd->fd = (uint32_t)fd;
	return 0;
}

static long flic_get(struct sk_vm *vm, const struct kvm_device_attr *a)
{
	void *buf = (void *)(uintptr_t)a->addr;
	long r;

	switch (a->group) {
	case KVM_DEV_FLIC_GET_ALL_IRQS:
		pthread_mutex_lock(&vm->lock);
		r = skirq_flic_get_all(&vm->fi, buf, a->attr);
		pthread_mutex_unlock(&vm->lock);
		return r;
	case KVM_DEV_FLIC_AISM_ALL:
		return -EOPNOTSUPP;   /* no AIS facility (72) */
	default:
		return -EINVAL;
	}
}

static long flic_set(struct sk_vm *vm, const struct kvm_device_attr *a)
{
	const void *buf = (const void *)(uintptr_t)a->addr;
	long r;

	switch (a->group) {
	case KVM_DEV_FLIC_ENQUEUE:
		pthread_mutex_lock(&vm->lock);
		r = skirq_flic_enqueue(&vm->fi, buf, a->attr);
		sk_vm_kick_float(vm);
		pthread_mutex_unlock(&vm->lock);
		return r;
	case KVM_DEV_FLIC_CLEAR_IRQS:
		pthread_mutex_lock(&vm->lock);
		skirq_float_clear(&vm->fi);
		pthread_mutex_unlock(&vm->lock);
		return 0;
	case KVM_DEV_FLIC_APF_ENABLE:
	case KVM_DEV_FLIC_APF_DISABLE_WAIT:
		/* softkvm never starts an async page fault: nothing in flight. */
		pthread_mutex_lock(&vm->lock);
		vm->apf_enabled = a->group == KVM_DEV_FLIC_APF_ENABLE;
		pthread_mutex_unlock(&vm->lock);
		return 0;
	case KVM_DEV_FLIC_AISM_ALL:
		return -EOPNOTSUPP;
	default:
		/* Includes the adapter groups 6-10, not implemented. */
		return -EINVAL;
	}
}

long sk_flic_ioctl(struct sk_vm *vm, unsigned long req, unsigned long arg)
{
	const struct kvm_device_attr *a = (const void *)(uintptr_t)arg;

	switch (req) {
	case KVM_SET_DEVICE_ATTR:
		return a ? flic_set(vm, a) : -EFAULT;
	case KVM_GET_DEVICE_ATTR:
		return a ? flic_get(vm, a) : -EFAULT;
	case KVM_HAS_DEVICE_ATTR:
		if (!a)
			return -EFAULT;
		switch (a->group) {
		case KVM_DEV_FLIC_GET_ALL_IRQS:
		case KVM_DEV_FLIC_ENQUEUE:
		case KVM_DEV_FLIC_CLEAR_IRQS:
		case KVM_DEV_FLIC_APF_ENABLE:
		case KVM_DEV_FLIC_APF_DISABLE_WAIT:
			return 0;
		default:
			return -ENXIO;
		}
	default:
		return -ENOTTY;
	}
}
