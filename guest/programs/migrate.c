/*
 * migrate: the guest that live-migration tests run, and check, across a
 * migration.  For MIGRATE_SECONDS of TOD time (the TOD clock stands still
 * while a VM is migrated, so the downtime does not count):
 *
 *   - every CPU (up to 16) sends emergency signals and external calls to
 *     every other one and counts, per ordered pair, what it sent (only
 *     SIGP CC 0 counts) and, in its handlers, what it received and from
 *     which source address.  At most one signal of each kind is in flight
 *     per ordered pair: a sender sends again only once the receiver has
 *     counted the last one.  The architecture keeps at most one emergency
 *     signal pending per source at a receiver (KVM and QEMU merge a
 *     second one into the first), so without that rule "sent" could
 *     exceed "received" on a correct machine.  An external call to a CPU
 *     that already has one pending (from anybody) is refused with CC 1,
 *     status "external call pending", and not counted; CC 2 (busy) is not
 *     counted either;
 *   - the clock comparator of every CPU ticks every TICK_MS (re-armed in
 *     its handler), and each CPU counts its ticks;
 *   - one CPU (CPU 1 when there are two or more, else CPU 0) writes a
 *     4 MiB area page by page, value = f(page, word, generation), checking
 *     before it overwrites a page that the page still holds the previous
 *     generation, and verifies the whole area (every word, and the sum
 *     against the running checksum of what it wrote) after each
 *     generation;
 *   - every CPU checks that its TOD (STCK) never goes backwards and never
 *     moves by more than TOD_JUMP_MS between two reads: a migration that
 *     does not carry the TOD over shows up as a jump.
 *
 * CPU 0 prints one line a second.  At the end every CPU stops sending,
 * CPU 0 waits until every signal sent has arrived (with a timeout), checks
 * sent == received for every ordered pair and both kinds, ticks > 0 on
 * every CPU, no pattern error, no TOD error, prints the summary and exits
 * with 0 if everything holds, 1 otherwise.
 *
 * Built twice: migrate.elf (6 s) and migrate-long.elf (60 s), see guest.mk.
 */
#include "alloc.h"
#include "ctlreg.h"
#include "interrupt.h"
#include "printf.h"
#include "psw.h"
#include "setup.h"
#include "sigp.h"
#include "smp.h"
#include "time.h"

#ifndef MIGRATE_SECONDS
#define MIGRATE_SECONDS		6
#endif
#ifndef TOD_JUMP_MS
#define TOD_JUMP_MS		2000
#endif

#define TEST_CPUS		16
#define TICK_MS			10
#define AREA_SIZE		(4UL << 20)
#define PAGE_SIZE		4096UL
#define WORDS_PER_PAGE		(PAGE_SIZE / sizeof(u64))
#define PAGES_PER_STEP		16
/* Generous: 16 vCPUs may share two host cores in an interpreter. */
#define START_TIMEOUT_MS	30000
#define QUIESCE_TIMEOUT_MS	30000

struct percpu {
	volatile u64 sent_es[TEST_CPUS];	/* [destination] */
	volatile u64 sent_ec[TEST_CPUS];
	volatile u64 recv_es[TEST_CPUS];	/* [source] */
	volatile u64 recv_ec[TEST_CPUS];
	volatile u64 ticks;
	volatile u64 ec_pending;	/* external calls refused: one pending */
	volatile u64 busy;		/* SIGP CC 2 */
	volatile u64 sigp_errors;	/* any other SIGP answer */
	volatile u64 stray;		/* signals from an unknown source */
	volatile u64 tod_backwards;
	volatile u64 tod_jumps;
	volatile u64 max_gap;		/* largest step between two reads */
	volatile int done;		/* stopped sending */
} __aligned(256);

static struct percpu pc[TEST_CPUS];
static unsigned int n;			/* CPUs in the test */
static unsigned int writer;		/* index of the pattern writer */
static volatile int go;
static volatile int finish;
static u64 start_tod, end_tod;

/* The pattern writer's state; only the writer touches it. */
static u64 *area;
static unsigned long npages;
static volatile u64 gen;		/* generation being written */
static unsigned long cursor;		/* next page to write or verify */
static bool verifying;
static u64 gen_sum, read_sum, total_sum;
static volatile u64 pattern_errors;
static u64 first_bad_page, first_bad_gen, first_bad_word, first_bad_value;

