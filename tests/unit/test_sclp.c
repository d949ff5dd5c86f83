// SPDX-License-Identifier: MIT
/*
 * SERVICE CALL: program exceptions, response codes, busy, READ SCP INFO
 * and READ CPU INFO, byte for byte against what QEMU 7.2 wrote for the
 * same request (-m 128 -smp 2,maxcpus=4, TCG, docs/sclp.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "sclp.h"

#define MEM_SIZE	(2u << 20)
#define SCCB		0x22000u

static uint8_t *mem;
static struct sclp *s;
static struct sclp_config cfg;
static uint32_t prefix;

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, MEM_SIZE);
	s = calloc(1, sizeof(*s));
	if (!mem || !s)
		return -1;
	sclp_config_default(&cfg, 128u << 20, 2, 4);
	prefix = 0;
	return sclp_init(s, &cfg, NULL, NULL);
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	free(s);
	return 0;
}

static void reinit(void)
{
	memset(mem, 0, MEM_SIZE);
	assert_int_equal(sclp_init(s, &cfg, NULL, NULL), 0);
}

/* One SERVICE CALL; a raised completion counts as delivered at once. */
static struct sclp_result servc(uint64_t addr, uint32_t cmd, uint16_t len)
{
	struct sclp_result r;

	if (addr + 8 <= MEM_SIZE && len)
		put_be16(mem + addr, len);
	sclp_servc(s, mem, MEM_SIZE, addr, cmd, prefix, false, &r);
	if (r.raise)
		sclp_signal_delivered(s);
	return r;
}

static void assert_cc0_done(struct sclp_result r, uint64_t addr)
{
	assert_int_equal(r.action, SCLP_SET_CC);
	assert_int_equal(r.cc, 0);
	assert_true(r.raise);
	assert_int_equal(r.param, addr);
}

static void assert_pgm(struct sclp_result r, uint16_t code)
{
	assert_int_equal(r.action, SCLP_PROGRAM);
	assert_int_equal(r.pgm_code, code);
	assert_false(r.raise);
	assert_false(sclp_busy(s));
}

static uint16_t rc_at(uint64_t addr)
{
	return get_be16(mem + addr + 6);
}

static void test_problem_state_is_privileged_operation(void **state)
{
	struct sclp_result r;

	(void)state;
	reinit();
	put_be16(mem + SCCB, 4096);
	sclp_servc(s, mem, MEM_SIZE, SCCB, SCLP_CMD_READ_SCP_INFO, 0, true, &r);
	assert_pgm(r, SCLP_PGM_PRIVILEGED);
	assert_int_equal(rc_at(SCCB), 0);
	/* Even with an SCCB address that is itself wrong. */
	sclp_servc(s, mem, MEM_SIZE, 3, SCLP_CMD_READ_SCP_INFO, 0, true, &r);
	assert_pgm(r, SCLP_PGM_PRIVILEGED);
}

static void test_sccb_address_checks(void **state)
{
	struct sclp_result r;

	(void)state;
	reinit();
	/* Outside memory: addressing, before the specification checks. */
	assert_pgm(servc(MEM_SIZE, SCLP_CMD_READ_SCP_INFO, 0),
		   SCLP_PGM_ADDRESSING);
	assert_pgm(servc(0x80000000u, SCLP_CMD_READ_SCP_INFO, 0),
		   SCLP_PGM_ADDRESSING);
	assert_pgm(servc(MEM_SIZE + 4, SCLP_CMD_READ_SCP_INFO, 0),
		   SCLP_PGM_ADDRESSING);
	/* The first 8 KiB, unaligned, the prefix area. */
	assert_pgm(servc(0, SCLP_CMD_READ_SCP_INFO, 4096),
		   SCLP_PGM_SPECIFICATION);
	assert_pgm(servc(0x1ff8, SCLP_CMD_READ_SCP_INFO, 8),
		   SCLP_PGM_SPECIFICATION);
	assert_pgm(servc(0x3004, SCLP_CMD_READ_SCP_INFO, 0),
		   SCLP_PGM_SPECIFICATION);
	assert_pgm(servc(0x3002, SCLP_CMD_READ_SCP_INFO, 0),
		   SCLP_PGM_SPECIFICATION);
	prefix = 0x10000;
	assert_pgm(servc(0x10000, SCLP_CMD_READ_SCP_INFO, 4096),
		   SCLP_PGM_SPECIFICATION);
	assert_pgm(servc(0x11ff8, SCLP_CMD_READ_SCP_INFO, 8),
		   SCLP_PGM_SPECIFICATION);
	/* ... while the absolute lowcore of another prefix is fine. */
	assert_cc0_done(servc(0x12000, SCLP_CMD_WRITE_EVENT_MASK, 8), 0x12000);
	prefix = 0;
	assert_cc0_done(servc(0x10000, SCLP_CMD_WRITE_EVENT_MASK, 8), 0x10000);
	/* From 2 GiB up with memory there: specification, nothing read. */
	sclp_servc(s, mem, 1ULL << 32, 0x80000000u, SCLP_CMD_READ_SCP_INFO,
		   0, false, &r);
	assert_pgm(r, SCLP_PGM_SPECIFICATION);
	sclp_servc(s, mem, 1ULL << 40, 1ULL << 32, SCLP_CMD_READ_SCP_INFO,
		   0, false, &r);
	assert_pgm(r, SCLP_PGM_SPECIFICATION);
}

