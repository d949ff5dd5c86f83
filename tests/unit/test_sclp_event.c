// SPDX-License-Identifier: MIT
/*
 * The SCLP event facility: event masks, VT220 and line-mode output
 * through the callback, console input through READ EVENT DATA, and the
 * migration state with its rejection of malformed input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "sclp.h"

#define MEM_SIZE	(1u << 20)
#define SCCB		0x22000u

static uint8_t *mem;
static struct sclp *s;
static struct sclp_config cfg;
static char out[8192];
static size_t out_len;
static int out_ret;

static int output(void *opaque, const char *buf, size_t len)
{
	assert_ptr_equal(opaque, &out_len);
	assert_true(out_len + len <= sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
	return out_ret;
}

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, MEM_SIZE);
	s = calloc(1, sizeof(*s));
	return mem && s ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	free(s);
	return 0;
}

static void init_with(bool vt220, bool line_mode)
{
	sclp_config_default(&cfg, MEM_SIZE, 1, 1);
	cfg.vt220 = vt220;
	cfg.line_mode = line_mode;
	assert_int_equal(sclp_init(s, &cfg, output, &out_len), 0);
	memset(mem, 0, MEM_SIZE);
	out_len = 0;
	out_ret = 0;
}

/* Run one command on the SCCB at SCCB; returns the service-signal param. */
static uint32_t run(uint32_t cmd)
{
	struct sclp_result r;

	sclp_servc(s, mem, MEM_SIZE, SCCB, cmd, 0, false, &r);
	assert_int_equal(r.action, SCLP_SET_CC);
	assert_int_equal(r.cc, 0);
	assert_true(r.raise);
	sclp_signal_delivered(s);
	return r.param;
}

static uint16_t rc(void)
{
	return get_be16(mem + SCCB + 6);
}

/* WRITE EVENT MASK with 4-byte masks; returns the response code. */
static uint16_t set_masks(uint32_t cp_receive, uint32_t cp_send)
{
	memset(mem + SCCB, 0, 28);
	put_be16(mem + SCCB, 28);
	put_be16(mem + SCCB + 10, 4);
	put_be32(mem + SCCB + 12, cp_receive);
	put_be32(mem + SCCB + 16, cp_send);
	run(SCLP_CMD_WRITE_EVENT_MASK);
	return rc();
}

static void test_write_event_mask_as_qemu(void **state)
{
	(void)state;
	/* The console QEMU 7.2 gives -nographic (docs/guest-abi.md). */
	init_with(true, false);
	assert_int_equal(set_masks(0, 0x40), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be16(mem + SCCB), 28);
	assert_int_equal(get_be32(mem + SCCB + 12), 0);
	assert_int_equal(get_be32(mem + SCCB + 16), 0x40);
	assert_int_equal(get_be32(mem + SCCB + 20), 0x00000040);
	assert_int_equal(get_be32(mem + SCCB + 24), 0x10000048);
	/* QEMU 7.2 -nodefaults, measured: no console at all. */
	init_with(false, false);
	assert_int_equal(set_masks(0x40000040, 0x40), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be32(mem + SCCB + 12), 0x40000040);
	assert_int_equal(get_be32(mem + SCCB + 20), 0);
	assert_int_equal(get_be32(mem + SCCB + 24), 0x10000008);
	/* Both consoles. */
	init_with(true, true);
	assert_int_equal(set_masks(0, 0), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be32(mem + SCCB + 20), 0x40800040);
	assert_int_equal(get_be32(mem + SCCB + 24), 0x90800048);
}

