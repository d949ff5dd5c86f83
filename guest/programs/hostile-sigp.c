/*
 * hostile-sigp: SIGNAL PROCESSOR to CPUs that do not exist, with order
 * codes that do not exist and with bad parameters (spec 3.3 and 7.3,
 * docs/vmm.md 4).  Each order prints its condition code and, for CC 1,
 * the status; the guest survives all of them and exits 0.  The output is
 * the same under QEMU and zvmm (tests/oracle).
 *
 * Run with 2 CPUs: CPU 1 is never started, so it is stopped throughout,
 * the state SET PREFIX and STORE STATUS AT ADDRESS want.  "mem" is the
 * memory size, "area" an 8 KiB aligned area of free memory.
 */
#include "alloc.h"
#include "interrupt.h"
#include "lowcore.h"
#include "printf.h"
#include "probe.h"
#include "psw.h"
#include "sclp.h"
#include "sigp.h"
#include "smp.h"
#include "string.h"

/* Where a case's parameter points. */
enum base { AT_ABS, AT_AREA, AT_MEM };

struct sigp_case {
	const char *what;
	u64 cpu;		/* the whole of gpr r3 */
	u64 order;		/* the whole second-operand address */
	enum base base;
	s64 param;		/* from the base */
};

static u8 *area;

/* One SIGP with every operand as given; CC, and the status for CC 1. */
static int sigp_raw(u64 cpu, u64 order, u64 param, u32 *status)
{
	register u64 r1 __asm__("1") = param;
	int cc;

	__asm__ __volatile__(
		"	sigp	%[r1], %[cpu], 0(%[order])\n"
		"	ipm	%[cc]\n"
		"	srl	%[cc], 28\n"
		: [cc] "=d" (cc), [r1] "+d" (r1)
		: [cpu] "d" (cpu), [order] "a" (order)
		: "cc", "memory");
	*status = (u32)r1;
	return cc;
}

static void report(const char *what, int cc, u32 status)
{
	if (cc == SIGP_CC_STATUS_STORED)
		printf("hostile-sigp: %s: cc=1 status=0x%08x\n", what, status);
	else
		printf("hostile-sigp: %s: cc=%d\n", what, cc);
}

static u64 case_param(const struct sigp_case *c)
{
	switch (c->base) {
	case AT_AREA:
		return (u64)area + (u64)c->param;
	case AT_MEM:
		return sclp_info.mem_size + (u64)c->param;
	default:
		return (u64)c->param;
	}
}

static void run_case(const struct sigp_case *c)
{
	u32 status = 0;
	int cc;

	do {
		cc = sigp_raw(c->cpu, c->order, case_param(c), &status);
	} while (cc == SIGP_CC_BUSY);
	report(c->what, cc, status);
}

#define NO_CPU(what, cpu, order)	{ what, cpu, order, AT_ABS, 0 }
#define ORDER(what, order)		{ what, 1, order, AT_ABS, 0 }

static const struct sigp_case cases[] = {
	/* CPU addresses with no CPU: CC 3, whatever the order. */
	NO_CPU("SENSE cpu 2", 2, SIGP_SENSE),
	NO_CPU("SENSE cpu 255", 255, SIGP_SENSE),
	NO_CPU("SENSE cpu 0xffff", 0xffff, SIGP_SENSE),
	NO_CPU("START cpu 0x100", 0x100, SIGP_START),
	NO_CPU("RESTART cpu 63", 63, SIGP_RESTART),
	NO_CPU("STOP cpu 2", 2, SIGP_STOP),
	NO_CPU("EMERGENCY SIGNAL cpu 2", 2, SIGP_EMERGENCY_SIGNAL),
	NO_CPU("order 0x77 cpu 2", 2, 0x77),
	/* Only the low 16 bits of r3 and the low 8 of the address count. */
	NO_CPU("SENSE r3=0xffffffff00000001 (cpu 1)", 0xffffffff00000001UL,
	       SIGP_SENSE),
	NO_CPU("SENSE r3=0x10002 (cpu 2)", 0x10002, SIGP_SENSE),
	NO_CPU("order address 0x1201 (SENSE) cpu 1", 1, 0x1201),
	/* Order codes that do not exist (or are not offered): CC 1. */
	ORDER("order 0x00", 0x00),
	ORDER("order 0x07", 0x07),
	ORDER("order 0x08", 0x08),
	ORDER("order 0x0a", 0x0a),
	ORDER("order 0x0f", 0x0f),
	ORDER("order 0x10", 0x10),
	ORDER("order 0x11", 0x11),
	ORDER("order 0x14", 0x14),
	ORDER("order 0x18", 0x18),
	ORDER("order 0x80", 0x80),
	ORDER("order 0xff", 0xff),
	/* SET PREFIX: the 8 KiB must be in memory. */
	{ "SET PREFIX cpu 1 to mem", 1, SIGP_SET_PREFIX, AT_MEM, 0 },
	{ "SET PREFIX cpu 1 to mem-4096 (masked to mem-8192)", 1,
	  SIGP_SET_PREFIX, AT_MEM, -4096 },
	{ "SET PREFIX cpu 1 to 0xffffffffffffffff", 1, SIGP_SET_PREFIX,
	  AT_ABS, -1 },
	{ "SET PREFIX cpu 1 to 0x80000000 (masked to 0)", 1, SIGP_SET_PREFIX,
	  AT_ABS, 0x80000000 },
	{ "SET PREFIX cpu 2 to area", 2, SIGP_SET_PREFIX, AT_AREA, 0 },
	/* STORE STATUS AT ADDRESS: 512 bytes, 512-byte aligned, in memory. */
	{ "STORE STATUS AT ADDRESS cpu 1 to mem", 1,
	  SIGP_STORE_STATUS_AT_ADDRESS, AT_MEM, 0 },
	{ "STORE STATUS AT ADDRESS cpu 1 to 0xfffffffffffffe00", 1,
	  SIGP_STORE_STATUS_AT_ADDRESS, AT_ABS, (s64)0xfffffffffffffe00UL },
	{ "STORE STATUS AT ADDRESS cpu 1 to 0x80000000+area (masked)", 1,
	  SIGP_STORE_STATUS_AT_ADDRESS, AT_AREA, 0x80001000 },
	{ "STORE STATUS AT ADDRESS cpu 1 to mem-512 (the last 512 bytes)", 1,
	  SIGP_STORE_STATUS_AT_ADDRESS, AT_MEM, -512 },
	{ "STORE STATUS AT ADDRESS cpu 2 to area", 2,
	  SIGP_STORE_STATUS_AT_ADDRESS, AT_AREA, 0 },
	/* Valid, to show what the bad ones did not do. */
	{ "SET PREFIX cpu 1 to area", 1, SIGP_SET_PREFIX, AT_AREA, 0 },
};