static void test_sccb_length_checks(void **state)
{
	(void)state;
	reinit();
	/* Header length below 8: specification. */
	put_be16(mem + SCCB, 7);
	assert_pgm(servc(SCCB, SCLP_CMD_WRITE_EVENT_MASK, 0),
		   SCLP_PGM_SPECIFICATION);
	put_be16(mem + SCCB, 0);
	assert_pgm(servc(SCCB, SCLP_CMD_WRITE_EVENT_MASK, 0),
		   SCLP_PGM_SPECIFICATION);
	/*
	 * The end past memory: no exception (QEMU 7.2, measured); the part
	 * inside memory is read and written back, and such an SCCB crosses
	 * a page: 0x0100, or 0x01f0 for an unknown command.
	 */
	assert_cc0_done(servc(MEM_SIZE - 8, SCLP_CMD_WRITE_EVENT_MASK, 16),
			MEM_SIZE - 8);
	assert_int_equal(rc_at(MEM_SIZE - 8), SCLP_RC_BOUNDARY_VIOLATION);
	assert_cc0_done(servc(MEM_SIZE - 16, 0x12345678, 4096), MEM_SIZE - 16);
	assert_int_equal(rc_at(MEM_SIZE - 16), SCLP_RC_INVALID_COMMAND);
	/* The last page of memory is fine. */
	assert_cc0_done(servc(MEM_SIZE - 4096, SCLP_CMD_READ_SCP_INFO, 4096),
			MEM_SIZE - 4096);
	assert_int_equal(rc_at(MEM_SIZE - 4096), SCLP_RC_NORMAL_READ);
}

static void test_unknown_command(void **state)
{
	static const uint32_t bad[] = {
		0x00ff0001, 0x00020002, 0x00000000, 0xffffffff, 0x00790005,
		0x00040001,	/* READ STORAGE ELEMENT INFO: not in QEMU 7.2 */
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		reinit();
		memset(mem + SCCB + 8, 0xaa, 8);
		assert_cc0_done(servc(SCCB, bad[i], 16), SCCB);
		assert_int_equal(get_be16(mem + SCCB), 16);
		assert_int_equal(rc_at(SCCB), SCLP_RC_INVALID_COMMAND);
		assert_int_equal(mem[SCCB + 8], 0xaa);
		assert_int_equal(mem[SCCB + 15], 0xaa);
		assert_int_equal(mem[SCCB + 16], 0);
	}
	/* Bits 8-15 of the command word are ignored. */
	reinit();
	assert_cc0_done(servc(SCCB, 0x0002ab01, 4096), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_NORMAL_READ);
}

