// SPDX-License-Identifier: MIT
/*
 * SIGNAL PROCESSOR orders that KVM leaves to user space with
 * KVM_CAP_S390_USER_SIGP (spec 3.3, 7), with QEMU's target/s390x/sigp.c
 * behaviour: one SIGP at a time (CC 2 otherwise), CC 3 for a CPU address
 * without a vCPU, CC 2 while the target has a STOP in flight (resets
 * excepted), status bits in the low word of R1 with CC 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bswap.h"
#include "hv.h"
#include "log.h"
#include "sigp.h"
#include "trace.h"
#include "vm.h"

void sigp_decode(const struct kvm_run *run, struct sigp_req *req)
{
	unsigned r1 = (run->s390_sieic.ipa >> 4) & 0xf;
	unsigned r3 = run->s390_sieic.ipa & 0xf;

	req->r1 = r1;
	req->order = (uint8_t)(icpt_rs_addr(run) & 0xff);
	req->cpu_addr = (uint16_t)run->s.regs.gprs[r3];
	req->param = run->s.regs.gprs[(r1 & 1) ? r1 : r1 + 1];
}

/* Apply a result: CC into the PSW, status into bits 32-63 of R1. */
void sigp_apply(struct kvm_run *run, const struct sigp_req *req,
		const struct sigp_result *res)
{
	if (res->cc == SIGP_CC_STATUS_STORED) {
		run->s.regs.gprs[req->r1] =
			(run->s.regs.gprs[req->r1] & 0xffffffff00000000ULL) |
			res->status;
	}
	vcpu_set_cc(run, res->cc);
}

static void status(struct sigp_result *res, uint32_t bits)
{
	res->cc = SIGP_CC_STATUS_STORED;
	res->status = bits;
}

struct sigp_work {
	struct sigp_req req;
	struct sigp_result res;
	struct vcpu *src;
};

/* --- orders, each run on the target's own thread ------------------ */

static void do_start(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;

	pthread_mutex_lock(&vm->lock);
	if (dst->stopped) {
		if (vcpu_set_mp_state(dst, KVM_MP_STATE_OPERATING))
			log_warn("cpu%u: KVM_SET_MP_STATE OPERATING: %s",
				 dst->id, strerror(errno));
		dst->stopped = false;
		dst->disabled_wait = false;
	}
	pthread_mutex_unlock(&vm->lock);
	w->res.cc = SIGP_CC_ACCEPTED;
}

/*
 * A SET PREFIX of a stopped CPU sits in its sync registers until the next
 * KVM_RUN, so KVM_S390_STORE_STATUS stores the old prefix: put the one the
 * CPU has in the save area at abs (offset 0x118, lowcore 0x1318).
 */
static void fix_stored_prefix(struct vcpu *dst, uint64_t abs)
{
	if (dst->run->kvm_dirty_regs & KVM_SYNC_PREFIX)
		put_be32(dst->vm->mem->base + abs + 0x118,
			 (uint32_t)dst->run->s.regs.prefix);
}

/* Stop a CPU that is not executing: already stopped, or halted in a
 * disabled wait. */
static void do_stop_now(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;

	pthread_mutex_lock(&vm->lock);
	if (!dst->stopped) {
		if (vcpu_set_mp_state(dst, KVM_MP_STATE_STOPPED))
			log_warn("cpu%u: KVM_SET_MP_STATE STOPPED: %s", dst->id,
				 strerror(errno));
		dst->stopped = true;
	}
	pthread_mutex_unlock(&vm->lock);
	if (w->req.order == SIGP_STOP_STORE_STATUS) {
		if (hv_ioctl(dst->fd, KVM_S390_STORE_STATUS,
			     KVM_S390_STORE_STATUS_NOADDR) < 0)
			log_warn("cpu%u: STORE STATUS: %s", dst->id,
				 strerror(errno));
		else
			fix_stored_prefix(dst, 0x1200);
	}
	w->res.cc = SIGP_CC_ACCEPTED;
}

/* The restart interruption of a stopped CPU, done here as QEMU does:
 * old PSW to 0x120, new PSW from 0x1a0 of its prefix area. */
static void do_restart_stopped(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;
	struct kvm_run *run = dst->run;
	uint64_t prefix = run->s.regs.prefix & 0x7fffe000ULL;
	uint8_t *lc;

	w->res.cc = SIGP_CC_ACCEPTED;
	if (prefix + 0x2000 > vm->mem->size) {
		log_warn("cpu%u: RESTART: prefix 0x%llx outside memory",
			 dst->id, (unsigned long long)prefix);
		return;
	}
	lc = vm->mem->base + prefix;
	put_be64(lc + 0x120, run->psw_mask);
	put_be64(lc + 0x128, run->psw_addr);
	run->psw_mask = get_be64(lc + 0x1a0);
	run->psw_addr = get_be64(lc + 0x1a8);
	pthread_mutex_lock(&vm->lock);
	if (vcpu_set_mp_state(dst, KVM_MP_STATE_OPERATING))
		log_warn("cpu%u: KVM_SET_MP_STATE OPERATING: %s", dst->id,
			 strerror(errno));
	dst->stopped = false;
	dst->disabled_wait = false;
	pthread_mutex_unlock(&vm->lock);
}

