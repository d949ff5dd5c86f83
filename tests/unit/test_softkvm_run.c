// SPDX-License-Identifier: MIT
/*
 * softkvm KVM_RUN through hv_ioctl, with tiny hand-assembled guests:
 * instruction intercepts (SERVC, DIAG 0x500, DIAG 0x308), the disabled
 * and the enabled wait, SIGP between vCPU threads, the clock comparator,
 * kicks (immediate_exit, a signal while running and while waiting), sync
 * registers and USER_SIGP. Encodings from s390x-linux-gnu-as.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "bswap.h"
#include "guest-mem.h"
#include "hv.h"
#include "softkvm/run.h"

#define MiB (1ULL << 20)
#define CODE 0x10000ULL
#define PSW_64 0x0000000180000000ULL
#define PSW_EXT 0x0100000000000000ULL
#define PSW_WAIT 0x0002000000000000ULL
#define PSW_DAT 0x0400000000000000ULL
#define CR0_EMERG 0x4000ULL
#define CR0_EXTCALL 0x2000ULL
#define CR0_CKC 0x0800ULL
#define NVCPU 3

struct fix {
	int sys, vm;
	int vcpu[NVCPU];
	struct kvm_run *run[NVCPU];
	struct guest_mem mem;
	uint8_t *ram;
};

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

static void enable_cap(struct fix *f, uint32_t cap)
{
	struct kvm_enable_cap c = { .cap = cap };

	assert_int_equal(io(f->vm, KVM_ENABLE_CAP, &c), 0);
}

static int setup(void **state)
{
	static struct fix f;
	struct kvm_userspace_memory_region m = { .slot = 0 };

	memset(&f, 0, sizeof(f));
	f.sys = hv_open(ACCEL_SOFT);
	f.vm = (int)ion(f.sys, KVM_CREATE_VM, 0);
	assert_int_equal(guest_mem_alloc(&f.mem, 2 * MiB), 0);
	f.ram = f.mem.base;
	m.memory_size = 2 * MiB;
	m.userspace_addr = (uint64_t)(uintptr_t)f.mem.base;
	assert_int_equal(io(f.vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	for (int i = 0; i < NVCPU; i++) {
		f.vcpu[i] = (int)ion(f.vm, KVM_CREATE_VCPU, (unsigned long)i);
		assert_true(f.vcpu[i] >= 0);
		f.run[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_SHARED, f.vcpu[i], 0);
		assert_true(f.run[i] != MAP_FAILED);
		assert_int_equal(ion(f.vcpu[i], KVM_S390_INITIAL_RESET, 0), 0);
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (int i = 0; i < NVCPU; i++) {
		munmap(f->run[i], 4096);
		hv_close(f->vcpu[i]);
	}
	hv_close(f->vm);
	hv_close(f->sys);
	guest_mem_free(&f->mem);
	return 0;
}

static void put_psw(struct fix *f, uint64_t at, uint64_t mask, uint64_t addr);

/*
 * Guest code: bytes at CODE, PSW (64-bit, nothing enabled) there, and a
 * program-new PSW that is a disabled wait at 0xbad0 so that a wrong test
 * ends instead of looping.
 */
static void load(struct fix *f, int cpu, const uint8_t *code, size_t n)
{
	memcpy(f->ram + CODE, code, n);
	put_psw(f, 0x1d0, 0x0002000180000000ULL, 0xbad0);
	f->run[cpu]->psw_mask = PSW_64;
	f->run[cpu]->psw_addr = CODE;
}

static void put_psw(struct fix *f, uint64_t at, uint64_t mask, uint64_t addr)
{
	put_be64(f->ram + at, mask);
	put_be64(f->ram + at + 8, addr);
}

/* CR0 (and the reset values of the others) through the sync regs. */
static void set_cr0(struct fix *f, int cpu, uint64_t bits)
{
	struct kvm_run *run = f->run[cpu];

	memset(run->s.regs.crs, 0, sizeof(run->s.regs.crs));
	run->s.regs.crs[0] = 0xE0 | bits;
	run->s.regs.crs[14] = 0xC2000000;
	run->kvm_dirty_regs |= KVM_SYNC_CRS;
}

