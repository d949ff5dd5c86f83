// SPDX-License-Identifier: MIT
/*
 * softkvm through hv_ioctl, system and VM fds: bring-up, capabilities,
 * ENABLE_CAP, memory slots and dirty log, vCPU/device creation rules,
 * the TOD attributes, storage keys, the FLIC, floating interrupts,
 * absolute MEM_OP and fd lifetime.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "guest-mem.h"
#include "hv.h"
#include "log.h"
#include "softkvm/softkvm.h"

#define MiB (1ULL << 20)
#define IRQ_SZ sizeof(struct kvm_s390_irq)

/* hv_ioctl result, or -errno. */
static long io(int fd, unsigned long req, const void *arg)
{
	int r = hv_ioctl(fd, req, (unsigned long)(uintptr_t)arg);

	return r < 0 ? -errno : r;
}

static long ion(int fd, unsigned long req, unsigned long arg)
{
	int r = hv_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

struct fix {
	int sys, vm;
	struct guest_mem mem;
};

static int setup(void **state)
{
	static struct fix f;

	f.sys = hv_open(ACCEL_SOFT);
	assert_true(f.sys >= 0);
	f.vm = (int)ion(f.sys, KVM_CREATE_VM, 0);
	assert_true(f.vm >= 0);
	assert_int_equal(guest_mem_alloc(&f.mem, 4 * MiB), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	hv_close(f->vm);
	hv_close(f->sys);
	guest_mem_free(&f->mem);
	return 0;
}

static long slot(struct fix *f, uint32_t id, uint32_t flags, uint64_t gpa,
		 uint64_t size, uint64_t off)
{
	struct kvm_userspace_memory_region m = {
		.slot = id, .flags = flags, .guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)(f->mem.base + off),
	};

	return io(f->vm, KVM_SET_USER_MEMORY_REGION, &m);
}

static void test_system_fd(void **state)
{
	struct fix *f = *state;

	assert_int_equal(ion(f->sys, KVM_GET_API_VERSION, 0), 12);
	assert_int_equal(ion(f->sys, KVM_GET_API_VERSION, 1), -EINVAL);
	assert_int_equal(ion(f->sys, KVM_GET_VCPU_MMAP_SIZE, 0), 4096);
	assert_int_equal(ion(f->sys, KVM_CREATE_VM, 1), -EINVAL);
	assert_int_equal(ion(f->sys, KVM_CREATE_VM, 2), -EINVAL);
	/* s390's /dev/kvm answers unknown requests with EINVAL */
	assert_int_equal(ion(f->sys, KVM_RUN, 0), -EINVAL);
	assert_int_equal(ion(f->sys, KVM_S390_ENABLE_SIE, 0), 0);
	/* a VM fd does not know system requests */
	assert_int_equal(ion(f->vm, KVM_GET_API_VERSION, 0), -ENOTTY);
	assert_true(softkvm_owns(f->sys));
	assert_true(softkvm_owns(f->vm));
	/* hv_open wants a decided accelerator */
	errno = 0;
	assert_int_equal(hv_open(ACCEL_AUTO), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_check_extension(void **state)
{
	struct fix *f = *state;
	static const unsigned long one[] = {
		KVM_CAP_S390_IRQ_STATE, KVM_CAP_S390_INJECT_IRQ,
		KVM_CAP_SYNC_REGS, KVM_CAP_S390_USER_SIGP,
		KVM_CAP_S390_USER_STSI, KVM_CAP_S390_SKEYS, KVM_CAP_ONE_REG,
		KVM_CAP_DEVICE_CTRL, KVM_CAP_MP_STATE, KVM_CAP_IMMEDIATE_EXIT,
		KVM_CAP_S390_VCPU_RESETS, KVM_CAP_S390_USER_INSTR0,
		KVM_CAP_VM_ATTRIBUTES, KVM_CAP_CHECK_EXTENSION_VM,
	};
	static const unsigned long zero[] = {
		KVM_CAP_S390_VECTOR_REGISTERS, KVM_CAP_S390_UCONTROL,
		KVM_CAP_S390_PROTECTED, KVM_CAP_S390_RI, KVM_CAP_S390_GS,
		KVM_CAP_S390_CSS_SUPPORT, KVM_CAP_S390_IRQCHIP,
		KVM_CAP_READONLY_MEM, 99999,
	};

	for (unsigned i = 0; i < ARRAY_SIZE(one); i++) {
		assert_int_equal(ion(f->sys, KVM_CHECK_EXTENSION, one[i]), 1);
		assert_int_equal(ion(f->vm, KVM_CHECK_EXTENSION, one[i]), 1);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(zero); i++)
		assert_int_equal(ion(f->vm, KVM_CHECK_EXTENSION, zero[i]), 0);
	assert_int_equal(ion(f->vm, KVM_CHECK_EXTENSION, KVM_CAP_S390_MEM_OP),
			 65536);
	assert_int_equal(ion(f->vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS),
			 32);
	assert_int_equal(ion(f->vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS),
			 255);
	assert_true(ion(f->vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS) >= 1);
}

static void test_enable_cap(void **state)
{
	struct fix *f = *state;
	struct kvm_enable_cap cap;

	memset(&cap, 0, sizeof(cap));
	cap.cap = KVM_CAP_S390_USER_SIGP;
	cap.flags = 1;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.flags = 0;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), 0);
	cap.cap = KVM_CAP_S390_USER_STSI;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), 0);
	cap.cap = KVM_CAP_S390_USER_INSTR0;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), 0);
	cap.cap = KVM_CAP_S390_VECTOR_REGISTERS;   /* no VX before a vCPU */
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.cap = KVM_CAP_S390_IRQCHIP;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	cap.cap = 12345;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EINVAL);
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, NULL), -EFAULT);

	int v = (int)ion(f->vm, KVM_CREATE_VCPU, 0);

	assert_true(v >= 0);
	cap.cap = KVM_CAP_S390_VECTOR_REGISTERS;   /* facility caps: EBUSY */
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EBUSY);
	cap.cap = KVM_CAP_S390_RI;
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), -EBUSY);
	cap.cap = KVM_CAP_S390_USER_SIGP;   /* the user ones still work */
	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &cap), 0);
	/* a vCPU fd accepts no capability softkvm offers */
	cap.cap = KVM_CAP_S390_CSS_SUPPORT;
	assert_int_equal(io(v, KVM_ENABLE_CAP, &cap), -EINVAL);
	hv_close(v);
}

