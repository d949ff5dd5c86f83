// SPDX-License-Identifier: MIT
/*
 * softkvm vCPUs through hv_ioctl: the spec 1.3 bring-up, the vCPU's
 * initial state, kvm_run through mmap, register ioctls and ONE_REG, MP
 * state, the three resets (the kernel's resets selftest), STORE STATUS,
 * interrupt injection and IRQ state, logical MEM_OP, sync registers,
 * KVM_RUN's entry checks and the async-ioctl locking.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "bswap.h"
#include "guest-mem.h"
#include "hv.h"
#include "log.h"
#include "softkvm/softkvm.h"

#define MiB (1ULL << 20)
#define IRQ_SZ sizeof(struct kvm_s390_irq)

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
	int sys, vm, vcpu;
	struct kvm_run *run;
	struct guest_mem mem;
	uint8_t *ram;
};

static void map_ram(struct fix *f, uint64_t size)
{
	struct kvm_userspace_memory_region m = {
		.slot = 0, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)f->mem.base,
	};

	assert_int_equal(io(f->vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
}

static int setup(void **state)
{
	static struct fix f;
	long sz;

	memset(&f, 0, sizeof(f));
	f.sys = hv_open(ACCEL_SOFT);
	f.vm = (int)ion(f.sys, KVM_CREATE_VM, 0);
	assert_int_equal(guest_mem_alloc(&f.mem, 2 * MiB), 0);
	f.ram = f.mem.base;
	map_ram(&f, 2 * MiB);
	f.vcpu = (int)ion(f.vm, KVM_CREATE_VCPU, 3);
	assert_true(f.vcpu >= 0);
	sz = ion(f.sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	f.run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED,
		     f.vcpu, 0);
	assert_true(f.run != MAP_FAILED);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	munmap(f->run, 4096);
	hv_close(f->vcpu);
	hv_close(f->vm);
	hv_close(f->sys);
	guest_mem_free(&f->mem);
	return 0;
}

static uint64_t get1(int fd, uint64_t id)
{
	uint64_t v = 0;
	uint32_t v32 = 0;
	struct kvm_one_reg reg = { .id = id };

	reg.addr = id == KVM_REG_S390_TODPR ? (uint64_t)(uintptr_t)&v32
					    : (uint64_t)(uintptr_t)&v;
	assert_int_equal(io(fd, KVM_GET_ONE_REG, &reg), 0);
	return id == KVM_REG_S390_TODPR ? v32 : v;
}

static void set1(int fd, uint64_t id, uint64_t val)
{
	uint32_t v32 = (uint32_t)val;
	struct kvm_one_reg reg = { .id = id };

	reg.addr = id == KVM_REG_S390_TODPR ? (uint64_t)(uintptr_t)&v32
					    : (uint64_t)(uintptr_t)&val;
	assert_int_equal(io(fd, KVM_SET_ONE_REG, &reg), 0);
}

static struct kvm_s390_irq mkirq(uint64_t type)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = type;
	return irq;
}

static long irq_state(int fd, unsigned long req, void *buf, uint32_t len)
{
	struct kvm_s390_irq_state st;

	memset(&st, 0, sizeof(st));
	st.buf = (uint64_t)(uintptr_t)buf;
	st.len = len;
	return io(fd, req, &st);
}

/* Spec 1.3, step by step, on a fresh system fd. */
static void test_bring_up(void **state)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_USER_SIGP };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };
	struct kvm_s390_psw psw = { 0x0000000180000000ULL, 0x10000 };
	struct kvm_sregs sregs;
	struct kvm_run *run;
	struct guest_mem mem;
	struct kvm_userspace_memory_region m = { .memory_size = MiB };
	int sys, vm, vcpu;
	long sz;

	(void)state;
	sys = hv_open(ACCEL_SOFT);
	assert_true(sys >= 0);
	assert_int_equal(ion(sys, KVM_GET_API_VERSION, 0), 12);
	vm = (int)ion(sys, KVM_CREATE_VM, 0);
	assert_true(vm >= 0);
	assert_int_equal(io(vm, KVM_ENABLE_CAP, &cap), 0);
	cap.cap = KVM_CAP_S390_USER_STSI;
	assert_int_equal(io(vm, KVM_ENABLE_CAP, &cap), 0);
	assert_int_equal(guest_mem_alloc(&mem, MiB), 0);
	m.userspace_addr = (uint64_t)(uintptr_t)mem.base;
	assert_int_equal(io(vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	assert_int_equal(io(vm, KVM_CREATE_DEVICE, &cd), 0);
	vcpu = (int)ion(vm, KVM_CREATE_VCPU, 0);
	assert_true(vcpu >= 0);
	sz = ion(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
	assert_int_equal(sz, 4096);
	run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
		   0);
	assert_true(run != MAP_FAILED);
	assert_int_equal(run->kvm_valid_regs, SK_VALID_REGS);
	assert_int_equal(ion(vcpu, KVM_S390_INITIAL_RESET, 0), 0);
	assert_int_equal(io(vcpu, KVM_GET_SREGS, &sregs), 0);
	assert_int_equal(sregs.crs[0], 0xE0);
	assert_int_equal(sregs.crs[14], 0xC2000000);
	assert_int_equal(get1(vcpu, KVM_REG_S390_GBEA), 1);
	assert_int_equal(io(vcpu, KVM_S390_SET_INITIAL_PSW, &psw), 0);
	assert_int_equal(run->psw_mask, psw.mask);
	assert_int_equal(run->psw_addr, psw.addr);
	/* KVM_RUN: the kick path works; guest execution is the next step */
	run->immediate_exit = 1;
	assert_int_equal(ion(vcpu, KVM_RUN, 0), -EINTR);
	munmap(run, 4096);
	hv_close(vcpu);
	hv_close((int)cd.fd);
	hv_close(vm);
	hv_close(sys);
	guest_mem_free(&mem);
}

static void test_initial_state(void **state)
{
	struct fix *f = *state;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_fpu fpu;

	assert_int_equal(ion(f->vcpu, KVM_GET_MP_STATE, 0), KVM_MP_STATE_STOPPED);
	memset(&sregs, 0xff, sizeof(sregs));
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &sregs), 0);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(sregs.crs[i], 0);   /* CR0/CR14 too */
		assert_int_equal(sregs.acrs[i], 0);
	}
	memset(&regs, 0xff, sizeof(regs));
	assert_int_equal(io(f->vcpu, KVM_GET_REGS, &regs), 0);
	assert_int_equal(regs.gprs[15], 0);
	memset(&fpu, 0xff, sizeof(fpu));
	assert_int_equal(io(f->vcpu, KVM_GET_FPU, &fpu), 0);
	assert_int_equal(fpu.fpc, 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_PFTOKEN),
			 KVM_S390_PFAULT_TOKEN_INVALID);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_GBEA), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_CPU_TIMER), 0);
	assert_int_equal(f->run->kvm_valid_regs, 0x113f);
	assert_int_equal(f->run->kvm_dirty_regs, 0);
	assert_int_equal(f->run->exit_reason, 0);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE,
				   &regs, sizeof(regs)), 0);
}

