// SPDX-License-Identifier: MIT
/*
 * Dirty logging (KVM_MEM_LOG_DIRTY_PAGES, KVM_GET_DIRTY_LOG) of the
 * guest's own stores: every kind of store instruction and the CPU's
 * lowcore stores mark exactly their pages; and a harvest racing with a
 * storing vCPU never loses a store (the migration property: copying the
 * dirty pages after each harvest ends with an exact copy of memory).
 */
#include <stdio.h>

#include "sk-test.h"

#define RAM_MIB 2
#define PAGES (RAM_MIB * MiB / 4096)
#define WORDS (PAGES / 64)

static long get_log(struct skt_fix *f, uint64_t *bm)
{
	struct kvm_dirty_log log = { .slot = 0, .dirty_bitmap = bm };

	memset(bm, 0xa5, WORDS * 8);
	return skt_io(f->vm, KVM_GET_DIRTY_LOG, &log);
}

static bool is_dirty(const uint64_t *bm, uint64_t page)
{
	/* the kernel's set_bit_le order: bit n % 8 of byte n / 8 */
	return ((const uint8_t *)bm)[page / 8] >> (page % 8) & 1;
}

/*
 * One store of each kind to its own page (s390x-linux-gnu-as):
 * ST 0x20, STG 0x21, MVC 0x22, XC 0x23, CS 0x24, CSG 0x25, STMG across
 * 0x26/0x27, STCK 0x28, MVCL 0x29, CDS 0x2a, STG across 0x2b/0x2c,
 * STFLE 0x2d, then SVC 5 (lowcore, page 0) whose new PSW leads to
 * LPSWE END_PSW at CODE+0x100.
 */
static const uint8_t stores_code[] = {
	0xa7, 0x19, 0x00, 0x55, 0xc0, 0x3f, 0x00, 0x02, 0x00, 0x10, 0x50, 0x10,
	0x30, 0x00, 0xc0, 0x3f, 0x00, 0x02, 0x10, 0x08, 0xe3, 0x10, 0x30, 0x00,
	0x00, 0x24, 0xc0, 0x3f, 0x00, 0x02, 0x20, 0x00, 0xd2, 0x07, 0x30, 0x00,
	0x30, 0x10, 0xc0, 0x3f, 0x00, 0x02, 0x30, 0x00, 0xd7, 0x0f, 0x30, 0x00,
	0x30, 0x00, 0xa7, 0x49, 0x00, 0x00, 0xa7, 0x59, 0x00, 0x07, 0xc0, 0x3f,
	0x00, 0x02, 0x40, 0x00, 0xba, 0x45, 0x30, 0x00, 0xc0, 0x3f, 0x00, 0x02,
	0x50, 0x00, 0xeb, 0x45, 0x30, 0x00, 0x00, 0x30, 0xc0, 0x3f, 0x00, 0x02,
	0x6f, 0xc0, 0xeb, 0x0f, 0x30, 0x00, 0x00, 0x24, 0xc0, 0x3f, 0x00, 0x02,
	0x80, 0x00, 0xb2, 0x05, 0x30, 0x00, 0xc0, 0x6f, 0x00, 0x02, 0x90, 0x00,
	0xa7, 0x79, 0x01, 0x00, 0xa7, 0x89, 0x00, 0x00, 0xa7, 0x99, 0x00, 0x00,
	0x0e, 0x68, 0xa7, 0x49, 0x00, 0x00, 0xa7, 0x59, 0x00, 0x00, 0xa7, 0xa9,
	0x00, 0x01, 0xa7, 0xb9, 0x00, 0x02, 0xc0, 0x3f, 0x00, 0x02, 0xa0, 0x00,
	0xbb, 0x4a, 0x30, 0x00, 0xc0, 0x3f, 0x00, 0x02, 0xbf, 0xfc, 0xe3, 0x10,
	0x30, 0x00, 0x00, 0x24, 0xa7, 0x09, 0x00, 0x00, 0xc0, 0x3f, 0x00, 0x02,
	0xd0, 0x00, 0xb2, 0xb0, 0x30, 0x00, 0x0a, 0x05,
};
static const uint8_t lpswe_end[] = { 0xb2, 0xb2, 0x03, 0xf0 };

