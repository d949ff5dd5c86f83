// SPDX-License-Identifier: MIT
/* Interpreter: program interruptions, SVC, intercepts, waits, control. */
#include "cpu-vm.h"

static void test_operation_exception(void **state)
{
	struct vm *vm = *state;
	static const uint8_t two[] = { 0x00, 0x00 };
	code(vm, two, sizeof(two));
	expect_pgm(vm, PGM_OPERATION, 2, CODE + 2);

	static const uint8_t six[] = { 0xE3, 0x00, 0x00, 0x00, 0x00, 0xFF };
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, six, sizeof(six));
	expect_pgm(vm, PGM_OPERATION, 6, CODE + 6);
}

static void test_divide_suppresses(void **state)
{
	struct vm *vm = *state;
	static const uint8_t dr[] = { 0x1D, 0x24 }; /* dr %r2,%r4 */
	code(vm, dr, sizeof(dr));
	vm->cpu.gpr[2] = 1;
	vm->cpu.gpr[3] = 2;
	vm->cpu.gpr[4] = 0;
	expect_pgm(vm, PGM_FIXPT_DIVIDE, 2, CODE + 2);
	assert_int_equal(vm->cpu.gpr[2], 1);
	assert_int_equal(vm->cpu.gpr[3], 2);

	/* odd r1: specification */
	static const uint8_t dr_odd[] = { 0x1D, 0x34 };
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.gpr[4] = 1;
	code(vm, dr_odd, sizeof(dr_odd));
	expect_pgm(vm, PGM_SPECIFICATION, 2, CODE + 2);
}

static void test_fixed_point_overflow_completes(void **state)
{
	struct vm *vm = *state;
	static const uint8_t ar[] = { 0x1A, 0x12 };
	code(vm, ar, sizeof(ar));
	vm->cpu.gpr[1] = 0x7FFFFFFF;
	vm->cpu.gpr[2] = 1;
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_FO;
	expect_pgm(vm, PGM_FIXPT_OVERFLOW, 2, CODE + 2);
	assert_int_equal(vm->cpu.gpr[1], 0x80000000);
	uint64_t old_mask = get_be64(vm->ram + LC_PGM_OLD);
	assert_int_equal((old_mask >> PSW_SHIFT_CC) & 3, 3);

	/* without the mask bit: no interruption, CC 3 */
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.gpr[1] = 0x7FFFFFFF;
	code(vm, ar, sizeof(ar));
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal((vm->cpu.psw_mask >> PSW_SHIFT_CC) & 3, 3);
}

static void test_privileged_in_problem_state(void **state)
{
	struct vm *vm = *state;
	static const uint8_t lpswe[] = { 0xB2, 0xB2, 0x03, 0x00 };
	code(vm, lpswe, sizeof(lpswe));
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE;
	expect_pgm(vm, PGM_PRIVILEGED, 4, CODE + 4);

	static const uint8_t diag[] = { 0x83, 0x12, 0x05, 0x01 };
	code(vm, diag, sizeof(diag));
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE;
	expect_pgm(vm, PGM_PRIVILEGED, 4, CODE + 4);
}

static void test_addressing_beyond_memory(void **state)
{
	struct vm *vm = *state;
	static const uint8_t l[] = { 0x58, 0x10, 0x20, 0x00 }; /* l %r1,0(%r2) */
	code(vm, l, sizeof(l));
	vm->cpu.gpr[1] = 7;
	vm->cpu.gpr[2] = RAM;
	expect_pgm(vm, PGM_ADDRESSING, 4, CODE + 4);
	assert_int_equal(vm->cpu.gpr[1], 7);

	/* a store straddling the end of memory changes nothing */
	static const uint8_t stg[] = { 0xE3, 0x10, 0x20, 0x00, 0x00, 0x24 };
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.gpr[2] = RAM - 4;
	code(vm, stg, sizeof(stg));
	expect_pgm(vm, PGM_ADDRESSING, 6, CODE + 6);
	assert_int_equal(get_be32(vm->ram + RAM - 4), 0);

	/* instruction fetch beyond memory */
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.psw_addr = RAM + 0x100;
	expect_pgm(vm, PGM_ADDRESSING, 2, RAM + 0x102);
}

