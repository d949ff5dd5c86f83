/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_CONFIG_H
#define ZVMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits that the command line, config files and docs all refer to. */
#define ZVMM_MEM_DEFAULT	(128ULL << 20)	/* as QEMU's default */
#define ZVMM_MEM_ALIGN		(1ULL << 20)	/* s390 KVM slot granule */
#define ZVMM_MEM_MAX		(1ULL << 40)
#define ZVMM_MAX_CPUS		248		/* KVM's extended-SCA limit */
#define ZVMM_NAME_MAX		256		/* STSI 3.2.2 extended name */
#define ZVMM_APPEND_MAX		4096
#define ZVMM_PATH_MAX		4096

enum accel_kind {
	ACCEL_AUTO,
	ACCEL_KVM,
	ACCEL_SOFT,
};

/* --trace categories, one bit each. */
enum trace_bits {
	TRACE_EXIT	= 1u << 0,	/* every KVM_RUN exit */
	TRACE_SCLP	= 1u << 1,
	TRACE_SIGP	= 1u << 2,
	TRACE_DIAG	= 1u << 3,
	TRACE_IRQ	= 1u << 4,
	TRACE_STSI	= 1u << 5,
	TRACE_MIGRATE	= 1u << 6,
	TRACE_CONTROL	= 1u << 7,
	TRACE_IOCTL	= 1u << 8,	/* every hypervisor ioctl */
	TRACE_ALL	= (1u << 9) - 1,
};

/*
 * Everything `zvmm run` needs to know. Filled from the defaults, then the
 * config file, then the command line: each layer goes through config_set(),
 * so a value is validated the same way wherever it comes from.
 */
struct zvmm_config {
	uint64_t mem_size;
	bool mem_given;		/* set by a file or the command line */
	unsigned cpus;
	enum accel_kind accel;
	char name[ZVMM_NAME_MAX + 1];
	bool have_uuid;
	uint8_t uuid[16];
	char kernel[ZVMM_PATH_MAX];
	char append[ZVMM_APPEND_MAX + 1];
	char control[ZVMM_PATH_MAX];
	char incoming[ZVMM_PATH_MAX];
	unsigned trace;
	bool quiet;
	int seccomp;		/* enum seccomp_mode; 0 is auto */
};

void config_defaults(struct zvmm_config *cfg);

/*
 * Set "section.key" to a value given as text. Returns 0, -ENOENT for an
 * unknown section or key, or -EINVAL / -ERANGE for a bad value; a message
 * saying what is wrong with the value goes to err.
 */
int config_set(struct zvmm_config *cfg, const char *section, const char *key,
	       const char *value, char *err, size_t errlen);

/* Parse an INI file into cfg; errors are logged as FILE:LINE: message. */
int config_load_file(struct zvmm_config *cfg, const char *path);

const char *accel_name(enum accel_kind accel);

#endif
