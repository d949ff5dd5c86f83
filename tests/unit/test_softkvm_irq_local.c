// SPDX-License-Identifier: MIT
/*
 * softkvm local interrupts: injection rules and errno values, the
 * KVM_S390_INTERRUPT conversion, KVM_S390_GET/SET_IRQ_STATE and resets.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "softkvm/irq.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)

/* VM with vCPUs 0..7 and 3 .. 66 (a 64-source emergency storm needs ids). */
static bool exists(void *opaque, unsigned id)
{
	unsigned limit = opaque ? *(unsigned *)opaque : 8;

	return id < limit;
}

static unsigned nr_vcpus = 70;

static struct skirq_vcpu_info running = { false, 4, exists, &nr_vcpus };
static struct skirq_vcpu_info stopped = { true, 4, exists, &nr_vcpus };

static struct kvm_s390_irq mk(uint64_t type)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = type;
	return irq;
}

static int inj(struct skirq_local *li, const struct skirq_vcpu_info *vi,
	       uint64_t type)
{
	struct kvm_s390_irq irq = mk(type);

	return skirq_inject_local(li, vi, &irq);
}

static struct kvm_s390_irq emerg(uint16_t src)
{
	struct kvm_s390_irq irq = mk(KVM_S390_INT_EMERGENCY);

	irq.u.emerg.code = src;
	return irq;
}

static struct kvm_s390_irq extcall(uint16_t src)
{
	struct kvm_s390_irq irq = mk(KVM_S390_INT_EXTERNAL_CALL);

	irq.u.extcall.code = src;
	return irq;
}

static void test_bits_per_type(void **state)
{
	static const struct {
		uint64_t type;
		unsigned bit;
	} t[] = {
		{ KVM_S390_RESTART, SKIRQ_PEND_RESTART },
		{ KVM_S390_INT_CLOCK_COMP, SKIRQ_PEND_EXT_CLOCK_COMP },
		{ KVM_S390_INT_CPU_TIMER, SKIRQ_PEND_EXT_CPU_TIMER },
		{ KVM_S390_PROGRAM_INT, SKIRQ_PEND_PROG },
		{ KVM_S390_SIGP_STOP, SKIRQ_PEND_SIGP_STOP },
		{ KVM_S390_INT_PFAULT_INIT, SKIRQ_PEND_PFAULT_INIT },
	};
	struct skirq_local li;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		skirq_local_clear(&li);
		assert_int_equal(inj(&li, &running, t[i].type), 0);
		assert_int_equal(li.pending, SKIRQ_BIT(t[i].bit));
	}
	skirq_local_clear(&li);
	assert_int_equal(inj(&li, &stopped, KVM_S390_SIGP_SET_PREFIX), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_SET_PREFIX));
}

static void test_floating_types_einval(void **state)
{
	static const uint64_t bad[] = {
		KVM_S390_INT_VIRTIO, KVM_S390_INT_SERVICE,
		KVM_S390_INT_PFAULT_DONE, 0, 0x00010002, KVM_S390_INT_IO_MAX,
		0xfffe0006, 0xffffffff, 0x1fffe0001ULL,
	};
	struct skirq_local li;

	(void)state;
	skirq_local_clear(&li);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(inj(&li, &running, bad[i]), -EINVAL);
	assert_int_equal(li.pending, 0);
}

static void test_stop_rules(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq irq = mk(KVM_S390_SIGP_STOP);

	(void)state;
	skirq_local_clear(&li);
	irq.u.stop.flags = 2;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EINVAL);
	assert_int_equal(skirq_inject_local(&li, &stopped, &irq), -EINVAL);
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_true(skirq_stop_pending(&li));
	assert_int_equal(skirq_stop_flags(&li), 1);
	irq.u.stop.flags = 0;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EBUSY);
	assert_int_equal(skirq_stop_flags(&li), 1);
	skirq_clear_stop(&li);
	assert_false(skirq_stop_pending(&li));
	assert_int_equal(li.pending, 0);

	/* Already stopped: a no-op, or "store status now". */
	assert_int_equal(skirq_inject_local(&li, &stopped, &irq), 0);
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	assert_int_equal(skirq_inject_local(&li, &stopped, &irq),
			 SKIRQ_STORE_STATUS);
	assert_int_equal(li.pending, 0);
}

