// SPDX-License-Identifier: MIT
/*
 * Floating (per-VM) interrupts: injection from KVM_S390_INTERRUPT on the
 * VM fd and from FLIC ENQUEUE, FLIC GET_ALL_IRQS and CLEAR_IRQS. Every
 * function runs under the VM's floating lock (irq.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "softkvm/irq.h"
#include "softkvm/irq-internal.h"

#define SCCB_MASK 0xfffffff8u
#define SCCB_EVENT_PENDING 0x3u

void skirq_float_init(struct skirq_float *fi)
{
	memset(fi, 0, sizeof(*fi));
}

void skirq_float_clear(struct skirq_float *fi)
{
	for (unsigned i = 0; i < SKIRQ_FLIST_COUNT; i++) {
		struct skirq_fnode *n = fi->lists[i].head;

		while (n) {
			struct skirq_fnode *next = n->next;

			free(n);
			n = next;
		}
	}
	skirq_float_init(fi);
}

static void list_append(struct skirq_flist *l, struct skirq_fnode *n)
{
	n->next = NULL;
	if (l->tail)
		l->tail->next = n;
	else
		l->head = n;
	l->tail = n;
}

struct skirq_fnode *skirq_flist_pop(struct skirq_flist *l)
{
	struct skirq_fnode *n = l->head;

	if (n) {
		l->head = n->next;
		if (!l->head)
			l->tail = NULL;
	}
	return n;
}

static bool is_io_type(uint64_t type)
{
	return type <= KVM_S390_INT_IO_MAX;
}

static int queue(struct skirq_float *fi, unsigned list, uint32_t *count,
		 uint32_t limit, const struct kvm_s390_irq *irq,
		 unsigned pend_bit)
{
	struct skirq_fnode *n;

	if (*count >= limit)
		return -EBUSY;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->type = irq->type;
	if (list <= SKIRQ_FLIST_IO_ISC_0 + 7)
		n->u.io = irq->u.io;
	else
		n->u.ext = irq->u.ext;
	(*count)++;
	list_append(&fi->lists[list], n);
	fi->pending |= SKIRQ_BIT(pend_bit);
	return 0;
}

static void inject_service(struct skirq_float *fi, uint32_t parm)
{
	/* Event bits are always taken and tracked on their own. */
	fi->srv.ext_params |= parm & SCCB_EVENT_PENDING;
	if (fi->srv.ext_params & SCCB_EVENT_PENDING)
		fi->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV);
	/* A second SCCB address while one is pending is dropped silently. */
	if (fi->srv.ext_params & SCCB_MASK)
		return;
	fi->srv.ext_params |= parm & SCCB_MASK;
	fi->pending |= SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE);
}

int skirq_inject_float(struct skirq_float *fi, const struct kvm_s390_irq *irq)
{
	unsigned isc;

	switch (irq->type) {
	case KVM_S390_MCHK:
		fi->mchk.cr14 |= irq->u.mchk.cr14 & SKIRQ_CR14_CHANNEL_REPORT;
		fi->mchk.mcic |= irq->u.mchk.mcic;
		fi->pending |= SKIRQ_BIT(SKIRQ_PEND_MCHK_REP);
		return 0;
	case KVM_S390_INT_VIRTIO:
		return queue(fi, SKIRQ_FLIST_VIRTIO, &fi->nr_virtio,
			     SKIRQ_MAX_VIRTIO_IRQS, irq, SKIRQ_PEND_VIRTIO);
	case KVM_S390_INT_SERVICE:
		inject_service(fi, irq->u.ext.ext_params);
		return 0;
	case KVM_S390_INT_PFAULT_DONE:
		return queue(fi, SKIRQ_FLIST_PFAULT, &fi->nr_pfault,
			     SKIRQ_MAX_PFAULT_IRQS, irq,
			     SKIRQ_PEND_PFAULT_DONE);
	default:
		if (!is_io_type(irq->type))
			return -EINVAL;
		isc = (irq->u.io.io_int_word & 0x38000000u) >> 27;
		return queue(fi, SKIRQ_FLIST_IO_ISC_0 + isc, &fi->nr_io,
			     SKIRQ_MAX_IO_IRQS, irq, SKIRQ_PEND_IO_ISC(isc));
	}
}

