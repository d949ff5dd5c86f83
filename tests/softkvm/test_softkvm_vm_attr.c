// SPDX-License-Identifier: MIT
/*
 * What a migration moves besides memory and registers, through hv_ioctl:
 * the CPU model (KVM_S390_VM_CPU_MODEL: machine = what STFLE reports,
 * processor settable before the first vCPU and then reported by STFLE,
 * STFL and STIDP), storage keys (GET/SET_SKEYS, including the keys the
 * guest set with SSKE, and "1 = never used"), and the FLIC (GET_ALL_IRQS
 * copies without dequeuing, ENQUEUE of every floating type, the async
 * page-fault attributes).
 */
#include "sk-test.h"

#define FAC(n) (1ULL << (63 - (n) % 64))   /* within its doubleword */

static long attr(struct skt_fix *f, int fd, unsigned long req, uint32_t group,
		 uint64_t a, const void *p)
{
	struct kvm_device_attr da = {
		.group = group, .attr = a, .addr = (uint64_t)(uintptr_t)p,
	};

	(void)f;
	return skt_io(fd, req, &da);
}

static long model(struct skt_fix *f, unsigned long req, uint64_t a,
		  const void *p)
{
	return attr(f, f->vm, req, KVM_S390_VM_CPU_MODEL, a, p);
}

/*
 * lghi r0,3; stfle 0x800; ipm r2; stidp 0x900; stfl 0; lpswe END_PSW
 */
static const uint8_t model_code[] = {
	0xa7, 0x09, 0x00, 0x03, 0xb2, 0xb0, 0x08, 0x00, 0xb2, 0x22, 0x00, 0x20,
	0xb2, 0x02, 0x09, 0x00, 0xb2, 0xb1, 0x00, 0x00, 0xb2, 0xb2, 0x03, 0xf0,
};

static void test_cpu_model_default(void **state)
{
	struct skt_fix *f = skt_fix_new(1, 1, 0);
	static struct kvm_s390_vm_cpu_machine mach;
	static struct kvm_s390_vm_cpu_processor proc;

	(void)state;
	for (uint64_t a = 0; a <= KVM_S390_VM_CPU_MACHINE_SUBFUNC; a++)
		assert_int_equal(model(f, KVM_HAS_DEVICE_ATTR, a, NULL), 0);
	assert_int_equal(model(f, KVM_HAS_DEVICE_ATTR, 6, NULL), -ENXIO);
	assert_int_equal(model(f, KVM_GET_DEVICE_ATTR, KVM_S390_VM_CPU_MACHINE,
			      &mach), 0);
	assert_int_equal(model(f, KVM_GET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &proc), 0);
	assert_int_equal(model(f, KVM_GET_DEVICE_ATTR, KVM_S390_VM_CPU_MACHINE,
			      NULL), -EFAULT);
	/* the machine is read-only */
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_MACHINE,
			      &mach), -ENXIO);
	/* z/Architecture and STFLE at least; mask = list = processor */
	assert_true(mach.fac_list[0] & FAC(1));
	assert_true(mach.fac_list[0] & FAC(7));
	assert_memory_equal(mach.fac_mask, mach.fac_list, sizeof(mach.fac_list));
	assert_memory_equal(proc.fac_list, mach.fac_list, sizeof(proc.fac_list));
	assert_int_equal(proc.cpuid, mach.cpuid);

	/* and that is exactly what the guest's STFLE / STFL / STIDP see */
	skt_load(f, 0, model_code, sizeof(model_code));
	skt_run_to_end(f, 0);
	assert_int_equal(f->run[0]->s.regs.gprs[0] & 0xff, 0);  /* 1 dword */
	assert_int_equal(f->run[0]->s.regs.gprs[2] >> 28 & 3, 0);
	assert_int_equal(get_be64(f->ram + 0x800), mach.fac_list[0]);
	assert_int_equal(get_be64(f->ram + 0x808), 0);
	assert_int_equal(get_be32(f->ram + 0xc8), mach.fac_list[0] >> 32);
	assert_int_equal(get_be64(f->ram + 0x900), mach.cpuid);

	/* processor only before the first vCPU */
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &proc), -EBUSY);
	skt_fix_free(f);
}

