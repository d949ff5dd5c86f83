// SPDX-License-Identifier: MIT
/*
 * softkvm floating interrupts: KVM_S390_INTERRUPT on the VM fd, the merge
 * rules, queue limits, FLIC GET_ALL_IRQS / ENQUEUE / CLEAR_IRQS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "softkvm/irq.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)

static int vm_int(struct skirq_float *fi, uint32_t type, uint32_t parm,
		  uint64_t parm64)
{
	struct kvm_s390_interrupt in = { type, parm, parm64 };

	return skirq_inject_float_interrupt(fi, &in);
}

static uint32_t io_word(unsigned isc)
{
	return 0x80000000u | isc << 27;
}

static void test_vm_interrupt_types(void **state)
{
	static const uint32_t bad[] = {
		KVM_S390_PROGRAM_INT, KVM_S390_SIGP_STOP,
		KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART,
		KVM_S390_INT_PFAULT_INIT, KVM_S390_INT_CLOCK_COMP,
		KVM_S390_INT_CPU_TIMER, KVM_S390_INT_EMERGENCY,
		KVM_S390_INT_EXTERNAL_CALL, 0xfffe0006, 0xffffffff,
	};
	struct skirq_float fi;

	(void)state;
	skirq_float_init(&fi);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(vm_int(&fi, bad[i], 0, 0), -EINVAL);
	assert_int_equal(fi.pending, 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_IO_MAX, 0, 0), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, 1, 2), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_PFAULT_DONE, 1, 3), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x1000, 0), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0x10000000, 1), 0);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_IO_ISC_0) |
					     SKIRQ_BIT(SKIRQ_PEND_VIRTIO) |
					     SKIRQ_BIT(SKIRQ_PEND_PFAULT_DONE) |
					     SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
					     SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
	skirq_float_clear(&fi);
}

static void test_service_merge(void **state)
{
	struct skirq_float fi;

	(void)state;
	skirq_float_init(&fi);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x2000, 0), 0);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE));
	/* a second SCCB address is dropped; event bits always merge */
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x3000 | 1, 0), 0);
	assert_int_equal(fi.srv.ext_params, 0x2001);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
					     SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV));
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 2 | 4, 0), 0);
	assert_int_equal(fi.srv.ext_params, 0x2003);

	/* An event alone with no SCCB pending also sets the SCCB part
	 * (parameter 0 there), as the kernel does. */
	skirq_float_clear(&fi);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 1, 0), 0);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
					     SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV));
	/* ... so an SCCB address may still come */
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x8000, 0), 0);
	assert_int_equal(fi.srv.ext_params, 0x8001);
	skirq_float_clear(&fi);
	assert_int_equal(fi.pending, 0);
	assert_int_equal(fi.srv.ext_params, 0);
}

static void test_float_mchk_keeps_channel_report(void **state)
{
	struct skirq_float fi;

	(void)state;
	skirq_float_init(&fi);
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0xffffffff, 0x100), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0, 0x200), 0);
	assert_int_equal(fi.mchk.cr14, SKIRQ_CR14_CHANNEL_REPORT);
	assert_int_equal(fi.mchk.mcic, 0x300);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_MCHK_REP));
	skirq_float_clear(&fi);
}

static void test_io_conversion_and_isc(void **state)
{
	struct skirq_float fi;
	struct kvm_s390_irq buf[4];

	(void)state;
	skirq_float_init(&fi);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_IO(0, 0, 1, 0x1234),
				0x00011234, 0xcafe000000000000ULL | io_word(6)),
			 0);
	assert_int_equal(fi.pending, SKIRQ_BIT(SKIRQ_PEND_IO_ISC(6)));
	assert_int_equal(fi.nr_io, 1);
	assert_int_equal(skirq_flic_get_all(&fi, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0].type, KVM_S390_INT_IO(0, 0, 1, 0x1234));
	assert_int_equal(buf[0].u.io.subchannel_id, 1);
	assert_int_equal(buf[0].u.io.subchannel_nr, 0x1234);
	assert_int_equal(buf[0].u.io.io_int_parm, 0xcafe0000);
	assert_int_equal(buf[0].u.io.io_int_word, io_word(6));
	skirq_float_clear(&fi);
}

