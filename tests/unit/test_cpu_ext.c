// SPDX-License-Identifier: MIT
/*
 * Interpreter: what the differential test cannot show for the handlers of
 * exec-ext.c: CC 3 after a CPU-determined amount, the 24/31-bit register
 * forms, checks QEMU 7.2 leaves out, the trap's DXC, the PSW-key
 * instructions in both states, the high-word overflow interruption,
 * LAE's access register, CPYA and STMH (QEMU 7.2 lacks the one and gets
 * the other wrong), CKSM, TROO ... TRTT, and DR's one overflowing
 * quotient.
 */
#include "cpu-vm.h"

/* R2..R5: the operand pairs of the long instructions, run once */
static void run_pairs(struct vm *vm, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	vm->cpu.gpr[2] = r2;
	vm->cpu.gpr[3] = r3;
	vm->cpu.gpr[4] = r4;
	vm->cpu.gpr[5] = r5;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
}

static void expect_pairs(struct vm *vm, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
	assert_int_equal(vm->cpu.gpr[2], r2);
	assert_int_equal(vm->cpu.gpr[3], r3);
	assert_int_equal(vm->cpu.gpr[4], r4);
	assert_int_equal(vm->cpu.gpr[5], r5);
}

/* 8 KiB + 4 KiB of equal (zero) operands: CLCLE stops with CC 3 after
 * 8 KiB, the registers past the bytes compared; the rerun finishes */
static void test_clcle_cpu_determined(void **state)
{
	struct vm *vm = *state;
	static const uint8_t clcle[] = { 0xA9, 0x24, 0x00, 0x00 }; /* clcle %r2,%r4,0 */

	code(vm, clcle, sizeof(clcle));
	run_pairs(vm, 0x4000, 0x3000, 0x8000, 0x3000);
	assert_int_equal(cc(vm), 3);
	expect_pairs(vm, 0x6000, 0x1000, 0xA000, 0x1000);
	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(vm->cpu.gpr[3], 0);
	assert_int_equal(vm->cpu.gpr[5], 0);

	/* CLCLU: 4 KiB at a time; an odd length is a specification exception */
	static const uint8_t clclu[] = { 0xEB, 0x24, 0x00, 0x00, 0x00, 0x8F };
	code(vm, clclu, sizeof(clclu));
	run_pairs(vm, 0x4000, 0x2000, 0x8000, 0);
	assert_int_equal(cc(vm), 3);
	expect_pairs(vm, 0x5000, 0x1000, 0x8000, 0);
	vm->cpu.gpr[3] = 0x11;
	code(vm, clclu, sizeof(clclu));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
}

/* MVCLE moves up to a page boundary, then CC 3; MVCLU's lengths must be even */
static void test_mvcle_partial_and_modes(void **state)
{
	struct vm *vm = *state;
	static const uint8_t mvcle[] = { 0xA8, 0x24, 0x00, 0x5A }; /* pad 0x5A */

	memset(vm->ram + 0x8000, 0x11, 0x2000);
	code(vm, mvcle, sizeof(mvcle));
	/* 31-bit mode: bits 32-63 only; the high words stay */
	vm->cpu.psw_mask = PSW_MASK_BA;
	/* bit 32 of R4 is beyond the mode */
	run_pairs(vm, 0xAAAAAAAA00004F00ULL, 0xBBBBBBBB00000300ULL,
		  0xCCCCCCCC80008000ULL, 0xDDDDDDDD00000080ULL);
	assert_int_equal(cc(vm), 3);
	expect_pairs(vm, 0xAAAAAAAA00004F80ULL, 0xBBBBBBBB00000280ULL,
		     0xCCCCCCCC00008080ULL, 0xDDDDDDDD00000000ULL);
	assert_int_equal(vm->ram[0x4F7F], 0x11);
	/* then padding up to the page end, then the rest: CC 2 */
	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 3);
	assert_int_equal((uint32_t)vm->cpu.gpr[2], 0x5000);
	assert_int_equal(vm->ram[0x4FFF], 0x5A);
	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 2);
	assert_int_equal((uint32_t)vm->cpu.gpr[3], 0);
	assert_int_equal(vm->ram[0x51FF], 0x5A);
	assert_int_equal(vm->ram[0x5200], 0);

	/* odd register: specification */
	static const uint8_t mvcle_odd[] = { 0xA8, 0x34, 0x00, 0x00 };
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, mvcle_odd, sizeof(mvcle_odd));
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);

	/* MVCLU pads with both bytes of the character; odd length: specification */
	static const uint8_t mvclu[] = { 0xEB, 0x24, 0x01, 0x23, 0x00, 0x8E }; /* pad 0x0123 */
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, mvclu, sizeof(mvclu));
	vm->cpu.gpr[2] = 0x6000;
	vm->cpu.gpr[3] = 4;
	vm->cpu.gpr[5] = 0;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 2);
	assert_int_equal(get_be32(vm->ram + 0x6000), 0x01230123);
	vm->cpu.gpr[3] = 3;
	code(vm, mvclu, sizeof(mvclu));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
}

