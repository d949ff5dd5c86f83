// SPDX-License-Identifier: MIT
/*
 * softkvm's clock comparator and CPU timer: the interruption conditions
 * the kernel recomputes before every guest entry, the sleep length of an
 * enabled wait, and SET CLOCK (spec 4.4, 8).
 */
#include "softkvm/run.h"

#define CR0_CKC_SIGN 0x0020000000000000ULL   /* bit 10 */
#define CR0_CKC_SUBMASK 0x0800ULL             /* bit 52 */
#define CR0_CPUTM_SUBMASK 0x0400ULL           /* bit 53 */

static bool ckc_enabled(const struct s390_cpu *c)
{
	return (c->psw_mask & PSW_MASK_EXT) && (c->cr[0] & CR0_CKC_SUBMASK);
}

static bool cputm_enabled(const struct s390_cpu *c)
{
	return (c->psw_mask & PSW_MASK_EXT) && (c->cr[0] & CR0_CPUTM_SUBMASK);
}

/* The TOD has passed the CKC: signed compare under CR0 sign control. */
static bool ckc_passed(const struct s390_cpu *c, uint64_t tod)
{
	if (c->cr[0] & CR0_CKC_SIGN)
		return (int64_t)c->ckc < (int64_t)tod;
	return c->ckc < tod;
}

bool sk_ckc_due(const struct s390_cpu *c, uint64_t tod)
{
	return ckc_enabled(c) && ckc_passed(c, tod);
}

bool sk_cputm_due(const struct s390_cpu *c)
{
	return cputm_enabled(c) && s390_cpu_get_cputm(c) < 0;
}

/* TOD units (4096 per microsecond) to nanoseconds, saturating. */
static int64_t tod_to_ns(uint64_t t)
{
	if (t >= (uint64_t)INT64_MAX / 125)
		return INT64_MAX / 2;
	return (int64_t)(t * 125 / 512);
}

int64_t sk_timer_deadline_ns(const struct s390_cpu *c)
{
	int64_t best = -1;

	if (ckc_enabled(c)) {
		uint64_t tod = s390_tod_now(c);

		if (ckc_passed(c, tod))
			return 0;
		best = tod_to_ns(c->ckc - tod) + 1;
	}
	if (cputm_enabled(c)) {
		int64_t t = s390_cpu_get_cputm(c);
		int64_t ns;

		if (t < 0)
			return 0;
		ns = tod_to_ns((uint64_t)t) + 1;
		if (best < 0 || ns < best)
			best = ns;
	}
	return best;
}

void sk_set_guest_tod(struct sk_vm *vm, uint64_t tod)
{
	pthread_mutex_lock(&vm->lock);
	vm->epoch = tod - softkvm_host_tod();
	for (unsigned i = 0; i < SK_MAX_VCPUS; i++) {
		struct sk_vcpu *v = __atomic_load_n(&vm->vcpus[i],
						    __ATOMIC_ACQUIRE);

		if (v)
			__atomic_store_n(&v->sie.epoch, vm->epoch,
					 __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
}