static void test_write_event_mask_lengths(void **state)
{
	uint8_t *m = mem + SCCB + 12;

	(void)state;
	init_with(true, true);
	/* Length 0 and above 1021: 0x74f0, nothing else changes. */
	put_be16(mem + SCCB, 4096);
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_INVALID_MASK_LENGTH);
	put_be16(mem + SCCB + 10, 1022);
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_INVALID_MASK_LENGTH);
	/* Four masks must fit in the SCCB. */
	put_be16(mem + SCCB, 12 + 4 * 8 - 1);
	put_be16(mem + SCCB + 10, 8);
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_INSUFFICIENT_LENGTH);
	/* 8-byte masks. */
	memset(m, 0, 32);
	put_be16(mem + SCCB, 12 + 4 * 8);
	m[0] = 0x40;
	m[7] = 0xff;
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be64(m + 16), 0x4080004000000000ULL);
	assert_int_equal(get_be64(m + 24), 0x9080004800000000ULL);
	assert_int_equal(s->receive_mask, 0x40000000000000ffULL);
	/* 1-byte masks: the rest of the host masks is cut off. */
	memset(m, 0, 32);
	put_be16(mem + SCCB, 16);
	put_be16(mem + SCCB + 10, 1);
	m[0] = 0x80;
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(m[2], 0x40);
	assert_int_equal(m[3], 0x90);
	assert_int_equal(m[4], 0);
	assert_int_equal(s->receive_mask, 0x8000000000000000ULL);
	/* 1021 bytes, the most there is: zeroes after the 8th byte. */
	memset(mem + SCCB, 0xff, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = 0;
	memset(mem + SCCB + 3, 0, 5);
	put_be16(mem + SCCB + 10, 1021);
	run(SCLP_CMD_WRITE_EVENT_MASK);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(s->receive_mask, ~0ULL);
	assert_int_equal(get_be64(m + 2 * 1021), 0x4080004000000000ULL);
	assert_int_equal(m[2 * 1021 + 8], 0);
	assert_int_equal(m[2 * 1021 + 1020], 0);
	assert_int_equal(get_be64(m + 3 * 1021), 0x9080004800000000ULL);
	assert_int_equal(m[4 * 1021 - 1], 0);
	assert_int_equal(s->mask_length, 1021);
}

/* One WRITE EVENT DATA with the event buffers in `ebs` (n bytes). */
static uint32_t write_data(const uint8_t *ebs, size_t n)
{
	memset(mem + SCCB, 0, 8);
	put_be16(mem + SCCB, (uint16_t)(8 + n));
	memcpy(mem + SCCB + 8, ebs, n);
	return run(SCLP_CMD_WRITE_EVENT_DATA);
}

static size_t vt220_buf(uint8_t *p, const char *text)
{
	size_t n = strlen(text);

	memset(p, 0, 6);
	put_be16(p, (uint16_t)(6 + n));
	p[2] = SCLP_EV_VT220;
	memcpy(p + 6, text, n);
	return 6 + n;
}

static void test_vt220_output(void **state)
{
	uint8_t ebs[256];
	size_t n;

	(void)state;
	init_with(true, false);
	n = vt220_buf(ebs, "hello\n");
	n += vt220_buf(ebs + n, "");
	n += vt220_buf(ebs + n, "world");
	assert_int_equal(write_data(ebs, n), SCCB);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(out_len, 11);
	assert_memory_equal(out, "hello\nworld", 11);
	assert_int_equal(mem[SCCB + 8 + 3], 0x80);
	assert_int_equal(mem[SCCB + 8 + 12 + 3], 0x80);
	assert_int_equal(mem[SCCB + 8 + 18 + 3], 0x80);
	assert_int_equal(get_be16(mem + SCCB), 8 + n);
	/* No buffers at all: normal completion. */
	assert_int_equal(write_data(ebs, 0), SCCB);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	/* Function code other than 0. */
	n = vt220_buf(ebs, "x");
	put_be16(mem + SCCB, (uint16_t)(8 + n));
	mem[SCCB + 2] = 1;
	run(SCLP_CMD_WRITE_EVENT_DATA);
	assert_int_equal(rc(), SCLP_RC_INVALID_FUNCTION);
	assert_int_equal(out_len, 11);
}

