// SPDX-License-Identifier: MIT
/*
 * softkvm VM objects: KVM_CREATE_VM and the VM fd's ioctls (capabilities,
 * vCPU and device creation, VM attributes, floating interrupts, absolute
 * MEM_OP). Memory slots and keys are in memslot.c, the TOD in tod.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "softkvm/softkvm.h"

long sk_create_vm(unsigned long type)
{
	struct sk_vm *vm;
	int fd, r;

	/* ucontrol VMs (type 1) are not offered: -EINVAL like any other. */
	if (type != 0)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_mutex_init(&vm->dirty_lock, NULL);
	pthread_cond_init(&vm->dirty_cond, NULL);
	vm->dirty_gen = 1;   /* 0 is a vCPU's "not running" */
	sk_cpu_model_init(vm);
	skirq_float_init(&vm->fi);
	vm->apf_enabled = true;
	vm->refs = 1;
	fd = sk_new_fd("softkvm-vm", 0);
	if (fd < 0) {
		sk_vm_destroy(vm);
		return fd;
	}
	r = sk_register(fd, SK_VM, vm, NULL);
	if (r < 0) {
		close(fd);
		sk_vm_destroy(vm);
		return r;
	}
	return fd;
}

void sk_vm_destroy(struct sk_vm *vm)
{
	for (unsigned i = 0; i < SK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			sk_vcpu_free(vm->vcpus[i]);
	skirq_float_clear(&vm->fi);
	sk_run_vm_free(vm);
	sk_memslots_free(vm);
	pthread_mutex_destroy(&vm->lock);
	pthread_mutex_destroy(&vm->dirty_lock);
	pthread_cond_destroy(&vm->dirty_cond);
	free(vm);
}

bool sk_vm_user_cpu_state_ctrl(struct sk_vm *vm)
{
	return __atomic_load_n(&vm->user_cpu_state_ctrl, __ATOMIC_ACQUIRE);
}

void sk_vm_kick_float(struct sk_vm *vm)
{
	/*
	 * The kernel wakes an idle vCPU, else the next running one round
	 * robin. softkvm wakes every vCPU: a running one notices at its
	 * next budget boundary anyway, and every waiting one re-checks
	 * (one that is masked for the interrupt goes back to sleep).
	 */
	for (unsigned i = 0; i < SK_MAX_VCPUS; i++) {
		struct sk_vcpu *v = __atomic_load_n(&vm->vcpus[i],
						    __ATOMIC_ACQUIRE);

		if (!v)
			continue;
		pthread_mutex_lock(&v->lock);
		sk_vcpu_kick(v);
		pthread_mutex_unlock(&v->lock);
	}
}

/* KVM_ENABLE_CAP on the VM fd (kvm_vm_ioctl_enable_cap). */
static long enable_cap(struct sk_vm *vm, const struct kvm_enable_cap *cap)
{
	long r;

	if (cap->flags)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	switch (cap->cap) {
	case KVM_CAP_S390_USER_SIGP:
		vm->user_sigp = true;
		r = 0;
		break;
	case KVM_CAP_S390_USER_STSI:
		vm->user_stsi = true;
		r = 0;
		break;
	case KVM_CAP_S390_USER_INSTR0:
		vm->user_instr0 = true;
		r = 0;
		break;
	case KVM_CAP_S390_VECTOR_REGISTERS:
	case KVM_CAP_S390_RI:
	case KVM_CAP_S390_GS:
	case KVM_CAP_S390_HPAGE_1M:
	case KVM_CAP_S390_CPU_TOPOLOGY:
	case KVM_CAP_S390_AIS:
		/* Facility-changing: -EBUSY once a vCPU exists; softkvm has
		 * none of these facilities, so -EINVAL before. */
		r = vm->nr_vcpus ? -EBUSY : -EINVAL;
		break;
	default:
		/* Includes S390_IRQCHIP: no irqfd/routing in softkvm. */
		r = -EINVAL;
		break;
	}
	pthread_mutex_unlock(&vm->lock);
	return r;
}

/* KVM_SET/GET/HAS_DEVICE_ATTR on the VM fd: the TOD and the CPU model. */
static long vm_attr(struct sk_vm *vm, unsigned long req,
		    const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_S390_VM_TOD:
		return sk_tod_attr(vm, req, attr);
	case KVM_S390_VM_CPU_MODEL:
		return sk_cpu_model_attr(vm, req, attr);
	default:
		return -ENXIO;
	}
}

