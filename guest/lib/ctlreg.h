/* Control registers: CR0 bits used by the guests and the access helpers. */
#ifndef GUEST_CTLREG_H
#define GUEST_CTLREG_H

#include "types.h"

#define CR0_CKC_SIGN		0x0020000000000000UL	/* bit 10 */
#define CR0_LAP			0x0000000010000000UL	/* bit 35 */
#define CR0_AFP			0x0000000000040000UL	/* bit 45 */
#define CR0_EMERGENCY_SIGNAL	0x0000000000004000UL	/* bit 49 */
#define CR0_EXTERNAL_CALL	0x0000000000002000UL	/* bit 50 */
#define CR0_CLOCK_COMPARATOR	0x0000000000000800UL	/* bit 52 */
#define CR0_CPU_TIMER		0x0000000000000400UL	/* bit 53 */
#define CR0_SERVICE_SIGNAL	0x0000000000000200UL	/* bit 54 */

/* Every external-interruption subclass mask this library knows. */
#define CR0_EXT_SUBCLASSES	(CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL | \
				 CR0_CLOCK_COMPARATOR | CR0_CPU_TIMER | \
				 CR0_SERVICE_SIGNAL)

/* STCTG/LCTLG need a constant register number, hence the macros. */
#define ctl_get(cr) ({							\
	u64 __ctl_v;							\
									\
	__asm__ __volatile__("stctg %1,%1,%0"				\
			     : "=Q" (__ctl_v) : "i" (cr));		\
	__ctl_v;							\
})

#define ctl_load(cr, val) do {						\
	u64 __ctl_val = (val);						\
									\
	__asm__ __volatile__("lctlg %1,%1,%0"				\
			     : : "Q" (__ctl_val), "i" (cr) : "memory");	\
} while (0)

#define ctl_set_bits(cr, bits)	ctl_load(cr, ctl_get(cr) | (bits))
#define ctl_clear_bits(cr, bits) ctl_load(cr, ctl_get(cr) & ~(u64)(bits))

#endif