static void test_vt220_output_error(void **state)
{
	uint8_t ebs[64];
	size_t n;

	(void)state;
	init_with(true, false);
	out_ret = -5;
	n = vt220_buf(ebs, "ab");
	n += vt220_buf(ebs + n, "cd");
	ebs[8 + 3] = 0x80;		/* the guest's flag: cleared */
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_EQUIPMENT_CHECK);
	assert_int_equal(mem[SCCB + 8 + 3], 0);
	assert_int_equal(mem[SCCB + 16 + 3], 0);
	assert_int_equal(out_len, 2);		/* the second was not tried */
}

static void test_write_event_data_syntax(void **state)
{
	uint8_t ebs[64];
	size_t n;

	(void)state;
	init_with(true, false);
	/* A buffer shorter than its header. */
	n = vt220_buf(ebs, "ab");
	put_be16(ebs, 5);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_EVENT_SYNTAX);
	/* Longer than what is left. */
	put_be16(ebs, (uint16_t)(n + 1));
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_EVENT_SYNTAX);
	/* Leftover bytes after the last buffer, 1 to 5 of them. */
	for (unsigned int extra = 1; extra < 6; extra++) {
		n = vt220_buf(ebs, "ab");
		memset(ebs + n, 0, extra);
		write_data(ebs, n + extra);
		assert_int_equal(rc(), SCLP_RC_EVENT_SYNTAX);
	}
	/* Nothing was written, nothing accepted. */
	assert_int_equal(out_len, 0);
	assert_int_equal(mem[SCCB + 8 + 3], 0);
}

static void test_write_event_data_unknown_type(void **state)
{
	uint8_t ebs[64];
	size_t n;

	(void)state;
	init_with(true, false);
	n = vt220_buf(ebs, "ok");
	n += vt220_buf(ebs + n, "no");
	ebs[8 + 2] = 0x55;
	n += vt220_buf(ebs + n, "late");
	ebs[n - 10 + 3] = 0x80;
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INVALID_FUNCTION);
	assert_memory_equal(out, "ok", 2);
	assert_int_equal(out_len, 2);
	assert_int_equal(mem[SCCB + 8 + 3], 0x80);
	assert_int_equal(mem[SCCB + 16 + 3], 0);
	assert_int_equal(mem[SCCB + 24 + 3], 0);	/* trailing: cleared */
	/* Without a VT220 console the type is unknown too. */
	init_with(false, true);
	n = vt220_buf(ebs, "x");
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INVALID_FUNCTION);
	assert_int_equal(out_len, 0);
}

/* EBCDIC for the few characters used here. */
static uint8_t ebcdic(char c)
{
	if (c >= 'A' && c <= 'I')
		return (uint8_t)(0xc1 + c - 'A');
	if (c >= 'J' && c <= 'R')
		return (uint8_t)(0xd1 + c - 'J');
	if (c >= 'S' && c <= 'Z')
		return (uint8_t)(0xe2 + c - 'S');
	if (c >= 'a' && c <= 'i')
		return (uint8_t)(0x81 + c - 'a');
	if (c >= 'j' && c <= 'r')
		return (uint8_t)(0x91 + c - 'j');
	if (c >= 's' && c <= 'z')
		return (uint8_t)(0xa2 + c - 's');
	if (c >= '0' && c <= '9')
		return (uint8_t)(0xf0 + c - '0');
	if (c == ' ')
		return 0x40;
	if (c == '!')
		return 0x4f;	/* QEMU's table: 0x5a is ']' */
	if (c == '[')
		return 0x4a;
	if (c == ']')
		return 0x5a;
	if (c == '{')
		return 0xc0;
	if (c == '}')
		return 0xd0;
	return 0x6f;	/* '?' */
}

static size_t mto(uint8_t *p, const char *text)
{
	size_t n = strlen(text);

	memset(p, 0, 10);
	put_be16(p, (uint16_t)(10 + n));
	put_be16(p + 2, 4);
	put_be16(p + 4, 0x1000);
	for (size_t i = 0; i < n; i++)
		p[10 + i] = ebcdic(text[i]);
	return 10 + n;
}

