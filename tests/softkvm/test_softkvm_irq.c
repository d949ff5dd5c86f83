// SPDX-License-Identifier: MIT
/*
 * Every interrupt class through hv_ioctl, as a VMM injects them: pending
 * but not delivered while the PSW masks it, delivered exactly once when
 * the guest enables it, with the lowcore fields spec 4.6 lists; the ones
 * nothing masks (program, restart, set prefix) delivered at once, the
 * stop as the stop intercept. Then KVM_S390_GET/SET_IRQ_STATE with every
 * local type pending at once and emergency signals from 64 source CPUs:
 * the kernel's order, a round trip into another VM, -ENOBUFS with the
 * entries that fit copied, -EBUSY, -EINVAL.
 */
#include "sk-test.h"

#define HANDLER 0x11000ULL
#define COUNT 0x500ULL     /* the handler counts deliveries here */
#define IRQ_SZ sizeof(struct kvm_s390_irq)

/* lg r1,COUNT; aghi r1,1; stg r1,COUNT; lpswe END_PSW */
static const uint8_t handler_code[] = {
	0xe3, 0x10, 0x05, 0x00, 0x00, 0x04, 0xa7, 0x1b, 0x00, 0x01, 0xe3, 0x10,
	0x05, 0x00, 0x00, 0x24, 0xb2, 0xb2, 0x03, 0xf0,
};
/* lpswe END_PSW: the masked guest just ends */
static const uint8_t end_code[] = { 0xb2, 0xb2, 0x03, 0xf0 };

struct field {
	uint16_t off;
	uint8_t size;    /* 1, 2, 4, 8; 0 ends the list */
	uint64_t val;
};

enum how { LOCAL, FLOATING };
enum arm { ARM_NONE, ARM_CKC, ARM_CPUTM };

struct irq_case {
	const char *name;
	enum how how;
	enum arm arm;            /* a timer condition instead of an injection */
	struct kvm_s390_irq irq;
	uint64_t enable;         /* PSW bits that let it in; 0: never masked */
	uint64_t cr0, cr6, cr14;
	uint16_t old_psw;        /* 0: no delivery (stop, set prefix) */
	struct field f[5];
};

