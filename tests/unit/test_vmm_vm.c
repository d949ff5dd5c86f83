// SPDX-License-Identifier: MIT
/*
 * The VMM against softkvm without KVM_RUN: the spec 1.3 bring-up, SIGP
 * orders carried out through hv_ioctl (no vCPU threads, so every order
 * runs on the caller), exits handled from synthetic kvm_run contents
 * (SERVC, DIAG, STSI, stop, disabled wait, unknown codes), the end of the
 * VM, and pause/resume with parked vCPU threads.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "config.h"
#include "diag.h"
#include "hv.h"
#include "sigp.h"
#include "stsi.h"
#include "vm.h"

#define MiB (1ULL << 20)

struct fix {
	struct zvmm_config cfg;
	struct guest_mem mem;
	struct elf_image img;
	struct vm vm;
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	config_defaults(&f.cfg);
	f.cfg.cpus = 4;
	f.cfg.mem_size = 2 * MiB;
	strcpy(f.cfg.name, "unit-vm");
	assert_int_equal(guest_mem_alloc(&f.mem, f.cfg.mem_size), 0);
	f.img.start_addr = 0x20000;
	assert_int_equal(vm_create(&f.vm, &f.cfg, ACCEL_SOFT, &f.mem, &f.img), 0);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	vm_destroy(&f->vm);
	guest_mem_free(&f->mem);
	return 0;
}

static int mp_state(struct vcpu *cpu)
{
	struct kvm_mp_state mp;

	/* s390: the state is the ioctl's result */
	return hv_ioctl(cpu->fd, KVM_GET_MP_STATE, (unsigned long)&mp);
}

static void sieic(struct kvm_run *run, uint8_t icpt, uint16_t ipa, uint32_t ipb)
{
	run->exit_reason = KVM_EXIT_S390_SIEIC;
	run->s390_sieic.icptcode = icpt;
	run->s390_sieic.ipa = ipa;
	run->s390_sieic.ipb = ipb;
}

static struct sigp_result sigp(struct vm *vm, unsigned src, uint8_t order,
			       uint16_t dst, uint64_t param)
{
	struct sigp_req req = { .r1 = 1, .order = order, .cpu_addr = dst,
				.param = param };
	struct sigp_result res;

	sigp_execute(&vm->cpus[src], &req, &res);
	return res;
}

/* The pending local interrupts of a vCPU: how many, types into `types`. */
static int local_irqs(struct vcpu *cpu, uint64_t *types, int max)
{
	static struct kvm_s390_irq buf[64];
	struct kvm_s390_irq_state st = {
		.buf = (uint64_t)(uintptr_t)buf, .len = sizeof(buf),
	};
	int r = hv_ioctl(cpu->fd, KVM_S390_GET_IRQ_STATE, (unsigned long)&st);

	assert_true(r >= 0);
	r /= (int)sizeof(buf[0]);
	for (int i = 0; i < r && i < max; i++)
		types[i] = buf[i].type;
	return r;
}

static int float_irqs(struct vm *vm, struct kvm_s390_irq *buf, int max)
{
	struct kvm_device_attr a = {
		.group = KVM_DEV_FLIC_GET_ALL_IRQS,
		.addr = (uint64_t)(uintptr_t)buf,
		.attr = (uint64_t)max * sizeof(*buf),
	};

	return hv_ioctl(vm->flic_fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a);
}

