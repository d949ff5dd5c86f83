// SPDX-License-Identifier: MIT
/*
 * softkvm interrupt delivery: deliverability masks, the priority order and
 * the big-endian lowcore contents after each class, through prefixing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "softkvm/irq.h"

#define RAM_SIZE 0x40000u
#define PREFIX 0x10000u

#define P_IO 0x0200000000000000ULL
#define P_EXT 0x0100000000000000ULL
#define P_MCHK 0x0004000000000000ULL
#define P_64 0x0000000180000000ULL
#define P_31 0x0000000080000000ULL
#define P_ALL (P_IO | P_EXT | P_MCHK | P_64)

#define CR0_SUBMASKS 0x6e00ULL /* emergency, ext call, CKC, CPU timer, service */

struct env {
	uint8_t *ram;
	uint8_t *lc;
	uint64_t cr[16], gpr[16], fpr[16];
	uint32_t acr[16];
	struct skirq_local li;
	struct skirq_float fi;
	struct skirq_cpu cpu;
};

static bool exists(void *opaque, unsigned id)
{
	(void)opaque;
	return id < 16;
}

static const struct skirq_vcpu_info running = { false, 4, exists, NULL };
static const struct skirq_vcpu_info stopped = { true, 4, exists, NULL };

/* New PSWs: enabled for everything (or not), address = 0x1000 * class. */
static void set_new_psws(struct env *e, uint64_t mask)
{
	static const unsigned off[] = { 0x1a0, 0x1b0, 0x1c0, 0x1d0, 0x1e0,
					0x1f0 };

	for (unsigned i = 0; i < ARRAY_SIZE(off); i++) {
		put_be64(e->lc + off[i], mask);
		put_be64(e->lc + off[i] + 8, 0x1000u * (i + 1));
	}
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	e->ram = malloc(RAM_SIZE);
	memset(e->ram, 0xaa, RAM_SIZE);
	e->lc = e->ram + PREFIX;
	set_new_psws(e, P_64);
	e->cr[0] = 0xe0 | CR0_SUBMASKS;
	e->cr[6] = 0xff000000;
	e->cr[14] = 0xc2000000 | SKIRQ_CR14_CHANNEL_REPORT;
	for (unsigned i = 0; i < 16; i++) {
		e->gpr[i] = 0x0101010101010101ULL * i;
		e->fpr[i] = 0xf0f0f0f000000000ULL | i;
		e->acr[i] = 0xa0000000u | i;
	}
	skirq_local_clear(&e->li);
	skirq_float_init(&e->fi);
	e->cpu = (struct skirq_cpu){
		.ram = e->ram, .ram_size = RAM_SIZE, .prefix = PREFIX,
		.psw_mask = P_ALL, .psw_addr = 0x8000, .cr = e->cr,
		.gbea = 0x7777, .gpr = e->gpr, .fpr = e->fpr, .acr = e->acr,
		.fpc = 0x11223344, .todpr = 0x5566, .cputm = 0x123456789aULL,
		.ckc = 0xabcdef0012345678ULL,
	};
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	skirq_float_clear(&e->fi);
	free(e->ram);
	free(e);
	return 0;
}

static void lirq(struct env *e, const struct skirq_vcpu_info *vi,
		 uint64_t type, uint16_t code)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = type;
	irq.u.emerg.code = code; /* also extcall.code */
	assert_int_equal(skirq_inject_local(&e->li, vi, &irq), 0);
}

static void firq(struct env *e, uint32_t type, uint32_t parm, uint64_t p64)
{
	struct kvm_s390_interrupt in = { type, parm, p64 };

	assert_int_equal(skirq_inject_float_interrupt(&e->fi, &in), 0);
}

static uint32_t dlv(struct env *e)
{
	return skirq_deliverable(&e->li, &e->fi, e->cpu.psw_mask, e->cr);
}

static void check_old_psw(struct env *e, unsigned off, uint64_t mask,
			  uint64_t addr)
{
	assert_int_equal(get_be64(e->lc + off), mask);
	assert_int_equal(get_be64(e->lc + off + 8), addr);
}

/* ------------------------------------------------------------------------ */

