/*
 * hostile-diag: DIAGNOSE codes nobody offers and bad uses of the ones that
 * exist (spec 3.2, 3.8, 3.9; docs/vmm.md 5).  Each prints the program
 * interruption it got, or the registers it changed; the guest survives all
 * of them and exits 0.  The output is the same under QEMU and zvmm
 * (tests/oracle).
 *
 * Every probe runs "diag %r2,%r4,CODE" (or "diag %r3,%r4,CODE" for an odd
 * r1) with gprs 1-5 loaded from the case: DIAG 0x500 takes its subcode in
 * gpr 1 and answers in gpr 2, DIAG 0x308 its subcode in gpr r3 (4) and the
 * parameter address in gpr r1 (2), DIAG 0x288 the function in gpr r1 (2),
 * the timeout in gpr r1+1 (3) and the action in gpr r3 (4).  Only cases
 * that QEMU without a watchdog device answers as zvmm are here: QEMU
 * refuses every DIAG 0x288 then, zvmm only the bad ones.  Nor is DIAG
 * 0x308 with subcode 0x10003 or 0x10004 here: KVM takes only the low 16
 * bits and re-IPLs (so does zvmm), QEMU's TCG answers specification.
 */
#include "interrupt.h"
#include "printf.h"
#include "probe.h"
#include "psw.h"
#include "sclp.h"
#include "string.h"

#define NREGS	5	/* gprs 1-5 */

typedef void (*diag_fn)(u64 *regs);

/*
 * A probe: gprs 1-5 from regs, the DIAG, gprs 1-5 back into regs; a
 * program interruption resumes after it.
 */
#define DIAG_PROBE(name, r1, code)					\
static void name(u64 *regs)						\
{									\
	__asm__ __volatile__(						\
		"	larl	%%r0, 1f\n"				\
		"	stg	%%r0, 0(%[resume])\n"			\
		"	lmg	%%r1, %%r5, 0(%[regs])\n"		\
		"	diag	" r1 ", %%r4, " code "\n"		\
		"1:	stmg	%%r1, %%r5, 0(%[regs])\n"		\
		:							\
		: [regs] "a" (regs), [resume] "a" (pgm_resume_slot())	\
		: "r0", "r1", "r2", "r3", "r4", "r5", "cc", "memory");	\
}

DIAG_PROBE(diag_000, "%%r2", "0x000")
DIAG_PROBE(diag_123, "%%r2", "0x123")
DIAG_PROBE(diag_318, "%%r2", "0x318")
DIAG_PROBE(diag_501, "%%r2", "0x501")
DIAG_PROBE(diag_fff, "%%r2", "0xfff")
DIAG_PROBE(diag_500, "%%r2", "0x500")
DIAG_PROBE(diag_308, "%%r2", "0x308")
DIAG_PROBE(diag_308_odd, "%%r3", "0x308")
DIAG_PROBE(diag_288, "%%r2", "0x288")
DIAG_PROBE(diag_288_odd, "%%r3", "0x288")

enum base { AT_ABS, AT_PAGE, AT_MEM };

struct diag_case {
	const char *what;
	diag_fn fn;
	u64 regs[NREGS];	/* gprs 1-5 */
	enum base base;		/* what gpr 2 is relative to */
	unsigned int show;	/* the gpr to print when no interruption */
};

static u8 page[4096] __aligned(4096);

#define EINVAL_ANSWER	((u64)-22)