static long run1(struct fix *f, int cpu)
{
	return ion(f->vcpu[cpu], KVM_RUN, 0);
}

static unsigned ipm_cc(uint64_t r)
{
	return (unsigned)(r >> 28) & 3;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------------------ */
/* Exits                                                                    */
/* ------------------------------------------------------------------------ */

static void test_servc_exit(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0xb2, 0x20, 0x00, 0x12 };

	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 4);
	assert_int_equal(f->run[0]->s390_sieic.ipa, 0xb220);
	assert_int_equal(f->run[0]->s390_sieic.ipb, 0x00120000);
	assert_int_equal(f->run[0]->psw_addr, CODE + 4);
	assert_int_equal(f->run[0]->psw_mask, PSW_64);
	/* Not user-controlled: KVM_RUN started the vCPU. */
	assert_int_equal(ion(f->vcpu[0], KVM_GET_MP_STATE, 0),
			 KVM_MP_STATE_OPERATING);
}

static void test_servc_problem_state(void **state)
{
	struct fix *f = *state;
	/* servc in problem state: privileged operation, then the
	 * program-new PSW (a disabled wait at 0x2222). */
	static const uint8_t code[] = { 0xb2, 0x20, 0x00, 0x12 };

	load(f, 0, code, sizeof(code));
	f->run[0]->psw_mask = PSW_64 | 0x0001000000000000ULL;
	put_psw(f, 0x1d0, PSW_64 | PSW_WAIT, 0x2222);
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[0]->psw_addr, 0x2222);
	assert_int_equal(get_be16(f->ram + 0x8e), 0x02);
	assert_int_equal(get_be64(f->ram + 0x158), CODE + 4);
}

static void test_diag500_exit(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0x83, 0x00, 0x05, 0x00 };

	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 4);
	assert_int_equal(f->run[0]->s390_sieic.ipa >> 8, 0x83);
	assert_int_equal(f->run[0]->s390_sieic.ipb >> 16, 0x0500);
	assert_int_equal(f->run[0]->psw_addr, CODE + 4);
}

static void test_diag308_reset(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xa7, 0x39, 0x00, 0x03,   /* lghi %r3,3 */
		0x83, 0x13, 0x03, 0x08,   /* diag %r1,%r3,0x308 */
	};

	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_RESET);
	assert_int_equal(f->run[0]->s390_reset_flags, 0x1e);
	assert_int_equal(f->run[0]->psw_addr, CODE + 8);
	/* Without user-controlled CPU state the kernel stops the vCPU. */
	assert_int_equal(ion(f->vcpu[0], KVM_GET_MP_STATE, 0),
			 KVM_MP_STATE_STOPPED);
}

static void test_disabled_wait(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0xb2, 0xb2, 0x02, 0x00 }; /* lpswe */

	load(f, 0, code, sizeof(code));
	put_psw(f, 0x200, PSW_64 | PSW_WAIT, 0xffe);  /* see docs: 0xfff */
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[0]->psw_mask, PSW_64 | PSW_WAIT);
	assert_int_equal(f->run[0]->psw_addr, 0xffe);
}

static void test_dat_refused(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0x07, 0x07 };

	load(f, 0, code, sizeof(code));
	f->run[0]->psw_mask |= PSW_DAT;
	assert_int_equal(run1(f, 0), -EOPNOTSUPP);
	assert_int_equal(f->run[0]->psw_mask, PSW_64 | PSW_DAT);
}

static void test_io_insn_cc3(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xb2, 0x33, 0x00, 0x00,   /* ssch 0 */
		0xb2, 0x22, 0x00, 0x60,   /* ipm %r6 */
		0x83, 0x00, 0x05, 0x00,   /* diag 0x500 */
	};

	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.ipa, 0x8300);
	assert_int_equal(ipm_cc(f->run[0]->s.regs.gprs[6]), 3);
}