/* TRE: CC 3 after 8 KiB without the test byte */
static void test_tre_cpu_determined(void **state)
{
	struct vm *vm = *state;
	static const uint8_t tre[] = { 0xB2, 0xA5, 0x00, 0x24 }; /* tre %r2,%r4 */

	for (unsigned i = 0; i < 256; i++)
		vm->ram[0xF000 + i] = (uint8_t)(i + 1);
	code(vm, tre, sizeof(tre));
	vm->cpu.gpr[0] = 0xFF;
	vm->cpu.gpr[2] = 0x4000;
	vm->cpu.gpr[3] = 0x3000;
	vm->cpu.gpr[4] = 0xF000;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 3);
	assert_int_equal(vm->cpu.gpr[2], 0x6000);
	assert_int_equal(vm->cpu.gpr[3], 0x1000);
	assert_int_equal(vm->ram[0x5FFF], 1);
	assert_int_equal(vm->ram[0x6000], 0);
	/* the test byte (now 1 everywhere translated) stops it: CC 1 */
	vm->cpu.gpr[0] = 0x01;
	vm->cpu.gpr[2] = 0x4000;
	vm->cpu.gpr[3] = 0x10;
	code(vm, tre, sizeof(tre));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 1);
	assert_int_equal(vm->cpu.gpr[2], 0x4000);
	assert_int_equal(vm->cpu.gpr[3], 0x10);
	/* odd R1: specification */
	static const uint8_t tre_odd[] = { 0xB2, 0xA5, 0x00, 0x34 };
	code(vm, tre_odd, sizeof(tre_odd));
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);
}

/* CDSG: swap, mismatch, and the specification checks QEMU 7.2 skips */
static void test_cdsg(void **state)
{
	struct vm *vm = *state;
	static const uint8_t cdsg[] = { 0xEB, 0x24, 0x0F, 0x10, 0x00, 0x3E }; /* cdsg %r2,%r4,0xf10 */

	code(vm, cdsg, sizeof(cdsg));
	put_be64(vm->ram + 0xF10, 0x1111111122222222ULL);
	put_be64(vm->ram + 0xF18, 0x3333333344444444ULL);
	vm->cpu.gpr[2] = 0x1111111122222222ULL;
	vm->cpu.gpr[3] = 0x3333333344444444ULL;
	vm->cpu.gpr[4] = 0xAAAAAAAAAAAAAAAAULL;
	vm->cpu.gpr[5] = 0x5555555555555555ULL;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(get_be64(vm->ram + 0xF10), 0xAAAAAAAAAAAAAAAAULL);
	assert_int_equal(get_be64(vm->ram + 0xF18), 0x5555555555555555ULL);
	/* now unequal: R2:R3 receive the storage */
	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 1);
	assert_int_equal(vm->cpu.gpr[2], 0xAAAAAAAAAAAAAAAAULL);
	assert_int_equal(vm->cpu.gpr[3], 0x5555555555555555ULL);

	/* odd R1, odd R3, an address not on a quadword */
	static const uint8_t odd1[] = { 0xEB, 0x34, 0x0F, 0x10, 0x00, 0x3E };
	static const uint8_t odd3[] = { 0xEB, 0x25, 0x0F, 0x10, 0x00, 0x3E };
	static const uint8_t unal[] = { 0xEB, 0x24, 0x0F, 0x18, 0x00, 0x3E };
	code(vm, odd1, sizeof(odd1));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, odd3, sizeof(odd3));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, unal, sizeof(unal));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
}

/* compare and trap: data exception, DXC FF in the lowcore and, with the
 * AFP-register control on, in the FPC; old PSW at the next instruction */