static void test_run_mmap(void **state)
{
	struct fix *f = *state;
	struct kvm_regs regs;
	struct kvm_run *run2;

	for (int i = 0; i < 16; i++)
		regs.gprs[i] = 0x1000 + (uint64_t)i;
	assert_int_equal(io(f->vcpu, KVM_SET_REGS, &regs), 0);
	assert_int_equal(f->run->s.regs.gprs[7], 0x1007);
	/* and back: kvm_run is where the GPRs live */
	f->run->s.regs.gprs[7] = 0xabc;
	assert_int_equal(io(f->vcpu, KVM_GET_REGS, &regs), 0);
	assert_int_equal(regs.gprs[7], 0xabc);
	/* a second mapping sees the same page */
	run2 = mmap(NULL, 4096, PROT_READ, MAP_SHARED, f->vcpu, 0);
	assert_true(run2 != MAP_FAILED);
	assert_int_equal(run2->s.regs.gprs[7], 0xabc);
	munmap(run2, 4096);
}

static void test_regs(void **state)
{
	struct fix *f = *state;
	struct kvm_sregs sregs, s2;
	struct kvm_fpu fpu, fpu2;
	struct kvm_one_reg reg = { 0 };
	static const uint64_t ids[] = {
		KVM_REG_S390_TODPR, KVM_REG_S390_EPOCHDIFF,
		KVM_REG_S390_CPU_TIMER, KVM_REG_S390_CLOCK_COMP,
		KVM_REG_S390_PFTOKEN, KVM_REG_S390_PFCOMPARE,
		KVM_REG_S390_PFSELECT, KVM_REG_S390_PP, KVM_REG_S390_GBEA,
	};
	uint64_t v;

	for (int i = 0; i < 16; i++) {
		sregs.acrs[i] = 0x100u + (uint32_t)i;
		sregs.crs[i] = 0x200u + (uint64_t)i;
	}
	assert_int_equal(io(f->vcpu, KVM_SET_SREGS, &sregs), 0);
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &s2), 0);
	assert_memory_equal(&sregs, &s2, sizeof(sregs));
	/* ACRs live in kvm_run; CRs in the SIE block (kvm_run stays stale) */
	assert_int_equal(f->run->s.regs.acrs[5], 0x105);
	assert_int_equal(f->run->s.regs.crs[5], 0);

	memset(&fpu, 0, sizeof(fpu));
	for (int i = 0; i < 16; i++)
		fpu.fprs[i] = 0x4000000000000000ULL + (uint64_t)i;
	fpu.fpc = 0xF8F8FF07;   /* every valid bit */
	assert_int_equal(io(f->vcpu, KVM_SET_FPU, &fpu), 0);
	assert_int_equal(io(f->vcpu, KVM_GET_FPU, &fpu2), 0);
	assert_int_equal(fpu2.fpc, fpu.fpc);
	assert_memory_equal(fpu2.fprs, fpu.fprs, sizeof(fpu.fprs));
	assert_int_equal(f->run->s.regs.fprs[3], fpu.fprs[3]);
	static const uint32_t bad[] = { 0x01000000, 0x02000000, 0x00010000,
					0x00020000, 0x80, 0x08 };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		fpu.fpc = bad[i];
		assert_int_equal(io(f->vcpu, KVM_SET_FPU, &fpu), -EINVAL);
	}
	assert_int_equal(io(f->vcpu, KVM_GET_FPU, &fpu2), 0);
	assert_int_equal(fpu2.fpc, 0xF8F8FF07);   /* unchanged */

	for (unsigned i = 0; i < ARRAY_SIZE(ids); i++) {
		uint64_t want = ids[i] == KVM_REG_S390_TODPR
					? 0x12345678
					: 0x1122334455667700ULL + i;

		set1(f->vcpu, ids[i], want);
		assert_int_equal(get1(f->vcpu, ids[i]), want);
	}
	/* TODPR is 32 bits wide: the word after it is not touched */
	{
		uint32_t w[2] = { 0, 0xdeadbeef };

		reg.id = KVM_REG_S390_TODPR;
		reg.addr = (uint64_t)(uintptr_t)w;
		assert_int_equal(io(f->vcpu, KVM_GET_ONE_REG, &reg), 0);
		assert_int_equal(w[0], 0x12345678);
		assert_int_equal(w[1], 0xdeadbeef);
	}
	reg.id = KVM_REG_S390 | KVM_REG_SIZE_U64 | 0xa;
	reg.addr = (uint64_t)(uintptr_t)&v;
	assert_int_equal(io(f->vcpu, KVM_GET_ONE_REG, &reg), -EINVAL);
	assert_int_equal(io(f->vcpu, KVM_SET_ONE_REG, &reg), -EINVAL);
	/* PP's index with the wrong width */
	reg.id = (KVM_REG_S390_PP & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32;
	assert_int_equal(io(f->vcpu, KVM_GET_ONE_REG, &reg), -EINVAL);
	reg.id = KVM_REG_S390_PP;
	reg.addr = 0;
	assert_int_equal(io(f->vcpu, KVM_GET_ONE_REG, &reg), -EFAULT);
	assert_int_equal(io(f->vcpu, KVM_GET_REGS, NULL), -EFAULT);
	assert_int_equal(ion(f->vcpu, KVM_CREATE_VCPU, 1), -ENOTTY);
}