static void test_boundary_violation(void **state)
{
	(void)state;
	reinit();
	assert_cc0_done(servc(0x29f00, SCLP_CMD_WRITE_EVENT_MASK, 0x200),
			0x29f00);
	assert_int_equal(rc_at(0x29f00), SCLP_RC_BOUNDARY_VIOLATION);
	/* Ending on the last byte of the page is fine. */
	assert_cc0_done(servc(0x29f00, SCLP_CMD_WRITE_EVENT_MASK, 0x100),
			0x29f00);
	assert_int_equal(rc_at(0x29f00), SCLP_RC_INVALID_MASK_LENGTH);
	/* Unknown command beats the boundary. */
	assert_cc0_done(servc(0x29f00, 0x00ff0001, 0x200), 0x29f00);
	assert_int_equal(rc_at(0x29f00), SCLP_RC_INVALID_COMMAND);
	/* READ SCP INFO across a page: only with extended-length SCCBs. */
	assert_cc0_done(servc(0x2a800, SCLP_CMD_READ_SCP_INFO, 4096),
			0x2a800);
	assert_int_equal(rc_at(0x2a800), SCLP_RC_BOUNDARY_VIOLATION);
	cfg.ext_len_sccb = true;
	reinit();
	assert_cc0_done(servc(0x2a800, SCLP_CMD_READ_SCP_INFO, 4096),
			0x2a800);
	assert_int_equal(rc_at(0x2a800), SCLP_RC_NORMAL_READ);
	assert_cc0_done(servc(0x2a800, SCLP_CMD_READ_CPU_INFO, 4096),
			0x2a800);
	assert_int_equal(rc_at(0x2a800), SCLP_RC_NORMAL_READ);
	assert_cc0_done(servc(0x2a800, SCLP_CMD_WRITE_EVENT_MASK, 4096),
			0x2a800);
	assert_int_equal(rc_at(0x2a800), SCLP_RC_BOUNDARY_VIOLATION);
	cfg.ext_len_sccb = false;
}

/* Words 0x00-0x9f that QEMU 7.2 wrote for READ SCP INFO (forced). */
static const uint32_t qemu_read_info[] = {
	0x10000000, 0x00000010, 0x00800100, 0x00000000,
	0x00020080, 0x00000000, 0x40404040, 0x40404040,
	0x00000000, 0x00000000, 0x00000000, 0x00000000,
	0x0c000000, 0x40000000, 0x00000000, 0x00000000,
	0x00000000, 0x00000000, 0x00000000, 0x00000000,
	0x00000000, 0x00020000, 0x00000000, 0x00000000,
	0x0000002f, 0x00000000, 0x00000000, 0x00000000,
	0x00000000, 0x00000000, 0x00030000, 0x08000000,
	0x00000000, 0x00000000, 0x00000000, 0x00000000,
	0x01000000, 0x00000000, 0x00000000, 0x00000000,
};

static void assert_words(uint64_t addr, const uint32_t *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (get_be32(mem + addr + 4 * i) != w[i])
			fail_msg("word at +0x%x: 0x%08x, want 0x%08x", 4 * i,
				 get_be32(mem + addr + 4 * i), w[i]);
	}
}

static void test_read_scp_info_as_qemu(void **state)
{
	static const uint32_t cmds[] = {
		SCLP_CMD_READ_SCP_INFO_FORCED, SCLP_CMD_READ_SCP_INFO,
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(cmds); i++) {
		reinit();
		assert_cc0_done(servc(SCCB, cmds[i], 4096), SCCB);
		assert_words(SCCB, qemu_read_info, ARRAY_SIZE(qemu_read_info));
	}
}

static void test_read_scp_info_cpu_list(void **state)
{
	(void)state;
	cfg.ncpus = 3;
	cfg.max_cpus = 16;
	cfg.cpu_addr[0] = 5;
	cfg.cpu_addr[1] = 0;
	cfg.cpu_addr[2] = 15;
	reinit();
	memset(mem + SCCB + 128, 0xee, 3 * 16);
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 4096), SCCB);
	assert_int_equal(get_be16(mem + SCCB + 16), 3);
	assert_int_equal(get_be16(mem + SCCB + 18), 128);
	assert_int_equal(get_be16(mem + SCCB + 120), 15);
	for (unsigned int i = 0; i < 3; i++) {
		const uint8_t *e = mem + SCCB + 128 + 16 * i;

		assert_int_equal(e[0], cfg.cpu_addr[i]);
		assert_int_equal(e[1], 0xee);	/* reserved: left alone */
		for (unsigned int j = 2; j < 8; j++)
			assert_int_equal(e[j], 0);
		assert_int_equal(e[14], 0);	/* CP */
		assert_int_equal(e[15], 0xee);
	}
	sclp_config_default(&cfg, 128u << 20, 2, 4);
}