static void test_memslots(void **state)
{
	struct fix *f = *state;

	/* flags: READONLY and unknown bits */
	assert_int_equal(slot(f, 0, KVM_MEM_READONLY, 0, MiB, 0), -EINVAL);
	assert_int_equal(slot(f, 0, 4, 0, MiB, 0), -EINVAL);
	/* page alignment, then the s390 1 MiB rules */
	assert_int_equal(slot(f, 0, 0, 0, MiB + 1, 0), -EINVAL);
	assert_int_equal(slot(f, 0, 0, 0x800, MiB, 0), -EINVAL);
	assert_int_equal(slot(f, 0, 0, 0, MiB + 4096, 0), -EINVAL);
	assert_int_equal(slot(f, 0, 0, 0, MiB, 4096), -EINVAL);
	/* slot id limit and address space id */
	assert_int_equal(slot(f, 32, 0, 0, MiB, 0), -EINVAL);
	assert_int_equal(slot(f, 1u << 16, 0, 0, MiB, 0), -EINVAL);
	/* wrap and memory limit */
	assert_int_equal(slot(f, 0, 0, 0xfffffffffff00000ULL, 2 * MiB, 0),
			 -EINVAL);
	/* more pages than a slot can have (KVM_MEM_MAX_NR_PAGES) */
	assert_int_equal(slot(f, 0, 0, 0, 0x80000000ULL << 12, 0), -EINVAL);
	/* deleting an empty slot */
	assert_int_equal(slot(f, 0, 0, 0, 0, 0), -EINVAL);

	assert_int_equal(slot(f, 0, 0, 0, 2 * MiB, 0), 0);
	assert_int_equal(slot(f, 0, 0, 0, 2 * MiB, 0), 0);  /* unchanged */
	/* overlap */
	assert_int_equal(slot(f, 1, 0, MiB, MiB, 2 * MiB), -EEXIST);
	assert_int_equal(slot(f, 1, 0, 2 * MiB, 2 * MiB, 2 * MiB), 0);
	/* existing slot: other size or host address is EINVAL */
	assert_int_equal(slot(f, 1, 0, 2 * MiB, MiB, 2 * MiB), -EINVAL);
	assert_int_equal(slot(f, 1, 0, 2 * MiB, 2 * MiB, 0), -EINVAL);
	/* move, into an overlap and then to a free place */
	assert_int_equal(slot(f, 1, 0, MiB, 2 * MiB, 2 * MiB), -EEXIST);
	assert_int_equal(slot(f, 1, 0, 8 * MiB, 2 * MiB, 2 * MiB), 0);
	/* delete, then the range is free again */
	assert_int_equal(slot(f, 1, 0, 0, 0, 0), 0);
	assert_int_equal(slot(f, 1, 0, 2 * MiB, 2 * MiB, 2 * MiB), 0);
	/* a guest address off the 1 MiB grid is accepted, as the kernel does */
	assert_int_equal(slot(f, 2, 0, 16 * MiB + 4096, MiB, 0), 0);
	assert_int_equal(slot(f, 2, 0, 0, 0, 0), 0);
	assert_int_equal(io(f->vm, KVM_SET_USER_MEMORY_REGION, NULL), -EFAULT);
}

