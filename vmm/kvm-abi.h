/*
 * zvmm: the s390 KVM ioctl ABI, shared by the VMM and softkvm.
 *
 * Two sources, one set of names:
 *
 *   - s390x host, ZVMM_VENDORED_KVM_ABI not defined: the kernel's own UAPI
 *     header <linux/kvm.h> (which pulls in <asm/kvm.h> for s390).
 *   - anything else (x86_64/arm64 developer machines running softkvm, or an
 *     s390x build that asks for it with -DZVMM_VENDORED_KVM_ABI): the
 *     project's own standalone description of the s390 ABI below.  It never
 *     includes the host's <linux/kvm.h>, whose struct kvm_run has the wrong
 *     layout for s390 (no PSW words, no s390 sync registers).
 *
 * Every identifier, value, size and field offset in the vendored part is
 * meant to equal the s390x kernel UAPI (checked against the 6.1 headers by
 * tests/abi: sizes, alignments, offsets, member widths and integer kinds,
 * ioctl numbers and constants, including the C type of each constant).
 * Integer widths use the same C types as the kernel's __u8..__u64 on LP64
 * (unsigned char/short/int/long long), so format strings and _Generic
 * selections behave the same with either source.
 *
 * Byte order: the ioctl structures are in host byte order.  On an s390x host
 * that is big-endian; softkvm on x86 uses the same layouts in little-endian.
 * The one layout difference between compilers is the 1-bit field
 * kvm_sync_regs.bpbc: s390x gcc puts it in bit 0x80 of byte 1420, x86 gcc in
 * bit 0x01.  Never copy that byte between architectures; copy the field.
 *
 * This is a pure ABI header: types, constants and macros only.
 *
 * ZVMM_KVM_ABI_KERNEL_HEADER is 1 when the definitions come from the
 * kernel's header and 0 when they come from the vendored copy.
 */
#ifndef ZVMM_KVM_ABI_H
#define ZVMM_KVM_ABI_H

#if defined(__s390x__) && !defined(ZVMM_VENDORED_KVM_ABI)

/* ------------------------------------------------------------------------ */
/* Source 1: the running kernel's UAPI header (real /dev/kvm on s390x).     */
/* ------------------------------------------------------------------------ */

#define ZVMM_KVM_ABI_KERNEL_HEADER 1

/*
 * musl's <sys/ioctl.h> defines _IOC, _IO, _IOR, _IOW and _IOWR itself,
 * spelled differently from the kernel's <asm-generic/ioctl.h> (same
 * encoding).  If it came first, the kernel header's definitions would be
 * "redefined" diagnostics (errors under -Werror when the UAPI directory is
 * not a system include directory).  Drop the C library's spelling and let
 * the kernel's take over; glibc gets these from the kernel header anyway.
 */
#if defined(_IOC) && !defined(_ASM_GENERIC_IOCTL_H)
#undef _IOC
#undef _IO
#undef _IOR
#undef _IOW
#undef _IOWR
#endif

#include <linux/kvm.h>

#else /* vendored */

/* ------------------------------------------------------------------------ */
/* Source 2: the project's own copy of the s390 definitions.                */
/* ------------------------------------------------------------------------ */

#define ZVMM_KVM_ABI_KERNEL_HEADER 0

#if defined(__LINUX_KVM_H)
#error "kvm-abi.h: the host's <linux/kvm.h> is already included; its layouts are not s390's. Include vmm/kvm-abi.h instead."
#endif

/*
 * Claim the kernel header's include guards, so that a later
 * #include <linux/kvm.h> in the same translation unit is a no-op instead of
 * bringing in a second, non-s390 struct kvm_run.
 */
#define __LINUX_KVM_H
#define __LINUX_KVM_S390_H

/* The markers the s390 <asm/kvm.h> sets; generic code tests them. */
#define __KVM_S390
#define __KVM_HAVE_GUEST_DEBUG

#include <stddef.h> /* offsetof, for the layout assertions at the end */

/* Fixed-width field types with the same C types as the kernel's (LP64). */
typedef unsigned char zvmm_kvm_u8;
typedef unsigned short zvmm_kvm_u16;
typedef unsigned int zvmm_kvm_u32;
typedef signed int zvmm_kvm_s32;
typedef unsigned long long zvmm_kvm_u64;

/* ======================================================================== */
/* API version, machine types, mmap offsets                                 */
/* ======================================================================== */

#define KVM_API_VERSION 12

/* KVM_CREATE_VM argument: user-controlled (ucontrol) VM. */
#define KVM_VM_S390_UCONTROL 1

/* vcpu mmap: page 0 is struct kvm_run; page 1 the SIE block (ucontrol only). */
#define KVM_S390_SIE_PAGE_OFFSET 1

/* ======================================================================== */
/* Capabilities (KVM_CHECK_EXTENSION / KVM_ENABLE_CAP)                      */
/* ======================================================================== */

#define KVM_CAP_USER_MEMORY 3
#define KVM_CAP_NR_VCPUS 9
#define KVM_CAP_NR_MEMSLOTS 10
#define KVM_CAP_MP_STATE 14
#define KVM_CAP_SYNC_MMU 16
#define KVM_CAP_SET_GUEST_DEBUG 23
#define KVM_CAP_IRQ_ROUTING 25
#define KVM_CAP_IRQFD 32
#define KVM_CAP_IOEVENTFD 36
#define KVM_CAP_S390_PSW 42
#define KVM_CAP_ENABLE_CAP 54
#define KVM_CAP_ASYNC_PF 59
#define KVM_CAP_MAX_VCPUS 66
#define KVM_CAP_ONE_REG 70
#define KVM_CAP_S390_GMAP 71
#define KVM_CAP_S390_UCONTROL 73
#define KVM_CAP_SYNC_REGS 74
#define KVM_CAP_S390_COW 79
#define KVM_CAP_READONLY_MEM 81
#define KVM_CAP_S390_CSS_SUPPORT 85
#define KVM_CAP_DEVICE_CTRL 89
#define KVM_CAP_ENABLE_CAP_VM 98
#define KVM_CAP_S390_IRQCHIP 99
#define KVM_CAP_VM_ATTRIBUTES 101
#define KVM_CAP_CHECK_EXTENSION_VM 105
#define KVM_CAP_S390_USER_SIGP 106
#define KVM_CAP_S390_VECTOR_REGISTERS 107
#define KVM_CAP_S390_MEM_OP 108
#define KVM_CAP_S390_USER_STSI 109
#define KVM_CAP_S390_SKEYS 110
#define KVM_CAP_S390_INJECT_IRQ 113
#define KVM_CAP_S390_IRQ_STATE 114
#define KVM_CAP_S390_RI 124
#define KVM_CAP_MAX_VCPU_ID 128
#define KVM_CAP_S390_USER_INSTR0 130
#define KVM_CAP_IMMEDIATE_EXIT 136
#define KVM_CAP_S390_GS 140
#define KVM_CAP_S390_AIS 141
#define KVM_CAP_S390_CMMA_MIGRATION 145
#define KVM_CAP_S390_AIS_MIGRATION 150
#define KVM_CAP_S390_BPB 152
#define KVM_CAP_S390_HPAGE_1M 156
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 168
#define KVM_CAP_S390_VCPU_RESETS 179
#define KVM_CAP_S390_PROTECTED 180
#define KVM_CAP_S390_DIAG318 186
#define KVM_CAP_S390_MEM_OP_EXTENSION 211
#define KVM_CAP_S390_PROTECTED_DUMP 217
#define KVM_CAP_S390_ZPCI_OP 221
#define KVM_CAP_S390_CPU_TOPOLOGY 222

