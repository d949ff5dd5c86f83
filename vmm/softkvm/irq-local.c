// SPDX-License-Identifier: MIT
/*
 * Local (per-vCPU) interrupts: injection, KVM_S390_GET/SET_IRQ_STATE,
 * resets. Every function runs under the vCPU's local lock (irq.h).
 */
#include <errno.h>
#include <string.h>

#include "softkvm/irq.h"

#define PGM_PER_BIT 0x80

void skirq_local_clear(struct skirq_local *li)
{
	memset(li, 0, sizeof(*li));
}

static bool emerg_test(const struct skirq_local *li, unsigned id)
{
	return (li->emerg[id / 64] >> (id % 64)) & 1;
}

static bool source_exists(const struct skirq_vcpu_info *vi, unsigned id)
{
	/* The kernel's source bitmap has KVM_MAX_VCPUS bits and no vCPU id
	 * reaches that far. */
	if (id >= SKIRQ_MAX_VCPUS || !vi->vcpu_exists)
		return false;
	return vi->vcpu_exists(vi->opaque, id);
}

static int inject_prog(struct skirq_local *li, const struct skirq_vcpu_info *vi,
		       const struct kvm_s390_pgm_info *in)
{
	struct kvm_s390_pgm_info p = *in;
	struct kvm_s390_pgm_info *cur = &li->pgm;

	if (!(p.flags & KVM_S390_PGM_FLAGS_ILC_VALID)) {
		p.flags &= (uint8_t)~KVM_S390_PGM_FLAGS_ILC_MASK;
		p.flags |= vi->ilen & KVM_S390_PGM_FLAGS_ILC_MASK;
		p.flags |= KVM_S390_PGM_FLAGS_ILC_VALID;
	}

	if (p.code == PGM_PER_BIT) {
		/* A pure PER event joins whatever is pending. */
		cur->code |= PGM_PER_BIT;
		cur->flags = p.flags;
		cur->per_address = p.per_address;
		cur->per_code = p.per_code;
		cur->per_atmid = p.per_atmid;
		cur->per_access_id = p.per_access_id;
	} else if (!(p.code & PGM_PER_BIT)) {
		/* A non-PER exception keeps a pending PER event. */
		cur->code = (uint16_t)((cur->code & PGM_PER_BIT) | p.code);
		cur->flags = p.flags;
		cur->trans_exc_code = p.trans_exc_code;
		cur->mon_code = p.mon_code;
		cur->data_exc_code = p.data_exc_code;
		cur->mon_class_nr = p.mon_class_nr;
		cur->exc_access_id = p.exc_access_id;
		cur->op_access_id = p.op_access_id;
	} else {
		*cur = p;
	}
	li->pending |= SKIRQ_BIT(SKIRQ_PEND_PROG);
	return 0;
}

static int inject_stop(struct skirq_local *li, const struct skirq_vcpu_info *vi,
		       uint32_t flags)
{
	if (flags & ~(uint32_t)KVM_S390_STOP_FLAG_STORE_STATUS)
		return -EINVAL;
	if (vi->stopped)
		return (flags & KVM_S390_STOP_FLAG_STORE_STATUS) ?
			       SKIRQ_STORE_STATUS : 0;
	if (li->pending & SKIRQ_BIT(SKIRQ_PEND_SIGP_STOP))
		return -EBUSY;
	li->pending |= SKIRQ_BIT(SKIRQ_PEND_SIGP_STOP);
	li->stop.flags = flags;
	return 0;
}

static int inject_mchk(struct skirq_local *li,
		       const struct kvm_s390_mchk_info *in)
{
	struct kvm_s390_mchk_info *m = &li->mchk;

	m->cr14 |= in->cr14;
	m->mcic |= in->mcic;
	m->ext_damage_code |= in->ext_damage_code;
	m->failing_storage_address = in->failing_storage_address;
	memcpy(m->fixed_logout, in->fixed_logout, sizeof(m->fixed_logout));
	/* Classified on the merged code; neither class -> nothing pends. */
	if (m->mcic & SKIRQ_MCIC_EX_MASK)
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_MCHK_EX);
	else if (m->mcic & SKIRQ_MCIC_REP_MASK)
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_MCHK_REP);
	return 0;
}