static void test_specification_alignment(void **state)
{
	struct vm *vm = *state;
	/* lgrl %r1,.+0x102 (0x2102 is not doubleword aligned) */
	static const uint8_t lgrl[] = { 0xC4, 0x18, 0x00, 0x00, 0x00, 0x81 };
	code(vm, lgrl, sizeof(lgrl));
	expect_pgm(vm, PGM_SPECIFICATION, 6, CODE + 6);
}

static void test_execute_exception(void **state)
{
	struct vm *vm = *state;
	/* exrl %r0,.  executes itself */
	static const uint8_t exrl[] = { 0xC6, 0x00, 0x00, 0x00, 0x00, 0x00 };
	code(vm, exrl, sizeof(exrl));
	expect_pgm(vm, PGM_EXECUTE, 6, CODE + 6);
}

static void test_execute_mvc(void **state)
{
	struct vm *vm = *state;
	/* exrl %r1,.+6 ; j .+8 ; mvc 0(1,%r2),0(%r3) */
	static const uint8_t prog[] = {
		0xC6, 0x10, 0x00, 0x00, 0x00, 0x05,
		0xA7, 0xF4, 0x00, 0x05,
		0xD2, 0x00, 0x20, 0x00, 0x30, 0x00,
	};
	code(vm, prog, sizeof(prog));
	memcpy(vm->ram + 0x3000, "abcdefgh", 8);
	vm->cpu.gpr[1] = 4;   /* length code 4: five bytes */
	vm->cpu.gpr[2] = 0x3100;
	vm->cpu.gpr[3] = 0x3000;
	assert_int_equal(s390_cpu_run(&vm->cpu, 2), S390_EV_BUDGET);
	assert_memory_equal(vm->ram + 0x3100, "abcde\0", 6);
	assert_int_equal(vm->cpu.psw_addr, CODE + 0x10);
}

static void test_early_psw_exception(void **state)
{
	struct vm *vm = *state;
	static const uint8_t lpswe[] = { 0xB2, 0xB2, 0x03, 0x00 };
	code(vm, lpswe, sizeof(lpswe));
	/* EA without BA is invalid */
	put_be64(vm->ram + 0x300, PSW_MASK_EA);
	put_be64(vm->ram + 0x308, 0x4000);
	expect_pgm(vm, PGM_SPECIFICATION, 0, 0x4000);
	assert_int_equal(get_be64(vm->ram + LC_PGM_OLD), PSW_MASK_EA);
}

static void test_svc(void **state)
{
	struct vm *vm = *state;
	static const uint8_t svc[] = { 0x0A, 0x42 };
	code(vm, svc, sizeof(svc));
	put_be64(vm->ram + LC_SVC_NEW, PSW_MASK_WAIT | PSW_MASK_64);
	put_be64(vm->ram + LC_SVC_NEW + 8, 0x5550);
	vm->cpu.psw_mask = PSW_MASK_64 | PSW_MASK_PSTATE | (2ULL << PSW_SHIFT_CC);
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_DISABLED_WAIT);
	assert_int_equal(vm->cpu.psw_addr, 0x5550);
	assert_int_equal(get_be16(vm->ram + LC_SVC_CODE), 0x42);
	assert_int_equal(get_be16(vm->ram + LC_SVC_ILC), 2);
	assert_int_equal(get_be64(vm->ram + LC_SVC_OLD), PSW_MASK_64 | PSW_MASK_PSTATE |
			 (2ULL << PSW_SHIFT_CC));
	assert_int_equal(get_be64(vm->ram + LC_SVC_OLD + 8), CODE + 2);
}