static void test_compare_and_trap(void **state)
{
	struct vm *vm = *state;
	static const uint8_t cit[] = { 0xEC, 0x10, 0x00, 0x05, 0x80, 0x72 }; /* cit %r1,5,8 */
	static const uint8_t crt[] = { 0xB9, 0x72, 0x40, 0x12 };             /* crt %r1,%r2,4 */

	vm->cpu.cr[0] &= ~0x40000ULL; /* AFP off */
	code(vm, cit, sizeof(cit));
	vm->cpu.gpr[1] = 4;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	vm->cpu.gpr[1] = 5;
	code(vm, cit, sizeof(cit));
	expect_pgm(vm, PGM_DATA, 6, CODE + 6);
	assert_int_equal(get_be32(vm->ram + LC_DATA_EXC_CODE), 0xFF);
	assert_int_equal(vm->cpu.fpc & 0xFF00, 0);

	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.cr[0] |= 0x40000; /* AFP */
	vm->cpu.gpr[1] = 0xFFFFFFFF; /* -1 < 0: low */
	vm->cpu.gpr[2] = 0;
	code(vm, crt, sizeof(crt));
	expect_pgm(vm, PGM_DATA, 4, CODE + 4);
	assert_int_equal(vm->cpu.fpc & 0xFF00, 0xFF00);
}

/* IPK and SPKA: the PSW key, and who may use them in the problem state */
static void test_psw_key_instructions(void **state)
{
	struct vm *vm = *state;
	static const uint8_t ipk[] = { 0xB2, 0x0B, 0x00, 0x00 };
	static const uint8_t spka[] = { 0xB2, 0x0A, 0x00, 0x30 }; /* key 3 */

	vm->cpu.psw_mask = PSW_MASK_64 | 9ULL << PSW_SHIFT_KEY;
	vm->cpu.gpr[2] = 0x1234567890ABCDEFULL;
	code(vm, ipk, sizeof(ipk));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[2], 0x1234567890ABCD90ULL);

	/* problem state: privileged unless CR0 bit 36 */
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE;
	code(vm, ipk, sizeof(ipk));
	expect_pgm(vm, PGM_PRIVILEGED, 4, CODE + 4);
	vm->cpu.cr[0] |= 0x08000000;
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE | 5ULL << PSW_SHIFT_KEY;
	code(vm, ipk, sizeof(ipk));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[2] & 0xFF, 0x50);

	/* SPKA in the supervisor state: any key; a store into a page of
	 * key 2 works with key 0 and then, TLB or not, no longer */
	static const uint8_t st_spka_st[] = {
		0x50, 0x30, 0x50, 0x00,  /* st %r3,0(%r5) */
		0xB2, 0x0A, 0x00, 0x30,  /* spka 0x30 */
		0x50, 0x30, 0x50, 0x00,  /* st %r3,0(%r5) */
	};
	vm->mem.keys[5] = 0x20;
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.gpr[5] = 0x5000;
	vm->cpu.gpr[3] = 0x77;
	code(vm, st_spka_st, sizeof(st_spka_st));
	expect_pgm(vm, PGM_PROTECTION, 4, CODE + 12);
	assert_int_equal(get_be32(vm->ram + 0x5000), 0x77);
	uint64_t old = get_be64(vm->ram + LC_PGM_OLD);
	assert_int_equal((old >> PSW_SHIFT_KEY) & 0xF, 3);

	/* problem state: the key's bit in the PSW-key mask (CR3 bits 32-47) */
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE;
	vm->cpu.cr[3] = 0x80000000; /* key 0 only */
	code(vm, spka, sizeof(spka));
	expect_pgm(vm, PGM_PRIVILEGED, 4, CODE + 4);
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE;
	vm->cpu.cr[3] = 0x10000000; /* key 3 */
	code(vm, spka, sizeof(spka));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal((vm->cpu.psw_mask >> PSW_SHIFT_KEY) & 0xF, 3);
}

/* AHHHR/AIH overflow with the fixed-point-overflow mask: result and CC 3
 * stored, then the interruption (QEMU's user mode never raises it) */
