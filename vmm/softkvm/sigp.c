// SPDX-License-Identifier: MIT
/*
 * softkvm SIGNAL PROCESSOR (spec 3.3, 7). SENSE, EXTERNAL CALL, EMERGENCY
 * SIGNAL, CONDITIONAL EMERGENCY SIGNAL and SENSE RUNNING STATUS are
 * always completed here, across vCPU threads. With USER_SIGP every other
 * order exits to user space; without it softkvm also completes STOP,
 * STOP AND STORE STATUS, SET PREFIX, STORE STATUS AT ADDRESS and SET
 * ARCHITECTURE as the kernel does, and START, RESTART, the two resets and
 * unknown orders still exit.
 */
#include <errno.h>
#include <string.h>

#include "softkvm/run.h"

enum {
	SIGP_SENSE = 0x01,
	SIGP_EXTERNAL_CALL = 0x02,
	SIGP_EMERGENCY_SIGNAL = 0x03,
	SIGP_START = 0x04,
	SIGP_STOP = 0x05,
	SIGP_RESTART = 0x06,
	SIGP_STOP_AND_STORE_STATUS = 0x09,
	SIGP_INITIAL_CPU_RESET = 0x0b,
	SIGP_CPU_RESET = 0x0c,
	SIGP_SET_PREFIX = 0x0d,
	SIGP_STORE_STATUS_AT_ADDRESS = 0x0e,
	SIGP_SET_ARCHITECTURE = 0x12,
	SIGP_COND_EMERGENCY_SIGNAL = 0x13,
	SIGP_SENSE_RUNNING = 0x15,
};

enum { CC_ACCEPTED = 0, CC_STATUS = 1, CC_BUSY = 2, CC_NOT_OPER = 3 };

#define ST_NOT_RUNNING 0x00000400u
#define ST_INCORRECT_STATE 0x00000200u
#define ST_INVALID_PARAMETER 0x00000100u
#define ST_EXT_CALL_PENDING 0x00000080u
#define ST_STOPPED 0x00000040u
#define ST_INVALID_ORDER 0x00000002u

/* Not an order result: hand the instruction to user space. */
#define TO_USER (-EOPNOTSUPP)

/* Store status bits into the low word of gpr r1 and answer CC 1. */
static int status(uint64_t *reg, uint32_t bits)
{
	*reg = (*reg & 0xffffffff00000000ULL) | bits;
	return CC_STATUS;
}

/* The orders the kernel keeps even with USER_SIGP. */
static bool always_in_kernel(unsigned order)
{
	switch (order) {
	case SIGP_SENSE:
	case SIGP_EXTERNAL_CALL:
	case SIGP_EMERGENCY_SIGNAL:
	case SIGP_COND_EMERGENCY_SIGNAL:
	case SIGP_SENSE_RUNNING:
		return true;
	default:
		return false;
	}
}

/* Inject into dst as the kernel's kvm_s390_inject_vcpu, and wake it. */
static int inject(struct sk_vcpu *dst, const struct kvm_s390_irq *irq)
{
	struct skirq_vcpu_info vi;
	int r;

	pthread_mutex_lock(&dst->lock);
	sk_vcpu_info(dst, &vi);
	r = skirq_inject_local(&dst->li, &vi, irq);
	if (r == 0)
		sk_vcpu_kick(dst);
	pthread_mutex_unlock(&dst->lock);
	return r;
}

static int sense(struct sk_vcpu *dst, uint64_t *reg)
{
	uint32_t bits = 0;

	pthread_mutex_lock(&dst->lock);
	if (skirq_extcall_pending(&dst->li))
		bits |= ST_EXT_CALL_PENDING;
	if (dst->stopped)
		bits |= ST_STOPPED;
	pthread_mutex_unlock(&dst->lock);
	return bits ? status(reg, bits) : CC_ACCEPTED;
}

static int emergency(struct sk_vcpu *v, struct sk_vcpu *dst)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_EMERGENCY };

	irq.u.emerg.code = (uint16_t)v->id;
	return inject(dst, &irq) == 0 ? CC_ACCEPTED : CC_BUSY;
}

static int external_call(struct sk_vcpu *v, struct sk_vcpu *dst,
			 uint64_t *reg)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_EXTERNAL_CALL };
	int r;

	irq.u.extcall.code = (uint16_t)v->id;
	r = inject(dst, &irq);
	if (r == -EBUSY)
		return status(reg, ST_EXT_CALL_PENDING);
	return r == 0 ? CC_ACCEPTED : CC_BUSY;
}

/*
 * CONDITIONAL EMERGENCY SIGNAL: the signal is sent unless the target is
 * stopped, enabled for both I/O and external interruptions, and either
 * in a wait with PSW address 0 or running with an ASN (parameter bits
 * 48-63) equal to neither its primary (CR4) nor its secondary (CR3) ASN.
 */
static int cond_emergency(struct sk_vcpu *v, struct sk_vcpu *dst,
			  uint32_t param, uint64_t *reg)
{
	const uint64_t io_ext = PSW_MASK_IO | PSW_MASK_EXT;
	uint16_t asn = (uint16_t)param;
	bool stopped, idle, send;
	uint64_t mask = 0, addr = 0, cr3 = 0, cr4 = 0;

	pthread_mutex_lock(&dst->lock);
	stopped = dst->stopped;
	idle = dst->cpu && dst->cpu->idle;
	if (dst->cpu) {
		mask = dst->cpu->pub_psw_mask;
		addr = dst->cpu->pub_psw_addr;
		cr3 = dst->cpu->pub_cr3;
		cr4 = dst->cpu->pub_cr4;
	}
	pthread_mutex_unlock(&dst->lock);
	send = !stopped || (mask & io_ext) != io_ext || (idle && addr) ||
	       (!idle && (asn == (uint16_t)cr4 || asn == (uint16_t)cr3));
	if (send)
		return emergency(v, dst);
	return status(reg, ST_INCORRECT_STATE);
}

