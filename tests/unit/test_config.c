// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"

static char err[256];

static int set(struct zvmm_config *cfg, const char *section, const char *key,
	       const char *value)
{
	return config_set(cfg, section, key, value, err, sizeof(err));
}

static void test_defaults(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(cfg.mem_size, 128ULL << 20);
	assert_int_equal(cfg.cpus, 1);
	assert_int_equal(cfg.accel, ACCEL_AUTO);
	assert_false(cfg.have_uuid);
	assert_false(cfg.quiet);
}

static void test_memory_values(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(set(&cfg, "machine", "memory", "1G"), 0);
	assert_int_equal(cfg.mem_size, 1ULL << 30);
	assert_int_equal(set(&cfg, "machine", "memory", "1000K"), -EINVAL);
	assert_non_null(strstr(err, "1 MiB"));
	assert_int_equal(set(&cfg, "machine", "memory", "0"), -EINVAL);
	assert_int_equal(set(&cfg, "machine", "memory", "2T"), -ERANGE);
	assert_int_equal(set(&cfg, "machine", "memory", "lots"), -EINVAL);
	assert_int_equal(cfg.mem_size, 1ULL << 30);	/* unchanged */
}

static void test_cpus_and_accel(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(set(&cfg, "machine", "cpus", "64"), 0);
	assert_int_equal(cfg.cpus, 64);
	assert_int_equal(set(&cfg, "machine", "cpus", "248"), 0);
	assert_int_equal(set(&cfg, "machine", "cpus", "249"), -ERANGE);
	assert_int_equal(set(&cfg, "machine", "cpus", "0"), -ERANGE);
	assert_int_equal(set(&cfg, "machine", "accel", "soft"), 0);
	assert_int_equal(cfg.accel, ACCEL_SOFT);
	assert_int_equal(set(&cfg, "machine", "accel", "tcg"), -EINVAL);
	assert_int_equal(cfg.seccomp, 0);	/* auto */
	assert_int_equal(set(&cfg, "machine", "seccomp", "off"), 0);
	assert_int_not_equal(cfg.seccomp, 0);
	assert_int_equal(set(&cfg, "machine", "seccomp", "maybe"), -EINVAL);
}

static void test_strings(void **state)
{
	static char longname[ZVMM_NAME_MAX + 2];
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(set(&cfg, "machine", "name", "demo vm"), 0);
	assert_string_equal(cfg.name, "demo vm");
	memset(longname, 'x', sizeof(longname) - 1);
	assert_int_equal(set(&cfg, "machine", "name", longname), -ERANGE);
	assert_int_equal(set(&cfg, "machine", "name", "tab\there"), -EINVAL);
	assert_int_equal(set(&cfg, "machine", "uuid",
			     "00000000-0000-0000-0000-00000000002a"), 0);
	assert_true(cfg.have_uuid);
	assert_int_equal(cfg.uuid[15], 0x2a);
	assert_int_equal(set(&cfg, "machine", "uuid", "nope"), -EINVAL);
}

static void test_uris_and_trace(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(set(&cfg, "migration", "incoming", "tcp:127.0.0.1:4444"), 0);
	assert_int_equal(set(&cfg, "migration", "incoming", "unix:/tmp/m.sock"), 0);
	assert_int_equal(set(&cfg, "migration", "incoming", "file:snap.zvmm"), 0);
	assert_int_equal(set(&cfg, "migration", "incoming", "tcp:host"), -EINVAL);
	assert_int_equal(set(&cfg, "migration", "incoming", "tcp:host:0"), -EINVAL);
	assert_int_equal(set(&cfg, "migration", "incoming", "ftp:x"), -EINVAL);
	assert_int_equal(set(&cfg, "migration", "incoming", "unix:"), -EINVAL);
	assert_int_equal(set(&cfg, "log", "trace", "sclp,sigp"), 0);
	assert_int_equal(cfg.trace, TRACE_SCLP | TRACE_SIGP);
	assert_int_equal(set(&cfg, "log", "trace", "all"), 0);
	assert_int_equal(cfg.trace, TRACE_ALL);
	assert_int_equal(set(&cfg, "log", "trace", "sclp,bogus"), -EINVAL);
	assert_non_null(strstr(err, "bogus"));
	assert_int_equal(set(&cfg, "log", "trace", "sclp,"), -EINVAL);
	assert_int_equal(set(&cfg, "control", "socket", ""), -EINVAL);
}

static void test_unknown_keys(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(set(&cfg, "machine", "colour", "red"), -ENOENT);
	assert_non_null(strstr(err, "unknown key 'colour'"));
	assert_int_equal(set(&cfg, "gpu", "model", "x"), -ENOENT);
	assert_non_null(strstr(err, "unknown section [gpu]"));
	assert_int_equal(set(&cfg, "", "memory", "1G"), -ENOENT);
}

/* config_load_file() logs its errors on purpose; keep TAP output readable. */
static int load_quietly(struct zvmm_config *cfg, const char *path)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	int ret;

	assert_true(saved >= 0 && null >= 0);
	dup2(null, 2);
	ret = config_load_file(cfg, path);
	dup2(saved, 2);
	close(saved);
	close(null);
	return ret;
}

static int load_text(struct zvmm_config *cfg, const char *text)
{
	char path[] = "/tmp/zvmm-test-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	int ret;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	ret = load_quietly(cfg, path);
	unlink(path);
	return ret;
}

static void test_file_layers(void **state)
{
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(load_text(&cfg,
		"; comment\n[machine]\nmemory = 256M\ncpus = 4\n"
		"name = from-file\n[boot]\nappend = console=ttyS0 quiet\n"
		"[log]\nquiet = yes\n"), 0);
	assert_int_equal(cfg.mem_size, 256ULL << 20);
	assert_int_equal(cfg.cpus, 4);
	assert_string_equal(cfg.name, "from-file");
	assert_string_equal(cfg.append, "console=ttyS0 quiet");
	assert_true(cfg.quiet);
	/* A later layer (the command line) overrides through config_set. */
	assert_int_equal(set(&cfg, "machine", "cpus", "2"), 0);
	assert_int_equal(cfg.cpus, 2);
}

static void test_file_errors(void **state)
{
	static char long_line[400];
	struct zvmm_config cfg;

	(void)state;
	config_defaults(&cfg);
	assert_int_equal(load_text(&cfg, "[machine]\nmemory = 12X\n"), -EINVAL);
	assert_int_equal(load_text(&cfg, "[machine]\ncpus = many\n"), -EINVAL);
	assert_int_equal(load_text(&cfg, "[machine]\nwheels = 4\n"), -EINVAL);
	assert_int_equal(load_text(&cfg, "[nosuch]\nkey = 1\n"), -EINVAL);
	assert_int_equal(load_text(&cfg, "[machine\nmemory = 1G\n"), -EINVAL);
	assert_int_equal(load_text(&cfg, "memory = 1G\n"), -EINVAL);
	snprintf(long_line, sizeof(long_line), "[boot]\nappend = %0300d\n", 0);
	assert_int_equal(load_text(&cfg, long_line), -EINVAL);
	assert_int_equal(load_quietly(&cfg, "/nonexistent/zvmm.ini"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_memory_values),
		cmocka_unit_test(test_cpus_and_accel),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_uris_and_trace),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_file_layers),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