static void test_bringup(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;

	assert_int_equal(vm->ncpus, 4);
	assert_true(vm->flic_fd >= 0);
	assert_int_equal(mp_state(&vm->cpus[0]), KVM_MP_STATE_OPERATING);
	for (unsigned i = 1; i < 4; i++) {
		assert_int_equal(mp_state(&vm->cpus[i]), KVM_MP_STATE_STOPPED);
		assert_true(vm->cpus[i].stopped);
	}
	assert_false(vm->cpus[0].stopped);
	assert_int_equal(vm->cpus[0].run->psw_mask, PSW_MASK_64);
	assert_int_equal(vm->cpus[0].run->psw_addr, 0x20000);
	/* the initial reset ran: CR0 and CR14 have their reset values */
	assert_int_equal(vm->cpus[2].run->s.regs.crs[0], 0xe0);
	assert_int_equal(vm->cpus[2].run->s.regs.crs[14], 0xc2000000);
	/* KVM_RUN on a stopped vCPU: user-controlled CPU state is on */
	assert_int_equal(hv_ioctl(vm->cpus[1].fd, KVM_RUN, 0), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(vm_running_cpus_locked(vm), 1);
}

static void test_sigp_addresses(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct sigp_result r;

	r = sigp(vm, 0, SIGP_START, 4, 0);
	assert_int_equal(r.cc, SIGP_CC_NOT_OPERATIONAL);
	r = sigp(vm, 0, SIGP_RESTART, 0xffff, 0);
	assert_int_equal(r.cc, SIGP_CC_NOT_OPERATIONAL);
	/* orders the kernel owns, and unknown ones: invalid order */
	r = sigp(vm, 0, SIGP_SENSE, 1, 0);
	assert_int_equal(r.cc, SIGP_CC_STATUS_STORED);
	assert_int_equal(r.status, SIGP_STAT_INVALID_ORDER);
	r = sigp(vm, 0, 0x77, 1, 0);
	assert_int_equal(r.cc, SIGP_CC_STATUS_STORED);
	assert_int_equal(r.status, SIGP_STAT_INVALID_ORDER);
	r = sigp(vm, 0, SIGP_STORE_ADDITIONAL_STATUS, 1, 0x10000);
	assert_int_equal(r.status, SIGP_STAT_INVALID_ORDER);
	/* SET ARCHITECTURE: the CPU address does not matter */
	r = sigp(vm, 0, SIGP_SET_ARCHITECTURE, 0x1234, 0);
	assert_int_equal(r.cc, SIGP_CC_STATUS_STORED);
	assert_int_equal(r.status, SIGP_STAT_INVALID_PARAMETER);
	r = sigp(vm, 1, SIGP_SET_ARCHITECTURE, 0, 0);
	assert_int_equal(r.status, SIGP_STAT_INCORRECT_STATE);
	/* another SIGP in progress: busy */
	pthread_mutex_lock(&vm->sigp_lock);
	r = sigp(vm, 0, SIGP_START, 1, 0);
	pthread_mutex_unlock(&vm->sigp_lock);
	assert_int_equal(r.cc, SIGP_CC_BUSY);
}

static void test_sigp_prefix_restart(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c1 = &vm->cpus[1];
	uint8_t *lc = f->mem.base + 0x10000;
	struct sigp_result r;

	/* SET PREFIX: outside memory, wrong state, then accepted */
	r = sigp(vm, 0, SIGP_SET_PREFIX, 1, 2 * MiB);
	assert_int_equal(r.cc, SIGP_CC_STATUS_STORED);
	assert_int_equal(r.status, SIGP_STAT_INVALID_PARAMETER);
	r = sigp(vm, 1, SIGP_SET_PREFIX, 0, 0x10000);
	assert_int_equal(r.status, SIGP_STAT_INCORRECT_STATE);
	r = sigp(vm, 0, SIGP_SET_PREFIX, 1, 0x11fff);	/* low bits dropped */
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(c1->run->s.regs.prefix, 0x10000);
	assert_true(c1->run->kvm_dirty_regs & KVM_SYNC_PREFIX);

	/* RESTART of a stopped CPU: restart interruption done in user
	 * space on its prefix area, then OPERATING */
	put_be64(lc + 0x1a0, 0x0000000180000000ULL);
	put_be64(lc + 0x1a8, 0x30000);
	c1->run->psw_mask = 0x0000000180000000ULL;
	c1->run->psw_addr = 0x4444;
	r = sigp(vm, 0, SIGP_RESTART, 1, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be64(lc + 0x128), 0x4444);
	assert_int_equal(c1->run->psw_addr, 0x30000);
	assert_int_equal(mp_state(c1), KVM_MP_STATE_OPERATING);
	assert_false(c1->stopped);
	assert_int_equal(vm_running_cpus_locked(vm), 2);

	/* RESTART of an operating CPU: a restart interrupt */
	r = sigp(vm, 0, SIGP_RESTART, 1, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	{
		uint64_t t[4];

		assert_int_equal(local_irqs(c1, t, 4), 1);
		assert_int_equal(t[0], KVM_S390_RESTART);
	}
	/* a CPU reset clears it and stops the CPU */
	r = sigp(vm, 0, SIGP_INITIAL_CPU_RESET, 1, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_true(c1->stopped);
	assert_int_equal(mp_state(c1), KVM_MP_STATE_STOPPED);
	assert_int_equal(c1->run->psw_addr, 0);
}

static void test_sigp_stop_start(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c2 = &vm->cpus[2];
	struct sigp_result r;
	uint64_t t[4];

	/* START a stopped CPU */
	r = sigp(vm, 0, SIGP_START, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(mp_state(c2), KVM_MP_STATE_OPERATING);
	r = sigp(vm, 0, SIGP_START, 2, 0);	/* already: no-op */
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);

	/* STOP an operating CPU: a stop interrupt, the order is in flight */
	r = sigp(vm, 0, SIGP_STOP, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(local_irqs(c2, t, 4), 1);
	assert_int_equal(t[0], KVM_S390_SIGP_STOP);
	assert_int_equal(c2->sigp_order, SIGP_STOP);
	/* busy for everything but the resets */
	r = sigp(vm, 0, SIGP_SET_PREFIX, 2, 0x20000);
	assert_int_equal(r.cc, SIGP_CC_BUSY);
	r = sigp(vm, 0, SIGP_STOP, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_BUSY);

	/* the stop intercept completes it */
	sieic(c2->run, 0x28, 0, 0);
	assert_int_equal(vcpu_handle_exit(c2), 0);
	assert_true(c2->stopped);
	assert_int_equal(c2->sigp_order, 0);
	assert_int_equal(mp_state(c2), KVM_MP_STATE_STOPPED);
	assert_int_equal(local_irqs(c2, t, 4), 0);
	assert_false(vm->over);

	/* STOP of a stopped CPU: nothing; STOP AND STORE STATUS stores */
	r = sigp(vm, 0, SIGP_STOP, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(local_irqs(c2, t, 4), 0);
	c2->run->s.regs.gprs[7] = 0x0123456789abcdefULL;
	f->mem.base[163] = 0;
	r = sigp(vm, 0, SIGP_STOP_STORE_STATUS, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be64(f->mem.base + 0x1280 + 7 * 8),
			 0x0123456789abcdefULL);
	assert_int_equal(f->mem.base[163], 1);

	/* STORE STATUS AT ADDRESS: stopped target, 512-byte aligned */
	c2->run->s.regs.gprs[1] = 0x1111;
	r = sigp(vm, 0, SIGP_STORE_STATUS_AT_ADDRESS, 2, 0x30123);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be64(f->mem.base + 0x30000 + 0x80 + 8), 0x1111);
	r = sigp(vm, 0, SIGP_STORE_STATUS_AT_ADDRESS, 2, 2 * MiB);
	assert_int_equal(r.status, SIGP_STAT_INVALID_PARAMETER);
	r = sigp(vm, 2, SIGP_STORE_STATUS_AT_ADDRESS, 0, 0x30000);
	assert_int_equal(r.status, SIGP_STAT_INCORRECT_STATE);

	/* A SET PREFIX not yet run with is the prefix that is stored
	 * (hostile-sigp, as QEMU); an initial reset clears it. */
	r = sigp(vm, 0, SIGP_SET_PREFIX, 2, 0x40000);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	r = sigp(vm, 0, SIGP_STORE_STATUS_AT_ADDRESS, 2, 0x30000);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be32(f->mem.base + 0x30000 + 0x118), 0x40000);
	r = sigp(vm, 0, SIGP_STOP_STORE_STATUS, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be32(f->mem.base + 0x1318), 0x40000);
	r = sigp(vm, 0, SIGP_INITIAL_CPU_RESET, 2, 0);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_false(c2->run->kvm_dirty_regs & KVM_SYNC_PREFIX);
	r = sigp(vm, 0, SIGP_STORE_STATUS_AT_ADDRESS, 2, 0x30000);
	assert_int_equal(r.cc, SIGP_CC_ACCEPTED);
	assert_int_equal(get_be32(f->mem.base + 0x30000 + 0x118), 0);
}

static void test_end_disabled_wait(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];

	c0->run->psw_mask = 0x0002000180000000ULL;
	c0->run->psw_addr = 0x2aeee;
	sieic(c0->run, 0x1c, 0, 0);
	vcpu_handle_exit(c0);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, 42);
}

static void test_end_crash(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];

	c0->run->psw_mask = 0x0002000180000000ULL;
	c0->run->psw_addr = 0x1234;
	sieic(c0->run, 0x1c, 0, 0);
	vcpu_handle_exit(c0);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, ZVMM_EXIT_GUEST_CRASH);
}

