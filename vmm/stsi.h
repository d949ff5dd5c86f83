/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_STSI_H
#define ZVMM_STSI_H

#include <stdint.h>

#define STSI_SYSIB_SIZE		4096

/* SYSIB 3.2.2 (offsets into the 4 KiB block). */
#define SYSIB322_COUNT		31
#define SYSIB322_VM0		32	/* vm[0], 64 bytes per level */
#define SYSIB322_VM_SIZE	64
#define SYSIB322_VM_TOTAL	4
#define SYSIB322_VM_CONF	6
#define SYSIB322_VM_STANDBY	8
#define SYSIB322_VM_RESERVED	10
#define SYSIB322_VM_NAME	12
#define SYSIB322_VM_EXT_ENC	43
#define SYSIB322_VM_UUID	48
#define SYSIB322_EXT_NAMES	2048	/* 8 x 256 bytes, UTF-8 */
#define SYSIB322_EXT_NAME_SIZE	256
#define SYSIB322_MAX_LEVELS	8

/*
 * Rewrite the 3.2.2 block the kernel stored, as QEMU's insert_stsi_3_2_2
 * does: push the extended-name stack down one level, fill in level 0's
 * CPU counts, its name (EBCDIC, blank-padded, only if one was given), the
 * UTF-8 extended name ("KVMguest" without a name) and the UUID (zeros
 * without one). A block with an impossible level count is left alone.
 */
void stsi_fill_322(uint8_t *sysib, const char *name, const uint8_t uuid[16],
		   unsigned conf_cpus, unsigned reserved_cpus);

/* QEMU's ASCII to EBCDIC conversion of one byte. */
uint8_t ascii_to_ebcdic(uint8_t c);

#endif
