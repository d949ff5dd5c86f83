// SPDX-License-Identifier: MIT
/*
 * softkvm vCPU registers: KVM_GET/SET_REGS, SREGS, FPU, ONE_REG and the
 * sync-register load/store done at KVM_RUN entry and exit (spec 1.9,
 * 1.10, 2.5). GPRs, ACRs, FPRs and the FPC live in kvm_run; the rest in
 * struct sk_sie, as in the kernel's SIE block.
 */
#include <errno.h>
#include <string.h>

#include "softkvm/softkvm.h"

/* FPC bits that SFPC rejects (with the floating-point-extension facility). */
#define FPC_INVALID 0x03030088u
#define PREFIX_MASK 0xffffe000u

bool sk_fpc_valid(uint32_t fpc)
{
	return !(fpc & FPC_INVALID);
}

static long get_one_reg(struct sk_vcpu *v, const struct kvm_one_reg *reg)
{
	void *p = (void *)(uintptr_t)reg->addr;
	uint64_t val;

	switch (reg->id) {
	case KVM_REG_S390_TODPR:
		if (!p)
			return -EFAULT;
		*(uint32_t *)p = v->sie.todpr;
		return 0;
	case KVM_REG_S390_EPOCHDIFF:
		val = __atomic_load_n(&v->sie.epoch, __ATOMIC_RELAXED);
		break;
	case KVM_REG_S390_CPU_TIMER:
		val = v->sie.cputm;
		break;
	case KVM_REG_S390_CLOCK_COMP:
		val = v->sie.ckc;
		break;
	case KVM_REG_S390_PFTOKEN:
		val = v->sie.pft;
		break;
	case KVM_REG_S390_PFCOMPARE:
		val = v->sie.pfc;
		break;
	case KVM_REG_S390_PFSELECT:
		val = v->sie.pfs;
		break;
	case KVM_REG_S390_PP:
		val = v->sie.pp;
		break;
	case KVM_REG_S390_GBEA:
		val = v->sie.gbea;
		break;
	default:
		return -EINVAL;
	}
	if (!p)
		return -EFAULT;
	memcpy(p, &val, sizeof(val));
	return 0;
}

static long set_one_reg(struct sk_vcpu *v, const struct kvm_one_reg *reg)
{
	const void *p = (const void *)(uintptr_t)reg->addr;
	uint64_t val;

	switch (reg->id) {
	case KVM_REG_S390_TODPR:
		if (!p)
			return -EFAULT;
		memcpy(&v->sie.todpr, p, sizeof(v->sie.todpr));
		return 0;
	case KVM_REG_S390_EPOCHDIFF:
	case KVM_REG_S390_CPU_TIMER:
	case KVM_REG_S390_CLOCK_COMP:
	case KVM_REG_S390_PFTOKEN:
	case KVM_REG_S390_PFCOMPARE:
	case KVM_REG_S390_PFSELECT:
	case KVM_REG_S390_PP:
	case KVM_REG_S390_GBEA:
		break;
	default:
		return -EINVAL;
	}
	if (!p)
		return -EFAULT;
	memcpy(&val, p, sizeof(val));
	switch (reg->id) {
	case KVM_REG_S390_EPOCHDIFF:
		__atomic_store_n(&v->sie.epoch, val, __ATOMIC_RELAXED);
		break;
	case KVM_REG_S390_CPU_TIMER:
		v->sie.cputm = val;
		break;
	case KVM_REG_S390_CLOCK_COMP:
		v->sie.ckc = val;
		break;
	case KVM_REG_S390_PFTOKEN:
		v->sie.pft = val;   /* no pfault queue to flush in softkvm */
		break;
	case KVM_REG_S390_PFCOMPARE:
		v->sie.pfc = val;
		break;
	case KVM_REG_S390_PFSELECT:
		v->sie.pfs = val;
		break;
	case KVM_REG_S390_PP:
		v->sie.pp = val;
		break;
	default:   /* KVM_REG_S390_GBEA */
		v->sie.gbea = val;
		break;
	}
	return 0;
}

#define ARG(type) ((type *)(uintptr_t)arg)