static const struct irq_case cases[] = {
	{ "emergency", LOCAL, ARM_NONE,
	  { .type = KVM_S390_INT_EMERGENCY, .u.emerg.code = 1 },
	  PSW_EXT, 0x4000, 0, 0, 0x130,
	  { { 0x86, 2, 0x1201 }, { 0x84, 2, 1 } } },
	{ "external call", LOCAL, ARM_NONE,
	  { .type = KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = 1 },
	  PSW_EXT, 0x2000, 0, 0, 0x130,
	  { { 0x86, 2, 0x1202 }, { 0x84, 2, 1 } } },
	{ "clock comparator", LOCAL, ARM_CKC, { .type = 0 },
	  PSW_EXT, 0x0800, 0, 0, 0x130,
	  { { 0x86, 2, 0x1004 }, { 0x84, 2, 0 } } },
	{ "cpu timer", LOCAL, ARM_CPUTM, { .type = 0 },
	  PSW_EXT, 0x0400, 0, 0, 0x130,
	  { { 0x86, 2, 0x1005 }, { 0x84, 2, 0 } } },
	{ "pfault init", LOCAL, ARM_NONE,
	  { .type = KVM_S390_INT_PFAULT_INIT, .u.ext.ext_params2 = 0xabc },
	  PSW_EXT, 0, 0, 0, 0x130,
	  { { 0x86, 2, 0x2603 }, { 0x84, 2, 0x0600 }, { 0x11b8, 8, 0xabc } } },
	{ "machine check (local, exigent)", LOCAL, ARM_NONE,
	  { .type = KVM_S390_MCHK,
	    .u.mchk = { .mcic = 0x4000000000000000ULL,
			.failing_storage_address = 0x4000 } },
	  PSW_MCHK, 0, 0, 0, 0x160,
	  { { 0xe8, 8, 0x4000000000000000ULL }, { 0xf8, 8, 0x4000 } } },
	{ "service signal", FLOATING, ARM_NONE,
	  { .type = KVM_S390_INT_SERVICE, .u.ext.ext_params = 0x8000 },
	  PSW_EXT, 0x0200, 0, 0, 0x130,
	  { { 0x86, 2, 0x2401 }, { 0x84, 2, 0 }, { 0x80, 4, 0x8000 } } },
	{ "virtio", FLOATING, ARM_NONE,
	  { .type = KVM_S390_INT_VIRTIO,
	    .u.ext = { .ext_params = 0x11, .ext_params2 = 0x2222 } },
	  PSW_EXT, 0, 0, 0, 0x130,
	  { { 0x86, 2, 0x2603 }, { 0x84, 2, 0x0d00 }, { 0x80, 4, 0x11 },
	    { 0x11b8, 8, 0x2222 } } },
	{ "pfault done", FLOATING, ARM_NONE,
	  { .type = KVM_S390_INT_PFAULT_DONE, .u.ext.ext_params2 = 0x77 },
	  PSW_EXT, 0, 0, 0, 0x130,
	  { { 0x86, 2, 0x2603 }, { 0x84, 2, 0x0680 }, { 0x11b8, 8, 0x77 } } },
	{ "I/O (ISC 3)", FLOATING, ARM_NONE,
	  { .type = KVM_S390_INT_IO(0, 0, 0, 5),
	    .u.io = { .subchannel_id = 0x0001, .subchannel_nr = 5,
		      .io_int_parm = 0xcafe, .io_int_word = 0x18000000 } },
	  PSW_IO, 0, 0x10000000, 0, 0x170,
	  { { 0xb8, 2, 0x0001 }, { 0xba, 2, 5 }, { 0xbc, 4, 0xcafe },
	    { 0xc0, 4, 0x18000000 } } },
	{ "machine check (floating, channel report)", FLOATING, ARM_NONE,
	  { .type = KVM_S390_MCHK,
	    .u.mchk = { .cr14 = 0x10000000, .mcic = 0x00400f1d40330000ULL } },
	  PSW_MCHK, 0, 0, 0x10000000, 0x160,
	  { { 0xe8, 8, 0x00400f1d40330000ULL } } },
	{ "program", LOCAL, ARM_NONE,
	  { .type = KVM_S390_PROGRAM_INT,
	    .u.pgm = { .code = 0x06, .flags = 0x01 | 0x04 } },
	  0, 0, 0, 0, 0x150,
	  { { 0x8e, 2, 0x06 }, { 0x8c, 2, 4 } } },
	{ "restart", LOCAL, ARM_NONE, { .type = KVM_S390_RESTART },
	  0, 0, 0, 0, 0x120, { { 0 } } },
};

/* The new PSWs of every class lead to the handler, disabled. */
static void lowcore_setup(struct skt_fix *f, uint64_t base)
{
	static const uint16_t news[] = { 0x1a0, 0x1b0, 0x1d0, 0x1e0, 0x1f0 };

	for (size_t i = 0; i < ARRAY_SIZE(news); i++)
		skt_put_psw(f, base + news[i], PSW_64, HANDLER);
	skt_put_psw(f, base + END_PSW, PSW_WAIT | PSW_64, END_ADDR);
	put_be64(f->ram + base + COUNT, 0);
}

static int flic;   /* of the current irq_fix() VM */