/*
 * Storage keys travel too: each page of the area gets its own access key
 * (1..15, fetch protection off; the PSW key is 0, so nothing is
 * protected), checked at the end. Reference and change bits move with
 * every access, so only the access-control bits are compared.
 */
static u8 area_key(unsigned long page)
{
	return (u8)(((page % 15) + 1) << 4);
}

static void keys_set(void)
{
	for (unsigned long p = 0; p < npages; p++)
		__asm__ volatile("sske %0,%1" : : "d"((unsigned long)area_key(p)),
			     "a"((unsigned long)area + p * PAGE_SIZE) : "memory");
}

static unsigned long keys_bad(void)
{
	unsigned long bad = 0;

	for (unsigned long p = 0; p < npages; p++) {
		unsigned long key = 0;

		__asm__ volatile("iske %0,%1" : "+d"(key)
			     : "a"((unsigned long)area + p * PAGE_SIZE));
		if ((key & 0xf0) != area_key(p))
			bad++;
	}
	return bad;
}

static int cpu_index(u16 addr)
{
	struct cpu *c = smp_cpu_by_addr(addr);

	return c && c->idx < n ? c->idx : -1;
}

static void signal_handler(struct irq_frame *f __unused, u16 code,
			   u16 src_addr, u32 param __unused)
{
	struct percpu *me = &pc[smp_this_cpu()->idx];
	int src = cpu_index(src_addr);

	if (src < 0)
		me->stray++;
	else if (code == EXT_CODE_EMERGENCY_SIGNAL)
		me->recv_es[src]++;
	else
		me->recv_ec[src]++;
}

static void ckc_handler(struct irq_frame *f __unused, u16 code __unused,
			u16 cpu_addr __unused, u32 param __unused)
{
	pc[smp_this_cpu()->idx].ticks++;
	ckc_set(stck() + TOD_MS(TICK_MS));
}

static void tod_check(struct percpu *me, u64 *last)
{
	u64 t = stck();

	if (t < *last) {
		me->tod_backwards++;
	} else {
		if (t - *last > TOD_MS(TOD_JUMP_MS))
			me->tod_jumps++;
		if (t - *last > me->max_gap)
			me->max_gap = t - *last;
	}
	*last = t;
}

/* One signal of each kind to every other CPU whose last one has arrived. */
static void send_round(unsigned int self)
{
	struct percpu *me = &pc[self];
	unsigned int k;

	for (k = 1; k < n; k++) {
		unsigned int dst = (self + k) % n;
		u16 addr = cpus[dst].addr;
		u32 status = 0;
		int cc;

		if (pc[dst].recv_es[self] == me->sent_es[dst]) {
			cc = sigp(addr, SIGP_EMERGENCY_SIGNAL, 0, &status);
			if (cc == SIGP_CC_ACCEPTED)
				me->sent_es[dst]++;
			else if (cc == SIGP_CC_BUSY)
				me->busy++;
			else
				me->sigp_errors++;
		}
		if (pc[dst].recv_ec[self] == me->sent_ec[dst]) {
			status = 0;
			cc = sigp(addr, SIGP_EXTERNAL_CALL, 0, &status);
			if (cc == SIGP_CC_ACCEPTED)
				me->sent_ec[dst]++;
			else if (cc == SIGP_CC_BUSY)
				me->busy++;
			else if (cc == SIGP_CC_STATUS_STORED &&
				 status == SIGP_STATUS_EXT_CALL_PENDING)
				me->ec_pending++;
			else
				me->sigp_errors++;
		}
	}
}

static inline u64 pattern(u64 page, u64 word, u64 g)
{
	return (g + 1) << 32 | page << 12 | word << 3 | 5;
}

static void pattern_bad(unsigned long page, unsigned long word, u64 g, u64 v)
{
	if (!pattern_errors++) {
		first_bad_page = page;
		first_bad_word = word;
		first_bad_gen = g;
		first_bad_value = v;
	}
}

/* Check that a page holds generation g, return the sum of its words. */
static u64 page_check(unsigned long page, u64 g)
{
	const volatile u64 *p = area + page * WORDS_PER_PAGE;
	unsigned long w;
	u64 sum = 0;

	for (w = 0; w < WORDS_PER_PAGE; w++) {
		u64 v = p[w];

		sum += v;
		if (v != pattern(page, w, g))
			pattern_bad(page, w, g, v);
	}
	return sum;
}

