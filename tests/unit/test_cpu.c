// SPDX-License-Identifier: MIT
/* Interpreter core: decoding, big-endian memory, prefixing, condition codes. */
#include "cpu-vm.h"

static void test_insn_length(void **state)
{
	(void)state;
	for (unsigned op = 0; op < 256; op++) {
		unsigned want = op < 0x40 ? 2 : op < 0xC0 ? 4 : 6;
		assert_int_equal(s390_insn_len((uint8_t)op), want);
	}
}

static void test_decode_fields(void **state)
{
	struct s390_insn in;
	(void)state;

	/* lg %r1,-8(%r2,%r15): RXY with a negative 20-bit displacement */
	static const uint8_t lg[] = { 0xE3, 0x12, 0xFF, 0xF8, 0xFF, 0x04 };
	s390_decode(lg, &in);
	assert_string_equal(s390_op_names[in.op], "LG");
	assert_int_equal(in.ilen, 6);
	assert_int_equal(in.r1, 1);
	assert_int_equal(in.x2, 2);
	assert_int_equal(in.b2, 15);
	assert_int_equal(in.d2, -8);

	/* brasl %r14,-0x10 (halfwords -8) */
	static const uint8_t brasl[] = { 0xC0, 0xE5, 0xFF, 0xFF, 0xFF, 0xF8 };
	s390_decode(brasl, &in);
	assert_string_equal(s390_op_names[in.op], "BRASL");
	assert_int_equal(in.r1, 14);
	assert_int_equal(in.i2, -8);

	/* cgij %r3,-5,8,+0x20 (RIE-c) */
	static const uint8_t cgij[] = { 0xEC, 0x38, 0x00, 0x10, 0xFB, 0x7C };
	s390_decode(cgij, &in);
	assert_string_equal(s390_op_names[in.op], "CGIJ");
	assert_int_equal(in.r1, 3);
	assert_int_equal(in.m3, 8);
	assert_int_equal(in.ri, 0x10);
	assert_int_equal(in.i2, -5);

	/* risbg %r1,%r2,32,0x80|63,8 */
	static const uint8_t risbg[] = { 0xEC, 0x12, 0x20, 0xBF, 0x08, 0x55 };
	s390_decode(risbg, &in);
	assert_string_equal(s390_op_names[in.op], "RISBG");
	assert_int_equal(in.i3, 32);
	assert_int_equal(in.i4, 0xBF);
	assert_int_equal(in.i5, 8);

	/* mvc 0(256,%r1),16(%r2) */
	static const uint8_t mvc[] = { 0xD2, 0xFF, 0x10, 0x00, 0x20, 0x10 };
	s390_decode(mvc, &in);
	assert_string_equal(s390_op_names[in.op], "MVC");
	assert_int_equal(in.l1, 255);
	assert_int_equal(in.b1, 1);
	assert_int_equal(in.b2, 2);
	assert_int_equal(in.d2, 16);

	/* unknown opcodes decode to OP_INVALID with the right length */
	static const uint8_t bad[] = { 0xE3, 0x00, 0x00, 0x00, 0x00, 0xFF };
	s390_decode(bad, &in);
	assert_int_equal(in.op, OP_INVALID);
	assert_int_equal(in.ilen, 6);
}

static void test_be_accessors(void **state)
{
	uint8_t b[8];
	(void)state;

	put_be64(b, 0x0102030405060708ULL);
	for (int i = 0; i < 8; i++)
		assert_int_equal(b[i], i + 1);
	assert_int_equal(get_be64(b), 0x0102030405060708ULL);
	assert_int_equal(get_be32(b + 4), 0x05060708);
	assert_int_equal(get_be16(b + 6), 0x0708);
	put_be16(b, 0xA1B2);
	assert_int_equal(b[0], 0xA1);
	assert_int_equal(b[1], 0xB2);
}

