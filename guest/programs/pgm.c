/*
 * pgm: provoke the common program exceptions, check what the CPU stored
 * (interruption code, instruction length, old PSW) and resume.
 *
 * For every exception provoked here the operation is suppressed or
 * completed, never nullified, so the old PSW must point past the
 * instruction ("next").  The probe resumes at that address whatever the
 * CPU stored, so a wrong PSW is reported instead of looping.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "lowcore.h"
#include "printf.h"
#include "psw.h"
#include "sclp.h"
#include "setup.h"

/* Addresses of the instruction that should fail and of the one after it. */
struct probe {
	u64 insn;
	u64 next;
	u64 value;		/* a register the probe wants checked */
	u64 mask;		/* PSW mask or CR0 observed by the probe */
};

/*
 * Label 0 is the instruction, label 1 the next one: record both and make
 * label 1 the resume address.
 */
#define PROBE_LABELS						\
	"	larl	%%r1, 0f\n"				\
	"	stg	%%r1, %[insn]\n"			\
	"	larl	%%r1, 1f\n"				\
	"	stg	%%r1, %[next]\n"			\
	"	stg	%%r1, 0(%[resume])\n"

#define PROBE_OUT(p)	[insn] "=m" ((p)->insn), [next] "=m" ((p)->next)
#define PROBE_RESUME	[resume] "a" (pgm_resume_slot())

static void probe_operation(struct probe *p)
{
	/* Opcode 0x00 is not assigned: a 2-byte instruction. */
	__asm__ __volatile__(
		PROBE_LABELS
		"0:	.short	0x0000\n"
		"1:\n"
		: PROBE_OUT(p)
		: PROBE_RESUME
		: "r1", "cc", "memory");
}

static void probe_privileged(struct probe *p)
{
	struct psw psw = { .mask = psw_mask_get() | PSW_MASK_PSTATE };

	/* PURGE TLB in the problem state. */
	__asm__ __volatile__(
		PROBE_LABELS
		"	larl	%%r1, 0f\n"
		"	stg	%%r1, 8(%[psw])\n"
		"	lpswe	0(%[psw])\n"
		"0:	ptlb\n"
		"1:\n"
		: PROBE_OUT(p)
		: PROBE_RESUME, [psw] "a" (&psw)
		: "r1", "cc", "memory");
}

static void probe_execute(struct probe *p)
{
	/* The target of EXECUTE may not be EXECUTE. */
	__asm__ __volatile__(
		PROBE_LABELS
		"	larl	%%r2, 2f\n"
		"0:	ex	%%r0, 0(%%r2)\n"
		"1:	j	3f\n"
		"2:	ex	%%r0, 0(%%r2)\n"
		"3:\n"
		: PROBE_OUT(p)
		: PROBE_RESUME
		: "r1", "r2", "cc", "memory");
}

static void probe_protection(struct probe *p)
{
	u64 cr0 = ctl_get(0), cr0_lap = cr0 | CR0_LAP;

	/*
	 * Low-address protection: no store into real 0-511 with CR0 bit 35
	 * on.  The entry code turns it off while the handler runs.
	 */
	lowcore.pad_0x0000[100] = 0;
	__asm__ __volatile__(
		PROBE_LABELS
		"	lctlg	%%c0, %%c0, %[lap]\n"
		"0:	mvi	100, 0xff\n"
		"1:	lctlg	%%c0, %%c0, %[cr0]\n"
		: PROBE_OUT(p)
		: PROBE_RESUME, [lap] "Q" (cr0_lap), [cr0] "Q" (cr0)
		: "r1", "cc", "memory");
	p->value = lowcore.pad_0x0000[100];
}

static void probe_addressing(struct probe *p)
{
	/* The first byte past the memory SCLP reported. */
	u64 addr = sclp_info.mem_size;

	__asm__ __volatile__(
		PROBE_LABELS
		"0:	lg	%%r2, 0(%[addr])\n"
		"1:\n"
		: PROBE_OUT(p)
		: PROBE_RESUME, [addr] "a" (addr)
		: "r1", "r2", "cc", "memory");
}

