#include "alloc.h"
#include "sclp.h"

extern char __image_end[];

static u64 alloc_next;
static int alloc_lock;

void *alloc_pages(size_t size, size_t align)
{
	u64 start, limit = sclp_info.mem_size;
	int free = 0;
	void *p = NULL;

	while (!__atomic_compare_exchange_n(&alloc_lock, &free, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		free = 0;
	if (!alloc_next)
		alloc_next = (u64)__image_end;
	start = ALIGN_UP(alloc_next, align);
	if (start + size > start && (!limit || start + size <= limit)) {
		alloc_next = start + size;
		p = (void *)start;
	}
	__atomic_store_n(&alloc_lock, 0, __ATOMIC_RELEASE);
	return p;
}