static void test_guest_stores_big_endian(void **state)
{
	struct vm *vm = *state;
	/* stg %r1,0x100 ; st %r1,0x108 ; sth %r1,0x10c ; lg %r2,0x100 ;
	 * lh %r3,0x10c ; stmg across a page boundary; lmg it back */
	static const uint8_t prog[] = {
		0xE3, 0x10, 0x01, 0x00, 0x00, 0x24,
		0x50, 0x10, 0x01, 0x08,
		0x40, 0x10, 0x01, 0x0C,
		0xE3, 0x20, 0x01, 0x00, 0x00, 0x04,
		0x48, 0x30, 0x01, 0x0C,
		0xEB, 0x12, 0x0F, 0xFC, 0x00, 0x24, /* stmg %r1,%r2,0xffc */
		0xEB, 0x45, 0x0F, 0xFC, 0x00, 0x04, /* lmg %r4,%r5,0xffc */
	};
	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[1] = 0x1122334455668899ULL;
	assert_int_equal(s390_cpu_run(&vm->cpu, 7), S390_EV_BUDGET);
	static const uint8_t want[] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x88, 0x99,
		0x55, 0x66, 0x88, 0x99, 0x88, 0x99,
	};
	assert_memory_equal(vm->ram + 0x100, want, sizeof(want));
	assert_int_equal(vm->cpu.gpr[2], 0x1122334455668899ULL);
	assert_int_equal(vm->cpu.gpr[3], 0xFFFF8899ULL);
	assert_int_equal(vm->ram[0xFFC], 0x11);
	assert_int_equal(vm->ram[0x1003], 0x99);
	assert_int_equal(vm->cpu.gpr[4], vm->cpu.gpr[1]);
	assert_int_equal(vm->cpu.gpr[5], vm->cpu.gpr[2]);
}

static void test_prefix_mapping(void **state)
{
	(void)state;
	assert_int_equal(s390_real_to_abs(0, 0x10), 0x10);
	assert_int_equal(s390_real_to_abs(0x8000, 0x10), 0x8010);
	assert_int_equal(s390_real_to_abs(0x8000, 0x1FFF), 0x9FFF);
	assert_int_equal(s390_real_to_abs(0x8000, 0x8010), 0x10);
	assert_int_equal(s390_real_to_abs(0x8000, 0x9FFF), 0x1FFF);
	assert_int_equal(s390_real_to_abs(0x8000, 0x2000), 0x2000);
	assert_int_equal(s390_real_to_abs(0x8000, 0xA000), 0xA000);
	/* only bits 1-18 of the prefix count */
	assert_int_equal(s390_real_to_abs(0x80009FFF, 0x10), 0x8010);
}

static void test_prefixed_accesses(void **state)
{
	struct vm *vm = *state;
	/* spx 0x300 (holds 0x8000); st %r1,0x10; st %r1,0(%r2) with
	 * r2 = 0x8020; stpx 0x304 */
	static const uint8_t prog[] = {
		0xB2, 0x10, 0x03, 0x00,
		0x50, 0x10, 0x00, 0x10,
		0x50, 0x10, 0x20, 0x00,
		0xB2, 0x11, 0x03, 0x04,
	};
	code(vm, prog, sizeof(prog));
	put_be32(vm->ram + 0x300, 0x8000);
	vm->cpu.gpr[1] = 0xCAFEF00D;
	vm->cpu.gpr[2] = 0x8020;
	assert_int_equal(s390_cpu_run(&vm->cpu, 4), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.prefix, 0x8000);
	assert_int_equal(get_be32(vm->ram + 0x8010), 0xCAFEF00D);
	assert_int_equal(get_be32(vm->ram + 0x20), 0xCAFEF00D);
	/* real 0x304 is absolute 0x8304 now */
	assert_int_equal(get_be32(vm->ram + 0x8304), 0x8000);
}

struct cc_case {
	uint8_t insn[6];
	uint64_t r1, r2;
	unsigned cc;
	uint64_t res;
};

static void run_cc_cases(struct vm *vm, const struct cc_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		code(vm, c[i].insn, 6);
		vm->cpu.gpr[1] = c[i].r1;
		vm->cpu.gpr[2] = c[i].r2;
		vm->cpu.psw_mask = PSW_MASK_64;
		assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
		if (cc(vm) != c[i].cc || vm->cpu.gpr[1] != c[i].res)
			fail_msg("case %zu: cc %u want %u, r1 %llx want %llx", i, cc(vm),
				 c[i].cc, (unsigned long long)vm->cpu.gpr[1],
				 (unsigned long long)c[i].res);
	}
}

