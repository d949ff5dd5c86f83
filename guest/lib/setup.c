/*
 * C part of the boot: the lowcore new PSWs, the timers, the SCLP and its
 * console, the CPU table.  Runs on the boot CPU before main().
 */
#include "console.h"
#include "ctlreg.h"
#include "lowcore.h"
#include "sclp.h"
#include "setup.h"
#include "smp.h"
#include "time.h"

extern char restart_int_entry[], ext_int_entry[], svc_int_entry[],
	    pgm_int_entry[], mcck_int_entry[], io_int_entry[];

/* 64-bit mode, everything disabled: handlers run with interruptions off. */
static void set_new_psw(unsigned int irq_class, const void *handler)
{
	lowcore.new_psw[irq_class].mask = PSW_MASK_64;
	lowcore.new_psw[irq_class].addr = (u64)handler;
}

void setup_lowcore(void)
{
	set_new_psw(IRQ_CLASS_RESTART, restart_int_entry);
	set_new_psw(IRQ_CLASS_EXT, ext_int_entry);
	set_new_psw(IRQ_CLASS_SVC, svc_int_entry);
	set_new_psw(IRQ_CLASS_PGM, pgm_int_entry);
	set_new_psw(IRQ_CLASS_MCCK, mcck_int_entry);
	set_new_psw(IRQ_CLASS_IO, io_int_entry);
}

void guest_setup(void)
{
	setup_lowcore();
	/* A provisional CPU entry until the SCLP CPU list is known. */
	cpus[0].addr = stap();
	cpus[0].online = true;
	lowcore.cpu = (u64)&cpus[0];
	nr_cpus = 1;

	/*
	 * After reset the clock comparator is 0 and the CPU timer 0, i.e.
	 * both due at once; park them before any subclass gets enabled.
	 */
	timers_quiesce();
	timers_setup();

	sclp_setup();
	(void)sclp_read_info();
	(void)console_setup();
	smp_setup();
}
