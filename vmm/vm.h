/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_VM_H
#define ZVMM_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "guest-mem.h"
#include "kvm-abi.h"
#include "loader.h"
#include "sclp.h"
#include "status.h"

/* DIAG 0x288 watchdog state (diag.h). */
struct diag288_state {
	bool enabled;
	uint64_t deadline_ns;
};

/*
 * The VM: bring-up through hv_ioctl (spec 1.3), one thread per vCPU
 * (vcpu.c), the main thread's console loop, pause/resume, machine resets
 * and the end of the VM. docs/vmm.md describes the threads and locks.
 */


#define PSW_MASK_EXT		0x0100000000000000ULL
#define PSW_MASK_WAIT		0x0002000000000000ULL
#define PSW_MASK_PSTATE		0x0001000000000000ULL
#define PSW_MASK_64		0x0000000180000000ULL
#define PSW_CC_SHIFT		44

struct vm;
struct vcpu;
struct control;
typedef void (*vcpu_work_fn)(struct vcpu *cpu, void *arg);

/*
 * One vCPU. `fd` and `run` belong to the vCPU's thread; other threads
 * reach them only through vcpu_run_on() (or while the VM is paused).
 * Fields marked [V] are guarded by vm->lock.
 */
struct vcpu {
	struct vm *vm;
	unsigned id;			/* CPU address = KVM vcpu id */
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool has_thread;
	bool stopped;			/* [V] MP state STOPPED */
	bool disabled_wait;		/* [V] ended in a disabled wait */
	bool parked;			/* [V] outside KVM_RUN, state current */
	bool exited;			/* [V] the thread has returned */
	uint8_t sigp_order;		/* [V] STOP / STOP AND STORE in flight */
	vcpu_work_fn work;		/* [V] a request from another thread */
	void *work_arg;			/* [V] */
	bool work_done;			/* [V] */
};

enum vm_reset_kind {
	VM_RESET_NONE,
	VM_RESET_REIPL,		/* KVM_EXIT_S390_RESET: reload, start CPU 0 */
	VM_RESET_REIPL_CLEAR,	/* the same, memory cleared first */
	VM_RESET_MOD_CLEAR,	/* DIAG 308 0: clear resets, load normal */
	VM_RESET_LOAD_NORMAL,	/* DIAG 308 1: resets, load normal */
};

struct vm {
	const struct zvmm_config *cfg;
	struct guest_mem *mem;
	struct elf_image *img;
	enum accel_kind accel;
	int sys_fd, vm_fd, flic_fd;
	long run_size;
	unsigned ncpus;
	struct vcpu *cpus;

	pthread_mutex_t lock;		/* [V] */
	pthread_cond_t cond;		/* any [V] change */
	unsigned pause_count;		/* [V] vCPUs must park while > 0 */
	bool over;			/* [V] the VM has ended */
	int exit_code;			/* [V] */
	enum vm_reset_kind reset_req;	/* [V] for the main thread */
	unsigned reset_cpu;		/* [V] the CPU that asked */
	int wake_pipe[2];		/* main thread wake-up */
	bool stuck;			/* a vCPU thread never returned */

	pthread_mutex_t sigp_lock;	/* one SIGP at a time (QEMU) */

	pthread_mutex_t sclp_lock;	/* sclp, console scanner */
	struct sclp *sclp;
	int exit_line_code;		/* last "EXIT: STATUS=" code, or -1 */
	char line[64];			/* console line being scanned */
	unsigned line_len;
	bool line_long;

	/* DIAG 308 5/6: the IPL parameter block the guest set. */
	uint32_t iplb_len;
	uint8_t *iplb;
	/* DIAG 288: the watchdog [sclp_lock]. */
	struct diag288_state wdt;

	/* The control socket, or NULL; the main thread's (control.h). */
	struct control *control;
};

/* Bring-up (spec 1.3). The image is already in gm. 0 or -errno, logged. */
int vm_create(struct vm *vm, const struct zvmm_config *cfg,
	      enum accel_kind accel, struct guest_mem *gm,
	      struct elf_image *img);
