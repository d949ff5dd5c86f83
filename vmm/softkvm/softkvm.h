/* SPDX-License-Identifier: MIT */
/*
 * softkvm: the s390 KVM ioctl ABI in user space (docs/softkvm.md).
 *
 * Every softkvm object (system, VM, vCPU, FLIC device) owns a real file
 * descriptor, so the VMM handles them exactly like /dev/kvm's: a vCPU fd is
 * a 4096-byte memfd holding its struct kvm_run, mmap()ed by the VMM and by
 * softkvm. softkvm keeps a table fd -> object; hv.c routes an ioctl to
 * softkvm_ioctl() when softkvm_owns() the fd.
 *
 * Results follow the kernel: >= 0 on success, -errno on failure (hv_ioctl
 * turns that into -1/errno). "User pointers" in ioctl arguments are plain
 * host pointers; NULL stands for a bad one (-EFAULT).
 *
 * The second half of this header is softkvm-internal: the objects, their
 * locks, and the entry points the KVM_RUN/interpreter code uses.
 */
#ifndef ZVMM_SOFTKVM_H
#define ZVMM_SOFTKVM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvm-abi.h"
#include "softkvm/irq.h"

/* ------------------------------------------------------------------------ */
/* Public                                                                   */
/* ------------------------------------------------------------------------ */

/* A new system ("/dev/kvm") fd, or -errno. */
int softkvm_open(void);

/* Is fd a live softkvm object? (A closed-and-reused fd number is not.) */
bool softkvm_owns(int fd);

/* One ioctl on a softkvm fd: the kernel's result, or -errno (-EBADF if fd
 * is not softkvm's). */
long softkvm_ioctl(int fd, unsigned long req, unsigned long arg);

/*
 * The same for a dispatcher that handles foreign fds itself: false (and
 * nothing done) if fd is not softkvm's, else true with the result in *res.
 */
bool softkvm_try_ioctl(int fd, unsigned long req, unsigned long arg,
		       long *res);

/*
 * Release the object behind fd and close(fd). A VM lives on while any of
 * its vCPU or device fds is open (as in the kernel). A plain close(fd) is
 * detected on the next lookup (the fd's inode no longer matches) and the
 * stale entry is dropped then. 0 or -errno.
 */
int softkvm_close(int fd);

/* ------------------------------------------------------------------------ */
/* Internal                                                                 */
/* ------------------------------------------------------------------------ */

#define SK_MAX_VCPUS ZVMM_KVM_S390_MAX_VCPUS   /* 255, ids 0..254 */
#define SK_NR_MEMSLOTS 32                      /* KVM_USER_MEM_SLOTS on s390 */
#define SK_RUN_SIZE 4096                       /* KVM_GET_VCPU_MMAP_SIZE */
#define SK_MEMOP_MAX 65536                     /* KVM_CAP_S390_MEM_OP */
#define SK_SEG (1ULL << 20)                    /* 1 MiB: s390 slot granule */
#define SK_PAGE 4096ULL
#define SK_MAX_SLOT_PAGES 0x7fffffffULL         /* KVM_MEM_MAX_NR_PAGES */
/* The kernel's mem_limit without an SCLP limit: TASK_SIZE_MAX = -PAGE_SIZE. */
#define SK_MEM_LIMIT (0ULL - SK_PAGE)

/* Initial values of the initial/clear reset (kernel CR0/CR14_INITIAL_MASK). */
#define SK_CR0_INITIAL 0xE0ULL
#define SK_CR14_INITIAL 0xC2000000ULL

/* kvm_valid_regs of a new vCPU on a host without the vector facility. */
#define SK_VALID_REGS                                                         \
	(KVM_SYNC_PREFIX | KVM_SYNC_GPRS | KVM_SYNC_ACRS | KVM_SYNC_CRS |     \
	 KVM_SYNC_ARCH0 | KVM_SYNC_PFAULT | KVM_SYNC_DIAG318 | KVM_SYNC_FPRS)

struct sk_memslot {
	bool used;
	bool guest_mapped;    /* false: gpa off the 1 MiB grid (kernel: the
	                         slot exists but the guest cannot use it) */
	uint32_t flags;       /* KVM_MEM_LOG_DIRTY_PAGES */
	uint64_t gpa, size;
	uint8_t *host;        /* userspace_addr */
	uint64_t *dirty;      /* one bit per page, host unsigned long order */
	uint8_t *keys;        /* one storage key per page, once keys are on */
};

/*
 * The CPU model (KVM_S390_VM_CPU_MODEL, cpumodel.c): what the vCPUs report
 * in STIDP, STFL and STFLE. Set only while the VM has no vCPU, so vCPUs
 * may read it without a lock. [F]
 */
#define SK_FAC_DW 256                           /* S390_ARCH_FAC_LIST_SIZE_U64 */
#define SK_CPUID S390_DEFAULT_CPUID
struct sk_cpu_model {
	uint64_t cpuid;
	uint16_t ibc;
	uint64_t fac_list[SK_FAC_DW];
	uint64_t feat[16];                      /* kvm_s390_vm_cpu_feat */
	uint8_t subfunc[2048];                  /* kvm_s390_vm_cpu_subfunc */
};