/* Event header, MDB header, a GO, then the MTOs; returns the length. */
static size_t message(uint8_t *p, uint8_t type, const char *l1,
		      const char *l2, const char *l3)
{
	size_t n = 6 + 12;

	memset(p, 0, 6 + 12 + 56);
	p[2] = type;
	put_be16(p + 8, 1);
	put_be32(p + 10, 0xd4c4c240);
	put_be32(p + 14, 1);
	put_be16(p + n, 56);
	put_be16(p + n + 2, 1);
	n += 56;
	n += mto(p + n, l1);
	if (l2)
		n += mto(p + n, l2);
	if (l3)
		n += mto(p + n, l3);
	put_be16(p, (uint16_t)n);
	put_be16(p + 6, (uint16_t)(n - 6));
	return n;
}

static void test_line_mode_output(void **state)
{
	uint8_t ebs[512];
	size_t n;

	(void)state;
	init_with(true, true);
	n = message(ebs, SCLP_EV_MESSAGE, "Hello World!", "line 2", NULL);
	ebs[3] = 0x7f;			/* flags are replaced, not or-ed */
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(mem[SCCB + 8 + 3], 0x80);
	assert_int_equal(out_len, 20);
	assert_memory_equal(out, "\nHello World!\nline 2", 20);
	/* Priority message command (0x09) prints the same way. */
	out_len = 0;
	n = message(ebs, SCLP_EV_PRIORITY_MSG_CMD, "x9", NULL, NULL);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, "\nx9", 3);
	/* An MTO with no text, or shorter than its fixed part: a newline. */
	out_len = 0;
	n = message(ebs, SCLP_EV_MESSAGE, "", NULL, NULL);
	write_data(ebs, n);
	assert_int_equal(out_len, 1);
	/* Write errors are ignored by line mode. */
	out_len = 0;
	out_ret = -1;
	n = message(ebs, SCLP_EV_MESSAGE, "a", NULL, NULL);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(mem[SCCB + 8 + 3], 0x80);
}

/* The WRITE EVENT DATA run on QEMU 7.2 with both consoles (docs/sclp.md). */
static void test_console_output_as_qemu(void **state)
{
	static const char want[] = "\nHello World!\nline 2\n\nx9 [] {}vt!";
	uint8_t ebs[512];
	size_t n;

	(void)state;
	init_with(true, true);
	n = message(ebs, SCLP_EV_MESSAGE, "Hello World!", "line 2", "");
	n += message(ebs + n, SCLP_EV_PRIORITY_MSG_CMD, "x9 [] {}", NULL, NULL);
	n += vt220_buf(ebs + n, "vt!");
	assert_int_equal(n, 231 - 8);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(out_len, sizeof(want) - 1);
	assert_memory_equal(out, want, sizeof(want) - 1);
	/* As QEMU left them: flags 0x80 in each of the three buffers. */
	assert_int_equal(get_be32(mem + SCCB + 8), 0x007a0280);
	assert_int_equal(get_be32(mem + SCCB + 8 + 0x7a), 0x005c0980);
	assert_int_equal(get_be32(mem + SCCB + 8 + 0x7a + 0x5c), 0x00091a80);
}

/*
 * All 256 EBCDIC codes in one MTO: QEMU 7.2 printed 257 bytes with this
 * FNV-1a hash.
 */