static void test_mp_state(void **state)
{
	struct fix *f = *state;
	struct kvm_mp_state mp = { 0x55 };
	struct kvm_s390_psw psw = { 0, 0x2000 };
	struct kvm_s390_irq irq = mkirq(KVM_S390_SIGP_SET_PREFIX);

	/* GET answers with the result, and leaves the struct alone */
	assert_int_equal(io(f->vcpu, KVM_GET_MP_STATE, &mp), 5);
	assert_int_equal(mp.mp_state, 0x55);
	assert_int_equal(io(f->vcpu, KVM_S390_SET_INITIAL_PSW, &psw), 0);

	static const uint32_t bad[] = { KVM_MP_STATE_CHECK_STOP,
					KVM_MP_STATE_LOAD, 0, 99 };
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		mp.mp_state = bad[i];
		assert_int_equal(io(f->vcpu, KVM_SET_MP_STATE, &mp), -ENXIO);
	}
	/* ... and even a failing SET made CPU state user-controlled */
	assert_true(sk_lookup_vm(f->vm)->user_cpu_state_ctrl);
	assert_int_equal(ion(f->vcpu, KVM_RUN, 0), -EINVAL);   /* stopped */

	mp.mp_state = KVM_MP_STATE_OPERATING;
	assert_int_equal(io(f->vcpu, KVM_SET_MP_STATE, &mp), 0);
	assert_int_equal(io(f->vcpu, KVM_GET_MP_STATE, &mp), 7);
	assert_int_equal(io(f->vcpu, KVM_S390_SET_INITIAL_PSW, &psw), -EBUSY);
	irq.u.prefix.address = 0x4000;   /* only for a stopped vCPU */
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), -EBUSY);
	/* user-controlled: resets do not stop the vCPU */
	assert_int_equal(ion(f->vcpu, KVM_S390_NORMAL_RESET, 0), 0);
	assert_int_equal(ion(f->vcpu, KVM_S390_CLEAR_RESET, 0), 0);
	assert_int_equal(ion(f->vcpu, KVM_GET_MP_STATE, 0), 7);
	/* STOPPED completes a pending SIGP STOP */
	irq = mkirq(KVM_S390_SIGP_STOP);
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), 0);
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), -EBUSY);
	mp.mp_state = KVM_MP_STATE_STOPPED;
	assert_int_equal(io(f->vcpu, KVM_SET_MP_STATE, &mp), 0);
	assert_int_equal(ion(f->vcpu, KVM_GET_MP_STATE, 0), 5);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, &irq,
				   IRQ_SZ), 0);
	assert_int_equal(io(f->vcpu, KVM_SET_MP_STATE, NULL), -EFAULT);
}

/* Without user control, every reset stops the vCPU (spec 1.11). */
static void test_reset_stops(void **state)
{
	struct fix *f = *state;
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu);
	static const unsigned long resets[] = { KVM_S390_NORMAL_RESET,
		KVM_S390_INITIAL_RESET, KVM_S390_CLEAR_RESET };

	assert_non_null(v);
	for (unsigned i = 0; i < ARRAY_SIZE(resets); i++) {
		v->stopped = false;   /* as the first KVM_RUN would */
		assert_int_equal(ion(f->vcpu, KVM_GET_MP_STATE, 0), 7);
		assert_int_equal(ion(f->vcpu, resets[i], 0), 0);
		assert_int_equal(ion(f->vcpu, KVM_GET_MP_STATE, 0), 5);
	}
}

