/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_DIAG_H
#define ZVMM_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

#define PGM_OPERATION			0x01
#define PGM_PRIVILEGED			0x02
#define PGM_ADDRESSING			0x05
#define PGM_SPECIFICATION		0x06

/* DIAG 0x500 subcodes (QEMU 7.2). */
#define DIAG500_VIRTIO_NOTIFY		0
#define DIAG500_VIRTIO_CCW_NOTIFY	3

/* DIAG 0x288 watchdog functions (QEMU's diag288 device). */
#define DIAG288_INIT			0
#define DIAG288_CHANGE			1
#define DIAG288_CANCEL			2
#define DIAG288_MIN_TIMEOUT		15	/* seconds */

/* DIAG 0x308 subcodes and return codes. */
#define DIAG308_RESET_MOD_CLR		0
#define DIAG308_RESET_LOAD_NORM		1
#define DIAG308_LOAD_CLEAR		3
#define DIAG308_LOAD_NORMAL		4
#define DIAG308_SET			5
#define DIAG308_STORE			6
#define DIAG308_RC_OK			0x0001
#define DIAG308_RC_NO_CONF		0x0102
#define DIAG308_RC_INVALID		0x0402
#define DIAG308_IPLB_SIZE		4096

/* What a DIAG intercept comes to, besides register changes. */
struct diag_result {
	uint16_t code;			/* the function code */
	uint16_t pgm;			/* program interruption, or 0 */
	enum vm_reset_kind reset;	/* a machine reset, or NONE */
	bool watchdog;			/* the watchdog state changed */
};

/* DIAG 0x288: function in gpr r1, timeout (s) in gpr r1+1, action in
 * gpr r3 (only 0, re-IPL); `now_ns` is CLOCK_MONOTONIC. */
void diag_288(unsigned long long *gprs, unsigned r1, unsigned r3,
	      struct diag288_state *wdt, uint64_t now_ns,
	      struct diag_result *res);
void diag_500(unsigned long long *gprs, uint64_t mem_size, struct diag_result *res);
void diag_308(unsigned long long *gprs, unsigned r1, unsigned r3, uint8_t *mem,
	      uint64_t mem_size, uint8_t *iplb, uint32_t *iplb_len,
	      struct diag_result *res);
/* Decode `83 R1R3 B2D2` and decide; gprs may change. */
void diag_decide(unsigned long long *gprs, uint16_t ipa, uint32_t ipb, uint8_t *mem,
		 uint64_t mem_size, uint8_t *iplb, uint32_t *iplb_len,
		 struct diag288_state *wdt, uint64_t now_ns,
		 struct diag_result *res);

#endif