/* ======================================================================== */
/* Memory slots and dirty logging                                           */
/* ======================================================================== */

/* KVM_SET_USER_MEMORY_REGION; 32 bytes. */
struct kvm_userspace_memory_region {
	zvmm_kvm_u32 slot;            /* @0  */
	zvmm_kvm_u32 flags;           /* @4  KVM_MEM_* */
	zvmm_kvm_u64 guest_phys_addr; /* @8  */
	zvmm_kvm_u64 memory_size;     /* @16 in bytes */
	zvmm_kvm_u64 userspace_addr;  /* @24 host virtual address */
};

#define KVM_MEM_LOG_DIRTY_PAGES (1UL << 0)
#define KVM_MEM_READONLY (1UL << 1) /* not accepted on s390 */

/* KVM_GET_DIRTY_LOG; 16 bytes. */
struct kvm_dirty_log {
	zvmm_kvm_u32 slot;     /* @0 */
	zvmm_kvm_u32 padding1; /* @4 */
	union {                /* @8 */
		void *dirty_bitmap;  /* one bit per 4 KiB page */
		zvmm_kvm_u64 padding2;
	};
};

/* KVM_CLEAR_DIRTY_LOG (not offered by s390 kernels); 24 bytes. */
struct kvm_clear_dirty_log {
	zvmm_kvm_u32 slot;       /* @0  */
	zvmm_kvm_u32 num_pages;  /* @4  */
	zvmm_kvm_u64 first_page; /* @8  */
	union {                  /* @16 */
		void *dirty_bitmap;
		zvmm_kvm_u64 padding2;
	};
};

/* ======================================================================== */
/* Exit reasons (struct kvm_run.exit_reason)                                */
/* ======================================================================== */

#define KVM_EXIT_UNKNOWN 0
#define KVM_EXIT_EXCEPTION 1
#define KVM_EXIT_IO 2
#define KVM_EXIT_HYPERCALL 3
#define KVM_EXIT_DEBUG 4
#define KVM_EXIT_HLT 5
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_IRQ_WINDOW_OPEN 7
#define KVM_EXIT_SHUTDOWN 8
#define KVM_EXIT_FAIL_ENTRY 9
#define KVM_EXIT_INTR 10
#define KVM_EXIT_S390_SIEIC 13
#define KVM_EXIT_S390_RESET 14
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_S390_UCONTROL 20
#define KVM_EXIT_S390_TSCH 22
#define KVM_EXIT_S390_STSI 25

/* kvm_run.internal.suberror for KVM_EXIT_INTERNAL_ERROR. */
#define KVM_INTERNAL_ERROR_EMULATION 1
#define KVM_INTERNAL_ERROR_SIMUL_EX 2
#define KVM_INTERNAL_ERROR_DELIVERY_EV 3
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON 4

/* kvm_run.s390_reset_flags for KVM_EXIT_S390_RESET (DIAG 0x308 3/4). */
#define KVM_S390_RESET_POR 1
#define KVM_S390_RESET_CLEAR 2
#define KVM_S390_RESET_SUBSYSTEM 4
#define KVM_S390_RESET_CPU_INIT 8
#define KVM_S390_RESET_IPL 16

/* ======================================================================== */
/* Guest debugging                                                          */
/* ======================================================================== */

#define KVM_GUESTDBG_ENABLE 0x00000001
#define KVM_GUESTDBG_SINGLESTEP 0x00000002
#define KVM_GUESTDBG_USE_HW_BP 0x00010000

/* kvm_debug_exit_arch.type / kvm_hw_breakpoint.type */
#define KVM_HW_BP 1
#define KVM_HW_WP_WRITE 2
#define KVM_SINGLESTEP 4

/* kvm_run.debug.arch for KVM_EXIT_DEBUG; 16 bytes. */
struct kvm_debug_exit_arch {
	zvmm_kvm_u64 addr;   /* @0 */
	zvmm_kvm_u8 type;    /* @8 KVM_HW_BP, KVM_HW_WP_WRITE, KVM_SINGLESTEP */
	zvmm_kvm_u8 pad[7];  /* @9 zero */
};

/* One entry of the KVM_SET_GUEST_DEBUG breakpoint array; 32 bytes. */
struct kvm_hw_breakpoint {
	zvmm_kvm_u64 addr;      /* @0  */
	zvmm_kvm_u64 phys_addr; /* @8  */
	zvmm_kvm_u64 len;       /* @16 */
	zvmm_kvm_u8 type;       /* @24 */
	zvmm_kvm_u8 pad[7];     /* @25 zero */
};

/* s390 part of struct kvm_guest_debug; 16 bytes on LP64. */
struct kvm_guest_debug_arch {
	zvmm_kvm_u32 nr_hw_bp;            /* @0 */
	zvmm_kvm_u32 pad;                 /* @4 zero */
	struct kvm_hw_breakpoint *hw_bp;  /* @8 */
};

/* KVM_SET_GUEST_DEBUG; 24 bytes. */
struct kvm_guest_debug {
	zvmm_kvm_u32 control;             /* @0 KVM_GUESTDBG_* */
	zvmm_kvm_u32 pad;                 /* @4 */
	struct kvm_guest_debug_arch arch; /* @8 */
};

/* ======================================================================== */
/* Registers: KVM_GET/SET_REGS, _SREGS, _FPU, sync registers                */
/* ======================================================================== */

/* 128 bytes. */
struct kvm_regs {
	zvmm_kvm_u64 gprs[16]; /* @0 */
};

/* 192 bytes. */
struct kvm_sregs {
	zvmm_kvm_u32 acrs[16]; /* @0  access registers */
	zvmm_kvm_u64 crs[16];  /* @64 control registers */
};

/* 136 bytes. */
struct kvm_fpu {
	zvmm_kvm_u32 fpc;      /* @0 */
	zvmm_kvm_u64 fprs[16]; /* @8 */
};

/* Pfault token value meaning "no token" (sync regs pft, ONE_REG PFTOKEN). */
#define KVM_S390_PFAULT_TOKEN_INVALID 0xffffffffffffffffULL

/* Register classes in kvm_run.kvm_valid_regs / kvm_dirty_regs. */
#define KVM_SYNC_PREFIX (1UL << 0)
#define KVM_SYNC_GPRS (1UL << 1)
#define KVM_SYNC_ACRS (1UL << 2)
#define KVM_SYNC_CRS (1UL << 3)
#define KVM_SYNC_ARCH0 (1UL << 4)  /* todpr, cputm, ckc, pp, gbea */
#define KVM_SYNC_PFAULT (1UL << 5) /* pft, pfs, pfc */
#define KVM_SYNC_VRS (1UL << 6)
#define KVM_SYNC_RICCB (1UL << 7)
#define KVM_SYNC_FPRS (1UL << 8)
#define KVM_SYNC_GSCB (1UL << 9)
#define KVM_SYNC_BPBC (1UL << 10)
#define KVM_SYNC_ETOKEN (1UL << 11)
#define KVM_SYNC_DIAG318 (1UL << 12)
/* All of the above (0x1fff); KVM_RUN rejects any other bit. */
#define KVM_SYNC_S390_VALID_FIELDS                                            \
	(KVM_SYNC_PREFIX | KVM_SYNC_GPRS | KVM_SYNC_ACRS | KVM_SYNC_CRS |     \
	 KVM_SYNC_ARCH0 | KVM_SYNC_PFAULT | KVM_SYNC_VRS | KVM_SYNC_RICCB |   \
	 KVM_SYNC_FPRS | KVM_SYNC_GSCB | KVM_SYNC_BPBC | KVM_SYNC_ETOKEN |    \
	 KVM_SYNC_DIAG318)

