/*
 * tests/abi: the s390x side of the ABI check (runs under qemu-s390x-static
 * or natively on s390x).
 *
 *   abi-check-s390x          TAP: kernel <linux/kvm.h> vs vmm/kvm-abi.h
 *   abi-check-s390x --dump   the kernel table as text, for abi-check-host
 */
#include <stdio.h>
#include <string.h>

#include "tests/abi/abi.h"

static void dump(const struct abi_table *k, const struct abi_table *v)
{
	size_t i;

	printf("@byteorder %s\n", k->big_endian ? "big" : "little");
	for (i = 0; i < k->ncommon; i++)
		printf("C\t%s\t%llu\t%d\t%u\n", k->common[i].name,
		       k->common[i].value, k->common[i].ctype,
		       k->common[i].flags);
	/* extras come from the vendored copy: the 6.1 header lacks them */
	for (i = 0; i < v->nextras; i++)
		printf("X\t%s\t%llu\t%d\t%u\n", v->extras[i].name,
		       v->extras[i].value, v->extras[i].ctype,
		       v->extras[i].flags);
	printf("@end %zu %zu\n", k->ncommon, v->nextras);
}

/* Compare quietly; print a diagnostic per mismatch; return mismatches. */
static unsigned quiet_compare(const struct abi_entry *a, size_t na,
			      const struct abi_entry *b, size_t nb, int be)
{
	char why[512];
	unsigned bad = 0;
	size_t i;

	if (na != nb) {
		printf("# lengths differ: %zu vs %zu\n", na, nb);
		bad++;
	}
	for (i = 0; i < na && i < nb; i++) {
		if (!abi_entry_equal(&a[i], be, &b[i], be, why, sizeof(why))) {
			printf("# %s\n", why);
			bad++;
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct abi_table k, v, r;
	struct abi_tap tap = { 0, 0 };
	unsigned bad;

	abi_table_kernel(&k);
	abi_table_vendored(&v);
	abi_table_ours_real(&r);

	if (argc == 2 && strcmp(argv[1], "--dump") == 0) {
		dump(&k, &v);
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: %s [--dump]\n", argv[0]);
		return 2;
	}

	printf("# s390x: %s vs %s, %zu entries\n", k.label, v.label, k.ncommon);
	abi_compare_tables(&tap, "s390x", k.common, k.ncommon, k.big_endian,
			   v.common, v.ncommon, v.big_endian);

	abi_check_extras(&tap, "s390x vendored extra", v.extras, v.nextras);
	abi_check_extras(&tap, "s390x kernel-header-branch extra", r.extras,
			 r.nextras);

	bad = quiet_compare(k.common, k.ncommon, r.common, r.ncommon,
			    k.big_endian);
	abi_tap_ok(&tap, bad == 0,
		   "s390x: kvm-abi.h's <linux/kvm.h> branch equals the kernel header on all %zu entries (%u differ)",
		   k.ncommon, bad);
	bad = quiet_compare(v.extras, v.nextras, r.extras, r.nextras,
			    k.big_endian);
	abi_tap_ok(&tap, bad == 0,
		   "s390x: the extras block gives the same values and C types in both branches (%u differ)",
		   bad);
	abi_tap_ok(&tap, v.kernel_header == 0,
		   "s390x: ZVMM_VENDORED_KVM_ABI selects the vendored copy (ZVMM_KVM_ABI_KERNEL_HEADER = %d)",
		   v.kernel_header);
	abi_tap_ok(&tap, r.kernel_header == 1,
		   "s390x: without it kvm-abi.h uses <linux/kvm.h> (ZVMM_KVM_ABI_KERNEL_HEADER = %d)",
		   r.kernel_header);
	abi_tap_ok(&tap, k.big_endian == 1, "s390x: the reference table is big-endian");

	abi_self_test(&tap, &k);

	printf("1..%u\n", tap.n);
	if (tap.failed)
		printf("# %u of %u failed\n", tap.failed, tap.n);
	return tap.failed ? 1 : 0;
}
