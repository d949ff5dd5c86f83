/* SPDX-License-Identifier: MIT */
/*
 * softkvm interrupt state: each vCPU's local interrupts, the VM's floating
 * interrupts, their injection rules, KVM_S390_GET/SET_IRQ_STATE, the FLIC
 * buffers, deliverability, priority and delivery into the lowcore, with the
 * kernel's rules and errno values (arch/s390/kvm/interrupt.c; see
 * docs/softkvm-irq.md for every point checked against it).
 *
 * Plain data plus functions: no threads, no locks of its own. The caller
 * (softkvm's vCPU and VM objects) provides two locks:
 *
 *   L = the vCPU's local lock, guards one struct skirq_local;
 *   F = the VM's floating lock, guards the struct skirq_float.
 *
 * Each function below says which it needs. When both are needed, take F
 * before L (the kernel's order in machine-check delivery).
 *
 * All ioctl structures are in host byte order; everything written to guest
 * memory is big-endian.
 */
#ifndef ZVMM_SOFTKVM_IRQ_H
#define ZVMM_SOFTKVM_IRQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm-abi.h"

/*
 * Pending-interrupt bits, the kernel's IRQ_PEND numbering: ascending
 * priority, the highest set bit is delivered first (spec 4.5).
 */
enum skirq_pend {
	SKIRQ_PEND_SET_PREFIX = 0,
	SKIRQ_PEND_RESTART = 1,
	SKIRQ_PEND_SIGP_STOP = 2,
	SKIRQ_PEND_IO_ISC_7 = 3,
	SKIRQ_PEND_IO_ISC_0 = 10,
	SKIRQ_PEND_VIRTIO = 11,
	SKIRQ_PEND_PFAULT_DONE = 12,
	SKIRQ_PEND_PFAULT_INIT = 13,
	SKIRQ_PEND_EXT_HOST = 14,       /* never set */
	SKIRQ_PEND_EXT_SERVICE = 15,
	SKIRQ_PEND_EXT_SERVICE_EV = 16,
	SKIRQ_PEND_EXT_TIMING = 17,     /* never set */
	SKIRQ_PEND_EXT_CPU_TIMER = 18,
	SKIRQ_PEND_EXT_CLOCK_COMP = 19,
	SKIRQ_PEND_EXT_EXTERNAL = 20,
	SKIRQ_PEND_EXT_EMERGENCY = 21,
	SKIRQ_PEND_EXT_MALFUNC = 22,    /* never set */
	SKIRQ_PEND_EXT_IRQ_KEY = 23,    /* never set */
	SKIRQ_PEND_MCHK_REP = 24,
	SKIRQ_PEND_PROG = 25,
	SKIRQ_PEND_SVC = 26,            /* never set */
	SKIRQ_PEND_MCHK_EX = 27,
	SKIRQ_PEND_COUNT = 28
};

#define SKIRQ_BIT(n) (1u << (n))
#define SKIRQ_PEND_IO_ISC(isc) (SKIRQ_PEND_IO_ISC_0 - (isc))

#define SKIRQ_PEND_EXT_MASK                                                  \
	(SKIRQ_BIT(SKIRQ_PEND_EXT_IRQ_KEY) |                                 \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP) |                              \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER) |                               \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_MALFUNC) |                                 \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY) |                               \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL) |                                \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_TIMING) | SKIRQ_BIT(SKIRQ_PEND_EXT_HOST) | \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |                                 \
	 SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV) |                              \
	 SKIRQ_BIT(SKIRQ_PEND_VIRTIO) | SKIRQ_BIT(SKIRQ_PEND_PFAULT_INIT) |  \
	 SKIRQ_BIT(SKIRQ_PEND_PFAULT_DONE))
#define SKIRQ_PEND_IO_MASK (0xffu << SKIRQ_PEND_IO_ISC_7)
#define SKIRQ_PEND_MCHK_MASK                                                 \
	(SKIRQ_BIT(SKIRQ_PEND_MCHK_REP) | SKIRQ_BIT(SKIRQ_PEND_MCHK_EX))