static int sense_running(struct sk_vcpu *dst, uint64_t *reg)
{
	bool running;

	/* Facility 9 (sense-running-status) is not in the CPU model. */
	if (!(dst->vm->model.fac_list[0] & (1ULL << (63 - 9))))
		return status(reg, ST_INVALID_ORDER);
	pthread_mutex_lock(&dst->lock);
	running = dst->cpu && dst->cpu->in_run && !dst->cpu->idle;
	pthread_mutex_unlock(&dst->lock);
	return running ? CC_ACCEPTED : status(reg, ST_NOT_RUNNING);
}

static int stop(struct sk_vcpu *dst, uint32_t flags)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_STOP };
	int r;

	irq.u.stop.flags = flags;
	r = inject(dst, &irq);
	if (r == SKIRQ_STORE_STATUS)   /* already stopped: store now */
		return sk_store_status(dst, KVM_S390_STORE_STATUS_NOADDR) < 0 ?
			       CC_BUSY : CC_ACCEPTED;
	if (r == -EBUSY)
		return CC_BUSY;
	return r == 0 ? CC_ACCEPTED : CC_BUSY;
}

static int set_prefix(struct sk_vcpu *v, struct sk_vcpu *dst,
		      uint32_t param, uint64_t *reg)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_SIGP_SET_PREFIX };
	uint32_t addr = param & 0x7fffe000u;
	bool ok;
	int r;

	pthread_mutex_lock(&v->vm->lock);
	ok = sk_abs_ptr(v->vm, addr, 1) && sk_abs_ptr(v->vm, addr + 4096, 1);
	pthread_mutex_unlock(&v->vm->lock);
	if (!ok)
		return status(reg, ST_INVALID_PARAMETER);
	irq.u.prefix.address = addr;
	r = inject(dst, &irq);
	if (r == -EBUSY)   /* not stopped */
		return status(reg, ST_INCORRECT_STATE);
	return r == 0 ? CC_ACCEPTED : CC_BUSY;
}

static int store_status_at(struct sk_vcpu *dst, uint32_t param,
			   uint64_t *reg)
{
	bool stopped;

	pthread_mutex_lock(&dst->lock);
	stopped = dst->stopped;
	pthread_mutex_unlock(&dst->lock);
	if (!stopped)
		return status(reg, ST_INCORRECT_STATE);
	if (sk_store_status(dst, param & 0x7ffffe00u) < 0)
		return status(reg, ST_INVALID_PARAMETER);
	return CC_ACCEPTED;
}

/* An order aimed at a CPU: the kernel's handle_sigp_dst. */
static int sigp_dst(struct sk_vcpu *v, unsigned order, uint16_t addr,
		    uint32_t param, uint64_t *reg)
{
	struct sk_vcpu *dst = NULL;
	bool busy;

	if (addr < SK_MAX_VCPUS)
		dst = __atomic_load_n(&v->vm->vcpus[addr], __ATOMIC_ACQUIRE);
	if (!dst)
		return CC_NOT_OPER;
	/* A stop or restart still in progress makes every order but the
	 * two resets busy. */
	pthread_mutex_lock(&dst->lock);
	busy = skirq_stop_pending(&dst->li) ||
	       skirq_restart_pending(&dst->li);
	pthread_mutex_unlock(&dst->lock);
	if (busy && order != SIGP_INITIAL_CPU_RESET && order != SIGP_CPU_RESET)
		return CC_BUSY;

	switch (order) {
	case SIGP_SENSE:
		return sense(dst, reg);
	case SIGP_EXTERNAL_CALL:
		return external_call(v, dst, reg);
	case SIGP_EMERGENCY_SIGNAL:
		return emergency(v, dst);
	case SIGP_COND_EMERGENCY_SIGNAL:
		return cond_emergency(v, dst, param, reg);
	case SIGP_SENSE_RUNNING:
		return sense_running(dst, reg);
	case SIGP_STOP:
		return stop(dst, 0);
	case SIGP_STOP_AND_STORE_STATUS:
		return stop(dst, KVM_S390_STOP_FLAG_STORE_STATUS);
	case SIGP_SET_PREFIX:
		return set_prefix(v, dst, param, reg);
	case SIGP_STORE_STATUS_AT_ADDRESS:
		return store_status_at(dst, param, reg);
	default:   /* START, RESTART, the resets, unknown orders */
		return TO_USER;
	}
}

int sk_handle_sigp(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	unsigned r1 = (c->icpt.ipa >> 4) & 0xf, r3 = c->icpt.ipa & 0xf;
	unsigned order = (unsigned)sk_icpt_addr(c) & 0xff;
	uint32_t param = (uint32_t)c->gpr[r1 % 2 ? r1 : r1 + 1];
	uint16_t addr = (uint16_t)c->gpr[r3];
	int cc;

	if (v->vm->user_sigp && !always_in_kernel(order))
		cc = TO_USER;
	else if (order == SIGP_SET_ARCHITECTURE)
		cc = status(&c->gpr[r1], ST_INVALID_PARAMETER);
	else
		cc = sigp_dst(v, order, addr, param, &c->gpr[r1]);
	if (cc == TO_USER) {
		sk_exit_sieic(v, 4, c->icpt.ipa, c->icpt.ipb);
		return SK_EXIT;
	}
	sk_set_cc(c, (unsigned)cc);
	return SK_CONTINUE;
}
