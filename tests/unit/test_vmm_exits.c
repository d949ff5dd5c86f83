// SPDX-License-Identifier: MIT
/*
 * The VMM's exit decisions on synthetic inputs, without a hypervisor:
 * exit codes from the disabled-wait PSW, SIGP decoding and result
 * encoding, DIAG 0x500 / 0x308 / others, STSI 3.2.2 name and UUID, and
 * the console's EXIT-line scanner.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "diag.h"
#include "sigp.h"
#include "stsi.h"
#include "vm.h"

#define MiB (1ULL << 20)

static void test_exit_code(void **state)
{
	(void)state;
	assert_int_equal(guest_exit_code(0xfff), 0);
	assert_int_equal(guest_exit_code(0x12345fff), 0);
	assert_int_equal(guest_exit_code(0x1eee), 1);
	assert_int_equal(guest_exit_code(0x2aeee), 42);
	assert_int_equal(guest_exit_code(0xffeee), 255);
	/* Not exits: crashes. */
	assert_int_equal(guest_exit_code(0), -1);
	assert_int_equal(guest_exit_code(0x1000), -1);
	assert_int_equal(guest_exit_code(0xeee), -1);	/* code 0 is 0xfff */
	assert_int_equal(guest_exit_code(0x100eee), -1);	/* code 256 */
	assert_int_equal(guest_exit_code(0x1eef), -1);
}

static void sieic(struct kvm_run *run, uint8_t icpt, uint16_t ipa, uint32_t ipb)
{
	run->exit_reason = KVM_EXIT_S390_SIEIC;
	run->s390_sieic.icptcode = icpt;
	run->s390_sieic.ipa = ipa;
	run->s390_sieic.ipb = ipb;
}

static void test_sigp_decode(void **state)
{
	static struct kvm_run run;
	struct sigp_req req;

	(void)state;
	/* sigp 1,2,0x0d(0): r1 odd -> parameter in r1 itself */
	memset(&run, 0, sizeof(run));
	sieic(&run, 4, 0xae12, 0x000d0000);
	run.s.regs.gprs[1] = 0x12000;
	run.s.regs.gprs[2] = 0xffffffffffff0003ULL;	/* only bits 48-63 */
	sigp_decode(&run, &req);
	assert_int_equal(req.order, SIGP_SET_PREFIX);
	assert_int_equal(req.cpu_addr, 3);
	assert_int_equal(req.r1, 1);
	assert_int_equal(req.param, 0x12000);

	/* sigp 4,5,0(6): r1 even -> parameter in r1+1; order = low byte of
	 * base + displacement */
	sieic(&run, 4, 0xae45, 0x60000000);
	run.s.regs.gprs[6] = 0x1234506;
	run.s.regs.gprs[5] = 7;
	run.s.regs.gprs[4] = 0xdead;
	run.s.regs.gprs[5 - 0] = 7;
	sigp_decode(&run, &req);
	assert_int_equal(req.order, SIGP_RESTART);
	assert_int_equal(req.cpu_addr, 7);
	assert_int_equal(req.r1, 4);
	assert_int_equal(req.param, 7);	/* gpr5 = r1 + 1 */

	/* displacement and base add up */
	sieic(&run, 4, 0xae00, 0x1ffe0000);
	run.s.regs.gprs[1] = 0x7;
	sigp_decode(&run, &req);
	assert_int_equal(req.order, (0x7 + 0xffe) & 0xff);
}

static void test_sigp_apply(void **state)
{
	static struct kvm_run run;
	struct sigp_req req = { .r1 = 3 };
	struct sigp_result res;

	(void)state;
	memset(&run, 0, sizeof(run));
	run.psw_mask = 0x0000300180000000ULL;	/* CC 3 before */
	run.s.regs.gprs[3] = 0xaaaaaaaabbbbbbbbULL;

	res = (struct sigp_result){ .cc = SIGP_CC_ACCEPTED };
	sigp_apply(&run, &req, &res);
	assert_int_equal(run.psw_mask, 0x0000000180000000ULL);
	assert_int_equal(run.s.regs.gprs[3], 0xaaaaaaaabbbbbbbbULL);

	res = (struct sigp_result){ .cc = SIGP_CC_STATUS_STORED,
				    .status = SIGP_STAT_INCORRECT_STATE };
	sigp_apply(&run, &req, &res);
	assert_int_equal(run.psw_mask, 0x0000100180000000ULL);
	assert_int_equal(run.s.regs.gprs[3], 0xaaaaaaaa00000200ULL);

	/* CC 2 and 3 leave R1 alone */
	run.s.regs.gprs[3] = 5;
	res = (struct sigp_result){ .cc = SIGP_CC_NOT_OPERATIONAL };
	sigp_apply(&run, &req, &res);
	assert_int_equal(run.psw_mask, 0x0000300180000000ULL);
	assert_int_equal(run.s.regs.gprs[3], 5);
}

