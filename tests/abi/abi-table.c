/*
 * tests/abi: one table of the ABI entries, compiled once per source of the
 * s390 KVM definitions.  Exactly one of these must be defined:
 *
 *   ABI_SIDE_KERNEL     the real s390x <linux/kvm.h> (s390x compiler only)
 *   ABI_SIDE_VENDORED   vmm/kvm-abi.h with ZVMM_VENDORED_KVM_ABI (any host)
 *   ABI_SIDE_OURS_REAL  vmm/kvm-abi.h on s390x without ZVMM_VENDORED_KVM_ABI,
 *                       i.e. its <linux/kvm.h> branch plus its extras block
 */
#include <string.h>

#if defined(ABI_SIDE_KERNEL)
#ifndef __s390x__
#error "ABI_SIDE_KERNEL must be compiled for s390x against its UAPI headers"
#endif
#include <linux/kvm.h>
/* The UAPI writes KVM_S390_NO_MEM_LIMIT as the kernel-internal U64_MAX. */
#define U64_MAX ((unsigned long long)~0ULL)
#define ABI_TABLE_FN abi_table_kernel
#define ABI_LABEL "kernel <linux/kvm.h>"
#define ABI_WITH_EXTRAS 0

#elif defined(ABI_SIDE_VENDORED)
#define ZVMM_VENDORED_KVM_ABI 1
#include "vmm/kvm-abi.h"
#if ZVMM_KVM_ABI_KERNEL_HEADER != 0
#error "ZVMM_VENDORED_KVM_ABI did not select the vendored definitions"
#endif
#define ABI_TABLE_FN abi_table_vendored
#define ABI_LABEL "vmm/kvm-abi.h (vendored)"
#define ABI_WITH_EXTRAS 1

#elif defined(ABI_SIDE_OURS_REAL)
#ifndef __s390x__
#error "ABI_SIDE_OURS_REAL only makes sense on s390x"
#endif
#ifdef ZVMM_VENDORED_KVM_ABI
#error "ABI_SIDE_OURS_REAL must not define ZVMM_VENDORED_KVM_ABI"
#endif
#include "vmm/kvm-abi.h"
#if ZVMM_KVM_ABI_KERNEL_HEADER != 1
#error "on s390x, kvm-abi.h should have used <linux/kvm.h>"
#endif
#define ABI_TABLE_FN abi_table_ours_real
#define ABI_LABEL "vmm/kvm-abi.h (kernel-header branch)"
#define ABI_WITH_EXTRAS 1

#else
#error "define one of ABI_SIDE_KERNEL, ABI_SIDE_VENDORED, ABI_SIDE_OURS_REAL"
#endif

#include "tests/abi/abi.h"

#ifdef __KVM_S390
#define ABI_HAVE_KVM_S390 1
#else
#define ABI_HAVE_KVM_S390 0
#endif
#ifdef __KVM_HAVE_GUEST_DEBUG
#define ABI_HAVE_GUEST_DEBUG 1
#else
#define ABI_HAVE_GUEST_DEBUG 0
#endif

#define ABI_ENTRY(label, expr) \
	{ (label), (unsigned long long)(expr), ABI_KIND(expr), 0, 0 },

#define ABI_SIZE(T)                                                           \
	ABI_ENTRY("sizeof(" #T ")", sizeof(T))                                \
	ABI_ENTRY("_Alignof(" #T ")", _Alignof(T))

#define ABI_MEMBER_PARTS(T, m, kindexpr)                                      \
	ABI_ENTRY("offsetof(" #T ", " #m ")", offsetof(T, m))                 \
	ABI_ENTRY("membersize(" #T ", " #m ")", sizeof(((T *)0)->m))          \
	{ "memberkind(" #T ", " #m ")", (unsigned long long)ABI_KIND(kindexpr), \
	  0, ABI_F_KIND, 0 },

#define ABI_M(T, m) ABI_MEMBER_PARTS(T, m, ((T *)0)->m)
#define ABI_A(T, m, sub) ABI_MEMBER_PARTS(T, m, ((T *)0)->m sub)
#define ABI_C(...) ABI_ENTRY(#__VA_ARGS__, (__VA_ARGS__))
#define ABI_E(label, ...) ABI_ENTRY(label, (__VA_ARGS__))

/* Run-time probes of the bit-field byte of struct kvm_sync_regs. */
#define ABI_NPROBES 4

static struct abi_entry common[] = {
#include "tests/abi/abi-list.h"
	/* filled in by probe_bitfields() */
	{ "bitfield byte offset of kvm_sync_regs.bpbc", 0, 0, 0, 0 },
	{ "bitfield mask of kvm_sync_regs.bpbc", 0, 0, ABI_F_BITPOS, 0 },
	{ "bitfield byte offset of kvm_sync_regs.reserved2", 0, 0, 0, 0 },
	{ "bitfield mask of kvm_sync_regs.reserved2", 0, 0, ABI_F_BITPOS, 0 },
};

#if ABI_WITH_EXTRAS
#define ABI_X(expr, expected)                                                 \
	{ #expr, (unsigned long long)(expr), ABI_KIND(expr), 0,                \
	  (unsigned long long)(expected) },
static struct abi_entry extras[] = {
#include "tests/abi/abi-extras-list.h"
};
#endif

/* Find the single non-zero byte of a zeroed struct after setting a field. */
static void probe_one(const unsigned char *p, size_t n, struct abi_entry *off,
		      struct abi_entry *mask)
{
	size_t i, hits = 0;

	off->value = ~0ULL;
	mask->value = 0;
	for (i = 0; i < n; i++) {
		if (p[i]) {
			hits++;
			off->value = i;
			mask->value = p[i];
		}
	}
	if (hits != 1)
		off->value = ~0ULL; /* reported as a mismatch */
}

static void probe_bitfields(struct abi_entry *e)
{
	static struct kvm_sync_regs r;

	memset(&r, 0, sizeof(r));
	r.bpbc = 1;
	probe_one((const unsigned char *)&r, sizeof(r), &e[0], &e[1]);

	memset(&r, 0, sizeof(r));
	r.reserved2 = 0x7f;
	probe_one((const unsigned char *)&r, sizeof(r), &e[2], &e[3]);
}

void ABI_TABLE_FN(struct abi_table *t)
{
	size_t n = sizeof(common) / sizeof(common[0]);

	probe_bitfields(&common[n - ABI_NPROBES]);
	memset(t, 0, sizeof(*t));
	t->label = ABI_LABEL;
	t->common = common;
	t->ncommon = n;
#if ABI_WITH_EXTRAS
	t->extras = extras;
	t->nextras = sizeof(extras) / sizeof(extras[0]);
	t->kernel_header = ZVMM_KVM_ABI_KERNEL_HEADER;
#else
	t->extras = NULL;
	t->nextras = 0;
	t->kernel_header = -1;
#endif
	t->big_endian = abi_host_big_endian();
}