static void test_intercepts(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prog[] = {
		0x83, 0x12, 0x05, 0x01,       /* diag %r1,%r2,0x501 */
		0xB2, 0x20, 0x00, 0x12,       /* servc %r1,%r2 */
		0xAE, 0x34, 0x00, 0x05,       /* sigp %r3,%r4,5 */
	};
	code(vm, prog, sizeof(prog));
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_INTERCEPT);
	assert_int_equal(vm->cpu.icpt.ipa, 0x8312);
	assert_int_equal(vm->cpu.icpt.ipb, 0x05010000);
	assert_int_equal(vm->cpu.psw_addr, CODE + 4);
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_INTERCEPT);
	assert_int_equal(vm->cpu.icpt.ipa, 0xB220);
	assert_int_equal((vm->cpu.icpt.ipb >> 20) & 0xF, 1);
	assert_int_equal((vm->cpu.icpt.ipb >> 16) & 0xF, 2);
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_INTERCEPT);
	assert_int_equal(vm->cpu.icpt.ipa, 0xAE34);
	assert_int_equal(vm->cpu.psw_addr, CODE + 12);
}

static void test_wait_and_dat_events(void **state)
{
	struct vm *vm = *state;
	static const uint8_t lpswe[] = { 0xB2, 0xB2, 0x03, 0x00 };
	static const struct { uint64_t mask; enum s390_event ev; } c[] = {
		{ PSW_MASK_WAIT | PSW_MASK_64, S390_EV_DISABLED_WAIT },
		{ PSW_MASK_WAIT | PSW_MASK_EXT | PSW_MASK_64, S390_EV_WAIT },
		{ PSW_MASK_DAT | PSW_MASK_64, S390_EV_DAT },
	};
	for (unsigned i = 0; i < ARRAY_SIZE(c); i++) {
		code(vm, lpswe, sizeof(lpswe));
		vm->cpu.psw_mask = PSW_MASK_64;
		put_be64(vm->ram + 0x300, c[i].mask);
		put_be64(vm->ram + 0x308, 0x1000);
		put_be16(vm->ram + LC_PGM_CODE, 0);
		/* LPSWE itself returns IRQ_WINDOW; the next run reports */
		enum s390_event ev = s390_cpu_run(&vm->cpu, 10);
		if (ev == S390_EV_IRQ_WINDOW)
			ev = s390_cpu_run(&vm->cpu, 10);
		assert_int_equal(ev, c[i].ev);
		assert_int_equal(vm->cpu.psw_addr, 0x1000);
		assert_int_equal(get_be16(vm->ram + LC_PGM_CODE), 0);
	}
}

static void test_program_interrupt_loop(void **state)
{
	struct vm *vm = *state;
	static const uint8_t two[] = { 0x00, 0x00 };
	put_be64(vm->ram + LC_PGM_NEW, 0x8000000000000000ULL | PSW_MASK_64);
	code(vm, two, sizeof(two));
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_PGM_LOOP);
}

static void test_key_protection(void **state)
{
	struct vm *vm = *state;
	/* sske %r1,%r2 ; then st %r3,0(%r2) with PSW key 2 */
	static const uint8_t prog[] = { 0xB2, 0x2B, 0x00, 0x12, 0x50, 0x30, 0x20, 0x00 };
	code(vm, prog, sizeof(prog));
	vm->cpu.gpr[1] = 0x30; /* key 3 */
	vm->cpu.gpr[2] = 0x5000;
	vm->cpu.gpr[3] = 0x12345678;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->mem.keys[5] & 0xF0, 0x30);
	vm->cpu.psw_mask |= 2ULL << PSW_SHIFT_KEY;
	expect_pgm(vm, PGM_PROTECTION, 4, CODE + 8);
	assert_int_equal(get_be32(vm->ram + 0x5000), 0);

	/* matching key stores, and sets the change bit */
	vm->cpu.psw_mask = PSW_MASK_64 | 3ULL << PSW_SHIFT_KEY;
	vm->cpu.psw_addr = CODE + 4;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(get_be32(vm->ram + 0x5000), 0x12345678);
	assert_true(vm->mem.keys[5] & SKEY_C);

	/* iske reads it back */
	static const uint8_t iske[] = { 0xB2, 0x29, 0x00, 0x42 };
	code(vm, iske, sizeof(iske));
	vm->cpu.psw_mask = PSW_MASK_64;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(vm->cpu.gpr[4] & 0xF0, 0x30);
}

