/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_SIGP_H
#define ZVMM_SIGP_H

#include <stdint.h>

#include "kvm-abi.h"

/* SIGP order codes (spec 7.2). */
#define SIGP_SENSE			0x01
#define SIGP_EXTERNAL_CALL		0x02
#define SIGP_EMERGENCY_SIGNAL		0x03
#define SIGP_START			0x04
#define SIGP_STOP			0x05
#define SIGP_RESTART			0x06
#define SIGP_STOP_STORE_STATUS		0x09
#define SIGP_INITIAL_CPU_RESET		0x0b
#define SIGP_CPU_RESET			0x0c
#define SIGP_SET_PREFIX			0x0d
#define SIGP_STORE_STATUS_AT_ADDRESS	0x0e
#define SIGP_SET_ARCHITECTURE		0x12
#define SIGP_COND_EMERGENCY_SIGNAL	0x13
#define SIGP_SENSE_RUNNING		0x15
#define SIGP_SET_MULTITHREADING		0x16
#define SIGP_STORE_ADDITIONAL_STATUS	0x17

/* Condition codes and status bits (spec 7.3). */
#define SIGP_CC_ACCEPTED		0
#define SIGP_CC_STATUS_STORED		1
#define SIGP_CC_BUSY			2
#define SIGP_CC_NOT_OPERATIONAL		3

#define SIGP_STAT_INCORRECT_STATE	0x00000200u
#define SIGP_STAT_INVALID_PARAMETER	0x00000100u
#define SIGP_STAT_INVALID_ORDER		0x00000002u

/* A decoded SIGP intercept: `AE R1R3 B2D2`. */
struct sigp_req {
	unsigned r1;		/* status goes into gpr r1 */
	uint8_t order;		/* bits 56-63 of the operand address */
	uint16_t cpu_addr;	/* bits 48-63 of gpr r3 */
	uint64_t param;		/* gpr r1+1 (r1 even) or gpr r1 (odd) */
};

struct sigp_result {
	uint8_t cc;
	uint32_t status;	/* with cc 1 */
};

struct vcpu;

void sigp_decode(const struct kvm_run *run, struct sigp_req *req);
/* Carry out an order from src; one at a time per VM (CC 2 otherwise). */
void sigp_execute(struct vcpu *src, const struct sigp_req *req,
		  struct sigp_result *res);
void sigp_apply(struct kvm_run *run, const struct sigp_req *req,
		const struct sigp_result *res);

#endif
