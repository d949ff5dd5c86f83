/*
 * SIGNAL PROCESSOR: order codes, condition codes and status bits
 * (spec section 7), and the instruction itself.
 */
#ifndef GUEST_SIGP_H
#define GUEST_SIGP_H

#include "types.h"

#define SIGP_SENSE			0x01
#define SIGP_EXTERNAL_CALL		0x02
#define SIGP_EMERGENCY_SIGNAL		0x03
#define SIGP_START			0x04
#define SIGP_STOP			0x05
#define SIGP_RESTART			0x06
#define SIGP_STOP_AND_STORE_STATUS	0x09
#define SIGP_INITIAL_CPU_RESET		0x0b
#define SIGP_CPU_RESET			0x0c
#define SIGP_SET_PREFIX			0x0d
#define SIGP_STORE_STATUS_AT_ADDRESS	0x0e
#define SIGP_SET_ARCHITECTURE		0x12
#define SIGP_COND_EMERGENCY_SIGNAL	0x13
#define SIGP_SENSE_RUNNING_STATUS	0x15

#define SIGP_CC_ACCEPTED		0
#define SIGP_CC_STATUS_STORED		1
#define SIGP_CC_BUSY			2
#define SIGP_CC_NOT_OPERATIONAL		3

#define SIGP_STATUS_EQUIPMENT_CHECK	0x80000000U
#define SIGP_STATUS_NOT_RUNNING		0x00000400U
#define SIGP_STATUS_INCORRECT_STATE	0x00000200U
#define SIGP_STATUS_INVALID_PARAMETER	0x00000100U
#define SIGP_STATUS_EXT_CALL_PENDING	0x00000080U
#define SIGP_STATUS_STOPPED		0x00000040U
#define SIGP_STATUS_OPERATOR_INTERV	0x00000020U
#define SIGP_STATUS_CHECK_STOP		0x00000010U
#define SIGP_STATUS_INOPERATIVE		0x00000004U
#define SIGP_STATUS_INVALID_ORDER	0x00000002U
#define SIGP_STATUS_RECEIVER_CHECK	0x00000001U

/*
 * One SIGP.  R1 is odd (%r1), so the parameter is taken from %r1 itself
 * and, with CC 1, the status replaces its low 32 bits.
 */
static inline int sigp(u16 addr, u8 order, u64 param, u32 *status)
{
	register u64 r1 __asm__("1") = param;
	int cc;

	__asm__ __volatile__(
		"	sigp	%[r1], %[addr], 0(%[order])\n"
		"	ipm	%[cc]\n"
		"	srl	%[cc], 28\n"
		: [cc] "=d" (cc), [r1] "+d" (r1)
		: [addr] "d" ((u64)addr), [order] "a" ((u64)order)
		: "cc", "memory");
	if (status && cc == SIGP_CC_STATUS_STORED)
		*status = (u32)r1;
	return cc;
}

/*
 * SIGP, repeated while the answer is CC 2 (busy): QEMU answers busy when
 * another SIGP is being processed at the same time, or while the target
 * still has a STOP or RESTART in progress.
 */
static inline int sigp_retry(u16 addr, u8 order, u64 param, u32 *status)
{
	int cc;

	do {
		cc = sigp(addr, order, param, status);
	} while (cc == SIGP_CC_BUSY);
	return cc;
}

#endif