static void test_stsi(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xa7, 0x09, 0x00, 0x00,   /* lghi %r0,0 */
		0xb2, 0x7d, 0x00, 0x00,   /* stsi 0 */
		0xb9, 0x04, 0x00, 0x50,   /* lgr %r5,%r0 */
		0xa7, 0x19, 0x00, 0x02,   /* lghi %r1,2 */
		0xa5, 0x0f, 0x00, 0x02,   /* llill %r0,2 */
		0xa5, 0x0a, 0x30, 0x00,   /* oilh %r0,0x3000 */
		0xa7, 0x29, 0x10, 0x00,   /* lghi %r2,0x1000 -> 0x20000 */
		0xb2, 0x7d, 0x20, 0x00,   /* stsi 0(%r2) */
		0x83, 0x00, 0x05, 0x00,
	};

	enable_cap(f, KVM_CAP_S390_USER_STSI);
	load(f, 0, code, sizeof(code));
	f->ram[CODE + 26] = 0x20;   /* lghi %r2,0x2000 */
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_STSI);
	assert_int_equal(f->run[0]->s.regs.gprs[5], 3ULL << 28);
	assert_int_equal(f->run[0]->s390_stsi.addr, 0x2000);
	assert_int_equal(f->run[0]->s390_stsi.fc, 3);
	assert_int_equal(f->run[0]->s390_stsi.sel1, 2);
	assert_int_equal(f->run[0]->s390_stsi.sel2, 2);
	assert_int_equal(f->run[0]->s.regs.gprs[0], 0);
	assert_int_equal(f->ram[0x2000 + 31] & 0xf, 1);            /* count */
	assert_int_equal(get_be16(f->ram + 0x2000 + 36), NVCPU);   /* total */
	assert_int_equal(f->run[0]->psw_addr, CODE + 32);
	/* Resumes after the STSI. */
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.ipa, 0x8300);
}

/* ------------------------------------------------------------------------ */
/* SIGP across vCPU threads                                                 */
/* ------------------------------------------------------------------------ */

struct runner {
	struct fix *f;
	int cpu;
	long r;
	double t_ret;
};

/* Poll softkvm's view until vCPU cpu is inside KVM_RUN (and, if idle,
 * parked in its enabled wait). */
static void wait_in_run(struct fix *f, int cpu, bool idle)
{
	struct sk_vcpu *v = sk_lookup_vcpu(f->vcpu[cpu]);

	for (int i = 0; i < 5000; i++) {
		bool ok;

		pthread_mutex_lock(&v->lock);
		ok = v->cpu && v->cpu->in_run && (!idle || v->cpu->idle);
		pthread_mutex_unlock(&v->lock);
		if (ok)
			return;
		usleep(1000);
	}
	fail_msg("vCPU %d never got there", cpu);
}

static void *run_thread(void *p)
{
	struct runner *rn = p;

	rn->r = run1(rn->f, rn->cpu);
	rn->t_ret = now_ms();
	return NULL;
}

/* vCPU cpu waits enabled for externals; its ext-new PSW is a disabled
 * wait at 0xe0e0. Prefix 0x20000 * cpu keeps the lowcores apart. */
static void park_enabled(struct fix *f, int cpu, uint64_t cr0)
{
	uint32_t px = 0x20000u * (uint32_t)cpu;

	f->run[cpu]->s.regs.prefix = px;
	f->run[cpu]->kvm_dirty_regs |= KVM_SYNC_PREFIX;
	set_cr0(f, cpu, cr0);
	put_psw(f, px + 0x1b0, PSW_64 | PSW_WAIT, 0xe0e0);
	f->run[cpu]->psw_mask = PSW_64 | PSW_EXT | PSW_WAIT;
	f->run[cpu]->psw_addr = 0x4444;
}

