// SPDX-License-Identifier: MIT
/*
 * CRC32C for the migration stream.
 *
 * Written here rather than taken from a library: Debian ships none that
 * links statically under musl (zlib has CRC-32 only; the CRC32C code in
 * iSCSI, btrfs and SCTP tools is not packaged as a library).
 *
 * Two implementations with one result:
 *   - x86-64 with SSE4.2: the crc32 instruction, 8 bytes at a time on
 *     three independent streams (the instruction has a latency of about 3
 *     cycles and a throughput of 1), joined by multiplying the earlier
 *     streams' CRCs by x^(8 * block length) modulo the polynomial (a
 *     4 x 256 table per block size). SSE4.2 is asked of cpuid directly:
 *     __builtin_cpu_supports() relies on libgcc's constructor, which a
 *     clang object linked by musl-gcc does not promise.
 *   - everything else (s390x, older x86): slicing-by-8 over tables built
 *     on first use; bytes are combined explicitly, so it is the same on
 *     either byte order.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "crc32c.h"

#define POLY 0x82F63B78u	/* Castagnoli, bit-reflected */

static uint32_t table[8][256];
static int have_hw;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#if defined(__x86_64__)
#include <cpuid.h>
#include <nmmintrin.h>

/*
 * GF(2) polynomials modulo POLY in the reflected representation: bit 31
 * is x^0. a * b mod POLY (zlib's multmodp).
 */
static uint32_t multmodp(uint32_t a, uint32_t b)
{
	uint32_t m = 1u << 31, p = 0;

	for (;;) {
		if (a & m) {
			p ^= b;
			if ((a & (m - 1)) == 0)
				break;
		}
		m >>= 1;
		b = b & 1 ? (b >> 1) ^ POLY : b >> 1;
	}
	return p;
}

/* x^(8 * n) mod POLY: the operator that appends n zero bytes. */
static uint32_t x8nmodp(size_t n)
{
	uint32_t p = 1u << 31, sq = 1u << 23;	/* x^0, and x^8 */

	for (; n; n >>= 1) {
		if (n & 1)
			p = multmodp(sq, p);
		sq = multmodp(sq, sq);
	}
	return p;
}

#define LONG_BLOCK 8192
#define SHORT_BLOCK 256
/* shift_*[k][b] = (b << 8k) * x^(8 * block) mod POLY, one byte at a time */
static uint32_t shift_long[4][256], shift_short[4][256];

static void shift_table(uint32_t t[4][256], size_t block)
{
	uint32_t op = x8nmodp(block);

	for (int k = 0; k < 4; k++)
		for (uint32_t b = 0; b < 256; b++)
			t[k][b] = multmodp(op, b << (8 * k));
}

static inline uint32_t shift(const uint32_t t[4][256], uint32_t c)
{
	return t[0][c & 0xff] ^ t[1][(c >> 8) & 0xff] ^
	       t[2][(c >> 16) & 0xff] ^ t[3][c >> 24];
}

static int cpu_has_sse42(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return !!(c & bit_SSE4_2);
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/*
 * Three streams over [p, p+blk), [p+blk, p+2blk), [p+2blk, p+3blk) in
 * one loop, then crc(a||b||c) = shift(shift(crc_a) ^ crc_b) ^ crc_c for
 * the raw (not inverted) register, because the CRC is linear.
 */
__attribute__((target("sse4.2")))
static uint64_t crc_3way(uint64_t c0, const uint8_t *p, size_t blk,
			 const uint32_t t[4][256])
{
	uint64_t c1 = 0, c2 = 0;
	const uint8_t *end = p + blk;

	for (; p < end; p += 8) {
		c0 = _mm_crc32_u64(c0, load64(p));
		c1 = _mm_crc32_u64(c1, load64(p + blk));
		c2 = _mm_crc32_u64(c2, load64(p + 2 * blk));
	}
	c0 = shift(t, (uint32_t)c0) ^ c1;
	return shift(t, (uint32_t)c0) ^ c2;
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_hw(uint32_t crc, const uint8_t *p, size_t n)
{
	uint64_t c = crc;

	for (; n && ((uintptr_t)p & 7); n--)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	for (; n >= 3 * LONG_BLOCK; n -= 3 * LONG_BLOCK, p += 3 * LONG_BLOCK)
		c = crc_3way(c, p, LONG_BLOCK, shift_long);
	for (; n >= 3 * SHORT_BLOCK; n -= 3 * SHORT_BLOCK, p += 3 * SHORT_BLOCK)
		c = crc_3way(c, p, SHORT_BLOCK, shift_short);
	for (; n >= 8; n -= 8, p += 8)
		c = _mm_crc32_u64(c, load64(p));
	for (; n; n--)
		c = _mm_crc32_u8((uint32_t)c, *p++);
	return (uint32_t)c;
}
#endif

static void crc32c_init(void)
{
	for (unsigned n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ POLY : c >> 1;
		table[0][n] = c;
	}
	for (unsigned n = 0; n < 256; n++)
		for (int k = 1; k < 8; k++)
			table[k][n] = (table[k - 1][n] >> 8) ^
				      table[0][table[k - 1][n] & 0xff];
#if defined(__x86_64__)
	shift_table(shift_long, LONG_BLOCK);
	shift_table(shift_short, SHORT_BLOCK);
	have_hw = cpu_has_sse42();
#endif
}

static uint32_t crc32c_table(uint32_t c, const uint8_t *p, size_t n)
{
	for (; n && ((uintptr_t)p & 7); n--)
		c = (c >> 8) ^ table[0][(c ^ *p++) & 0xff];
	for (; n >= 8; n -= 8, p += 8) {
		uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^
		    table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
		    table[3][p[4]] ^ table[2][p[5]] ^
		    table[1][p[6]] ^ table[0][p[7]];
	}
	for (; n; n--)
		c = (c >> 8) ^ table[0][(c ^ *p++) & 0xff];
	return c;
}

uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&once, crc32c_init);
	return ~crc32c_table(~crc, buf, len);
}

int crc32c_hw_available(void)
{
	pthread_once(&once, crc32c_init);
	return have_hw;
}

uint32_t crc32c(uint32_t crc, const void *buf, size_t len)
{
	pthread_once(&once, crc32c_init);
#if defined(__x86_64__)
	if (have_hw)
		return ~crc32c_hw(~crc, buf, len);
#endif
	return ~crc32c_table(~crc, buf, len);
}