static void test_cpu_model_set(void **state)
{
	struct skt_fix *f = skt_fix_new(1, 0, 0);
	static struct kvm_s390_vm_cpu_processor proc, back;
	struct kvm_s390_vm_cpu_feat feat = { .feat = { 0 } };

	(void)state;
	assert_int_equal(model(f, KVM_GET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &proc), 0);
	proc.cpuid = 0xff01234529640000ULL;
	proc.fac_list[0] &= ~FAC(45);
	proc.fac_list[2] = FAC(130);
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &proc), 0);
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      NULL), -EFAULT);
	assert_int_equal(model(f, KVM_GET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &back), 0);
	assert_memory_equal(&back, &proc, sizeof(proc));
	/* features: only a subset of the machine's (none) */
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR_FEAT, &feat), 0);
	feat.feat[0] = 1ULL << 63;
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR_FEAT, &feat), -EINVAL);

	skt_add_vcpus(f, 1);
	skt_load(f, 0, model_code, sizeof(model_code));
	skt_run_to_end(f, 0);
	/* three doublewords wanted, three there: cc 0, r0 = 2 */
	assert_int_equal(f->run[0]->s.regs.gprs[0] & 0xff, 2);
	assert_int_equal(f->run[0]->s.regs.gprs[2] >> 28 & 3, 0);
	assert_int_equal(get_be64(f->ram + 0x800), proc.fac_list[0]);
	assert_int_equal(get_be64(f->ram + 0x810), FAC(130));
	assert_int_equal(get_be64(f->ram + 0x900), proc.cpuid);
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR,
			      &proc), -EBUSY);
	feat.feat[0] = 0;
	assert_int_equal(model(f, KVM_SET_DEVICE_ATTR, KVM_S390_VM_CPU_PROCESSOR_FEAT, &feat), -EBUSY);
	skt_fix_free(f);
}

/*
 * llilf r3,0x20000; lghi r2,0x30; sske r2,r3; llilf r3,0x21000;
 * iske r4,r3; lpswe END_PSW
 */
static const uint8_t key_code[] = {
	0xc0, 0x3f, 0x00, 0x02, 0x00, 0x00, 0xa7, 0x29, 0x00, 0x30, 0xb2, 0x2b,
	0x00, 0x23, 0xc0, 0x3f, 0x00, 0x02, 0x10, 0x00, 0xb2, 0x29, 0x00, 0x43,
	0xb2, 0xb2, 0x03, 0xf0,
};

#define KEY_PAGES 256   /* 1 MiB */

static long skeys(struct skt_fix *f, unsigned long req, uint64_t start,
		  uint64_t count, uint8_t *buf)
{
	struct kvm_s390_skeys k = {
		.start_gfn = start, .count = count,
		.skeydata_addr = (uint64_t)(uintptr_t)buf,
	};

	return skt_io(f->vm, req, &k);
}

static void test_skeys_round_trip(void **state)
{
	struct skt_fix *src = skt_fix_new(1, 1, 0), *dst = skt_fix_new(1, 1, 0);
	uint8_t keys[KEY_PAGES], back[KEY_PAGES];
	struct kvm_s390_skeys bad = { .count = 1, .flags = 1 };

	(void)state;
	/* nobody used keys yet: 1, buffer untouched, whatever the count */
	memset(keys, 0xee, sizeof(keys));
	assert_int_equal(skeys(src, KVM_S390_GET_SKEYS, 0, 0, keys), 1);
	assert_int_equal(keys[0], 0xee);
	assert_int_equal(skt_io(src->vm, KVM_S390_GET_SKEYS, &bad), -EINVAL);

	/* the guest sets a key with SSKE: now GET reports them */
	skt_load(src, 0, key_code, sizeof(key_code));
	skt_run_to_end(src, 0);
	assert_int_equal(skeys(src, KVM_S390_GET_SKEYS, 0, 0, keys), -EINVAL);
	assert_int_equal(skeys(src, KVM_S390_GET_SKEYS, 0, KEY_PAGES, keys), 0);
	assert_int_equal(keys[0x20], 0x30);
	/* and past the memory: -EFAULT */
	assert_int_equal(skeys(src, KVM_S390_GET_SKEYS, KEY_PAGES - 1, 2, keys),
			 -EFAULT);

	/* the destination: SET enables keys, GET gives them back, and its
	 * guest sees them (ISKE of page 0x21 set here to 0x50) */
	keys[0x21] = 0x50;
	assert_int_equal(skeys(dst, KVM_S390_GET_SKEYS, 0, KEY_PAGES, back), 1);
	assert_int_equal(skeys(dst, KVM_S390_SET_SKEYS, 0, KEY_PAGES, keys), 0);
	assert_int_equal(skeys(dst, KVM_S390_GET_SKEYS, 0, KEY_PAGES, back), 0);
	assert_memory_equal(back, keys, KEY_PAGES);
	skt_load(dst, 0, key_code, sizeof(key_code));
	skt_run_to_end(dst, 0);
	assert_int_equal(dst->run[0]->s.regs.gprs[4] & 0xf8, 0x50);
	/* a set while the interpreter runs on the slot reaches it too */
	keys[0x21] = 0x60;
	assert_int_equal(skeys(dst, KVM_S390_SET_SKEYS, 0x21, 1, &keys[0x21]), 0);
	skt_load(dst, 0, key_code, sizeof(key_code));
	skt_run_to_end(dst, 0);
	assert_int_equal(dst->run[0]->s.regs.gprs[4] & 0xf8, 0x60);
	/* bit 7 of a key is reserved */
	keys[0] = 0x01;
	assert_int_equal(skeys(dst, KVM_S390_SET_SKEYS, 0, 1, keys), -EINVAL);
	assert_int_equal(skeys(dst, KVM_S390_SET_SKEYS, 0, 0, keys), -EINVAL);
	skt_fix_free(src);
	skt_fix_free(dst);
}