static const struct diag_case cases[] = {
	/* Codes nobody offers: specification. */
	{ "DIAG 0x000", diag_000, { 0 }, AT_ABS, 2 },
	{ "DIAG 0x123", diag_123, { 0 }, AT_ABS, 2 },
	{ "DIAG 0x318 (no DIAG 318 facility)", diag_318, { 0 }, AT_ABS, 2 },
	{ "DIAG 0x501 (no debugger)", diag_501, { 0 }, AT_ABS, 2 },
	{ "DIAG 0xfff", diag_fff, { 0 }, AT_ABS, 2 },
	/* DIAG 0x500: subcode in gpr 1, answer in gpr 2. */
	{ "DIAG 0x500 subcode 0 gpr2=0x1000", diag_500,
	  { 0, 0x1000 }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 0 gpr2=mem", diag_500, { 0, 0 }, AT_MEM, 2 },
	{ "DIAG 0x500 subcode 1", diag_500, { 1 }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 2", diag_500, { 2 }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 3 subchannel 0.0.ffff (none)", diag_500,
	  { 3, 0x1ffff }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 3 bad subchannel id", diag_500,
	  { 3, 0 }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 4", diag_500, { 4 }, AT_ABS, 2 },
	{ "DIAG 0x500 subcode 0xffffffff", diag_500,
	  { 0xffffffff }, AT_ABS, 2 },
	/* DIAG 0x308: subcode in gpr 4, address in gpr 2, answer in gpr 3. */
	{ "DIAG 0x308 subcode 2", diag_308, { 0, 0, 0, 2 }, AT_ABS, 3 },
	{ "DIAG 0x308 subcode 7", diag_308, { 0, 0, 0, 7 }, AT_ABS, 3 },
	{ "DIAG 0x308 subcode 0x10002 (high bits)", diag_308,
	  { 0, 0, 0, 0x10002 }, AT_ABS, 3 },
	{ "DIAG 0x308 subcode 0xffff", diag_308,
	  { 0, 0, 0, 0xffff }, AT_ABS, 3 },
	{ "DIAG 0x308 subcode 6 (nothing set)", diag_308,
	  { 0, 0, 0, 6 }, AT_PAGE, 3 },
	{ "DIAG 0x308 subcode 5 r1 odd", diag_308_odd,
	  { 0, 0, 0, 5 }, AT_PAGE, 3 },
	{ "DIAG 0x308 subcode 5 address page+8 (unaligned)", diag_308,
	  { 0, 8, 0, 5 }, AT_PAGE, 3 },
	{ "DIAG 0x308 subcode 5 address mem", diag_308,
	  { 0, 0, 0, 5 }, AT_MEM, 3 },
	{ "DIAG 0x308 subcode 6 address mem", diag_308,
	  { 0, 0, 0, 6 }, AT_MEM, 3 },
	{ "DIAG 0x308 subcode 5 (empty block)", diag_308,
	  { 0, 0, 0, 5 }, AT_PAGE, 3 },
	{ "DIAG 0x308 subcode 6 (after the invalid block)", diag_308,
	  { 0, 0, 0, 6 }, AT_PAGE, 3 },
	/* DIAG 0x288 with bad arguments: specification (QEMU: always). */
	{ "DIAG 0x288 function 3", diag_288, { 0, 3, 30, 0 }, AT_ABS, 2 },
	{ "DIAG 0x288 cancel while not armed", diag_288,
	  { 0, 2, 0, 0 }, AT_ABS, 2 },
	{ "DIAG 0x288 init timeout 5", diag_288, { 0, 0, 5, 0 }, AT_ABS, 2 },
	{ "DIAG 0x288 init action 1", diag_288, { 0, 0, 30, 1 }, AT_ABS, 2 },
	{ "DIAG 0x288 r1 odd", diag_288_odd, { 0, 0, 30, 0 }, AT_ABS, 2 },
};

static u64 case_base(const struct diag_case *c)
{
	switch (c->base) {
	case AT_PAGE:
		return (u64)page;
	case AT_MEM:
		return sclp_info.mem_size;
	default:
		return 0;
	}
}

static void run_case(const struct diag_case *c)
{
	struct pgm_info info;
	u64 regs[NREGS];

	memcpy(regs, c->regs, sizeof(regs));
	regs[1] += case_base(c);
	pgm_expect(0);
	c->fn(regs);
	if (pgm_expected_result(&info))
		printf("hostile-diag: %s: program interruption 0x%02x\n",
		       c->what, info.code);
	else if (regs[c->show - 1] == EINVAL_ANSWER)
		printf("hostile-diag: %s: gpr%u=-EINVAL\n", c->what, c->show);
	else
		printf("hostile-diag: %s: gpr%u=0x%lx\n", c->what, c->show,
		       (unsigned long)regs[c->show - 1]);
}

/* DIAG in the problem state: privileged operation. */
static void run_problem_state(void)
{
	u16 code;

	pgm_expect(0);
	PROBLEM_STATE_PROBE("diag %%r2, %%r4, 0x500", 0, 0);
	code = probe_result();
	if (code)
		printf("hostile-diag: problem state: program interruption 0x%02x\n",
		       code);
	else
		puts("hostile-diag: problem state: no program interruption");
}

int main(void)
{
	unsigned int i;

	printf("hostile-diag: memory %lu MiB\n",
	       (unsigned long)(sclp_info.mem_size >> 20));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	run_problem_state();
	puts("hostile-diag: done");
	return 0;
}