/* State-description annex: log2 of its size/alignment, and its size. */
#define SDNXC 8
#define SDNXL (1UL << SDNXC)

/*
 * kvm_run.s.regs on s390; 1984 bytes, at offset 320 of struct kvm_run.
 * Offsets below are relative to the start of this structure.
 */
struct kvm_sync_regs {
	zvmm_kvm_u64 prefix;   /* @0    PREFIX */
	zvmm_kvm_u64 gprs[16]; /* @8    GPRS (always live) */
	zvmm_kvm_u32 acrs[16]; /* @136  ACRS */
	zvmm_kvm_u64 crs[16];  /* @200  CRS */
	zvmm_kvm_u64 todpr;    /* @328  ARCH0 */
	zvmm_kvm_u64 cputm;    /* @336  ARCH0 */
	zvmm_kvm_u64 ckc;      /* @344  ARCH0 */
	zvmm_kvm_u64 pp;       /* @352  ARCH0 */
	zvmm_kvm_u64 gbea;     /* @360  ARCH0 */
	zvmm_kvm_u64 pft;      /* @368  PFAULT token */
	zvmm_kvm_u64 pfs;      /* @376  PFAULT select */
	zvmm_kvm_u64 pfc;      /* @384  PFAULT compare */
	union {                /* @392 */
		zvmm_kvm_u64 vrs[32][2]; /* VRS: with the vector facility */
		zvmm_kvm_u64 fprs[16];   /* FPRS: without it */
	};
	zvmm_kvm_u8 reserved[512]; /* @904 */
	zvmm_kvm_u32 fpc;          /* @1416 with VRS or FPRS */
	/* @1420: one byte holding two bit-fields (bit position is per-ABI). */
#if defined(__GNUC__)
	__extension__ zvmm_kvm_u8 bpbc : 1; /* BPBC */
	__extension__ zvmm_kvm_u8 reserved2 : 7;
#else
	zvmm_kvm_u8 bpbc : 1;
	zvmm_kvm_u8 reserved2 : 7;
#endif
	zvmm_kvm_u8 padding1[51];  /* @1421 */
	zvmm_kvm_u8 riccb[64];     /* @1472 RICCB (64-byte aligned) */
	zvmm_kvm_u64 diag318;      /* @1536 DIAG318 */
	zvmm_kvm_u8 padding2[184]; /* @1544 */
	union {                    /* @1728 (256-byte aligned) */
		zvmm_kvm_u8 sdnx[SDNXL];
		struct {
			zvmm_kvm_u64 reserved1[2];     /* @1728 */
			zvmm_kvm_u64 gscb[4];          /* @1744 GSCB */
			zvmm_kvm_u64 etoken;           /* @1776 ETOKEN */
			zvmm_kvm_u64 etoken_extension; /* @1784 ETOKEN */
		};
	};
};

/* ======================================================================== */
/* struct kvm_run (the vcpu mmap page)                                      */
/* ======================================================================== */

/* Size of the kvm_run.s union that holds the sync registers. */
#define SYNC_REGS_SIZE_BYTES 2048

/* 2368 bytes on s390. */
struct kvm_run {
	zvmm_kvm_u8 request_interrupt_window; /* @0  (unused on s390) */
	zvmm_kvm_u8 immediate_exit;           /* @1  in */
	zvmm_kvm_u8 padding1[6];              /* @2  */

	zvmm_kvm_u32 exit_reason;                  /* @8  out: KVM_EXIT_* */
	zvmm_kvm_u8 ready_for_interrupt_injection; /* @12 (unused on s390) */
	zvmm_kvm_u8 if_flag;                       /* @13 (unused on s390) */
	zvmm_kvm_u16 flags;                        /* @14 */

	zvmm_kvm_u64 cr8;       /* @16 (unused on s390) */
	zvmm_kvm_u64 apic_base; /* @24 (unused on s390) */

	/* The guest PSW, loaded at every KVM_RUN and stored at every exit. */
	zvmm_kvm_u64 psw_mask; /* @32 */
	zvmm_kvm_u64 psw_addr; /* @40 */

	/* @48: exit payload, 256 bytes; the member depends on exit_reason. */
	union {
		struct { /* KVM_EXIT_UNKNOWN */
			zvmm_kvm_u64 hardware_exit_reason;
		} hw;
		struct { /* KVM_EXIT_FAIL_ENTRY */
			zvmm_kvm_u64 hardware_entry_failure_reason;
			zvmm_kvm_u32 cpu;
		} fail_entry;
		struct { /* KVM_EXIT_DEBUG */
			struct kvm_debug_exit_arch arch;
		} debug;
		struct { /* KVM_EXIT_S390_SIEIC */
			zvmm_kvm_u8 icptcode; /* @48 */
			zvmm_kvm_u16 ipa;     /* @50 */
			zvmm_kvm_u32 ipb;     /* @52 */
		} s390_sieic;
		zvmm_kvm_u64 s390_reset_flags; /* KVM_EXIT_S390_RESET: KVM_S390_RESET_* */
		struct { /* KVM_EXIT_S390_UCONTROL */
			zvmm_kvm_u64 trans_exc_code; /* @48 */
			zvmm_kvm_u32 pgm_code;       /* @56 */
		} s390_ucontrol;
		struct { /* KVM_EXIT_INTERNAL_ERROR */
			zvmm_kvm_u32 suberror;
			zvmm_kvm_u32 ndata;
			zvmm_kvm_u64 data[16];
		} internal;
		struct { /* KVM_EXIT_S390_TSCH */
			zvmm_kvm_u16 subchannel_id; /* @48 */
			zvmm_kvm_u16 subchannel_nr; /* @50 */
			zvmm_kvm_u32 io_int_parm;   /* @52 */
			zvmm_kvm_u32 io_int_word;   /* @56 */
			zvmm_kvm_u32 ipb;           /* @60 */
			zvmm_kvm_u8 dequeued;       /* @64 */
		} s390_tsch;
		struct { /* KVM_EXIT_S390_STSI */
			zvmm_kvm_u64 addr;    /* @48 */
			zvmm_kvm_u8 ar;       /* @56 */
			zvmm_kvm_u8 reserved; /* @57 */
			zvmm_kvm_u8 fc;       /* @58 */
			zvmm_kvm_u8 sel1;     /* @59 */
			zvmm_kvm_u16 sel2;    /* @60 */
		} s390_stsi;
		char padding[256];
	};

	zvmm_kvm_u64 kvm_valid_regs; /* @304 KVM_SYNC_* the kernel provides */
	zvmm_kvm_u64 kvm_dirty_regs; /* @312 KVM_SYNC_* user space changed */
	union {                      /* @320 */
		struct kvm_sync_regs regs;
		char padding[SYNC_REGS_SIZE_BYTES];
	} s;
};

/* ======================================================================== */
/* ONE_REG                                                                  */
/* ======================================================================== */

#define KVM_REG_ARCH_MASK 0xff00000000000000ULL
#define KVM_REG_GENERIC 0x0000000000000000ULL
#define KVM_REG_S390 0x5000000000000000ULL