static void test_ext_masks(void **state)
{
	struct env *e = *state;
	const uint32_t ext = SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY) |
			     SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL) |
			     SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP) |
			     SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER) |
			     SKIRQ_BIT(SKIRQ_PEND_PFAULT_INIT) |
			     SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
			     SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV) |
			     SKIRQ_BIT(SKIRQ_PEND_VIRTIO) |
			     SKIRQ_BIT(SKIRQ_PEND_PFAULT_DONE);

	lirq(e, &running, KVM_S390_INT_EMERGENCY, 1);
	lirq(e, &running, KVM_S390_INT_EXTERNAL_CALL, 2);
	lirq(e, &running, KVM_S390_INT_CLOCK_COMP, 0);
	lirq(e, &running, KVM_S390_INT_CPU_TIMER, 0);
	lirq(e, &running, KVM_S390_INT_PFAULT_INIT, 0);
	firq(e, KVM_S390_INT_SERVICE, 0x1001, 0);
	firq(e, KVM_S390_INT_VIRTIO, 0, 0);
	firq(e, KVM_S390_INT_PFAULT_DONE, 0, 0);
	assert_int_equal(dlv(e), ext);
	e->cpu.psw_mask = P_ALL & ~P_EXT;
	assert_int_equal(dlv(e), 0);
	e->cpu.psw_mask = P_ALL;
	/* each CR0 submask; virtio and pfault have none */
	e->cr[0] = 0xe0 | (CR0_SUBMASKS & ~0x4000ULL);
	assert_int_equal(dlv(e), ext & ~SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY));
	e->cr[0] = 0xe0 | (CR0_SUBMASKS & ~0x2000ULL);
	assert_int_equal(dlv(e), ext & ~SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL));
	e->cr[0] = 0xe0 | (CR0_SUBMASKS & ~0x0800ULL);
	assert_int_equal(dlv(e), ext & ~SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP));
	e->cr[0] = 0xe0 | (CR0_SUBMASKS & ~0x0400ULL);
	assert_int_equal(dlv(e), ext & ~SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER));
	e->cr[0] = 0xe0 | (CR0_SUBMASKS & ~0x0200ULL);
	assert_int_equal(dlv(e), ext & ~(SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
					 SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV)));
	e->cr[0] = 0;
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_PFAULT_INIT) |
					 SKIRQ_BIT(SKIRQ_PEND_VIRTIO) |
					 SKIRQ_BIT(SKIRQ_PEND_PFAULT_DONE));
	/* a masked interrupt stays pending and comes when unmasked */
	e->cr[0] = 0xe0 | CR0_SUBMASKS;
	e->cpu.psw_mask = P_64;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu), -1);
	assert_false(skirq_vcpu_has_irq(&e->li, &e->fi, e->cpu.psw_mask, e->cr,
					false));
	e->cpu.psw_mask = P_ALL;
	assert_true(skirq_vcpu_has_irq(&e->li, &e->fi, e->cpu.psw_mask, e->cr,
				       true));
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_EXT_EMERGENCY);
}

static void test_io_masks(void **state)
{
	struct env *e = *state;

	firq(e, 0x10000, 0, 0x80000000u | 0 << 27);
	firq(e, 0x10003, 0, 0x80000000u | 3 << 27);
	firq(e, 0x10007, 0, 0x80000000u | 7 << 27);
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_IO_ISC(0)) |
					 SKIRQ_BIT(SKIRQ_PEND_IO_ISC(3)) |
					 SKIRQ_BIT(SKIRQ_PEND_IO_ISC(7)));
	e->cr[6] = 0x10000000; /* ISC 3 only */
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_IO_ISC(3)));
	e->cr[6] = 0x01000000; /* ISC 7 only */
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_IO_ISC(7)));
	e->cr[6] = 0xff000000;
	e->cpu.psw_mask = P_ALL & ~P_IO;
	assert_int_equal(dlv(e), 0);
	e->cpu.psw_mask = P_ALL;
	/* priority: ISC 0 first */
	assert_int_equal(skirq_next(&e->li, &e->fi, P_ALL, e->cr),
			 SKIRQ_PEND_IO_ISC(0));
}