static void probe_specification(struct probe *p)
{
	/* DIVIDE needs an even-odd register pair: R1 = 1 is odd. */
	__asm__ __volatile__(
		PROBE_LABELS
		"0:	.insn	rr, 0x1d00, %%r1, %%r2\n"
		"1:\n"
		: PROBE_OUT(p)
		: PROBE_RESUME
		: "r1", "r2", "cc", "memory");
}

static void probe_data(struct probe *p)
{
	u64 cr0 = ctl_get(0), cr0_noafp = cr0 & ~CR0_AFP;

	/* FPR 1 without the AFP-register control: data exception, DXC 1. */
	__asm__ __volatile__(
		PROBE_LABELS
		"	lctlg	%%c0, %%c0, %[noafp]\n"
		"0:	ldr	%%f1, %%f0\n"
		"1:	lctlg	%%c0, %%c0, %[cr0]\n"
		: PROBE_OUT(p)
		: PROBE_RESUME, [noafp] "Q" (cr0_noafp), [cr0] "Q" (cr0)
		: "r1", "f1", "cc", "memory");
}

static void probe_fixpt_overflow(struct probe *p)
{
	u64 result;

	/*
	 * 0x7fffffff + 1 with the fixed-point-overflow mask on (SET PROGRAM
	 * MASK from bits 36-39 of the register).  The addition completes:
	 * the sum is stored and CC 3 set before the interruption.
	 */
	__asm__ __volatile__(
		PROBE_LABELS
		"	llilh	%%r2, 0x0800\n"
		"	spm	%%r2\n"
		"	iilf	%%r3, 0x7fffffff\n"
		"	lhi	%%r4, 1\n"
		"0:	ar	%%r3, %%r4\n"
		"1:	lhi	%%r2, 0\n"
		"	spm	%%r2\n"
		"	llgfr	%[res], %%r3\n"
		: PROBE_OUT(p), [res] "=d" (result)
		: PROBE_RESUME
		: "r1", "r2", "r3", "r4", "cc", "memory");
	p->value = result;
}

static void probe_fixpt_divide(struct probe *p)
{
	u64 result;

	/* 7 / 0: suppressed, the dividend pair stays as it was. */
	__asm__ __volatile__(
		PROBE_LABELS
		"	lhi	%%r2, 0\n"
		"	lhi	%%r3, 7\n"
		"	lhi	%%r4, 0\n"
		"0:	dr	%%r2, %%r4\n"
		"1:	llgfr	%[res], %%r3\n"
		: PROBE_OUT(p), [res] "=d" (result)
		: PROBE_RESUME
		: "r1", "r2", "r3", "r4", "cc", "memory");
	p->value = result;
}

enum where { PSW_NEXT, PSW_SAME };

struct pgm_test {
	const char *name;
	void (*probe)(struct probe *p);
	u16 code;
	u16 ilen;
	enum where where;
	bool problem_state;	/* old PSW must show the problem state */
	bool check_value;
	u64 value;		/* expected probe->value */
	int dxc;		/* expected DXC, -1: not checked */
	int cc;			/* expected CC in the old PSW, -1: not checked */
};

static const struct pgm_test tests[] = {
	{ "operation", probe_operation, PGM_OPERATION, 2, PSW_NEXT,
	  false, false, 0, -1, -1 },
	{ "privileged-operation", probe_privileged, PGM_PRIVILEGED, 4, PSW_NEXT,
	  true, false, 0, -1, -1 },
	{ "execute", probe_execute, PGM_EXECUTE, 4, PSW_NEXT,
	  false, false, 0, -1, -1 },
	{ "protection", probe_protection, PGM_PROTECTION, 4, PSW_NEXT,
	  false, true, 0, -1, -1 },
	{ "addressing", probe_addressing, PGM_ADDRESSING, 6, PSW_NEXT,
	  false, false, 0, -1, -1 },
	{ "specification", probe_specification, PGM_SPECIFICATION, 2, PSW_NEXT,
	  false, false, 0, -1, -1 },
	{ "data", probe_data, PGM_DATA, 2, PSW_NEXT,
	  false, false, 0, 1, -1 },
	{ "fixed-point-overflow", probe_fixpt_overflow, PGM_FIXPT_OVERFLOW, 2,
	  PSW_NEXT, false, true, 0x80000000, -1, 3 },
	{ "fixed-point-divide", probe_fixpt_divide, PGM_FIXPT_DIVIDE, 2,
	  PSW_NEXT, false, true, 7, -1, -1 },
};

