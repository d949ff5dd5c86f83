/*
 * heartbeat: a guest that shows it is alive, for demos that move a VM
 * back and forth.  Every BEAT_MS of TOD time one CPU prints
 *
 *     heartbeat: cpu=<index> count=<K> tod=0x<16 hex digits>
 *
 * with K counting up from 1, for ever (no exit).  The printing CPU rotates
 * over every CPU SCLP lists (up to 16): the holder of the token prints,
 * passes the token to the next CPU and wakes it with an external call;
 * the others sleep in an enabled wait.  The holder waits for its beat with
 * the clock comparator, so an idle machine really idles.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "setup.h"
#include "sigp.h"
#include "smp.h"
#include "time.h"

#ifndef BEAT_MS
#define BEAT_MS		250
#endif
#define TEST_CPUS	16

static unsigned int n;
static volatile unsigned int token;	/* index of the CPU that prints next */
static volatile u64 next_beat;		/* TOD of the next beat */
static volatile u64 count;

static void wake_handler(struct irq_frame *f __unused, u16 code __unused,
			 u16 cpu_addr __unused, u32 param __unused)
{
	/* The token is in memory; the interruption only ends the wait. */
}

static void beat_loop(void)
{
	unsigned int self = smp_this_cpu()->idx;

	for (;;) {
		u64 now, due;

		ext_disable();
		while (READ_ONCE(token) != self)
			wait_for_ext();

		/* Sleep until the beat (the library's comparator handler). */
		due = READ_ONCE(next_beat);
		now = stck();
		if (now < due)
			udelay((due - now + TOD_UNITS_PER_US - 1) / TOD_UNITS_PER_US);
		now = stck();
		count = count + 1;
		printf("heartbeat: cpu=%u count=%lu tod=0x%016lx\n", self,
		       (u64)count, now);

		/* Never fall more than a beat behind (e.g. a slow host). */
		due += TOD_MS(BEAT_MS);
		next_beat = due > now ? due : now + TOD_MS(BEAT_MS);
		if (n > 1) {
			unsigned int next = (self + 1) % n;

			barrier();
			token = next;
			/* CC 1 (a call already pending) wakes it just as well. */
			(void)sigp_retry(cpus[next].addr, SIGP_EXTERNAL_CALL, 0,
					 NULL);
		}
	}
}

int main(void)
{
	unsigned int i;

	n = nr_cpus < TEST_CPUS ? nr_cpus : TEST_CPUS;
	printf("heartbeat: cpus=%u beat=%ums\n", n, BEAT_MS);
	ext_register(EXT_CODE_EXTERNAL_CALL, wake_handler);
	ctl_set_bits(0, CR0_EXTERNAL_CALL);
	token = 0;
	next_beat = stck() + TOD_MS(BEAT_MS);
	for (i = 1; i < n; i++)
		if (smp_cpu_start(&cpus[i], beat_loop))
			return 1;
	beat_loop();
	return 0;
}