int skirq_inject_float_interrupt(struct skirq_float *fi,
				 const struct kvm_s390_interrupt *in)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = in->type;
	switch (in->type) {
	case KVM_S390_INT_VIRTIO:
		irq.u.ext.ext_params = in->parm;
		irq.u.ext.ext_params2 = in->parm64;
		break;
	case KVM_S390_INT_SERVICE:
		irq.u.ext.ext_params = in->parm;
		break;
	case KVM_S390_INT_PFAULT_DONE:
		irq.u.ext.ext_params2 = in->parm64;
		break;
	case KVM_S390_MCHK:
		irq.u.mchk.cr14 = in->parm;
		irq.u.mchk.mcic = in->parm64;
		break;
	default:
		if (!is_io_type(in->type))
			return -EINVAL;
		irq.u.io.subchannel_id = (uint16_t)(in->parm >> 16);
		irq.u.io.subchannel_nr = (uint16_t)in->parm;
		irq.u.io.io_int_parm = (uint32_t)(in->parm64 >> 32);
		irq.u.io.io_int_word = (uint32_t)in->parm64;
		break;
	}
	return skirq_inject_float(fi, &irq);
}

int skirq_flic_get_all(const struct skirq_float *fi, void *buf, uint64_t attr)
{
	uint64_t max, n = 0;
	struct kvm_s390_irq e;
	uint8_t *tmp;

	if (attr > KVM_S390_FLIC_MAX_BUFFER || attr == 0)
		return -EINVAL;
	max = attr / sizeof(e);
	/* Fill a bounce buffer: on -ENOMEM the caller's stays untouched. */
	tmp = calloc(1, (size_t)attr);
	if (!tmp)
		return -ENOBUFS;
	for (unsigned i = 0; i < SKIRQ_FLIST_COUNT; i++) {
		for (const struct skirq_fnode *f = fi->lists[i].head; f;
		     f = f->next) {
			if (n == max)
				goto too_small;
			memset(&e, 0, sizeof(e));
			e.type = f->type;
			if (i == SKIRQ_FLIST_PFAULT || i == SKIRQ_FLIST_VIRTIO)
				e.u.ext = f->u.ext;
			else
				e.u.io = f->u.io;
			memcpy(tmp + n++ * sizeof(e), &e, sizeof(e));
		}
	}
	if (fi->pending & (SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
			   SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV))) {
		if (n == max)
			goto too_small;
		memset(&e, 0, sizeof(e));
		e.type = KVM_S390_INT_SERVICE;
		e.u.ext = fi->srv;
		memcpy(tmp + n++ * sizeof(e), &e, sizeof(e));
	}
	if (fi->pending & SKIRQ_BIT(SKIRQ_PEND_MCHK_REP)) {
		if (n == max)
			goto too_small;
		memset(&e, 0, sizeof(e));
		e.type = KVM_S390_MCHK;
		e.u.mchk = fi->mchk;
		memcpy(tmp + n++ * sizeof(e), &e, sizeof(e));
	}
	if (n > 0) {
		if (!buf) {
			free(tmp);
			return -EFAULT;
		}
		memcpy(buf, tmp, n * sizeof(e));
	}
	free(tmp);
	return (int)n;

too_small:
	free(tmp);
	return -ENOMEM;
}

int skirq_flic_enqueue(struct skirq_float *fi, const void *buf, uint64_t attr)
{
	const uint8_t *in = buf;
	struct kvm_s390_irq e;
	uint32_t len;
	int r;

	/* The kernel reads the length into an int: only the low 32 bits
	 * count, and a "negative" length fails the size check. */
	len = (uint32_t)attr;
	if (len & 0x80000000u)
		return -EINVAL;
	if (len % sizeof(e) || len > KVM_S390_FLIC_MAX_BUFFER)
		return -EINVAL;
	for (uint32_t off = 0; off < len; off += sizeof(e)) {
		if (!in)
			return -EFAULT;
		memcpy(&e, in + off, sizeof(e));
		/* Only the member that belongs to the type is read. */
		switch (e.type) {
		case KVM_S390_INT_PFAULT_INIT:
		case KVM_S390_INT_PFAULT_DONE:
		case KVM_S390_INT_VIRTIO:
		case KVM_S390_INT_SERVICE:
		case KVM_S390_MCHK:
			break;
		default:
			if (!is_io_type(e.type))
				return -EINVAL;
		}
		r = skirq_inject_float(fi, &e);
		if (r)
			return r;
	}
	return 0;
}