static void test_cc_arith(void **state)
{
	static const struct cc_case c[] = {
		/* ar */
		{ { 0x1A, 0x12 }, 1, 2, 2, 3 },
		{ { 0x1A, 0x12 }, 1, 0xFFFFFFFF, 0, 0 },
		{ { 0x1A, 0x12 }, 0x7FFFFFFF, 1, 3, 0x80000000 },
		{ { 0x1A, 0x12 }, 0x80000000, 0x80000000, 3, 0 },
		{ { 0x1A, 0x12 }, 0xAB00000000000005ULL, 0xFFFFFFF0, 1, 0xAB000000FFFFFFF5ULL },
		/* alr: carry */
		{ { 0x1E, 0x12 }, 0xFFFFFFFF, 1, 2, 0 },
		{ { 0x1E, 0x12 }, 0xFFFFFFFF, 2, 3, 1 },
		{ { 0x1E, 0x12 }, 0, 0, 0, 0 },
		/* slr: borrow */
		{ { 0x1F, 0x12 }, 1, 2, 1, 0xFFFFFFFF },
		{ { 0x1F, 0x12 }, 2, 2, 2, 0 },
		{ { 0x1F, 0x12 }, 3, 2, 3, 1 },
		/* sgr overflow */
		{ { 0xB9, 0x09, 0x00, 0x12 }, 0x8000000000000000ULL, 1, 3, 0x7FFFFFFFFFFFFFFFULL },
		/* lcr of INT_MIN overflows */
		{ { 0x13, 0x12 }, 0, 0x80000000, 3, 0x80000000 },
		{ { 0x10, 0x12 }, 0, 0xFFFFFFFB, 2, 5 },
		{ { 0x11, 0x12 }, 0, 5, 1, 0xFFFFFFFB },
		/* cr / clr */
		{ { 0x19, 0x12 }, 0xFFFFFFFF, 1, 1, 0xFFFFFFFF },
		{ { 0x15, 0x12 }, 0xFFFFFFFF, 1, 2, 0xFFFFFFFF },
		/* nr */
		{ { 0x14, 0x12 }, 0xF0, 0x0F, 0, 0 },
		/* tmll %r1,0x8001 */
		{ { 0xA7, 0x11, 0x80, 0x01 }, 0x8000, 0, 2, 0x8000 },
		{ { 0xA7, 0x11, 0x80, 0x01 }, 0x0001, 0, 1, 0x0001 },
		{ { 0xA7, 0x11, 0x80, 0x01 }, 0x8001, 0, 3, 0x8001 },
		/* sla %r1,1 */
		{ { 0x8B, 0x10, 0x00, 0x01 }, 0x40000000, 0, 3, 0 },
		{ { 0x8B, 0x10, 0x00, 0x01 }, 0xC0000001, 0, 1, 0x80000002 },
		/* flogr %r0 would need an even pair: use risbg cc instead */
		{ { 0xEC, 0x12, 0x00, 0xBF, 0x00, 0x55 }, 0, 0x80000000ULL, 2, 0x80000000ULL },
		/* rxsbg test-only: r1 unchanged, cc from the selected bits */
		{ { 0xEC, 0x12, 0xA0, 0x3F, 0x00, 0x57 }, 0xFF, 0xFF, 0, 0xFF },
		{ { 0xEC, 0x12, 0xA0, 0x3F, 0x00, 0x57 }, 0xFF, 0xFE, 1, 0xFF },
	};
	run_cc_cases(*state, c, ARRAY_SIZE(c));
}

static void test_cc_alc_chain(void **state)
{
	struct vm *vm = *state;
	/* algr %r1,%r2 ; alcgr %r3,%r4: 128-bit add */
	static const uint8_t prog[] = {
		0xB9, 0x0A, 0x00, 0x12, 0xB9, 0x88, 0x00, 0x34,
	};
	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[1] = ~0ULL;
	vm->cpu.gpr[2] = 1;
	vm->cpu.gpr[3] = 5;
	vm->cpu.gpr[4] = ~0ULL;
	assert_int_equal(s390_cpu_run(&vm->cpu, 2), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 0);
	assert_int_equal(vm->cpu.gpr[3], 5);
	assert_int_equal(cc(vm), 3); /* nonzero, carry */
}

static void test_self_modifying_code(void **state)
{
	struct vm *vm = *state;
	/* 0x2000: lhi %r1,1 ; 0x2004: mvi 3(%r2),2 ; 0x2008: j 0x2000 */
	static const uint8_t prog[] = {
		0xA7, 0x18, 0x00, 0x01,
		0x92, 0x02, 0x20, 0x03,
		0xA7, 0xF4, 0xFF, 0xFC,
	};
	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[2] = 0x2000;
	assert_int_equal(s390_cpu_run(&vm->cpu, 4), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 2);
	assert_int_equal(vm->cpu.psw_addr, 0x2004);
}

/* A store into the next instruction of the same decoded block is seen. */
static void test_store_into_next_insn(void **state)
{
	struct vm *vm = *state;
	/* 0x2000: mvi 7(%r2),2 (the immediate of the lhi) ; 0x2004: lhi %r1,1 */
	static const uint8_t prog[] = {
		0x92, 0x02, 0x20, 0x07,
		0xA7, 0x18, 0x00, 0x01,
	};
	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[2] = 0x2000;
	assert_int_equal(s390_cpu_run(&vm->cpu, 2), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 2);
	assert_int_equal(vm->cpu.psw_addr, 0x2008);
}