static struct skt_fix *irq_fix(unsigned nvcpu)
{
	struct skt_fix *f = skt_fix_new(1, nvcpu, 0);
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	assert_int_equal(skt_io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	flic = (int)cd.fd;
	memcpy(f->ram + CODE, end_code, sizeof(end_code));
	memcpy(f->ram + HANDLER, handler_code, sizeof(handler_code));
	lowcore_setup(f, 0);
	return f;
}

static void set_reg(struct skt_fix *f, unsigned cpu, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	assert_int_equal(skt_io(f->vcpu[cpu], KVM_SET_ONE_REG, &r), 0);
}

static uint64_t lc_get(const uint8_t *p, unsigned size)
{
	switch (size) {
	case 1:
		return *p;
	case 2:
		return get_be16(p);
	case 4:
		return get_be32(p);
	default:
		return get_be64(p);
	}
}

/* Run vCPU 0 at CODE with this PSW mask to the end; the handler count. */
static uint64_t run_with(struct skt_fix *f, const struct irq_case *c,
			 uint64_t mask)
{
	struct kvm_run *run = f->run[0];

	run->psw_mask = PSW_64 | mask;
	run->psw_addr = CODE;
	skt_set_crs(f, 0, c->cr0, c->cr6);
	run->s.regs.crs[14] |= c->cr14;
	skt_run_to_end(f, 0);
	return get_be64(f->ram + COUNT);
}

static long pending_count(struct skt_fix *f, const struct irq_case *c)
{
	struct kvm_s390_irq buf[8];

	if (c->how == FLOATING) {
		struct kvm_device_attr a = {
			.group = KVM_DEV_FLIC_GET_ALL_IRQS, .attr = sizeof(buf),
			.addr = (uint64_t)(uintptr_t)buf,
		};
		return skt_io(flic, KVM_GET_DEVICE_ATTR, &a);
	} else {
		struct kvm_s390_irq_state st = {
			.buf = (uint64_t)(uintptr_t)buf, .len = sizeof(buf),
		};
		long n = skt_io(f->vcpu[0], KVM_S390_GET_IRQ_STATE, &st);

		return n < 0 ? n : n / (long)IRQ_SZ;
	}
}

static void inject(struct skt_fix *f, const struct irq_case *c)
{
	switch (c->arm) {
	case ARM_CKC:
		set_reg(f, 0, KVM_REG_S390_CLOCK_COMP, 0);   /* long past */
		return;
	case ARM_CPUTM:
		/* negative, and stays so while it runs down */
		set_reg(f, 0, KVM_REG_S390_CPU_TIMER, ~0ULL);
		return;
	case ARM_NONE:
		break;
	}
	if (c->how == LOCAL) {
		assert_int_equal(skt_io(f->vcpu[0], KVM_S390_IRQ, &c->irq), 0);
	} else {
		struct kvm_s390_interrupt in = { .type = (uint32_t)c->irq.type };

		switch (c->irq.type) {
		case KVM_S390_INT_SERVICE:
			in.parm = c->irq.u.ext.ext_params;
			break;
		case KVM_S390_INT_VIRTIO:
			in.parm = c->irq.u.ext.ext_params;
			in.parm64 = c->irq.u.ext.ext_params2;
			break;
		case KVM_S390_INT_PFAULT_DONE:
			in.parm64 = c->irq.u.ext.ext_params2;
			break;
		case KVM_S390_MCHK:
			in.parm = (uint32_t)c->irq.u.mchk.cr14;
			in.parm64 = c->irq.u.mchk.mcic;
			break;
		default:   /* I/O */
			in.parm = (uint32_t)c->irq.u.io.subchannel_id << 16 |
				  c->irq.u.io.subchannel_nr;
			in.parm64 = (uint64_t)c->irq.u.io.io_int_parm << 32 |
				    c->irq.u.io.io_int_word;
			break;
		}
		assert_int_equal(skt_io(f->vm, KVM_S390_INTERRUPT, &in), 0);
	}
}

static void disarm(struct skt_fix *f, const struct irq_case *c)
{
	if (c->arm == ARM_CKC)
		set_reg(f, 0, KVM_REG_S390_CLOCK_COMP, ~0ULL);
	else if (c->arm == ARM_CPUTM)
		set_reg(f, 0, KVM_REG_S390_CPU_TIMER, 1ULL << 62);
}

static void one_case(const struct irq_case *c)
{
	struct skt_fix *f = irq_fix(2);
	uint64_t old_mask = PSW_64 | c->enable;

	print_message("  %s\n", c->name);
	inject(f, c);
	if (c->enable) {
		/* masked: the guest runs to its end, nothing delivered, and
		 * the interrupt is still pending */
		assert_int_equal(run_with(f, c, 0), 0);
		assert_int_equal(get_be64(f->ram + c->old_psw + 8), 0);
		if (c->arm == ARM_NONE)
			assert_int_equal(pending_count(f, c), 1);
	}
	/* enabled: delivered once, at once, over the PSW at CODE */
	assert_int_equal(run_with(f, c, c->enable), 1);
	assert_int_equal(get_be64(f->ram + c->old_psw), old_mask);
	assert_int_equal(get_be64(f->ram + c->old_psw + 8), CODE);
	for (const struct field *fl = c->f; fl->size; fl++)
		if (lc_get(f->ram + fl->off, fl->size) != fl->val)
			fail_msg("%s: lowcore 0x%x = 0x%llx, want 0x%llx",
				 c->name, fl->off,
				 (unsigned long long)lc_get(f->ram + fl->off,
							    fl->size),
				 (unsigned long long)fl->val);
	/* and never again */
	disarm(f, c);
	if (c->arm == ARM_NONE)
		assert_int_equal(pending_count(f, c), 0);
	assert_int_equal(run_with(f, c, c->enable), 1);
	hv_close(flic);
	skt_fix_free(f);
}

static void test_every_class(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		one_case(&cases[i]);
}

/* SET_PREFIX: only on a stopped vCPU; delivery moves the lowcore. */
static void test_set_prefix(void **state)
{
	struct skt_fix *f = irq_fix(1);
	struct kvm_s390_irq irq = {
		.type = KVM_S390_SIGP_SET_PREFIX, .u.prefix.address = 0x30000,
	};

	(void)state;
	lowcore_setup(f, 0x30000);
	/* a new vCPU is stopped: accepted */
	assert_int_equal(skt_io(f->vcpu[0], KVM_S390_IRQ, &irq), 0);
	f->run[0]->psw_mask = PSW_64;
	f->run[0]->psw_addr = CODE;
	skt_run_to_end(f, 0);
	assert_int_equal(f->run[0]->s.regs.prefix, 0x30000);
	/* nothing was stored in either lowcore */
	assert_int_equal(get_be64(f->ram + COUNT), 0);
	assert_int_equal(get_be64(f->ram + 0x30000 + COUNT), 0);
	/* running now: -EBUSY */
	assert_int_equal(skt_io(f->vcpu[0], KVM_S390_IRQ, &irq), -EBUSY);
	hv_close(flic);
	skt_fix_free(f);
}

/* SIGP_STOP is never delivered: it is the stop intercept. */
static void test_stop(void **state)
{
	struct skt_fix *f = irq_fix(1);
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_STOP };
	struct kvm_mp_state mp;