int skirq_inject_local(struct skirq_local *li,
		       const struct skirq_vcpu_info *vi,
		       const struct kvm_s390_irq *irq)
{
	unsigned id;

	switch (irq->type) {
	case KVM_S390_PROGRAM_INT:
		return inject_prog(li, vi, &irq->u.pgm);
	case KVM_S390_SIGP_SET_PREFIX:
		if (!vi->stopped)
			return -EBUSY;
		li->prefix = irq->u.prefix;
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_SET_PREFIX);
		return 0;
	case KVM_S390_SIGP_STOP:
		return inject_stop(li, vi, irq->u.stop.flags);
	case KVM_S390_RESTART:
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_RESTART);
		return 0;
	case KVM_S390_INT_CLOCK_COMP:
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP);
		return 0;
	case KVM_S390_INT_CPU_TIMER:
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER);
		return 0;
	case KVM_S390_INT_EXTERNAL_CALL:
		if (!source_exists(vi, irq->u.extcall.code))
			return -EINVAL;
		if (li->pending & SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL))
			return -EBUSY;
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL);
		li->extcall = irq->u.extcall;
		return 0;
	case KVM_S390_INT_EMERGENCY:
		id = irq->u.emerg.code;
		if (!source_exists(vi, id))
			return -EINVAL;
		li->emerg[id / 64] |= 1ULL << (id % 64);
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY);
		return 0;
	case KVM_S390_MCHK:
		return inject_mchk(li, &irq->u.mchk);
	case KVM_S390_INT_PFAULT_INIT:
		li->ext = irq->u.ext;
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_PFAULT_INIT);
		return 0;
	default:
		/* floating types, PFAULT_DONE and anything unknown */
		return -EINVAL;
	}
}

int skirq_interrupt_to_irq(const struct kvm_s390_interrupt *in,
			   struct kvm_s390_irq *out)
{
	memset(out, 0, sizeof(*out));
	out->type = in->type;
	switch (in->type) {
	case KVM_S390_PROGRAM_INT:
		if (in->parm & 0xffff0000u)
			return -EINVAL;
		out->u.pgm.code = (uint16_t)in->parm;
		return 0;
	case KVM_S390_SIGP_SET_PREFIX:
		out->u.prefix.address = in->parm;
		return 0;
	case KVM_S390_SIGP_STOP:
		out->u.stop.flags = in->parm;
		return 0;
	case KVM_S390_INT_EXTERNAL_CALL:
		if (in->parm & 0xffff0000u)
			return -EINVAL;
		out->u.extcall.code = (uint16_t)in->parm;
		return 0;
	case KVM_S390_INT_EMERGENCY:
		if (in->parm & 0xffff0000u)
			return -EINVAL;
		out->u.emerg.code = (uint16_t)in->parm;
		return 0;
	case KVM_S390_MCHK:
		out->u.mchk.mcic = in->parm64; /* CR14 stays 0 */
		return 0;
	case KVM_S390_INT_PFAULT_INIT:
		out->u.ext.ext_params = in->parm;
		out->u.ext.ext_params2 = in->parm64;
		return 0;
	case KVM_S390_RESTART:
	case KVM_S390_INT_CLOCK_COMP:
	case KVM_S390_INT_CPU_TIMER:
		return 0;
	default:
		return -EINVAL;
	}
}

int skirq_inject_local_interrupt(struct skirq_local *li,
				 const struct skirq_vcpu_info *vi,
				 const struct kvm_s390_interrupt *in)
{
	struct kvm_s390_irq irq;

	if (skirq_interrupt_to_irq(in, &irq))
		return -EINVAL;
	return skirq_inject_local(li, vi, &irq);
}