static void test_set_prefix_needs_stopped(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq irq = mk(KVM_S390_SIGP_SET_PREFIX);

	(void)state;
	skirq_local_clear(&li);
	irq.u.prefix.address = 0x10000;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EBUSY);
	assert_int_equal(li.pending, 0);
	assert_int_equal(skirq_inject_local(&li, &stopped, &irq), 0);
	irq.u.prefix.address = 0x20000;
	assert_int_equal(skirq_inject_local(&li, &stopped, &irq), 0);
	assert_int_equal(li.prefix.address, 0x20000);
}

static void test_extcall_and_emergency_sources(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq irq;
	unsigned all = 1000; /* a callback that says yes to anything */
	struct skirq_vcpu_info yes = { false, 0, exists, &all };
	struct skirq_vcpu_info none = { false, 0, NULL, NULL };

	(void)state;
	skirq_local_clear(&li);
	irq = extcall(70);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EINVAL);
	irq = extcall(255);
	assert_int_equal(skirq_inject_local(&li, &yes, &irq), -EINVAL);
	irq = extcall(1);
	assert_int_equal(skirq_inject_local(&li, &none, &irq), -EINVAL);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	irq = extcall(2);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EBUSY);
	assert_int_equal(li.extcall.code, 1);
	assert_true(skirq_extcall_pending(&li));

	irq = emerg(70);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), -EINVAL);
	irq = emerg(254);
	assert_int_equal(skirq_inject_local(&li, &yes, &irq), 0);
	irq = emerg(255);
	assert_int_equal(skirq_inject_local(&li, &yes, &irq), -EINVAL);
	irq = emerg(0);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.emerg[0], 1);
	assert_int_equal(li.emerg[3], 1ULL << (254 - 192));
}

static void test_program_merge(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq irq = mk(KVM_S390_PROGRAM_INT);

	(void)state;
	skirq_local_clear(&li);
	/* no ILC_VALID: the last intercept's length (4) is taken */
	irq.u.pgm.code = 0x11;
	irq.u.pgm.trans_exc_code = 0x1234;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pgm.flags, KVM_S390_PGM_FLAGS_ILC_VALID | 4);

	/* a pure PER event joins the pending exception */
	irq = mk(KVM_S390_PROGRAM_INT);
	irq.u.pgm.code = 0x80;
	irq.u.pgm.per_code = 0x40;
	irq.u.pgm.per_address = 0xabc;
	irq.u.pgm.trans_exc_code = 0x9999; /* ignored */
	irq.u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID | 6;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pgm.code, 0x91);
	assert_int_equal(li.pgm.trans_exc_code, 0x1234);
	assert_int_equal(li.pgm.per_address, 0xabc);
	assert_int_equal(li.pgm.flags, KVM_S390_PGM_FLAGS_ILC_VALID | 6);

	/* a later non-PER exception keeps the PER part */
	irq = mk(KVM_S390_PROGRAM_INT);
	irq.u.pgm.code = 0x04;
	irq.u.pgm.trans_exc_code = 0x5000;
	irq.u.pgm.per_address = 0xdead; /* ignored */
	irq.u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID | 2;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pgm.code, 0x84);
	assert_int_equal(li.pgm.trans_exc_code, 0x5000);
	assert_int_equal(li.pgm.per_address, 0xabc);
	assert_int_equal(li.pgm.per_code, 0x40);

	/* code with PER bit and an exception replaces everything */
	irq = mk(KVM_S390_PROGRAM_INT);
	irq.u.pgm.code = 0x86;
	irq.u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pgm.code, 0x86);
	assert_int_equal(li.pgm.per_address, 0);
	assert_int_equal(li.pgm.trans_exc_code, 0);
	assert_int_equal(li.pgm.flags, KVM_S390_PGM_FLAGS_ILC_VALID);
}