static void test_flic_order(void **state)
{
	struct skirq_float fi;
	struct kvm_s390_irq buf[16];
	static const uint8_t zero[64];

	(void)state;
	skirq_float_init(&fi);
	/* injected in a scrambled order */
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0x10000000, 7), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, 0xa1, 0xa2), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x4008 | 2, 0), 0);
	assert_int_equal(vm_int(&fi, 0x10007, 7, io_word(7)), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_PFAULT_DONE, 0, 0xd1), 0);
	assert_int_equal(vm_int(&fi, 0x10001, 1, io_word(0)), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, 0xb1, 0xb2), 0);
	assert_int_equal(vm_int(&fi, 0x10002, 2, io_word(0)), 0);
	assert_int_equal(vm_int(&fi, 0x10003, 3, io_word(3)), 0);

	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(skirq_flic_get_all(&fi, buf, sizeof(buf)), 9);
	assert_int_equal(buf[0].type, 0x10001); /* ISC 0 FIFO */
	assert_int_equal(buf[1].type, 0x10002);
	assert_int_equal(buf[2].type, 0x10003); /* ISC 3 */
	assert_int_equal(buf[3].type, 0x10007); /* ISC 7 */
	assert_int_equal(buf[4].type, KVM_S390_INT_PFAULT_DONE);
	assert_int_equal(buf[4].u.ext.ext_params2, 0xd1);
	assert_int_equal(buf[5].type, KVM_S390_INT_VIRTIO);
	assert_int_equal(buf[5].u.ext.ext_params, 0xa1);
	assert_int_equal(buf[5].u.ext.ext_params2, 0xa2);
	assert_int_equal(buf[6].u.ext.ext_params, 0xb1);
	assert_int_equal(buf[7].type, KVM_S390_INT_SERVICE);
	assert_int_equal(buf[7].u.ext.ext_params, 0x400a);
	assert_int_equal(buf[8].type, KVM_S390_MCHK);
	assert_int_equal(buf[8].u.mchk.cr14, SKIRQ_CR14_CHANNEL_REPORT);
	assert_int_equal(buf[8].u.mchk.mcic, 7);
	assert_memory_equal(buf[0].u.reserved + 12, zero, 52);
	assert_memory_equal(buf[5].u.reserved + 16, zero, 48);
	assert_int_equal(((uint8_t *)buf)[9 * IRQ_SZ], 0xee);

	/* too small: -ENOMEM and the buffer untouched */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(skirq_flic_get_all(&fi, buf, 8 * IRQ_SZ), -ENOMEM);
	assert_int_equal(skirq_flic_get_all(&fi, buf, 9 * IRQ_SZ - 1),
			 -ENOMEM);
	assert_int_equal(((uint8_t *)buf)[0], 0xee);
	assert_int_equal(skirq_flic_get_all(&fi, buf, 9 * IRQ_SZ), 9);
	assert_int_equal(skirq_flic_get_all(&fi, buf, 0), -EINVAL);
	assert_int_equal(skirq_flic_get_all(&fi, buf,
					    KVM_S390_FLIC_MAX_BUFFER + 1ULL),
			 -EINVAL);
	assert_int_equal(skirq_flic_get_all(&fi, NULL, 9 * IRQ_SZ), -EFAULT);

	/* CLEAR_IRQS drops everything */
	skirq_float_clear(&fi);
	assert_int_equal(skirq_flic_get_all(&fi, buf, sizeof(buf)), 0);
	assert_int_equal(skirq_flic_get_all(&fi, buf, 1), 0);
	assert_int_equal(fi.pending, 0);
}

