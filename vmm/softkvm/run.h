/* SPDX-License-Identifier: MIT */
/*
 * softkvm KVM_RUN internals, shared by run.c (entry, exit, the loop, the
 * enabled wait), intercept.c (instruction intercepts, STSI, channel I/O),
 * diag.c, sigp.c and timer.c. docs/softkvm.md, "KVM_RUN", describes them.
 */
#ifndef ZVMM_SOFTKVM_RUN_H
#define ZVMM_SOFTKVM_RUN_H

#include "softkvm/cpu/cpu.h"
#include "softkvm/softkvm.h"

/* Instructions per s390_cpu_run(): immediate_exit, injections and the
 * timers are looked at between two runs. */
#define SK_BUDGET 20000

/*
 * The interpreter's guest memory: the slot at guest address 0. Rebuilt
 * when that slot changes; old ones stay on the `older` list until the VM
 * goes, because a vCPU may still run on one. [vm->lock]
 */
struct sk_mem {
	struct s390_mem m;
	uint8_t *host;
	uint64_t size;
	struct sk_mem *older;
};

/*
 * A vCPU's KVM_RUN state. `c` belongs to the thread in KVM_RUN. The
 * fields marked [L] are what other vCPUs' SIGPs and the injectors see.
 */
struct sk_cpu {
	struct s390_cpu c;
	int wake_fd;                 /* eventfd: an injection or kick */
	bool in_run;                 /* inside KVM_RUN [L] */
	bool idle;                   /* in an enabled wait [L] */
	/* PSW and CR3/CR4 as of the last exit or wait, for CONDITIONAL
	 * EMERGENCY SIGNAL from another vCPU [L] */
	uint64_t pub_psw_mask, pub_psw_addr, pub_cr3, pub_cr4;
	/* the last vm->dirty_gen this vCPU synced its dirty state for, 0
	 * while outside the run loop or in an enabled wait (nothing to
	 * wait for then: it synced on the way out); atomic */
	uint64_t dirty_ack;
};

/* What an intercept handler tells the loop. */
enum { SK_CONTINUE = 0, SK_EXIT = 1 };

/* Fill kvm_run for a KVM_EXIT_S390_SIEIC exit. */
void sk_exit_sieic(struct sk_vcpu *v, uint8_t icptcode, uint16_t ipa,
		   uint32_t ipb);
/* Set the guest's condition code. */
void sk_set_cc(struct s390_cpu *c, unsigned cc);
/* The RS/S operand address (spec 2.4): (b2 ? gpr[b2] : 0) + d2. */
uint64_t sk_icpt_addr(const struct s390_cpu *c);
/* Copy the interpreter's registers to kvm_run and the SIE state (for
 * STORE STATUS of the running vCPU itself). */
void sk_cpu_to_vcpu(struct sk_vcpu *v);

/* cpumodel.c: the VM's CPU model into a vCPU's interpreter. */
void sk_cpu_model_apply(const struct sk_vm *vm, struct s390_cpu *c);

/* intercept.c: S390_EV_INTERCEPT. SK_CONTINUE, SK_EXIT or -errno. */
int sk_handle_intercept(struct sk_vcpu *v);
/* diag.c: DIAGNOSE (0x83). */
int sk_handle_diag(struct sk_vcpu *v);
/* sigp.c: SIGNAL PROCESSOR (0xAE). */
int sk_handle_sigp(struct sk_vcpu *v);

/* timer.c */
/* Clock-comparator / CPU-timer interruption conditions (spec 4.4), each
 * already ANDed with PSW EXT and its CR0 submask. */
bool sk_ckc_due(const struct s390_cpu *c, uint64_t tod);
bool sk_cputm_due(const struct s390_cpu *c);
/* Nanoseconds until the CKC or CPU timer (whichever is enabled) comes
 * due: 0 if already due, -1 if neither is enabled. */
int64_t sk_timer_deadline_ns(const struct s390_cpu *c);
/* SCK: the VM's TOD for every vCPU (the kernel's set_tod_clock). */
void sk_set_guest_tod(struct sk_vm *vm, uint64_t tod);

#endif