long sk_regs_ioctl(struct sk_vcpu *v, unsigned long req, unsigned long arg)
{
	struct kvm_sync_regs *r = &v->run->s.regs;

	switch (req) {
	case KVM_GET_REGS:
		if (!arg)
			return -EFAULT;
		memcpy(ARG(struct kvm_regs)->gprs, r->gprs, sizeof(r->gprs));
		return 0;
	case KVM_SET_REGS:
		if (!arg)
			return -EFAULT;
		memcpy(r->gprs, ARG(struct kvm_regs)->gprs, sizeof(r->gprs));
		return 0;
	case KVM_GET_SREGS:
		if (!arg)
			return -EFAULT;
		memcpy(ARG(struct kvm_sregs)->acrs, r->acrs, sizeof(r->acrs));
		memcpy(ARG(struct kvm_sregs)->crs, v->sie.cr, sizeof(v->sie.cr));
		return 0;
	case KVM_SET_SREGS:
		if (!arg)
			return -EFAULT;
		/* CRs take effect at once; kvm_run's copy is stale until exit */
		memcpy(r->acrs, ARG(struct kvm_sregs)->acrs, sizeof(r->acrs));
		memcpy(v->sie.cr, ARG(struct kvm_sregs)->crs, sizeof(v->sie.cr));
		return 0;
	case KVM_GET_FPU:
		if (!arg)
			return -EFAULT;
		memcpy(ARG(struct kvm_fpu)->fprs, r->fprs, sizeof(r->fprs));
		ARG(struct kvm_fpu)->fpc = r->fpc;
		return 0;
	case KVM_SET_FPU:
		if (!arg)
			return -EFAULT;
		if (!sk_fpc_valid(ARG(struct kvm_fpu)->fpc))
			return -EINVAL;
		r->fpc = ARG(struct kvm_fpu)->fpc;
		memcpy(r->fprs, ARG(struct kvm_fpu)->fprs, sizeof(r->fprs));
		return 0;
	case KVM_GET_ONE_REG:
		if (!arg)
			return -EFAULT;
		return get_one_reg(v, ARG(struct kvm_one_reg));
	case KVM_SET_ONE_REG:
		if (!arg)
			return -EFAULT;
		return set_one_reg(v, ARG(struct kvm_one_reg));
	default:
		return -ENOTTY;
	}
}

/* ------------------------------------------------------------------------ */
/* Sync registers                                                           */
/* ------------------------------------------------------------------------ */

int sk_sync_regs_check(const struct kvm_run *run)
{
	if ((run->kvm_valid_regs & ~(uint64_t)KVM_SYNC_S390_VALID_FIELDS) ||
	    (run->kvm_dirty_regs & ~(uint64_t)KVM_SYNC_S390_VALID_FIELDS))
		return -EINVAL;
	return 0;
}

void sk_sync_regs_load(struct sk_vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_sync_regs *r = &run->s.regs;
	struct sk_sie *s = &v->sie;
	uint64_t dirty = run->kvm_dirty_regs;

	s->psw_mask = run->psw_mask;
	s->psw_addr = run->psw_addr;
	if (dirty & KVM_SYNC_PREFIX)
		s->prefix = (uint32_t)r->prefix & PREFIX_MASK;
	if (dirty & KVM_SYNC_CRS)
		memcpy(s->cr, r->crs, sizeof(s->cr));
	if (dirty & KVM_SYNC_ARCH0) {
		s->cputm = r->cputm;
		s->ckc = r->ckc;
		s->todpr = (uint32_t)r->todpr;
		s->pp = r->pp;
		s->gbea = r->gbea;
	}
	if (dirty & KVM_SYNC_PFAULT) {
		s->pft = r->pft;
		s->pfs = r->pfs;
		s->pfc = r->pfc;
	}
	if (dirty & KVM_SYNC_DIAG318)
		s->diag318 = r->diag318;
	/* gprs, acrs, fprs and fpc are used from kvm_run as they are. */
	if (!sk_fpc_valid(r->fpc))
		r->fpc = 0;   /* the kernel silently loads 0 instead */
	run->kvm_dirty_regs = 0;
}

void sk_sync_regs_store(struct sk_vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_sync_regs *r = &run->s.regs;
	const struct sk_sie *s = &v->sie;

	run->psw_mask = s->psw_mask;
	run->psw_addr = s->psw_addr;
	r->prefix = s->prefix;
	memcpy(r->crs, s->cr, sizeof(r->crs));
	r->cputm = s->cputm;
	r->ckc = s->ckc;
	r->pft = s->pft;
	r->pfs = s->pfs;
	r->pfc = s->pfc;
	r->todpr = s->todpr;
	r->pp = s->pp;
	r->gbea = s->gbea;
	r->bpbc = 0;
	r->diag318 = s->diag318;
}