static void test_dirty_log(void **state)
{
	struct fix *f = *state;
	struct kvm_dirty_log log = { 0 };
	uint64_t bm[8];
	struct kvm_s390_mem_op mop = { 0 };
	uint8_t data[16] = { 1 };

	assert_int_equal(slot(f, 0, 0, 0, 2 * MiB, 0), 0);
	log.slot = 0;
	log.dirty_bitmap = bm;
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), -ENOENT);
	log.slot = 5;
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), -ENOENT);
	log.slot = 32;
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), -EINVAL);

	/* flags-only change turns logging on */
	assert_int_equal(slot(f, 0, KVM_MEM_LOG_DIRTY_PAGES, 0, 2 * MiB, 0), 0);
	log.slot = 0;
	memset(bm, 0xff, sizeof(bm));
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bm); i++)
		assert_int_equal(bm[i], 0);

	/* softkvm's own stores mark pages: an absolute MEM_OP write that
	 * crosses a page boundary */
	mop.gaddr = 0x1ffe;
	mop.size = 4;
	mop.op = KVM_S390_MEMOP_ABSOLUTE_WRITE;
	mop.buf = (uint64_t)(uintptr_t)data;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 0);
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), 0);
	/* pages 1 and 2: bits 1 and 2 of byte 0 (set_bit_le order) */
	assert_int_equal(((uint8_t *)bm)[0], 0x6);
	for (unsigned i = 1; i < sizeof(bm); i++)
		assert_int_equal(((uint8_t *)bm)[i], 0);
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), 0);
	assert_int_equal(bm[0], 0);     /* cleared by the read */
	assert_memory_equal(f->mem.base + 0x1ffe, data, 4);

	log.dirty_bitmap = NULL;
	assert_int_equal(io(f->vm, KVM_GET_DIRTY_LOG, &log), -EFAULT);
}

/* The internal marking function, on a VM made by hand. */
static void test_mark_dirty_direct(void **state)
{
	struct fix *f = *state;
	struct sk_vm vm;
	struct kvm_userspace_memory_region m = {
		.slot = 3, .flags = KVM_MEM_LOG_DIRTY_PAGES,
		.guest_phys_addr = 4 * MiB, .memory_size = 2 * MiB,
		.userspace_addr = (uint64_t)(uintptr_t)f->mem.base,
	};
	struct kvm_userspace_memory_region m2 = m;
	struct kvm_dirty_log log = { 0 };
	uint64_t bm[8];

	memset(&vm, 0, sizeof(vm));
	pthread_mutex_init(&vm.lock, NULL);
	assert_int_equal(sk_set_memory_region(&vm, &m), 0);
	m2.slot = 4;
	m2.guest_phys_addr = 6 * MiB;
	m2.userspace_addr += 2 * MiB;
	assert_int_equal(sk_set_memory_region(&vm, &m2), 0);

	softkvm_mark_dirty(&vm, 4 * MiB + 4096 * 63, 4097);   /* 63, 64 */
	softkvm_mark_dirty(&vm, 6 * MiB - 1, 2);              /* both slots */
	softkvm_mark_dirty(&vm, 0, 4096);                     /* unbacked */
	softkvm_mark_dirty(&vm, 4 * MiB, 0);                  /* nothing */
	log.slot = 3;
	log.dirty_bitmap = bm;
	assert_int_equal(sk_get_dirty_log(&vm, &log), 0);
	/* set_bit_le order: page n is bit n % 8 of byte n / 8 */
	assert_int_equal(((uint8_t *)bm)[7], 0x80);	/* page 63 */
	assert_int_equal(((uint8_t *)bm)[8], 1);	/* page 64 */
	assert_int_equal(((uint8_t *)bm)[63], 0x80);	/* page 511 */
	log.slot = 4;
	assert_int_equal(sk_get_dirty_log(&vm, &log), 0);
	assert_int_equal(((uint8_t *)bm)[0], 1);
	sk_memslots_free(&vm);
	pthread_mutex_destroy(&vm.lock);
}

