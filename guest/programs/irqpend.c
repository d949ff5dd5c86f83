/*
 * irqpend: interruptions that are surely pending, for MASK_SECONDS of TOD
 * time, so that a migration in that window has to carry them over.
 *
 * With two or more CPUs, CPU 1 is the target.  It keeps external
 * interruptions off in its PSW (the CR0 subclasses stay on), sets its
 * clock comparator in the past and lets its CPU timer run out: both
 * conditions are pending.  Every other CPU sends it one emergency signal,
 * and CPU 0 one external call as well.  CPU 0 then, with every CPU
 * disabled, starts an SCLP WRITE EVENT DATA that writes the line
 * "irqpend: pending" and does not wait for it: its completion, the
 * service signal (a floating interruption), stays pending because no CPU
 * can take it.  Everything stays masked for MASK_SECONDS (busy loop on the
 * TOD, which stands still during a migration).  Then every CPU enables
 * external interruptions, CPU 0 the service-signal subclass too, and CPU 0
 * checks, within a timeout, that
 *   - CPU 1 got exactly one external call (from CPU 0) and exactly one
 *     emergency signal from every other CPU, one clock-comparator and one
 *     CPU-timer interruption (the handlers disarm both timers);
 *   - exactly one service signal came, with the SCCB address as its
 *     parameter and response code 0x0020 in the SCCB;
 *   - nothing else arrived anywhere.
 * With one CPU, CPU 0 is the target of the timers and there are no
 * signals.  Exit 0 when everything holds, 1 otherwise.
 */
#include "console.h"
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "sclp.h"
#include "setup.h"
#include "sigp.h"
#include "smp.h"
#include "string.h"
#include "time.h"

#ifndef MASK_SECONDS
#define MASK_SECONDS		3
#endif

#define TEST_CPUS		16
#define TIMEOUT_MS		20000
/* How long to stay enabled after everything came, to catch duplicates. */
#define SETTLE_MS		200

enum phase { SETUP, MASKED, UNMASKED, CHECKED };

static volatile u32 es_count[TEST_CPUS][TEST_CPUS];	/* [receiver][source] */
static volatile u32 ec_count[TEST_CPUS][TEST_CPUS];
static volatile u32 ckc_count[TEST_CPUS];
static volatile u32 cput_count[TEST_CPUS];
static volatile u32 stray;
static volatile u32 srv_count, srv_param;
static volatile int phase;
static volatile int armed;			/* the target's timers */
static volatile int sent[TEST_CPUS];		/* 1 + SIGP CC */
static unsigned int n, target;
static ext_handler_t lib_service_signal;

static u8 sccb_page[SCCB_SIZE] __aligned(SCCB_SIZE);

static int cpu_index(u16 addr)
{
	struct cpu *c = smp_cpu_by_addr(addr);

	return c && c->idx < n ? c->idx : -1;
}

static int self_index(void)
{
	unsigned int i = smp_this_cpu()->idx;

	return i < n ? (int)i : -1;
}

static void signal_handler(struct irq_frame *f __unused, u16 code,
			   u16 src_addr, u32 param __unused)
{
	int me = self_index(), src = cpu_index(src_addr);

	if (me < 0 || src < 0)
		stray++;
	else if (code == EXT_CODE_EMERGENCY_SIGNAL)
		es_count[me][src]++;
	else
		ec_count[me][src]++;
}

static void timer_handler(struct irq_frame *f __unused, u16 code,
			  u16 cpu_addr __unused, u32 param __unused)
{
	int me = self_index();

	if (code == EXT_CODE_CLOCK_COMPARATOR)
		ckc_set(CKC_NEVER);
	else
		cpu_timer_set(CPU_TIMER_NEVER);
	if (me < 0)
		stray++;
	else if (code == EXT_CODE_CLOCK_COMPARATOR)
		ckc_count[me]++;
	else
		cput_count[me]++;
}

static void service_handler(struct irq_frame *f, u16 code, u16 cpu_addr,
			    u32 param)
{
	if ((param & ~7U) == (u32)(u64)sccb_page) {
		srv_count++;
		srv_param = param;
	} else {
		/* One of the library's own requests (printing). */
		lib_service_signal(f, code, cpu_addr, param);
	}
}

/*
 * Both timer conditions pending on this CPU, which is disabled.  The CPU
 * timer is set to 10 us and allowed to run out, rather than set negative:
 * QEMU 7.2 ignores SPT of -1 (its "no timer" value), and converts other
 * negative values to nanoseconds as if they were unsigned.
 */
static void arm_timers(void)
{
	u64 t = stck();

	ckc_set(t - 1);
	cpu_timer_set((s64)TOD_US(10));
	while (stck() < t + TOD_MS(2))
		;
	WRITE_ONCE(armed, 1);
}

static bool wait_tod(volatile int *flag, u64 timeout_ms)
{
	u64 deadline = stck() + TOD_MS(timeout_ms);

	while (!*flag)
		if (stck() > deadline)
			return false;
	return true;
}

static void send(unsigned int self, u8 order)
{
	u32 status = 0;
	int cc = sigp_retry(cpus[target].addr, order, 0, &status);

	if (cc)
		sent[self] = 1 + cc;
}

static void secondary(void)
{
	unsigned int self = smp_this_cpu()->idx;

	if (self == target) {
		arm_timers();
	} else if (self < n) {
		if (wait_tod(&armed, TIMEOUT_MS))
			send(self, SIGP_EMERGENCY_SIGNAL);
		if (!sent[self])
			sent[self] = 1;
	}
	while (phase < UNMASKED)
		;
	ext_enable();
	while (phase < CHECKED)
		;
	ext_disable();
	for (;;)
		;
}