#define KVM_REG_SIZE_SHIFT 52
#define KVM_REG_SIZE_MASK 0x00f0000000000000ULL
#define KVM_REG_SIZE_U8 0x0000000000000000ULL
#define KVM_REG_SIZE_U16 0x0010000000000000ULL
#define KVM_REG_SIZE_U32 0x0020000000000000ULL
#define KVM_REG_SIZE_U64 0x0030000000000000ULL
#define KVM_REG_SIZE_U128 0x0040000000000000ULL
#define KVM_REG_SIZE_U256 0x0050000000000000ULL
#define KVM_REG_SIZE_U512 0x0060000000000000ULL
#define KVM_REG_SIZE_U1024 0x0070000000000000ULL
#define KVM_REG_SIZE_U2048 0x0080000000000000ULL

/* s390 register ids: arch | width | index. */
#define KVM_REG_S390_TODPR (KVM_REG_S390 | KVM_REG_SIZE_U32 | 0x1)
#define KVM_REG_S390_EPOCHDIFF (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x2)
#define KVM_REG_S390_CPU_TIMER (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x3)
#define KVM_REG_S390_CLOCK_COMP (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x4)
#define KVM_REG_S390_PFTOKEN (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x5)
#define KVM_REG_S390_PFCOMPARE (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x6)
#define KVM_REG_S390_PFSELECT (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x7)
#define KVM_REG_S390_PP (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x8)
#define KVM_REG_S390_GBEA (KVM_REG_S390 | KVM_REG_SIZE_U64 | 0x9)

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG; 16 bytes. */
struct kvm_one_reg {
	zvmm_kvm_u64 id;   /* @0 KVM_REG_S390_* */
	zvmm_kvm_u64 addr; /* @8 user pointer to the value */
};

/* ======================================================================== */
/* MP state, PSW, STORE STATUS                                              */
/* ======================================================================== */

#define KVM_MP_STATE_RUNNABLE 0
#define KVM_MP_STATE_UNINITIALIZED 1
#define KVM_MP_STATE_INIT_RECEIVED 2
#define KVM_MP_STATE_HALTED 3
#define KVM_MP_STATE_SIPI_RECEIVED 4
#define KVM_MP_STATE_STOPPED 5
#define KVM_MP_STATE_CHECK_STOP 6
#define KVM_MP_STATE_OPERATING 7
#define KVM_MP_STATE_LOAD 8
#define KVM_MP_STATE_AP_RESET_HOLD 9
#define KVM_MP_STATE_SUSPENDED 10

/* KVM_GET_MP_STATE / KVM_SET_MP_STATE; 4 bytes. */
struct kvm_mp_state {
	zvmm_kvm_u32 mp_state; /* @0 KVM_MP_STATE_* */
};

/* KVM_S390_SET_INITIAL_PSW; 16 bytes. */
struct kvm_s390_psw {
	zvmm_kvm_u64 mask; /* @0 */
	zvmm_kvm_u64 addr; /* @8 */
};

/* Special KVM_S390_STORE_STATUS arguments (otherwise: absolute address). */
#define KVM_S390_STORE_STATUS_NOADDR (-1ul)   /* absolute 0x1200 */
#define KVM_S390_STORE_STATUS_PREFIXED (-2ul) /* prefix area + 0x1200 */

/* ======================================================================== */
/* Interrupts                                                               */
/* ======================================================================== */

/* Interrupt types (kvm_s390_interrupt.type, kvm_s390_irq.type). */
#define KVM_S390_SIGP_STOP 0xfffe0000u
#define KVM_S390_PROGRAM_INT 0xfffe0001u
#define KVM_S390_SIGP_SET_PREFIX 0xfffe0002u
#define KVM_S390_RESTART 0xfffe0003u
#define KVM_S390_INT_PFAULT_INIT 0xfffe0004u
#define KVM_S390_INT_PFAULT_DONE 0xfffe0005u
#define KVM_S390_MCHK 0xfffe1000u
#define KVM_S390_INT_CLOCK_COMP 0xffff1004u
#define KVM_S390_INT_CPU_TIMER 0xffff1005u
#define KVM_S390_INT_VIRTIO 0xffff2603u
#define KVM_S390_INT_SERVICE 0xffff2401u
#define KVM_S390_INT_EMERGENCY 0xffff1201u
#define KVM_S390_INT_EXTERNAL_CALL 0xffff1202u

/* I/O interrupt types occupy [KVM_S390_INT_IO_MIN, KVM_S390_INT_IO_MAX]. */
#define KVM_S390_INT_IO(ai, cssid, ssid, schid)                               \
	((schid) | ((ssid) << 16) | ((cssid) << 18) | ((ai) << 26))
#define KVM_S390_INT_IO_MIN 0x00000000u
#define KVM_S390_INT_IO_MAX 0xfffdffffu
#define KVM_S390_INT_IO_AI_MASK 0x04000000u

/* KVM_S390_INTERRUPT (VM or vcpu fd); 16 bytes. */
struct kvm_s390_interrupt {
	zvmm_kvm_u32 type;   /* @0 */
	zvmm_kvm_u32 parm;   /* @4 */
	zvmm_kvm_u64 parm64; /* @8 */
};

/* Payloads of struct kvm_s390_irq (offsets relative to the member). */

struct kvm_s390_io_info { /* 12 bytes */
	zvmm_kvm_u16 subchannel_id; /* @0 */
	zvmm_kvm_u16 subchannel_nr; /* @2 */
	zvmm_kvm_u32 io_int_parm;   /* @4 */
	zvmm_kvm_u32 io_int_word;   /* @8 */
};

struct kvm_s390_ext_info { /* 16 bytes */
	zvmm_kvm_u32 ext_params;  /* @0 */
	zvmm_kvm_u32 pad;         /* @4 */
	zvmm_kvm_u64 ext_params2; /* @8 */
};

/* kvm_s390_pgm_info.flags */
#define KVM_S390_PGM_FLAGS_ILC_VALID 0x01
#define KVM_S390_PGM_FLAGS_ILC_0 0x02
#define KVM_S390_PGM_FLAGS_ILC_1 0x04
#define KVM_S390_PGM_FLAGS_ILC_MASK 0x06 /* holds the instruction length */
#define KVM_S390_PGM_FLAGS_NO_REWIND 0x08

struct kvm_s390_pgm_info { /* 40 bytes */
	zvmm_kvm_u64 trans_exc_code; /* @0  */
	zvmm_kvm_u64 mon_code;       /* @8  */
	zvmm_kvm_u64 per_address;    /* @16 */
	zvmm_kvm_u32 data_exc_code;  /* @24 */
	zvmm_kvm_u16 code;           /* @28 program interruption code */
	zvmm_kvm_u16 mon_class_nr;   /* @30 */
	zvmm_kvm_u8 per_code;        /* @32 */
	zvmm_kvm_u8 per_atmid;       /* @33 */
	zvmm_kvm_u8 exc_access_id;   /* @34 */
	zvmm_kvm_u8 per_access_id;   /* @35 */
	zvmm_kvm_u8 op_access_id;    /* @36 */
	zvmm_kvm_u8 flags;           /* @37 KVM_S390_PGM_FLAGS_* */
	zvmm_kvm_u8 pad[2];          /* @38 */
};

struct kvm_s390_prefix_info { /* 4 bytes */
	zvmm_kvm_u32 address; /* @0 */
};

struct kvm_s390_extcall_info { /* 2 bytes */
	zvmm_kvm_u16 code; /* @0 source CPU address */
};

struct kvm_s390_emerg_info { /* 2 bytes */
	zvmm_kvm_u16 code; /* @0 source CPU address */
};

