/*
 * Interruption dispatch: external interruptions by code, program checks
 * that a test expects, SVC, and a report for anything unexpected.
 */
#include "interrupt.h"
#include "exit.h"
#include "lowcore.h"
#include "printf.h"
#include "smp.h"

/* Few codes exist; a linear table is simpler than anything cleverer. */
static struct {
	u16 code;
	ext_handler_t fn;
} ext_handlers[16];

ext_handler_t ext_register(u16 code, ext_handler_t fn)
{
	unsigned int i, free_slot = ARRAY_SIZE(ext_handlers);
	ext_handler_t old;

	for (i = 0; i < ARRAY_SIZE(ext_handlers); i++) {
		if (ext_handlers[i].fn && ext_handlers[i].code == code) {
			old = ext_handlers[i].fn;
			WRITE_ONCE(ext_handlers[i].fn, fn);
			return old;
		}
		if (!ext_handlers[i].fn && free_slot == ARRAY_SIZE(ext_handlers))
			free_slot = i;
	}
	if (!fn)
		return NULL;
	if (free_slot == ARRAY_SIZE(ext_handlers)) {
		printf("ext_register: no slot for code 0x%04x\n", code);
		exit(EXIT_UNEXPECTED);
	}
	ext_handlers[free_slot].code = code;
	WRITE_ONCE(ext_handlers[free_slot].fn, fn);
	return NULL;
}

static void __noreturn unexpected(struct irq_frame *f, const char *what,
				  u16 code)
{
	printf("unexpected %s interruption: code 0x%04x cpu %u psw %016lx %016lx\n",
	       what, code, smp_cpu_addr(), f->psw.mask, f->psw.addr);
	exit(EXIT_UNEXPECTED);
}

static void ext_dispatch(struct irq_frame *f)
{
	/*
	 * Read the interruption fields first: a handler that enables
	 * interruptions again (the SCLP wait does) lets a nested external
	 * interruption overwrite them.
	 */
	u16 code = lowcore.ext_int_code;
	u16 cpu_addr = lowcore.ext_cpu_addr;
	u32 param = lowcore.ext_params;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ext_handlers); i++) {
		ext_handler_t fn = READ_ONCE(ext_handlers[i].fn);

		if (fn && ext_handlers[i].code == code) {
			fn(f, code, cpu_addr, param);
			return;
		}
	}
	unexpected(f, "external", code);
}

void pgm_expect(u64 resume)
{
	struct cpu *c = smp_this_cpu();

	c->pgm.resume = resume;
	c->pgm.seen = false;
	barrier();
	c->pgm.armed = true;
	barrier();
}

u64 *pgm_resume_slot(void)
{
	return &smp_this_cpu()->pgm.resume;
}

bool pgm_expected_result(struct pgm_info *info)
{
	struct cpu *c = smp_this_cpu();

	barrier();
	c->pgm.armed = false;
	*info = c->pgm.info;
	return c->pgm.seen;
}

static void pgm_dispatch(struct irq_frame *f)
{
	struct cpu *c = smp_this_cpu();
	u16 code = lowcore.pgm_code;

	if (!c || !c->pgm.armed)
		unexpected(f, "program", code);

	c->pgm.info.code = code;
	/* The ILC sits in bits 13-14 of the halfword: the value is the length. */
	c->pgm.info.ilen = lowcore.pgm_ilc & 0x6;
	c->pgm.info.dxc = lowcore.data_exc_code;
	c->pgm.info.old_psw = f->psw;
	c->pgm.seen = true;
	c->pgm.armed = false;

	/* Resume in the supervisor state, where the probe was armed. */
	f->psw.mask &= ~PSW_MASK_PSTATE;
	if (c->pgm.resume)
		f->psw.addr = c->pgm.resume;
}

static void svc_dispatch(struct irq_frame *f)
{
	u16 code = lowcore.svc_code;

	if (code != SVC_SUPERVISOR)
		unexpected(f, "supervisor-call", code);
	f->psw.mask &= ~PSW_MASK_PSTATE;
}

void irq_dispatch(struct irq_frame *f, unsigned long irq_class)
{
	switch (irq_class) {
	case IRQ_CLASS_EXT:
		ext_dispatch(f);
		break;
	case IRQ_CLASS_PGM:
		pgm_dispatch(f);
		break;
	case IRQ_CLASS_SVC:
		svc_dispatch(f);
		break;
	case IRQ_CLASS_RESTART:
		unexpected(f, "restart", 0);
	case IRQ_CLASS_MCCK:
		unexpected(f, "machine-check", (u16)(lowcore.mcck_int_code >> 48));
	case IRQ_CLASS_IO:
		unexpected(f, "I/O", lowcore.subchannel_nr);
	default:
		unexpected(f, "unknown-class", (u16)irq_class);
	}

	/*
	 * An interruption out of a wait PSW (wait_for_ext()) returns to the
	 * instruction after the LPSWE that waited, disabled as before.
	 */
	if (f->psw.mask & PSW_MASK_WAIT)
		f->psw.mask &= ~(PSW_MASK_WAIT | PSW_MASK_IRQS);
}

void wait_for_ext(void)
{
	struct psw psw;
	u64 tmp;

	psw.mask = psw_mask_get() | PSW_MASK_EXT | PSW_MASK_WAIT;
	__asm__ __volatile__(
		"	larl	%[tmp], 0f\n"
		"	stg	%[tmp], 8(%[psw])\n"
		"	lpswe	0(%[psw])\n"
		"0:\n"
		: [tmp] "=&a" (tmp)
		: [psw] "a" (&psw)
		: "memory", "cc");
}

void disabled_wait(u64 addr)
{
	struct psw psw = {
		.mask = PSW_MASK_64 | PSW_MASK_WAIT,
		.addr = addr,
	};

	for (;;)
		psw_load(&psw);
}