static void test_low_address_protection(void **state)
{
	struct vm *vm = *state;
	static const uint8_t st[] = { 0x50, 0x30, 0x01, 0x00 }; /* st %r3,0x100 */
	code(vm, st, sizeof(st));
	vm->cpu.cr[0] |= 0x10000000;
	expect_pgm(vm, PGM_PROTECTION, 4, CODE + 4);
	assert_int_equal(get_be32(vm->ram + 0x100), 0);
}

static void test_control_registers_and_masks(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prog[] = {
		0xEB, 0x0F, 0x03, 0x00, 0x00, 0x2F,   /* lctlg %c0,%c15,0x300 */
		0xEB, 0x0F, 0x04, 0x00, 0x00, 0x25,   /* stctg %c0,%c15,0x400 */
		0xAD, 0x03, 0x05, 0x00,               /* stosm 0x500,0x03 */
		0xAC, 0xFC, 0x05, 0x01,               /* stnsm 0x501,0xfc */
		0xB2, 0x05, 0x05, 0x08,               /* stck 0x508 */
		0xB2, 0x05, 0x05, 0x10,               /* stck 0x510 */
	};
	code(vm, prog, sizeof(prog));
	for (int i = 0; i < 16; i++)
		put_be64(vm->ram + 0x300 + 8 * i, 0x1111111111111111ULL * (uint64_t)i);
	for (int n = 0; n < 6; n++) {
		enum s390_event ev = s390_cpu_run(&vm->cpu, 1);
		assert_true(ev == S390_EV_BUDGET || ev == S390_EV_IRQ_WINDOW);
	}
	assert_memory_equal(vm->ram + 0x300, vm->ram + 0x400, 128);
	assert_int_equal(vm->cpu.cr[5], 0x5555555555555555ULL);
	assert_int_equal(vm->ram[0x500], 0x00);
	assert_int_equal(vm->ram[0x501], 0x03);
	assert_int_equal(vm->cpu.psw_mask >> 56, 0x00);
	assert_true(get_be64(vm->ram + 0x510) >= get_be64(vm->ram + 0x508));
}