/*
 * STORE STATUS AT ADDRESS writes what STORE STATUS writes at 0x1200 of the
 * lowcore: view the area at addr through the lowcore's save-area fields.
 */
static const struct lowcore *saved_at(u64 addr)
{
	return (const void *)(addr - offsetof(struct lowcore, fprs_save_area));
}

/* STORE STATUS AT ADDRESS of CPU 1 at param (masked to 512 bytes). */
static void store_status(const char *what, u64 param)
{
	const struct lowcore *s = saved_at((u64)area + 0x1000);
	u32 status = 0;
	int cc;

	memset(area + 0x1000, 0x55, 0x400);
	cc = sigp_retry(1, SIGP_STORE_STATUS_AT_ADDRESS, param, &status);
	if (cc) {
		report(what, cc, status);
		return;
	}
	printf("hostile-sigp: %s: cc=0 psw=%016lx %016lx prefix=%s cr0=%016lx cr14=%016lx gpr15=%016lx past=%02x\n",
	       what, (unsigned long)s->psw_save_area.mask,
	       (unsigned long)s->psw_save_area.addr,
	       s->prefix_save_area == (u32)(u64)area ? "area" :
	       s->prefix_save_area ? "other" : "0",
	       (unsigned long)s->ctrl_regs_save_area[0],
	       (unsigned long)s->ctrl_regs_save_area[14],
	       (unsigned long)s->gprs_save_area[15], area[0x1200]);
}

static void reset(const char *what, u8 order)
{
	u32 status = 0;

	report(what, sigp_retry(1, order, 0, &status), status);
}

/* SIGP in the problem state: privileged operation. */
static void run_problem_state(void)
{
	u16 code;

	pgm_expect(0);
	PROBLEM_STATE_PROBE("lghi %%r3, 1\n\tsigp %%r2, %%r3, 1", 0, 0);
	code = probe_result();
	if (code)
		printf("hostile-sigp: problem state: program interruption 0x%02x\n",
		       code);
	else
		puts("hostile-sigp: problem state: no program interruption");
}

int main(void)
{
	unsigned int i;

	printf("hostile-sigp: memory %lu MiB, %u cpus\n",
	       (unsigned long)(sclp_info.mem_size >> 20), nr_cpus);
	if (nr_cpus != 2) {
		puts("hostile-sigp: needs exactly 2 CPUs");
		return 1;
	}
	area = alloc_pages(0x2000, 0x2000);
	store_status("STORE STATUS AT ADDRESS cpu 1 (initial state)",
		     (u64)area + 0x1000);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	store_status("STORE STATUS AT ADDRESS cpu 1 to area+0x11ff (masked)",
		     (u64)area + 0x11ff);
	reset("CPU RESET cpu 1", SIGP_CPU_RESET);
	store_status("STORE STATUS AT ADDRESS cpu 1 after CPU RESET",
		     (u64)area + 0x1000);
	reset("INITIAL CPU RESET cpu 1", SIGP_INITIAL_CPU_RESET);
	store_status("STORE STATUS AT ADDRESS cpu 1 after INITIAL CPU RESET",
		     (u64)area + 0x1000);
	run_problem_state();
	puts("hostile-sigp: done");
	return 0;
}