struct sk_vcpu;
struct sk_mem;    /* run.c: the interpreter's view of guest memory */
struct sk_cpu;    /* run.c: a vCPU's interpreter state and wait machinery */

/*
 * A VM. `lock` guards everything here (memslots, TOD epoch, caps, storage
 * keys, the FLIC) and is the irq module's [F] lock for `fi`.
 */
struct sk_vm {
	pthread_mutex_t lock;
	int refs;                     /* fds + ioctls in flight (atomic) */
	struct skirq_float fi;
	struct sk_memslot slots[SK_NR_MEMSLOTS];
	uint64_t epoch;               /* guest TOD - host TOD */
	bool user_sigp, user_stsi, user_instr0;
	bool user_cpu_state_ctrl;     /* sticky; atomic access */
	bool skeys_enabled;
	bool apf_enabled;
	bool has_flic;
	unsigned nr_vcpus;
	struct sk_vcpu *vcpus[SK_MAX_VCPUS];  /* by id; atomic access */
	struct sk_mem *mem;           /* run.c; built at the first KVM_RUN */
	struct sk_cpu_model model;
	/*
	 * Dirty-log harvests (run.c, sk_run_dirty_sync): each one bumps
	 * dirty_gen and waits until every vCPU inside KVM_RUN has synced its
	 * interpreter's dirty state for it. dirty_lock/dirty_cond are for
	 * that wait only; dirty_gen is atomic.
	 */
	uint64_t dirty_gen;
	pthread_mutex_t dirty_lock;
	pthread_cond_t dirty_cond;
};

/*
 * What the kernel keeps in the SIE block and vcpu->arch rather than in
 * kvm_run. gprs, acrs, fprs and fpc live in kvm_run itself (run->s.regs),
 * as in the kernel between KVM_RUN calls.
 */
struct sk_sie {
	uint64_t psw_mask, psw_addr;
	uint32_t prefix;
	uint64_t cr[16];
	uint32_t todpr;
	uint64_t cputm, ckc, pp, gbea;
	uint64_t pft, pfs, pfc;
	uint64_t diag318;
	uint64_t epoch;               /* this vCPU's TOD epoch; atomic access */
};

/*
 * A vCPU. `ioctl_lock` is the kernel's vcpu->mutex: every vCPU ioctl but
 * KVM_S390_IRQ / KVM_S390_INTERRUPT holds it, KVM_RUN for its whole run;
 * `sie` and run->s.regs belong to its holder. `lock` is the irq module's
 * [L] lock: `li`, `stopped` and `wake`.
 */
struct sk_vcpu {
	struct sk_vm *vm;
	unsigned id;
	struct kvm_run *run;          /* the shared memfd page */
	pthread_mutex_t ioctl_lock;
	pthread_mutex_t lock;
	pthread_cond_t wake;          /* signalled on injection, under lock */
	struct skirq_local li;
	bool stopped;
	uint8_t last_ilen;            /* last intercepted instruction */
	struct sk_sie sie;
	struct sk_cpu *cpu;           /* run.c; set at the first KVM_RUN [L] */
};

/* object.c */
void sk_vm_get(struct sk_vm *vm);
void sk_vm_put(struct sk_vm *vm);
int sk_new_fd(const char *name, uint64_t size);
int sk_register(int fd, int kind, struct sk_vm *vm, void *obj);
long sk_check_extension(unsigned long cap);

enum { SK_SYS = 1, SK_VM, SK_VCPU, SK_FLIC };

/*
 * The vCPU / VM behind an fd, without a reference: valid only while the fd
 * stays open (tests and the KVM_RUN glue). NULL if fd is not one.
 */
struct sk_vcpu *sk_lookup_vcpu(int fd);
struct sk_vm *sk_lookup_vm(int fd);

/* vm.c */
long sk_create_vm(unsigned long type);
long sk_vm_ioctl(struct sk_vm *vm, unsigned long req, unsigned long arg);
void sk_vm_destroy(struct sk_vm *vm);
/* Wake a vCPU for a new floating interrupt. [F held] */
void sk_vm_kick_float(struct sk_vm *vm);
bool sk_vm_user_cpu_state_ctrl(struct sk_vm *vm);

/* memslot.c (all take vm->lock themselves unless marked [F]) */
long sk_set_memory_region(struct sk_vm *vm,
			  const struct kvm_userspace_memory_region *m);
long sk_get_dirty_log(struct sk_vm *vm, struct kvm_dirty_log *log);
long sk_get_skeys(struct sk_vm *vm, const struct kvm_s390_skeys *a);
long sk_set_skeys(struct sk_vm *vm, const struct kvm_s390_skeys *a);
void sk_memslots_free(struct sk_vm *vm);
/* Host pointer for absolute [gpa, gpa+len) inside one slot, or NULL. [F] */
uint8_t *sk_abs_ptr(struct sk_vm *vm, uint64_t gpa, uint64_t len);
/* Copy to/from absolute storage (may span slots); false if unbacked. [F] */
bool sk_abs_write(struct sk_vm *vm, uint64_t gpa, const void *buf,
		  uint64_t len);
