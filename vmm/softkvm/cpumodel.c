// SPDX-License-Identifier: MIT
/*
 * softkvm's CPU model: the KVM_S390_VM_CPU_MODEL attribute group on the VM
 * fd (kvm_s390_{get,set}_processor*, kvm_s390_get_machine*). The machine
 * is what the interpreter implements: its STIDP CPU id and its facility
 * list (s390_facilities, the one source STFLE reports by default), no
 * IBC, no SIE features, no crypto subfunctions. The processor is what this
 * VM's vCPUs report (STIDP, STFL, STFLE); it can be set only while the VM
 * has no vCPU, as in the kernel.
 */
#include <errno.h>
#include <string.h>

#include "softkvm/run.h"

void sk_cpu_model_init(struct sk_vm *vm)
{
	struct sk_cpu_model *m = &vm->model;

	memset(m, 0, sizeof(*m));
	m->cpuid = SK_CPUID;
	memcpy(m->fac_list, s390_facilities, sizeof(s390_facilities));
}

void sk_cpu_model_apply(const struct sk_vm *vm, struct s390_cpu *c)
{
	/* The model is frozen once a vCPU exists: sharing it is safe. */
	c->cpuid = vm->model.cpuid;
	c->fac = vm->model.fac_list;
	c->n_fac = SK_FAC_DW;
}

static long set_processor(struct sk_vm *vm, const void *p)
{
	const struct kvm_s390_vm_cpu_processor *proc = p;

	if (vm->nr_vcpus)
		return -EBUSY;
	if (!p)
		return -EFAULT;
	vm->model.cpuid = proc->cpuid;
	/*
	 * The kernel clamps a non-zero ibc to the machine's IBC range and
	 * keeps the old value when the machine has none: softkvm has none.
	 */
	memcpy(vm->model.fac_list, proc->fac_list, sizeof(vm->model.fac_list));
	return 0;
}

static long get_processor(const struct sk_vm *vm, void *p)
{
	struct kvm_s390_vm_cpu_processor proc;

	if (!p)
		return -EFAULT;
	memset(&proc, 0, sizeof(proc));
	proc.cpuid = vm->model.cpuid;
	proc.ibc = vm->model.ibc;
	memcpy(proc.fac_list, vm->model.fac_list, sizeof(proc.fac_list));
	memcpy(p, &proc, sizeof(proc));
	return 0;
}

static long get_machine(void *p)
{
	struct kvm_s390_vm_cpu_machine mach;

	if (!p)
		return -EFAULT;
	memset(&mach, 0, sizeof(mach));
	mach.cpuid = SK_CPUID;
	mach.ibc = 0;
	memcpy(mach.fac_mask, s390_facilities, sizeof(s390_facilities));
	memcpy(mach.fac_list, s390_facilities, sizeof(s390_facilities));
	memcpy(p, &mach, sizeof(mach));
	return 0;
}

static long set_processor_feat(struct sk_vm *vm, const void *p)
{
	struct kvm_s390_vm_cpu_feat f;

	if (!p)
		return -EFAULT;
	memcpy(&f, p, sizeof(f));
	/* only a subset of the machine's features, which has none */
	for (unsigned i = 0; i < sizeof(f.feat) / sizeof(f.feat[0]); i++)
		if (f.feat[i])
			return -EINVAL;
	if (vm->nr_vcpus)
		return -EBUSY;
	memcpy(vm->model.feat, f.feat, sizeof(vm->model.feat));
	return 0;
}

static long set_processor_subfunc(struct sk_vm *vm, const void *p)
{
	if (vm->nr_vcpus)
		return -EBUSY;
	if (!p)
		return -EFAULT;
	memcpy(vm->model.subfunc, p, sizeof(vm->model.subfunc));
	return 0;
}

static long copy_out(void *p, const void *src, size_t n)
{
	if (!p)
		return -EFAULT;
	memcpy(p, src, n);
	return 0;
}

static long model_set(struct sk_vm *vm, const struct kvm_device_attr *attr)
{
	const void *p = (const void *)(uintptr_t)attr->addr;

	switch (attr->attr) {
	case KVM_S390_VM_CPU_PROCESSOR:
		return set_processor(vm, p);
	case KVM_S390_VM_CPU_PROCESSOR_FEAT:
		return set_processor_feat(vm, p);
	case KVM_S390_VM_CPU_PROCESSOR_SUBFUNC:
		return set_processor_subfunc(vm, p);
	default:   /* the machine attributes are read-only */
		return -ENXIO;
	}
}

static long model_get(struct sk_vm *vm, const struct kvm_device_attr *attr)
{
	static const uint8_t none[sizeof(struct kvm_s390_vm_cpu_subfunc)];
	void *p = (void *)(uintptr_t)attr->addr;

	switch (attr->attr) {
	case KVM_S390_VM_CPU_PROCESSOR:
		return get_processor(vm, p);
	case KVM_S390_VM_CPU_MACHINE:
		return get_machine(p);
	case KVM_S390_VM_CPU_PROCESSOR_FEAT:
		return copy_out(p, vm->model.feat, sizeof(vm->model.feat));
	case KVM_S390_VM_CPU_MACHINE_FEAT:
		return copy_out(p, none, sizeof(struct kvm_s390_vm_cpu_feat));
	case KVM_S390_VM_CPU_PROCESSOR_SUBFUNC:
		return copy_out(p, vm->model.subfunc, sizeof(vm->model.subfunc));
	case KVM_S390_VM_CPU_MACHINE_SUBFUNC:
		return copy_out(p, none, sizeof(none));
	default:
		return -ENXIO;
	}
}

long sk_cpu_model_attr(struct sk_vm *vm, unsigned long req,
		       const struct kvm_device_attr *attr)
{
	long r;

	if (req == KVM_HAS_DEVICE_ATTR)
		return attr->attr <= KVM_S390_VM_CPU_MACHINE_SUBFUNC ? 0 : -ENXIO;
	pthread_mutex_lock(&vm->lock);
	r = req == KVM_SET_DEVICE_ATTR ? model_set(vm, attr)
				       : model_get(vm, attr);
	pthread_mutex_unlock(&vm->lock);
	return r;
}