static void do_set_prefix(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;
	uint64_t addr = w->req.param & 0x7fffe000ULL;
	bool stopped;

	if (addr + 0x2000 > vm->mem->size) {
		status(&w->res, SIGP_STAT_INVALID_PARAMETER);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	stopped = dst->stopped;
	pthread_mutex_unlock(&vm->lock);
	if (!stopped) {
		status(&w->res, SIGP_STAT_INCORRECT_STATE);
		return;
	}
	dst->run->s.regs.prefix = addr;
	dst->run->kvm_dirty_regs |= KVM_SYNC_PREFIX;
	w->res.cc = SIGP_CC_ACCEPTED;
}

static void do_store_status_at(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;
	uint64_t addr = w->req.param & 0x7ffffe00ULL;
	bool stopped;

	pthread_mutex_lock(&vm->lock);
	stopped = dst->stopped;
	pthread_mutex_unlock(&vm->lock);
	if (!stopped) {
		status(&w->res, SIGP_STAT_INCORRECT_STATE);
		return;
	}
	if (addr + 512 > vm->mem->size ||
	    hv_ioctl(dst->fd, KVM_S390_STORE_STATUS, (unsigned long)addr) < 0) {
		status(&w->res, SIGP_STAT_INVALID_PARAMETER);
		return;
	}
	fix_stored_prefix(dst, addr);
	w->res.cc = SIGP_CC_ACCEPTED;
}

static void do_reset(struct vcpu *dst, void *arg)
{
	struct sigp_work *w = arg;
	struct vm *vm = dst->vm;
	unsigned long req = w->req.order == SIGP_INITIAL_CPU_RESET ?
				    KVM_S390_INITIAL_RESET :
				    KVM_S390_NORMAL_RESET;

	if (hv_ioctl(dst->fd, req, 0) < 0)
		log_warn("cpu%u: reset: %s", dst->id, strerror(errno));
	/* The initial reset clears the prefix: drop a SET PREFIX still
	 * waiting in the sync registers, or the next KVM_RUN revives it. */
	if (req == KVM_S390_INITIAL_RESET &&
	    (dst->run->kvm_dirty_regs & KVM_SYNC_PREFIX)) {
		dst->run->kvm_dirty_regs &= ~(uint64_t)KVM_SYNC_PREFIX;
		dst->run->s.regs.prefix = 0;
	}
	/* A CPU reset leaves the CPU stopped (QEMU s390_cpu_reset). */
	pthread_mutex_lock(&vm->lock);
	if (vcpu_set_mp_state(dst, KVM_MP_STATE_STOPPED))
		log_warn("cpu%u: KVM_SET_MP_STATE STOPPED: %s", dst->id,
			 strerror(errno));
	dst->stopped = true;
	dst->disabled_wait = false;
	dst->sigp_order = 0;
	pthread_mutex_unlock(&vm->lock);
	w->res.cc = SIGP_CC_ACCEPTED;
}

static int inject(struct vcpu *dst, uint64_t type, uint16_t code)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = type;
	if (type == KVM_S390_INT_EMERGENCY)
		irq.u.emerg.code = code;
	if (hv_ioctl(dst->fd, KVM_S390_IRQ, (unsigned long)&irq) < 0) {
		log_warn("cpu%u: KVM_S390_IRQ 0x%llx: %s", dst->id,
			 (unsigned long long)type, strerror(errno));
		return -errno;
	}
	return 0;
}

/* STOP, STOP AND STORE STATUS: [V] decisions, then the action. */
static void order_stop(struct vcpu *src, struct vcpu *dst,
		       struct sigp_work *w)
{
	struct vm *vm = dst->vm;
	enum { NOTHING, NOW, INJECT } what;

	pthread_mutex_lock(&vm->lock);
	if (dst->stopped)
		what = w->req.order == SIGP_STOP_STORE_STATUS ? NOW : NOTHING;
	else if (dst->disabled_wait)
		what = NOW;
	else
		what = INJECT;
	if (what == INJECT)
		dst->sigp_order = w->req.order;
	pthread_mutex_unlock(&vm->lock);

	w->res.cc = SIGP_CC_ACCEPTED;
	if (what == NOW)
		vcpu_run_on(src, dst, do_stop_now, w);
	else if (what == INJECT)
		inject(dst, KVM_S390_SIGP_STOP, 0);
}

static void order_restart(struct vcpu *src, struct vcpu *dst,
			  struct sigp_work *w)
{
	struct vm *vm = dst->vm;
	bool stopped;

	pthread_mutex_lock(&vm->lock);
	stopped = dst->stopped || dst->disabled_wait;
	pthread_mutex_unlock(&vm->lock);
	w->res.cc = SIGP_CC_ACCEPTED;
	if (stopped)
		vcpu_run_on(src, dst, do_restart_stopped, w);
	else
		inject(dst, KVM_S390_RESTART, 0);
}