static void test_mchk_merge(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq irq = mk(KVM_S390_MCHK);

	(void)state;
	skirq_local_clear(&li);
	/* no class bit: merged, but nothing pends */
	irq.u.mchk.mcic = 0x1;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pending, 0);
	/* warning: repressible */
	irq.u.mchk.mcic = SKIRQ_MCIC_W;
	irq.u.mchk.cr14 = 0x01000000;
	irq.u.mchk.ext_damage_code = 0x10;
	irq.u.mchk.failing_storage_address = 0x1000;
	irq.u.mchk.fixed_logout[0] = 0xaa;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
	/* system damage: exigent; CR14/MCIC/damage OR-ed, the rest replaced */
	irq.u.mchk.mcic = SKIRQ_MCIC_SD;
	irq.u.mchk.cr14 = 0x04000000;
	irq.u.mchk.ext_damage_code = 0x01;
	irq.u.mchk.failing_storage_address = 0x2000;
	irq.u.mchk.fixed_logout[0] = 0xbb;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_MCHK_REP) |
					     SKIRQ_BIT(SKIRQ_PEND_MCHK_EX));
	assert_int_equal(li.mchk.mcic, SKIRQ_MCIC_SD | SKIRQ_MCIC_W | 1);
	assert_int_equal(li.mchk.cr14, 0x05000000);
	assert_int_equal(li.mchk.ext_damage_code, 0x11);
	assert_int_equal(li.mchk.failing_storage_address, 0x2000);
	assert_int_equal(li.mchk.fixed_logout[0], 0xbb);
	/* instruction-processing damage is exigent, external damage and
	 * degradation repressible */
	skirq_local_clear(&li);
	irq = mk(KVM_S390_MCHK);
	irq.u.mchk.mcic = SKIRQ_MCIC_PD;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_MCHK_EX));
	skirq_local_clear(&li);
	irq.u.mchk.mcic = SKIRQ_MCIC_ED;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	skirq_local_clear(&li);
	irq.u.mchk.mcic = SKIRQ_MCIC_DG;
	assert_int_equal(skirq_inject_local(&li, &running, &irq), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
}

static void test_interrupt_conversion(void **state)
{
	struct kvm_s390_interrupt in;
	struct kvm_s390_irq out;
	struct skirq_local li;
	static const uint8_t zero[64];

	(void)state;
	memset(&in, 0, sizeof(in));
	in.type = KVM_S390_PROGRAM_INT;
	in.parm = 0x10000;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);
	in.parm = 0xffff;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.u.pgm.code, 0xffff);

	in.type = KVM_S390_INT_EMERGENCY;
	in.parm = 0x10003;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);
	in.type = KVM_S390_INT_EXTERNAL_CALL;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);
	in.parm = 3;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.type, KVM_S390_INT_EXTERNAL_CALL);
	assert_int_equal(out.u.extcall.code, 3);
	assert_memory_equal(out.u.reserved + 2, zero, 62);

	in.type = KVM_S390_MCHK;
	in.parm = 0xffffffff; /* not taken on a vCPU */
	in.parm64 = SKIRQ_MCIC_W;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.u.mchk.mcic, SKIRQ_MCIC_W);
	assert_int_equal(out.u.mchk.cr14, 0);

	in.type = KVM_S390_INT_PFAULT_INIT;
	in.parm = 7;
	in.parm64 = 0x123456789ULL;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.u.ext.ext_params, 7);
	assert_int_equal(out.u.ext.ext_params2, 0x123456789ULL);

	in.type = KVM_S390_SIGP_SET_PREFIX;
	in.parm = 0x7fffe000;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.u.prefix.address, 0x7fffe000);
	in.type = KVM_S390_SIGP_STOP;
	in.parm = 1;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), 0);
	assert_int_equal(out.u.stop.flags, 1);

	in.type = KVM_S390_INT_VIRTIO;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);
	in.type = KVM_S390_INT_PFAULT_DONE;
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);
	in.type = 0x00010000; /* I/O */
	assert_int_equal(skirq_interrupt_to_irq(&in, &out), -EINVAL);

	skirq_local_clear(&li);
	in.type = KVM_S390_INT_EMERGENCY;
	in.parm = 5;
	assert_int_equal(skirq_inject_local_interrupt(&li, &running, &in), 0);
	in.type = KVM_S390_INT_CLOCK_COMP;
	assert_int_equal(skirq_inject_local_interrupt(&li, &running, &in), 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY) |
					     SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP));
}

