/*
 * CPUs: the table read from SCLP, this CPU, and starting secondary CPUs.
 *
 * Every secondary CPU gets its own 8 KiB prefix area (its lowcore) and its
 * own stack.  smp_cpu_start() fills the new lowcore (new PSWs, the CPU's
 * struct cpu, its stack) and then sends SIGP SET PREFIX and SIGP RESTART:
 * the restart interruption loads the restart new PSW of the new lowcore,
 * which points at smp_secondary_entry (start.S).
 */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H

#include "interrupt.h"
#include "lowcore.h"
#include "types.h"

/* SCLP's 4 KiB SCCB lists at most 248 CPUs, QEMU's limit too. */
#define MAX_CPUS		248
#define SMP_STACK_SIZE		16384

struct cpu {
	u16 addr;		/* CPU address (SIGP, STAP) */
	u16 idx;		/* index in cpus[] */
	bool online;		/* running our code */
	void (*entry)(void);	/* what a secondary runs */
	u64 cr0;		/* CR0 a secondary starts with */
	struct lowcore *lowcore; /* prefix area */
	u64 stack_top;
	struct {		/* pgm_expect() state, see interrupt.c */
		bool armed;
		bool seen;
		u64 resume;
		struct pgm_info info;
	} pgm;
};

extern struct cpu cpus[MAX_CPUS];
extern unsigned int nr_cpus;

/* STORE CPU ADDRESS. */
static inline u16 stap(void)
{
	u16 addr;

	__asm__ __volatile__("stap %0" : "=Q" (addr));
	return addr;
}

static inline struct cpu *smp_this_cpu(void)
{
	return (struct cpu *)lowcore.cpu;
}

static inline u16 smp_cpu_addr(void)
{
	return stap();
}

/* The struct cpu of a CPU address, NULL if SCLP did not list it. */
struct cpu *smp_cpu_by_addr(u16 addr);

/* Fill cpus[] from the SCLP CPU list and bind the boot CPU to its entry. */
void smp_setup(void);

/*
 * Start a stopped secondary CPU so that it runs entry() on its own stack
 * with its own lowcore.  CR0 is copied from the calling CPU.  Returns 0,
 * or a negative number if a SIGP order failed (printed).  The new CPU sets
 * c->online before calling entry(); when entry() returns it stops itself.
 */
int smp_cpu_start(struct cpu *c, void (*entry)(void));

/*
 * Stop every other CPU that is running our code and wait until each one
 * is in the stopped state (SIGP STOP, then SIGP SENSE).  Used by exit().
 */
void smp_stop_others(void);

/* Called by start.S on a secondary CPU. */
void __noreturn smp_secondary_main(void);

#endif