static void test_line_mode_conversion_table(void **state)
{
	uint8_t ebs[512];
	uint32_t h = 0x811c9dc5;
	size_t n;

	(void)state;
	init_with(true, true);
	n = message(ebs, SCLP_EV_MESSAGE, "", NULL, NULL);
	for (unsigned int i = 0; i < 256; i++)
		ebs[n + i] = (uint8_t)i;
	put_be16(ebs + n - 10, 10 + 256);
	n += 256;
	put_be16(ebs, (uint16_t)n);
	put_be16(ebs + 6, (uint16_t)(n - 6));
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(out_len, 257);
	for (size_t i = 0; i < out_len; i++)
		h = (h ^ (uint8_t)out[i]) * 0x01000193;
	assert_int_equal(h, 0x75860f6c);
	assert_int_equal(out[1 + 0xc1], 'A');
	assert_int_equal(out[1 + 0x4f], '!');
	assert_int_equal(out[1 + 0x5a], ']');
}

static void test_line_mode_inconsistent(void **state)
{
	uint8_t ebs[512];
	size_t n;

	(void)state;
	init_with(true, true);
	/* MDB length below its header. */
	n = message(ebs, SCLP_EV_MESSAGE, "a", NULL, NULL);
	put_be16(ebs + 6, 11);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INCONSISTENT_LENGTHS);
	/* MDB longer than the event buffer. */
	put_be16(ebs + 6, (uint16_t)(n - 5));
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INCONSISTENT_LENGTHS);
	/* An object longer than the MDB, and one of length 0. */
	n = message(ebs, SCLP_EV_MESSAGE, "a", NULL, NULL);
	put_be16(ebs + 18, 57 + 11 + 1);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INCONSISTENT_LENGTHS);
	put_be16(ebs + 18, 0);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INCONSISTENT_LENGTHS);
	/* An event buffer with no room for an MDB length. */
	memset(ebs, 0, 8);
	put_be16(ebs, 7);
	ebs[2] = SCLP_EV_MESSAGE;
	write_data(ebs, 7);
	assert_int_equal(rc(), SCLP_RC_INCONSISTENT_LENGTHS);
	assert_int_equal(out_len, 0);
	/* Line mode absent: the type is unknown. */
	init_with(true, false);
	n = message(ebs, SCLP_EV_MESSAGE, "a", NULL, NULL);
	write_data(ebs, n);
	assert_int_equal(rc(), SCLP_RC_INVALID_FUNCTION);
}

static uint32_t read_data(uint8_t fc, uint8_t control)
{
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = fc;
	mem[SCCB + 5] = control;
	return run(SCLP_CMD_READ_EVENT_DATA);
}

static void test_read_event_data_empty(void **state)
{
	(void)state;
	init_with(true, false);
	/* As measured on QEMU 7.2: length 8, bit cleared, 0x60f0. */
	read_data(0, 0x80);
	assert_int_equal(get_be32(mem + SCCB), 0x00080000);
	assert_int_equal(get_be32(mem + SCCB + 4), 0x000060f0);
	read_data(0, 0);
	assert_int_equal(get_be16(mem + SCCB), 4096);
	assert_int_equal(rc(), SCLP_RC_NO_EVENT_BUFFERS);
	/* Only a full 4 KiB SCCB. */
	memset(mem + SCCB, 0, 8);
	put_be16(mem + SCCB, 4088);
	run(SCLP_CMD_READ_EVENT_DATA);
	assert_int_equal(rc(), SCLP_RC_INSUFFICIENT_LENGTH);
	/* Function codes 0 and 1 only. */
	read_data(2, 0);
	assert_int_equal(rc(), SCLP_RC_INVALID_FUNCTION);
	/* Selective read without a receive mask. */
	read_data(1, 0);
	assert_int_equal(rc(), SCLP_RC_INVALID_SELECTION);
}