static void test_mchk_and_unmaskable(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;

	lirq(e, &running, KVM_S390_SIGP_STOP, 0);
	assert_int_equal(dlv(e), 0); /* STOP is never delivered */
	assert_true(skirq_vcpu_has_irq(&e->li, &e->fi, 0, e->cr, false));
	assert_false(skirq_vcpu_has_irq(&e->li, &e->fi, 0, e->cr, true));
	lirq(e, &running, KVM_S390_RESTART, 0);
	lirq(e, &running, KVM_S390_PROGRAM_INT, 0);
	lirq(e, &stopped, KVM_S390_SIGP_SET_PREFIX, 0);
	e->cpu.psw_mask = P_64;
	memset(e->cr, 0, sizeof(e->cr));
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_RESTART) |
					 SKIRQ_BIT(SKIRQ_PEND_PROG) |
					 SKIRQ_BIT(SKIRQ_PEND_SET_PREFIX));
	skirq_local_clear(&e->li);

	/* repressible: CR14 against the injected CR14 bits */
	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_MCHK;
	irq.u.mchk.mcic = SKIRQ_MCIC_W;
	irq.u.mchk.cr14 = 0x01000000;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	e->cpu.psw_mask = P_ALL;
	e->cr[14] = 0xc2000000;
	assert_int_equal(dlv(e), 0);
	e->cr[14] = 0x01000000;
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
	e->cpu.psw_mask = P_ALL & ~P_MCHK;
	assert_int_equal(dlv(e), 0);
	/* exigent ignores CR14 but not the PSW */
	irq.u.mchk.mcic = SKIRQ_MCIC_SD;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	assert_int_equal(dlv(e), 0);
	e->cpu.psw_mask = P_ALL;
	e->cr[14] = 0;
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_MCHK_EX));
	skirq_local_clear(&e->li);
	/* a floating one with the channel-report bit */
	firq(e, KVM_S390_MCHK, 0xffffffff, SKIRQ_MCIC_W);
	assert_int_equal(dlv(e), 0);
	e->cr[14] = SKIRQ_CR14_CHANNEL_REPORT;
	assert_int_equal(dlv(e), SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
}

static void test_priority_order(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;
	static const int want[] = {
		SKIRQ_PEND_PROG, SKIRQ_PEND_MCHK_REP,
		SKIRQ_PEND_EXT_EMERGENCY, SKIRQ_PEND_EXT_EMERGENCY,
		SKIRQ_PEND_EXT_EMERGENCY, SKIRQ_PEND_EXT_EXTERNAL,
		SKIRQ_PEND_EXT_CLOCK_COMP, SKIRQ_PEND_EXT_CPU_TIMER,
		SKIRQ_PEND_EXT_SERVICE_EV, SKIRQ_PEND_EXT_SERVICE,
		SKIRQ_PEND_PFAULT_INIT, SKIRQ_PEND_PFAULT_DONE,
		SKIRQ_PEND_VIRTIO, SKIRQ_PEND_IO_ISC(0), SKIRQ_PEND_IO_ISC(3),
		SKIRQ_PEND_IO_ISC(7), SKIRQ_PEND_RESTART, SKIRQ_PEND_SET_PREFIX,
	};
	static const uint16_t emerg_want[] = { 1, 3, 12 };
	unsigned ne = 0;

	set_new_psws(e, P_ALL);
	/* injected in reverse */
	lirq(e, &stopped, KVM_S390_SIGP_SET_PREFIX, 0);
	e->li.prefix.address = PREFIX;
	lirq(e, &running, KVM_S390_RESTART, 0);
	firq(e, 0x10007, 0, 0x80000000u | 7 << 27);
	firq(e, 0x10003, 0, 0x80000000u | 3 << 27);
	firq(e, 0x10000, 0, 0x80000000u);
	firq(e, KVM_S390_INT_VIRTIO, 0, 0);
	firq(e, KVM_S390_INT_PFAULT_DONE, 0, 0);
	lirq(e, &running, KVM_S390_INT_PFAULT_INIT, 0);
	firq(e, KVM_S390_INT_SERVICE, 0x2000 | 1, 0);
	lirq(e, &running, KVM_S390_INT_CPU_TIMER, 0);
	lirq(e, &running, KVM_S390_INT_CLOCK_COMP, 0);
	lirq(e, &running, KVM_S390_INT_EXTERNAL_CALL, 9);
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 12);
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 1);
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 3);
	firq(e, KVM_S390_MCHK, SKIRQ_CR14_CHANNEL_REPORT, SKIRQ_MCIC_W);
	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_PROGRAM_INT;
	irq.u.pgm.code = 0x01;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);

	for (unsigned i = 0; i < ARRAY_SIZE(want); i++) {
		int t = skirq_deliver_one(&e->li, &e->fi, &e->cpu);

		assert_int_equal(t, want[i]);
		if (t == SKIRQ_PEND_EXT_EMERGENCY)
			assert_int_equal(get_be16(e->lc + 0x84),
					 emerg_want[ne++]);
	}
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu), -1);
	assert_int_equal(e->li.pending | e->fi.pending, 0);
	assert_int_equal(e->fi.nr_io + e->fi.nr_virtio + e->fi.nr_pfault, 0);
}

