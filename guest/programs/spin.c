/*
 * spin: every CPU busy, for ever.  A benchmark guest for pausing a VM whose
 * vCPUs are all running (not in an enabled wait): the boot CPU starts every
 * CPU SCLP lists, each one counts up its own counter in a tight loop, and
 * once all have checked in (or after TIMEOUT_US) the boot CPU prints
 *
 *     spin: <N> cpus running
 *
 * and spins too.  It never exits.
 */
#include "printf.h"
#include "setup.h"
#include "smp.h"
#include "time.h"

#define TIMEOUT_US	30000000

/* One 256-byte cache line per CPU: the spinning CPUs share nothing. */
static struct {
	volatile u64 n;
} __aligned(256) counter[MAX_CPUS];
static int checked_in;

static void __noreturn spin(void)
{
	volatile u64 *n = &counter[smp_this_cpu()->idx].n;

	for (;;)
		(*n)++;
}

static void secondary(void)
{
	__atomic_fetch_add(&checked_in, 1, __ATOMIC_SEQ_CST);
	spin();
}

int main(void)
{
	struct cpu *self = smp_this_cpu();
	unsigned int i;
	u64 deadline;

	checked_in = 1;			/* the boot CPU */
	for (i = 0; i < nr_cpus; i++)
		if (&cpus[i] != self && smp_cpu_start(&cpus[i], secondary))
			printf("spin: cpu %u did not start\n", i);

	deadline = stck() + TOD_US(TIMEOUT_US);
	while (__atomic_load_n(&checked_in, __ATOMIC_SEQ_CST) < (int)nr_cpus &&
	       stck() < deadline)
		udelay(100);
	printf("spin: %d cpus running\n", __atomic_load_n(&checked_in, __ATOMIC_SEQ_CST));
	spin();
}
