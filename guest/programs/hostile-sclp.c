/*
 * hostile-sclp: SERVICE CALLs with wild SCCB addresses, lengths and
 * commands (docs/sclp.md 2, spec 6.5).  Each request prints one line: the
 * condition code and response code with the completion's parameter, or
 * the program interruption it got.  The guest survives all of them and
 * exits 0; the output is the same under QEMU and zvmm (tests/oracle).
 *
 * Run with 2 CPUs: CPU 1 issues a request with an SCCB in its own prefix
 * area.  Addresses are printed symbolically ("page" is a 4 KiB aligned
 * buffer of this program, "mem" the memory size), so the output does not
 * depend on the link.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "probe.h"
#include "psw.h"
#include "sclp.h"
#include "smp.h"
#include "string.h"

#define CMD_READ_STORAGE_INFO	0x00040001
#define CMD_UNKNOWN		0x12345678

/* Where a case's SCCB is. */
enum base { AT_ABS, AT_PAGE, AT_MEM };

struct sclp_case {
	const char *what;
	u32 command;
	enum base base;
	s64 offset;		/* from the base */
	u16 length;		/* written as the header length */
	bool header;		/* write a header at the address first */
};

/* Pages for the SCCBs: a request may cross into the next page. */
static u8 pages[4][SCCB_SIZE] __aligned(SCCB_SIZE);

static volatile unsigned int signals;
static volatile u32 signal_param;
static ext_handler_t lib_signal;

static void on_service_signal(struct irq_frame *f, u16 code, u16 cpu_addr,
			      u32 param)
{
	signal_param = param;
	signals++;
	if (lib_signal)
		lib_signal(f, code, cpu_addr, param);
}

/*
 * One SERVICE CALL: its condition code, or -1 with *pgm set when it got a
 * program interruption (execution resumes after the instruction).
 */
static int servc_probe(u32 command, u64 sccb, u16 *pgm)
{
	struct pgm_info info;
	int cc;

	pgm_expect(0);
	__asm__ __volatile__(
		"	larl	%%r1, 1f\n"
		"	stg	%%r1, 0(%[resume])\n"
		"	lhi	%[cc], -1\n"
		"	.insn	rre, 0xb2200000, %[cmd], %[sccb]\n"
		"	ipm	%[cc]\n"
		"	srl	%[cc], 28\n"
		"1:\n"
		: [cc] "=&d" (cc)
		: [cmd] "d" ((u64)command), [sccb] "d" (sccb),
		  [resume] "a" (pgm_resume_slot())
		: "r1", "cc", "memory");
	*pgm = pgm_expected_result(&info) ? info.code : 0;
	return cc;
}

/*
 * The request with only the service-signal subclass enabled, and waiting
 * for its completion when it was accepted (CC 0).  CC 2 (zvmm: the last
 * completion not delivered yet) is retried.
 */
static int servc_wait(u32 command, u64 sccb, u16 *pgm)
{
	u64 cr0 = ctl_get(0);
	u8 mask = irq_save();
	unsigned int before = signals;
	int cc;

	ctl_load(0, (cr0 & ~CR0_EXT_SUBCLASSES) | CR0_SERVICE_SIGNAL);
	while ((cc = servc_probe(command, sccb, pgm)) == 2) {
		ext_enable();
		ext_disable();
	}
	if (cc == 0)
		while (signals == before)
			wait_for_ext();
	ctl_load(0, cr0);
	irq_restore(mask);
	return cc;
}

static const char *pgm_name(u16 code)
{
	switch (code) {
	case PGM_PRIVILEGED:	return "privileged operation";
	case PGM_ADDRESSING:	return "addressing";
	case PGM_SPECIFICATION:	return "specification";
	default:		return "other";
	}
}

/* Print the outcome of one request; the SCCB is read only after CC 0. */
static void report(const char *who, const char *what, int cc, u16 pgm,
		   u64 sccb)
{
	const struct sccb_header *h = (const void *)sccb;

	if (cc < 0)
		printf("%s: %s: program interruption 0x%02x (%s)\n", who, what,
		       pgm, pgm_name(pgm));
	else if (cc)
		printf("%s: %s: cc=%d\n", who, what, cc);
	else
		printf("%s: %s: cc=0 response=0x%04x signal=%s\n", who, what,
		       h->response_code,
		       (signal_param & ~7U) == sccb ? "sccb" : "other");
}