static void test_sigp_sense_emergency(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xa7, 0x39, 0x00, 0x01,   /* lghi %r3,1 */
		0xae, 0x43, 0x00, 0x01,   /* sigp %r4,%r3,SENSE */
		0xb2, 0x22, 0x00, 0x60,   /* ipm %r6 */
		0xae, 0x43, 0x00, 0x03,   /* sigp %r4,%r3,EMERGENCY */
		0xb2, 0x22, 0x00, 0x70,   /* ipm %r7 */
		0xa7, 0x39, 0x00, 0x02,   /* lghi %r3,2 */
		0xae, 0x83, 0x00, 0x01,   /* sigp %r8,%r3,SENSE */
		0xb2, 0x22, 0x00, 0x90,   /* ipm %r9 */
		0xa7, 0x39, 0x00, 0x07,   /* lghi %r3,7 */
		0xae, 0x43, 0x00, 0x01,   /* sigp %r4,%r3,SENSE */
		0xb2, 0x22, 0x00, 0xa0,   /* ipm %r10 */
		0x83, 0x00, 0x05, 0x00,   /* diag 0x500 */
	};
	struct runner rn = { .f = f, .cpu = 1 };
	pthread_t t;
	struct kvm_run *r0 = f->run[0];

	park_enabled(f, 1, CR0_EMERG);
	assert_int_equal(pthread_create(&t, NULL, run_thread, &rn), 0);
	wait_in_run(f, 1, false);
	load(f, 0, code, sizeof(code));
	r0->s.regs.gprs[4] = 0xaaaaaaaa55555555ULL;
	r0->s.regs.gprs[8] = 0xaaaaaaaa55555555ULL;
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(r0->s390_sieic.ipa, 0x8300);
	assert_int_equal(ipm_cc(r0->s.regs.gprs[6]), 0);   /* SENSE: CC 0 */
	assert_int_equal(ipm_cc(r0->s.regs.gprs[7]), 0);   /* EMERGENCY */
	assert_int_equal(ipm_cc(r0->s.regs.gprs[9]), 1);   /* stopped */
	assert_int_equal(r0->s.regs.gprs[8], 0xaaaaaaaa00000040ULL);
	assert_int_equal(ipm_cc(r0->s.regs.gprs[10]), 3);  /* no CPU 7 */
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(rn.r, 0);
	/* The target took the emergency signal from CPU 0 and stopped in
	 * the disabled wait of its ext-new PSW. */
	assert_int_equal(f->run[1]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[1]->psw_addr, 0xe0e0);
	assert_int_equal(get_be16(f->ram + 0x20000 + 0x86), 0x1201);
	assert_int_equal(get_be16(f->ram + 0x20000 + 0x84), 0);
	assert_int_equal(get_be64(f->ram + 0x20000 + 0x130),
			 PSW_64 | PSW_EXT | PSW_WAIT);
	assert_int_equal(get_be64(f->ram + 0x20000 + 0x138), 0x4444);
	/* CPU 0's lowcore is untouched. */
	assert_int_equal(get_be16(f->ram + 0x86), 0);
}

static void test_sigp_stop_user_sigp(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xa7, 0x39, 0x00, 0x00,   /* lghi %r3,0 (itself) */
		0xae, 0x43, 0x00, 0x05,   /* sigp %r4,%r3,STOP */
		0x83, 0x00, 0x05, 0x00,
	};

	/* Without USER_SIGP the kernel takes the STOP: the vCPU stops at
	 * the next boundary with the stop intercept. */
	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x28);
	assert_int_equal(f->run[0]->psw_addr, CODE + 8);
	assert_int_equal(ion(f->vcpu[0], KVM_GET_MP_STATE, 0),
			 KVM_MP_STATE_STOPPED);

	/* With USER_SIGP it exits as an instruction intercept. */
	enable_cap(f, KVM_CAP_S390_USER_SIGP);
	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 4);
	assert_int_equal(f->run[0]->s390_sieic.ipa, 0xae43);
	assert_int_equal(f->run[0]->s390_sieic.ipb, 0x00050000);
	assert_int_equal(f->run[0]->psw_addr, CODE + 8);
	assert_int_equal(ion(f->vcpu[0], KVM_GET_MP_STATE, 0),
			 KVM_MP_STATE_OPERATING);
}