static void test_icpt_addr(void **state)
{
	static struct kvm_run run;

	(void)state;
	memset(&run, 0, sizeof(run));
	sieic(&run, 4, 0x8300, 0x05010000);	/* diag 0,0,0x501 */
	assert_int_equal(icpt_rs_addr(&run), 0x501);
	sieic(&run, 4, 0x8300, 0xf0100000);	/* 0x10(%r15) */
	run.s.regs.gprs[15] = 0x1000;
	assert_int_equal(icpt_rs_addr(&run), 0x1010);
}

static void test_diag_500(void **state)
{
	unsigned long long g[16] = { 0 };
	struct diag_result res;

	(void)state;
	/* 3: virtio-ccw notify, and no subchannel exists */
	g[1] = 3;
	g[2] = 0x00010000;
	diag_500(g, 128 * MiB, &res);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(g[2], (unsigned long long)-EINVAL);

	/* 0: legacy notify, tolerated below the memory size */
	g[1] = 0;
	g[2] = 0x1000;
	diag_500(g, 128 * MiB, &res);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(g[2], 0);
	g[2] = 128 * MiB;
	diag_500(g, 128 * MiB, &res);
	assert_int_equal(g[2], (unsigned long long)-EINVAL);

	/* 1, 2 (removed), 4 (not in QEMU 7.2), anything else: specification */
	for (unsigned long long sub = 1; sub < 8; sub++) {
		if (sub == 3)
			continue;
		g[1] = sub;
		g[2] = 77;
		diag_500(g, 128 * MiB, &res);
		assert_int_equal(res.pgm, PGM_SPECIFICATION);
		assert_int_equal(g[2], 77);
	}
}

static void test_diag_308(void **state)
{
	static uint8_t mem[64 * 1024];
	static uint8_t iplb[DIAG308_IPLB_SIZE];
	unsigned long long g[16] = { 0 };
	uint32_t iplb_len = 0;
	struct diag_result res;

	(void)state;
	memset(mem, 0, sizeof(mem));
	/* subcode in r3 = 4, parameters r1 = 2 */
	g[4] = 0x10000;		/* not 16-bit */
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);

	g[4] = 0;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(res.reset, VM_RESET_MOD_CLEAR);
	g[4] = 1;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.reset, VM_RESET_LOAD_NORMAL);
	g[4] = 3;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.reset, VM_RESET_REIPL_CLEAR);
	g[4] = 4;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.reset, VM_RESET_REIPL);
	for (unsigned long long sub = 7; sub <= 11; sub++) {
		g[4] = sub;
		diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
		assert_int_equal(res.pgm, PGM_SPECIFICATION);
		assert_int_equal(res.reset, VM_RESET_NONE);
	}

	/* 6 before any 5: no configuration */
	g[4] = 6;
	g[2] = 0x4000;
	g[3] = 0;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(g[3], DIAG308_RC_NO_CONF);
	/* odd r1, unaligned, outside memory */
	diag_308(g, 3, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[2] = 0x4008;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[2] = 0xf000;	/* the 4 KiB block would end past memory? no: fits */
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, 0);
	g[2] = 0x10000;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(res.pgm, PGM_ADDRESSING);

	/* 5 with an invalid block: rc 0x402, nothing kept */
	g[4] = 5;
	g[2] = 0x4000;
	put_be32(mem + 0x4000, 100);
	mem[0x4000 + 12] = 2;	/* CCW, but too short */
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(g[3], DIAG308_RC_INVALID);
	assert_int_equal(iplb_len, 0);
	put_be32(mem + 0x4000, 5000);	/* longer than the page */
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(g[3], DIAG308_RC_INVALID);
	put_be32(mem + 0x4000, 200);
	mem[0x4000 + 12] = 7;	/* unknown type */
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(g[3], DIAG308_RC_INVALID);
	/* a valid CCW block is kept, and 6 gives it back */
	mem[0x4000 + 12] = 2;
	mem[0x4000 + 199] = 0x5a;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(g[3], DIAG308_RC_OK);
	assert_int_equal(iplb_len, 200);
	g[4] = 6;
	g[2] = 0x6000;
	diag_308(g, 2, 4, mem, sizeof(mem), iplb, &iplb_len, &res);
	assert_int_equal(g[3], DIAG308_RC_OK);
	assert_memory_equal(mem + 0x6000, mem + 0x4000, 200);
}

