// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "crc32c.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint8_t rnd8(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

/* The check value and the iSCSI vectors of RFC 3720, B.4. */
static void test_known_vectors(void **state)
{
	uint8_t buf[32];

	(void)state;
	assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c_sw(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c(0, "", 0), 0);
	assert_int_equal(crc32c(0x12345678, NULL, 0), 0x12345678);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(crc32c(0, buf, 32), 0x8A9136AAu);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(crc32c(0, buf, 32), 0x62A8AB43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(crc32c(0, buf, 32), 0x46DD794Eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(crc32c(0, buf, 32), 0x113FDB5Cu);
}

static void test_chaining(void **state)
{
	uint8_t buf[1000];
	uint32_t whole;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = rnd8();
	whole = crc32c(0, buf, sizeof(buf));
	for (size_t cut = 0; cut <= sizeof(buf); cut++) {
		assert_int_equal(crc32c(crc32c(0, buf, cut), buf + cut, sizeof(buf) - cut), whole);
		assert_int_equal(crc32c_sw(crc32c_sw(0, buf, cut), buf + cut,
					   sizeof(buf) - cut), whole);
	}
}

/* Every length 0..300 at every alignment 0..7: both paths agree. */
static void test_hw_agrees_small(void **state)
{
	uint8_t buf[300 + 8];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = rnd8();
	for (size_t len = 0; len <= 300; len++)
		for (size_t al = 0; al < 8; al++)
			assert_int_equal(crc32c(0x5a5a5a5a, buf + al, len),
					 crc32c_sw(0x5a5a5a5a, buf + al, len));
}

/* Lengths around the three-stream block sizes (3 * 256, 3 * 8192). */
static void test_hw_agrees_large(void **state)
{
	static const size_t lens[] = {
		767, 768, 769, 1535, 1536, 24575, 24576, 24577, 24576 + 768 + 9,
		3 * 24576 + 3 * 768 + 7, 1 << 20, (1 << 20) + 13,
	};
	size_t max = (1 << 20) + 13 + 8;
	uint8_t *buf = malloc(max);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < max; i++)
		buf[i] = rnd8();
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++)
		for (size_t al = 0; al < 8; al += 3)
			assert_int_equal(crc32c(0, buf + al, lens[i]),
					 crc32c_sw(0, buf + al, lens[i]));
	for (int i = 0; i < 50; i++) {
		size_t len = ((size_t)rnd8() << 8 | rnd8()) * 3 + rnd8();

		assert_int_equal(crc32c(7, buf + i % 8, len), crc32c_sw(7, buf + i % 8, len));
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_chaining),
		cmocka_unit_test(test_hw_agrees_small),
		cmocka_unit_test(test_hw_agrees_large),
	};

	return cmocka_run_group_tests_name("crc32c", tests, NULL, NULL);
}
