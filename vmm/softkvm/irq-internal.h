/* SPDX-License-Identifier: MIT */
/* Shared between the softkvm irq-*.c files only. */
#ifndef ZVMM_SOFTKVM_IRQ_INTERNAL_H
#define ZVMM_SOFTKVM_IRQ_INTERNAL_H

#include "softkvm/irq.h"

/* One queued floating interrupt (I/O, virtio or pfault-done). */
struct skirq_fnode {
	struct skirq_fnode *next;
	uint64_t type;
	union {
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
	} u;
};

/* Unlink and return the oldest entry, or NULL. The caller frees it. */
struct skirq_fnode *skirq_flist_pop(struct skirq_flist *l);

#endif
