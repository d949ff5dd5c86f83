/*
 * timers: clock-comparator and CPU-timer interruptions arrive, in order,
 * and never before they are due.
 *
 * Each round programs both timers, one due `first_ms` after the other's
 * reference point is taken, the other `second_ms`, and waits for both
 * interruptions.  At delivery the handler reads the TOD clock and parks
 * the timer that fired.  The checks:
 *   - the clock comparator fires only when TOD > CKC;
 *   - the CPU timer fires only once it is negative, i.e. at a TOD at least
 *     its value after it was set (checked on the TOD: QEMU 7.2 TCG returns
 *     garbage from STPT once the timer is negative, so its sign is not);
 *   - the order.  The timer programmed first is the one due first, and its
 *     due time is taken before the second is programmed, so "due first"
 *     holds however long the host keeps this CPU from running in between.
 *     When the clock comparator is due first it must arrive first: had the
 *     CPU timer come first, the comparator would have been pending with a
 *     higher priority at that moment.  When the CPU timer is due first,
 *     a late host can let the comparator become due too before either is
 *     taken; both are then pending and the priority (clock comparator
 *     before CPU timer) lets the comparator in first, which the
 *     architecture allows.  That case is accepted, silently: the output
 *     must not depend on the host's timing.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "setup.h"
#include "time.h"

enum timer { CKC, CPUT };

static const char *const timer_name[] = {
	[CKC] = "clock-comparator",
	[CPUT] = "cpu-timer",
};

struct event {
	enum timer which;
	u64 tod;		/* TOD at delivery */
};

static volatile unsigned int nr_events;
static struct event events[4];

static void record(enum timer which)
{
	struct event *e;

	if (nr_events >= ARRAY_SIZE(events)) {
		nr_events++;
		return;
	}
	e = &events[nr_events];
	e->tod = stck();
	e->which = which;
	nr_events++;
}

static void ckc_handler(struct irq_frame *f __unused, u16 code __unused,
			u16 cpu_addr __unused, u32 param __unused)
{
	record(CKC);
	/* The condition stays while TOD > CKC: move the comparator away. */
	ckc_set(CKC_NEVER);
}

static void cpu_timer_handler(struct irq_frame *f __unused, u16 code __unused,
			      u16 cpu_addr __unused, u32 param __unused)
{
	record(CPUT);
	/* Likewise while the timer is negative. */
	cpu_timer_set(CPU_TIMER_NEVER);
}

/* Wait for `n` events, at most `timeout_ms`, measured on the TOD clock. */
static bool wait_events(unsigned int n, u64 timeout_ms)
{
	u64 deadline = stck() + TOD_MS(timeout_ms);

	ext_disable();
	while (nr_events < n) {
		if (stck() > deadline)
			return false;
		/*
		 * Enabled wait: only the two timer subclasses are on, so the
		 * CPU sleeps until one of them fires.  The deadline is a
		 * backstop in case neither ever does; the CPU timer of this
		 * round always fires before it.
		 */
		wait_for_ext();
	}
	return true;
}

static bool round(unsigned int nr, enum timer first, u64 first_ms, u64 second_ms)
{
	enum timer second = first == CKC ? CPUT : CKC;
	u64 ckc_due, cput_set_tod, cput_ms, ckc_ms;
	const struct event *ev[2] = { NULL, NULL };
	bool ok = true, got;
	unsigned int i;

	ckc_ms = first == CKC ? first_ms : second_ms;
	cput_ms = first == CPUT ? first_ms : second_ms;

	nr_events = 0;
	ext_disable();
	if (first == CKC) {
		ckc_due = stck() + TOD_MS(ckc_ms);
		ckc_set(ckc_due);
		/* The CPU timer runs from SPT on: its due time is after this. */
		cput_set_tod = stck();
		cpu_timer_set((s64)TOD_MS(cput_ms));
	} else {
		cput_set_tod = stck();
		cpu_timer_set((s64)TOD_MS(cput_ms));
		/* The CPU timer is due before this TOD plus its value. */
		ckc_due = stck() + TOD_MS(ckc_ms);
		ckc_set(ckc_due);
	}

	got = wait_events(2, 5000);
	ckc_set(CKC_NEVER);
	cpu_timer_set(CPU_TIMER_NEVER);

	printf("round %u: %s due first (%lu ms), %s after %lu ms\n", nr,
	       timer_name[first], first_ms, timer_name[second], second_ms);
	if (!got || nr_events != 2 || events[0].which == events[1].which) {
		printf("round %u: expected one interruption of each, got %u: FAIL\n",
		       nr, nr_events);
		return false;
	}
	for (i = 0; i < 2; i++)
		ev[events[i].which] = &events[i];

	/* Report in a fixed order, whatever the order of delivery. */
	for (i = 0; i < 2; i++) {
		enum timer t = i == 0 ? first : second;
		bool due;

		if (t == CKC)
			due = ev[t]->tod > ckc_due;
		else
			due = ev[t]->tod >= cput_set_tod + TOD_MS(cput_ms);
		printf("round %u: %s interruption %s\n", nr, timer_name[t],
		       due ? "not before due: ok" : "EARLY: FAIL");
		ok &= due;
	}

	if (events[0].which == first) {
		printf("round %u: order: ok\n", nr);
	} else if (first == CPUT) {
		/* Both were pending: the comparator's priority decided. */
		bool both_due = events[0].tod >= cput_set_tod + TOD_MS(cput_ms);

		printf("round %u: order: %s\n", nr, both_due ? "ok" : "FAIL");
		ok &= both_due;
	} else {
		printf("round %u: order: FAIL (cpu timer before a pending clock comparator)\n",
		       nr);
		ok = false;
	}
	return ok;
}

int main(void)
{
	bool ok = true;

	ext_register(EXT_CODE_CLOCK_COMPARATOR, ckc_handler);
	ext_register(EXT_CODE_CPU_TIMER, cpu_timer_handler);
	ctl_set_bits(0, CR0_CLOCK_COMPARATOR | CR0_CPU_TIMER);

	puts("timers: clock comparator and CPU timer");
	ok &= round(1, CKC, 5, 25);
	ok &= round(2, CPUT, 5, 25);
	ok &= round(3, CKC, 1, 2);
	ok &= round(4, CPUT, 1, 2);

	/* A comparator already in the past fires as soon as it is enabled. */
	nr_events = 0;
	ext_disable();
	ckc_set(stck() - 1);
	if (wait_events(1, 1000) && nr_events == 1 && events[0].which == CKC)
		puts("past comparator: immediate: ok");
	else {
		puts("past comparator: immediate: FAIL");
		ok = false;
	}

	ctl_clear_bits(0, CR0_CLOCK_COMPARATOR | CR0_CPU_TIMER);
	printf("timers: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