/* The same without loading the boot CPU: every vCPU is created, reset
 * and left for the caller to set up (an incoming migration). */
int vm_create_machine(struct vm *vm, const struct zvmm_config *cfg,
		      enum accel_kind accel, struct guest_mem *gm,
		      struct elf_image *img);
void vm_destroy(struct vm *vm);

/* Start the vCPU threads, run the console until the VM ends, and return
 * the exit status of `zvmm run`. */
int vm_run(struct vm *vm);
/* vm_run() in two steps: start the vCPU threads (0, or an exit status
 * after a logged failure), then serve the main loop until the end. */
int vm_start(struct vm *vm);
int vm_wait_end(struct vm *vm);

/* End the VM with `code` (the first call wins). Takes vm->lock. */
void vm_end(struct vm *vm, int code);
void vm_end_locked(struct vm *vm, int code);

/* Park every vCPU at an instruction boundary with its kvm_run current;
 * vm_resume() lets them go. Not from a vCPU thread. */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);

/* Ask the main thread for a machine reset (DIAG 308, RESET exit). */
void vm_request_reset(struct vm *vm, enum vm_reset_kind kind, unsigned cpu);
/* Carry it out: the VM must be paused. 0 or -errno. */
int vm_do_reset(struct vm *vm, enum vm_reset_kind kind, unsigned cpu);

/* CPUs neither stopped nor in a disabled wait. [V] */
unsigned vm_running_cpus_locked(const struct vm *vm);

/* A vCPU by CPU address, or NULL. */
struct vcpu *vm_cpu_by_addr(struct vm *vm, uint64_t addr);

/* Inject a floating service signal (VM fd). 0 or -errno. */
int vm_inject_service(struct vm *vm, uint32_t param);

/* Wake the main thread (watchdog changes, resets, the end). */
void vm_wake_main(struct vm *vm);
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t vm_now_ns(void);

/* Guest exit code from a disabled-wait PSW address (docs/guest-abi.md 6):
 * 0..255, or -1 when the address is not an exit (a crash). */
int guest_exit_code(uint64_t psw_addr);

/* ------------------------------------------------------------------ */
/* vcpu.c                                                              */

/* The kick signal and its handler (spec 2.6); once per process. */
int vcpu_kick_init(void);
void vcpu_kick(struct vcpu *cpu);
void *vcpu_thread(void *arg);

/* Run fn on cpu's own thread and wait for it (or run it here if cpu is
 * the caller or has no thread). false if the VM ended first. */
bool vcpu_run_on(struct vcpu *self, struct vcpu *cpu, vcpu_work_fn fn,
		 void *arg);

/* Handle one exit of KVM_RUN. 0 to go on; the VM's end is vm_end(). */
int vcpu_handle_exit(struct vcpu *cpu);

/* Set MP state through hv_ioctl; on the vCPU's thread. 0 or -errno. */
int vcpu_set_mp_state(struct vcpu *cpu, uint32_t state);

/* Inject a program interruption after an intercept of a 4-byte
 * instruction (spec pitfall 24). */
void vcpu_program_int(struct vcpu *cpu, uint16_t code);

/* The condition code in the PSW of kvm_run. */
void vcpu_set_cc(struct kvm_run *run, unsigned cc);

/* The second-operand address of an RS/S intercept (spec 2.4). */
uint64_t icpt_rs_addr(const struct kvm_run *run);

/* ------------------------------------------------------------------ */
/* sigp.c, diag.c, stsi.c, console.c                                   */

int sigp_handle(struct vcpu *cpu);
int diag_handle(struct vcpu *cpu);
int stsi_handle(struct vcpu *cpu);
int servc_handle(struct vcpu *cpu);

/* Console output callback for the SCLP module (opaque = struct vm). */
int console_output(void *opaque, const char *buf, size_t len);
/* Feed console bytes through the EXIT-line scanner. [sclp_lock] */
void console_scan(struct vm *vm, const char *buf, size_t len);

#endif