/* Fill a vCPU with one of every local type (and emergencies). */
static void fill_all(struct skirq_local *li)
{
	struct kvm_s390_irq irq;

	skirq_local_clear(li);
	irq = mk(KVM_S390_SIGP_SET_PREFIX);
	irq.u.prefix.address = 0x4000;
	assert_int_equal(skirq_inject_local(li, &stopped, &irq), 0);
	assert_int_equal(inj(li, &running, KVM_S390_RESTART), 0);
	irq = mk(KVM_S390_SIGP_STOP);
	irq.u.stop.flags = 1;
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq = mk(KVM_S390_INT_PFAULT_INIT);
	irq.u.ext.ext_params2 = 0xfeed;
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	assert_int_equal(inj(li, &running, KVM_S390_INT_CPU_TIMER), 0);
	assert_int_equal(inj(li, &running, KVM_S390_INT_CLOCK_COMP), 0);
	irq = extcall(6);
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq = mk(KVM_S390_MCHK);
	irq.u.mchk.mcic = SKIRQ_MCIC_W;
	irq.u.mchk.cr14 = 0x01000000;
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq.u.mchk.mcic = SKIRQ_MCIC_SD;
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq = mk(KVM_S390_PROGRAM_INT);
	irq.u.pgm.code = 0x06;
	irq.u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID | 4;
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq = emerg(5);
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
	irq = emerg(2);
	assert_int_equal(skirq_inject_local(li, &running, &irq), 0);
}

static const uint64_t all_order[] = {
	KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART, KVM_S390_SIGP_STOP,
	KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_CPU_TIMER,
	KVM_S390_INT_CLOCK_COMP, KVM_S390_INT_EXTERNAL_CALL, KVM_S390_MCHK,
	KVM_S390_PROGRAM_INT, KVM_S390_MCHK, KVM_S390_INT_EMERGENCY,
	KVM_S390_INT_EMERGENCY,
};

static void test_get_order_and_payloads(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq buf[40];
	static const uint8_t zero[64];
	long n;

	(void)state;
	fill_all(&li);
	memset(buf, 0xee, sizeof(buf));
	n = skirq_get_irq_state(&li, buf, sizeof(buf));
	assert_int_equal(n, ARRAY_SIZE(all_order) * IRQ_SZ);
	for (unsigned i = 0; i < ARRAY_SIZE(all_order); i++)
		assert_int_equal(buf[i].type, all_order[i]);
	assert_int_equal(buf[0].u.prefix.address, 0x4000);
	assert_memory_equal(buf[0].u.reserved + 4, zero, 60);
	assert_memory_equal(buf[1].u.reserved, zero, 64);
	assert_int_equal(buf[2].u.stop.flags, 1);
	assert_int_equal(buf[3].u.ext.ext_params2, 0xfeed);
	assert_int_equal(buf[6].u.extcall.code, 6);
	assert_memory_equal(buf[6].u.reserved + 2, zero, 62);
	assert_memory_equal(&buf[7].u.mchk, &buf[9].u.mchk, 48);
	assert_int_equal(buf[7].u.mchk.mcic, SKIRQ_MCIC_W | SKIRQ_MCIC_SD);
	assert_int_equal(buf[8].u.pgm.code, 0x06);
	assert_int_equal(buf[10].u.emerg.code, 2);
	assert_int_equal(buf[11].u.emerg.code, 5);
	assert_memory_equal(buf[11].u.reserved + 2, zero, 62);
	/* untouched behind the last entry; nothing consumed */
	assert_int_equal(((uint8_t *)buf)[n], 0xee);
	assert_int_equal(skirq_get_irq_state(&li, buf, sizeof(buf)), n);
}

static void test_get_errors(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq buf[40];

	(void)state;
	skirq_local_clear(&li);
	assert_int_equal(skirq_get_irq_state(&li, buf, 0), -EINVAL);
	assert_int_equal(skirq_get_irq_state(&li, buf, 1), 0);
	assert_int_equal(skirq_get_irq_state(&li, NULL, 72), 0);
	fill_all(&li);
	assert_int_equal(skirq_get_irq_state(&li, buf, 0), -EINVAL);
	assert_int_equal(skirq_get_irq_state(&li, NULL, 72), -EFAULT);
	/* ENOBUFS as soon as the next entry does not fit; those that did
	 * are in the buffer */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(skirq_get_irq_state(&li, buf, 5 * IRQ_SZ + 71),
			 -ENOBUFS);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(buf[i].type, all_order[i]);
	assert_int_equal(buf[5].type, 0);
	assert_int_equal(skirq_get_irq_state(&li, buf, 11 * IRQ_SZ),
			 -ENOBUFS);
	assert_int_equal(buf[10].type, KVM_S390_INT_EMERGENCY);
	assert_int_equal(skirq_get_irq_state(&li, buf, 12 * IRQ_SZ),
			 12 * IRQ_SZ);
}