bool sk_abs_read(struct sk_vm *vm, uint64_t gpa, void *buf, uint64_t len);
/* Dirty-log marking for writes done behind the slots' back. [F] */
void sk_mark_dirty_locked(struct sk_vm *vm, uint64_t gpa, uint64_t len);
/* The same, taking vm->lock (interpreter and intercept paths). */
void softkvm_mark_dirty(struct sk_vm *vm, uint64_t gpa, uint64_t len);
/* Storage keys on (first ISKE/SSKE/RRBE, or SET_SKEYS). [F] */
int sk_skeys_enable_locked(struct sk_vm *vm);

/* tod.c */
/* Host TOD: CLOCK_MONOTONIC in TOD units, offset once to wall time. */
uint64_t softkvm_host_tod(void);
/* What this vCPU's guest sees (host TOD + its epoch). */
uint64_t softkvm_guest_tod(const struct sk_vcpu *vcpu);
long sk_tod_attr(struct sk_vm *vm, unsigned long req,
		 const struct kvm_device_attr *attr);

/* cpumodel.c */
void sk_cpu_model_init(struct sk_vm *vm);
long sk_cpu_model_attr(struct sk_vm *vm, unsigned long req,
		       const struct kvm_device_attr *attr);

/* flic.c */
long sk_create_device(struct sk_vm *vm, struct kvm_create_device *cd);
long sk_flic_ioctl(struct sk_vm *vm, unsigned long req, unsigned long arg);

/* vcpu.c */
long sk_create_vcpu(struct sk_vm *vm, unsigned long id);
long sk_vcpu_ioctl(struct sk_vcpu *vcpu, unsigned long req,
		   unsigned long arg);
void sk_vcpu_free(struct sk_vcpu *vcpu);
/* KVM_S390_STORE_STATUS semantics (addr or NOADDR/PREFIXED). 0/-EFAULT. */
int sk_store_status(struct sk_vcpu *vcpu, uint64_t addr);
/* Fill the irq module's view of this vCPU. [L] */
void sk_vcpu_info(struct sk_vcpu *vcpu, struct skirq_vcpu_info *vi);

/* vcpu-regs.c */
long sk_regs_ioctl(struct sk_vcpu *vcpu, unsigned long req,
		   unsigned long arg);
/*
 * Sync registers (spec 2.5). sk_sync_regs_check: -EINVAL for bits outside
 * KVM_SYNC_S390_VALID_FIELDS in kvm_valid_regs or kvm_dirty_regs.
 * sk_sync_regs_load: KVM_RUN entry (PSW always, other groups by dirty bit,
 * an invalid FPC becomes 0), then clears kvm_dirty_regs.
 * sk_sync_regs_store: KVM_RUN exit, everything back into kvm_run.
 */
int sk_sync_regs_check(const struct kvm_run *run);
void sk_sync_regs_load(struct sk_vcpu *vcpu);
void sk_sync_regs_store(struct sk_vcpu *vcpu);
/* Is fpc a valid floating-point-control value? */
bool sk_fpc_valid(uint32_t fpc);

/* run.c: KVM_RUN (docs/softkvm.md, "KVM_RUN") */
/* KVM_RUN after the entry checks (immediate_exit, sync-reg bits). */
long sk_run(struct sk_vcpu *vcpu);
/* Wake the vCPU after an injection or a state change: an enabled wait
 * re-checks at once, a running vCPU at its next budget boundary. [L] */
void sk_vcpu_kick(struct sk_vcpu *vcpu);
/* Release what KVM_RUN allocated (vCPU / VM teardown). */
void sk_run_vcpu_free(struct sk_vcpu *vcpu);
void sk_run_vm_free(struct sk_vm *vm);
/*
 * Dirty logging of the interpreter's stores. sk_run_dirty_log: slot s
 * changed its KVM_MEM_LOG_DIRTY_PAGES state [F]. sk_run_dirty_sync: make
 * every vCPU in KVM_RUN publish the pages it stored to so far (waits up to
 * one run slice per vCPU; call without any softkvm lock). Then
 * sk_run_dirty_take moves them into s->dirty [F].
 */
void sk_run_dirty_log(struct sk_vm *vm, const struct sk_memslot *s);
/*
 * Storage keys: the interpreter keeps the keys of the slot it runs on
 * (copied from s->keys when it starts); sk_run_keys gives them, or NULL if
 * the interpreter does not run on s. sk_run_keys_used: the guest ran a
 * key instruction. [F]
 */
uint8_t *sk_run_keys(struct sk_vm *vm, const struct sk_memslot *s);
bool sk_run_keys_used(struct sk_vm *vm);
void sk_run_dirty_sync(struct sk_vm *vm);
void sk_run_dirty_take(struct sk_vm *vm, struct sk_memslot *s);

#endif