static void check_pages(const uint64_t *bm, const uint64_t *want, size_t n)
{
	for (uint64_t p = 0; p < PAGES; p++) {
		bool expect = false;

		for (size_t i = 0; i < n; i++)
			expect |= want[i] == p;
		if (is_dirty(bm, p) != expect)
			fail_msg("page 0x%llx: dirty %d, want %d",
				 (unsigned long long)p, is_dirty(bm, p), expect);
	}
}

static void test_stores_marked(void **state)
{
	static const uint64_t want[] = {
		0x0, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
		0x29, 0x2a, 0x2b, 0x2c, 0x2d,
	};
	struct skt_fix *f = skt_fix_new(RAM_MIB, 1, KVM_MEM_LOG_DIRTY_PAGES);
	uint64_t bm[WORDS];

	(void)state;
	skt_load(f, 0, stores_code, sizeof(stores_code));
	memcpy(f->ram + CODE + 0x100, lpswe_end, sizeof(lpswe_end));
	skt_put_psw(f, 0x1c0, PSW_64, CODE + 0x100);   /* SVC new */
	/* the VMM's own writes above are not the guest's: nothing yet */
	assert_int_equal(get_log(f, bm), 0);
	check_pages(bm, NULL, 0);

	skt_run_to_end(f, 0);
	assert_int_equal(get_be16(f->ram + 0x8a), 5);   /* the SVC ran */
	assert_int_equal(get_be32(f->ram + 0x20010), 0x55);
	assert_int_equal(get_log(f, bm), 0);
	check_pages(bm, want, ARRAY_SIZE(want));
	/* harvested: a second look finds nothing */
	assert_int_equal(get_log(f, bm), 0);
	check_pages(bm, NULL, 0);
	skt_fix_free(f);
}