static void test_create_vcpu_and_device(void **state)
{
	struct fix *f = *state;
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	int v0, v254, dev;

	assert_int_equal(ion(f->vm, KVM_CREATE_VCPU, 255), -EINVAL);
	v0 = (int)ion(f->vm, KVM_CREATE_VCPU, 0);
	assert_true(v0 >= 0);
	assert_int_equal(ion(f->vm, KVM_CREATE_VCPU, 0), -EEXIST);
	v254 = (int)ion(f->vm, KVM_CREATE_VCPU, 254);
	assert_true(v254 >= 0);

	cd.type = KVM_DEV_TYPE_VFIO;
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), -ENODEV);
	cd.type = 77;
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), -ENODEV);
	cd.type = KVM_DEV_TYPE_FLIC;
	cd.flags = KVM_CREATE_DEVICE_TEST;
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	cd.flags = 0;
	cd.fd = 0;
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	dev = (int)cd.fd;
	assert_true(dev > 0 && softkvm_owns(dev));
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), -EINVAL);
	/* a device fd has no ioctls of its own */
	assert_int_equal(ion(dev, KVM_RUN, 0), -ENOTTY);
	hv_close(dev);
	hv_close(v254);
	hv_close(v0);
}

static void test_tod(void **state)
{
	struct fix *f = *state;
	struct kvm_device_attr a = { .group = KVM_S390_VM_TOD };
	struct kvm_s390_vm_tod_clock ext;
	struct kvm_one_reg reg;
	uint64_t low, low2, epoch;
	uint8_t high;
	int v;

	a.attr = KVM_S390_VM_TOD_LOW;
	a.addr = (uint64_t)(uintptr_t)&low;
	assert_int_equal(io(f->vm, KVM_HAS_DEVICE_ATTR, &a), 0);
	a.attr = KVM_S390_VM_TOD_HIGH;
	assert_int_equal(io(f->vm, KVM_HAS_DEVICE_ATTR, &a), 0);
	a.attr = KVM_S390_VM_TOD_EXT;
	assert_int_equal(io(f->vm, KVM_HAS_DEVICE_ATTR, &a), -ENXIO);
	a.attr = 7;
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), -ENXIO);
	a.group = KVM_S390_VM_MEM_CTRL;
	a.attr = 0;
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), -ENXIO);
	a.group = 99;
	assert_int_equal(io(f->vm, KVM_HAS_DEVICE_ATTR, &a), -ENXIO);
	a.group = KVM_S390_VM_TOD;

	/* a new VM runs on the host clock: epoch 0 */
	v = (int)ion(f->vm, KVM_CREATE_VCPU, 1);
	reg.id = KVM_REG_S390_EPOCHDIFF;
	reg.addr = (uint64_t)(uintptr_t)&epoch;
	assert_int_equal(io(v, KVM_GET_ONE_REG, &reg), 0);
	assert_int_equal(epoch, 0);
	a.attr = KVM_S390_VM_TOD_LOW;
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), 0);
	assert_true(softkvm_host_tod() - low < 4096ULL * 1000000);

	/* set: epoch = value - host TOD, copied into every vCPU */
	low = 0x1000000000000000ULL;
	a.flags = 1;
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), -EINVAL);
	a.flags = 0;
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), 0);
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), 0);
	assert_true(low >= 0x1000000000000000ULL &&
		    low - 0x1000000000000000ULL < 4096ULL * 1000000);
	assert_int_equal(io(v, KVM_GET_ONE_REG, &reg), 0);
	low2 = softkvm_host_tod() + epoch;
	assert_true(low2 - 0x1000000000000000ULL < 4096ULL * 1000000);

	/* HIGH: reads 0, accepts only 0 */
	a.attr = KVM_S390_VM_TOD_HIGH;
	a.addr = (uint64_t)(uintptr_t)&high;
	high = 0xaa;
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), 0);
	assert_int_equal(high, 0);
	high = 1;
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), -EINVAL);
	high = 0;
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), 0);

	/* EXT: epoch index must be 0 without facility 139 */
	a.attr = KVM_S390_VM_TOD_EXT;
	a.addr = (uint64_t)(uintptr_t)&ext;
	memset(&ext, 0, sizeof(ext));
	ext.epoch_idx = 1;
	ext.tod = 5;
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), -EINVAL);
	ext.epoch_idx = 0;
	ext.tod = 0xFFFFFFFFFFFF0000ULL;   /* wraps: epoch arithmetic mod 2^64 */
	assert_int_equal(io(f->vm, KVM_SET_DEVICE_ATTR, &a), 0);
	memset(&ext, 0xff, sizeof(ext));
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), 0);
	assert_int_equal(ext.epoch_idx, 0);
	assert_true(ext.tod - 0xFFFFFFFFFFFF0000ULL < 4096ULL * 1000000);
	a.addr = 0;
	assert_int_equal(io(f->vm, KVM_GET_DEVICE_ATTR, &a), -EFAULT);
	hv_close(v);
}