/* ------------------------------------------------------------------------ */
/* The kernel's resets selftest, through the same ioctls                    */
/* ------------------------------------------------------------------------ */

static void dirty_everything(struct fix *f)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_s390_irq irq = mkirq(KVM_S390_INT_EMERGENCY);
	uint8_t buf[35 * IRQ_SZ];

	for (int i = 0; i < 16; i++) {
		regs.gprs[i] = 0xffffffffffff0000ULL + (uint64_t)i;
		sregs.acrs[i] = 0x9000u + (uint32_t)i;
		sregs.crs[i] = 0xff00000000000000ULL + (uint64_t)i;
		fpu.fprs[i] = 0x4010000000000000ULL + (uint64_t)i;
	}
	fpu.fpc = 0x00000001;
	assert_int_equal(io(f->vcpu, KVM_SET_REGS, &regs), 0);
	assert_int_equal(io(f->vcpu, KVM_SET_SREGS, &sregs), 0);
	assert_int_equal(io(f->vcpu, KVM_SET_FPU, &fpu), 0);
	set1(f->vcpu, KVM_REG_S390_TODPR, 0xabcd);
	set1(f->vcpu, KVM_REG_S390_CPU_TIMER, 0x1111);
	set1(f->vcpu, KVM_REG_S390_CLOCK_COMP, 0x2222);
	set1(f->vcpu, KVM_REG_S390_PP, 0x3333);
	set1(f->vcpu, KVM_REG_S390_GBEA, 0x4444);
	set1(f->vcpu, KVM_REG_S390_PFTOKEN, 0x5555);
	f->run->psw_mask = 0x0000000180000000ULL;
	f->run->psw_addr = 0x1234;
	f->run->s.regs.crs[2] = 0x77;
	f->run->s.regs.todpr = 0xabcd;
	f->run->s.regs.gbea = 0x4444;
	/* an emergency signal from the vCPU itself (id 3), as resets.c does */
	irq.u.emerg.code = 3;
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, &irq,
				   IRQ_SZ), 0);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf,
				   sizeof(buf)), IRQ_SZ);
}

/* What no reset may touch (resets.c test_one_reg / normal checks). */
static void assert_normal_kept(struct fix *f, bool clear)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	uint8_t buf[35 * IRQ_SZ];

	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf,
				   sizeof(buf)), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_PFTOKEN),
			 KVM_S390_PFAULT_TOKEN_INVALID);
	assert_int_equal(io(f->vcpu, KVM_GET_REGS, &regs), 0);
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &sregs), 0);
	assert_int_equal(io(f->vcpu, KVM_GET_FPU, &fpu), 0);
	assert_int_equal(regs.gprs[0], clear ? 0 : 0xffffffffffff0000ULL);
	assert_int_equal(f->run->s.regs.gprs[0], regs.gprs[0]);
	assert_int_equal(fpu.fprs[0], clear ? 0 : 0x4010000000000000ULL);
	assert_int_equal(sregs.acrs[9], clear ? 0 : 0x9009);
	assert_int_equal(f->run->s.regs.acrs[9], sregs.acrs[9]);
}

static void assert_initial_done(struct fix *f)
{
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;

	assert_int_equal(f->run->psw_mask, 0);
	assert_int_equal(f->run->psw_addr, 0);
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &sregs), 0);
	for (int i = 0; i < 16; i++) {
		uint64_t want = i == 0 ? 0xE0 : i == 14 ? 0xC2000000 : 0;

		assert_int_equal(sregs.crs[i], want);
		assert_int_equal(f->run->s.regs.crs[i], want);
	}
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_TODPR), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_CPU_TIMER), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_CLOCK_COMP), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_PP), 0);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_GBEA), 1);
	assert_int_equal(f->run->s.regs.todpr, 0);
	assert_int_equal(f->run->s.regs.cputm, 0);
	assert_int_equal(f->run->s.regs.ckc, 0);
	assert_int_equal(f->run->s.regs.pp, 0);
	assert_int_equal(f->run->s.regs.gbea, 1);
	assert_int_equal(io(f->vcpu, KVM_GET_FPU, &fpu), 0);
	assert_int_equal(fpu.fpc, 0);
	assert_int_equal(f->run->s.regs.fpc, 0);
}

static void test_normal_reset(void **state)
{
	struct fix *f = *state;
	struct kvm_sregs sregs;

	dirty_everything(f);
	assert_int_equal(ion(f->vcpu, KVM_S390_NORMAL_RESET, 0), 0);
	assert_normal_kept(f, false);
	/* CR2, CR8, CR10, CR11 and the PSW are left alone */
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &sregs), 0);
	assert_int_equal(sregs.crs[2], 0xff00000000000002ULL);
	assert_int_equal(sregs.crs[8], 0xff00000000000008ULL);
	assert_int_equal(sregs.crs[10], 0xff0000000000000aULL);
	assert_int_equal(sregs.crs[11], 0xff0000000000000bULL);
	assert_int_equal(f->run->psw_addr, 0x1234);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_GBEA), 0x4444);
	assert_int_equal(get1(f->vcpu, KVM_REG_S390_CPU_TIMER), 0x1111);
}