static bool run_test(const struct pgm_test *t)
{
	struct probe p = { 0 };
	struct pgm_info info;
	bool seen, ok = true;
	u64 want_addr;

	pgm_expect(0);
	t->probe(&p);
	seen = pgm_expected_result(&info);
	if (!seen) {
		printf("pgm: %-20s no program interruption: FAIL\n", t->name);
		return false;
	}

	want_addr = t->where == PSW_NEXT ? p.next : p.insn;
	printf("pgm: %-20s code 0x%04x ilen %u psw %s", t->name, info.code,
	       info.ilen, info.old_psw.addr == p.next ? "next" :
	       info.old_psw.addr == p.insn ? "same" : "elsewhere");
	if (t->dxc >= 0)
		printf(" dxc 0x%02x", info.dxc);
	if (t->cc >= 0)
		printf(" cc %u", (unsigned int)(info.old_psw.mask >> 44) & 3);
	if (t->problem_state)
		printf(" %s", info.old_psw.mask & PSW_MASK_PSTATE ?
		       "problem-state" : "supervisor-state");
	if (t->check_value)
		printf(" value 0x%lx", p.value);

	ok = info.code == t->code && info.ilen == t->ilen &&
	     info.old_psw.addr == want_addr;
	if (t->dxc >= 0 && info.dxc != (u32)t->dxc)
		ok = false;
	if (t->cc >= 0 && ((info.old_psw.mask >> 44) & 3) != (u64)t->cc)
		ok = false;
	if (t->problem_state && !(info.old_psw.mask & PSW_MASK_PSTATE))
		ok = false;
	if (t->check_value && p.value != t->value)
		ok = false;
	printf(": %s\n", ok ? "ok" : "FAIL");
	if (!ok)
		printf("pgm: %-20s expected code 0x%04x ilen %u psw %s\n",
		       t->name, t->code, t->ilen,
		       t->where == PSW_NEXT ? "next" : "same");
	return ok;
}

/* SVC 0 from the problem state comes back in the supervisor state. */
static bool run_svc(void)
{
	struct psw psw = { .mask = psw_mask_get() | PSW_MASK_PSTATE };
	u64 mask;
	bool ok;

	__asm__ __volatile__(
		"	larl	%%r1, 0f\n"
		"	stg	%%r1, 8(%[psw])\n"
		"	lpswe	0(%[psw])\n"
		"0:	svc	0\n"
		: : [psw] "a" (&psw) : "r1", "cc", "memory");
	mask = psw_mask_get();
	ok = !(mask & PSW_MASK_PSTATE) && lowcore.svc_code == 0 &&
	     (lowcore.svc_ilc & 0x6) == 2;
	printf("pgm: %-20s code 0x%04x ilen %u state %s: %s\n", "supervisor-call",
	       lowcore.svc_code, lowcore.svc_ilc & 0x6,
	       mask & PSW_MASK_PSTATE ? "problem" : "supervisor",
	       ok ? "ok" : "FAIL");
	return ok;
}

int main(void)
{
	unsigned int i, passed = 0, total = ARRAY_SIZE(tests) + 1;

	puts("pgm: program interruptions");
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		passed += run_test(&tests[i]);
	passed += run_svc();
	printf("pgm: %u of %u passed\n", passed, total);
	return passed == total ? 0 : 1;
}
