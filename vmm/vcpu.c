// SPDX-License-Identifier: MIT
/*
 * A vCPU thread: the KVM_RUN loop, the kick (spec 2.6), parking, and the
 * dispatch of exits to their handlers.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "hv.h"
#include "log.h"
#include "seccomp-filter.h"
#include "status.h"
#include "trace.h"
#include "vm.h"

#define SIG_KICK SIGUSR1

static _Thread_local struct kvm_run *kick_run;

static void kick_handler(int sig)
{
	(void)sig;
	if (kick_run)
		__atomic_store_n(&kick_run->immediate_exit, 1, __ATOMIC_RELAXED);
}

int vcpu_kick_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN returns */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIG_KICK, &sa, NULL) < 0) {
		log_error("sigaction: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* [V] held by the caller (or the VM not yet running). */
void vcpu_kick(struct vcpu *cpu)
{
	if (cpu->has_thread && !cpu->exited)
		pthread_kill(cpu->thread, SIG_KICK);
}

int vcpu_set_mp_state(struct vcpu *cpu, uint32_t state)
{
	struct kvm_mp_state mp = { .mp_state = state };

	if (hv_ioctl(cpu->fd, KVM_SET_MP_STATE, (unsigned long)&mp) < 0)
		return -errno;
	return 0;
}

void vcpu_set_cc(struct kvm_run *run, unsigned cc)
{
	run->psw_mask = (run->psw_mask & ~(3ULL << PSW_CC_SHIFT)) |
			((uint64_t)(cc & 3) << PSW_CC_SHIFT);
}

uint64_t icpt_rs_addr(const struct kvm_run *run)
{
	uint32_t ipb = run->s390_sieic.ipb;
	unsigned b2 = ipb >> 28;
	uint64_t d2 = (ipb >> 16) & 0xfff;

	return (b2 ? run->s.regs.gprs[b2] : 0) + d2;
}

void vcpu_program_int(struct vcpu *cpu, uint16_t code)
{
	struct kvm_s390_irq irq;

	memset(&irq, 0, sizeof(irq));
	irq.type = KVM_S390_PROGRAM_INT;
	irq.u.pgm.code = code;
	/* The intercepted instruction (SERVC, DIAG, SIGP) is 4 bytes. */
	irq.u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID | 4;
	if (hv_ioctl(cpu->fd, KVM_S390_IRQ, (unsigned long)&irq) < 0) {
		log_error("cpu%u: KVM_S390_IRQ (program 0x%x): %s", cpu->id,
			  code, strerror(errno));
		vm_end(cpu->vm, ZVMM_EXIT_HV_FAILURE);
	}
}

/* The request queue of vcpu_run_on(): on cpu's thread, [V] held. */
static void serve_work_locked(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	vcpu_work_fn fn = cpu->work;
	void *arg = cpu->work_arg;

	cpu->parked = false;
	pthread_mutex_unlock(&vm->lock);
	fn(cpu, arg);
	pthread_mutex_lock(&vm->lock);
	cpu->work = NULL;
	cpu->work_done = true;
	pthread_cond_broadcast(&vm->cond);
}

bool vcpu_run_on(struct vcpu *self, struct vcpu *cpu, vcpu_work_fn fn,
		 void *arg)
{
	struct vm *vm = cpu->vm;
	bool ok;

	pthread_mutex_lock(&vm->lock);
	if (cpu == self || !cpu->has_thread || cpu->exited) {
		pthread_mutex_unlock(&vm->lock);
		fn(cpu, arg);
		return true;
	}
	while (cpu->work && !vm->over)
		pthread_cond_wait(&vm->cond, &vm->lock);
	if (vm->over) {
		pthread_mutex_unlock(&vm->lock);
		return false;
	}
	cpu->work = fn;
	cpu->work_arg = arg;
	cpu->work_done = false;
	vcpu_kick(cpu);
	pthread_cond_broadcast(&vm->cond);
	while (!cpu->work_done && !vm->over)
		pthread_cond_wait(&vm->cond, &vm->lock);
	ok = cpu->work_done;
	pthread_mutex_unlock(&vm->lock);
	return ok;
}

static bool runnable_locked(const struct vcpu *cpu)
{
	return !cpu->vm->pause_count && !cpu->stopped && !cpu->disabled_wait;
}

/* Wait until there is something to do; false when the VM is over. */
static bool vcpu_wait_runnable(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;

	pthread_mutex_lock(&vm->lock);
	for (;;) {
		if (cpu->work) {
			serve_work_locked(cpu);
			continue;
		}
		if (vm->over)
			break;
		if (runnable_locked(cpu)) {
			cpu->parked = false;
			pthread_mutex_unlock(&vm->lock);
			return true;
		}
		if (!cpu->parked) {
			cpu->parked = true;
			pthread_cond_broadcast(&vm->cond);
		}
		pthread_cond_wait(&vm->cond, &vm->lock);
	}
	cpu->parked = true;
	pthread_mutex_unlock(&vm->lock);
	return false;
}

void *vcpu_thread(void *arg)
{
	struct vcpu *cpu = arg;
	struct vm *vm = cpu->vm;
	sigset_t kick;

	kick_run = cpu->run;
	trace_set_cpu(cpu->id);
	sigemptyset(&kick);
	sigaddset(&kick, SIG_KICK);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	/* This thread's own, narrower allow-list, before the guest runs:
	 * the guest never runs on a vCPU thread without it. */
	if (seccomp_vcpu_enter(cpu->id))
		vm_end(vm, ZVMM_EXIT_UNAVAILABLE);

	for (;;) {
		/* Cleared before the checks: a later kick sets it again. */
		__atomic_store_n(&cpu->run->immediate_exit, 0, __ATOMIC_RELAXED);
		if (!vcpu_wait_runnable(cpu))
			break;
		if (hv_ioctl(cpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_error("cpu%u: KVM_RUN: %s (PSW %016llx %016llx)",
				  cpu->id, strerror(errno),
				  (unsigned long long)cpu->run->psw_mask,
				  (unsigned long long)cpu->run->psw_addr);
			vm_end(vm, ZVMM_EXIT_HV_FAILURE);
			continue;
		}
		vcpu_handle_exit(cpu);
	}
	pthread_mutex_lock(&vm->lock);
	cpu->exited = true;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Exits                                                               */

static void guest_fatal(struct vcpu *cpu, int status, const char *what)
{
	log_error("cpu%u: %s; PSW %016llx %016llx", cpu->id, what,
		  (unsigned long long)cpu->run->psw_mask,
		  (unsigned long long)cpu->run->psw_addr);
	vm_end(cpu->vm, status);
}

/* With no CPU left running the VM is over: the code of the EXIT line if
 * the guest printed one (kvm-unit-tests' convention), else 0. [V] */
static void maybe_end_stopped_locked(struct vm *vm)
{
	int code;

	if (vm_running_cpus_locked(vm) || vm->reset_req != VM_RESET_NONE)
		return;
	pthread_mutex_lock(&vm->sclp_lock);
	code = vm->exit_line_code;
	pthread_mutex_unlock(&vm->sclp_lock);
	vm_end_locked(vm, code < 0 ? 0 : code);
}

/* Stop this CPU (on its own thread, [V] held); STOP AND STORE STATUS
 * stores at absolute 0x1200 (QEMU's do_stop_interrupt). */
static void stop_self_locked(struct vcpu *cpu)
{
	int r = vcpu_set_mp_state(cpu, KVM_MP_STATE_STOPPED);

	if (r)
		log_error("cpu%u: KVM_SET_MP_STATE STOPPED: %s", cpu->id,
			  strerror(-r));
	if (cpu->sigp_order == 0x09 &&
	    hv_ioctl(cpu->fd, KVM_S390_STORE_STATUS,
		     KVM_S390_STORE_STATUS_NOADDR) < 0)
		log_warn("cpu%u: STORE STATUS: %s", cpu->id, strerror(errno));
	cpu->sigp_order = 0;
	cpu->stopped = true;
	maybe_end_stopped_locked(cpu->vm);
}

static void handle_stop(struct vcpu *cpu)
{
	pthread_mutex_lock(&cpu->vm->lock);
	stop_self_locked(cpu);
	pthread_mutex_unlock(&cpu->vm->lock);
}

/* Disabled wait: the CPU is halted for good; the last one ends the VM
 * with the code in its PSW address (docs/guest-abi.md 6). */
static void handle_disabled_wait(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	uint64_t addr = cpu->run->psw_addr;
	int code;

	pthread_mutex_lock(&vm->lock);
	if (cpu->sigp_order) {
		/* A STOP raced with the wait: it stops the CPU (QEMU). */
		stop_self_locked(cpu);
		pthread_mutex_unlock(&vm->lock);
		return;
	}
	cpu->disabled_wait = true;
	if (vm_running_cpus_locked(vm) == 0) {
		code = guest_exit_code(addr);
		if (code < 0) {
			log_error("cpu%u: guest crashed: disabled wait, PSW %016llx %016llx",
				  cpu->id,
				  (unsigned long long)cpu->run->psw_mask,
				  (unsigned long long)addr);
			code = ZVMM_EXIT_GUEST_CRASH;
		}
		vm_end_locked(vm, code);
	}
	pthread_mutex_unlock(&vm->lock);
}

static int handle_instruction(struct vcpu *cpu)
{
	uint16_t ipa = cpu->run->s390_sieic.ipa;

	switch (ipa >> 8) {
	case 0xb2:
		if (ipa == 0xb220)
			return servc_handle(cpu);
		break;
	case 0x83:
		return diag_handle(cpu);
	case 0xae:
		return sigp_handle(cpu);
	}
	/* Anything else the hypervisor leaves to us: operation exception
	 * (QEMU's default). */
	vcpu_program_int(cpu, 0x01);
	return 0;
}

int vcpu_handle_exit(struct vcpu *cpu)
{
	struct kvm_run *run = cpu->run;
	char what[96];

	if (trace_on(TRACE_EXIT))
		trace_exit(run);
	switch (run->exit_reason) {
	case KVM_EXIT_INTR:
		return 0;
	case KVM_EXIT_S390_STSI:
		return stsi_handle(cpu);
	case KVM_EXIT_S390_RESET:
		vm_request_reset(cpu->vm,
				 (run->s390_reset_flags & KVM_S390_RESET_CLEAR) ?
					 VM_RESET_REIPL_CLEAR : VM_RESET_REIPL,
				 cpu->id);
		return 0;
	case KVM_EXIT_S390_SIEIC:
		break;
	default:
		snprintf(what, sizeof(what), "KVM_RUN exit %s (reason %u)",
			 trace_exit_name(run->exit_reason), run->exit_reason);
		guest_fatal(cpu, ZVMM_EXIT_HV_FAILURE, what);
		return -EIO;
	}

	switch (run->s390_sieic.icptcode) {
	case 0x04:
		return handle_instruction(cpu);
	case 0x1c:
		handle_disabled_wait(cpu);
		return 0;
	case 0x28:
		handle_stop(cpu);
		return 0;
	case 0x08:
		guest_fatal(cpu, ZVMM_EXIT_GUEST_CRASH,
			    "program interruption loop (intercept 0x08): the program-new PSW is invalid");
		return -EIO;
	case 0x14:
		guest_fatal(cpu, ZVMM_EXIT_GUEST_CRASH,
			    "external interruption loop (intercept 0x14)");
		return -EIO;
	case 0x2c:
		/* Without USER_INSTR0 (not enabled here) the hypervisor hands
		 * over an operation exception only when its program-new PSW
		 * leads straight back to it: a loop the guest cannot leave. */
		guest_fatal(cpu, ZVMM_EXIT_GUEST_CRASH,
			    "operation-exception loop (intercept 0x2c): the program-new PSW leads back to the failing instruction");
		return -EIO;
	default:
		snprintf(what, sizeof(what),
			 "unknown intercept code 0x%02x (ipa 0x%04x ipb 0x%08x)",
			 run->s390_sieic.icptcode, run->s390_sieic.ipa,
			 run->s390_sieic.ipb);
		guest_fatal(cpu, ZVMM_EXIT_HV_FAILURE, what);
		return -EIO;
	}
}