static void test_initial_reset(void **state)
{
	struct fix *f = *state;

	dirty_everything(f);
	assert_int_equal(ion(f->vcpu, KVM_S390_INITIAL_RESET, 0), 0);
	assert_normal_kept(f, false);
	assert_initial_done(f);
}

static void test_clear_reset(void **state)
{
	struct fix *f = *state;

	dirty_everything(f);
	f->run->s.regs.etoken = 9;
	f->run->s.regs.gscb[1] = 9;
	assert_int_equal(ion(f->vcpu, KVM_S390_CLEAR_RESET, 0), 0);
	assert_normal_kept(f, true);
	assert_initial_done(f);
	assert_int_equal(f->run->s.regs.etoken, 0);
	assert_int_equal(f->run->s.regs.gscb[1], 0);
}

/* Resets leave floating interrupts alone. */
static void test_reset_keeps_floating(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_interrupt in = { .type = KVM_S390_INT_SERVICE,
					 .parm = 0x1000 };
	struct sk_vm *vm = sk_lookup_vm(f->vm);

	assert_int_equal(io(f->vm, KVM_S390_INTERRUPT, &in), 0);
	assert_int_equal(ion(f->vcpu, KVM_S390_CLEAR_RESET, 0), 0);
	assert_true(vm->fi.pending != 0);
}

/* ------------------------------------------------------------------------ */
/* STORE STATUS                                                             */
/* ------------------------------------------------------------------------ */

static void check_save_area(const uint8_t *sa, uint32_t prefix)
{
	for (int i = 0; i < 16; i++) {
		assert_int_equal(get_be64(sa + 8 * i), 0x4010000000000000ULL + i);
		assert_int_equal(get_be64(sa + 0x80 + 8 * i),
				 0xffffffffffff0000ULL + i);
		assert_int_equal(get_be32(sa + 0x140 + 4 * i), 0x9000u + i);
		assert_int_equal(get_be64(sa + 0x180 + 8 * i),
				 0xff00000000000000ULL + i);
	}
	/* the SIE PSW (from the last exit: none yet), not kvm_run's */
	assert_int_equal(get_be64(sa + 0x100), 0);
	assert_int_equal(get_be64(sa + 0x108), 0);
	assert_int_equal(get_be32(sa + 0x118), prefix);
	assert_int_equal(get_be32(sa + 0x11c), 1);
	assert_int_equal(get_be32(sa + 0x124), 0xabcd);
	assert_int_equal(get_be64(sa + 0x128), 0x1111);
	assert_int_equal(get_be64(sa + 0x130), 0x22);   /* CKC >> 8 */
}

static void test_store_status(void **state)
{
	struct fix *f = *state;
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu);

	dirty_everything(f);
	/* at an address: 512 bytes there, no mode byte */
	assert_int_equal(ion(f->vcpu, KVM_S390_STORE_STATUS, 0x10000), 0);
	check_save_area(f->ram + 0x10000, 0);
	assert_int_equal(f->ram[163], 0);
	/* NOADDR: absolute 0x1200 and byte 163 = 1 */
	assert_int_equal(ion(f->vcpu, KVM_S390_STORE_STATUS,
			     KVM_S390_STORE_STATUS_NOADDR), 0);
	check_save_area(f->ram + 0x1200, 0);
	assert_int_equal(f->ram[163], 1);
	/* PREFIXED: the prefix area (absolute = prefix) */
	v->sie.prefix = 0x20000;
	assert_int_equal(ion(f->vcpu, KVM_S390_STORE_STATUS,
			     KVM_S390_STORE_STATUS_PREFIXED), 0);
	check_save_area(f->ram + 0x21200, 0x20000);
	assert_int_equal(f->ram[0x20000 + 163], 1);
	/* outside guest memory */
	assert_int_equal(ion(f->vcpu, KVM_S390_STORE_STATUS, 2 * MiB - 256),
			 -EFAULT);
	v->sie.prefix = 4 * MiB;
	assert_int_equal(ion(f->vcpu, KVM_S390_STORE_STATUS,
			     KVM_S390_STORE_STATUS_PREFIXED), -EFAULT);
	v->sie.prefix = 0;
}

/* A STOP with STORE_STATUS on a stopped vCPU stores at once (spec 4.3). */
static void test_stop_store_status(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq irq = mkirq(KVM_S390_SIGP_STOP);

	dirty_everything(f);
	assert_int_equal(ion(f->vcpu, KVM_S390_NORMAL_RESET, 0), 0);
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), 0);
	check_save_area(f->ram + 0x1200, 0);
	assert_int_equal(f->ram[163], 1);
	memset(f->ram + 0x1200, 0, 512);
	/* the same through SET_IRQ_STATE */
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, &irq,
				   IRQ_SZ), 0);
	check_save_area(f->ram + 0x1200, 0);
	irq.u.stop.flags = 2;
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), -EINVAL);
}

/* ------------------------------------------------------------------------ */
/* Interrupts and IRQ state through the vCPU fd                             */
/* ------------------------------------------------------------------------ */

