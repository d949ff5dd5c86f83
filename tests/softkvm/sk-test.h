/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the tests/softkvm programs: a VM driven only through
 * hv_open()/hv_ioctl(), as a VMM drives it, with RAM in slot 0 at guest
 * address 0 and n vCPUs whose kvm_run is mmap()ed. Guest code is
 * hand-assembled (s390x-linux-gnu-as) and copied to CODE.
 */
#ifndef ZVMM_SK_TEST_H
#define ZVMM_SK_TEST_H

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"
#include "bswap.h"
#include "guest-mem.h"
#include "hv.h"
#include "kvm-abi.h"

#define MiB (1ULL << 20)
#define CODE 0x10000ULL
#define PSW_64 0x0000000180000000ULL
#define PSW_IO 0x0200000000000000ULL
#define PSW_EXT 0x0100000000000000ULL
#define PSW_MCHK 0x0004000000000000ULL
#define PSW_WAIT 0x0002000000000000ULL
/* Where the guests here end: LPSWE of this disabled-wait PSW. */
#define END_PSW 0x3f0ULL
#define END_ADDR 0xe0dULL
#define SK_TEST_MAX_VCPUS 64

struct skt_fix {
	int sys, vm;
	unsigned nvcpu;
	int vcpu[SK_TEST_MAX_VCPUS];
	struct kvm_run *run[SK_TEST_MAX_VCPUS];
	struct guest_mem mem;
	uint8_t *ram;
};

static inline long skt_io(int fd, unsigned long req, const void *arg)
{
	int r = hv_ioctl(fd, req, (unsigned long)(uintptr_t)arg);

	return r < 0 ? -errno : r;
}

static inline long skt_ion(int fd, unsigned long req, unsigned long arg)
{
	int r = hv_ioctl(fd, req, arg);

	return r < 0 ? -errno : r;
}

static inline void skt_put_psw(struct skt_fix *f, uint64_t at, uint64_t mask,
			      uint64_t addr)
{
	put_be64(f->ram + at, mask);
	put_be64(f->ram + at + 8, addr);
}

/* Create vCPUs f->nvcpu .. n-1 (ids = indexes), reset, kvm_run mapped. */
static inline void skt_add_vcpus(struct skt_fix *f, unsigned n)
{
	assert_true(n <= SK_TEST_MAX_VCPUS);
	for (unsigned i = f->nvcpu; i < n; i++) {
		f->vcpu[i] = (int)skt_ion(f->vm, KVM_CREATE_VCPU, i);
		assert_true(f->vcpu[i] >= 0);
		f->run[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_SHARED, f->vcpu[i], 0);
		assert_true(f->run[i] != MAP_FAILED);
		assert_int_equal(skt_ion(f->vcpu[i], KVM_S390_INITIAL_RESET, 0),
				 0);
	}
	if (n > f->nvcpu)
		f->nvcpu = n;
}

/* A VM with ram_mib MiB in slot 0 (flags as given) and nvcpu vCPUs. */
static inline struct skt_fix *skt_fix_new(unsigned ram_mib, unsigned nvcpu,
					uint32_t slot_flags)
{
	struct skt_fix *f = calloc(1, sizeof(*f));
	struct kvm_userspace_memory_region m = { .slot = 0 };

	assert_non_null(f);
	f->sys = hv_open(ACCEL_SOFT);
	assert_true(f->sys >= 0);
	f->vm = (int)skt_ion(f->sys, KVM_CREATE_VM, 0);
	assert_true(f->vm >= 0);
	assert_int_equal(guest_mem_alloc(&f->mem, ram_mib * MiB), 0);
	f->ram = f->mem.base;
	m.memory_size = ram_mib * MiB;
	m.userspace_addr = (uint64_t)(uintptr_t)f->mem.base;
	m.flags = slot_flags;
	assert_int_equal(skt_io(f->vm, KVM_SET_USER_MEMORY_REGION, &m), 0);
	skt_add_vcpus(f, nvcpu);
	skt_put_psw(f, END_PSW, PSW_WAIT | PSW_64, END_ADDR);
	/* a wrong test ends in a disabled wait at 0xbad0, not in a loop */
	skt_put_psw(f, 0x1d0, PSW_WAIT | PSW_64, 0xbad0);
	return f;
}

static inline void skt_fix_free(struct skt_fix *f)
{
	for (unsigned i = 0; i < f->nvcpu; i++) {
		munmap(f->run[i], 4096);
		hv_close(f->vcpu[i]);
	}
	hv_close(f->vm);
	hv_close(f->sys);
	guest_mem_free(&f->mem);
	free(f);
}

/* Code at CODE, the vCPU's PSW there (64-bit, nothing enabled). */
static inline void skt_load(struct skt_fix *f, unsigned cpu, const uint8_t *code,
			   size_t n)
{
	memcpy(f->ram + CODE, code, n);
	f->run[cpu]->psw_mask = PSW_64;
	f->run[cpu]->psw_addr = CODE;
}

/* CR0 (and the reset values of CR14, the rest 0) through the sync regs. */
static inline void skt_set_crs(struct skt_fix *f, unsigned cpu, uint64_t cr0,
			      uint64_t cr6)
{
	struct kvm_run *run = f->run[cpu];

	memset(run->s.regs.crs, 0, sizeof(run->s.regs.crs));
	run->s.regs.crs[0] = 0xE0 | cr0;
	run->s.regs.crs[6] = cr6;
	run->s.regs.crs[14] = 0xC2000000;
	run->kvm_dirty_regs |= KVM_SYNC_CRS;
}

static inline long skt_run(struct skt_fix *f, unsigned cpu)
{
	return skt_ion(f->vcpu[cpu], KVM_RUN, 0);
}

/* Run until the guest's disabled wait at END_ADDR (icptcode 0x1C). */
static inline void skt_run_to_end(struct skt_fix *f, unsigned cpu)
{
	assert_int_equal(skt_run(f, cpu), 0);
	assert_int_equal(f->run[cpu]->exit_reason, KVM_EXIT_S390_SIEIC);
	assert_int_equal(f->run[cpu]->s390_sieic.icptcode, 0x1c);
	assert_int_equal(f->run[cpu]->psw_addr, END_ADDR);
}

#endif