/* kvm_s390_stop_info.flags */
#define KVM_S390_STOP_FLAG_STORE_STATUS 0x01

struct kvm_s390_stop_info { /* 4 bytes */
	zvmm_kvm_u32 flags; /* @0 */
};

struct kvm_s390_mchk_info { /* 48 bytes */
	zvmm_kvm_u64 cr14;                    /* @0  */
	zvmm_kvm_u64 mcic;                    /* @8  */
	zvmm_kvm_u64 failing_storage_address; /* @16 */
	zvmm_kvm_u32 ext_damage_code;         /* @24 */
	zvmm_kvm_u32 pad;                     /* @28 */
	zvmm_kvm_u8 fixed_logout[16];         /* @32 */
};

/* KVM_S390_IRQ, FLIC buffers and IRQ-state buffers; 72 bytes. */
struct kvm_s390_irq {
	zvmm_kvm_u64 type; /* @0 */
	union {            /* @8, 64 bytes */
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
		struct kvm_s390_pgm_info pgm;
		struct kvm_s390_emerg_info emerg;
		struct kvm_s390_extcall_info extcall;
		struct kvm_s390_prefix_info prefix;
		struct kvm_s390_stop_info stop;
		struct kvm_s390_mchk_info mchk;
		char reserved[64];
	} u;
};

/*
 * KVM_S390_GET_IRQ_STATE / KVM_S390_SET_IRQ_STATE; 32 bytes.
 * (Not the 16-byte {buf, len, pad} shape of the 2014 api.txt text.)
 */
struct kvm_s390_irq_state {
	zvmm_kvm_u64 buf;         /* @0  user pointer to struct kvm_s390_irq[] */
	zvmm_kvm_u32 flags;       /* @8  ignored by the kernel; keep 0 */
	zvmm_kvm_u32 len;         /* @12 buffer length in bytes */
	zvmm_kvm_u32 reserved[4]; /* @16 ignored by the kernel; keep 0 */
};

/* ======================================================================== */
/* Devices: KVM_CREATE_DEVICE, attributes, FLIC                             */
/* ======================================================================== */

#define KVM_CREATE_DEVICE_TEST 1

/* KVM_CREATE_DEVICE; 12 bytes. */
struct kvm_create_device {
	zvmm_kvm_u32 type;  /* @0 in: KVM_DEV_TYPE_* */
	zvmm_kvm_u32 fd;    /* @4 out */
	zvmm_kvm_u32 flags; /* @8 in: KVM_CREATE_DEVICE_TEST */
};

/* KVM_SET/GET/HAS_DEVICE_ATTR (device fd and VM fd); 24 bytes. */
struct kvm_device_attr {
	zvmm_kvm_u32 flags; /* @0  */
	zvmm_kvm_u32 group; /* @4  */
	zvmm_kvm_u64 attr;  /* @8  */
	zvmm_kvm_u64 addr;  /* @16 user pointer to the data */
};

/* Device types relevant to s390 (the kernel's enum has more). */
enum kvm_device_type {
	KVM_DEV_TYPE_VFIO = 4,
	KVM_DEV_TYPE_FLIC = 6,
};
#define KVM_DEV_TYPE_VFIO KVM_DEV_TYPE_VFIO
#define KVM_DEV_TYPE_FLIC KVM_DEV_TYPE_FLIC

/* FLIC attribute groups (device fd). */
#define KVM_DEV_FLIC_GET_ALL_IRQS 1
#define KVM_DEV_FLIC_ENQUEUE 2
#define KVM_DEV_FLIC_CLEAR_IRQS 3
#define KVM_DEV_FLIC_APF_ENABLE 4
#define KVM_DEV_FLIC_APF_DISABLE_WAIT 5
#define KVM_DEV_FLIC_ADAPTER_REGISTER 6
#define KVM_DEV_FLIC_ADAPTER_MODIFY 7
#define KVM_DEV_FLIC_CLEAR_IO_IRQ 8
#define KVM_DEV_FLIC_AISM 9
#define KVM_DEV_FLIC_AIRQ_INJECT 10
#define KVM_DEV_FLIC_AISM_ALL 11

/* Upper bound of floating interrupts and of a FLIC buffer (bytes). */
#define KVM_S390_MAX_FLOAT_IRQS 266250
#define KVM_S390_FLIC_MAX_BUFFER 0x2000000

/* KVM_DEV_FLIC_ADAPTER_REGISTER; 8 bytes. */
struct kvm_s390_io_adapter {
	zvmm_kvm_u32 id;      /* @0 */
	zvmm_kvm_u8 isc;      /* @4 */
	zvmm_kvm_u8 maskable; /* @5 */
	zvmm_kvm_u8 swap;     /* @6 */
	zvmm_kvm_u8 flags;    /* @7 KVM_S390_ADAPTER_SUPPRESSIBLE */
};

#define KVM_S390_ADAPTER_SUPPRESSIBLE 0x01

/* KVM_DEV_FLIC_AISM; 4 bytes. */
struct kvm_s390_ais_req {
	zvmm_kvm_u8 isc;   /* @0 */
	zvmm_kvm_u16 mode; /* @2 */
};

/* KVM_DEV_FLIC_AISM_ALL; 2 bytes. */
struct kvm_s390_ais_all {
	zvmm_kvm_u8 simm; /* @0 */
	zvmm_kvm_u8 nimm; /* @1 */
};

/* kvm_s390_io_adapter_req.type */
#define KVM_S390_IO_ADAPTER_MASK 1
#define KVM_S390_IO_ADAPTER_MAP 2
#define KVM_S390_IO_ADAPTER_UNMAP 3

/* KVM_DEV_FLIC_ADAPTER_MODIFY; 16 bytes. */
struct kvm_s390_io_adapter_req {
	zvmm_kvm_u32 id;   /* @0 */
	zvmm_kvm_u8 type;  /* @4 KVM_S390_IO_ADAPTER_* */
	zvmm_kvm_u8 mask;  /* @5 */
	zvmm_kvm_u16 pad0; /* @6 */
	zvmm_kvm_u64 addr; /* @8 */
};

/* ======================================================================== */
/* VM attributes (KVM_SET/GET/HAS_DEVICE_ATTR on the VM fd)                 */
/* ======================================================================== */

/* Groups. */
#define KVM_S390_VM_MEM_CTRL 0
#define KVM_S390_VM_TOD 1
#define KVM_S390_VM_CRYPTO 2
#define KVM_S390_VM_CPU_MODEL 3
#define KVM_S390_VM_MIGRATION 4
#define KVM_S390_VM_CPU_TOPOLOGY 5

/* KVM_S390_VM_MEM_CTRL attributes. */
#define KVM_S390_VM_MEM_ENABLE_CMMA 0
#define KVM_S390_VM_MEM_CLR_CMMA 1
#define KVM_S390_VM_MEM_LIMIT_SIZE 2
/* "No limit" for LIMIT_SIZE (the kernel spells it with an in-kernel macro). */
#define KVM_S390_NO_MEM_LIMIT 0xffffffffffffffffULL

/* KVM_S390_VM_TOD attributes. */
#define KVM_S390_VM_TOD_LOW 0
#define KVM_S390_VM_TOD_HIGH 1
#define KVM_S390_VM_TOD_EXT 2

/* KVM_S390_VM_TOD_EXT; 16 bytes. */
struct kvm_s390_vm_tod_clock {
	zvmm_kvm_u8 epoch_idx; /* @0 */
	zvmm_kvm_u64 tod;      /* @8 */
};