static void test_more_control(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prog[] = {
		0xB2, 0x12, 0x06, 0x00,               /* stap 0x600 */
		0xB2, 0x02, 0x06, 0x08,               /* stidp 0x608 */
		0xB2, 0xB1, 0x00, 0x00,               /* stfl */
		0xB2, 0xB0, 0x06, 0x10,               /* stfle 0x610 (r0 = 0: one dw) */
		0xB2, 0x06, 0x06, 0x20,               /* sckc 0x620 */
		0xB2, 0x07, 0x06, 0x28,               /* stckc 0x628 */
		0xB2, 0x08, 0x06, 0x30,               /* spt 0x630 */
		0xB2, 0x09, 0x06, 0x38,               /* stpt 0x638 */
		0x01, 0x07,                           /* sckpf (r0 = 0x1234) */
		0xB9, 0x8D, 0x00, 0x45,               /* epsw %r4,%r5 */
		0x01, 0x0D,                           /* sam31 */
		0x01, 0x0E,                           /* sam64 */
		0xB2, 0x2A, 0x00, 0x06,               /* rrbe %r0,%r6 */
		0xE5, 0x01, 0x70, 0x00, 0x00, 0x30,   /* tprot 0(%r7),0x30 */
	};
	code(vm, prog, sizeof(prog));
	vm->cpu.cpu_addr = 3;
	vm->cpu.gpr[0] = 0;
	put_be64(vm->ram + 0x620, 0x123456789ABCDEF0ULL);
	put_be64(vm->ram + 0x630, 1ULL << 40);
	vm->cpu.gpr[6] = 0x7000;
	vm->cpu.gpr[7] = 0x7000;
	vm->mem.keys[7] = 0x20 | SKEY_R | SKEY_F;
	enum s390_event ev;
	for (int n = 0; n < 3; n++) {   /* stap, stidp, stfl */
		ev = s390_cpu_run(&vm->cpu, 1);
		assert_int_equal(ev, S390_EV_BUDGET);
	}
	assert_int_equal(get_be16(vm->ram + 0x600), 3);
	assert_int_equal(get_be64(vm->ram + 0x608), vm->cpu.cpuid);
	assert_int_equal(get_be32(vm->ram + LC_STFL), s390_facilities[0] >> 32);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* stfle */
	assert_int_equal(get_be64(vm->ram + 0x610), s390_facilities[0]);
	assert_int_equal(vm->cpu.gpr[0] & 0xFF, 0);
	assert_int_equal((vm->cpu.psw_mask >> PSW_SHIFT_CC) & 3, 0);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_IRQ_WINDOW); /* sckc */
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	assert_int_equal(get_be64(vm->ram + 0x628), 0x123456789ABCDEF0ULL);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_IRQ_WINDOW); /* spt */
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);
	uint64_t t = get_be64(vm->ram + 0x638);
	assert_true(t <= 1ULL << 40 && t > (1ULL << 40) - (4096ULL << 20));
	vm->cpu.gpr[0] = 0x1234;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* sckpf */
	assert_int_equal(vm->cpu.todpr, 0x1234);
	vm->cpu.psw_mask |= 1ULL << PSW_SHIFT_CC;
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* epsw */
	assert_int_equal(vm->cpu.gpr[4] & 0xFFFFFFFF, (vm->cpu.psw_mask >> 32) & 0xFFFFFFFF);
	assert_int_equal(vm->cpu.gpr[5] & 0xFFFFFFFF, 0x80000000);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* sam31 */
	assert_int_equal(vm->cpu.psw_mask & PSW_MASK_64, PSW_MASK_BA);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* sam64 */
	assert_int_equal(vm->cpu.psw_mask & PSW_MASK_64, PSW_MASK_64);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* rrbe */
	assert_int_equal((vm->cpu.psw_mask >> PSW_SHIFT_CC) & 3, 2);
	assert_int_equal(vm->mem.keys[7] & SKEY_R, 0);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_BUDGET);   /* tprot key 3 */
	assert_int_equal((vm->cpu.psw_mask >> PSW_SHIFT_CC) & 3, 2);   /* fetch-protected */
}

static void test_lpsw_short_psw(void **state)
{
	struct vm *vm = *state;
	static const uint8_t lpsw[] = { 0x82, 0x00, 0x03, 0x00 };
	code(vm, lpsw, sizeof(lpsw));
	/* ESA/390 PSW: bit 12 set, 31-bit, address 0x4000 */
	put_be32(vm->ram + 0x300, 0x00080000 | 0x00003000);
	put_be32(vm->ram + 0x304, 0x80004000);
	assert_int_equal(s390_cpu_run(&vm->cpu, 1), S390_EV_IRQ_WINDOW);
	assert_int_equal(vm->cpu.psw_addr, 0x4000);
	assert_int_equal(vm->cpu.psw_mask, PSW_MASK_BA | (3ULL << PSW_SHIFT_CC));

	/* bit 12 clear: specification exception */
	vm->cpu.psw_mask = PSW_MASK_64;
	code(vm, lpsw, sizeof(lpsw));
	put_be32(vm->ram + 0x300, 0);
	expect_pgm(vm, PGM_SPECIFICATION, 4, CODE + 4);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_operation_exception),
		T(test_divide_suppresses),
		T(test_fixed_point_overflow_completes),
		T(test_privileged_in_problem_state),
		T(test_addressing_beyond_memory),
		T(test_specification_alignment),
		T(test_execute_exception),
		T(test_execute_mvc),
		T(test_early_psw_exception),
		T(test_svc),
		T(test_intercepts),
		T(test_wait_and_dat_events),
		T(test_program_interrupt_loop),
		T(test_key_protection),
		T(test_low_address_protection),
		T(test_control_registers_and_masks),
		T(test_more_control),
		T(test_lpsw_short_psw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