static void test_set_lengths(void **state)
{
	static struct kvm_s390_irq buf[300];
	struct skirq_local li;

	(void)state;
	skirq_local_clear(&li);
	for (unsigned i = 0; i < ARRAY_SIZE(buf); i++)
		buf[i] = mk(KVM_S390_RESTART);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 0, NULL),
			 -EINVAL);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 71, NULL),
			 -EINVAL);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 73, NULL),
			 -EINVAL);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 20664 + 72,
					     NULL), -EINVAL);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 0xffffffb8u,
					     NULL), -EINVAL);
	assert_int_equal(SKIRQ_IRQ_STATE_MAX_LEN, 20664);
	assert_int_equal(skirq_set_irq_state(&li, &running, NULL, 72, NULL),
			 -EFAULT);
	assert_int_equal(li.pending, 0);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 20664, NULL),
			 0);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_RESTART));
}

static void test_set_ebusy(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq e = emerg(1);

	(void)state;
	skirq_local_clear(&li);
	assert_int_equal(inj(&li, &running, KVM_S390_INT_CPU_TIMER), 0);
	assert_int_equal(skirq_set_irq_state(&li, &running, &e, IRQ_SZ, NULL),
			 -EBUSY);
	assert_int_equal(li.emerg[0], 0);
	/* a length error wins over EBUSY */
	assert_int_equal(skirq_set_irq_state(&li, &running, &e, 1, NULL),
			 -EINVAL);
}

static void test_set_no_rollback(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq buf[4];

	(void)state;
	skirq_local_clear(&li);
	buf[0] = emerg(1);
	buf[1] = mk(KVM_S390_RESTART);
	buf[2] = mk(KVM_S390_INT_SERVICE); /* floating: -EINVAL */
	buf[3] = mk(KVM_S390_INT_CPU_TIMER);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, sizeof(buf),
					     NULL), -EINVAL);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY) |
					     SKIRQ_BIT(SKIRQ_PEND_RESTART));
	/* and now EBUSY, the state is not empty */
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, IRQ_SZ,
					     NULL), -EBUSY);

	/* a second external call or stop, a prefix on a running vCPU */
	skirq_local_clear(&li);
	buf[0] = extcall(1);
	buf[1] = extcall(2);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 2 * IRQ_SZ,
					     NULL), -EBUSY);
	assert_true(skirq_extcall_pending(&li));
	skirq_local_clear(&li);
	buf[0] = mk(KVM_S390_RESTART);
	buf[1] = mk(KVM_S390_SIGP_SET_PREFIX);
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, 2 * IRQ_SZ,
					     NULL), -EBUSY);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_RESTART));
	skirq_local_clear(&li);
	buf[0] = emerg(100); /* no such vCPU */
	assert_int_equal(skirq_set_irq_state(&li, &running, buf, IRQ_SZ,
					     NULL), -EINVAL);
}

