/*
 * Interruption handling: the frame the entry code builds, external
 * interruptions dispatched by code to registered handlers, and program
 * checks that a test can expect and survive.
 */
#ifndef GUEST_INTERRUPT_H
#define GUEST_INTERRUPT_H

#include "asm-offsets.h"
#include "psw.h"
#include "types.h"

/*
 * What start.S saves of the interrupted context.  The handler may change
 * any of it: on return the registers, CR0 and the PSW are reloaded from
 * here.  CR0 in particular is restored from `cr0`, so a handler that wants
 * to change the interrupted context's CR0 changes frame->cr0.
 */
struct irq_frame {
	u64 gprs[16];
	u64 fprs[16];
	struct psw psw;
	u64 cr0;
	u64 cr0_tmp;
	u32 fpc;
	u32 pad;
};

_Static_assert(offsetof(struct irq_frame, fprs) == FRAME_FPRS, "frame fprs");
_Static_assert(offsetof(struct irq_frame, psw) == FRAME_PSW, "frame psw");
_Static_assert(offsetof(struct irq_frame, cr0) == FRAME_CR0, "frame cr0");
_Static_assert(offsetof(struct irq_frame, cr0_tmp) == FRAME_CR0_TMP, "cr0tmp");
_Static_assert(offsetof(struct irq_frame, fpc) == FRAME_FPC, "frame fpc");
_Static_assert(sizeof(struct irq_frame) == FRAME_SIZE, "frame size");
_Static_assert(FRAME_TOTAL % 8 == 0, "stack frames stay 8-byte aligned");

/* External-interruption codes (lowcore 0x86). */
#define EXT_CODE_CLOCK_COMPARATOR	0x1004
#define EXT_CODE_CPU_TIMER		0x1005
#define EXT_CODE_EMERGENCY_SIGNAL	0x1201
#define EXT_CODE_EXTERNAL_CALL		0x1202
#define EXT_CODE_SERVICE_SIGNAL		0x2401

/*
 * An external-interruption handler gets the code, the CPU address field
 * (the source CPU of an emergency signal or external call, 0 otherwise)
 * and the 32-bit parameter (the SCCB address for a service signal).  It
 * runs with every interruption class disabled.
 */
typedef void (*ext_handler_t)(struct irq_frame *f, u16 code, u16 cpu_addr,
			      u32 param);

/* Install a handler for one code; returns the previous one (or NULL). */
ext_handler_t ext_register(u16 code, ext_handler_t fn);

/* Program-interruption codes (lowcore 0x8e, without the PER bit 0x80). */
#define PGM_OPERATION		0x01
#define PGM_PRIVILEGED		0x02
#define PGM_EXECUTE		0x03
#define PGM_PROTECTION		0x04
#define PGM_ADDRESSING		0x05
#define PGM_SPECIFICATION	0x06
#define PGM_DATA		0x07
#define PGM_FIXPT_OVERFLOW	0x08
#define PGM_FIXPT_DIVIDE	0x09

/* What one expected program interruption stored. */
struct pgm_info {
	u16 code;		/* interruption code */
	u16 ilen;		/* instruction length in bytes (ILC * 2) */
	u32 dxc;		/* data-exception code (lowcore 0x90) */
	struct psw old_psw;	/* program old PSW as the CPU stored it */
};

/*
 * Expect a program interruption on this CPU.  When it comes, its details
 * are kept for pgm_expected_result() and execution resumes at `resume`
 * (when non-zero; otherwise at the old PSW) in the supervisor state, so a
 * test may provoke the check in the problem state.  An unexpected program
 * interruption is reported and ends the program with EXIT_UNEXPECTED.
 */
void pgm_expect(u64 resume);

/* Fetch the result: true if the expected interruption happened. */
bool pgm_expected_result(struct pgm_info *info);

/* Address of this CPU's resume slot, for probes that set it themselves. */
u64 *pgm_resume_slot(void);

/*
 * SVC 0 returns to the supervisor state: its handler clears the problem
 * state bit in the SVC old PSW.  Other SVC numbers are unexpected.
 */
#define SVC_SUPERVISOR		0

/* Called by start.S for every interruption class. */
void irq_dispatch(struct irq_frame *f, unsigned long irq_class);

#endif
