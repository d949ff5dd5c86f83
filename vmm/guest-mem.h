/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_GUEST_MEM_H
#define ZVMM_GUEST_MEM_H

#include <stdint.h>

/*
 * Guest RAM: one anonymous mapping, 1 MiB aligned as s390 KVM memory
 * slots require.
 */
struct guest_mem {
	uint8_t *base;
	uint64_t size;
};

int guest_mem_alloc(struct guest_mem *gm, uint64_t size);

/*
 * Ask for transparent huge pages from now on: where the host gives them,
 * a first touch costs one fault per 2 MiB, not per 4 KiB, and dirty
 * logging and migration run about ten times faster (scripts/bench-migrate
 * without them: 404 ms instead of 36 ms for 128 MiB). `zvmm run` asks
 * after loading the image: with the host's usual THP defrag setting
 * (madvise), a first touch of advised memory may stall for direct
 * compaction, seen here as 4-5 ms in 3 of 6 timed boots of hello; pages the
 * loader touched first stay small, the guest's later ones are huge.
 */
void guest_mem_want_huge(struct guest_mem *gm);
void guest_mem_free(struct guest_mem *gm);

/* Zero all of it and give the pages back (a clear reset). */
void guest_mem_clear(struct guest_mem *gm);

/* Allocate and map every page now (an incoming migration). */
void guest_mem_prefault(struct guest_mem *gm);

#endif