/* The kernel's KVM_MAX_VCPUS: emergency sources are 0 .. 254. */
#define SKIRQ_MAX_VCPUS ZVMM_KVM_S390_MAX_VCPUS
#define SKIRQ_EMERG_WORDS ((SKIRQ_MAX_VCPUS + 63) / 64)

/* MCIC bits (bit n of the architecture = 1 << (63 - n)). */
#define SKIRQ_MCIC_SD (1ULL << 63)   /* 0 system damage */
#define SKIRQ_MCIC_PD (1ULL << 62)   /* 1 instruction-processing damage */
#define SKIRQ_MCIC_ED (1ULL << 58)   /* 5 external damage */
#define SKIRQ_MCIC_DG (1ULL << 56)   /* 7 degradation */
#define SKIRQ_MCIC_W (1ULL << 55)    /* 8 warning */
#define SKIRQ_MCIC_GS (1ULL << 27)   /* 36 guarded-storage validity */
#define SKIRQ_MCIC_VR (1ULL << 38)   /* 25 vector-register validity */
#define SKIRQ_MCIC_EX_MASK (SKIRQ_MCIC_SD | SKIRQ_MCIC_PD)
#define SKIRQ_MCIC_REP_MASK (SKIRQ_MCIC_ED | SKIRQ_MCIC_DG | SKIRQ_MCIC_W)

/* The only CR14 bit a floating machine check keeps: channel report. */
#define SKIRQ_CR14_CHANNEL_REPORT 0x10000000ULL

/* Floating-queue limits (kernel: KVM_S390_MAX_FLOAT_IRQS etc.). */
#define SKIRQ_MAX_IO_IRQS 266250u
#define SKIRQ_MAX_VIRTIO_IRQS 87381u
#define SKIRQ_MAX_PFAULT_IRQS (64u * SKIRQ_MAX_VCPUS)

/* SET_IRQ_STATE length limit: 72 * (255 + 32) = 20664 bytes. */
#define SKIRQ_IRQ_STATE_MAX_LEN ((uint32_t)ZVMM_KVM_S390_IRQ_STATE_MAX_LEN)

/* ------------------------------------------------------------------------ */
/* Local (per-vCPU) state                                                   */
/* ------------------------------------------------------------------------ */

struct skirq_local {
	uint32_t pending;                     /* SKIRQ_BIT(SKIRQ_PEND_*) */
	uint64_t emerg[SKIRQ_EMERG_WORDS];    /* emergency sources, bit = id */
	struct kvm_s390_pgm_info pgm;
	struct kvm_s390_ext_info ext;         /* PFAULT_INIT */
	struct kvm_s390_prefix_info prefix;
	struct kvm_s390_stop_info stop;
	struct kvm_s390_extcall_info extcall;
	struct kvm_s390_mchk_info mchk;
};

/*
 * What injection needs to know about the target vCPU and its VM, supplied
 * by the caller at the moment of the call.
 */
struct skirq_vcpu_info {
	bool stopped;         /* the vCPU is in the STOPPED state */
	uint8_t ilen;         /* length of the last intercepted instruction
	                         (0, 2, 4, 6): a PROGRAM without ILC_VALID
	                         takes it, as the kernel's get_ilen does */
	/* does a vCPU with this id exist in the VM? (NULL: none exists) */
	bool (*vcpu_exists)(void *opaque, unsigned id);
	void *opaque;
};

/* Positive result of injection: the caller must store status now. */
#define SKIRQ_STORE_STATUS 1

/* Zero the state (creation and the NORMAL/INITIAL/CLEAR resets). [L] */
void skirq_local_clear(struct skirq_local *li);

/*
 * Inject one local interrupt (KVM_S390_IRQ). Returns 0, -EINVAL, -EBUSY,
 * or SKIRQ_STORE_STATUS for a SIGP_STOP with STORE_STATUS on a stopped
 * vCPU: nothing is pending then, and the caller must store status at
 * absolute 0x1200 (KVM_S390_STORE_STATUS_NOADDR) as the kernel does. [L]
 */