static void test_high_word_overflow(void **state)
{
	struct vm *vm = *state;
	static const uint8_t ahhhr[] = { 0xB9, 0xC8, 0x30, 0x12 }; /* ahhhr %r1,%r2,%r3 */

	code(vm, ahhhr, sizeof(ahhhr));
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_FO;
	vm->cpu.gpr[1] = 0x55;
	vm->cpu.gpr[2] = 0x7FFFFFFF00000000ULL;
	vm->cpu.gpr[3] = 0x0000000100000000ULL;
	expect_pgm(vm, PGM_FIXPT_OVERFLOW, 4, CODE + 4);
	assert_int_equal(vm->cpu.gpr[1], 0x8000000000000055ULL);
	assert_int_equal((get_be64(vm->ram + LC_PGM_OLD) >> PSW_SHIFT_CC) & 3, 3);
}

/* LAE: the address as LA, and in AR R1 the address space of the PSW's
 * address-space control (AR mode: a copy of AR B2) */
static void test_lae_access_register(void **state)
{
	struct vm *vm = *state;
	static const uint8_t lae[] = { 0x51, 0x20, 0x30, 0x10 }; /* lae %r2,0x10(%r3) */
	static const struct { uint64_t asc; uint32_t ar; } m[] = {
		{ 0, 0 }, { 1, 0xABCD }, { 2, 1 }, { 3, 2 },
	};

	for (unsigned i = 0; i < ARRAY_SIZE(m); i++) {
		vm->cpu.psw_mask = PSW_MASK_64 | m[i].asc << 46;
		vm->cpu.gpr[3] = 0x1000;
		vm->cpu.acr[3] = 0xABCD;
		vm->cpu.acr[2] = 0x5555;
		code(vm, lae, sizeof(lae));
		assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
		assert_int_equal(vm->cpu.gpr[2], 0x1010);
		assert_int_equal(vm->cpu.acr[2], m[i].ar);
	}
}

/* CPYA (an operation exception in QEMU 7.2) and STMH (QEMU 7.2 stores
 * zero words): the architected results */
static void test_cpya_stmh(void **state)
{
	struct vm *vm = *state;
	static const uint8_t cpya[] = { 0xB2, 0x4D, 0x00, 0x23 }; /* cpya %a2,%a3 */
	/* stmh %r15,%r1,0(%r5): registers 15, 0 and 1 */
	static const uint8_t stmh[] = { 0xEB, 0xF1, 0x50, 0x00, 0x00, 0x26 };

	vm->cpu.acr[2] = 0x5555;
	vm->cpu.acr[3] = 0x12345678;
	code(vm, cpya, sizeof(cpya));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.acr[2], 0x12345678);
	assert_int_equal(vm->cpu.acr[3], 0x12345678);

	vm->cpu.gpr[15] = 0x1111111122222222ULL;
	vm->cpu.gpr[0] = 0x3333333344444444ULL;
	vm->cpu.gpr[1] = 0x5555555566666666ULL;
	vm->cpu.gpr[5] = 0x5000;
	code(vm, stmh, sizeof(stmh));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(get_be32(vm->ram + 0x5000), 0x11111111);
	assert_int_equal(get_be32(vm->ram + 0x5004), 0x33333333);
	assert_int_equal(get_be32(vm->ram + 0x5008), 0x55555555);
	assert_int_equal(get_be32(vm->ram + 0x500C), 0);
}

/* CKSM: end-around carries, a padded last word, CC 3 after 8 KiB, the
 * 31-bit register forms and the even R2 */
