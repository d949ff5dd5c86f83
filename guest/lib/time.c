/*
 * Timer helpers: parking the timers and waiting with a timeout.
 */
#include "time.h"
#include "ctlreg.h"
#include "interrupt.h"
#include "psw.h"
#include "smp.h"

void timers_quiesce(void)
{
	ckc_set(CKC_NEVER);
	cpu_timer_set(CPU_TIMER_NEVER);
}

/*
 * The clock comparator stays pending while TOD > CKC, so the handler moves
 * it out of the way; the waiter notices the deadline through the TOD.
 */
static void wait_ckc_handler(struct irq_frame *f __unused, u16 code __unused,
			     u16 cpu_addr __unused, u32 param __unused)
{
	ckc_set(CKC_NEVER);
}

void timers_setup(void)
{
	ext_register(EXT_CODE_CLOCK_COMPARATOR, wait_ckc_handler);
}

bool wait_flag_timeout(const volatile int *flag, u64 timeout_us)
{
	u64 deadline = stck() + TOD_US(timeout_us);
	u64 cr0 = ctl_get(0);
	u8 mask = irq_save();
	bool seen;

	ctl_load(0, cr0 | CR0_CLOCK_COMPARATOR);
	ckc_set(deadline);
	for (;;) {
		seen = *flag != 0;
		if (seen || stck() > deadline)
			break;
		wait_for_ext();
	}
	ckc_set(CKC_NEVER);
	ctl_load(0, cr0);
	irq_restore(mask);
	return seen;
}

void udelay(u64 us)
{
	static const volatile int never;

	(void)wait_flag_timeout(&never, us);
}