	(void)state;
	f->run[0]->psw_mask = PSW_64;
	f->run[0]->psw_addr = CODE;
	skt_run_to_end(f, 0);                         /* running now */
	assert_int_equal(skt_io(f->vcpu[0], KVM_S390_IRQ, &irq), 0);
	assert_int_equal(skt_io(f->vcpu[0], KVM_S390_IRQ, &irq), -EBUSY);
	f->run[0]->psw_addr = CODE;
	assert_int_equal(skt_run(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x28);
	/* s390 returns the state as the result, struct untouched */
	assert_int_equal(skt_io(f->vcpu[0], KVM_GET_MP_STATE, &mp),
			 KVM_MP_STATE_STOPPED);
	assert_int_equal(get_be64(f->ram + COUNT), 0);
	hv_close(flic);
	skt_fix_free(f);
}

/* ------------------------------------------------------------------------ */
/* IRQ state                                                                */
/* ------------------------------------------------------------------------ */

#define NSRC 64

static long irq_state(int fd, unsigned long req, void *buf, uint32_t len)
{
	struct kvm_s390_irq_state st = {
		.buf = (uint64_t)(uintptr_t)buf, .len = len,
	};

	return skt_io(fd, req, &st);
}

/*
 * One of every local type, plus emergency signals from vCPUs 0..63. SET
 * PREFIX needs a stopped vCPU, a STOP for a stopped one is a no-op: the
 * prefix goes in first, then the vCPU is made operating.
 */
static void fill_local(int fd)
{
	static const struct kvm_s390_irq one[] = {
		{ .type = KVM_S390_RESTART },
		{ .type = KVM_S390_SIGP_STOP },
		{ .type = KVM_S390_INT_PFAULT_INIT, .u.ext.ext_params2 = 0x42 },
		{ .type = KVM_S390_INT_CPU_TIMER },
		{ .type = KVM_S390_INT_CLOCK_COMP },
		{ .type = KVM_S390_INT_EXTERNAL_CALL, .u.extcall.code = 9 },
		{ .type = KVM_S390_MCHK,
		  .u.mchk = { .cr14 = 0x10000000, .mcic = 0x0080000000000000ULL,
			      .failing_storage_address = 0x1000 } },
		{ .type = KVM_S390_PROGRAM_INT,
		  .u.pgm = { .code = 0x05, .flags = 0x01 | 0x06 } },
	};
	struct kvm_s390_irq px = {
		.type = KVM_S390_SIGP_SET_PREFIX, .u.prefix.address = 0x8000,
	};
	struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_OPERATING };