static void test_exigent_first_and_merge(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_PROGRAM_INT;
	irq.u.pgm.code = 0x06;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	firq(e, KVM_S390_MCHK, SKIRQ_CR14_CHANNEL_REPORT, 0x100);
	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_MCHK;
	irq.u.mchk.mcic = SKIRQ_MCIC_PD;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_MCHK_EX);
	/* the floating repressible one went along */
	assert_int_equal(get_be64(e->lc + 0xe8), SKIRQ_MCIC_PD | 0x100);
	assert_int_equal(e->fi.pending, 0);
	assert_int_equal(e->li.pending, SKIRQ_BIT(SKIRQ_PEND_PROG));
}

/* ------------------------------------------------------------------------ */

static void deliver_ext_check(struct env *e, int want, uint16_t code,
			      uint16_t addr, const uint32_t *p1,
			      const uint64_t *p2)
{
	memset(e->lc, 0xaa, 0x200);
	memset(e->lc + 0x11b8, 0xaa, 8);
	set_new_psws(e, P_64);
	e->cpu.psw_mask = P_ALL;
	e->cpu.psw_addr = 0x8000;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu), want);
	assert_int_equal(get_be16(e->lc + 0x86), code);
	assert_int_equal(get_be16(e->lc + 0x84), addr);
	check_old_psw(e, 0x130, P_ALL, 0x8000);
	assert_int_equal(e->cpu.psw_mask, P_64);
	assert_int_equal(e->cpu.psw_addr, 0x2000);
	if (p1)
		assert_int_equal(get_be32(e->lc + 0x80), *p1);
	else
		assert_int_equal(get_be32(e->lc + 0x80), 0xaaaaaaaa);
	if (p2)
		assert_int_equal(get_be64(e->lc + 0x11b8), *p2);
	else
		assert_int_equal(get_be64(e->lc + 0x11b8),
				 0xaaaaaaaaaaaaaaaaULL);
	/* absolute 0 is not the lowcore of this CPU */
	assert_int_equal(e->ram[0x86], 0xaa);
}

