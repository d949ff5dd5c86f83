// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "config.h"
#include "guest-mem.h"
#include "log.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

int guest_mem_alloc(struct guest_mem *gm, uint64_t size)
{
	const uint64_t align = ZVMM_MEM_ALIGN;
	uint64_t head, tail;
	uint8_t *raw;

	/* Map one extra granule and trim both ends to get the alignment. */
	raw = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (raw == MAP_FAILED) {
		int e = errno;

		log_error("cannot map %llu MiB of guest memory: %s",
			  (unsigned long long)(size >> 20), strerror(e));
		return -e;
	}
	head = (align - ((uintptr_t)raw & (align - 1))) & (align - 1);
	tail = align - head;
	if (head)
		munmap(raw, head);
	if (tail)
		munmap(raw + head + size, tail);
	gm->base = raw + head;
	gm->size = size;
	return 0;
}

void guest_mem_want_huge(struct guest_mem *gm)
{
	/* Advice only: a host without THP (or s390 KVM without hpage)
	 * keeps 4 KiB pages. */
	(void)madvise(gm->base, gm->size, MADV_HUGEPAGE);
}

void guest_mem_free(struct guest_mem *gm)
{
	if (gm->base)
		munmap(gm->base, gm->size);
	gm->base = NULL;
	gm->size = 0;
}

void guest_mem_clear(struct guest_mem *gm)
{
	if (madvise(gm->base, gm->size, MADV_DONTNEED) < 0)
		memset(gm->base, 0, gm->size);
}

void guest_mem_prefault(struct guest_mem *gm)
{
	if (madvise(gm->base, gm->size, MADV_POPULATE_WRITE) == 0)
		return;
	for (uint64_t off = 0; off < gm->size; off += 4096)
		((volatile uint8_t *)gm->base)[off] = 0;
}