static void test_end_wait_not_last(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0], *c3 = &vm->cpus[3];
	struct sigp_result r;

	/* CPU 3 runs; CPU 0's disabled wait is not the end yet */
	r = sigp(vm, 0, SIGP_START, 3, 0);
	assert_int_equal(r.cc, 0);
	c0->run->psw_addr = 0xfff;
	sieic(c0->run, 0x1c, 0, 0);
	vcpu_handle_exit(c0);
	assert_false(vm->over);
	assert_true(c0->disabled_wait);
	/* a STOP of the waiting CPU stops it at once */
	r = sigp(vm, 3, SIGP_STOP, 0, 0);
	assert_int_equal(r.cc, 0);
	assert_true(c0->stopped);
	assert_int_equal(mp_state(c0), KVM_MP_STATE_STOPPED);
	/* the EXIT line, then the last CPU stops itself: its code */
	pthread_mutex_lock(&vm->sclp_lock);
	console_scan(vm, "EXIT: STATUS=7\n", 15);
	pthread_mutex_unlock(&vm->sclp_lock);
	r = sigp(vm, 3, SIGP_STOP, 3, 0);
	assert_int_equal(r.cc, 0);
	assert_false(vm->over);
	sieic(c3->run, 0x28, 0, 0);
	vcpu_handle_exit(c3);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, 3);
}