static void test_skeys(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_skeys k;
	uint8_t keys[512], back[512];

	assert_int_equal(slot(f, 0, 0, 0, 2 * MiB, 0), 0);
	memset(&k, 0, sizeof(k));
	k.skeydata_addr = (uint64_t)(uintptr_t)keys;
	k.count = 1;
	k.flags = 1;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), -EINVAL);
	k.flags = 0;
	/* never used: 1, even for a bad count */
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), 1);
	k.count = 0;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), 1);
	assert_int_equal(io(f->vm, KVM_S390_SET_SKEYS, &k), -EINVAL);
	k.count = KVM_S390_SKEYS_MAX + 1;
	assert_int_equal(io(f->vm, KVM_S390_SET_SKEYS, &k), -EINVAL);

	for (unsigned i = 0; i < 512; i++)
		keys[i] = (uint8_t)((i * 0x12) & 0xfe);
	keys[3] = 0x01;   /* reserved bit: stops there, no rollback */
	k.count = 512;
	assert_int_equal(io(f->vm, KVM_S390_SET_SKEYS, &k), -EINVAL);
	/* keys are on now; 0..2 set, 3.. still 0 */
	k.skeydata_addr = (uint64_t)(uintptr_t)back;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), 0);
	assert_memory_equal(back, keys, 3);
	assert_int_equal(back[3], 0);
	assert_int_equal(back[100], 0);
	keys[3] = 0x30;
	k.skeydata_addr = (uint64_t)(uintptr_t)keys;
	assert_int_equal(io(f->vm, KVM_S390_SET_SKEYS, &k), 0);
	k.skeydata_addr = (uint64_t)(uintptr_t)back;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), 0);
	assert_memory_equal(back, keys, 512);
	/* frames outside every slot */
	k.start_gfn = 511;
	k.count = 2;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), -EFAULT);
	k.skeydata_addr = (uint64_t)(uintptr_t)keys;
	assert_int_equal(io(f->vm, KVM_S390_SET_SKEYS, &k), -EFAULT);
	k.count = 0;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), -EINVAL);
	/* a slot added later has keys too */
	assert_int_equal(slot(f, 1, 0, 2 * MiB, 2 * MiB, 2 * MiB), 0);
	k.start_gfn = 512;
	k.count = 1;
	k.skeydata_addr = (uint64_t)(uintptr_t)back;
	back[0] = 0xee;
	assert_int_equal(io(f->vm, KVM_S390_GET_SKEYS, &k), 0);
	assert_int_equal(back[0], 0);
}