static void test_diag_288(void **state)
{
	unsigned long long g[16] = { 0 };
	struct diag288_state wdt = { 0 };
	struct diag_result res;
	const uint64_t s = 1000000000ULL, now = 5 * s;

	(void)state;
	/* r1 = 2 (function), r1+1 = 3 (timeout), r3 = 4 (action) */
	g[2] = DIAG288_CHANGE;
	g[3] = 30;
	diag_288(g, 2, 4, &wdt, now, &res);	/* not armed yet */
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[2] = DIAG288_CANCEL;
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[2] = DIAG288_INIT;
	g[3] = 14;				/* below 15 s */
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	assert_false(wdt.enabled);
	g[3] = 15;
	g[4] = 1;				/* action other than 0 */
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[4] = 0;
	diag_288(g, 3, 4, &wdt, now, &res);	/* odd r1 */
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, 0);
	assert_true(res.watchdog);
	assert_true(wdt.enabled);
	assert_int_equal(wdt.deadline_ns, now + 15 * s);
	g[2] = DIAG288_CHANGE;
	g[3] = 60;
	diag_288(g, 2, 4, &wdt, now + s, &res);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(wdt.deadline_ns, now + 61 * s);
	g[2] = 3;				/* unknown function */
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	g[2] = DIAG288_CANCEL;
	g[3] = 0;				/* any timeout for cancel */
	diag_288(g, 2, 4, &wdt, now, &res);
	assert_int_equal(res.pgm, 0);
	assert_false(wdt.enabled);
}

static void test_diag_decide(void **state)
{
	static uint8_t mem[16 * 1024];
	static uint8_t iplb[DIAG308_IPLB_SIZE];
	unsigned long long g[16] = { 0 };
	uint32_t iplb_len = 0;
	struct diag288_state wdt = { 0 };
	struct diag_result res;

	(void)state;
	/* diag 2,4,0x500 */
	g[1] = 3;
	diag_decide(g, 0x8324, 0x05000000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.code, 0x500);
	assert_int_equal(res.pgm, 0);
	assert_int_equal(g[2], (unsigned long long)-EINVAL);
	/* the code is the low 16 bits of base + displacement */
	g[5] = 0xabcd0000;
	diag_decide(g, 0x8324, 0x53080000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.code, 0x308);
	/* watchdog with a bad timeout, DIAG 318 without the facility,
	 * breakpoint without a debugger, unknown: specification */
	diag_decide(g, 0x8324, 0x02880000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	diag_decide(g, 0x8324, 0x03180000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	diag_decide(g, 0x8300, 0x05010000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	diag_decide(g, 0x8300, 0x0fff0000, mem, sizeof(mem), iplb, &iplb_len, &wdt, 0, &res);
	assert_int_equal(res.pgm, PGM_SPECIFICATION);
	assert_int_equal(res.reset, VM_RESET_NONE);
}

/* What the kernel stores for 3.2.2 with one level (spec 3.4). */
static void kernel_322(uint8_t *b)
{
	static const uint8_t kvmguest[8] = { 0xd2, 0xe5, 0xd4, 0x87, 0xa4,
					     0x85, 0xa2, 0xa3 };

	memset(b, 0, STSI_SYSIB_SIZE);
	b[SYSIB322_COUNT] = 1;
	put_be16(b + SYSIB322_VM0 + SYSIB322_VM_TOTAL, 2);
	put_be16(b + SYSIB322_VM0 + SYSIB322_VM_CONF, 2);
	memcpy(b + SYSIB322_VM0 + SYSIB322_VM_NAME, kvmguest, 8);
}

static void test_stsi_322(void **state)
{
	static uint8_t b[STSI_SYSIB_SIZE], before[STSI_SYSIB_SIZE];
	static const uint8_t uuid[16] = { 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4,
					  5, 6, 7, 8, 9, 10, 11, 12 };
	static const uint8_t zvmm_tes[8] = { 0xa9, 0xa5, 0x94, 0x94, 0x60,
					     0xa3, 0x85, 0xa2 };
	static const uint8_t vm1_blank[8] = { 0xe5, 0xd4, 0xf1, 0x40, 0x40,
					      0x40, 0x40, 0x40 };
	static const uint8_t zero[16];
	uint8_t *vm0 = b + SYSIB322_VM0;

	(void)state;
	/* No name: the kernel's "KVMguest" stays, extended name KVMguest */
	kernel_322(b);
	stsi_fill_322(b, "", zero, 4, 0);
	assert_int_equal(get_be16(vm0 + SYSIB322_VM_TOTAL), 4);
	assert_int_equal(get_be16(vm0 + SYSIB322_VM_CONF), 4);
	assert_int_equal(get_be16(vm0 + SYSIB322_VM_RESERVED), 0);
	assert_int_equal(vm0[SYSIB322_VM_NAME], 0xd2);
	assert_int_equal(vm0[SYSIB322_VM_EXT_ENC], 2);
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES, "KVMguest");
	assert_memory_equal(vm0 + SYSIB322_VM_UUID, zero, 16);

	/* A name: EBCDIC, cut to 8; the full name as the extended name */
	kernel_322(b);
	stsi_fill_322(b, "zvmm-test", uuid, 2, 1);
	assert_memory_equal(vm0 + SYSIB322_VM_NAME, zvmm_tes, 8);
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES, "zvmm-test");
	assert_memory_equal(vm0 + SYSIB322_VM_UUID, uuid, 16);
	assert_int_equal(get_be16(vm0 + SYSIB322_VM_TOTAL), 3);
	assert_int_equal(get_be16(vm0 + SYSIB322_VM_RESERVED), 1);

	/* A short name is blank-padded */
	kernel_322(b);
	stsi_fill_322(b, "VM1", uuid, 1, 0);
	assert_memory_equal(vm0 + SYSIB322_VM_NAME, vm1_blank, 8);

	/* Two levels, the lower one with an extended name: pushed down */
	kernel_322(b);
	b[SYSIB322_COUNT] = 2;
	(vm0 + SYSIB322_VM_SIZE)[SYSIB322_VM_EXT_ENC] = 2;
	strcpy((char *)b + SYSIB322_EXT_NAMES, "lower");
	stsi_fill_322(b, "top", uuid, 1, 0);
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES, "top");
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES + 256, "lower");
	/* ... and without encoding the stack ends there: cleared */
	kernel_322(b);
	b[SYSIB322_COUNT] = 2;
	strcpy((char *)b + SYSIB322_EXT_NAMES, "lower");
	stsi_fill_322(b, "top", uuid, 1, 0);
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES, "top");
	assert_int_equal(b[SYSIB322_EXT_NAMES + 256], 0);

	/* Impossible level counts: untouched */
	kernel_322(b);
	b[SYSIB322_COUNT] = 0;
	memcpy(before, b, sizeof(b));
	stsi_fill_322(b, "x", uuid, 1, 0);
	assert_memory_equal(b, before, sizeof(b));
	b[SYSIB322_COUNT] = 9;
	memcpy(before, b, sizeof(b));
	stsi_fill_322(b, "x", uuid, 1, 0);
	assert_memory_equal(b, before, sizeof(b));

	assert_int_equal(ascii_to_ebcdic('A'), 0xc1);
	assert_int_equal(ascii_to_ebcdic('z'), 0xa9);
	assert_int_equal(ascii_to_ebcdic(' '), 0x40);
	assert_int_equal(ascii_to_ebcdic(0xe9), 0x3f);
}