static void test_flic_enqueue(void **state)
{
	struct skirq_float fi, fi2;
	struct kvm_s390_irq buf[16], again[16];
	int n;

	(void)state;
	skirq_float_init(&fi);
	skirq_float_init(&fi2);
	assert_int_equal(vm_int(&fi, 0x10001, 1, io_word(2)), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, 0xa1, 0xa2), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_PFAULT_DONE, 0, 0xd1), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x4008 | 1, 0), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0x10000000, 7), 0);
	n = skirq_flic_get_all(&fi, buf, sizeof(buf));
	assert_int_equal(n, 5);

	/* round trip */
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, n * IRQ_SZ), 0);
	assert_int_equal(skirq_flic_get_all(&fi2, again, sizeof(again)), n);
	assert_memory_equal(buf, again, n * IRQ_SZ);
	assert_int_equal(fi2.pending, fi.pending);

	/* lengths */
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, 71), -EINVAL);
	assert_int_equal(skirq_flic_enqueue(&fi2, buf,
					    KVM_S390_FLIC_MAX_BUFFER + 72ULL -
						    (KVM_S390_FLIC_MAX_BUFFER % 72)),
			 -EINVAL);
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, 0x80000000ULL + 0),
			 -EINVAL);
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, 0), 0);
	/* only the low 32 bits of the length count (int in the kernel) */
	skirq_float_clear(&fi2);
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, 0x100000000ULL + 72),
			 0);
	assert_int_equal(fi2.nr_io, 1);

	/* local types are refused, the loop stops there, no rollback */
	skirq_float_clear(&fi2);
	memset(&buf[1], 0, IRQ_SZ);
	buf[1].type = KVM_S390_INT_PFAULT_INIT;
	assert_int_equal(skirq_flic_enqueue(&fi2, buf, 3 * IRQ_SZ), -EINVAL);
	assert_int_equal(skirq_flic_get_all(&fi2, again, sizeof(again)), 1);
	buf[1].type = KVM_S390_PROGRAM_INT;
	assert_int_equal(skirq_flic_enqueue(&fi2, &buf[1], IRQ_SZ), -EINVAL);
	buf[1].type = 0x100000000ULL; /* above the I/O range in 64 bits */
	assert_int_equal(skirq_flic_enqueue(&fi2, &buf[1], IRQ_SZ), -EINVAL);
	skirq_float_clear(&fi);
	skirq_float_clear(&fi2);
}

static void test_queue_limits(void **state)
{
	struct skirq_float fi;
	unsigned i;

	(void)state;
	skirq_float_init(&fi);
	for (i = 0; i < SKIRQ_MAX_VIRTIO_IRQS; i++)
		assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, i, 0), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, i, 0), -EBUSY);
	for (i = 0; i < SKIRQ_MAX_PFAULT_IRQS; i++)
		assert_int_equal(vm_int(&fi, KVM_S390_INT_PFAULT_DONE, 0, i),
				 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_PFAULT_DONE, 0, 0), -EBUSY);
	for (i = 0; i < SKIRQ_MAX_IO_IRQS; i++)
		assert_int_equal(vm_int(&fi, i & 0xffff, i, io_word(i & 7)),
				 0);
	assert_int_equal(vm_int(&fi, 1, 0, io_word(0)), -EBUSY);
	assert_int_equal(SKIRQ_MAX_IO_IRQS, KVM_S390_MAX_FLOAT_IRQS);
	assert_int_equal(SKIRQ_MAX_PFAULT_IRQS, 64 * 255);
	/* service and machine check are never full */
	assert_int_equal(vm_int(&fi, KVM_S390_INT_SERVICE, 0x1000, 0), 0);
	assert_int_equal(vm_int(&fi, KVM_S390_MCHK, 0, 1), 0);
	assert_int_equal(skirq_flic_get_all(&fi, NULL, 72), -ENOMEM);
	skirq_float_clear(&fi);
	assert_int_equal(fi.nr_io + fi.nr_virtio + fi.nr_pfault, 0);
	assert_int_equal(vm_int(&fi, KVM_S390_INT_VIRTIO, 0, 0), 0);
	skirq_float_clear(&fi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_interrupt_types),
		cmocka_unit_test(test_service_merge),
		cmocka_unit_test(test_float_mchk_keeps_channel_report),
		cmocka_unit_test(test_io_conversion_and_isc),
		cmocka_unit_test(test_flic_order),
		cmocka_unit_test(test_flic_enqueue),
		cmocka_unit_test(test_queue_limits),
	};

	return cmocka_run_group_tests_name("softkvm_irq_float", tests, NULL,
					   NULL);
}
