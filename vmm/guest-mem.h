/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_GUEST_MEM_H
#define ZVMM_GUEST_MEM_H

#include <stdint.h>

/*
 * Guest RAM: one anonymous mapping, 1 MiB aligned as s390 KVM memory
 * slots require, with transparent huge pages asked for (where the host
 * gives them, a first touch costs one fault per 2 MiB, not per 4 KiB,
 * and a read of memory nobody wrote maps the shared zero page).
 */
struct guest_mem {
	uint8_t *base;
	uint64_t size;
};

int guest_mem_alloc(struct guest_mem *gm, uint64_t size);
void guest_mem_free(struct guest_mem *gm);

/* Zero all of it and give the pages back (a clear reset). */
void guest_mem_clear(struct guest_mem *gm);

/* Allocate and map every page now (an incoming migration). */
void guest_mem_prefault(struct guest_mem *gm);

#endif