static struct kvm_s390_irq mkirq(uint64_t type)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = type;
	return irq;
}

static void test_flic(void **state)
{
	struct fix *f = *state;
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	struct kvm_device_attr a = { 0 };
	struct kvm_s390_irq in[3], out[4];
	struct kvm_s390_interrupt s390int = { 0 };
	int dev;

	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	dev = (int)cd.fd;

	in[0] = mkirq(KVM_S390_INT_VIRTIO);
	in[0].u.ext.ext_params = 0x11;
	in[0].u.ext.ext_params2 = 0x22;
	in[1] = mkirq(KVM_S390_INT_IO(0, 0, 0, 5));
	in[1].u.io.subchannel_nr = 5;
	in[1].u.io.io_int_word = 0x08000000;   /* ISC 1 */
	in[2] = mkirq(KVM_S390_INT_SERVICE);
	in[2].u.ext.ext_params = 0x1000;

	a.group = KVM_DEV_FLIC_ENQUEUE;
	a.attr = sizeof(in);
	a.addr = (uint64_t)(uintptr_t)in;
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), 0);
	/* a floating interrupt through the VM fd as well */
	s390int.type = KVM_S390_INT_PFAULT_DONE;
	s390int.parm64 = 0x77;
	assert_int_equal(io(f->vm, KVM_S390_INTERRUPT, &s390int), 0);
	s390int.type = KVM_S390_RESTART;   /* local type: EINVAL */
	assert_int_equal(io(f->vm, KVM_S390_INTERRUPT, &s390int), -EINVAL);

	/* too small: ENOMEM; order: ISC lists, pfault, virtio, service */
	a.group = KVM_DEV_FLIC_GET_ALL_IRQS;
	a.addr = (uint64_t)(uintptr_t)out;
	a.attr = 3 * IRQ_SZ;
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), -ENOMEM);
	a.attr = 0;
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), -EINVAL);
	a.attr = sizeof(out);
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), 4);
	assert_int_equal(out[0].type, in[1].type);
	assert_int_equal(out[1].type, KVM_S390_INT_PFAULT_DONE);
	assert_int_equal(out[1].u.ext.ext_params2, 0x77);
	assert_int_equal(out[2].type, KVM_S390_INT_VIRTIO);
	assert_int_equal(out[2].u.ext.ext_params2, 0x22);
	assert_int_equal(out[3].type, KVM_S390_INT_SERVICE);
	assert_int_equal(out[3].u.ext.ext_params, 0x1000);
	/* reading consumes nothing */
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), 4);

	/* HAS_ATTR, APF, unknown groups, CLEAR */
	a.group = KVM_DEV_FLIC_CLEAR_IRQS;
	assert_int_equal(io(dev, KVM_HAS_DEVICE_ATTR, &a), 0);
	a.group = 99;
	assert_int_equal(io(dev, KVM_HAS_DEVICE_ATTR, &a), -ENXIO);
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), -EINVAL);
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), -EINVAL);
	a.group = KVM_DEV_FLIC_APF_DISABLE_WAIT;
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), 0);
	a.group = KVM_DEV_FLIC_APF_ENABLE;
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), 0);
	a.group = KVM_DEV_FLIC_CLEAR_IRQS;
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), 0);
	a.group = KVM_DEV_FLIC_GET_ALL_IRQS;
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), 0);

	/* ENQUEUE refuses local types and stops at the first failure */
	in[1] = mkirq(KVM_S390_RESTART);
	a.group = KVM_DEV_FLIC_ENQUEUE;
	a.attr = sizeof(in);
	a.addr = (uint64_t)(uintptr_t)in;
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, &a), -EINVAL);
	a.group = KVM_DEV_FLIC_GET_ALL_IRQS;
	a.attr = sizeof(out);
	a.addr = (uint64_t)(uintptr_t)out;
	assert_int_equal(io(dev, KVM_GET_DEVICE_ATTR, &a), 1);
	assert_int_equal(io(dev, KVM_SET_DEVICE_ATTR, NULL), -EFAULT);
	hv_close(dev);
}