int skirq_inject_local(struct skirq_local *li,
		       const struct skirq_vcpu_info *vi,
		       const struct kvm_s390_irq *irq);

/* kvm_s390_interrupt -> kvm_s390_irq for a vCPU fd; 0 or -EINVAL. */
int skirq_interrupt_to_irq(const struct kvm_s390_interrupt *in,
			   struct kvm_s390_irq *out);

/* KVM_S390_INTERRUPT on a vCPU fd: convert, then inject. [L] */
int skirq_inject_local_interrupt(struct skirq_local *li,
				 const struct skirq_vcpu_info *vi,
				 const struct kvm_s390_interrupt *in);

/*
 * KVM_S390_GET_IRQ_STATE with the struct's len and a host buffer: bytes
 * written, -EINVAL (len 0), -ENOBUFS (entries that fitted stay written),
 * -EFAULT (buf NULL). Consumes nothing. [L]
 */
long skirq_get_irq_state(const struct skirq_local *li, void *buf,
			 uint32_t len);

/*
 * KVM_S390_SET_IRQ_STATE: 0, -EINVAL (len 0, len % 72, len > 20664),
 * -EFAULT (buf NULL), -EBUSY (anything pending), or the error of the first
 * failing entry; earlier entries stay injected. *store_status (may be
 * NULL) counts SIGP_STOP+STORE_STATUS entries on a stopped vCPU: the
 * caller must then store status once. [L]
 */
int skirq_set_irq_state(struct skirq_local *li,
			const struct skirq_vcpu_info *vi, const void *buf,
			uint32_t len, unsigned *store_status);

/* Queries for SIGP, MP state and KVM_RUN. [L] */
bool skirq_stop_pending(const struct skirq_local *li);
bool skirq_restart_pending(const struct skirq_local *li);
bool skirq_extcall_pending(const struct skirq_local *li);
uint32_t skirq_stop_flags(const struct skirq_local *li);
/* Completes a SIGP STOP (stop intercept, SET_MP_STATE STOPPED). [L] */
void skirq_clear_stop(struct skirq_local *li);

/*
 * Recompute the clock-comparator and CPU-timer bits from conditions the
 * caller evaluated (TOD vs CKC with CR0 sign control; CPU timer negative;
 * each already ANDed with PSW EXT and its CR0 submask), as the kernel does
 * before each delivery round. [L]
 */
void skirq_update_timers(struct skirq_local *li, bool ckc_due,
			 bool cputm_due);

/* ------------------------------------------------------------------------ */
/* Floating (per-VM) state                                                  */
/* ------------------------------------------------------------------------ */

struct skirq_fnode;

struct skirq_flist {
	struct skirq_fnode *head;
	struct skirq_fnode *tail;
};

/* The kernel's list order, which is also the FLIC GET_ALL_IRQS order. */
enum {
	SKIRQ_FLIST_IO_ISC_0 = 0, /* .. 7 */
	SKIRQ_FLIST_PFAULT = 8,
	SKIRQ_FLIST_VIRTIO = 9,
	SKIRQ_FLIST_COUNT = 10
};

struct skirq_float {
	uint32_t pending;                 /* SKIRQ_BIT(SKIRQ_PEND_*) */
	struct skirq_flist lists[SKIRQ_FLIST_COUNT];
	uint32_t nr_io, nr_virtio, nr_pfault;
	struct kvm_s390_mchk_info mchk;   /* merged floating machine check */
	struct kvm_s390_ext_info srv;     /* merged service-signal parameter */
};

void skirq_float_init(struct skirq_float *fi);
/* Drop everything (FLIC CLEAR_IRQS; VM destruction). [F] */
void skirq_float_clear(struct skirq_float *fi);

/*
 * Inject one floating interrupt given as a kvm_s390_irq (FLIC ENQUEUE entry
 * semantics: only type and the ext/io/mchk member are read). 0, -EINVAL,
 * -EBUSY (queue full), -ENOMEM. The caller then wakes a vCPU. [F]
 */