/* KVM_S390_VM_CPU_MODEL attributes and their data. */
#define KVM_S390_VM_CPU_PROCESSOR 0 /* read/write */
#define KVM_S390_VM_CPU_MACHINE 1   /* read-only */
#define KVM_S390_VM_CPU_PROCESSOR_FEAT 2
#define KVM_S390_VM_CPU_MACHINE_FEAT 3
#define KVM_S390_VM_CPU_PROCESSOR_SUBFUNC 4
#define KVM_S390_VM_CPU_MACHINE_SUBFUNC 5

/* 2064 bytes. */
struct kvm_s390_vm_cpu_processor {
	zvmm_kvm_u64 cpuid;         /* @0  */
	zvmm_kvm_u16 ibc;           /* @8  */
	zvmm_kvm_u8 pad[6];         /* @10 */
	zvmm_kvm_u64 fac_list[256]; /* @16 */
};

/* 4112 bytes. */
struct kvm_s390_vm_cpu_machine {
	zvmm_kvm_u64 cpuid;         /* @0    */
	zvmm_kvm_u32 ibc;           /* @8    */
	zvmm_kvm_u8 pad[4];         /* @12   */
	zvmm_kvm_u64 fac_mask[256]; /* @16   */
	zvmm_kvm_u64 fac_list[256]; /* @2064 */
};

/* CPU feature bit numbers (MSB-0 within kvm_s390_vm_cpu_feat.feat). */
#define KVM_S390_VM_CPU_FEAT_NR_BITS 1024
#define KVM_S390_VM_CPU_FEAT_ESOP 0
#define KVM_S390_VM_CPU_FEAT_SIEF2 1
#define KVM_S390_VM_CPU_FEAT_64BSCAO 2
#define KVM_S390_VM_CPU_FEAT_SIIF 3
#define KVM_S390_VM_CPU_FEAT_GPERE 4
#define KVM_S390_VM_CPU_FEAT_GSLS 5
#define KVM_S390_VM_CPU_FEAT_IB 6
#define KVM_S390_VM_CPU_FEAT_CEI 7
#define KVM_S390_VM_CPU_FEAT_IBS 8
#define KVM_S390_VM_CPU_FEAT_SKEY 9
#define KVM_S390_VM_CPU_FEAT_CMMA 10
#define KVM_S390_VM_CPU_FEAT_PFMFI 11
#define KVM_S390_VM_CPU_FEAT_SIGPIF 12
#define KVM_S390_VM_CPU_FEAT_KSS 13

/* 128 bytes. */
struct kvm_s390_vm_cpu_feat {
	zvmm_kvm_u64 feat[16]; /* @0 */
};

/* Query results of the crypto/misc instructions; 2048 bytes. */
struct kvm_s390_vm_cpu_subfunc {
	zvmm_kvm_u8 plo[32];    /* @0    */
	zvmm_kvm_u8 ptff[16];   /* @32   */
	zvmm_kvm_u8 kmac[16];   /* @48   */
	zvmm_kvm_u8 kmc[16];    /* @64   */
	zvmm_kvm_u8 km[16];     /* @80   */
	zvmm_kvm_u8 kimd[16];   /* @96   */
	zvmm_kvm_u8 klmd[16];   /* @112  */
	zvmm_kvm_u8 pckmo[16];  /* @128  */
	zvmm_kvm_u8 kmctr[16];  /* @144  */
	zvmm_kvm_u8 kmf[16];    /* @160  */
	zvmm_kvm_u8 kmo[16];    /* @176  */
	zvmm_kvm_u8 pcc[16];    /* @192  */
	zvmm_kvm_u8 ppno[16];   /* @208  */
	zvmm_kvm_u8 kma[16];    /* @224  */
	zvmm_kvm_u8 kdsa[16];   /* @240  */
	zvmm_kvm_u8 sortl[32];  /* @256  */
	zvmm_kvm_u8 dfltcc[32]; /* @288  */
	zvmm_kvm_u8 reserved[1728]; /* @320 */
};

/* KVM_S390_VM_CRYPTO attributes. */
#define KVM_S390_VM_CRYPTO_ENABLE_AES_KW 0
#define KVM_S390_VM_CRYPTO_ENABLE_DEA_KW 1
#define KVM_S390_VM_CRYPTO_DISABLE_AES_KW 2
#define KVM_S390_VM_CRYPTO_DISABLE_DEA_KW 3
#define KVM_S390_VM_CRYPTO_ENABLE_APIE 4
#define KVM_S390_VM_CRYPTO_DISABLE_APIE 5

/* KVM_S390_VM_MIGRATION attributes. */
#define KVM_S390_VM_MIGRATION_STOP 0
#define KVM_S390_VM_MIGRATION_START 1
#define KVM_S390_VM_MIGRATION_STATUS 2

/* ======================================================================== */
/* Storage keys, CMMA, MEM_OP                                               */
/* ======================================================================== */

/* KVM_S390_GET_SKEYS answer when the guest never enabled storage keys. */
#define KVM_S390_GET_SKEYS_NONE 1
/* Largest kvm_s390_skeys.count. */
#define KVM_S390_SKEYS_MAX 1048576

/* KVM_S390_GET_SKEYS / KVM_S390_SET_SKEYS; 64 bytes. */
struct kvm_s390_skeys {
	zvmm_kvm_u64 start_gfn;     /* @0  */
	zvmm_kvm_u64 count;         /* @8  */
	zvmm_kvm_u64 skeydata_addr; /* @16 user pointer, one byte per page */
	zvmm_kvm_u32 flags;         /* @24 must be 0 */
	zvmm_kvm_u32 reserved[9];   /* @28 */
};

/* kvm_s390_cmma_log.flags */
#define KVM_S390_CMMA_PEEK (1 << 0)

/* KVM_S390_GET_CMMA_BITS / KVM_S390_SET_CMMA_BITS; 32 bytes. */
struct kvm_s390_cmma_log {
	zvmm_kvm_u64 start_gfn; /* @0  */
	zvmm_kvm_u32 count;     /* @8  */
	zvmm_kvm_u32 flags;     /* @12 */
	union {                 /* @16 */
		zvmm_kvm_u64 remaining; /* GET: dirty pages left */
		zvmm_kvm_u64 mask;      /* SET: which bits to set */
	};
	zvmm_kvm_u64 values; /* @24 user pointer */
};

/* kvm_s390_mem_op.op */
#define KVM_S390_MEMOP_LOGICAL_READ 0
#define KVM_S390_MEMOP_LOGICAL_WRITE 1
#define KVM_S390_MEMOP_SIDA_READ 2
#define KVM_S390_MEMOP_SIDA_WRITE 3
#define KVM_S390_MEMOP_ABSOLUTE_READ 4
#define KVM_S390_MEMOP_ABSOLUTE_WRITE 5

/* kvm_s390_mem_op.flags */
#define KVM_S390_MEMOP_F_CHECK_ONLY (1ULL << 0)
#define KVM_S390_MEMOP_F_INJECT_EXCEPTION (1ULL << 1)
#define KVM_S390_MEMOP_F_SKEY_PROTECTION (1ULL << 2)