static void test_lowcore_external(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;
	uint32_t p1;
	uint64_t p2;

	lirq(e, &running, KVM_S390_INT_CLOCK_COMP, 0);
	deliver_ext_check(e, SKIRQ_PEND_EXT_CLOCK_COMP, 0x1004, 0, NULL, NULL);
	lirq(e, &running, KVM_S390_INT_CPU_TIMER, 0);
	deliver_ext_check(e, SKIRQ_PEND_EXT_CPU_TIMER, 0x1005, 0, NULL, NULL);
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 0x0b);
	deliver_ext_check(e, SKIRQ_PEND_EXT_EMERGENCY, 0x1201, 0x0b, NULL,
			  NULL);
	lirq(e, &running, KVM_S390_INT_EXTERNAL_CALL, 0x0c);
	deliver_ext_check(e, SKIRQ_PEND_EXT_EXTERNAL, 0x1202, 0x0c, NULL,
			  NULL);
	assert_int_equal(e->li.extcall.code, 0);

	/* service: SCCB address and event bits pending together: the event
	 * part first (parameter 3), then the SCCB part */
	firq(e, KVM_S390_INT_SERVICE, 0x12340 | 2, 0);
	p1 = 3;
	deliver_ext_check(e, SKIRQ_PEND_EXT_SERVICE_EV, 0x2401, 0, &p1, NULL);
	p1 = 0x12340;
	deliver_ext_check(e, SKIRQ_PEND_EXT_SERVICE, 0x2401, 0, &p1, NULL);
	assert_int_equal(e->fi.pending, 0);
	/* an event alone also raises the SCCB part, with parameter 0 */
	firq(e, KVM_S390_INT_SERVICE, 1, 0);
	p1 = 3;
	deliver_ext_check(e, SKIRQ_PEND_EXT_SERVICE_EV, 0x2401, 0, &p1, NULL);
	p1 = 0;
	deliver_ext_check(e, SKIRQ_PEND_EXT_SERVICE, 0x2401, 0, &p1, NULL);
	assert_int_equal(e->fi.pending, 0);
	/* SCCB only */
	firq(e, KVM_S390_INT_SERVICE, 0x8000, 0);
	p1 = 0x8000;
	deliver_ext_check(e, SKIRQ_PEND_EXT_SERVICE, 0x2401, 0, &p1, NULL);
	assert_int_equal(e->fi.pending, 0);

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_INT_PFAULT_INIT;
	irq.u.ext.ext_params = 0x99;
	irq.u.ext.ext_params2 = 0x1122334455667788ULL;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	p2 = 0x1122334455667788ULL;
	deliver_ext_check(e, SKIRQ_PEND_PFAULT_INIT, 0x2603, 0x0600, NULL, &p2);

	firq(e, KVM_S390_INT_PFAULT_DONE, 0x77, 0x8877665544332211ULL);
	p2 = 0x8877665544332211ULL;
	deliver_ext_check(e, SKIRQ_PEND_PFAULT_DONE, 0x2603, 0x0680, NULL, &p2);

	firq(e, KVM_S390_INT_VIRTIO, 0xdeadbeef, 0x0123456789abcdefULL);
	firq(e, KVM_S390_INT_VIRTIO, 2, 3);
	p1 = 0xdeadbeef;
	p2 = 0x0123456789abcdefULL;
	deliver_ext_check(e, SKIRQ_PEND_VIRTIO, 0x2603, 0x0d00, &p1, &p2);
	assert_int_equal(e->fi.nr_virtio, 1);
	p1 = 2;
	p2 = 3;
	deliver_ext_check(e, SKIRQ_PEND_VIRTIO, 0x2603, 0x0d00, &p1, &p2);
	assert_int_equal(e->fi.pending, 0);
}

static void test_emergency_sources_one_each(void **state)
{
	struct env *e = *state;
	static const uint16_t ids[] = { 15, 0, 7, 3 };
	static const uint16_t order[] = { 0, 3, 7, 15 };

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++)
		lirq(e, &running, KVM_S390_INT_EMERGENCY, ids[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
		assert_true(e->li.pending &
			    SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY));
		deliver_ext_check(e, SKIRQ_PEND_EXT_EMERGENCY, 0x1201,
				  order[i], NULL, NULL);
	}
	assert_int_equal(e->li.pending, 0);
}

static void inject_pgm(struct env *e, uint16_t code, uint8_t flags)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_PROGRAM_INT;
	irq.u.pgm.code = code;
	irq.u.pgm.flags = flags;
	irq.u.pgm.trans_exc_code = 0x1111222233334444ULL;
	irq.u.pgm.mon_code = 0x5555666677778888ULL;
	irq.u.pgm.per_address = 0x99990000aaaa0000ULL;
	irq.u.pgm.data_exc_code = 0x00000abc;
	irq.u.pgm.mon_class_nr = 0x0102;
	irq.u.pgm.per_code = 0x34;
	irq.u.pgm.per_atmid = 0x56;
	irq.u.pgm.exc_access_id = 0x07;
	irq.u.pgm.per_access_id = 0x08;
	irq.u.pgm.op_access_id = 0x09;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	memset(e->lc, 0xaa, 0x200);
	set_new_psws(e, P_64);
}

