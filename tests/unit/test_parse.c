// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "parse.h"

static void test_size_accepts_suffixes(void **state)
{
	static const struct {
		const char *text;
		uint64_t value;
	} good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "64k", 64 << 10 },
		{ "128M", 128ULL << 20 }, { "128MiB", 128ULL << 20 },
		{ "1G", 1ULL << 30 }, { "1gb", 1ULL << 30 },
		{ "2T", 2ULL << 40 }, { "18446744073709551615", UINT64_MAX },
	};
	uint64_t v;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(parse_size(good[i].text, &v), 0);
		assert_int_equal(v, good[i].value);
	}
}

static void test_size_rejects_garbage(void **state)
{
	static const char *const bad[] = {
		"", "M", "-1", "+5", "1.5G", "12X", "128 M", " 128M", "128MM",
		"0x100", "1Gx",
	};
	uint64_t v;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(parse_size(bad[i], &v), -EINVAL);
	assert_int_equal(parse_size("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_size("16777216T", &v), -ERANGE);
}

static void test_uint_range(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_uint("1", 1, 64, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_uint("64", 1, 64, &v), 0);
	assert_int_equal(parse_uint("0", 1, 64, &v), -ERANGE);
	assert_int_equal(parse_uint("65", 1, 64, &v), -ERANGE);
	assert_int_equal(parse_uint("4x", 1, 64, &v), -EINVAL);
	assert_int_equal(parse_uint("", 1, 64, &v), -EINVAL);
	assert_int_equal(parse_uint("-3", 1, 64, &v), -EINVAL);
}

static void test_bool(void **state)
{
	bool b;

	(void)state;
	assert_int_equal(parse_bool("yes", &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("OFF", &b), 0);
	assert_false(b);
	assert_int_equal(parse_bool("maybe", &b), -EINVAL);
}

static void test_uuid(void **state)
{
	static const uint8_t want[16] = {
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
		0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21,
	};
	uint8_t u[16];

	(void)state;
	assert_int_equal(parse_uuid("12345678-9abc-DEF0-0fed-cba987654321", u), 0);
	assert_memory_equal(u, want, 16);
	assert_int_equal(parse_uuid("12345678-9abc-def0-0fed-cba98765432", u), -EINVAL);
	assert_int_equal(parse_uuid("123456789abc-def0-0fed-cba987654321-", u), -EINVAL);
	assert_int_equal(parse_uuid("12345678-9abc-def0-0fed-cba98765432g", u), -EINVAL);
	assert_int_equal(parse_uuid("12345678x9abc-def0-0fed-cba987654321", u), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_accepts_suffixes),
		cmocka_unit_test(test_size_rejects_garbage),
		cmocka_unit_test(test_uint_range),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_uuid),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
