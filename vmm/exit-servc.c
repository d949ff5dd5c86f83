// SPDX-License-Identifier: MIT
/*
 * SERVICE CALL (B220) intercepts: decode (docs/sclp.md 8), call the SCLP
 * module under sclp_lock, and carry out its answer: a condition code, a
 * program interruption, a service signal on the VM fd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hv.h"
#include "log.h"
#include "vm.h"

/*
 * Whether a service signal is still queued in the FLIC. KVM delivers it
 * without an exit, so this is how the SCLP learns that its completion
 * reached the guest (docs/sclp.md 1). On an error it says "pending",
 * which only costs the guest a CC 2 retry.
 */
static bool service_pending(struct vm *vm)
{
	struct kvm_s390_irq small[16], *buf = small;
	size_t n = sizeof(small) / sizeof(small[0]);
	bool pending = true;
	int r;

	for (;;) {
		struct kvm_device_attr a = {
			.group = KVM_DEV_FLIC_GET_ALL_IRQS,
			.addr = (uint64_t)(uintptr_t)buf,
			.attr = (uint64_t)(n * sizeof(*buf)),
		};

		r = hv_ioctl(vm->flic_fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a);
		if (r >= 0 || errno != ENOMEM ||
		    n * sizeof(*buf) * 2 > KVM_S390_FLIC_MAX_BUFFER)
			break;
		if (buf != small)
			free(buf);
		n *= 2;
		buf = malloc(n * sizeof(*buf));
		if (!buf)
			return true;
	}
	if (r >= 0) {
		pending = false;
		for (int i = 0; i < r; i++)
			if (buf[i].type == KVM_S390_INT_SERVICE)
				pending = true;
	}
	if (buf != small)
		free(buf);
	return pending;
}

int servc_handle(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	struct kvm_run *run = cpu->run;
	uint32_t ipb = run->s390_sieic.ipb;
	unsigned r1 = (ipb >> 20) & 0xf, r2 = (ipb >> 16) & 0xf;
	struct sclp_result res;

	memset(&res, 0, sizeof(res));
	pthread_mutex_lock(&vm->sclp_lock);
	if (sclp_busy(vm->sclp) && !service_pending(vm))
		sclp_signal_delivered(vm->sclp);
	sclp_servc(vm->sclp, vm->mem->base, vm->mem->size,
		   run->s.regs.gprs[r2], (uint32_t)run->s.regs.gprs[r1],
		   (uint32_t)run->s.regs.prefix,
		   (run->psw_mask & PSW_MASK_PSTATE) != 0, &res);
	pthread_mutex_unlock(&vm->sclp_lock);

	if (res.action == SCLP_PROGRAM) {
		vcpu_program_int(cpu, res.pgm_code);
		return 0;
	}
	vcpu_set_cc(run, res.cc);
	if (res.raise && vm_inject_service(vm, res.param))
		vm_end(vm, ZVMM_EXIT_HV_FAILURE);
	return 0;
}
