/*
 * Probing instructions that are expected to fail: run a privileged
 * instruction in the problem state and see which program interruption it
 * got.  Used by the hostile-* programs.
 */
#ifndef GUEST_PROBE_H
#define GUEST_PROBE_H

#include "interrupt.h"
#include "psw.h"

/*
 * Run the asm text `insn` in the problem state; the program interruption
 * it causes resumes after it in the supervisor state.  `insn` may use the
 * operands %[a] and %[b] (registers holding val_a and val_b) and
 * set up %r2 and %r3 itself (they are clobbered).  Call pgm_expect(0)
 * first and probe_result() after.
 */
#define PROBLEM_STATE_PROBE(insn, val_a, val_b)				\
	do {								\
		struct psw psw_ = {					\
			.mask = psw_mask_get() | PSW_MASK_PSTATE,	\
		};							\
		__asm__ __volatile__(					\
			"	larl	%%r1, 1f\n"			\
			"	stg	%%r1, 0(%[resume])\n"		\
			"	larl	%%r1, 0f\n"			\
			"	stg	%%r1, 8(%[psw])\n"		\
			"	lpswe	0(%[psw])\n"			\
			"0:	" insn "\n"				\
			"1:\n"						\
			:						\
			: [psw] "a" (&psw_),				\
			  [resume] "a" (pgm_resume_slot()),		\
			  [a] "d" ((u64)(val_a)), [b] "d" ((u64)(val_b))	\
			: "r1", "r2", "r3", "cc", "memory");		\
	} while (0)

/* The code of the expected program interruption, 0 if none came. */
static inline u16 probe_result(void)
{
	struct pgm_info info;

	return pgm_expected_result(&info) ? info.code : 0;
}

#endif
