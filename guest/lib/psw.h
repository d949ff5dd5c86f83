/*
 * The program-status word: masks, loading a PSW, the interruption mask
 * bits and waiting for an interruption.
 */
#ifndef GUEST_PSW_H
#define GUEST_PSW_H

#include "types.h"

struct psw {
	u64 mask;
	u64 addr;
} __aligned(8);

#define PSW_MASK_PER		0x4000000000000000UL
#define PSW_MASK_DAT		0x0400000000000000UL
#define PSW_MASK_IO		0x0200000000000000UL
#define PSW_MASK_EXT		0x0100000000000000UL
#define PSW_MASK_KEY		0x00f0000000000000UL
#define PSW_MASK_MCHECK		0x0004000000000000UL
#define PSW_MASK_WAIT		0x0002000000000000UL
#define PSW_MASK_PSTATE		0x0001000000000000UL
#define PSW_MASK_ASC		0x0000c00000000000UL
#define PSW_MASK_CC		0x0000300000000000UL
#define PSW_MASK_PM		0x00000f0000000000UL
#define PSW_MASK_EA		0x0000000100000000UL
#define PSW_MASK_BA		0x0000000080000000UL

/* Program-mask bits (PSW bits 20-23). */
#define PSW_PM_FIXPT_OVERFLOW	0x0000080000000000UL
#define PSW_PM_DEC_OVERFLOW	0x0000040000000000UL
#define PSW_PM_HFP_UNDERFLOW	0x0000020000000000UL
#define PSW_PM_HFP_SIGNIFICANCE	0x0000010000000000UL

/* 64-bit addressing mode, every interruption class disabled. */
#define PSW_MASK_64		(PSW_MASK_EA | PSW_MASK_BA)
/* Interruption classes the wait helpers and handlers care about. */
#define PSW_MASK_IRQS		(PSW_MASK_IO | PSW_MASK_EXT | PSW_MASK_MCHECK)

/* The current PSW mask (EXTRACT PSW). */
static inline u64 psw_mask_get(void)
{
	u64 hi, lo;

	/* R2 must not be 0: EPSW with R2 = 0 leaves the low half unstored. */
	__asm__ __volatile__("epsw %0,%1" : "=d" (hi), "=a" (lo));
	return (hi & 0xffffffffUL) << 32 | (lo & 0xffffffffUL);
}

/* Load a PSW; returns only if the new PSW comes back here. */
static inline void psw_load(const struct psw *psw)
{
	__asm__ __volatile__("lpswe %0" : : "Q" (*psw) : "memory", "cc");
}

/*
 * The system-mask byte (PSW bits 0-7) holds the PER, DAT, I/O and external
 * masks.  irq_save() disables I/O and external interruptions and returns
 * the previous byte for irq_restore().
 */
#define PSW_SYSMASK_IO		0x02
#define PSW_SYSMASK_EXT		0x01

static inline u8 irq_save(void)
{
	u8 old;

	__asm__ __volatile__("stnsm %0,%1"
			     : "=Q" (old)
			     : "i" (0xff ^ (PSW_SYSMASK_IO | PSW_SYSMASK_EXT))
			     : "memory");
	return old;
}

static inline void irq_restore(u8 old)
{
	__asm__ __volatile__("ssm %0" : : "Q" (old) : "memory");
}

static inline void ext_enable(void)
{
	u8 old;

	__asm__ __volatile__("stosm %0,%1"
			     : "=Q" (old) : "i" (PSW_SYSMASK_EXT) : "memory");
}

static inline void ext_disable(void)
{
	(void)irq_save();
}

/*
 * Wait for one external interruption.  Call it with external interruptions
 * disabled: the wait PSW enables them and waits in a single instruction, so
 * an interruption that became pending after the caller last looked at its
 * condition is not lost.  The handler returns here with the wait bit and
 * the interruption masks cleared (see irq_dispatch()), i.e. disabled again.
 */
void wait_for_ext(void);

/* Enter a disabled wait with the given instruction address, for good. */
void __noreturn disabled_wait(u64 addr);

#endif