static void test_irq_inject(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq irq = mkirq(KVM_S390_INT_EMERGENCY), out[4];
	struct kvm_s390_interrupt in = { .type = KVM_S390_PROGRAM_INT,
					 .parm = 0x0005 };
	int v0 = (int)ion(f->vm, KVM_CREATE_VCPU, 0);

	irq.u.emerg.code = 0;
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), 0);
	irq.u.emerg.code = 1;   /* no vCPU 1 */
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), -EINVAL);
	irq = mkirq(KVM_S390_INT_SERVICE);   /* floating: not on a vCPU */
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &irq), -EINVAL);
	assert_int_equal(io(f->vcpu, KVM_S390_INTERRUPT, &in), 0);
	in.parm = 0x10000;
	assert_int_equal(io(f->vcpu, KVM_S390_INTERRUPT, &in), -EINVAL);
	in.type = KVM_S390_INT_SERVICE;
	assert_int_equal(io(f->vcpu, KVM_S390_INTERRUPT, &in), -EINVAL);
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, NULL), -EFAULT);
	/* program (bit 25) before emergency entries */
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, out,
				   sizeof(out)), 2 * IRQ_SZ);
	assert_int_equal(out[0].type, KVM_S390_PROGRAM_INT);
	assert_int_equal(out[0].u.pgm.code, 5);
	assert_int_equal(out[1].type, KVM_S390_INT_EMERGENCY);
	assert_int_equal(out[1].u.emerg.code, 0);
	hv_close(v0);
}

static void test_irq_state_errors(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq buf[4];
	struct kvm_s390_irq set[3];
	int v0 = (int)ion(f->vm, KVM_CREATE_VCPU, 0);

	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf, 0),
			 -EINVAL);
	/* a bad buffer is only noticed when there is something to copy,
	 * as in the kernel */
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, NULL,
				   IRQ_SZ), 0);
	set[0] = mkirq(KVM_S390_RESTART);
	assert_int_equal(io(f->vcpu, KVM_S390_IRQ, &set[0]), 0);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, NULL,
				   IRQ_SZ), -EFAULT);
	assert_int_equal(ion(f->vcpu, KVM_S390_NORMAL_RESET, 0), 0);
	assert_int_equal(io(f->vcpu, KVM_S390_GET_IRQ_STATE, NULL), -EFAULT);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, buf, 0),
			 -EINVAL);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, buf, 71),
			 -EINVAL);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, buf,
				   72 * 288), -EINVAL);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, NULL,
				   IRQ_SZ), -EFAULT);

	/* first failing entry stops, no rollback */
	set[0] = mkirq(KVM_S390_RESTART);
	set[1] = mkirq(KVM_S390_INT_EXTERNAL_CALL);
	set[1].u.extcall.code = 7;   /* no such vCPU */
	set[2] = mkirq(KVM_S390_INT_CPU_TIMER);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, set,
				   sizeof(set)), -EINVAL);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf,
				   sizeof(buf)), IRQ_SZ);
	assert_int_equal(buf[0].type, KVM_S390_RESTART);
	/* anything pending: EBUSY */
	set[1].u.extcall.code = 0;
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, set,
				   sizeof(set)), -EBUSY);
	/* ENOBUFS when the next entry does not fit */
	assert_int_equal(ion(f->vcpu, KVM_S390_CLEAR_RESET, 0), 0);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_SET_IRQ_STATE, set,
				   sizeof(set)), 0);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf,
				   2 * IRQ_SZ), -ENOBUFS);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, buf,
				   sizeof(buf)), 3 * IRQ_SZ);
	hv_close(v0);
}

/* ------------------------------------------------------------------------ */
/* Logical MEM_OP                                                           */
/* ------------------------------------------------------------------------ */

static long memop(struct fix *f, uint32_t op, uint64_t flags, uint64_t ga,
		  void *buf, uint32_t size)
{
	struct kvm_s390_mem_op mop;

	memset(&mop, 0, sizeof(mop));
	mop.gaddr = ga;
	mop.flags = flags;
	mop.size = size;
	mop.op = op;
	mop.buf = (uint64_t)(uintptr_t)buf;
	return io(f->vcpu, KVM_S390_MEM_OP, &mop);
}