static void test_stop_store_status(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_STOP };
	static const uint8_t code[] = { 0xa7, 0xf4, 0x00, 0x00 }; /* j . */

	load(f, 0, code, sizeof(code));
	f->run[0]->s.regs.gprs[9] = 0x0909;
	irq.u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	/* SET_MP_STATE makes CPU state user-controlled. */
	{
		struct kvm_mp_state mp = { KVM_MP_STATE_OPERATING };

		assert_int_equal(io(f->vcpu[0], KVM_SET_MP_STATE, &mp), 0);
	}
	assert_int_equal(io(f->vcpu[0], KVM_S390_IRQ, &irq), 0);
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x28);
	assert_int_equal(get_be64(f->ram + 0x1280 + 8 * 9), 0x0909);
	assert_int_equal(get_be64(f->ram + 0x1308), CODE);
	assert_int_equal(f->ram[163], 1);
	/* User-controlled: the vCPU is not stopped, the stop stays. */
	assert_int_equal(ion(f->vcpu[0], KVM_GET_MP_STATE, 0),
			 KVM_MP_STATE_OPERATING);
}

/* ------------------------------------------------------------------------ */
/* Waits, timers and kicks                                                  */
/* ------------------------------------------------------------------------ */

static void test_wait_woken_by_irq(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_EXTERNAL_CALL };
	struct runner rn = { .f = f, .cpu = 1 };
	double t_inj, worst = 0, sum = 0;
	pthread_t t;
	const int rounds = 20;

	for (int i = 0; i < rounds; i++) {
		park_enabled(f, 1, CR0_EXTCALL);
		assert_int_equal(pthread_create(&t, NULL, run_thread, &rn), 0);
		wait_in_run(f, 1, true);
		irq.u.extcall.code = 2;
		t_inj = now_ms();
		assert_int_equal(io(f->vcpu[1], KVM_S390_IRQ, &irq), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
		assert_int_equal(rn.r, 0);
		assert_int_equal(f->run[1]->s390_sieic.icptcode, 0x1c);
		assert_int_equal(get_be16(f->ram + 0x20000 + 0x86), 0x1202);
		assert_int_equal(get_be16(f->ram + 0x20000 + 0x84), 2);
		if (rn.t_ret - t_inj > worst)
			worst = rn.t_ret - t_inj;
		sum += rn.t_ret - t_inj;
	}
	printf("# enabled-wait wake-up latency: mean %.3f ms, worst %.3f ms "
	       "(%d rounds)\n", sum / rounds, worst, rounds);
	assert_true(worst < 50.0);
}

static void test_float_wakes_waiter(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_interrupt in = {
		.type = KVM_S390_INT_SERVICE, .parm = 0x8000,
	};
	struct runner rn = { .f = f, .cpu = 1 };
	pthread_t t;

	park_enabled(f, 1, 0x200);   /* service-signal submask */
	assert_int_equal(pthread_create(&t, NULL, run_thread, &rn), 0);
	wait_in_run(f, 1, true);
	assert_int_equal(io(f->vm, KVM_S390_INTERRUPT, &in), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(rn.r, 0);
	assert_int_equal(get_be16(f->ram + 0x20000 + 0x86), 0x2401);
	assert_int_equal(get_be32(f->ram + 0x20000 + 0x80), 0x8000);
}

static void test_ckc_interrupt(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = {
		0xb2, 0x05, 0x03, 0x00,                 /* stck 0x300 */
		0xe3, 0x10, 0x03, 0x00, 0x00, 0x04,     /* lg %r1,0x300 */
		0xc2, 0x18, 0x00, 0x3e, 0x80, 0x00,     /* agfi %r1,1 ms */
		0xe3, 0x10, 0x03, 0x08, 0x00, 0x24,     /* stg %r1,0x308 */
		0xb2, 0x06, 0x03, 0x08,                 /* sckc 0x308 */
		0xb2, 0xb2, 0x03, 0x10,                 /* lpswe 0x310 */
	};
	double t0;

	load(f, 0, code, sizeof(code));
	set_cr0(f, 0, CR0_CKC);
	put_psw(f, 0x310, PSW_64 | PSW_EXT | PSW_WAIT, 0x5554);
	put_psw(f, 0x1b0, PSW_64 | PSW_WAIT, 0xc0c0);
	t0 = now_ms();
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[0]->psw_addr, 0xc0c0);
	assert_int_equal(get_be16(f->ram + 0x86), 0x1004);
	assert_int_equal(get_be64(f->ram + 0x138), 0x5554);
	assert_true(now_ms() - t0 >= 0.9);
	assert_int_equal(f->run[0]->s.regs.ckc, get_be64(f->ram + 0x308));
}