static void test_lowcore_program(void **state)
{
	struct env *e = *state;
	const uint8_t ilc6 = KVM_S390_PGM_FLAGS_ILC_VALID | 6;

	/* operation: no rewind, ILC from the flags, BEA, code */
	inject_pgm(e, 0x01, ilc6);
	e->cpu.psw_mask = P_64;
	e->cpu.psw_addr = 0x8006;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_PROG);
	assert_int_equal(get_be16(e->lc + 0x8c), 6);
	assert_int_equal(get_be16(e->lc + 0x8e), 0x01);
	assert_int_equal(get_be64(e->lc + 0x110), 0x7777);
	check_old_psw(e, 0x150, P_64, 0x8006);
	assert_int_equal(e->cpu.psw_addr, 0x4000);
	assert_int_equal(e->lc[0xa8], 0xaa); /* nothing class-specific */
	assert_int_equal(e->lc[0x96], 0xaa);
	assert_int_equal(e->li.pgm.code, 0);

	/* page translation: nullifying, rewound by the ILC (auto: 4) */
	inject_pgm(e, 0x11, 0);
	e->cpu.psw_addr = 0x8006;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_PROG);
	check_old_psw(e, 0x150, P_64, 0x8002);
	assert_int_equal(get_be16(e->lc + 0x8c), 4);
	assert_int_equal(get_be64(e->lc + 0xa8), 0x1111222233334444ULL);
	assert_int_equal(e->lc[0xa0], 0x07);
	assert_int_equal(e->lc[0xa2], 0x09);
	/* the same with NO_REWIND */
	inject_pgm(e, 0x11, ilc6 | KVM_S390_PGM_FLAGS_NO_REWIND);
	e->cpu.psw_mask = P_64;
	e->cpu.psw_addr = 0x8006;
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	check_old_psw(e, 0x150, P_64, 0x8006);
	/* rewinding wraps in the addressing mode: 31-bit and 24-bit */
	inject_pgm(e, 0x10, KVM_S390_PGM_FLAGS_ILC_VALID | 4);
	e->cpu.psw_mask = P_31;
	e->cpu.psw_addr = 0x2;
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	check_old_psw(e, 0x150, P_31, 0x7ffffffe);
	inject_pgm(e, 0x10, KVM_S390_PGM_FLAGS_ILC_VALID | 4);
	e->cpu.psw_mask = 0;
	e->cpu.psw_addr = 0x2;
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	check_old_psw(e, 0x150, 0, 0xfffffe);

	/* protection: TEC and access id, not nullifying */
	inject_pgm(e, 0x04, ilc6);
	e->cpu.psw_mask = P_64;
	e->cpu.psw_addr = 0x8006;
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	check_old_psw(e, 0x150, P_64, 0x8006);
	assert_int_equal(get_be64(e->lc + 0xa8), 0x1111222233334444ULL);
	assert_int_equal(e->lc[0xa0], 0x07);
	assert_int_equal(e->lc[0xa2], 0xaa);

	/* monitor event */
	inject_pgm(e, 0x40, ilc6);
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	assert_int_equal(get_be16(e->lc + 0x94), 0x0102);
	assert_int_equal(get_be64(e->lc + 0xb0), 0x5555666677778888ULL);

	/* data exception */
	inject_pgm(e, 0x07, ilc6);
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	assert_int_equal(get_be32(e->lc + 0x90), 0xabc);

	/* specification with PER */
	inject_pgm(e, 0x86, ilc6);
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	assert_int_equal(get_be16(e->lc + 0x8e), 0x86);
	assert_int_equal(e->lc[0x96], 0x34);
	assert_int_equal(e->lc[0x97], 0x56);
	assert_int_equal(get_be64(e->lc + 0x98), 0x99990000aaaa0000ULL);
	assert_int_equal(e->lc[0xa1], 0x08);
	assert_int_equal(e->lc[0xa8], 0xaa);
}