/* A few pages of the current generation, or of its verification. */
static void pattern_step(void)
{
	unsigned long i;

	for (i = 0; i < PAGES_PER_STEP && cursor < npages; i++, cursor++) {
		volatile u64 *p = area + cursor * WORDS_PER_PAGE;
		unsigned long w;

		if (verifying) {
			read_sum += page_check(cursor, gen);
			continue;
		}
		if (gen)
			(void)page_check(cursor, gen - 1);
		for (w = 0; w < WORDS_PER_PAGE; w++) {
			u64 v = pattern(cursor, w, gen);

			p[w] = v;
			gen_sum += v;
		}
	}
	if (cursor < npages)
		return;
	cursor = 0;
	if (!verifying) {
		verifying = true;
		read_sum = 0;
		return;
	}
	if (read_sum != gen_sum)
		pattern_bad(npages, 0, gen, read_sum);
	total_sum += gen_sum;
	gen_sum = 0;
	verifying = false;
	gen = gen + 1;
}

static void totals(u64 *sent, u64 *received, u64 *ticks)
{
	unsigned int i, j;

	*sent = *received = *ticks = 0;
	for (i = 0; i < n; i++) {
		*ticks += pc[i].ticks;
		for (j = 0; j < n; j++) {
			*sent += pc[i].sent_es[j] + pc[i].sent_ec[j];
			*received += pc[i].recv_es[j] + pc[i].recv_ec[j];
		}
	}
}

static bool all_arrived(void)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (pc[j].recv_es[i] != pc[i].sent_es[j] ||
			    pc[j].recv_ec[i] != pc[i].sent_ec[j])
				return false;
	return true;
}

/* Everything every CPU runs; CPU 0 also prints. */
static void run(void)
{
	unsigned int self = smp_this_cpu()->idx;
	struct percpu *me = &pc[self];
	u64 last, now, next_print = 0;

	while (!READ_ONCE(go))
		;
	last = stck();
	if (self == 0)
		next_print = start_tod + TOD_MS(1000);
	ext_disable();
	ckc_set(stck() + TOD_MS(TICK_MS));
	ext_enable();

	for (;;) {
		tod_check(me, &last);
		now = last;
		if (now >= end_tod)
			break;
		send_round(self);
		if (self == writer)
			pattern_step();
		if (self == 0 && now >= next_print) {
			u64 s, r, t, secs = (now - start_tod) / TOD_MS(1000);

			totals(&s, &r, &t);
			printf("migrate: t=%lus sent=%lu received=%lu ticks=%lu gen=%lu\n",
			       secs, s, r, t, gen);
			next_print = start_tod + TOD_MS(1000) * (secs + 1);
		}
	}
	me->done = 1;

	/* Stay enabled, still checking the TOD, until CPU 0 has checked. */
	for (;;) {
		ext_disable();
		if (READ_ONCE(finish) || self == 0)
			break;
		wait_for_ext();
		tod_check(me, &last);
	}
	if (self == 0)
		ext_enable();
}

static void secondary(void)
{
	run();
	/* Stay quiet until exit() stops us. */
	ext_disable();
	for (;;)
		;
}

/* On CPU 0: wait with interruptions enabled (ticks wake it) until cond. */
static bool wait_until(bool (*cond)(void), u64 timeout_ms)
{
	u64 deadline = stck() + TOD_MS(timeout_ms), last = stck();
	bool ok;

	for (;;) {
		ext_disable();
		ok = cond();
		if (ok || stck() > deadline)
			break;
		wait_for_ext();
		tod_check(&pc[0], &last);
	}
	ext_enable();
	return ok;
}

static bool all_done(void)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!pc[i].done)
			return false;
	return true;
}

static bool all_online(void)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!READ_ONCE(cpus[i].online))
			return false;
	return true;
}

