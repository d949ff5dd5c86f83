// SPDX-License-Identifier: MIT
/*
 * The block translator against the interpreter: the same loops run on two
 * CPUs, one interpreting (jit_after -1), one translating every block as it
 * is decoded (jit_after 0), in the same slices of budget; after every
 * slice the architected state and the data must be equal. The loops are
 * chosen for what the translator hands back to the interpreter: a load
 * that crosses a page, TLB misses, a fixed-point overflow, a store into
 * the loop's own code, a budget that ends inside a loop, a kick.
 * On hosts without a translator both CPUs interpret (the test still runs).
 */
#include "cpu-vm.h"

#define DATA 0x8FE0     /* the data crosses into the next page */
#define DATA_LEN 0x400

struct pair {
	struct vm vm[2];    /* [0] interprets, [1] translates */
};

static int pair_setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));

	for (int i = 0; i < 2; i++)
		vm_init(&p->vm[i]);
	p->vm[0].cpu.jit_after = -1;
	assert_int_equal(s390_jit_parse("0", &p->vm[1].cpu.jit_after), 0);
	*state = p;
	return 0;
}

static int pair_teardown(void **state)
{
	struct pair *p = *state;

	for (int i = 0; i < 2; i++) {
		s390_cpu_destroy(&p->vm[i].cpu);
		s390_mem_destroy(&p->vm[i].mem);
		free(p->vm[i].ram);
	}
	free(p);
	return 0;
}

static void pair_load(struct pair *p, const uint8_t *b, size_t n)
{
	for (int i = 0; i < 2; i++) {
		for (unsigned k = 0; k < DATA_LEN; k++)
			p->vm[i].ram[DATA + k] = (uint8_t)(k * 37 + 11);
		code(&p->vm[i], b, n);
	}
}

static void set_reg(struct pair *p, unsigned r, uint64_t v)
{
	p->vm[0].cpu.gpr[r] = v;
	p->vm[1].cpu.gpr[r] = v;
}

static void expect_same(const struct pair *p, const char *what, unsigned step)
{
	const struct s390_cpu *a = &p->vm[0].cpu, *b = &p->vm[1].cpu;

	for (unsigned r = 0; r < 16; r++) {
		if (a->gpr[r] != b->gpr[r])
			fail_msg("%s, slice %u: r%u interp=%llx jit=%llx", what, step, r,
				 (unsigned long long)a->gpr[r],
				 (unsigned long long)b->gpr[r]);
	}
	if (a->psw_mask != b->psw_mask || a->psw_addr != b->psw_addr)
		fail_msg("%s, slice %u: PSW interp=%llx %llx jit=%llx %llx", what, step,
			 (unsigned long long)a->psw_mask, (unsigned long long)a->psw_addr,
			 (unsigned long long)b->psw_mask, (unsigned long long)b->psw_addr);
	assert_int_equal(a->stat_insns, b->stat_insns);
	assert_int_equal(a->bea, b->bea);
	assert_memory_equal(p->vm[0].ram, p->vm[1].ram, RAM);
}

/* Run both in slices of 1..max instructions until both wait; returns the
 * number of slices. */
static unsigned run_lockstep(struct pair *p, const char *what, unsigned max)
{
	unsigned step = 0, seed = 12345;

	for (;;) {
		int64_t slice = (seed = seed * 1103515245 + 12345) % max + 1;
		enum s390_event e0 = s390_cpu_run(&p->vm[0].cpu, slice);
		enum s390_event e1 = s390_cpu_run(&p->vm[1].cpu, slice);

		step++;
		if (e0 != e1)
			fail_msg("%s, slice %u: event interp=%d jit=%d", what, step, e0, e1);
		expect_same(p, what, step);
		if (e0 != S390_EV_BUDGET)
			return step;
		if (step > 100000)
			fail_msg("%s: does not end", what);
	}
}

/* a mixed loop over data that crosses a page, with loads and stores of
 * every width, compare-and-branch, a branch on a CC of the block,
 * RISBG, shifts by register; it ends in an operation exception */
static const uint8_t loop_a[] = {
	0xe3, 0x50, 0x20, 0x00, 0x00, 0x04,  /* lg    %r5,0(%r2) */
	0xb9, 0x0a, 0x00, 0x45,              /* algr  %r4,%r5 */
	0xb9, 0x04, 0x00, 0x64,              /* lgr   %r6,%r4 */
	0xeb, 0x66, 0x00, 0x03, 0x00, 0x0d,  /* sllg  %r6,%r6,3 */
	0xb9, 0x82, 0x00, 0x65,              /* xgr   %r6,%r5 */
	0xe3, 0x60, 0x20, 0x00, 0x00, 0x24,  /* stg   %r6,0(%r2) */
	0x41, 0x20, 0x20, 0x04,              /* la    %r2,4(%r2) */
	0x1a, 0x75,                          /* ar    %r7,%r5 */
	0xe3, 0x80, 0x20, 0x03, 0x00, 0x76,  /* lb    %r8,3(%r2) */
	0xe3, 0x90, 0x20, 0x01, 0x00, 0x91,  /* llgh  %r9,1(%r2) */
	0x40, 0x80, 0x20, 0x06,              /* sth   %r8,6(%r2) */
	0xec, 0x82, 0x00, 0x09, 0x05, 0x7c,  /* cgijh %r8,5,1f */
	0xec, 0xa9, 0x28, 0x3f, 0x08, 0x55,  /* risbg %r10,%r9,40,63,8 */
	0xeb, 0xb6, 0x00, 0x09, 0x00, 0x0a,  /* srag  %r11,%r6,0(%r9) */
	0x89, 0x70, 0x80, 0x01,              /* 1: sll %r7,1(%r8) */
	0xb9, 0x21, 0x00, 0x45,              /* clgr  %r4,%r5 */
	0xa7, 0x44, 0x00, 0x04,              /* jl    2f */
	0xa7, 0xca, 0x00, 0x01,              /* ahi   %r12,1 */
	0xa7, 0x37, 0xff, 0xd5,              /* 2: brctg %r3,loop */
	0x00, 0x00, 0x00, 0x00,
};

