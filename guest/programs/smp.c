/*
 * smp: start every CPU that SCLP lists, let each check in, then play
 * emergency-signal ping-pong between all ordered pairs of CPUs.
 *
 * The boot CPU coordinates, one pair (i, j) at a time:
 *   - it asks CPU i (through its mailbox and an external call as the
 *     doorbell) to ping CPU j, or does it itself when i is the boot CPU;
 *   - CPU i sends an emergency signal to j and waits for the pong;
 *   - CPU j's handler counts the ping from i and answers with an emergency
 *     signal back to i; CPU i's handler counts that pong;
 *   - CPU i reports the pair done and rings the boot CPU's doorbell.
 * Every emergency signal is counted by (receiver, source CPU address from
 * the lowcore), so the end check sees lost, duplicated and misattributed
 * signals alike: each ordered pair must show exactly one ping and one
 * pong, and nothing else may have arrived.
 *
 * Secondary CPUs idle in an enabled wait between commands.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "sclp.h"
#include "setup.h"
#include "sigp.h"
#include "smp.h"
#include "time.h"

/* The pair loop is quadratic; SCLP may list more, but we play with these. */
#define SMP_TEST_CPUS	16
#define TIMEOUT_US	2000000

enum cmd { CMD_NONE, CMD_PING };

struct mailbox {
	volatile int cmd;
	volatile int arg;		/* index of the CPU to ping */
	volatile int doorbell;		/* external calls seen, unconsumed */
	volatile int awaiting_pong;	/* index + 1 of the pinged CPU */
	volatile int pong_seen;
} __aligned(256);

static struct mailbox mbox[SMP_TEST_CPUS];
static volatile u8 pings[SMP_TEST_CPUS][SMP_TEST_CPUS];	/* [dst][src] */
static volatile u8 pongs[SMP_TEST_CPUS][SMP_TEST_CPUS];	/* [dst][src] */
static volatile int stray;		/* signals from unknown sources */
static volatile int send_errors;
static volatile int pair_done;
static volatile int checked_in;
static unsigned int nr_test_cpus;
static u16 boot_addr;

static int cpu_index(u16 addr)
{
	struct cpu *c = smp_cpu_by_addr(addr);

	return c && c->idx < nr_test_cpus ? c->idx : -1;
}

static void send(u16 addr, u8 order)
{
	u32 status = 0;
	int cc = sigp_retry(addr, order, 0, &status);

	/* An external call already pending is as good as a new one. */
	if (cc == SIGP_CC_STATUS_STORED && order == SIGP_EXTERNAL_CALL &&
	    (status & SIGP_STATUS_EXT_CALL_PENDING))
		return;
	if (cc != SIGP_CC_ACCEPTED)
		send_errors++;
}

static void emergency_handler(struct irq_frame *f __unused, u16 code __unused,
			      u16 src_addr, u32 param __unused)
{
	int me = smp_this_cpu()->idx, src = cpu_index(src_addr);
	struct mailbox *mb = &mbox[me];

	if (src < 0) {
		stray++;
		return;
	}
	if (mb->awaiting_pong == src + 1) {
		mb->awaiting_pong = 0;
		pongs[me][src]++;
		mb->pong_seen = 1;
	} else {
		pings[me][src]++;
		send(src_addr, SIGP_EMERGENCY_SIGNAL);
	}
}

static void external_call_handler(struct irq_frame *f __unused,
				  u16 code __unused, u16 src_addr __unused,
				  u32 param __unused)
{
	mbox[smp_this_cpu()->idx].doorbell = 1;
}

/* On CPU `me`: ping CPU `dst` and wait for its pong. */
static void ping(int me, int dst)
{
	struct mailbox *mb = &mbox[me];

	mb->pong_seen = 0;
	mb->awaiting_pong = dst + 1;
	send(cpus[dst].addr, SIGP_EMERGENCY_SIGNAL);
	if (!wait_flag_timeout(&mb->pong_seen, TIMEOUT_US))
		mb->awaiting_pong = 0;
}

static void secondary(void)
{
	struct cpu *me = smp_this_cpu();
	struct mailbox *mb = &mbox[me->idx];

	ctl_set_bits(0, CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL);
	__atomic_fetch_add(&checked_in, 1, __ATOMIC_SEQ_CST);

	for (;;) {
		ext_disable();
		while (mb->cmd == CMD_NONE)
			wait_for_ext();
		mb->doorbell = 0;
		if (mb->cmd == CMD_PING) {
			ping(me->idx, mb->arg);
			mb->cmd = CMD_NONE;
			pair_done = 1;
			send(boot_addr, SIGP_EXTERNAL_CALL);
		}
	}
}