static void test_console_input(void **state)
{
	struct sclp_result r;

	(void)state;
	init_with(true, false);
	/* Input before the guest asks for it: kept, no signal. */
	assert_int_equal(sclp_console_input(s, "ls", 2, &r), 2);
	assert_false(r.raise);
	assert_false(sclp_event_pending(s));
	/* The mask makes it pending, and the completion says so. */
	assert_int_equal(set_masks(0x40, 0x40), SCLP_RC_NORMAL_COMPLETION);
	assert_true(sclp_event_pending(s));
	memset(mem + SCCB, 0, 16);
	put_be16(mem + SCCB, 16);
	assert_int_equal(run(0x00ff0001), SCCB | 1);
	/* More input now raises an event-only service signal. */
	assert_int_equal(sclp_console_input(s, "\n", 1, &r), 1);
	assert_true(r.raise);
	assert_int_equal(r.param, SCLP_PARAM_EVENT_PENDING);
	assert_false(sclp_busy(s));
	/*
	 * READ EVENT DATA: 0x00 and the characters. QEMU 7.2 wrote these
	 * 20 bytes for "ls\n" typed into its VT220 console, the flags byte
	 * or-ed into what the guest had there (0x01).
	 */
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 5] = 0x80;
	mem[SCCB + 11] = 0x01;
	assert_int_equal(run(SCLP_CMD_READ_EVENT_DATA), SCCB);
	assert_memory_equal(mem + SCCB,
			    "\x00\x12\x00\x00\x00\x00\x00\x20"
			    "\x00\x0a\x1a\x81\x00\x00\x00ls\n\x00\x00", 20);
	assert_false(sclp_event_pending(s));
	/* Drained. */
	read_data(0, 0);
	assert_int_equal(rc(), SCLP_RC_NO_EVENT_BUFFERS);
}

static void test_console_input_selective(void **state)
{
	struct sclp_result r;

	(void)state;
	init_with(true, true);
	assert_int_equal(set_masks(0x80000040, 0x40), SCLP_RC_NORMAL_COMPLETION);
	sclp_console_input(s, "abc", 3, &r);
	assert_true(r.raise);
	/* A selection outside the receive mask. */
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = 1;
	put_be32(mem + SCCB + 8, 0x40000040);
	run(SCLP_CMD_READ_EVENT_DATA);
	assert_int_equal(rc(), SCLP_RC_INVALID_SELECTION);
	/* Selecting line mode only: nothing there. */
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = 1;
	put_be32(mem + SCCB + 8, 0x80000000);
	run(SCLP_CMD_READ_EVENT_DATA);
	assert_int_equal(rc(), SCLP_RC_NO_EVENT_BUFFERS);
	assert_true(sclp_event_pending(s));
	/* Selecting VT220. */
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = 1;
	put_be32(mem + SCCB + 8, 0x00000040);
	assert_int_equal(run(SCLP_CMD_READ_EVENT_DATA), SCCB);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_memory_equal(mem + SCCB + 14, "\0abc", 4);
	/* Without the receive bit the input waits. */
	assert_int_equal(set_masks(0x80000000, 0), SCLP_RC_NORMAL_COMPLETION);
	sclp_console_input(s, "z", 1, &r);
	assert_false(r.raise);
	read_data(0, 0);
	assert_int_equal(rc(), SCLP_RC_NO_EVENT_BUFFERS);
}

static void test_console_input_full(void **state)
{
	static uint8_t big[5000];
	struct sclp_result r;

	(void)state;
	init_with(true, false);
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)('a' + i % 26);
	assert_int_equal(sclp_console_input(s, big, sizeof(big), &r),
			 SCLP_VT220_BUF);
	assert_int_equal(sclp_console_input(s, big, 1, &r), 0);
	assert_false(r.raise);
	set_masks(0x40, 0x40);
	read_data(0, 0x80);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be16(mem + SCCB), 8 + 6 + 1 + SCLP_VT220_BUF);
	assert_memory_equal(mem + SCCB + 15, big, SCLP_VT220_BUF);
	/* No console: no input taken. */
	init_with(false, true);
	assert_int_equal(sclp_console_input(s, big, 1, &r), 0);
}