static void test_abs_mem_op(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_mem_op mop = { 0 };
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, back[8] = { 0 };

	assert_int_equal(slot(f, 0, 0, 0, MiB, 0), 0);
	mop.gaddr = MiB - 4;
	mop.size = 4;
	mop.op = KVM_S390_MEMOP_ABSOLUTE_WRITE;
	mop.buf = (uint64_t)(uintptr_t)buf;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 0);
	mop.op = KVM_S390_MEMOP_ABSOLUTE_READ;
	mop.buf = (uint64_t)(uintptr_t)back;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 0);
	assert_memory_equal(back, buf, 4);
	/* crossing the end of memory: addressing exception (5) */
	mop.size = 8;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 5);
	mop.flags = KVM_S390_MEMOP_F_CHECK_ONLY;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 5);
	mop.size = 4;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), 0);
	mop.flags = KVM_S390_MEMOP_F_INJECT_EXCEPTION;   /* vCPU only */
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), -EINVAL);
	mop.flags = 0;
	mop.size = 0;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), -EINVAL);
	mop.size = 65537;
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), -E2BIG);
	mop.size = 4;
	mop.op = KVM_S390_MEMOP_LOGICAL_READ;   /* vCPU op on the VM fd */
	assert_int_equal(io(f->vm, KVM_S390_MEM_OP, &mop), -EINVAL);
}

static void test_fd_lifetime(void **state)
{
	struct fix *f = *state;
	int vm, v, fd;
	struct kvm_regs regs;

	vm = (int)ion(f->sys, KVM_CREATE_VM, 0);
	v = (int)ion(vm, KVM_CREATE_VCPU, 0);
	assert_true(vm >= 0 && v >= 0);
	/* closing the VM fd keeps the VM alive for its vCPU */
	assert_int_equal(hv_close(vm), 0);
	assert_int_equal(io(v, KVM_GET_REGS, &regs), 0);
	assert_int_equal(hv_close(v), 0);
	assert_false(softkvm_owns(v));

	/* a plain close(2) and a reused number: not taken for the old one */
	vm = (int)ion(f->sys, KVM_CREATE_VM, 0);
	close(vm);
	fd = dup(f->sys);   /* most likely reuses vm's number */
	if (fd == vm)
		assert_false(softkvm_owns(fd));   /* another inode */
	close(fd);
	assert_false(softkvm_owns(vm));
	fd = open("/dev/null", 0);
	assert_true(fd >= 0);
	assert_false(softkvm_owns(fd));
	{
		/* goes to ioctl(2): ENOTTY (qemu-user says ENOSYS) */
		long r = ion(fd, KVM_GET_API_VERSION, 0);

		assert_true(r == -ENOTTY || r == -ENOSYS);
	}
	close(fd);
	/* an unknown ioctl on the VM fd */
	assert_int_equal(ion(f->vm, KVM_GET_REGS, 0), -ENOTTY);
}

/* Many threads creating, using and closing objects at once. */
static void *churn(void *p)
{
	int sys = *(int *)p;

	for (int i = 0; i < 40; i++) {
		int vm = (int)ion(sys, KVM_CREATE_VM, 0);
		int v[3];
		struct kvm_s390_irq irq;

		assert_true(vm >= 0);
		for (int j = 0; j < 3; j++) {
			v[j] = (int)ion(vm, KVM_CREATE_VCPU, (unsigned)j);
			assert_true(v[j] >= 0);
		}
		if (i & 1)
			hv_close(vm);   /* the vCPUs keep it alive */
		memset(&irq, 0, sizeof(irq));
		irq.type = KVM_S390_INT_EMERGENCY;
		irq.u.emerg.code = 2;
		assert_int_equal(io(v[0], KVM_S390_IRQ, &irq), 0);
		for (int j = 0; j < 3; j++)
			hv_close(v[j]);
		if (!(i & 1))
			hv_close(vm);
	}
	return NULL;
}

static void test_fd_table_threads(void **state)
{
	struct fix *f = *state;
	pthread_t t[4];

	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, churn, &f->sys),
				 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_true(softkvm_owns(f->sys));
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_system_fd),
		T(test_check_extension),
		T(test_enable_cap),
		T(test_memslots),
		T(test_dirty_log),
		T(test_mark_dirty_direct),
		T(test_create_vcpu_and_device),
		T(test_tod),
		T(test_skeys),
		T(test_flic),
		T(test_abs_mem_op),
		T(test_fd_lifetime),
		T(test_fd_table_threads),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
