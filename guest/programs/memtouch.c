/*
 * memtouch: dirty all of guest memory, then idle.  A benchmark guest for
 * migration: every 4 KiB page from the end of the image to the top of
 * memory (the size READ SCP INFO reports) is filled with a non-zero
 * pattern, each 8-byte word holding its page's address + 1, so that no
 * page is zero and no two pages are alike.  Then the program prints
 *
 *     memtouch: touched <N> MiB
 *
 * (N rounded down) and the TOD time the touch took, and waits in an
 * enabled wait for ever, with no interruption subclass enabled and both
 * timers parked: a VMM sees a CPU that truly idles.  It never exits.
 */
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "sclp.h"
#include "setup.h"
#include "time.h"

#define PAGE_SIZE	4096UL

extern char __image_end[];

/*
 * Fill one page with 8-byte stores.  (Plain stores: the interpreter runs
 * them far faster than 256-byte MVCs, and QEMU does not care.)
 */
static inline void touch_page(u64 page)
{
	volatile u64 *p = (volatile u64 *)page;
	u64 v = page + 1;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i += 8) {
		p[i] = v;
		p[i + 1] = v;
		p[i + 2] = v;
		p[i + 3] = v;
		p[i + 4] = v;
		p[i + 5] = v;
		p[i + 6] = v;
		p[i + 7] = v;
	}
}

int main(void)
{
	u64 start = ALIGN_UP((u64)__image_end, PAGE_SIZE);
	u64 end = sclp_info.mem_size & ~(PAGE_SIZE - 1);
	u64 page, t0, t1, bad = 0;

	if (!sclp_info.valid || end <= start) {
		printf("memtouch: no memory size from READ SCP INFO: FAIL\n");
		return 1;
	}
	printf("memtouch: memory %lu MiB, touching 0x%lx-0x%lx\n",
	       sclp_info.mem_size >> 20, start, end);
	t0 = stck();
	for (page = start; page < end; page += PAGE_SIZE)
		touch_page(page);
	t1 = stck();
	/* A spot check of the last word of every page. */
	for (page = start; page < end; page += PAGE_SIZE)
		bad += *(volatile u64 *)(page + PAGE_SIZE - 8) != page + 1;
	if (bad) {
		printf("memtouch: %lu pages without the pattern: FAIL\n", bad);
		return 1;
	}
	printf("memtouch: touched %lu MiB\n", (end - start) >> 20);
	printf("memtouch: took %lu ms of TOD\n", (t1 - t0) / TOD_MS(1));

	ext_disable();
	for (;;)
		wait_for_ext();
}