int skirq_inject_float(struct skirq_float *fi, const struct kvm_s390_irq *irq);

/* KVM_S390_INTERRUPT on the VM fd. [F] */
int skirq_inject_float_interrupt(struct skirq_float *fi,
				 const struct kvm_s390_interrupt *in);

/*
 * FLIC KVM_DEV_FLIC_GET_ALL_IRQS: attr = buffer length. Returns the count,
 * -EINVAL (0 or > 0x2000000), -ENOMEM (too small; buffer untouched),
 * -EFAULT (buf NULL). Consumes nothing. [F]
 */
int skirq_flic_get_all(const struct skirq_float *fi, void *buf, uint64_t attr);

/*
 * FLIC KVM_DEV_FLIC_ENQUEUE: attr = length. 0 or the first error; entries
 * before it stay queued. [F]
 */
int skirq_flic_enqueue(struct skirq_float *fi, const void *buf, uint64_t attr);

/* ------------------------------------------------------------------------ */
/* Deliverability and delivery                                              */
/* ------------------------------------------------------------------------ */

/*
 * Pending bits (local | floating) that the PSW mask and CRs let through,
 * the kernel's deliverable_irqs(): never SIGP_STOP. [F, L]
 */
uint32_t skirq_deliverable(const struct skirq_local *li,
			   const struct skirq_float *fi, uint64_t psw_mask,
			   const uint64_t cr[16]);

/* Highest-priority deliverable bit, or -1. [F, L] */
int skirq_next(const struct skirq_local *li, const struct skirq_float *fi,
	       uint64_t psw_mask, const uint64_t cr[16]);

/*
 * Wake-up test for the enabled wait (kernel kvm_s390_vcpu_has_irq, minus
 * the timer conditions, which the caller adds): something deliverable, or
 * a stop pending unless exclude_stop. [F, L]
 */
bool skirq_vcpu_has_irq(const struct skirq_local *li,
			const struct skirq_float *fi, uint64_t psw_mask,
			const uint64_t cr[16], bool exclude_stop);

/*
 * The CPU as delivery sees it: guest memory, prefix and PSW (in/out), the
 * control registers, and the registers the machine-check save areas take.
 * Nothing of the interpreter's internals.
 */
struct skirq_cpu {
	uint8_t *ram;            /* absolute storage, big-endian */
	uint64_t ram_size;
	uint32_t prefix;         /* in/out (SET_PREFIX) */
	uint64_t psw_mask;       /* in/out */
	uint64_t psw_addr;       /* in/out */
	const uint64_t *cr;      /* 16 */
	uint64_t gbea;           /* breaking-event address (program) */
	/* machine-check save areas */
	const uint64_t *gpr;     /* 16 */
	const uint64_t *fpr;     /* 16 (VR 0-15 high halves) */
	const uint32_t *acr;     /* 16 */
	uint32_t fpc;
	uint32_t todpr;
	uint64_t cputm;
	uint64_t ckc;
	const uint8_t *vrs;      /* 512 bytes VR0-31 big-endian, or NULL when
	                            the vector facility is off */
	bool prefix_changed;     /* out: set-prefix was delivered */
};

/*
 * Deliver the highest-priority deliverable interrupt and consume it.
 * Returns the SKIRQ_PEND_* delivered, -1 if none, or -EFAULT when the
 * lowcore (or the mchk extended save area) lies outside guest memory; the
 * interrupt is consumed then too, as in the kernel. [F, L]
 */
int skirq_deliver_one(struct skirq_local *li, struct skirq_float *fi,
		      struct skirq_cpu *cpu);

/*
 * The kernel's delivery round: deliver until nothing is deliverable.
 * 0 or -EFAULT. [F, L]
 */
int skirq_deliver_all(struct skirq_local *li, struct skirq_float *fi,
		      struct skirq_cpu *cpu);

/* Real -> absolute (prefixing, spec 4.9). */
uint64_t skirq_real_to_abs(uint32_t prefix, uint64_t real);

#endif