static void test_lowcore_mchk(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;
	uint8_t vrs[512];

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_MCHK;
	irq.u.mchk.mcic = SKIRQ_MCIC_SD | SKIRQ_MCIC_VR | SKIRQ_MCIC_GS | 0xf;
	irq.u.mchk.ext_damage_code = 0x01020304;
	irq.u.mchk.failing_storage_address = 0xfedcba9876543210ULL;
	for (unsigned i = 0; i < 16; i++)
		irq.u.mchk.fixed_logout[i] = (uint8_t)(0x30 + i);
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	put_be64(e->lc + 0x11b0, 0x20000 | 0x3ff); /* low bits are ignored */
	e->cpu.psw_addr = 0x8000;
	/* no vector facility: the VR validity bit goes, GS always */
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_MCHK_EX);
	assert_int_equal(get_be64(e->lc + 0xe8), SKIRQ_MCIC_SD | 0xf);
	assert_int_equal(e->lc[0xa3], 1);
	check_old_psw(e, 0x160, P_ALL, 0x8000);
	assert_int_equal(e->cpu.psw_addr, 0x5000);
	assert_int_equal(get_be32(e->lc + 0xf4), 0x01020304);
	assert_int_equal(get_be64(e->lc + 0xf8), 0xfedcba9876543210ULL);
	for (unsigned i = 0; i < 16; i++) {
		assert_int_equal(get_be64(e->lc + 0x1200 + 8 * i), e->fpr[i]);
		assert_int_equal(get_be64(e->lc + 0x1280 + 8 * i), e->gpr[i]);
		assert_int_equal(get_be32(e->lc + 0x1340 + 4 * i), e->acr[i]);
		assert_int_equal(get_be64(e->lc + 0x1380 + 8 * i), e->cr[i]);
		assert_int_equal(e->lc[0x1300 + i], 0x30 + i);
	}
	assert_int_equal(get_be32(e->lc + 0x131c), 0x11223344);
	assert_int_equal(get_be32(e->lc + 0x1324), 0x5566);
	assert_int_equal(get_be64(e->lc + 0x1328), 0x123456789aULL);
	assert_int_equal(get_be64(e->lc + 0x1330), 0xabcdef0012345678ULL >> 8);
	assert_int_equal(get_be32(e->lc + 0x1318), 0xaaaaaaaa); /* prefix */
	assert_int_equal(e->ram[0x20000], 0xaa);
	assert_int_equal(e->li.pending, 0);

	/* with vector registers: stored at the 1 KiB aligned address */
	for (unsigned i = 0; i < sizeof(vrs); i++)
		vrs[i] = (uint8_t)i;
	e->cpu.vrs = vrs;
	irq.u.mchk.mcic = SKIRQ_MCIC_PD | SKIRQ_MCIC_VR;
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	e->cpu.psw_mask = P_ALL;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_MCHK_EX);
	assert_int_equal(get_be64(e->lc + 0xe8),
			 SKIRQ_MCIC_PD | SKIRQ_MCIC_VR);
	assert_memory_equal(e->ram + 0x20000, vrs, sizeof(vrs));
	/* an address outside memory: not stored, bit cleared */
	put_be64(e->lc + 0x11b0, RAM_SIZE);
	assert_int_equal(skirq_inject_local(&e->li, &running, &irq), 0);
	e->cpu.psw_mask = P_ALL;
	skirq_deliver_one(&e->li, &e->fi, &e->cpu);
	assert_int_equal(get_be64(e->lc + 0xe8), SKIRQ_MCIC_PD);
}

static void test_lowcore_io(void **state)
{
	struct env *e = *state;

	firq(e, KVM_S390_INT_IO(0, 0, 1, 0x42), 0x00010042,
	     0x1234567800000000ULL | 0x90000000u);
	firq(e, KVM_S390_INT_IO(0, 0, 1, 0x43), 0x00010043,
	     0x9abcdef000000000ULL | 0x90000000u);
	e->cpu.psw_addr = 0x8000;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_IO_ISC(2));
	assert_int_equal(get_be16(e->lc + 0xb8), 1);
	assert_int_equal(get_be16(e->lc + 0xba), 0x42);
	assert_int_equal(get_be32(e->lc + 0xbc), 0x12345678);
	assert_int_equal(get_be32(e->lc + 0xc0), 0x90000000);
	check_old_psw(e, 0x170, P_ALL, 0x8000);
	assert_int_equal(e->cpu.psw_addr, 0x6000);
	assert_int_equal(e->fi.nr_io, 1);
	assert_true(e->fi.pending & SKIRQ_BIT(SKIRQ_PEND_IO_ISC(2)));
	e->cpu.psw_mask = P_ALL;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_IO_ISC(2));
	assert_int_equal(get_be16(e->lc + 0xba), 0x43);
	assert_int_equal(e->fi.pending, 0);
}