static bool run_pair(int src, int dst, int self)
{
	pair_done = 0;
	if (src == self) {
		ping(src, dst);
		return true;
	}
	mbox[src].arg = dst;
	barrier();
	mbox[src].cmd = CMD_PING;
	send(cpus[src].addr, SIGP_EXTERNAL_CALL);
	return wait_flag_timeout(&pair_done, TIMEOUT_US);
}

/* SENSE: "stopped" (CC 1, status 0x40) or "operating" (CC 0). */
static const char *sense(u16 addr)
{
	u32 status = 0;
	int cc = sigp_retry(addr, SIGP_SENSE, 0, &status);

	if (cc == SIGP_CC_ACCEPTED)
		return "operating";
	if (cc == SIGP_CC_STATUS_STORED && status == SIGP_STATUS_STOPPED)
		return "stopped";
	if (cc == SIGP_CC_NOT_OPERATIONAL)
		return "not-operational";
	return "unexpected";
}

int main(void)
{
	struct cpu *self = smp_this_cpu();
	unsigned int i, j, errors = 0, timeouts = 0;
	u16 absent = 0;
	u64 deadline;
	int cc;

	boot_addr = self->addr;
	nr_test_cpus = nr_cpus < SMP_TEST_CPUS ? nr_cpus : SMP_TEST_CPUS;
	printf("smp: cpus listed by SCLP: %u\n", sclp_info.nr_cpus);
	if (nr_test_cpus < nr_cpus)
		printf("smp: testing the first %u\n", nr_test_cpus);

	ext_register(EXT_CODE_EMERGENCY_SIGNAL, emergency_handler);
	ext_register(EXT_CODE_EXTERNAL_CALL, external_call_handler);
	ctl_set_bits(0, CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL);

	/* A CPU address nobody has: SIGP answers CC 3. */
	for (i = 0; i < nr_cpus; i++)
		if (cpus[i].addr >= absent)
			absent = cpus[i].addr + 1;
	cc = sigp(absent, SIGP_SENSE, 0, NULL);
	printf("smp: sense of an absent cpu: cc %d\n", cc);
	errors += cc != SIGP_CC_NOT_OPERATIONAL;

	checked_in = 1;			/* the boot CPU */
	for (i = 0; i < nr_test_cpus; i++) {
		const char *state;

		if (&cpus[i] == self)
			continue;
		state = sense(cpus[i].addr);
		printf("smp: cpu %u before start: %s\n", i, state);
		errors += state[0] != 's';
		if (smp_cpu_start(&cpus[i], secondary))
			errors++;
	}

	deadline = stck() + TOD_US(TIMEOUT_US);
	while (READ_ONCE(checked_in) < (int)nr_test_cpus && stck() < deadline)
		udelay(100);
	printf("smp: %d of %u cpus checked in\n", checked_in, nr_test_cpus);
	errors += checked_in != (int)nr_test_cpus;

	for (i = 0; i < nr_test_cpus; i++) {
		const char *state = sense(cpus[i].addr);

		printf("smp: cpu %u after start: %s\n", i, state);
		errors += state[0] != 'o';
	}

	for (i = 0; i < nr_test_cpus; i++)
		for (j = 0; j < nr_test_cpus; j++)
			if (i != j && !run_pair(i, j, self->idx))
				timeouts++;

	/* Late duplicates would arrive now: every CPU is enabled for them. */
	udelay(20000);

	for (i = 0; i < nr_test_cpus; i++) {
		for (j = 0; j < nr_test_cpus; j++) {
			unsigned int want = i != j;

			if (pings[j][i] != want || pongs[i][j] != want) {
				printf("smp: pair %u -> %u: %u pings, %u pongs: FAIL\n",
				       i, j, pings[j][i], pongs[i][j]);
				errors++;
			}
		}
	}
	printf("smp: %u ordered pairs, %u emergency signals, each exactly once: %s\n",
	       nr_test_cpus * (nr_test_cpus - 1),
	       2 * nr_test_cpus * (nr_test_cpus - 1),
	       errors ? "FAIL" : "ok");
	if (stray || send_errors || timeouts) {
		printf("smp: %d stray signals, %d SIGP errors, %u timeouts: FAIL\n",
		       stray, send_errors, timeouts);
		errors++;
	}
	printf("smp: %s\n", errors ? "FAIL" : "PASS");
	return errors ? 1 : 0;
}