static void test_servc(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];
	struct kvm_s390_irq irqs[8];
	uint8_t *sccb = f->mem.base + 0x10000;
	uint64_t t[4];
	int n;

	/* servc %r1,%r2: READ SCP INFO */
	memset(sccb, 0, 4096);
	put_be16(sccb, 4096);
	c0->run->s.regs.gprs[1] = SCLP_CMD_READ_SCP_INFO;
	c0->run->s.regs.gprs[2] = 0x10000;
	c0->run->psw_mask = 0x0000300180000000ULL;
	sieic(c0->run, 4, 0xb220, 0x00120000);
	assert_int_equal(vcpu_handle_exit(c0), 0);
	assert_int_equal((c0->run->psw_mask >> PSW_CC_SHIFT) & 3, 0);
	assert_int_equal(get_be16(sccb + 6), SCLP_RC_NORMAL_READ);
	assert_int_equal(get_be16(sccb + 8), 2);	/* 2 MiB */
	assert_int_equal(get_be16(sccb + 16), 4);	/* 4 CPUs */
	n = float_irqs(vm, irqs, 8);
	assert_int_equal(n, 1);
	assert_int_equal(irqs[0].type, KVM_S390_INT_SERVICE);
	assert_int_equal(irqs[0].u.ext.ext_params, 0x10000);

	/* while the completion is undelivered: CC 2 */
	sieic(c0->run, 4, 0xb220, 0x00120000);
	vcpu_handle_exit(c0);
	assert_int_equal((c0->run->psw_mask >> PSW_CC_SHIFT) & 3, 2);
	/* delivered (here: cleared): accepted again */
	{
		struct kvm_device_attr clr = { .group = KVM_DEV_FLIC_CLEAR_IRQS };

		assert_int_equal(hv_ioctl(vm->flic_fd, KVM_SET_DEVICE_ATTR,
					  (unsigned long)&clr), 0);
	}
	sieic(c0->run, 4, 0xb220, 0x00120000);
	vcpu_handle_exit(c0);
	assert_int_equal((c0->run->psw_mask >> PSW_CC_SHIFT) & 3, 0);

	/* problem state: privileged-operation exception */
	c0->run->psw_mask |= PSW_MASK_PSTATE;
	sieic(c0->run, 4, 0xb220, 0x00120000);
	vcpu_handle_exit(c0);
	assert_int_equal(local_irqs(c0, t, 4), 1);
	assert_int_equal(t[0], KVM_S390_PROGRAM_INT);
	assert_false(vm->over);
}

static void test_diag_exits(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];
	uint64_t t[4];

	/* diag 2,4,0x500 with subcode 3: "no such device" */
	c0->run->s.regs.gprs[1] = 3;
	c0->run->s.regs.gprs[2] = 0x10000;
	sieic(c0->run, 4, 0x8324, 0x05000000);
	vcpu_handle_exit(c0);
	assert_int_equal(c0->run->s.regs.gprs[2], (uint64_t)-EINVAL);
	assert_int_equal(local_irqs(c0, t, 4), 0);
	/* diag 0x288 (no watchdog): specification exception */
	sieic(c0->run, 4, 0x8324, 0x02880000);
	vcpu_handle_exit(c0);
	assert_int_equal(local_irqs(c0, t, 4), 1);
	assert_int_equal(t[0], KVM_S390_PROGRAM_INT);
	/* diag 0x308 subcode 6 without a block: rc 0x102 in r1+1 */
	c0->run->s.regs.gprs[2] = 0x10000;
	c0->run->s.regs.gprs[4] = 6;
	sieic(c0->run, 4, 0x8324, 0x03080000);
	vcpu_handle_exit(c0);
	assert_int_equal(c0->run->s.regs.gprs[3], DIAG308_RC_NO_CONF);
	assert_false(vm->over);
}

