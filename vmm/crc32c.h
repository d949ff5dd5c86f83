/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_CRC32C_H
#define ZVMM_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of
 * the migration stream. Start with crc = 0; the pre- and post-inversion
 * happen inside, so calls chain:
 *   crc32c(crc32c(0, a, n), b, m) == crc32c(0, a || b, n + m)
 * and crc32c(0, "123456789", 9) == 0xE3069283.
 */
uint32_t crc32c(uint32_t crc, const void *buf, size_t len);

/* The portable table version alone (tests compare it with crc32c()). */
uint32_t crc32c_sw(uint32_t crc, const void *buf, size_t len);

/* Whether crc32c() uses the CPU's crc32 instruction. */
int crc32c_hw_available(void);

#endif