static void test_logical_mem_op(void **state)
{
	struct fix *f = *state;
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu);
	uint8_t data[8] = { 0xa, 0xb, 0xc, 0xd, 1, 2, 3, 4 }, back[8];
	struct kvm_s390_irq out[2];
	struct kvm_s390_mem_op mop = { 0 };

	v->sie.psw_mask = 0x0000000180000000ULL;   /* 64-bit, DAT off */
	/* real 0..8K is relocated to the prefix area and back */
	v->sie.prefix = 0x10000;
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0, 0x100,
			       data, 8), 0);
	assert_memory_equal(f->ram + 0x10100, data, 8);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0, 0x10200,
			       data, 4), 0);
	assert_memory_equal(f->ram + 0x200, data, 4);
	memset(back, 0, sizeof(back));
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 0, 0x100,
			       back, 8), 0);
	assert_memory_equal(back, data, 8);
	/* a range that leaves memory: addressing, nothing written */
	memset(f->ram + 2 * MiB - 4, 0, 4);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0,
			       2 * MiB - 4, data, 8), 5);
	assert_int_equal(f->ram[2 * MiB - 4], 0);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ,
			       KVM_S390_MEMOP_F_CHECK_ONLY, 2 * MiB, NULL, 1),
			 5);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ,
			       KVM_S390_MEMOP_F_CHECK_ONLY, 0, NULL, 1), 0);
	/* low-address protection for stores (CR0 bit 35) */
	v->sie.cr[0] = 0x10000000;
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0, 0x100,
			       data, 1), 4);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0, 0x1200,
			       data, 1), 0);   /* 4096+512.. is not low */
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 0, 0x100,
			       back, 1), 0);
	/* INJECT_EXCEPTION leaves the program interrupt pending */
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE,
			       KVM_S390_MEMOP_F_INJECT_EXCEPTION, 0x100, data,
			       1), 4);
	assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE, out,
				   sizeof(out)), IRQ_SZ);
	assert_int_equal(out[0].type, KVM_S390_PROGRAM_INT);
	assert_int_equal(out[0].u.pgm.code, 4);
	v->sie.cr[0] = 0;
	/* 24-bit mode wraps the address */
	v->sie.psw_mask = 0;
	v->sie.prefix = 0;
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_WRITE, 0, 0x1003000,
			       data, 2), 0);
	assert_memory_equal(f->ram + 0x3000, data, 2);
	/* argument checks */
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 0, 0, back, 0),
			 -EINVAL);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 0, 0, back,
			       65537), -E2BIG);
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 1ULL << 5, 0,
			       back, 1), -EINVAL);
	assert_int_equal(memop(f, KVM_S390_MEMOP_SIDA_READ, 0, 0, back, 1),
			 -EINVAL);
	assert_int_equal(memop(f, KVM_S390_MEMOP_ABSOLUTE_READ, 0, 0, back, 1),
			 -EINVAL);
	mop.size = 1;
	mop.buf = (uint64_t)(uintptr_t)back;
	mop.ar = 16;
	assert_int_equal(io(f->vcpu, KVM_S390_MEM_OP, &mop), -EINVAL);
	v->sie.psw_mask = 0x0400000180000000ULL;   /* DAT on: not yet */
	assert_int_equal(memop(f, KVM_S390_MEMOP_LOGICAL_READ, 0, 0, back, 1),
			 -EOPNOTSUPP);
	v->sie.psw_mask = 0;
}

/* ------------------------------------------------------------------------ */
/* Sync registers and KVM_RUN entry                                         */
/* ------------------------------------------------------------------------ */

static void test_sync_regs(void **state)
{
	struct fix *f = *state;
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu);
	struct kvm_run *run = f->run;
	struct kvm_sregs sregs;

	/* invalid bits: EINVAL from KVM_RUN, after immediate_exit */
	run->kvm_valid_regs |= 0x80000000;
	assert_int_equal(ion(f->vcpu, KVM_RUN, 0), -EINVAL);
	run->immediate_exit = 1;
	run->kvm_dirty_regs = KVM_SYNC_CRS;
	assert_int_equal(ion(f->vcpu, KVM_RUN, 0), -EINTR);
	assert_int_equal(run->kvm_dirty_regs, KVM_SYNC_CRS);   /* untouched */
	run->immediate_exit = 0;
	run->kvm_valid_regs = SK_VALID_REGS;
	run->kvm_dirty_regs = 0x2000;
	assert_int_equal(sk_sync_regs_check(run), -EINVAL);
	run->kvm_dirty_regs = 0x1fff;
	assert_int_equal(sk_sync_regs_check(run), 0);

	/* load: PSW always; other groups only with their dirty bit */
	run->psw_mask = 0x0000000180000000ULL;
	run->psw_addr = 0x4242;
	run->s.regs.prefix = 0x12345;   /* low 13 bits are dropped */
	run->s.regs.crs[0] = 0xE0;
	run->s.regs.cputm = 7;
	run->s.regs.ckc = 8;
	run->s.regs.todpr = 9;
	run->s.regs.pp = 10;
	run->s.regs.gbea = 11;
	run->s.regs.pft = 12;
	run->s.regs.pfs = 13;
	run->s.regs.pfc = 14;
	run->s.regs.diag318 = 15;
	run->s.regs.fpc = 0x80;   /* invalid: silently 0 */
	run->kvm_dirty_regs = 0;
	sk_sync_regs_load(v);
	assert_int_equal(v->sie.psw_addr, 0x4242);
	assert_int_equal(v->sie.prefix, 0);
	assert_int_equal(v->sie.cr[0], 0);
	assert_int_equal(v->sie.cputm, 0);
	assert_int_equal(v->sie.pft, KVM_S390_PFAULT_TOKEN_INVALID);
	assert_int_equal(run->s.regs.fpc, 0);
	run->kvm_dirty_regs = KVM_SYNC_PREFIX | KVM_SYNC_CRS | KVM_SYNC_ARCH0 |
			      KVM_SYNC_PFAULT | KVM_SYNC_DIAG318;
	sk_sync_regs_load(v);
	assert_int_equal(run->kvm_dirty_regs, 0);
	assert_int_equal(v->sie.prefix, 0x12000);
	assert_int_equal(v->sie.cr[0], 0xE0);
	assert_int_equal(v->sie.cputm, 7);
	assert_int_equal(v->sie.ckc, 8);
	assert_int_equal(v->sie.todpr, 9);
	assert_int_equal(v->sie.pp, 10);
	assert_int_equal(v->sie.gbea, 11);
	assert_int_equal(v->sie.pft, 12);
	assert_int_equal(v->sie.pfs, 13);
	assert_int_equal(v->sie.pfc, 14);
	assert_int_equal(v->sie.diag318, 15);
	assert_int_equal(io(f->vcpu, KVM_GET_SREGS, &sregs), 0);
	assert_int_equal(sregs.crs[0], 0xE0);

	/* store: everything back, overwriting values written without a
	 * dirty bit */
	v->sie.psw_addr = 0x5000;
	v->sie.cr[6] = 0xff000000;
	v->sie.cputm = 99;
	run->s.regs.crs[6] = 1;
	run->s.regs.gbea = 1234;
	sk_sync_regs_store(v);
	assert_int_equal(run->psw_addr, 0x5000);
	assert_int_equal(run->s.regs.prefix, 0x12000);
	assert_int_equal(run->s.regs.crs[6], 0xff000000);
	assert_int_equal(run->s.regs.cputm, 99);
	assert_int_equal(run->s.regs.gbea, 11);
	assert_int_equal(run->s.regs.pft, 12);
	assert_int_equal(run->s.regs.diag318, 15);

	/* KVM_RUN itself (test_softkvm_run.c has the rest): a disabled
	 * wait PSW exits at once with the wait intercept */
	run->psw_mask = 0x0002000180000000ULL;
	run->psw_addr = 0xfff;
	assert_int_equal(ion(f->vcpu, KVM_RUN, 0), 0);
	assert_int_equal(run->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(run->s390_sieic.icptcode, 0x1c);
}