static void test_immediate_exit(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0x83, 0x00, 0x05, 0x00 };

	load(f, 0, code, sizeof(code));
	f->run[0]->exit_reason = 0x77;
	f->run[0]->immediate_exit = 1;
	f->run[0]->kvm_dirty_regs = KVM_SYNC_CRS;
	assert_int_equal(run1(f, 0), -EINTR);
	assert_int_equal(f->run[0]->exit_reason, 0x77);
	assert_int_equal(f->run[0]->kvm_dirty_regs, KVM_SYNC_CRS);
	f->run[0]->immediate_exit = 0;
	f->run[0]->kvm_dirty_regs = 0;
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.ipa, 0x8300);
}

static struct kvm_run *volatile kick_run;

static void on_kick(int sig)
{
	(void)sig;
	kick_run->immediate_exit = 1;
}

/* Kick vCPU 1's thread with SIGUSR1 (handler sets immediate_exit), as
 * the VMM does; returns the time from pthread_kill to KVM_RUN's return. */
static double kick(struct fix *f, struct runner *rn, bool idle)
{
	struct sigaction sa;
	pthread_t t;
	double t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;   /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	kick_run = f->run[1];
	f->run[1]->immediate_exit = 0;
	assert_int_equal(pthread_create(&t, NULL, run_thread, rn), 0);
	wait_in_run(f, 1, idle);
	usleep(2000);
	t0 = now_ms();
	pthread_kill(t, SIGUSR1);
	assert_int_equal(pthread_join(t, NULL), 0);
	signal(SIGUSR1, SIG_DFL);
	return rn->t_ret - t0;
}

static void test_kick_running(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0xa7, 0xf4, 0x00, 0x00 }; /* j . */
	struct runner rn = { .f = f, .cpu = 1 };
	double ms;

	load(f, 1, code, sizeof(code));
	ms = kick(f, &rn, false);
	assert_int_equal(rn.r, -EINTR);
	assert_int_equal(f->run[1]->exit_reason, KVM_EXIT_INTR);
	assert_int_equal(f->run[1]->psw_addr, CODE);
	printf("# kick while running: %.3f ms\n", ms);
	assert_true(ms < 50.0);
}

static void test_kick_waiting(void **state)
{
	struct fix *f = *state;
	struct runner rn = { .f = f, .cpu = 1 };
	double ms;

	park_enabled(f, 1, CR0_EXTCALL);
	ms = kick(f, &rn, true);
	assert_int_equal(rn.r, -EINTR);
	assert_int_equal(f->run[1]->exit_reason, KVM_EXIT_INTR);
	assert_int_equal(f->run[1]->psw_addr, 0x4444);
	assert_int_equal(f->run[1]->psw_mask, PSW_64 | PSW_EXT | PSW_WAIT);
	assert_int_equal(f->run[1]->s.regs.prefix, 0x20000);
	printf("# kick in an enabled wait: %.3f ms\n", ms);
	assert_true(ms < 50.0);
}