int main(void)
{
	struct cpu *self = smp_this_cpu();
	bool ok = true, pairs_ok = true, ticks_ok = true, tod_ok = true;
	u64 s, r, t, busy = 0, ec_pending = 0;
	unsigned long bad_keys;
	unsigned int i, j;

	n = nr_cpus < TEST_CPUS ? nr_cpus : TEST_CPUS;
	if (self->idx != 0) {
		printf("migrate: boot cpu is not the first listed: FAIL\n");
		return 1;
	}
	writer = n >= 2 ? 1 : 0;
	area = alloc_pages(AREA_SIZE, PAGE_SIZE);
	if (!area) {
		printf("migrate: no memory for the %lu KiB area: FAIL\n",
		       AREA_SIZE >> 10);
		return 1;
	}
	npages = AREA_SIZE / PAGE_SIZE;
	keys_set();
	printf("migrate: cpus=%u seconds=%u area=%luKiB tick=%ums\n", n,
	       MIGRATE_SECONDS, AREA_SIZE >> 10, TICK_MS);

	ext_register(EXT_CODE_EMERGENCY_SIGNAL, signal_handler);
	ext_register(EXT_CODE_EXTERNAL_CALL, signal_handler);
	ext_register(EXT_CODE_CLOCK_COMPARATOR, ckc_handler);
	/* Secondaries start with this CR0; the comparators are parked. */
	ctl_set_bits(0, CR0_EMERGENCY_SIGNAL | CR0_EXTERNAL_CALL |
		     CR0_CLOCK_COMPARATOR);

	for (i = 1; i < n; i++)
		if (smp_cpu_start(&cpus[i], secondary))
			return 1;
	{
		u64 deadline = stck() + TOD_MS(START_TIMEOUT_MS);

		while (!all_online() && stck() < deadline)
			;
	}
	if (!all_online()) {
		printf("migrate: not every cpu came online: FAIL\n");
		return 1;
	}

	start_tod = stck();
	end_tod = start_tod + TOD_MS(1000) * MIGRATE_SECONDS;
	barrier();
	go = 1;
	run();

	if (!wait_until(all_done, QUIESCE_TIMEOUT_MS)) {
		printf("migrate: not every cpu stopped sending: FAIL\n");
		ok = false;
	}
	if (!wait_until(all_arrived, QUIESCE_TIMEOUT_MS))
		printf("migrate: signals still in flight after %u ms\n",
		       QUIESCE_TIMEOUT_MS);
	ext_disable();
	ckc_set(CKC_NEVER);
	finish = 1;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (pc[j].recv_es[i] != pc[i].sent_es[j] ||
			    pc[j].recv_ec[i] != pc[i].sent_ec[j]) {
				printf("migrate: pair %u -> %u: emergency sent=%lu received=%lu, external call sent=%lu received=%lu: FAIL\n",
				       i, j, pc[i].sent_es[j], pc[j].recv_es[i],
				       pc[i].sent_ec[j], pc[j].recv_ec[i]);
				pairs_ok = false;
			}
		}
		if (pc[i].stray || pc[i].sigp_errors) {
			printf("migrate: cpu %u: %lu stray signals, %lu SIGP errors: FAIL\n",
			       i, pc[i].stray, pc[i].sigp_errors);
			pairs_ok = false;
		}
		if (!pc[i].ticks) {
			printf("migrate: cpu %u: no clock-comparator tick: FAIL\n", i);
			ticks_ok = false;
		}
		if (pc[i].tod_backwards || pc[i].tod_jumps) {
			printf("migrate: cpu %u: TOD went backwards %lu times, jumped more than %u ms %lu times (largest step %lu ms): FAIL\n",
			       i, pc[i].tod_backwards, TOD_JUMP_MS,
			       pc[i].tod_jumps, pc[i].max_gap / TOD_MS(1));
			tod_ok = false;
		}
		busy += pc[i].busy;
		ec_pending += pc[i].ec_pending;
	}
	if (pattern_errors)
		printf("migrate: pattern: %lu errors, first page %lu word %lu generation %lu value 0x%016lx: FAIL\n",
		       pattern_errors, first_bad_page, first_bad_word,
		       first_bad_gen, first_bad_value);
	totals(&s, &r, &t);
	printf("migrate: busy=%lu ec-pending=%lu gen=%lu checksum=0x%016lx\n",
	       busy, ec_pending, gen, total_sum);
	bad_keys = keys_bad();
	if (bad_keys)
		printf("migrate: %lu of %lu pages lost their storage key: FAIL\n",
		       bad_keys, npages);
	ok = ok && pairs_ok && ticks_ok && tod_ok && !pattern_errors && !bad_keys;
	printf("migrate: %s cpus=%u signals=%lu ticks=%lu pattern=%s tod=%s keys=%s\n",
	       ok ? "ok" : "FAIL", n, r, t, pattern_errors ? "FAIL" : "ok",
	       tod_ok ? "ok" : "FAIL", bad_keys ? "FAIL" : "ok");
	return ok ? 0 : 1;
}