static void test_signal_quiesce(void **state)
{
	struct sclp_result r;
	uint8_t buf[SCLP_STATE_MAX];
	ssize_t n;

	(void)state;
	init_with(true, false);
	/* Not announced while the guest does not take the type. */
	sclp_request_quiesce(s, &r);
	assert_false(r.raise);
	assert_false(sclp_event_pending(s));
	read_data(0, 0);
	assert_int_equal(rc(), SCLP_RC_NO_EVENT_BUFFERS);
	/* It survives a migration. */
	n = sclp_save(s, buf, sizeof(buf));
	assert_int_equal(get_be16(buf + 6), 2);
	init_with(true, false);
	assert_int_equal(sclp_load(s, buf, (size_t)n), 0);
	/* Taken with the console: the completion says an event waits. */
	assert_int_equal(set_masks(0x48, 0x40), SCLP_RC_NORMAL_COMPLETION);
	assert_true(sclp_event_pending(s));
	sclp_console_input(s, "q", 1, &r);
	assert_true(r.raise);
	assert_int_equal(r.param, SCLP_PARAM_EVENT_PENDING);
	/* Console first, then the quiesce buffer. */
	assert_int_equal(read_data(0, 0x80), SCCB);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(get_be16(mem + SCCB), 8 + 8 + 9);
	assert_memory_equal(mem + SCCB + 8,
			    "\x00\x08\x1a\x80\x00\x00\x00q"
			    "\x00\x09\x1d\x80\x00\x00\x00\x00\x00", 17);
	assert_false(sclp_event_pending(s));
	/* A selective read of the quiesce type alone. */
	sclp_request_quiesce(s, &r);
	assert_true(r.raise);
	memset(mem + SCCB, 0, 4096);
	put_be16(mem + SCCB, 4096);
	mem[SCCB + 2] = 1;
	put_be32(mem + SCCB + 8, 0x00000008);
	assert_int_equal(run(SCLP_CMD_READ_EVENT_DATA), SCCB);
	assert_int_equal(rc(), SCLP_RC_NORMAL_COMPLETION);
	assert_int_equal(mem[SCCB + 10], SCLP_EV_SIGNAL_QUIESCE);
	/* A reset drops it. */
	sclp_request_quiesce(s, &r);
	sclp_reset(s);
	assert_false(s->quiesce);
}

/* The state of a busy SCLP with masks and input. */
static ssize_t busy_state(uint8_t *buf, size_t size)
{
	struct sclp_result r;

	init_with(true, false);
	set_masks(0x40, 0x40);
	sclp_console_input(s, "input", 5, &r);
	memset(mem + SCCB, 0, 16);
	put_be16(mem + SCCB, 16);
	sclp_servc(s, mem, MEM_SIZE, SCCB, SCLP_CMD_WRITE_EVENT_MASK, 0,
		   false, &r);
	assert_true(sclp_busy(s));
	return sclp_save(s, buf, size);
}