static void test_sync_regs_round_trip(void **state)
{
	struct fix *f = *state;
	struct kvm_run *run = f->run[0];
	static const uint8_t code[] = {
		0xa7, 0x2b, 0x00, 0x01,   /* aghi %r2,1 */
		0x83, 0x00, 0x05, 0x00,
	};
	struct kvm_sregs sr;

	load(f, 0, code, sizeof(code));
	for (int i = 0; i < 16; i++) {
		run->s.regs.gprs[i] = 0x1000 + (uint64_t)i;
		run->s.regs.acrs[i] = 0x100 + (uint32_t)i;
		run->s.regs.fprs[i] = 0x4000000000000000ULL + (uint64_t)i;
	}
	run->s.regs.fpc = 0x00000001;   /* rounding mode: valid */
	set_cr0(f, 0, CR0_CKC);
	run->s.regs.crs[6] = 0x12340000;
	run->s.regs.prefix = 0x40000;
	run->s.regs.todpr = 0xbeef;
	run->s.regs.ckc = 0x8000000000000000ULL;
	run->s.regs.cputm = 0x7000000000000000ULL;
	run->kvm_dirty_regs |= KVM_SYNC_PREFIX | KVM_SYNC_ARCH0;
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(run->s390_sieic.ipa, 0x8300);
	assert_int_equal(run->kvm_dirty_regs, 0);
	assert_int_equal(run->s.regs.gprs[2], 0x1003);
	assert_int_equal(run->s.regs.gprs[15], 0x100f);
	assert_int_equal(run->s.regs.acrs[7], 0x107);
	assert_int_equal(run->s.regs.fprs[3], 0x4000000000000003ULL);
	assert_int_equal(run->s.regs.fpc, 1);
	assert_int_equal(run->s.regs.crs[0], 0xE0 | CR0_CKC);
	assert_int_equal(run->s.regs.crs[6], 0x12340000);
	assert_int_equal(run->s.regs.prefix, 0x40000);
	assert_int_equal(run->s.regs.todpr, 0xbeef);
	assert_int_equal(run->s.regs.ckc, 0x8000000000000000ULL);
	assert_true(run->s.regs.cputm <= 0x7000000000000000ULL);
	assert_true(run->s.regs.cputm > 0x6fffffff00000000ULL);
	assert_int_equal(run->psw_addr, CODE + 8);
	/* The SIE-side copies agree. */
	assert_int_equal(io(f->vcpu[0], KVM_GET_SREGS, &sr), 0);
	assert_int_equal(sr.crs[6], 0x12340000);
	assert_int_equal(sr.acrs[7], 0x107);
	/* A second run without dirty bits keeps everything. */
	run->psw_addr = CODE;
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(run->s.regs.gprs[2], 0x1004);
	assert_int_equal(run->s.regs.prefix, 0x40000);
	assert_int_equal(run->s.regs.crs[6], 0x12340000);
}

static void test_pgm_loop(void **state)
{
	struct fix *f = *state;
	static const uint8_t code[] = { 0x00, 0x00 };   /* operation exc. */

	load(f, 0, code, sizeof(code));
	put_psw(f, 0x1d0, 0x8000000000000000ULL, 0);   /* invalid new PSW */
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x08);
	assert_int_equal(get_be16(f->ram + 0x8e), 0x01);
	assert_int_equal(get_be64(f->ram + 0x158), CODE + 2);
}