/* Logging off: no bitmap (-ENOENT), and turning it on starts clean. */
static void test_log_off_then_on(void **state)
{
	struct skt_fix *f = skt_fix_new(RAM_MIB, 1, 0);
	struct kvm_userspace_memory_region m = {
		.slot = 0, .memory_size = RAM_MIB * MiB,
		.flags = KVM_MEM_LOG_DIRTY_PAGES,
	};
	uint64_t bm[WORDS];

	(void)state;
	skt_load(f, 0, stores_code, sizeof(stores_code));
	memcpy(f->ram + CODE + 0x100, lpswe_end, sizeof(lpswe_end));
	skt_put_psw(f, 0x1c0, PSW_64, CODE + 0x100);
	skt_run_to_end(f, 0);
	assert_int_equal(get_log(f, bm), -ENOENT);

	m.userspace_addr = (uint64_t)(uintptr_t)f->ram;
	assert_int_equal(skt_io(f->vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	assert_int_equal(get_log(f, bm), 0);
	check_pages(bm, NULL, 0);
	skt_load(f, 0, stores_code, sizeof(stores_code));
	skt_run_to_end(f, 0);
	assert_int_equal(get_log(f, bm), 0);
	assert_true(is_dirty(bm, 0x20) && is_dirty(bm, 0x2d));
	skt_fix_free(f);
}

/*
 * The race. Guest loop (r2 = first page, r3 = pages, r4 = stop flag):
 *   loop: aghi r1,1; lgr r5,r2; lgr r6,r3; sllg r8,r1,3;
 *         lghi r7,0x0ff0; ngr r7,r8
 *   inner: stg r1,0(r7,r5); mvc 8(8,r5),0(r5); aghi r5,4096;
 *          brctg r6,inner
 *         cli 0(r4),0; je loop; lpswe END_PSW
 */
static const uint8_t store_loop[] = {
	0xa7, 0x1b, 0x00, 0x01, 0xb9, 0x04, 0x00, 0x52, 0xb9, 0x04, 0x00, 0x63,
	0xeb, 0x81, 0x00, 0x03, 0x00, 0x0d, 0xa7, 0x79, 0x0f, 0xf0, 0xb9, 0x80,
	0x00, 0x78, 0xe3, 0x17, 0x50, 0x00, 0x00, 0x24, 0xd2, 0x07, 0x50, 0x08,
	0x50, 0x00, 0xa7, 0x5b, 0x10, 0x00, 0xa7, 0x67, 0xff, 0xf8, 0x95, 0x00,
	0x40, 0x00, 0xa7, 0x84, 0xff, 0xe7, 0xb2, 0xb2, 0x03, 0xf0,
};

#define NCPU_RACE 2
#define RACE_FIRST 0x40      /* first page stored to by vCPU 0 */
#define RACE_PAGES 96        /* per vCPU */
#define STOP_FLAG 0x3f000ULL

/*
 * Reading guest RAM while the guest writes it is what a live migration
 * does by design (the dirty log makes the result right), so these two
 * accesses are hidden from ThreadSanitizer; every softkvm access stays
 * checked.
 */
#if defined(__SANITIZE_THREAD__)
#define NO_TSAN __attribute__((no_sanitize("thread")))
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NO_TSAN __attribute__((no_sanitize("thread")))
#endif
#endif
#ifndef NO_TSAN
#define NO_TSAN
#endif

static NO_TSAN void copy_page(uint8_t *dst, const uint8_t *src)
{
	const volatile uint64_t *s = (const volatile uint64_t *)src;
	uint64_t *d = (uint64_t *)dst;

	for (unsigned i = 0; i < 4096 / 8; i++)
		d[i] = s[i];
}

static NO_TSAN void guest_poke(uint8_t *p, uint8_t v)
{
	*(volatile uint8_t *)p = v;
}

struct racer {
	struct skt_fix *f;
	unsigned cpu;
	long r;
};

static void *race_thread(void *arg)
{
	struct racer *rc = arg;

	rc->r = skt_run(rc->f, rc->cpu);
	return NULL;
}

static void test_harvest_races_stores(void **state)
{
	struct skt_fix *f = skt_fix_new(RAM_MIB, NCPU_RACE,
					KVM_MEM_LOG_DIRTY_PAGES);
	struct racer rc[NCPU_RACE];
	pthread_t t[NCPU_RACE];
	uint8_t *shadow = malloc(RAM_MIB * MiB);
	uint64_t bm[WORDS];
	unsigned rounds = 0, seen = 0;

	(void)state;
	assert_non_null(shadow);
	memcpy(f->ram + CODE, store_loop, sizeof(store_loop));
	for (unsigned i = 0; i < NCPU_RACE; i++) {
		struct kvm_run *run = f->run[i];

		run->psw_mask = PSW_64;
		run->psw_addr = CODE;
		run->s.regs.gprs[1] = 0;
		run->s.regs.gprs[2] = (RACE_FIRST + i * RACE_PAGES) * 4096ULL;
		run->s.regs.gprs[3] = RACE_PAGES;
		run->s.regs.gprs[4] = STOP_FLAG;
		run->kvm_dirty_regs |= KVM_SYNC_GPRS;
		rc[i] = (struct racer){ .f = f, .cpu = i };
	}
	/* the migration's first pass: harvest, then copy everything */
	assert_int_equal(get_log(f, bm), 0);
	memcpy(shadow, f->ram, RAM_MIB * MiB);
	for (unsigned i = 0; i < NCPU_RACE; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_thread,
						&rc[i]), 0);
	/* then rounds of harvest + copy of the dirty pages while they run */
	for (rounds = 0; rounds < 200; rounds++) {
		assert_int_equal(get_log(f, bm), 0);
		for (uint64_t p = 0; p < PAGES; p++)
			if (is_dirty(bm, p)) {
				copy_page(shadow + p * 4096, f->ram + p * 4096);
				seen++;
			}
		usleep(200);
	}
	guest_poke(f->ram + STOP_FLAG, 1);
	for (unsigned i = 0; i < NCPU_RACE; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(rc[i].r, 0);
		assert_int_equal(f->run[i]->s390_sieic.icptcode, 0x1c);
		assert_int_equal(f->run[i]->psw_addr, END_ADDR);
		/* the guests really went round many times */
		assert_true(f->run[i]->s.regs.gprs[1] > 10);
	}
	/* the last round, with the vCPUs stopped */
	assert_int_equal(get_log(f, bm), 0);
	for (uint64_t p = 0; p < PAGES; p++)
		if (is_dirty(bm, p))
			memcpy(shadow + p * 4096, f->ram + p * 4096, 4096);
	/* the stop flag is the VMM's store; everything else must match */
	shadow[STOP_FLAG] = 1;
	for (uint64_t p = 0; p < PAGES; p++)
		if (memcmp(shadow + p * 4096, f->ram + p * 4096, 4096))
			fail_msg("page 0x%llx: a store was lost",
				 (unsigned long long)p);
	assert_true(seen > 0);
	free(shadow);
	skt_fix_free(f);
}

/*
 * A second slot at a non-zero guest address: softkvm's own writes there
 * (MEM_OP) are logged in that slot's bitmap, but the guest cannot reach it
 * (the interpreter runs on the slot at 0 only, docs/softkvm.md "Choices
 * and gaps"): its store is an addressing exception.
 */
/* llilf r3,0x1005000; mvi 0(r3),1; lpswe END_PSW */
static const uint8_t slot1_store[] = {
	0xc0, 0x3f, 0x01, 0x00, 0x50, 0x00, 0x92, 0x01, 0x30, 0x00, 0xb2, 0xb2,
	0x03, 0xf0,
};

static void test_second_slot(void **state)
{
	struct skt_fix *f = skt_fix_new(RAM_MIB, 1, KVM_MEM_LOG_DIRTY_PAGES);
	struct guest_mem m1;
	struct kvm_userspace_memory_region r = {
		.slot = 1, .guest_phys_addr = 16 * MiB, .memory_size = MiB,
		.flags = KVM_MEM_LOG_DIRTY_PAGES,
	};
	uint8_t data[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	uint64_t bm[WORDS], bm1[4];
	struct kvm_s390_mem_op mop = {
		.gaddr = 16 * MiB + 0x3008, .size = sizeof(data),
		.op = KVM_S390_MEMOP_ABSOLUTE_WRITE,
		.buf = (uint64_t)(uintptr_t)data,
	};
	struct kvm_dirty_log log1 = { .slot = 1, .dirty_bitmap = bm1 };

	(void)state;
	assert_int_equal(guest_mem_alloc(&m1, MiB), 0);
	r.userspace_addr = (uint64_t)(uintptr_t)m1.base;
	assert_int_equal(skt_io(f->vm, KVM_SET_USER_MEMORY_REGION, &r), 0);
	assert_int_equal(skt_io(f->vm, KVM_S390_MEM_OP, &mop), 0);
	assert_int_equal(get_be64(m1.base + 0x3008), 0x1122334455667788ULL);
	memset(bm1, 0xff, sizeof(bm1));
	assert_int_equal(skt_io(f->vm, KVM_GET_DIRTY_LOG, &log1), 0);
	assert_int_equal(((uint8_t *)bm1)[0], 1 << 3);
	for (unsigned i = 1; i < sizeof(bm1); i++)
		assert_int_equal(((uint8_t *)bm1)[i], 0);
	assert_int_equal(get_log(f, bm), 0);
	check_pages(bm, NULL, 0);

	skt_load(f, 0, slot1_store, sizeof(slot1_store));
	assert_int_equal(skt_run(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[0]->psw_addr, 0xbad0);
	assert_int_equal(get_be16(f->ram + 0x8e), 0x05);   /* addressing */
	assert_int_equal(m1.base[0x5000], 0);
	skt_fix_free(f);
	guest_mem_free(&m1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores_marked),
		cmocka_unit_test(test_log_off_then_on),
		cmocka_unit_test(test_harvest_races_stores),
		cmocka_unit_test(test_second_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