static const struct kvm_s390_irq float_irqs[] = {
	{ .type = 0x08000000, .u.io = {
		.subchannel_id = 1, .subchannel_nr = 2,
		.io_int_parm = 0x1234, .io_int_word = 0x18000000 } },
	{ .type = KVM_S390_INT_VIRTIO, .u.ext = {
		.ext_params = 0x11, .ext_params2 = 0x2222 } },
	{ .type = KVM_S390_INT_PFAULT_DONE, .u.ext = { .ext_params2 = 0x77 } },
	{ .type = KVM_S390_INT_SERVICE, .u.ext = { .ext_params = 0x8000 } },
	{ .type = KVM_S390_MCHK, .u.mchk = {
		.cr14 = 1U << 28, .mcic = 0x00400f1d40330000ULL } },
};

static int flic_new(struct skt_fix *f)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	assert_int_equal(skt_io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	return (int)cd.fd;
}

static void test_flic_migrate(void **state)
{
	struct skt_fix *src = skt_fix_new(1, 1, 0), *dst = skt_fix_new(1, 1, 0);
	int fs = flic_new(src), fd = flic_new(dst);
	struct kvm_s390_irq got[8], again[8];
	const size_t n = ARRAY_SIZE(float_irqs);

	(void)state;
	for (uint32_t g = KVM_DEV_FLIC_GET_ALL_IRQS;
	     g <= KVM_DEV_FLIC_APF_DISABLE_WAIT; g++)
		assert_int_equal(attr(src, fs, KVM_HAS_DEVICE_ATTR, g, 0, NULL),
				 0);
	/* no async page faults in softkvm: both are accepted no-ops */
	assert_int_equal(attr(src, fs, KVM_SET_DEVICE_ATTR,
			      KVM_DEV_FLIC_APF_ENABLE, 0, NULL), 0);
	assert_int_equal(attr(src, fs, KVM_SET_DEVICE_ATTR,
			      KVM_DEV_FLIC_APF_DISABLE_WAIT, 0, NULL), 0);

	assert_int_equal(attr(src, fs, KVM_SET_DEVICE_ATTR,
			      KVM_DEV_FLIC_ENQUEUE, sizeof(float_irqs),
			      float_irqs), 0);
	memset(got, 0, sizeof(got));
	assert_int_equal(attr(src, fs, KVM_GET_DEVICE_ATTR,
			      KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(got), got),
			 (long)n);
	/* a copy: the same again, nothing dequeued */
	memset(again, 0, sizeof(again));
	assert_int_equal(attr(src, fs, KVM_GET_DEVICE_ATTR,
			      KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(again), again),
			 (long)n);
	assert_memory_equal(got, again, n * sizeof(got[0]));
	/* every type made it, with its payload (kernel order: I/O lists,
	 * then pfault, virtio, service, machine check) */
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t j = 0; j < n; j++)
			found |= !memcmp(&got[j], &float_irqs[i],
					 sizeof(got[j]));
		assert_true(found);
	}
	/* too small a buffer */
	assert_int_equal(attr(src, fs, KVM_GET_DEVICE_ATTR,
			      KVM_DEV_FLIC_GET_ALL_IRQS,
			      (n - 1) * sizeof(got[0]), got), -ENOMEM);

	/* the destination gets exactly the same state */
	assert_int_equal(attr(dst, fd, KVM_SET_DEVICE_ATTR,
			      KVM_DEV_FLIC_ENQUEUE, n * sizeof(got[0]), got), 0);
	assert_int_equal(attr(dst, fd, KVM_GET_DEVICE_ATTR,
			      KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(again), again),
			 (long)n);
	assert_memory_equal(got, again, n * sizeof(got[0]));
	assert_int_equal(attr(dst, fd, KVM_SET_DEVICE_ATTR,
			      KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL), 0);
	assert_int_equal(attr(dst, fd, KVM_GET_DEVICE_ATTR,
			      KVM_DEV_FLIC_GET_ALL_IRQS, sizeof(again), again),
			 0);
	hv_close(fs);
	hv_close(fd);
	skt_fix_free(src);
	skt_fix_free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_model_default),
		cmocka_unit_test(test_cpu_model_set),
		cmocka_unit_test(test_skeys_round_trip),
		cmocka_unit_test(test_flic_migrate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