static void test_sigp_busy_restart_store(void **state)
{
	struct fix *f = *state;
	struct kvm_s390_irq irq = { .type = KVM_S390_RESTART };
	static const uint8_t code[] = {
		0xa7, 0x39, 0x00, 0x01,   /* lghi %r3,1 */
		0xae, 0x43, 0x00, 0x01,   /* sigp %r4,%r3,SENSE */
		0xb2, 0x22, 0x00, 0x60,   /* ipm %r6 */
		0xa7, 0x39, 0x00, 0x02,   /* lghi %r3,2 */
		0xa7, 0x59, 0x30, 0x00,   /* lghi %r5,0x3000 */
		0xae, 0x43, 0x00, 0x0e,   /* sigp %r4,%r3,STORE STATUS AT */
		0xb2, 0x22, 0x00, 0x70,   /* ipm %r7 */
		0xae, 0x43, 0x00, 0x06,   /* sigp %r4,%r3,RESTART */
	};
	struct kvm_run *r0 = f->run[0];

	/* CPU 1 has a restart pending: busy. CPU 2 is stopped: STORE
	 * STATUS AT ADDRESS is done at once; RESTART goes to user space. */
	assert_int_equal(io(f->vcpu[1], KVM_S390_IRQ, &irq), 0);
	f->run[2]->s.regs.gprs[11] = 0x2b2b;
	load(f, 0, code, sizeof(code));
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(ipm_cc(r0->s.regs.gprs[6]), 2);
	assert_int_equal(ipm_cc(r0->s.regs.gprs[7]), 0);
	assert_int_equal(get_be64(f->ram + 0x3000 + 0x80 + 8 * 11), 0x2b2b);
	assert_int_equal(r0->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(r0->s390_sieic.icptcode, 4);
	assert_int_equal(r0->s390_sieic.ipa, 0xae43);
	assert_int_equal(r0->s390_sieic.ipb, 0x00060000);
	assert_int_equal(r0->psw_addr, CODE + sizeof(code));
}

/*
 * CKC = 0x7fff...: unsigned it is long past (the TOD has bit 0 set since
 * 1972); signed (CR0 bit 10) it lies in the future, because the TOD is
 * negative. A pending service signal, of lower priority than the CKC,
 * shows which one was delivered.
 */
static void ckc_vs_service(struct fix *f, uint64_t sign, uint16_t expect)
{
	struct kvm_s390_interrupt in = {
		.type = KVM_S390_INT_SERVICE, .parm = 0x8000,
	};

	assert_int_equal(io(f->vm, KVM_S390_INTERRUPT, &in), 0);
	put_psw(f, 0x1b0, PSW_64 | PSW_WAIT, 0xc0c0);
	set_cr0(f, 0, CR0_CKC | 0x200 | sign);
	f->run[0]->s.regs.ckc = 0x7fffffffffffffffULL;
	f->run[0]->kvm_dirty_regs |= KVM_SYNC_ARCH0;
	f->run[0]->psw_mask = PSW_64 | PSW_EXT | PSW_WAIT;
	f->run[0]->psw_addr = 0x4444;
	assert_int_equal(run1(f, 0), 0);
	assert_int_equal(f->run[0]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[0]->psw_addr, 0xc0c0);
	assert_int_equal(get_be16(f->ram + 0x86), expect);
}

static void test_ckc_sign_control(void **state)
{
	struct fix *f = *state;
	struct kvm_device_attr a = {
		.group = KVM_DEV_FLIC_CLEAR_IRQS,
	};
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_FLIC };

	ckc_vs_service(f, 0x0020000000000000ULL, 0x2401);
	ckc_vs_service(f, 0, 0x1004);
	assert_int_equal(io(f->vm, KVM_CREATE_DEVICE, &cd), 0);
	assert_int_equal(io((int)cd.fd, KVM_SET_DEVICE_ATTR, &a), 0);
	hv_close((int)cd.fd);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_servc_exit),
		T(test_servc_problem_state),
		T(test_diag500_exit),
		T(test_diag308_reset),
		T(test_disabled_wait),
		T(test_dat_refused),
		T(test_io_insn_cc3),
		T(test_stsi),
		T(test_sigp_sense_emergency),
		T(test_sigp_stop_user_sigp),
		T(test_stop_store_status),
		T(test_wait_woken_by_irq),
		T(test_float_wakes_waiter),
		T(test_ckc_interrupt),
		T(test_immediate_exit),
		T(test_kick_running),
		T(test_kick_waiting),
		T(test_sync_regs_round_trip),
		T(test_pgm_loop),
		T(test_sigp_busy_restart_store),
		T(test_ckc_sign_control),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