/* Absolute MEM_OP on the VM fd (kvm_s390_vm_mem_op, without keys). */
static long vm_mem_op(struct sk_vm *vm, const struct kvm_s390_mem_op *mop)
{
	const uint64_t supported = KVM_S390_MEMOP_F_CHECK_ONLY;
	void *buf = (void *)(uintptr_t)mop->buf;
	bool ok;

	if (mop->op != KVM_S390_MEMOP_ABSOLUTE_READ &&
	    mop->op != KVM_S390_MEMOP_ABSOLUTE_WRITE)
		return -EINVAL;
	if ((mop->flags & ~supported) || !mop->size)
		return -EINVAL;
	if (mop->size > SK_MEMOP_MAX)
		return -E2BIG;
	if (!(mop->flags & KVM_S390_MEMOP_F_CHECK_ONLY) && !buf)
		return -EFAULT;
	pthread_mutex_lock(&vm->lock);
	if (mop->flags & KVM_S390_MEMOP_F_CHECK_ONLY) {
		uint8_t tmp;

		ok = true;
		for (uint64_t a = mop->gaddr & ~(SK_PAGE - 1);
		     ok && a < mop->gaddr + mop->size; a += SK_PAGE)
			ok = sk_abs_read(vm, a < mop->gaddr ? mop->gaddr : a,
					 &tmp, 1);
	} else if (mop->op == KVM_S390_MEMOP_ABSOLUTE_READ) {
		ok = sk_abs_read(vm, mop->gaddr, buf, mop->size);
	} else {
		ok = sk_abs_write(vm, mop->gaddr, buf, mop->size);
	}
	pthread_mutex_unlock(&vm->lock);
	return ok ? 0 : 0x05; /* PGM_ADDRESSING */
}

#define ARG(type) ((type *)(uintptr_t)arg)

long sk_vm_ioctl(struct sk_vm *vm, unsigned long req, unsigned long arg)
{
	long r;

	switch (req) {
	case KVM_CHECK_EXTENSION:
		return sk_check_extension(arg);
	case KVM_ENABLE_CAP:
		if (!arg)
			return -EFAULT;
		return enable_cap(vm, ARG(struct kvm_enable_cap));
	case KVM_SET_USER_MEMORY_REGION:
		if (!arg)
			return -EFAULT;
		return sk_set_memory_region(vm,
				ARG(struct kvm_userspace_memory_region));
	case KVM_GET_DIRTY_LOG:
		if (!arg)
			return -EFAULT;
		return sk_get_dirty_log(vm, ARG(struct kvm_dirty_log));
	case KVM_CREATE_VCPU:
		return sk_create_vcpu(vm, arg);
	case KVM_CREATE_DEVICE: {
		struct kvm_create_device cd;

		if (!arg)
			return -EFAULT;
		cd = *ARG(struct kvm_create_device);
		r = sk_create_device(vm, &cd);
		if (r == 0)
			*ARG(struct kvm_create_device) = cd;
		return r;
	}
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		if (!arg)
			return -EFAULT;
		return vm_attr(vm, req, ARG(struct kvm_device_attr));
	case KVM_S390_GET_SKEYS:
		if (!arg)
			return -EFAULT;
		return sk_get_skeys(vm, ARG(struct kvm_s390_skeys));
	case KVM_S390_SET_SKEYS:
		if (!arg)
			return -EFAULT;
		return sk_set_skeys(vm, ARG(struct kvm_s390_skeys));
	case KVM_S390_INTERRUPT:
		if (!arg)
			return -EFAULT;
		pthread_mutex_lock(&vm->lock);
		r = skirq_inject_float_interrupt(&vm->fi,
				ARG(struct kvm_s390_interrupt));
		if (r == 0)
			sk_vm_kick_float(vm);
		pthread_mutex_unlock(&vm->lock);
		return r;
	case KVM_S390_MEM_OP:
		if (!arg)
			return -EFAULT;
		return vm_mem_op(vm, ARG(struct kvm_s390_mem_op));
	default:
		return -ENOTTY;
	}
}
