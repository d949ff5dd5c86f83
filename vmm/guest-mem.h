/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_GUEST_MEM_H
#define ZVMM_GUEST_MEM_H

#include <stdint.h>

/*
 * Guest RAM: one anonymous mapping, 1 MiB aligned as s390 KVM memory
 * slots require. Pages are faulted in lazily by whoever touches them.
 */
struct guest_mem {
	uint8_t *base;
	uint64_t size;
};

int guest_mem_alloc(struct guest_mem *gm, uint64_t size);
void guest_mem_free(struct guest_mem *gm);

#endif