/* KVM_S390_MEM_OP; 64 bytes (6.1 shape). */
struct kvm_s390_mem_op {
	zvmm_kvm_u64 gaddr; /* @0  guest address */
	zvmm_kvm_u64 flags; /* @8  KVM_S390_MEMOP_F_* */
	zvmm_kvm_u32 size;  /* @16 bytes */
	zvmm_kvm_u32 op;    /* @20 KVM_S390_MEMOP_* */
	zvmm_kvm_u64 buf;   /* @24 user pointer */
	union {             /* @32, 32 bytes */
		struct {
			zvmm_kvm_u8 ar;  /* @32 access register number */
			zvmm_kvm_u8 key; /* @33 with SKEY_PROTECTION */
		};
		zvmm_kvm_u32 sida_offset; /* @32 SIDA ops */
		zvmm_kvm_u8 reserved[32];
	};
};

/* ======================================================================== */
/* VM-level helpers: ENABLE_CAP, irqfd/ioeventfd/routing, signal mask      */
/* ======================================================================== */

/* KVM_ENABLE_CAP; 104 bytes. */
struct kvm_enable_cap {
	zvmm_kvm_u32 cap;     /* @0  KVM_CAP_* */
	zvmm_kvm_u32 flags;   /* @4  must be 0 */
	zvmm_kvm_u64 args[4]; /* @8  */
	zvmm_kvm_u8 pad[64];  /* @40 */
};

/* KVM_SET_SIGNAL_MASK; 4 bytes plus the sigset. */
struct kvm_signal_mask {
	zvmm_kvm_u32 len;       /* @0 */
	zvmm_kvm_u8 sigset[];   /* @4 */
};

#define KVM_IRQFD_FLAG_DEASSIGN (1 << 0)
#define KVM_IRQFD_FLAG_RESAMPLE (1 << 1)

/* KVM_IRQFD; 32 bytes. */
struct kvm_irqfd {
	zvmm_kvm_u32 fd;         /* @0  */
	zvmm_kvm_u32 gsi;        /* @4  */
	zvmm_kvm_u32 flags;      /* @8  KVM_IRQFD_FLAG_* */
	zvmm_kvm_u32 resamplefd; /* @12 */
	zvmm_kvm_u8 pad[16];     /* @16 */
};

/* kvm_ioeventfd.flags (bit numbers 0..3 in the kernel's enumeration). */
#define KVM_IOEVENTFD_FLAG_DATAMATCH (1 << 0)
#define KVM_IOEVENTFD_FLAG_PIO (1 << 1)
#define KVM_IOEVENTFD_FLAG_DEASSIGN (1 << 2)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY (1 << 3)

/* KVM_IOEVENTFD; 64 bytes. */
struct kvm_ioeventfd {
	zvmm_kvm_u64 datamatch; /* @0  */
	zvmm_kvm_u64 addr;      /* @8  (subchannel id for virtio-ccw notify) */
	zvmm_kvm_u32 len;       /* @16 */
	zvmm_kvm_s32 fd;        /* @20 */
	zvmm_kvm_u32 flags;     /* @24 KVM_IOEVENTFD_FLAG_* */
	zvmm_kvm_u8 pad[36];    /* @28 */
};

/* kvm_irq_routing_entry.type */
#define KVM_IRQ_ROUTING_IRQCHIP 1
#define KVM_IRQ_ROUTING_MSI 2
#define KVM_IRQ_ROUTING_S390_ADAPTER 3

struct kvm_irq_routing_irqchip { /* 8 bytes */
	zvmm_kvm_u32 irqchip; /* @0 */
	zvmm_kvm_u32 pin;     /* @4 */
};

struct kvm_irq_routing_msi { /* 16 bytes */
	zvmm_kvm_u32 address_lo; /* @0  */
	zvmm_kvm_u32 address_hi; /* @4  */
	zvmm_kvm_u32 data;       /* @8  */
	union {                  /* @12 */
		zvmm_kvm_u32 pad;
		zvmm_kvm_u32 devid;
	};
};

struct kvm_irq_routing_s390_adapter { /* 32 bytes */
	zvmm_kvm_u64 ind_addr;       /* @0  */
	zvmm_kvm_u64 summary_addr;   /* @8  */
	zvmm_kvm_u64 ind_offset;     /* @16 */
	zvmm_kvm_u32 summary_offset; /* @24 */
	zvmm_kvm_u32 adapter_id;     /* @28 */
};

/* 48 bytes (the kernel's union has further, non-s390 members). */
struct kvm_irq_routing_entry {
	zvmm_kvm_u32 gsi;   /* @0  */
	zvmm_kvm_u32 type;  /* @4  KVM_IRQ_ROUTING_* */
	zvmm_kvm_u32 flags; /* @8  */
	zvmm_kvm_u32 pad;   /* @12 */
	union {             /* @16, 32 bytes */
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
		zvmm_kvm_u32 pad[8];
	} u;
};

/* KVM_SET_GSI_ROUTING; 8 bytes plus the entries. */
struct kvm_irq_routing {
	zvmm_kvm_u32 nr;    /* @0 */
	zvmm_kvm_u32 flags; /* @4 */
	struct kvm_irq_routing_entry entries[]; /* @8 */
};

/* ======================================================================== */
/* ioctl numbers                                                            */
/* ======================================================================== */

#define KVMIO 0xAE

/*
 * The generic Linux ioctl encoding (shared by s390 and x86):
 * bits 31-30 direction, 29-16 argument size, 15-8 type, 7-0 number.
 * The operand types mirror the kernel's macros, so each number has the same
 * value and the same C type (unsigned int without a size, unsigned long
 * with one).
 */
#define ZVMM_KVM_IOC_NONE 0U
#define ZVMM_KVM_IOC_WRITE 1U
#define ZVMM_KVM_IOC_READ 2U
#define ZVMM_KVM_IOC(dir, nr, size)                                           \
	(((dir) << 30) | ((size) << 16) | ((KVMIO) << 8) | (nr))
#define ZVMM_KVM_IO(nr) ZVMM_KVM_IOC(ZVMM_KVM_IOC_NONE, (nr), 0)
#define ZVMM_KVM_IOR(nr, type) ZVMM_KVM_IOC(ZVMM_KVM_IOC_READ, (nr), sizeof(type))
#define ZVMM_KVM_IOW(nr, type) ZVMM_KVM_IOC(ZVMM_KVM_IOC_WRITE, (nr), sizeof(type))
#define ZVMM_KVM_IOWR(nr, type)                                               \
	ZVMM_KVM_IOC(ZVMM_KVM_IOC_READ | ZVMM_KVM_IOC_WRITE, (nr), sizeof(type))

/* /dev/kvm */
#define KVM_GET_API_VERSION ZVMM_KVM_IO(0x00)
#define KVM_CREATE_VM ZVMM_KVM_IO(0x01)
#define KVM_CHECK_EXTENSION ZVMM_KVM_IO(0x03)
#define KVM_GET_VCPU_MMAP_SIZE ZVMM_KVM_IO(0x04)
#define KVM_S390_ENABLE_SIE ZVMM_KVM_IO(0x06)

/* VM fd */
#define KVM_CREATE_VCPU ZVMM_KVM_IO(0x41)
#define KVM_GET_DIRTY_LOG ZVMM_KVM_IOW(0x42, struct kvm_dirty_log)
#define KVM_SET_USER_MEMORY_REGION                                            \
	ZVMM_KVM_IOW(0x46, struct kvm_userspace_memory_region)
