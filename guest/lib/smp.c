/*
 * CPU table and secondary CPU start.
 */
#include "smp.h"
#include "alloc.h"
#include "ctlreg.h"
#include "printf.h"
#include "sclp.h"
#include "sigp.h"
#include "string.h"
#include "time.h"

struct cpu cpus[MAX_CPUS];
unsigned int nr_cpus;

extern char smp_secondary_entry[];

struct cpu *smp_cpu_by_addr(u16 addr)
{
	unsigned int i;

	for (i = 0; i < nr_cpus; i++)
		if (cpus[i].addr == addr)
			return &cpus[i];
	return NULL;
}

void smp_setup(void)
{
	u16 me = stap();
	unsigned int i, n = 0;
	struct cpu *self;

	if (sclp_info.valid) {
		for (i = 0; i < sclp_info.nr_cpus && n < MAX_CPUS; i++)
			cpus[n++].addr = sclp_info.cpu_addr[i];
	}
	/* Whatever the SCLP said, the running CPU exists. */
	for (i = 0; i < n; i++)
		if (cpus[i].addr == me)
			break;
	if (i == n) {
		if (n == MAX_CPUS)
			n--;
		cpus[n++].addr = me;
	}
	for (i = 0; i < n; i++) {
		cpus[i].idx = (u16)i;
		cpus[i].online = cpus[i].addr == me;
	}
	nr_cpus = n;
	self = smp_cpu_by_addr(me);
	lowcore.cpu = (u64)self;
}

int smp_cpu_start(struct cpu *c, void (*entry)(void))
{
	struct lowcore *lc = c->lowcore;
	u32 status = 0;
	void *stack;
	int cc;

	if (!lc) {
		lc = alloc_pages(sizeof(*lc), sizeof(*lc));
		stack = alloc_pages(SMP_STACK_SIZE, 4096);
		if (!lc || !stack) {
			printf("smp: cpu %u: out of memory\n", c->addr);
			return -1;
		}
		c->lowcore = lc;
		c->stack_top = (u64)stack + SMP_STACK_SIZE;
	}

	/*
	 * The new CPU takes every interruption through the same handlers as
	 * this one, except restart, which is how it starts.
	 */
	memset(lc, 0, sizeof(*lc));
	memcpy(lc->new_psw, lowcore.new_psw, sizeof(lc->new_psw));
	lc->new_psw[IRQ_CLASS_RESTART].mask = PSW_MASK_64;
	lc->new_psw[IRQ_CLASS_RESTART].addr = (u64)smp_secondary_entry;
	lc->cpu = (u64)c;
	lc->stack_top = c->stack_top;
	c->entry = entry;
	WRITE_ONCE(c->online, false);
	c->cr0 = ctl_get(0);
	barrier();

	/* SET PREFIX needs a stopped target, which a CPU not yet started is. */
	cc = sigp_retry(c->addr, SIGP_SET_PREFIX, (u64)lc, &status);
	if (cc) {
		printf("smp: cpu %u: SIGP SET PREFIX: cc %d status 0x%x\n",
		       c->addr, cc, cc == 1 ? status : 0);
		return -1;
	}
	cc = sigp_retry(c->addr, SIGP_RESTART, 0, &status);
	if (cc) {
		printf("smp: cpu %u: SIGP RESTART: cc %d status 0x%x\n",
		       c->addr, cc, cc == 1 ? status : 0);
		return -1;
	}
	return 0;
}

void smp_secondary_main(void)
{
	struct cpu *c = smp_this_cpu();

	ctl_load(0, c->cr0 | CR0_AFP);
	timers_quiesce();
	WRITE_ONCE(c->online, true);
	c->entry();

	/* Done: stop. A STOP is taken at the next instruction boundary. */
	WRITE_ONCE(c->online, false);
	(void)sigp_retry(c->addr, SIGP_STOP, 0, NULL);
	for (;;)
		;
}

/* SENSE says stopped; CC 3 (no such CPU) counts as stopped too. */
static bool cpu_stopped(u16 addr)
{
	u32 status = 0;
	int cc = sigp_retry(addr, SIGP_SENSE, 0, &status);

	return cc == SIGP_CC_NOT_OPERATIONAL ||
	       (cc == SIGP_CC_STATUS_STORED && (status & SIGP_STATUS_STOPPED));
}

void smp_stop_others(void)
{
	u16 me = stap();
	unsigned int i;
	u64 deadline;

	for (i = 0; i < nr_cpus; i++)
		if (cpus[i].addr != me)
			(void)sigp_retry(cpus[i].addr, SIGP_STOP, 0, NULL);

	/*
	 * STOP only starts the transition: the VMM must see every other CPU
	 * stopped before this one's disabled wait, or it would not take the
	 * wait as the end of the whole machine.  Give up after a second, as
	 * a broken target must not keep the exit from happening.
	 */
	deadline = stck() + TOD_MS(1000);
	for (i = 0; i < nr_cpus; i++) {
		if (cpus[i].addr == me)
			continue;
		while (!cpu_stopped(cpus[i].addr) && stck() < deadline)
			;
	}
}