/* SET ARCHITECTURE: CC 1, INVALID PARAMETER if every other CPU is
 * stopped, else INCORRECT STATE (the guest is always z/Architecture). */
static void order_set_arch(struct vcpu *src, struct sigp_result *res)
{
	struct vm *vm = src->vm;
	bool all_stopped = true;

	pthread_mutex_lock(&vm->lock);
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (&vm->cpus[i] != src && !vm->cpus[i].stopped)
			all_stopped = false;
	pthread_mutex_unlock(&vm->lock);
	status(res, all_stopped ? SIGP_STAT_INVALID_PARAMETER :
				  SIGP_STAT_INCORRECT_STATE);
}

void sigp_execute(struct vcpu *src, const struct sigp_req *req,
		  struct sigp_result *res)
{
	struct vm *vm = src->vm;
	struct sigp_work w = { .req = *req, .src = src };
	struct vcpu *dst;
	bool busy;

	memset(res, 0, sizeof(*res));
	if (pthread_mutex_trylock(&vm->sigp_lock)) {
		res->cc = SIGP_CC_BUSY;
		return;
	}
	if (req->order == SIGP_SET_ARCHITECTURE) {
		order_set_arch(src, res);
		goto out;
	}
	dst = vm_cpu_by_addr(vm, req->cpu_addr);
	if (!dst) {
		res->cc = SIGP_CC_NOT_OPERATIONAL;
		goto out;
	}
	pthread_mutex_lock(&vm->lock);
	busy = dst->sigp_order != 0;
	pthread_mutex_unlock(&vm->lock);
	if (busy && req->order != SIGP_CPU_RESET &&
	    req->order != SIGP_INITIAL_CPU_RESET) {
		res->cc = SIGP_CC_BUSY;
		goto out;
	}

	switch (req->order) {
	case SIGP_START:
		vcpu_run_on(src, dst, do_start, &w);
		break;
	case SIGP_STOP:
	case SIGP_STOP_STORE_STATUS:
		order_stop(src, dst, &w);
		break;
	case SIGP_RESTART:
		order_restart(src, dst, &w);
		break;
	case SIGP_SET_PREFIX:
		vcpu_run_on(src, dst, do_set_prefix, &w);
		break;
	case SIGP_STORE_STATUS_AT_ADDRESS:
		vcpu_run_on(src, dst, do_store_status_at, &w);
		break;
	case SIGP_INITIAL_CPU_RESET:
	case SIGP_CPU_RESET:
		vcpu_run_on(src, dst, do_reset, &w);
		break;
	case SIGP_EMERGENCY_SIGNAL:
	case SIGP_COND_EMERGENCY_SIGNAL:
		/* The kernel does these; should one arrive, deliver it. */
		w.res.cc = SIGP_CC_ACCEPTED;
		if (inject(dst, KVM_S390_INT_EMERGENCY, (uint16_t)src->id))
			w.res.cc = SIGP_CC_BUSY;
		break;
	default:
		/* SENSE, EXTERNAL CALL and SENSE RUNNING belong to the
		 * kernel (QEMU answers them so too); STORE ADDITIONAL
		 * STATUS needs vector or guarded storage; unknown orders. */
		status(&w.res, SIGP_STAT_INVALID_ORDER);
		break;
	}
	*res = w.res;
out:
	pthread_mutex_unlock(&vm->sigp_lock);
}

static const char *cc_meaning(uint8_t cc)
{
	static const char *const m[] = {
		"accepted", "status stored", "busy", "not operational",
	};

	return m[cc & 3];
}

/* --trace sigp: "SIGP cpu0 -> cpu1 START param=0x0 -> cc=0 (accepted)". */
static void trace_sigp(const struct vcpu *src, const struct sigp_req *req,
		       const struct sigp_result *res)
{
	char status[80] = "";

	if (res->cc == SIGP_CC_STATUS_STORED)
		snprintf(status, sizeof(status), " status=0x%08x%s%s%s",
			 res->status,
			 res->status & SIGP_STAT_INCORRECT_STATE ?
				 " incorrect-state" : "",
			 res->status & SIGP_STAT_INVALID_PARAMETER ?
				 " invalid-parameter" : "",
			 res->status & SIGP_STAT_INVALID_ORDER ?
				 " invalid-order" : "");
	trace_line("SIGP cpu%u -> cpu%u %s param=0x%llx -> cc=%u (%s)%s",
		   src->id, req->cpu_addr, trace_sigp_order_name(req->order),
		   (unsigned long long)req->param, res->cc,
		   cc_meaning(res->cc), status);
}

int sigp_handle(struct vcpu *cpu)
{
	struct sigp_req req;
	struct sigp_result res;

	sigp_decode(cpu->run, &req);
	sigp_execute(cpu, &req, &res);
	if (trace_on(TRACE_SIGP))
		trace_sigp(cpu, &req, &res);
	sigp_apply(cpu->run, &req, &res);
	return 0;
}