#define KVM_CREATE_IRQCHIP ZVMM_KVM_IO(0x60)
#define KVM_SET_GSI_ROUTING ZVMM_KVM_IOW(0x6a, struct kvm_irq_routing)
#define KVM_IRQFD ZVMM_KVM_IOW(0x76, struct kvm_irqfd)
#define KVM_IOEVENTFD ZVMM_KVM_IOW(0x79, struct kvm_ioeventfd)
#define KVM_S390_INTERRUPT ZVMM_KVM_IOW(0x94, struct kvm_s390_interrupt)
#define KVM_ENABLE_CAP ZVMM_KVM_IOW(0xa3, struct kvm_enable_cap)
#define KVM_S390_MEM_OP ZVMM_KVM_IOW(0xb1, struct kvm_s390_mem_op)
#define KVM_S390_GET_SKEYS ZVMM_KVM_IOW(0xb2, struct kvm_s390_skeys)
#define KVM_S390_SET_SKEYS ZVMM_KVM_IOW(0xb3, struct kvm_s390_skeys)
#define KVM_S390_GET_CMMA_BITS ZVMM_KVM_IOWR(0xb8, struct kvm_s390_cmma_log)
#define KVM_S390_SET_CMMA_BITS ZVMM_KVM_IOW(0xb9, struct kvm_s390_cmma_log)
#define KVM_CLEAR_DIRTY_LOG ZVMM_KVM_IOWR(0xc0, struct kvm_clear_dirty_log)
#define KVM_CREATE_DEVICE ZVMM_KVM_IOWR(0xe0, struct kvm_create_device)

/* device fd (and VM fd for the VM attributes) */
#define KVM_SET_DEVICE_ATTR ZVMM_KVM_IOW(0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR ZVMM_KVM_IOW(0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR ZVMM_KVM_IOW(0xe3, struct kvm_device_attr)

/* vcpu fd */
#define KVM_RUN ZVMM_KVM_IO(0x80)
#define KVM_GET_REGS ZVMM_KVM_IOR(0x81, struct kvm_regs)
#define KVM_SET_REGS ZVMM_KVM_IOW(0x82, struct kvm_regs)
#define KVM_GET_SREGS ZVMM_KVM_IOR(0x83, struct kvm_sregs)
#define KVM_SET_SREGS ZVMM_KVM_IOW(0x84, struct kvm_sregs)
#define KVM_SET_SIGNAL_MASK ZVMM_KVM_IOW(0x8b, struct kvm_signal_mask)
#define KVM_GET_FPU ZVMM_KVM_IOR(0x8c, struct kvm_fpu)
#define KVM_SET_FPU ZVMM_KVM_IOW(0x8d, struct kvm_fpu)
#define KVM_S390_STORE_STATUS ZVMM_KVM_IOW(0x95, unsigned long)
#define KVM_S390_SET_INITIAL_PSW ZVMM_KVM_IOW(0x96, struct kvm_s390_psw)
#define KVM_S390_INITIAL_RESET ZVMM_KVM_IO(0x97)
#define KVM_GET_MP_STATE ZVMM_KVM_IOR(0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE ZVMM_KVM_IOW(0x99, struct kvm_mp_state)
#define KVM_SET_GUEST_DEBUG ZVMM_KVM_IOW(0x9b, struct kvm_guest_debug)
#define KVM_GET_ONE_REG ZVMM_KVM_IOW(0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG ZVMM_KVM_IOW(0xac, struct kvm_one_reg)
#define KVM_S390_IRQ ZVMM_KVM_IOW(0xb4, struct kvm_s390_irq)
/* Both IRQ-state ioctls are "write" ioctls, GET included. */
#define KVM_S390_SET_IRQ_STATE ZVMM_KVM_IOW(0xb5, struct kvm_s390_irq_state)
#define KVM_S390_GET_IRQ_STATE ZVMM_KVM_IOW(0xb6, struct kvm_s390_irq_state)
#define KVM_S390_NORMAL_RESET ZVMM_KVM_IO(0xc3)
#define KVM_S390_CLEAR_RESET ZVMM_KVM_IO(0xc4)

/* ======================================================================== */
/* Layout assertions for the vendored copy                                  */
/* ======================================================================== */

#define ZVMM_KVM_ABI_ASSERT(cond) _Static_assert(cond, #cond)

ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_run) == 2368);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, psw_mask) == 32);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, psw_addr) == 40);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, s390_sieic) == 48);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, kvm_valid_regs) == 304);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, kvm_dirty_regs) == 312);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_run, s) == 320);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_sync_regs) == 1984);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_sync_regs, fpc) == 1416);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_sync_regs, riccb) == 1472);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_sync_regs, diag318) == 1536);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_sync_regs, gscb) == 1744);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_sync_regs, etoken) == 1776);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_irq) == 72);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_s390_irq, u) == 8);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_irq_state) == 32);
ZVMM_KVM_ABI_ASSERT(offsetof(struct kvm_s390_irq_state, len) == 12);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_interrupt) == 16);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_mem_op) == 64);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_skeys) == 64);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_enable_cap) == 104);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_device_attr) == 24);
ZVMM_KVM_ABI_ASSERT(sizeof(struct kvm_s390_vm_tod_clock) == 16);

#undef ZVMM_KVM_ABI_ASSERT

#endif /* vendored */

/* ======================================================================== */
/* Beyond the 6.1 UAPI: later kernels' additions, fix-ups, zvmm helpers.    */
/* Applies to both sources; each kernel name is guarded so that a newer     */
/* <linux/kvm.h> that has it wins.                                          */
/* ======================================================================== */

/*
 * Fix-up: the UAPI spells KVM_S390_NO_MEM_LIMIT as U64_MAX, a macro that
 * exists only inside the kernel, so user space cannot expand it.  Give it the
 * same value (all ones, unsigned long long) where U64_MAX is unknown.
 */
#if ZVMM_KVM_ABI_KERNEL_HEADER && !defined(U64_MAX)
#undef KVM_S390_NO_MEM_LIMIT
#define KVM_S390_NO_MEM_LIMIT 0xffffffffffffffffULL
#endif

/* MEM_OP compare-and-exchange on absolute storage (kernel 6.3+). */
#ifndef KVM_S390_MEMOP_ABSOLUTE_CMPXCHG
#define KVM_S390_MEMOP_ABSOLUTE_CMPXCHG 6
#endif
/* Bits in the KVM_CAP_S390_MEM_OP_EXTENSION answer (kernel 6.3+). */
#ifndef KVM_S390_MEMOP_EXTENSION_CAP_BASE
#define KVM_S390_MEMOP_EXTENSION_CAP_BASE (1 << 0)
#endif
#ifndef KVM_S390_MEMOP_EXTENSION_CAP_CMPXCHG
#define KVM_S390_MEMOP_EXTENSION_CAP_CMPXCHG (1 << 1)
#endif

/*
 * zvmm's own helpers (not kernel names).
 *
 * ZVMM_KVM_S390_MAX_VCPUS: the kernel's internal KVM_MAX_VCPUS for s390
 * (255 in current kernels; not part of the UAPI).  SET_IRQ_STATE rejects a
 * buffer longer than ZVMM_KVM_S390_IRQ_STATE_MAX_LEN bytes; a GET buffer of
 * that size always suffices for one vcpu.
 */
#define ZVMM_KVM_S390_MAX_VCPUS 255
#define ZVMM_KVM_S390_IRQ_STATE_MAX_ENTRIES (ZVMM_KVM_S390_MAX_VCPUS + 32)
#define ZVMM_KVM_S390_IRQ_STATE_MAX_LEN                                       \
	(sizeof(struct kvm_s390_irq) * ZVMM_KVM_S390_IRQ_STATE_MAX_ENTRIES)

#endif /* ZVMM_KVM_ABI_H */