static void test_state_round_trip(void **state)
{
	static const uint8_t want[] = {
		'S', 'C', 'L', 'P', 0, 1, 0, 1,
		0x00, 0x02, 0x20, 0x01, 0, 4, 0, 5,
		0x00, 0x00, 0x00, 0x40, 0, 0, 0, 0,
		'i', 'n', 'p', 'u', 't',
	};
	uint8_t buf[SCLP_STATE_MAX], again[SCLP_STATE_MAX];
	ssize_t n;

	(void)state;
	n = busy_state(buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(sclp_save(s, buf, (size_t)n - 1), -ENOSPC);

	init_with(true, false);
	assert_int_equal(sclp_load(s, buf, (size_t)n), 0);
	assert_true(sclp_busy(s));
	assert_true(sclp_event_pending(s));
	assert_int_equal(sclp_save(s, again, sizeof(again)), n);
	assert_memory_equal(again, buf, (size_t)n);

	/* The restored SCLP goes on where the old one was. */
	sclp_signal_delivered(s);
	read_data(0, 0);
	assert_memory_equal(mem + SCCB + 14, "\0input", 6);

	/* A fresh one saves as the reset state. */
	init_with(false, false);
	assert_int_equal(sclp_save(s, buf, sizeof(buf)), SCLP_STATE_HDR);
	assert_int_equal(get_be16(buf + 6), 0);
	assert_int_equal(get_be32(buf + 8), 0);
	assert_int_equal(get_be16(buf + 12), 4);
}

static void test_state_rejected(void **state)
{
	static const struct {
		unsigned int off;
		uint8_t val;
	} bad[] = {
		{ 0, 'X' },		/* magic */
		{ 3, 'Q' },
		{ 5, 2 },		/* version */
		{ 4, 1 },
		{ 7, 5 },		/* unknown flag */
		{ 6, 0x80 },
		{ 11, 0x03 },		/* param bit 2 */
		{ 11, 0x05 },		/* param address unaligned */
		{ 8, 0x80 },		/* param address from 2 GiB */
		{ 13, 0 },		/* mask length 0 */
		{ 12, 4 },		/* mask length 1028 */
		{ 15, 4 },		/* input length vs buffer length */
		{ 15, 6 },
		{ 14, 0x10 },		/* input length above the buffer */
	};
	uint8_t good[SCLP_STATE_MAX], buf[SCLP_STATE_MAX], after[SCLP_STATE_MAX];
	ssize_t n, m;

	(void)state;
	n = busy_state(good, sizeof(good));
	assert_true(n > 0);

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(buf, good, (size_t)n);
		buf[bad[i].off] = bad[i].val;
		init_with(true, false);
		assert_int_equal(sclp_load(s, buf, (size_t)n), -EINVAL);
		/* Untouched: still the reset state. */
		m = sclp_save(s, after, sizeof(after));
		assert_int_equal(m, SCLP_STATE_HDR);
		assert_int_equal(get_be16(after + 12), 4);
	}
	/* Every truncation, and a byte too many. */
	for (size_t len = 0; len < (size_t)n; len++)
		assert_int_equal(sclp_load(s, good, len), -EINVAL);
	memcpy(buf, good, (size_t)n);
	buf[n] = 0;
	assert_int_equal(sclp_load(s, buf, (size_t)n + 1), -EINVAL);
	/* A parameter address in the lowcore. */
	memcpy(buf, good, (size_t)n);
	put_be32(buf + 8, 0x1001);
	assert_int_equal(sclp_load(s, buf, (size_t)n), -EINVAL);
	/* Not busy but a parameter. */
	memcpy(buf, good, (size_t)n);
	buf[7] = 0;
	assert_int_equal(sclp_load(s, buf, (size_t)n), -EINVAL);
	/* Busy without one. */
	memcpy(buf, good, (size_t)n);
	memset(buf + 8, 0, 4);
	assert_int_equal(sclp_load(s, buf, (size_t)n), -EINVAL);
	/* Input for a machine without a VT220 console. */
	init_with(false, false);
	assert_int_equal(sclp_load(s, good, (size_t)n), -EINVAL);
	/* And the good one still loads. */
	init_with(true, false);
	assert_int_equal(sclp_load(s, good, (size_t)n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_event_mask_as_qemu),
		cmocka_unit_test(test_write_event_mask_lengths),
		cmocka_unit_test(test_vt220_output),
		cmocka_unit_test(test_vt220_output_error),
		cmocka_unit_test(test_write_event_data_syntax),
		cmocka_unit_test(test_write_event_data_unknown_type),
		cmocka_unit_test(test_line_mode_output),
		cmocka_unit_test(test_console_output_as_qemu),
		cmocka_unit_test(test_line_mode_conversion_table),
		cmocka_unit_test(test_line_mode_inconsistent),
		cmocka_unit_test(test_read_event_data_empty),
		cmocka_unit_test(test_console_input),
		cmocka_unit_test(test_console_input_selective),
		cmocka_unit_test(test_console_input_full),
		cmocka_unit_test(test_signal_quiesce),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_rejected),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