static void test_cksm(void **state)
{
	struct vm *vm = *state;
	static const uint8_t cksm[] = { 0xB2, 0x41, 0x00, 0x12 };     /* cksm %r1,%r2 */
	static const uint8_t cksm_odd[] = { 0xB2, 0x41, 0x00, 0x13 }; /* cksm %r1,%r3 */
	static const uint8_t tail[] = { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 2, 0x12, 0x34, 0x56 };

	memcpy(vm->ram + 0xE000, tail, sizeof(tail));
	code(vm, cksm, sizeof(cksm));
	vm->cpu.gpr[1] = 0xAAAAAAAA00000001ULL;
	vm->cpu.gpr[2] = 0xE000;
	vm->cpu.gpr[3] = sizeof(tail);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 0);
	/* 1 + FFFFFFFF = 1 (carry back in), + 2, + 12345600 */
	assert_int_equal(vm->cpu.gpr[1], 0xAAAAAAAA12345603ULL);
	assert_int_equal(vm->cpu.gpr[2], 0xE000 + sizeof(tail));
	assert_int_equal(vm->cpu.gpr[3], 0);

	/* 12 KiB of zeros: CC 3 after 8 KiB, then the rest */
	code(vm, cksm, sizeof(cksm));
	run_pairs(vm, 0x4000, 0x3000, 0, 0);
	assert_int_equal(cc(vm), 3);
	expect_pairs(vm, 0x6000, 0x1000, 0, 0);
	vm->cpu.psw_addr = CODE;
	run_pairs(vm, 0x6000, 0x1000, 0, 0);
	assert_int_equal(cc(vm), 0);
	expect_pairs(vm, 0x7000, 0, 0, 0);
	assert_int_equal(vm->cpu.gpr[1], 0xAAAAAAAA12345603ULL);

	/* 31-bit mode: bits 32-63 of R2 and R3, the high halves stay */
	vm->cpu.psw_mask = PSW_MASK_BA;
	vm->cpu.gpr[2] = 0xBBBBBBBB0000E004ULL;
	vm->cpu.gpr[3] = 0xCCCCCCCC00000004ULL;
	code(vm, cksm, sizeof(cksm));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[2], 0xBBBBBBBB0000E008ULL);
	assert_int_equal(vm->cpu.gpr[3], 0xCCCCCCCC00000000ULL);
	assert_int_equal(vm->cpu.gpr[1], 0xAAAAAAAA12345605ULL);

	code(vm, cksm_odd, sizeof(cksm_odd));
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);
}

/* the model's facility list with the ETF2-enhancement facility added */
static uint64_t fac_etf2_enh[S390_FAC_DW];

static void with_etf2_enh(struct vm *vm)
{
	memcpy(fac_etf2_enh, s390_facilities, sizeof(fac_etf2_enh));
	fac_etf2_enh[0] |= 1ULL << (63 - S390_FAC_ETF2_ENH);
	vm->cpu.fac = fac_etf2_enh;
	vm->cpu.n_fac = S390_FAC_DW;
}

/* run the TRxx at CODE with R2 (first operand), R3 (its length), R4
 * (second operand), GR0 (test character) and GR1 (table) */
static void run_trxx(struct vm *vm, uint64_t dst, uint64_t len, uint64_t src, uint64_t test,
		     uint64_t tbl)
{
	vm->cpu.gpr[0] = test;
	vm->cpu.gpr[1] = tbl;
	vm->cpu.gpr[2] = dst;
	vm->cpu.gpr[3] = len;
	vm->cpu.gpr[4] = src;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
}

/*
 * TROO ... TRTT where QEMU 7.2 differs from the architecture (odd R1,
 * zero length, TROT's 16-bit test character), CC 3 after 8 Ki
 * characters, and what the ETF2-enhancement facility changes: the
 * test-character-comparison control (M3 bit 3) and the alignment of the
 * two-byte tables.
 */
