/* SPDX-License-Identifier: MIT */
/*
 * The runtime a csmith program expects (csmith.h), for the tiny guests:
 * the CRC-32 over every global that csmith's checksum is, printed on the
 * SCLP console through guest/lib's printf. Written from csmith's
 * documented behaviour (CRC-32, polynomial 0xEDB88320, over the eight
 * little-endian bytes of each value); Debian's csmith package ships no
 * runtime headers.
 */
#ifndef ZVMM_CSMITH_H
#define ZVMM_CSMITH_H

#include <stdint.h>
#include "printf.h"

static uint32_t crc32_tab[256];
static uint32_t crc32_context = 0xFFFFFFFFu;

static void crc32_gentab(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
		crc32_tab[i] = c;
	}
}

static void crc32_byte(uint8_t b)
{
	crc32_context = (crc32_context >> 8) ^ crc32_tab[(crc32_context ^ b) & 0xFF];
}

static void transparent_crc(uint64_t val, const char *vname, int flag)
{
	for (int i = 0; i < 8; i++)
		crc32_byte((uint8_t)(val >> (8 * i)));
	if (flag)
		printf("...checksum after hashing %s : %X\n", vname,
		       (unsigned)(crc32_context ^ 0xFFFFFFFFu));
}

static inline void transparent_crc_bytes(const char *ptr, int nbytes,
					 const char *vname, int flag)
{
	for (int i = 0; i < nbytes; i++)
		crc32_byte((uint8_t)ptr[i]);
	if (flag)
		printf("...checksum after hashing %s : %X\n", vname,
		       (unsigned)(crc32_context ^ 0xFFFFFFFFu));
}

static inline void platform_main_begin(void)
{
}

static inline void platform_main_end(uint32_t crc, int flag)
{
	(void)flag;
	printf("checksum = %X\n", (unsigned)crc);
}

#endif