/* One GET_IRQ_STATE entry for a pending bit other than EMERGENCY. */
static void local_entry(const struct skirq_local *li, unsigned bit,
			struct kvm_s390_irq *e)
{
	switch (bit) {
	case SKIRQ_PEND_MCHK_EX:
	case SKIRQ_PEND_MCHK_REP:
		e->type = KVM_S390_MCHK;
		e->u.mchk = li->mchk;
		break;
	case SKIRQ_PEND_PROG:
		e->type = KVM_S390_PROGRAM_INT;
		e->u.pgm = li->pgm;
		break;
	case SKIRQ_PEND_PFAULT_INIT:
		e->type = KVM_S390_INT_PFAULT_INIT;
		e->u.ext = li->ext;
		break;
	case SKIRQ_PEND_EXT_EXTERNAL:
		e->type = KVM_S390_INT_EXTERNAL_CALL;
		e->u.extcall = li->extcall;
		break;
	case SKIRQ_PEND_EXT_CLOCK_COMP:
		e->type = KVM_S390_INT_CLOCK_COMP;
		break;
	case SKIRQ_PEND_EXT_CPU_TIMER:
		e->type = KVM_S390_INT_CPU_TIMER;
		break;
	case SKIRQ_PEND_SIGP_STOP:
		e->type = KVM_S390_SIGP_STOP;
		e->u.stop = li->stop;
		break;
	case SKIRQ_PEND_RESTART:
		e->type = KVM_S390_RESTART;
		break;
	case SKIRQ_PEND_SET_PREFIX:
		e->type = KVM_S390_SIGP_SET_PREFIX;
		e->u.prefix = li->prefix;
		break;
	default:
		/* bits the kernel never sets: an all-zero entry, as there */
		break;
	}
}

long skirq_get_irq_state(const struct skirq_local *li, void *buf,
			 uint32_t len)
{
	uint8_t *out = buf;
	uint64_t n = 0;
	struct kvm_s390_irq e;

	if (len == 0)
		return -EINVAL;
	for (unsigned bit = 0; bit < SKIRQ_PEND_COUNT; bit++) {
		if (!(li->pending & SKIRQ_BIT(bit)) ||
		    bit == SKIRQ_PEND_EXT_EMERGENCY)
			continue;
		if (n + sizeof(e) > len)
			return -ENOBUFS;
		if (!out)
			return -EFAULT;
		memset(&e, 0, sizeof(e));
		local_entry(li, bit, &e);
		memcpy(out + n, &e, sizeof(e));
		n += sizeof(e);
	}
	if (li->pending & SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY)) {
		for (unsigned id = 0; id < SKIRQ_MAX_VCPUS; id++) {
			if (!emerg_test(li, id))
				continue;
			if (n + sizeof(e) > len)
				return -ENOBUFS;
			if (!out)
				return -EFAULT;
			memset(&e, 0, sizeof(e));
			e.type = KVM_S390_INT_EMERGENCY;
			e.u.emerg.code = (uint16_t)id;
			memcpy(out + n, &e, sizeof(e));
			n += sizeof(e);
		}
	}
	return (long)n;
}

int skirq_set_irq_state(struct skirq_local *li,
			const struct skirq_vcpu_info *vi, const void *buf,
			uint32_t len, unsigned *store_status)
{
	const uint8_t *in = buf;
	struct kvm_s390_irq e;
	int r = 0;

	if (len > SKIRQ_IRQ_STATE_MAX_LEN || len == 0 ||
	    len % sizeof(struct kvm_s390_irq))
		return -EINVAL;
	if (!in)
		return -EFAULT;
	if (li->pending)
		return -EBUSY;
	for (uint32_t off = 0; off < len; off += sizeof(e)) {
		memcpy(&e, in + off, sizeof(e));
		r = skirq_inject_local(li, vi, &e);
		if (r == SKIRQ_STORE_STATUS) {
			if (store_status)
				(*store_status)++;
			r = 0;
		}
		if (r)
			break;
	}
	return r;
}

bool skirq_stop_pending(const struct skirq_local *li)
{
	return li->pending & SKIRQ_BIT(SKIRQ_PEND_SIGP_STOP);
}

bool skirq_restart_pending(const struct skirq_local *li)
{
	return li->pending & SKIRQ_BIT(SKIRQ_PEND_RESTART);
}

bool skirq_extcall_pending(const struct skirq_local *li)
{
	return li->pending & SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL);
}

uint32_t skirq_stop_flags(const struct skirq_local *li)
{
	return li->stop.flags;
}

void skirq_clear_stop(struct skirq_local *li)
{
	li->stop.flags = 0;
	li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_SIGP_STOP);
}

void skirq_update_timers(struct skirq_local *li, bool ckc_due, bool cputm_due)
{
	li->pending &= ~(SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP) |
			 SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER));
	if (ckc_due)
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP);
	if (cputm_due)
		li->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER);
}