static void test_trxx(void **state)
{
	struct vm *vm = *state;
	static const uint8_t troo[] = { 0xB9, 0x93, 0x00, 0x24 };      /* troo %r2,%r4 */
	static const uint8_t troo_tcc[] = { 0xB9, 0x93, 0x10, 0x24 };  /* troo %r2,%r4,1 */
	static const uint8_t troo_odd[] = { 0xB9, 0x93, 0x00, 0x34 };  /* troo %r3,%r4 */
	static const uint8_t trot[] = { 0xB9, 0x92, 0x00, 0x24 };      /* trot %r2,%r4 */
	static const uint8_t trto[] = { 0xB9, 0x91, 0x00, 0x24 };      /* trto %r2,%r4 */
	static const uint8_t trtt[] = { 0xB9, 0x90, 0x00, 0x24 };      /* trtt %r2,%r4 */

	/* TROO table at 0xF000: c -> c + 1; source 0x4000-0x6FFF zeros */
	for (unsigned i = 0; i < 256; i++)
		vm->ram[0xF000 + i] = (uint8_t)(i + 1);
	code(vm, troo, sizeof(troo));
	run_trxx(vm, 0x8000, 0x3000, 0x4000, 0xFF, 0xF000);
	assert_int_equal(cc(vm), 3);
	expect_pairs(vm, 0xA000, 0x1000, 0x6000, 0);
	assert_int_equal(vm->ram[0x9FFF], 1);
	assert_int_equal(vm->ram[0xA000], 0);
	vm->cpu.psw_addr = CODE;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(vm->cpu.gpr[3], 0);

	/* a zero length: CC 0, nothing stored (QEMU translates one) */
	vm->ram[0x8000] = 0x77;
	code(vm, troo, sizeof(troo));
	run_trxx(vm, 0x8000, 0, 0x4000, 0xFF, 0xF000);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(vm->ram[0x8000], 0x77);
	expect_pairs(vm, 0x8000, 0, 0x4000, 0);

	/* the test character stops it: CC 1, registers at the character */
	vm->ram[0x4002] = 5;
	code(vm, troo, sizeof(troo));
	run_trxx(vm, 0x8000, 0x10, 0x4000, 6, 0xF000);
	assert_int_equal(cc(vm), 1);
	expect_pairs(vm, 0x8002, 0xE, 0x4002, 0);
	/* M3 bit 3 is ignored without the ETF2-enhancement facility ... */
	code(vm, troo_tcc, sizeof(troo_tcc));
	run_trxx(vm, 0x8000, 0x10, 0x4000, 6, 0xF000);
	assert_int_equal(cc(vm), 1);
	/* ... and turns the comparison off with it */
	with_etf2_enh(vm);
	code(vm, troo_tcc, sizeof(troo_tcc));
	run_trxx(vm, 0x8000, 0x10, 0x4000, 6, 0xF000);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(vm->ram[0x8002], 6);
	vm->cpu.fac = NULL;

	/* odd R1: specification exception (QEMU 7.2 does not check) */
	code(vm, troo_odd, sizeof(troo_odd));
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);
	vm->cpu.psw_mask = PSW_MASK_64;

	/* TROT: the test character is GR0 bits 48-63 (QEMU 7.2: 56-63) */
	put_be16(vm->ram + 0xE000 + 2 * 5, 0x1206);
	code(vm, trot, sizeof(trot));
	run_trxx(vm, 0x8000, 4, 0x4000, 0x06, 0xE000);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(get_be16(vm->ram + 0x8004), 0x1206);
	code(vm, trot, sizeof(trot));
	run_trxx(vm, 0x8000, 4, 0x4000, 0xFFFF1206, 0xE000);
	assert_int_equal(cc(vm), 1);
	assert_int_equal(vm->cpu.gpr[4], 0x4002);

	/* TRTO: the table on a 4 KiB boundary without the enhancement,
	 * a doubleword with it; an odd length is a specification exception */
	memset(vm->ram + 0x4000, 0, 0x10);
	put_be16(vm->ram + 0x4000, 0x0003);
	vm->ram[0xC003] = 0xA1;
	vm->ram[0xC803] = 0xB2;
	code(vm, trto, sizeof(trto));
	run_trxx(vm, 0x8000, 2, 0x4000, 0xFF, 0xC800);
	assert_int_equal(cc(vm), 0);
	assert_int_equal(vm->ram[0x8000], 0xA1);
	with_etf2_enh(vm);
	code(vm, trto, sizeof(trto));
	run_trxx(vm, 0x8000, 2, 0x4000, 0xFF, 0xC805);
	assert_int_equal(vm->ram[0x8000], 0xB2);
	code(vm, trtt, sizeof(trtt));
	vm->cpu.gpr[3] = 3;
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);
}

/* DR with the dividend -2^63 and the divisor -1: the quotient does not
 * fit, a fixed-point-divide exception (QEMU 7.2 completes with zeros or
 * dies of a host SIGFPE; the differential test avoids this dividend) */
static void test_divide_min_by_minus_one(void **state)
{
	struct vm *vm = *state;
	static const uint8_t dr[] = { 0x1D, 0x24 }; /* dr %r2,%r4 */

	code(vm, dr, sizeof(dr));
	vm->cpu.gpr[2] = 0x80000000;
	vm->cpu.gpr[3] = 0;
	vm->cpu.gpr[4] = 0xFFFFFFFF;
	expect_pgm(vm, PGM_FIXPT_DIVIDE, 2, CODE + 2);
	assert_int_equal(vm->cpu.gpr[2], 0x80000000);
	assert_int_equal(vm->cpu.gpr[3], 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_clcle_cpu_determined),
		T(test_mvcle_partial_and_modes),
		T(test_tre_cpu_determined),
		T(test_cdsg),
		T(test_compare_and_trap),
		T(test_psw_key_instructions),
		T(test_high_word_overflow),
		T(test_lae_access_register),
		T(test_cpya_stmh),
		T(test_cksm),
		T(test_trxx),
		T(test_divide_min_by_minus_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