/* ------------------------------------------------------------------------ */
/* Locking: KVM_S390_IRQ while the vCPU mutex is held                       */
/* ------------------------------------------------------------------------ */

struct waiter {
	int fd;
	volatile int done;
	long result;
	struct kvm_s390_irq buf[4];
};

static void *get_state_thread(void *p)
{
	struct waiter *w = p;

	w->result = irq_state(w->fd, KVM_S390_GET_IRQ_STATE, w->buf,
			      sizeof(w->buf));
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct injector {
	int fd;
	unsigned src;
	long result;
};

static void *inject_thread(void *p)
{
	struct injector *in = p;
	struct kvm_s390_irq irq = mkirq(KVM_S390_INT_EMERGENCY);

	irq.u.emerg.code = (uint16_t)in->src;
	in->result = io(in->fd, KVM_S390_IRQ, &irq);
	return NULL;
}

static void test_async_irq_while_running(void **state)
{
	struct fix *f = *state;
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu);
	struct waiter w = { .fd = f->vcpu };
	struct injector in[8];
	pthread_t t, ti[8];
	struct timespec ms = { 0, 20 * 1000 * 1000 };
	int extra[8];

	for (unsigned i = 0; i < 8; i++) {
		extra[i] = (int)ion(f->vm, KVM_CREATE_VCPU, 10 + i);
		assert_true(extra[i] >= 0);
	}
	/* this thread plays a vCPU sitting in KVM_RUN */
	pthread_mutex_lock(&v->ioctl_lock);
	assert_int_equal(pthread_create(&t, NULL, get_state_thread, &w), 0);
	nanosleep(&ms, NULL);
	assert_false(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	/* async injection from several threads completes meanwhile */
	for (unsigned i = 0; i < 8; i++) {
		in[i] = (struct injector){ f->vcpu, 10 + i, -1 };
		assert_int_equal(pthread_create(&ti[i], NULL, inject_thread,
						&in[i]), 0);
	}
	for (unsigned i = 0; i < 8; i++) {
		pthread_join(ti[i], NULL);
		assert_int_equal(in[i].result, 0);
	}
	assert_false(__atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	pthread_mutex_unlock(&v->ioctl_lock);
	pthread_join(t, NULL);
	/* 8 emergency entries do not fit into 4: ENOBUFS */
	assert_int_equal(w.result, -ENOBUFS);
	{
		struct kvm_s390_irq all[10];

		assert_int_equal(irq_state(f->vcpu, KVM_S390_GET_IRQ_STATE,
					   all, sizeof(all)), 8 * IRQ_SZ);
		for (unsigned i = 0; i < 8; i++)
			assert_int_equal(all[i].u.emerg.code, 10 + i);
	}
	for (unsigned i = 0; i < 8; i++)
		hv_close(extra[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_bring_up),
		T(test_initial_state),
		T(test_run_mmap),
		T(test_regs),
		T(test_mp_state),
		T(test_reset_stops),
		T(test_normal_reset),
		T(test_initial_reset),
		T(test_clear_reset),
		T(test_reset_keeps_floating),
		T(test_store_status),
		T(test_stop_store_status),
		T(test_irq_inject),
		T(test_irq_state_errors),
		T(test_logical_mem_op),
		T(test_sync_regs),
		T(test_async_irq_while_running),
#undef T
	};

	log_set_quiet(true);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