static void test_restart_and_prefix(void **state)
{
	struct env *e = *state;
	struct kvm_s390_irq irq;
	uint8_t before[0x2000];

	lirq(e, &running, KVM_S390_RESTART, 0);
	e->cpu.psw_mask = 0;
	e->cpu.psw_addr = 0x8888;
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_RESTART);
	check_old_psw(e, 0x120, 0, 0x8888);
	assert_int_equal(e->cpu.psw_addr, 0x1000);
	assert_int_equal(e->cpu.psw_mask, P_64);

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_SIGP_SET_PREFIX;
	irq.u.prefix.address = 0x80023fff; /* masked to 0x00022000 */
	assert_int_equal(skirq_inject_local(&e->li, &stopped, &irq), 0);
	memcpy(before, e->lc, sizeof(before));
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu),
			 SKIRQ_PEND_SET_PREFIX);
	assert_int_equal(e->cpu.prefix, 0x22000);
	assert_true(e->cpu.prefix_changed);
	assert_memory_equal(before, e->lc, sizeof(before));
	assert_int_equal(e->cpu.psw_addr, 0x1000);
	assert_int_equal(e->li.pending, 0);
	assert_int_equal(e->li.prefix.address, 0);
}

static void test_efault_consumes(void **state)
{
	struct env *e = *state;

	lirq(e, &running, KVM_S390_INT_EMERGENCY, 2);
	lirq(e, &running, KVM_S390_RESTART, 0);
	firq(e, 0x10000, 0, 0x80000000u);
	e->cpu.prefix = RAM_SIZE - 0x1000; /* lowcore crosses the end */
	assert_int_equal(skirq_deliver_one(&e->li, &e->fi, &e->cpu), -EFAULT);
	assert_int_equal(e->li.pending, SKIRQ_BIT(SKIRQ_PEND_RESTART));
	assert_int_equal(skirq_deliver_all(&e->li, &e->fi, &e->cpu), -EFAULT);
	assert_int_equal(e->fi.pending, 0);
	assert_int_equal(e->fi.nr_io, 0);
	assert_int_equal(skirq_deliver_all(&e->li, &e->fi, &e->cpu), -EFAULT);
	assert_int_equal(e->li.pending, 0);
	assert_int_equal(skirq_deliver_all(&e->li, &e->fi, &e->cpu), 0);
}

static void test_deliver_all_stops_when_masked(void **state)
{
	struct env *e = *state;

	/* the external new PSW disables externals: one per round */
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 2);
	lirq(e, &running, KVM_S390_INT_EMERGENCY, 4);
	lirq(e, &running, KVM_S390_INT_CLOCK_COMP, 0);
	lirq(e, &running, KVM_S390_RESTART, 0);
	/* restart new PSW enables externals again, so after the restart
	 * the second emergency comes, then the ext new PSW masks again */
	put_be64(e->lc + 0x1a0, P_ALL);
	assert_int_equal(skirq_deliver_all(&e->li, &e->fi, &e->cpu), 0);
	assert_int_equal(get_be16(e->lc + 0x84), 4);
	assert_int_equal(e->li.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP));
	assert_int_equal(e->cpu.psw_addr, 0x2000);
	/* the restart old PSW is the first external's new PSW */
	check_old_psw(e, 0x120, P_64, 0x2000);
}

static void test_real_to_abs(void **state)
{
	(void)state;
	assert_int_equal(skirq_real_to_abs(0x10000, 0), 0x10000);
	assert_int_equal(skirq_real_to_abs(0x10000, 0x1fff), 0x11fff);
	assert_int_equal(skirq_real_to_abs(0x10000, 0x10000), 0);
	assert_int_equal(skirq_real_to_abs(0x10000, 0x11fff), 0x1fff);
	assert_int_equal(skirq_real_to_abs(0x10000, 0x12000), 0x12000);
	assert_int_equal(skirq_real_to_abs(0x10000, 0x2000), 0x2000);
	assert_int_equal(skirq_real_to_abs(0, 0x1234), 0x1234);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ext_masks),
		T(test_io_masks),
		T(test_mchk_and_unmaskable),
		T(test_priority_order),
		T(test_exigent_first_and_merge),
		T(test_lowcore_external),
		T(test_emergency_sources_one_each),
		T(test_lowcore_program),
		T(test_lowcore_mchk),
		T(test_lowcore_io),
		T(test_restart_and_prefix),
		T(test_efault_consumes),
		T(test_deliver_all_stops_when_masked),
		cmocka_unit_test(test_real_to_abs),
	};

	return cmocka_run_group_tests_name("softkvm_irq_deliver", tests, NULL,
					   NULL);
}