static u64 case_address(const struct sclp_case *c)
{
	switch (c->base) {
	case AT_PAGE:
		return (u64)pages[0] + (u64)c->offset;
	case AT_MEM:
		return sclp_info.mem_size + (u64)c->offset;
	default:
		return (u64)c->offset;
	}
}

static void run_case(const struct sclp_case *c)
{
	u64 sccb = case_address(c);
	u16 pgm;
	int cc;

	if (c->header) {
		memset((void *)sccb, 0, sizeof(struct sccb_header));
		((struct sccb_header *)sccb)->length = c->length;
	}
	cc = servc_wait(c->command, sccb, &pgm);
	report("hostile-sclp", c->what, cc, pgm, sccb);
}

static const struct sclp_case cases[] = {
	/* Addresses outside memory: addressing, before any other check. */
	{ "sccb=0xffffffff (beyond memory, unaligned)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0xffffffff, 0, false },
	{ "sccb=0x7ffffff8 (beyond memory)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0x7ffffff8, 0, false },
	{ "sccb=0x80000000 (2 GiB)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0x80000000, 0, false },
	{ "sccb=0xffffffffffff0000 (64-bit)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, (s64)0xffffffffffff0000UL, 0, false },
	{ "sccb=mem (first byte past memory)",
	  SCLP_CMD_READ_SCP_INFO, AT_MEM, 0, 0, false },
	{ "sccb=mem-16 length=4096 (ends past memory)",
	  SCLP_CMD_READ_SCP_INFO, AT_MEM, -16, 4096, true },
	{ "sccb=mem-16 length=4096 unknown command (ends past memory)",
	  CMD_UNKNOWN, AT_MEM, -16, 4096, true },
	{ "sccb=mem-4096 length=4096 (the last page)",
	  SCLP_CMD_READ_SCP_INFO, AT_MEM, -4096, 4096, true },
	/* The lowcore, alignment, the header length: specification. */
	{ "sccb=0x0 (lowcore)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0, 0, false },
	{ "sccb=0x1000 (lowcore)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0x1000, 0, false },
	{ "sccb=0x1ff8 (last lowcore doubleword)",
	  SCLP_CMD_READ_SCP_INFO, AT_ABS, 0x1ff8, 0, false },
	{ "sccb=0x2000 length=8 unknown command (above the lowcore)",
	  CMD_UNKNOWN, AT_ABS, 0x2000, 8, true },
	{ "sccb=page+4 (not 8-byte aligned)",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 4, 4096, true },
	{ "sccb=page+1 (not 8-byte aligned)",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 1, 4096, true },
	{ "length=0",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 0, 0, true },
	{ "length=7",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 0, 7, true },
	/* Lengths the command does not accept: response codes. */
	{ "length=8 READ SCP INFO (too small)",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 0, 8, true },
	{ "length=8 READ CPU INFO (too small)",
	  SCLP_CMD_READ_CPU_INFO, AT_PAGE, 0, 8, true },
	{ "length=2048 READ EVENT DATA (not 4096)",
	  SCLP_CMD_READ_EVENT_DATA, AT_PAGE, 0, 2048, true },
	{ "sccb=page+2048 length=4096 READ SCP INFO (crosses a page)",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 2048, 4096, true },
	{ "sccb=page+2048 length=4096 WRITE EVENT MASK (crosses a page)",
	  SCLP_CMD_WRITE_EVENT_MASK, AT_PAGE, 2048, 4096, true },
	{ "length=0xffff READ SCP INFO (too large)",
	  SCLP_CMD_READ_SCP_INFO, AT_PAGE, 0, 0xffff, true },
	{ "length=0x8000 unknown command (command checked first)",
	  CMD_UNKNOWN, AT_PAGE, 0, 0x8000, true },
	/* Commands. */
	{ "command=0x00000000",
	  0x00000000, AT_PAGE, 0, 4096, true },
	{ "command=0xffffffff",
	  0xffffffff, AT_PAGE, 0, 4096, true },
	{ "command=0x00040001 (READ STORAGE ELEMENT INFO)",
	  CMD_READ_STORAGE_INFO, AT_PAGE, 0, 4096, true },
	{ "command=0x0012ff01 (READ SCP INFO forced, byte 2 ignored)",
	  0x0012ff01, AT_PAGE, 0, 4096, true },
};

/* Event-facility requests with bad contents: the SCCB is built here. */
static void run_event_cases(void)
{
	u64 sccb = (u64)pages[0];
	u8 *p = pages[0];
	u16 pgm;
	int cc;

	memset(p, 0, 32);
	*(u16 *)p = 16;			/* one event buffer of length 3 */
	*(u16 *)(p + 8) = 3;
	p[10] = 0x1a;
	cc = servc_wait(SCLP_CMD_WRITE_EVENT_DATA, sccb, &pgm);
	report("hostile-sclp", "WRITE EVENT DATA buffer length 3", cc, pgm, sccb);

	memset(p, 0, 32);
	*(u16 *)p = 16;			/* function code 1 */
	p[2] = 1;
	cc = servc_wait(SCLP_CMD_WRITE_EVENT_DATA, sccb, &pgm);
	report("hostile-sclp", "WRITE EVENT DATA function code 1", cc, pgm, sccb);

	memset(p, 0, 32);
	*(u16 *)p = 28;			/* mask length 0 */
	cc = servc_wait(SCLP_CMD_WRITE_EVENT_MASK, sccb, &pgm);
	report("hostile-sclp", "WRITE EVENT MASK mask length 0", cc, pgm, sccb);
}

/* SERVICE CALL in the problem state: privileged operation. */
static void run_problem_state(void)
{
	u64 sccb = (u64)pages[0];

	((struct sccb_header *)sccb)->length = 4096;
	pgm_expect(0);
	PROBLEM_STATE_PROBE(".insn rre, 0xb2200000, %[a], %[b]",
			    SCLP_CMD_READ_SCP_INFO, sccb);
	report("hostile-sclp", "problem state", -1, probe_result(), sccb);
}

/* CPU 1: an SCCB in its own prefix area (its lowcore, not at 0). */
static volatile int cpu1_cc = -2;
static volatile u16 cpu1_pgm;

static void cpu1_request(void)
{
	u16 pgm;

	cpu1_cc = servc_wait(CMD_UNKNOWN, (u64)smp_this_cpu()->lowcore + 0x1800,
			     &pgm);
	cpu1_pgm = pgm;
}

static void run_prefix_cases(void)
{
	struct cpu *c = nr_cpus > 1 ? &cpus[1] : NULL;
	u64 sccb;
	u16 pgm;
	int cc;

	if (!c || smp_cpu_start(c, cpu1_request)) {
		puts("hostile-sclp: prefix cases need a second CPU: skipped");
		return;
	}
	while (cpu1_cc == -2)
		barrier();
	report("hostile-sclp", "cpu 1: sccb=own prefix+0x1800", cpu1_cc,
	       cpu1_pgm, (u64)c->lowcore + 0x1800);

	/* Another CPU's prefix area is ordinary memory for this one. */
	sccb = (u64)c->lowcore + 0x1800;
	memset((void *)sccb, 0, 8);
	((struct sccb_header *)sccb)->length = 8;
	cc = servc_wait(CMD_UNKNOWN, sccb, &pgm);
	report("hostile-sclp", "cpu 0: sccb=cpu 1's prefix+0x1800", cc, pgm,
	       sccb);
}

int main(void)
{
	unsigned int i;

	lib_signal = ext_register(EXT_CODE_SERVICE_SIGNAL, on_service_signal);
	printf("hostile-sclp: memory %lu MiB, %u cpus\n",
	       (unsigned long)(sclp_info.mem_size >> 20), nr_cpus);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	run_event_cases();
	run_problem_state();
	run_prefix_cases();
	/* The SCLP still works: this line is printed through it. */
	puts("hostile-sclp: done");
	return 0;
}