static bool target_complete(void)
{
	unsigned int i;

	if (ckc_count[target] < 1 || cput_count[target] < 1 || srv_count < 1)
		return false;
	for (i = 0; i < n; i++) {
		if (i != target && es_count[target][i] < 1)
			return false;
	}
	return n < 2 || ec_count[target][0] >= 1;
}

static u32 es_total(void)
{
	unsigned int i;
	u32 sum = 0;

	for (i = 0; i < n; i++)
		sum += es_count[target][i];
	return sum;
}

int main(void)
{
	static const char pending_line[] = "irqpend: pending\n";
	struct sccb_header *h = (struct sccb_header *)sccb_page;
	unsigned int i, j, errors = 0;
	u64 deadline, t;
	int cc;

	n = nr_cpus < TEST_CPUS ? nr_cpus : TEST_CPUS;
	target = n >= 2 ? 1 : 0;
	printf("irqpend: cpus=%u target=cpu%u mask=%us\n", n, target,
	       MASK_SECONDS);

	ext_register(EXT_CODE_EMERGENCY_SIGNAL, signal_handler);
	ext_register(EXT_CODE_EXTERNAL_CALL, signal_handler);
	ext_register(EXT_CODE_CLOCK_COMPARATOR, timer_handler);
	ext_register(EXT_CODE_CPU_TIMER, timer_handler);
	lib_service_signal = ext_register(EXT_CODE_SERVICE_SIGNAL,
					  service_handler);
	/* Every subclass but the service signal, on every CPU (CR0 is copied). */
	ctl_set_bits(0, CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL |
		     CR0_CLOCK_COMPARATOR | CR0_CPU_TIMER);

	/* Secondary CPUs start disabled and stay so until UNMASKED. */
	for (i = 1; i < n; i++)
		if (smp_cpu_start(&cpus[i], secondary))
			return 1;

	ext_disable();
	phase = MASKED;
	if (target == 0) {
		arm_timers();
	} else {
		if (!wait_tod(&armed, TIMEOUT_MS)) {
			printf("irqpend: cpu %u did not arm its timers: FAIL\n",
			       target);
			return 1;
		}
		send(0, SIGP_EMERGENCY_SIGNAL);
		send(0, SIGP_EXTERNAL_CALL);
		if (!sent[0])
			sent[0] = 1;
		for (i = 2; i < n; i++) {
			if (!wait_tod(&sent[i], TIMEOUT_MS)) {
				printf("irqpend: cpu %u did not send: FAIL\n", i);
				return 1;
			}
		}
		for (i = 0; i < n; i++) {
			if (i != target && sent[i] != 1) {
				printf("irqpend: cpu %u: SIGP cc %d: FAIL\n", i,
				       sent[i] - 1);
				return 1;
			}
		}
	}

	/* The SCLP request whose completion stays pending; it prints the line. */
	(void)console_build_write(sccb_page, pending_line,
				  sizeof(pending_line) - 1);
	cc = sclp_service_call_start(SCLP_CMD_WRITE_EVENT_DATA, sccb_page);
	if (cc) {
		printf("irqpend: SERVICE CALL cc %d: FAIL\n", cc);
		return 1;
	}

	t = stck() + TOD_MS(1000) * MASK_SECONDS;
	while (stck() < t)
		;

	/* Unmask: everything that is pending comes in now. */
	phase = UNMASKED;
	ctl_set_bits(0, CR0_SERVICE_SIGNAL);
	ext_enable();
	deadline = stck() + TOD_MS(TIMEOUT_MS);
	while (!target_complete() && stck() < deadline)
		;
	t = stck() + TOD_MS(SETTLE_MS);
	while (stck() < t)
		;
	ext_disable();
	ctl_clear_bits(0, CR0_SERVICE_SIGNAL);
	phase = CHECKED;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			u32 want_es = i == target && j != target;
			u32 want_ec = i == target && j == 0 && target != 0;

			if (es_count[i][j] != want_es) {
				printf("irqpend: cpu %u: %u emergency signals from cpu %u, expected %u: FAIL\n",
				       i, es_count[i][j], j, want_es);
				errors++;
			}
			if (ec_count[i][j] != want_ec) {
				printf("irqpend: cpu %u: %u external calls from cpu %u, expected %u: FAIL\n",
				       i, ec_count[i][j], j, want_ec);
				errors++;
			}
		}
		if (ckc_count[i] != (i == target) || cput_count[i] != (i == target)) {
			printf("irqpend: cpu %u: %u clock-comparator and %u cpu-timer interruptions, expected %u: FAIL\n",
			       i, ckc_count[i], cput_count[i], i == target);
			errors++;
		}
	}
	if (stray) {
		printf("irqpend: %u stray interruptions: FAIL\n", stray);
		errors++;
	}
	if (srv_count != 1 || (srv_param & ~7U) != (u32)(u64)sccb_page ||
	    h->response_code != SCLP_RC_NORMAL_COMPLETION) {
		printf("irqpend: %u service signals, parameter 0x%08x (SCCB 0x%08x), response 0x%04x: FAIL\n",
		       srv_count, srv_param, (u32)(u64)sccb_page,
		       h->response_code);
		errors++;
	}
	if (n >= 2)
		printf("irqpend: cpu %u: external call %u, emergency signals %u, clock comparator %u, cpu timer %u\n",
		       target, ec_count[target][0], es_total(),
		       ckc_count[target], cput_count[target]);
	else
		printf("irqpend: cpu 0: clock comparator %u, cpu timer %u\n",
		       ckc_count[0], cput_count[0]);
	printf("irqpend: service signal %u, response 0x%04x\n", srv_count,
	       h->response_code);
	printf("irqpend: %s\n", errors ? "FAIL" : "ok");
	return errors ? 1 : 0;
}