static void test_console_scan(void **state)
{
	static struct vm vm;
	static const char *line = "EXIT: STATUS=85\n";

	(void)state;
	memset(&vm, 0, sizeof(vm));
	vm.exit_line_code = -1;
	console_scan(&vm, "hello\nEXIT: STAT", 16);
	assert_int_equal(vm.exit_line_code, -1);
	console_scan(&vm, "US=1\n", 5);
	assert_int_equal(vm.exit_line_code, 0);
	/* byte by byte */
	for (size_t i = 0; i < strlen(line); i++)
		console_scan(&vm, line + i, 1);
	assert_int_equal(vm.exit_line_code, 42);
	/* not exit lines: even status, text after it, indented, too big */
	console_scan(&vm, "EXIT: STATUS=4\n", 15);
	console_scan(&vm, "EXIT: STATUS=5x\n", 16);
	console_scan(&vm, " EXIT: STATUS=5\n", 16);
	console_scan(&vm, "EXIT: STATUS=513\n", 17);
	console_scan(&vm, "EXIT: STATUS=\n", 14);
	assert_int_equal(vm.exit_line_code, 42);
	/* CRs are ignored; 255 is the largest code */
	console_scan(&vm, "EXIT: STATUS=511\r\n", 18);
	assert_int_equal(vm.exit_line_code, 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_code),
		cmocka_unit_test(test_sigp_decode),
		cmocka_unit_test(test_sigp_apply),
		cmocka_unit_test(test_icpt_addr),
		cmocka_unit_test(test_diag_500),
		cmocka_unit_test(test_diag_308),
		cmocka_unit_test(test_diag_288),
		cmocka_unit_test(test_diag_decide),
		cmocka_unit_test(test_stsi_322),
		cmocka_unit_test(test_console_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