static void test_read_scp_info_memory_sizes(void **state)
{
	static const struct {
		uint64_t size;
		uint16_t rnmax;
		uint64_t rnmax2;
	} t[] = {
		{ 1u << 20, 1, 0 },
		{ (128u << 20) + 4095, 128, 0 },	/* whole MiB */
		{ 65535ULL << 20, 65535, 0 },
		{ 65536ULL << 20, 0, 65536 },
		{ 1ULL << 40, 0, 1 << 20 },
	};

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		cfg.mem_size = t[i].size;
		reinit();
		assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 4096), SCCB);
		assert_int_equal(get_be16(mem + SCCB + 8), t[i].rnmax);
		assert_int_equal(mem[SCCB + 10], 1);
		assert_int_equal(get_be32(mem + SCCB + 100), 0);
		assert_int_equal(get_be64(mem + SCCB + 104), t[i].rnmax2);
	}
	cfg.mem_size = 128u << 20;
}

static void test_read_scp_info_insufficient_length(void **state)
{
	(void)state;
	/* As QEMU 7.2 TCG: length unchanged, the variable-length bit kept. */
	reinit();
	mem[SCCB + 5] = 0x80;
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 16), SCCB);
	assert_int_equal(get_be32(mem + SCCB), 0x00100000);
	assert_int_equal(get_be32(mem + SCCB + 4), 0x00800300);
	assert_int_equal(get_be64(mem + SCCB + 8), 0);
	/* 144 + 16 per possible CPU is the least that works. */
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 207), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 208), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_NORMAL_READ);
	/* Extended length: the needed length comes back with the bit. */
	cfg.ext_len_sccb = true;
	reinit();
	mem[SCCB + 5] = 0x80;
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 16), SCCB);
	assert_int_equal(get_be16(mem + SCCB), 208);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_CPU_INFO, 16), SCCB);
	assert_int_equal(get_be16(mem + SCCB), 16);	/* bit not set */
	mem[SCCB + 5] = 0x80;
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_CPU_INFO, 16), SCCB);
	assert_int_equal(get_be16(mem + SCCB), 24 + 4 * 16);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
	cfg.ext_len_sccb = false;
}

static void test_read_scp_info_extended_length(void **state)
{
	(void)state;
	cfg.ext_len_sccb = true;
	cfg.fac134 = 0x80;
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 4096), SCCB);
	assert_int_equal(get_be16(mem + SCCB + 18), 144);
	assert_int_equal(mem[SCCB + 134], 0x80);
	assert_int_equal(mem[SCCB + 144], 0);
	assert_int_equal(mem[SCCB + 160], 1);
	assert_int_equal(mem[SCCB + 128 + 16], 0);
	cfg.ext_len_sccb = false;
	cfg.fac134 = 0;
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 4096), SCCB);
	assert_int_equal(mem[SCCB + 134], 0);
}

/*
 * Words 0x00-0x2f that QEMU 7.2 wrote for READ CPU INFO, except the
 * standby offset at 14: QEMU on a little-endian host computes it from
 * big-endian fields and wrote 0x3800; 0x0038 is what it writes on s390x.
 */
static const uint32_t qemu_cpu_info[] = {
	0x10000000, 0x00000010, 0x00020018, 0x00000038,
	0x00000000, 0x00000000, 0x00000000, 0x00000000,
	0x00000000, 0x00000000, 0x01000000, 0x00000000,
};

static void test_read_cpu_info_as_qemu(void **state)
{
	(void)state;
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_CPU_INFO, 4096), SCCB);
	assert_words(SCCB, qemu_cpu_info, ARRAY_SIZE(qemu_cpu_info));
	assert_int_equal(get_be32(mem + SCCB + 0x38), 0);
	/* 24 + 16 per possible CPU. */
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_CPU_INFO, 87), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
	assert_int_equal(get_be16(mem + SCCB + 8), 0);
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_CPU_INFO, 88), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_NORMAL_READ);
}

static void test_configure_io_adapter(void **state)
{
	(void)state;
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_CONFIGURE_IOA, 16), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_ADAPTER_TYPE);
	assert_cc0_done(servc(SCCB, SCLP_CMD_DECONFIGURE_IOA, 15), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
}