static void test_stsi_exit(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];
	uint8_t *b = f->mem.base + 0x40000;
	static const uint8_t unit_vm[8] = { 0xa4, 0x95, 0x89, 0xa3, 0x60,
					    0xa5, 0x94, 0x40 };

	memset(b, 0, 4096);
	b[SYSIB322_COUNT] = 1;
	c0->run->exit_reason = KVM_EXIT_S390_STSI;
	c0->run->s390_stsi.addr = 0x40000;
	c0->run->s390_stsi.fc = 3;
	c0->run->s390_stsi.sel1 = 2;
	c0->run->s390_stsi.sel2 = 2;
	assert_int_equal(vcpu_handle_exit(c0), 0);
	assert_memory_equal(b + SYSIB322_VM0 + SYSIB322_VM_NAME, unit_vm, 8);
	assert_string_equal((char *)b + SYSIB322_EXT_NAMES, "unit-vm");
	assert_int_equal(get_be16(b + SYSIB322_VM0 + SYSIB322_VM_CONF), 4);
	/* other levels are the kernel's */
	memset(b, 0, 4096);
	c0->run->s390_stsi.fc = 1;
	c0->run->s390_stsi.sel1 = 1;
	c0->run->s390_stsi.sel2 = 1;
	vcpu_handle_exit(c0);
	assert_int_equal(b[SYSIB322_EXT_NAMES], 0);
}

static void test_unknown_exits(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];

	sieic(c0->run, 0x99, 0, 0);
	assert_int_equal(vcpu_handle_exit(c0), -EIO);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, ZVMM_EXIT_HV_FAILURE);
}

static void test_unknown_exit_reason(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c0 = &vm->cpus[0];

	c0->run->exit_reason = KVM_EXIT_S390_TSCH;
	assert_int_equal(vcpu_handle_exit(c0), -EIO);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, ZVMM_EXIT_HV_FAILURE);
}

static void test_program_loop(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;

	sieic(vm->cpus[0].run, 0x08, 0, 0);
	vcpu_handle_exit(&vm->cpus[0]);
	assert_true(vm->over);
	assert_int_equal(vm->exit_code, ZVMM_EXIT_GUEST_CRASH);
}

static void test_reset_request(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct vcpu *c2 = &vm->cpus[2];

	/* DIAG 308 subcode 4 (load normal): a re-IPL request */
	c2->run->s.regs.gprs[4] = 4;
	sieic(c2->run, 4, 0x8324, 0x03080000);
	vcpu_handle_exit(c2);
	assert_int_equal(vm->reset_req, VM_RESET_REIPL);
	assert_int_equal(vm->reset_cpu, 2);
	assert_int_equal(vm->pause_count, 1);
	/* a second request while one is pending changes nothing */
	vm->cpus[0].run->exit_reason = KVM_EXIT_S390_RESET;
	vm->cpus[0].run->s390_reset_flags = 0x1e;
	vcpu_handle_exit(&vm->cpus[0]);
	assert_int_equal(vm->reset_req, VM_RESET_REIPL);
	assert_int_equal(vm->pause_count, 1);
	vm->reset_req = VM_RESET_NONE;
	vm->pause_count = 0;
	vcpu_handle_exit(&vm->cpus[0]);
	assert_int_equal(vm->reset_req, VM_RESET_REIPL_CLEAR);
}

