// SPDX-License-Identifier: MIT
/*
 * Pause and resume with vCPUs that really run: every vCPU spins in a
 * one-instruction loop inside KVM_RUN (softkvm), the test pauses the VM
 * many times, checks that each vCPU is parked with its kvm_run current
 * (the PSW at the loop), and resumes. Prints how long a pause of 64
 * vCPUs takes. Skipped while softkvm's KVM_RUN is not there (ENOSYS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "bswap.h"
#include "config.h"
#include "hv.h"
#include "sigp.h"
#include "vm.h"

#define MiB (1ULL << 20)
#define LOOP 0x20000ULL

struct fix {
	struct zvmm_config cfg;
	struct guest_mem mem;
	struct elf_image img;
	struct vm vm;
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static bool kvm_run_works(void)
{
	static struct fix f;
	bool ok;

	memset(&f, 0, sizeof(f));
	config_defaults(&f.cfg);
	f.cfg.mem_size = 1 * MiB;
	if (guest_mem_alloc(&f.mem, f.cfg.mem_size))
		return false;
	put_be32(f.mem.base + LOOP, 0x83000500);	/* diag 0,0,0x500 */
	f.img.start_addr = LOOP;
	if (vm_create(&f.vm, &f.cfg, ACCEL_SOFT, &f.mem, &f.img)) {
		vm_destroy(&f.vm);
		guest_mem_free(&f.mem);
		return false;
	}
	/* The DIAG exits to user space if KVM_RUN runs guest code. */
	ok = hv_ioctl(f.vm.cpus[0].fd, KVM_RUN, 0) == 0 &&
	     f.vm.cpus[0].run->exit_reason == KVM_EXIT_S390_SIEIC;
	vm_destroy(&f.vm);
	guest_mem_free(&f.mem);
	return ok;
}

static void run_pause(unsigned ncpus, int rounds, bool report)
{
	static struct fix f;
	struct vm *vm = &f.vm;
	double t0, worst = 0, total = 0;

	memset(&f, 0, sizeof(f));
	config_defaults(&f.cfg);
	f.cfg.cpus = ncpus;
	f.cfg.mem_size = 2 * MiB;
	assert_int_equal(guest_mem_alloc(&f.mem, f.cfg.mem_size), 0);
	put_be32(f.mem.base + LOOP, 0xa7f40000);	/* j . */
	f.img.start_addr = LOOP;
	assert_int_equal(vm_create(vm, &f.cfg, ACCEL_SOFT, &f.mem, &f.img), 0);
	/* Every CPU at the loop, started (SIGP START runs here: no threads) */
	for (unsigned i = 1; i < ncpus; i++) {
		struct sigp_req req = { .order = SIGP_START, .cpu_addr = (uint16_t)i };
		struct sigp_result res;

		vm->cpus[i].run->psw_mask = PSW_MASK_64;
		vm->cpus[i].run->psw_addr = LOOP;
		sigp_execute(&vm->cpus[0], &req, &res);
		assert_int_equal(res.cc, 0);
	}
	assert_int_equal(vcpu_kick_init(), 0);
	for (unsigned i = 0; i < ncpus; i++) {
		pthread_mutex_lock(&vm->lock);
		assert_int_equal(pthread_create(&vm->cpus[i].thread, NULL,
						vcpu_thread, &vm->cpus[i]), 0);
		vm->cpus[i].has_thread = true;
		pthread_mutex_unlock(&vm->lock);
	}
	for (int k = 0; k < rounds; k++) {
		double d;

		t0 = now_us();
		vm_pause(vm);
		d = now_us() - t0;
		total += d;
		if (d > worst)
			worst = d;
		pthread_mutex_lock(&vm->lock);
		assert_false(vm->over);
		for (unsigned i = 0; i < ncpus; i++) {
			assert_true(vm->cpus[i].parked);
			assert_int_equal(vm->cpus[i].run->psw_addr, LOOP);
		}
		pthread_mutex_unlock(&vm->lock);
		vm_resume(vm);
	}
	if (report)
		printf("# pause of %u running vCPUs: mean %.0f us, worst %.0f us (%d rounds)\n",
		       ncpus, total / rounds, worst, rounds);
	vm_end(vm, 0);
	for (unsigned i = 0; i < ncpus; i++) {
		pthread_join(vm->cpus[i].thread, NULL);
		vm->cpus[i].has_thread = false;
	}
	vm_destroy(vm);
	guest_mem_free(&f.mem);
}

static void test_pause_4(void **state)
{
	(void)state;
	if (!kvm_run_works())
		skip();
	run_pause(4, 200, false);
}

static void test_pause_64(void **state)
{
	(void)state;
	if (!kvm_run_works())
		skip();
	run_pause(64, 20, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pause_4),
		cmocka_unit_test(test_pause_64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