static void test_mixed_loop(void **state)
{
	struct pair *p = *state;
	unsigned maxes[] = { 1, 7, 40, 1000 };

	for (unsigned i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		pair_load(p, loop_a, sizeof(loop_a));
		for (unsigned r = 0; r < 16; r++)
			set_reg(p, r, 0);
		set_reg(p, 2, DATA);
		set_reg(p, 3, 200);
		run_lockstep(p, "mixed loop", maxes[i]);
		assert_int_equal(get_be16(p->vm[1].ram + LC_PGM_CODE), PGM_OPERATION);
	}
}

/* 31-bit mode: the same loop with the data address wrapping at 2 GiB */
static void test_mixed_loop_31bit(void **state)
{
	struct pair *p = *state;

	pair_load(p, loop_a, sizeof(loop_a));
	for (unsigned r = 0; r < 16; r++)
		set_reg(p, r, 0xFFFFFFFF00000000ULL);
	set_reg(p, 2, 0xFFFFFFFF80000000ULL | DATA);
	set_reg(p, 3, 150);
	for (int i = 0; i < 2; i++)
		p->vm[i].cpu.psw_mask = PSW_MASK_BA;
	run_lockstep(p, "31-bit loop", 50);
}

/* AHI overflows in a loop: with the program mask's fixed-point bit the
 * interruption, without it CC 3 and on */
static const uint8_t loop_b[] = {
	0xa7, 0x7a, 0x00, 0x01,              /* ahi   %r7,1 */
	0xb9, 0x08, 0x00, 0x17,              /* agr   %r1,%r7 */
	0xa7, 0x36, 0xff, 0xfc,              /* brct  %r3,loop */
	0x00, 0x00, 0x00, 0x00,
};

static void test_overflow(void **state)
{
	struct pair *p = *state;

	for (int fo = 0; fo < 2; fo++) {
		pair_load(p, loop_b, sizeof(loop_b));
		set_reg(p, 7, 0x7FFFFFF0);
		set_reg(p, 1, 0x7FFFFFFFFFFFFF00ULL);
		set_reg(p, 3, 100);
		for (int i = 0; i < 2; i++)
			p->vm[i].cpu.psw_mask = PSW_MASK_64 | (fo ? PSW_MASK_FO : 0);
		run_lockstep(p, fo ? "overflow, interruption" : "overflow, CC 3", 30);
		if (fo)
			assert_int_equal(get_be16(p->vm[1].ram + LC_PGM_CODE),
					 PGM_FIXPT_OVERFLOW);
	}
}

/* the loop stores a new immediate into its own first instruction */
static const uint8_t loop_c[] = {
	0xa7, 0x8a, 0x00, 0x01,              /* ahi   %r8,1 */
	0xa7, 0x9a, 0x00, 0x01,              /* ahi   %r9,1 */
	0x40, 0x90, 0xa0, 0x02,              /* sth   %r9,2(%r10) */
	0xb9, 0x0a, 0x00, 0xb8,              /* algr  %r11,%r8 */
	0xa7, 0x37, 0xff, 0xf8,              /* brctg %r3,loop */
	0x00, 0x00, 0x00, 0x00,
};

static void test_self_modifying(void **state)
{
	struct pair *p = *state;

	pair_load(p, loop_c, sizeof(loop_c));
	set_reg(p, 10, CODE);
	set_reg(p, 3, 300);
	run_lockstep(p, "self-modifying loop", 64);
	/* each pass adds the immediate the pass before stored (r9 as it
	 * was then): 1, then 1, 2, ..., 299 */
	assert_int_equal(p->vm[1].cpu.gpr[8], 1 + 299 * 300 / 2);
}

/* a kick stops a loop that stays in translated code */
static void test_kick(void **state)
{
	struct pair *p = *state;

	pair_load(p, loop_b, sizeof(loop_b));
	set_reg(p, 3, 1000000);
	for (int i = 0; i < 2; i++) {
		/* translate it first: one slice */
		assert_int_equal(s390_cpu_run(&p->vm[i].cpu, 30), S390_EV_BUDGET);
		p->vm[i].cpu.kick = 1;
		assert_int_equal(s390_cpu_run(&p->vm[i].cpu, 1000000), S390_EV_STOPPED);
		assert_true(p->vm[i].cpu.stat_insns < 100);
	}
	expect_same(p, "kick", 0);
}

#define PT(f) cmocka_unit_test_setup_teardown(f, pair_setup, pair_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT(test_mixed_loop),
		PT(test_mixed_loop_31bit),
		PT(test_overflow),
		PT(test_self_modifying),
		PT(test_kick),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
