/*
 * TOD clock, clock comparator and CPU timer.
 *
 * TOD values count in units of 2^-12 microseconds: bit 51 of the clock is
 * one microsecond.  The clock comparator raises an external interruption
 * (0x1004) while TOD > CKC; the CPU timer decrements at the TOD rate and
 * raises one (0x1005) while it is negative.  Both need the external mask
 * and their CR0 subclass bit.
 */
#ifndef GUEST_TIME_H
#define GUEST_TIME_H

#include "types.h"

#define TOD_UNITS_PER_US	4096UL
#define TOD_US(us)		((u64)(us) * TOD_UNITS_PER_US)
#define TOD_MS(ms)		TOD_US((u64)(ms) * 1000)

/* STORE CLOCK; the condition code (0 = set, 1 = not set) is ignored. */
static inline u64 stck(void)
{
	u64 tod;

	__asm__ __volatile__("stck %0" : "=Q" (tod) : : "cc");
	return tod;
}

/* STORE CLOCK FAST: no uniqueness guarantee, cheaper. */
static inline u64 stckf(void)
{
	u64 tod;

	__asm__ __volatile__("stckf %0" : "=Q" (tod) : : "cc");
	return tod;
}

static inline void ckc_set(u64 value)
{
	__asm__ __volatile__("sckc %0" : : "Q" (value));
}

static inline u64 ckc_get(void)
{
	u64 value;

	__asm__ __volatile__("stckc %0" : "=Q" (value));
	return value;
}

static inline void cpu_timer_set(s64 value)
{
	__asm__ __volatile__("spt %0" : : "Q" (value));
}

static inline s64 cpu_timer_get(void)
{
	s64 value;

	__asm__ __volatile__("stpt %0" : "=Q" (value));
	return value;
}

/* A clock comparator no TOD value exceeds: no interruption. */
#define CKC_NEVER		0xffffffffffffffffUL
/* The largest positive CPU timer value: no interruption for 2^51 us. */
#define CPU_TIMER_NEVER		0x7fffffffffffffffL

/* Park both timers: called for every CPU at start. */
void timers_quiesce(void);

/* Install the clock-comparator handler that wait_flag_timeout() needs. */
void timers_setup(void);

/*
 * Wait, with external interruptions enabled only in the wait itself, until
 * *flag becomes non-zero or `timeout_us` microseconds have passed.  Uses
 * the clock comparator, with the handler timers_setup() installed (a
 * program that installs its own must not call this), and adds the
 * clock-comparator subclass to the caller's CR0 for the time of the wait.  Returns true if the flag
 * was seen set.  Must not be called from an interruption handler.
 */
bool wait_flag_timeout(const volatile int *flag, u64 timeout_us);

/* Busy-free delay built on the same mechanism. */
void udelay(u64 us);

#endif