/* The budget stops inside a block and the rest runs on the next call. */
static void test_budget_inside_block(void **state)
{
	struct vm *vm = *state;
	/* aghi %r1,1 five times */
	static const uint8_t prog[] = {
		0xA7, 0x1B, 0x00, 0x01, 0xA7, 0x1B, 0x00, 0x01,
		0xA7, 0x1B, 0x00, 0x01, 0xA7, 0x1B, 0x00, 0x01,
		0xA7, 0x1B, 0x00, 0x01,
	};
	code(vm, prog, sizeof(prog));
	assert_int_equal(s390_cpu_run(&vm->cpu, 3), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 3);
	assert_int_equal(vm->cpu.psw_addr, CODE + 12);
	assert_int_equal(vm->cpu.stat_insns, 3);
	assert_int_equal(s390_cpu_run(&vm->cpu, 2), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 5);
	assert_int_equal(vm->cpu.psw_addr, CODE + 20);
	assert_int_equal(vm->cpu.stat_insns, 5);
}

/* A store by another CPU drops this CPU's decoded code of the page. */
static void test_other_cpu_store(void **state)
{
	struct vm *vm = *state;
	struct s390_cpu other;
	/* cpu: 0x2000: lhi %r1,1 ; other: 0x3000: mvi 3(%r2),7 */
	static const uint8_t prog[] = { 0xA7, 0x18, 0x00, 0x01 };
	static const uint8_t store[] = { 0x92, 0x07, 0x20, 0x03 };

	code(vm, prog, sizeof(prog));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 1);

	assert_int_equal(s390_cpu_init(&other, &vm->mem), 0);
	memcpy(vm->ram + 0x3000, store, sizeof(store));
	other.psw_mask = PSW_MASK_64;
	other.psw_addr = 0x3000;
	other.gpr[2] = 0x2000;
	assert_int_equal(s390_cpu_run(&other, 1), S390_EV_BUDGET);
	s390_cpu_destroy(&other);

	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[1], 7);
}

/*
 * MVC, XC, CLC within a page (one host pointer each) and across a page
 * boundary (byte by byte) give the same architected results: MVC one
 * byte ahead of its source propagates that byte, XC of a field with
 * itself clears it.
 */
static void test_ss_within_and_across_pages(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prog[] = {
		0xD2, 0x0E, 0x20, 0x01, 0x20, 0x00,	/* mvc 1(15,%r2),0(%r2) */
		0xD2, 0x0E, 0x30, 0x01, 0x30, 0x00,	/* mvc 1(15,%r3),0(%r3) */
		0xD7, 0xFF, 0x40, 0x00, 0x40, 0x00,	/* xc 0(256,%r4),0(%r4) */
		0xD5, 0x0F, 0x20, 0x00, 0x30, 0x00,	/* clc 0(16,%r2),0(%r3) */
		0xD7, 0x1F, 0x50, 0x00, 0x50, 0x20,	/* xc 0(32,%r5),32(%r5) */
	};
	uint8_t want[32];

	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[2] = 0x3000;
	vm->cpu.gpr[3] = 0x3FF8;	/* 8 bytes before 0x4000 */
	vm->cpu.gpr[4] = 0x5000;
	vm->cpu.gpr[5] = 0x5FF0;
	vm->ram[0x3000] = 0xAB;
	vm->ram[0x3FF8] = 0xCD;
	memset(vm->ram + 0x5000, 0x5A, 256);
	memset(vm->ram + 0x5FF0, 0x0F, 32);
	memset(vm->ram + 0x6010, 0xFF, 32);

	assert_int_equal(s390_cpu_run(&vm->cpu, 2), S390_EV_BUDGET);
	memset(want, 0xAB, 16);
	assert_memory_equal(vm->ram + 0x3000, want, 16);
	memset(want, 0xCD, 16);
	assert_memory_equal(vm->ram + 0x3FF8, want, 16);

	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	memset(want, 0, sizeof(want));
	for (unsigned i = 0; i < 256; i += 32)
		assert_memory_equal(vm->ram + 0x5000 + i, want, 32);
	assert_int_equal(cc(vm), 0);

	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 1);	/* 0xAB < 0xCD */

	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	memset(want, 0xF0, sizeof(want));
	assert_memory_equal(vm->ram + 0x5FF0, want, 32);
	assert_int_equal(cc(vm), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insn_length),
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_be_accessors),
		cmocka_unit_test_setup_teardown(test_guest_stores_big_endian, setup, teardown),
		cmocka_unit_test(test_prefix_mapping),
		cmocka_unit_test_setup_teardown(test_prefixed_accesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cc_arith, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cc_alc_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_modifying_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_into_next_insn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_budget_inside_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_cpu_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ss_within_and_across_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
