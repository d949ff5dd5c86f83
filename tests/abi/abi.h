/*
 * tests/abi: shared declarations of the ABI check.
 *
 * The same X-macro lists (abi-list.h, abi-extras-list.h) are compiled in
 * several translation units, each against one source of the s390 KVM
 * definitions, and each produces a table of (name, value, C type) entries in
 * the same order.  The drivers compare those tables entry by entry.
 */
#ifndef ZVMM_TESTS_ABI_H
#define ZVMM_TESTS_ABI_H

#include <stddef.h>
#include <stdio.h>

/* Entry flags. */
#define ABI_F_BITPOS 0x1u /* a bit mask inside one byte: bit-field allocation */
#define ABI_F_KIND 0x2u   /* the value is an ABI_KIND code (a member's type) */

struct abi_entry {
	const char *name;
	unsigned long long value;
	int ctype;     /* ABI_KIND of the expression, 0 if not meaningful */
	unsigned flags;
	/* Only for the extras list: the value the entry must have. */
	unsigned long long expect;
};

struct abi_table {
	const char *label;         /* e.g. "kernel <linux/kvm.h> (s390x)" */
	struct abi_entry *common;  /* abi-list.h, plus the run-time probes */
	size_t ncommon;
	struct abi_entry *extras;  /* abi-extras-list.h (not for the kernel) */
	size_t nextras;
	int kernel_header;         /* ZVMM_KVM_ABI_KERNEL_HEADER, -1 for kernel */
	int big_endian;
};

/* The C type of an integer expression, as a small code. */
#define ABI_KIND(x)                                                           \
	_Generic((x),                                                         \
		_Bool: 1,                                                     \
		char: 2,                                                      \
		signed char: 3,                                               \
		unsigned char: 4,                                             \
		short: 5,                                                     \
		unsigned short: 6,                                            \
		int: 7,                                                       \
		unsigned int: 8,                                              \
		long: 9,                                                      \
		unsigned long: 10,                                            \
		long long: 11,                                                \
		unsigned long long: 12,                                       \
		default: 0)

const char *abi_kind_name(int kind);

/* Tables (one function per translation unit of abi-table.c). */
void abi_table_kernel(struct abi_table *t);
void abi_table_vendored(struct abi_table *t);
void abi_table_ours_real(struct abi_table *t);

/* TAP helpers (abi-common.c). */
struct abi_tap {
	unsigned n;      /* tests printed */
	unsigned failed; /* of which not ok */
};

void abi_tap_ok(struct abi_tap *tap, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Compare one entry of a reference table (ref, byte order ref_be) with the
 * same entry of another (ours, byte order ours_be).  Returns 1 if equal.
 * why receives a short description either way.
 */
int abi_entry_equal(const struct abi_entry *ref, int ref_be,
		    const struct abi_entry *ours, int ours_be, char *why,
		    size_t whylen);

/* One TAP line per entry: ref vs ours.  Returns the number of mismatches. */
unsigned abi_compare_tables(struct abi_tap *tap, const char *what,
			    const struct abi_entry *ref, size_t nref, int ref_be,
			    const struct abi_entry *ours, size_t nours,
			    int ours_be);

/* One TAP line per extras entry: value must equal its expectation. */
unsigned abi_check_extras(struct abi_tap *tap, const char *what,
			  const struct abi_entry *x, size_t n);

/* Negative self-tests: the comparison catches each kind of difference. */
void abi_self_test(struct abi_tap *tap, const struct abi_table *t);

int abi_host_big_endian(void);

#endif