	assert_int_equal(skt_io(fd, KVM_S390_IRQ, &px), 0);
	assert_int_equal(skt_io(fd, KVM_SET_MP_STATE, &mp), 0);
	for (size_t i = 0; i < ARRAY_SIZE(one); i++)
		assert_int_equal(skt_io(fd, KVM_S390_IRQ, &one[i]), 0);
	/* highest source first: the state lists them by address */
	for (int src = NSRC - 1; src >= 0; src--) {
		struct kvm_s390_irq e = { .type = KVM_S390_INT_EMERGENCY };

		e.u.emerg.code = (uint16_t)src;
		assert_int_equal(skt_io(fd, KVM_S390_IRQ, &e), 0);
	}
}

#define NLOCAL 9     /* entries before the emergency signals */
#define NSTATE (NLOCAL + NSRC)

static void test_irq_state_round_trip(void **state)
{
	struct skt_fix *src = skt_fix_new(1, NSRC, 0);
	struct skt_fix *dst = skt_fix_new(1, NSRC, 0);
	static struct kvm_s390_irq all[NSTATE + 4], again[NSTATE + 4],
		part[NSTATE];
	struct kvm_mp_state mp;
	/* the kernel's order: pending bits ascending (the external call at
	 * bit 20: no SCA in softkvm), then the emergency signals by source */
	static const uint64_t order[NLOCAL] = {
		KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART, KVM_S390_SIGP_STOP,
		KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_CPU_TIMER,
		KVM_S390_INT_CLOCK_COMP, KVM_S390_INT_EXTERNAL_CALL,
		KVM_S390_MCHK, KVM_S390_PROGRAM_INT,
	};

	(void)state;
	fill_local(src->vcpu[3]);
	assert_int_equal(irq_state(src->vcpu[3], KVM_S390_GET_IRQ_STATE, all,
				   sizeof(all)), NSTATE * IRQ_SZ);
	for (unsigned i = 0; i < NLOCAL; i++)
		if (all[i].type != order[i])
			fail_msg("entry %u: type 0x%llx, want 0x%llx", i,
				 (unsigned long long)all[i].type,
				 (unsigned long long)order[i]);
	for (unsigned i = 0; i < NSRC; i++) {
		assert_int_equal(all[NLOCAL + i].type, KVM_S390_INT_EMERGENCY);
		assert_int_equal(all[NLOCAL + i].u.emerg.code, i);
	}
	assert_int_equal(all[0].u.prefix.address, 0x8000);
	assert_int_equal(all[3].u.ext.ext_params2, 0x42);
	assert_int_equal(all[6].u.extcall.code, 9);
	assert_int_equal(all[8].u.pgm.code, 5);

	/* too small: -ENOBUFS, the entries that fit are there */
	memset(part, 0, sizeof(part));
	assert_int_equal(irq_state(src->vcpu[3], KVM_S390_GET_IRQ_STATE, part,
				   20 * IRQ_SZ), -ENOBUFS);
	assert_memory_equal(part, all, 20 * IRQ_SZ);
	/* sizes */
	assert_int_equal(irq_state(src->vcpu[3], KVM_S390_GET_IRQ_STATE, part,
				   0), -EINVAL);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_SET_IRQ_STATE, all,
				   0), -EINVAL);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_SET_IRQ_STATE, all,
				   IRQ_SZ + 1), -EINVAL);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_SET_IRQ_STATE, all,
				   IRQ_SZ * (SK_TEST_MAX_VCPUS * 16)), -EINVAL);
	/* something pending on the target: -EBUSY */
	assert_int_equal(irq_state(src->vcpu[3], KVM_S390_SET_IRQ_STATE, all,
				   NSTATE * IRQ_SZ), -EBUSY);

	/* the round trip: GET does not consume it ... */
	memset(again, 0, sizeof(again));
	assert_int_equal(irq_state(src->vcpu[3], KVM_S390_GET_IRQ_STATE, again,
				   sizeof(again)), NSTATE * IRQ_SZ);
	assert_memory_equal(again, all, NSTATE * IRQ_SZ);
	/* ... and an operating vCPU on the other side takes all of it but
	 * the prefix, which needs a stopped one (-EBUSY, SET stops there) */
	mp.mp_state = KVM_MP_STATE_OPERATING;
	assert_int_equal(skt_io(dst->vcpu[3], KVM_SET_MP_STATE, &mp), 0);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_SET_IRQ_STATE, all,
				   NSTATE * IRQ_SZ), -EBUSY);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_GET_IRQ_STATE, again,
				   sizeof(again)), 0);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_SET_IRQ_STATE,
				   &all[1], (NSTATE - 1) * IRQ_SZ), 0);
	memset(again, 0, sizeof(again));
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_GET_IRQ_STATE, again,
				   sizeof(again)), (NSTATE - 1) * IRQ_SZ);
	assert_memory_equal(again, &all[1], (NSTATE - 1) * IRQ_SZ);
	/* a stopped one takes the prefix, and a stop is a no-op for it */
	assert_int_equal(irq_state(dst->vcpu[4], KVM_S390_SET_IRQ_STATE, all,
				   NSTATE * IRQ_SZ), 0);
	memset(again, 0, sizeof(again));
	assert_int_equal(irq_state(dst->vcpu[4], KVM_S390_GET_IRQ_STATE, again,
				   sizeof(again)), (NSTATE - 1) * IRQ_SZ);
	assert_memory_equal(again, all, 2 * IRQ_SZ);
	assert_memory_equal(&again[2], &all[3], (NSTATE - 3) * IRQ_SZ);
	/* a reset empties it (the kernel's clear of local interrupts) */
	assert_int_equal(skt_ion(dst->vcpu[3], KVM_S390_NORMAL_RESET, 0), 0);
	assert_int_equal(irq_state(dst->vcpu[3], KVM_S390_GET_IRQ_STATE, again,
				   sizeof(again)), 0);
	skt_fix_free(src);
	skt_fix_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_class),
		cmocka_unit_test(test_set_prefix),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_irq_state_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