static void test_reset_load_normal(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	uint64_t t[4];

	/* A short (ESA/390) PSW at absolute 0: 31-bit, address 0x30000 */
	put_be64(f->mem.base, 0x0008000080030000ULL);
	vm->cpus[0].run->s.regs.gprs[9] = 99;
	assert_int_equal(sigp(vm, 0, SIGP_RESTART, 3, 0).cc, 0);	/* 3 runs */
	assert_int_equal(sigp(vm, 0, SIGP_RESTART, 3, 0).cc, 0);	/* pending */
	assert_int_equal(vm_do_reset(vm, VM_RESET_LOAD_NORMAL, 1), 0);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(mp_state(&vm->cpus[i]),
				 i == 1 ? KVM_MP_STATE_OPERATING :
					  KVM_MP_STATE_STOPPED);
		assert_int_equal(vm->cpus[i].stopped, i != 1);
	}
	assert_int_equal(vm->cpus[1].run->psw_mask, 0x0000000080000000ULL);
	assert_int_equal(vm->cpus[1].run->psw_addr, 0x30000);
	/* normal reset: registers kept, local interrupts gone */
	assert_int_equal(vm->cpus[0].run->s.regs.gprs[9], 99);
	assert_int_equal(local_irqs(&vm->cpus[3], t, 4), 0);

	/* modified clear: clear resets, registers gone */
	assert_int_equal(vm_do_reset(vm, VM_RESET_MOD_CLEAR, 2), 0);
	assert_int_equal(vm->cpus[0].run->s.regs.gprs[9], 0);
	assert_int_equal(mp_state(&vm->cpus[2]), KVM_MP_STATE_OPERATING);
}

static void test_reset_reipl_clear(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	static const uint8_t zero[64];

	/* Load clear clears memory before the image is loaded again; the
	 * image path is missing here, so the load itself fails. */
	memset(f->mem.base + 0x10000, 0x55, 64);
	strcpy(f->cfg.kernel, "/nonexistent/zvmm-unit.elf");
	assert_true(vm_do_reset(vm, VM_RESET_REIPL_CLEAR, 0) < 0);
	assert_memory_equal(f->mem.base + 0x10000, zero, 64);
}

/* Threads for stopped vCPUs park; pause returns once all are parked. */
static void test_pause_parked(void **state)
{
	struct fix *f = *state;
	struct vm *vm = &f->vm;
	struct sigp_result r;

	/* every CPU stopped, so no thread needs KVM_RUN */
	r = sigp(vm, 1, SIGP_STOP, 0, 0);
	assert_int_equal(r.cc, 0);
	sieic(vm->cpus[0].run, 0x28, 0, 0);
	pthread_mutex_lock(&vm->sclp_lock);
	console_scan(vm, "not an exit\n", 12);
	pthread_mutex_unlock(&vm->sclp_lock);
	/* handle the stop without ending the VM: keep one "running" */
	vm->cpus[3].stopped = false;
	vcpu_handle_exit(&vm->cpus[0]);
	vm->cpus[3].stopped = true;
	assert_false(vm->over);

	assert_int_equal(vcpu_kick_init(), 0);
	for (unsigned i = 0; i < vm->ncpus; i++) {
		pthread_mutex_lock(&vm->lock);
		assert_int_equal(pthread_create(&vm->cpus[i].thread, NULL,
						vcpu_thread, &vm->cpus[i]), 0);
		vm->cpus[i].has_thread = true;
		pthread_mutex_unlock(&vm->lock);
	}
	for (int k = 0; k < 50; k++) {
		vm_pause(vm);
		pthread_mutex_lock(&vm->lock);
		for (unsigned i = 0; i < vm->ncpus; i++)
			assert_true(vm->cpus[i].parked);
		pthread_mutex_unlock(&vm->lock);
		vm_resume(vm);
	}
	/* SIGP through a target's thread: SET PREFIX runs there */
	r = sigp(vm, 0, SIGP_SET_PREFIX, 2, 0x50000);
	assert_int_equal(r.cc, 0);
	vm_pause(vm);
	assert_int_equal(vm->cpus[2].run->s.regs.prefix, 0x50000);
	vm_resume(vm);

	vm_end(vm, 5);
	for (unsigned i = 0; i < vm->ncpus; i++) {
		pthread_join(vm->cpus[i].thread, NULL);
		vm->cpus[i].has_thread = false;
	}
	assert_int_equal(vm->exit_code, 5);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_bringup),
		T(test_sigp_addresses),
		T(test_sigp_prefix_restart),
		T(test_sigp_stop_start),
		T(test_end_disabled_wait),
		T(test_end_crash),
		T(test_end_wait_not_last),
		T(test_servc),
		T(test_diag_exits),
		T(test_stsi_exit),
		T(test_unknown_exits),
		T(test_unknown_exit_reason),
		T(test_program_loop),
		T(test_reset_request),
		T(test_reset_load_normal),
		T(test_reset_reipl_clear),
		T(test_pause_parked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