static void test_round_trip_64_sources(void **state)
{
	static struct kvm_s390_irq buf[ZVMM_KVM_S390_IRQ_STATE_MAX_ENTRIES];
	static struct kvm_s390_irq again[ZVMM_KVM_S390_IRQ_STATE_MAX_ENTRIES];
	struct skirq_local li, li2;
	struct kvm_s390_irq e;
	unsigned ss = 0;
	long n, n2;

	(void)state;
	fill_all(&li);
	/* a running source cannot have SET_PREFIX pending */
	li.pending &= ~SKIRQ_BIT(SKIRQ_PEND_SET_PREFIX);
	for (unsigned id = 3; id < 67; id++) {
		e = emerg((uint16_t)id);
		assert_int_equal(skirq_inject_local(&li, &running, &e), 0);
	}
	n = skirq_get_irq_state(&li, buf, sizeof(buf));
	/* 9 entries (MCHK twice), emergencies from 2 .. 66 */
	assert_int_equal(n, (9 + 65) * IRQ_SZ);
	skirq_local_clear(&li2);
	assert_int_equal(skirq_set_irq_state(&li2, &running, buf, (uint32_t)n,
					     &ss), 0);
	assert_int_equal(ss, 0);
	/*
	 * As in the kernel, re-injecting the two MCHK entries (same payload,
	 * exigent bit in the MCIC) sets only the exigent bit: the round trip
	 * returns one MCHK entry fewer. Delivery is the same (an exigent
	 * delivery takes the repressible part along).
	 */
	n2 = skirq_get_irq_state(&li2, again, sizeof(again));
	assert_int_equal(n2, n - (long)IRQ_SZ);
	assert_int_equal(buf[6].type, KVM_S390_MCHK);
	assert_memory_equal(buf, again, 6 * IRQ_SZ);
	assert_memory_equal(buf + 7, again + 6, (size_t)n - 7 * IRQ_SZ);
	assert_int_equal(li2.pending, li.pending &
					      ~SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
	assert_memory_equal(&li.mchk, &li2.mchk, sizeof(li.mchk));
	assert_memory_equal(li.emerg, li2.emerg, sizeof(li.emerg));
	assert_memory_equal(&li.pgm, &li2.pgm, sizeof(li.pgm));

	/* onto a stopped vCPU the STOP+STORE entry is a store-status
	 * request and leaves nothing pending */
	skirq_local_clear(&li2);
	assert_int_equal(skirq_set_irq_state(&li2, &stopped, buf, (uint32_t)n,
					     &ss), 0);
	assert_int_equal(ss, 1);
	assert_false(skirq_stop_pending(&li2));
	n2 = skirq_get_irq_state(&li2, again, sizeof(again));
	assert_int_equal(n2, n - 2 * (long)IRQ_SZ);
}

static void test_stop_store_status_via_set(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq buf[2];
	unsigned ss = 0;

	(void)state;
	skirq_local_clear(&li);
	buf[0] = mk(KVM_S390_SIGP_STOP);
	buf[0].u.stop.flags = 1;
	buf[1] = mk(KVM_S390_RESTART);
	assert_int_equal(skirq_set_irq_state(&li, &stopped, buf, sizeof(buf),
					     &ss), 0);
	assert_int_equal(ss, 1);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_RESTART));
}

/* The resets selftest: emergency from the vCPU's own id 3, a reset, then
 * GET_IRQ_STATE with a 35-entry buffer answers 0 bytes. */
static void test_resets_selftest(void **state)
{
	struct skirq_local li;
	struct kvm_s390_irq buf[35];
	struct kvm_s390_irq e = emerg(3);

	(void)state;
	for (int reset = 0; reset < 3; reset++) {
		skirq_local_clear(&li);
		assert_int_equal(skirq_set_irq_state(&li, &running, &e, IRQ_SZ,
						     NULL), 0);
		assert_int_equal(skirq_get_irq_state(&li, buf, sizeof(buf)),
				 IRQ_SZ);
		assert_int_equal(buf[0].u.emerg.code, 3);
		skirq_local_clear(&li); /* NORMAL, INITIAL and CLEAR alike */
		assert_int_equal(skirq_get_irq_state(&li, buf, sizeof(buf)), 0);
		assert_int_equal(li.emerg[0], 0);
	}
}

static void test_timer_bits(void **state)
{
	struct skirq_local li;

	(void)state;
	skirq_local_clear(&li);
	assert_int_equal(inj(&li, &running, KVM_S390_INT_CLOCK_COMP), 0);
	skirq_update_timers(&li, false, true);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER));
	skirq_update_timers(&li, true, false);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP));
	assert_int_equal(inj(&li, &running, KVM_S390_RESTART), 0);
	assert_true(skirq_restart_pending(&li));
	skirq_update_timers(&li, false, false);
	assert_int_equal(li.pending, SKIRQ_BIT(SKIRQ_PEND_RESTART));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bits_per_type),
		cmocka_unit_test(test_floating_types_einval),
		cmocka_unit_test(test_stop_rules),
		cmocka_unit_test(test_set_prefix_needs_stopped),
		cmocka_unit_test(test_extcall_and_emergency_sources),
		cmocka_unit_test(test_program_merge),
		cmocka_unit_test(test_mchk_merge),
		cmocka_unit_test(test_interrupt_conversion),
		cmocka_unit_test(test_get_order_and_payloads),
		cmocka_unit_test(test_get_errors),
		cmocka_unit_test(test_set_lengths),
		cmocka_unit_test(test_set_ebusy),
		cmocka_unit_test(test_set_no_rollback),
		cmocka_unit_test(test_round_trip_64_sources),
		cmocka_unit_test(test_stop_store_status_via_set),
		cmocka_unit_test(test_resets_selftest),
		cmocka_unit_test(test_timer_bits),
	};

	return cmocka_run_group_tests_name("softkvm_irq_local", tests, NULL,
					   NULL);
}
