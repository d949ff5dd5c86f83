/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_PARSE_H
#define ZVMM_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Strict parsers for values from the command line and config files. Each
 * returns 0 or -EINVAL (malformed) / -ERANGE (out of range) and never
 * accepts trailing garbage, signs or empty strings.
 */

/* "128M", "1G", "1048576", "64k": suffixes K, M, G, T (powers of 1024). */
int parse_size(const char *s, uint64_t *out);

/* Decimal unsigned integer in [min, max]. */
int parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* true/false, yes/no, on/off, 1/0. */
int parse_bool(const char *s, bool *out);

/* Canonical 8-4-4-4-12 hexadecimal UUID into 16 bytes. */
int parse_uuid(const char *s, uint8_t uuid[16]);

#endif