static void test_busy_until_delivered(void **state)
{
	struct sclp_result r;

	(void)state;
	reinit();
	put_be16(mem + SCCB, 4096);
	sclp_servc(s, mem, MEM_SIZE, SCCB, SCLP_CMD_READ_SCP_INFO, 0, false,
		   &r);
	assert_cc0_done(r, SCCB);
	assert_true(sclp_busy(s));

	/* A second request is refused with CC 2 and nothing written. */
	memset(mem + 0x30000, 0, 16);
	put_be16(mem + 0x30000, 4096);
	sclp_servc(s, mem, MEM_SIZE, 0x30000, SCLP_CMD_READ_SCP_INFO, 0,
		   false, &r);
	assert_int_equal(r.action, SCLP_SET_CC);
	assert_int_equal(r.cc, 2);
	assert_false(r.raise);
	assert_int_equal(rc_at(0x30000), 0);

	/* Program exceptions still come first. */
	sclp_servc(s, mem, MEM_SIZE, 0x30004, SCLP_CMD_READ_SCP_INFO, 0,
		   false, &r);
	assert_int_equal(r.action, SCLP_PROGRAM);
	assert_int_equal(r.pgm_code, SCLP_PGM_SPECIFICATION);
	sclp_servc(s, mem, MEM_SIZE, 0x30000, SCLP_CMD_READ_SCP_INFO, 0,
		   true, &r);
	assert_int_equal(r.pgm_code, SCLP_PGM_PRIVILEGED);
	assert_true(sclp_busy(s));

	sclp_signal_delivered(s);
	assert_false(sclp_busy(s));
	sclp_servc(s, mem, MEM_SIZE, 0x30000, SCLP_CMD_READ_SCP_INFO, 0,
		   false, &r);
	assert_cc0_done(r, 0x30000);
	assert_int_equal(rc_at(0x30000), SCLP_RC_NORMAL_READ);

	/* A reset forgets the request in flight. */
	sclp_reset(s);
	assert_false(sclp_busy(s));
}

static void test_config_checked(void **state)
{
	struct sclp_config c;

	(void)state;
	sclp_config_default(&c, 1u << 20, 1, 1);
	assert_int_equal(sclp_init(s, &c, NULL, NULL), 0);
	c.mem_size = (1u << 20) - 1;
	assert_int_equal(sclp_init(s, &c, NULL, NULL), -EINVAL);
	sclp_config_default(&c, 1u << 20, 2, 1);
	assert_int_equal(sclp_init(s, &c, NULL, NULL), -EINVAL);
	sclp_config_default(&c, 1u << 20, 1, SCLP_MAX_CPUS + 1);
	assert_int_equal(sclp_init(s, &c, NULL, NULL), -EINVAL);
	sclp_config_default(&c, 1u << 20, 2, 4);
	c.cpu_addr[1] = 0;			/* twice */
	assert_int_equal(sclp_init(s, &c, NULL, NULL), -EINVAL);
	c.cpu_addr[1] = 4;			/* beyond max_cpus */
	assert_int_equal(sclp_init(s, &c, NULL, NULL), -EINVAL);
	/* QEMU's limit shows: 248 possible CPUs need more than 4 KiB. */
	sclp_config_default(&cfg, 1u << 20, SCLP_MAX_CPUS, SCLP_MAX_CPUS);
	reinit();
	assert_cc0_done(servc(SCCB, SCLP_CMD_READ_SCP_INFO, 4096), SCCB);
	assert_int_equal(rc_at(SCCB), SCLP_RC_INSUFFICIENT_LENGTH);
	sclp_config_default(&cfg, 128u << 20, 2, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_problem_state_is_privileged_operation),
		cmocka_unit_test(test_sccb_address_checks),
		cmocka_unit_test(test_sccb_length_checks),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_boundary_violation),
		cmocka_unit_test(test_read_scp_info_as_qemu),
		cmocka_unit_test(test_read_scp_info_cpu_list),
		cmocka_unit_test(test_read_scp_info_memory_sizes),
		cmocka_unit_test(test_read_scp_info_insufficient_length),
		cmocka_unit_test(test_read_scp_info_extended_length),
		cmocka_unit_test(test_read_cpu_info_as_qemu),
		cmocka_unit_test(test_configure_io_adapter),
		cmocka_unit_test(test_busy_until_delivered),
		cmocka_unit_test(test_config_checked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
