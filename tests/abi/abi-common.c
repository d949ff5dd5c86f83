/* tests/abi: comparison and TAP output shared by the drivers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/abi/abi.h"

int abi_host_big_endian(void)
{
	const unsigned int one = 1;
	return *(const unsigned char *)&one == 0;
}

const char *abi_kind_name(int kind)
{
	static const char *const names[] = {
		"-",          "_Bool",         "char",
		"signed char", "unsigned char", "short",
		"unsigned short", "int",       "unsigned int",
		"long",       "unsigned long", "long long",
		"unsigned long long",
	};
	if (kind == 0)
		return "(aggregate or pointer)";
	if (kind < 0 || (size_t)kind >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[kind];
}

void abi_tap_ok(struct abi_tap *tap, int ok, const char *fmt, ...)
{
	va_list ap;

	tap->n++;
	if (!ok)
		tap->failed++;
	printf("%s %u - ", ok ? "ok" : "not ok", tap->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static unsigned char reverse8(unsigned char b)
{
	unsigned char r = 0;
	int i;

	for (i = 0; i < 8; i++)
		if (b & (1u << i))
			r |= (unsigned char)(0x80u >> i);
	return r;
}

static void fmt_value(char *buf, size_t len, const struct abi_entry *e,
		      unsigned long long v)
{
	if (e->flags & ABI_F_KIND)
		snprintf(buf, len, "%s", abi_kind_name((int)v));
	else if (e->flags & ABI_F_BITPOS)
		snprintf(buf, len, "0x%02llx", v);
	else if (v < 4096)
		snprintf(buf, len, "%llu", v);
	else
		snprintf(buf, len, "0x%llx", v);
}

int abi_entry_equal(const struct abi_entry *ref, int ref_be,
		    const struct abi_entry *ours, int ours_be, char *why,
		    size_t whylen)
{
	char rv[32], ov[32];
	unsigned long long want = ref->value;
	const char *note = "";

	if (strcmp(ref->name, ours->name) != 0) {
		snprintf(why, whylen, "entry name differs: kernel \"%s\", ours \"%s\"",
			 ref->name, ours->name);
		return 0;
	}
	/*
	 * Bit-field allocation follows the byte order of the ABI: the first
	 * declared bit is the most significant bit of the byte on big-endian
	 * s390x and the least significant one on little-endian hosts.  This is
	 * the one documented layout difference of the vendored header.
	 */
	if ((ref->flags & ABI_F_BITPOS) && ref_be != ours_be) {
		want = reverse8((unsigned char)ref->value);
		note = " (bit order mirrored: the reference and this host differ in byte order)";
	}
	fmt_value(rv, sizeof(rv), ref, ref->value);
	fmt_value(ov, sizeof(ov), ours, ours->value);
	if (want != ours->value) {
		snprintf(why, whylen, "%s: kernel %s, ours %s%s", ref->name, rv, ov, note);
		return 0;
	}
	if (ref->ctype != ours->ctype) {
		snprintf(why, whylen, "%s = %s: C type differs: kernel %s, ours %s",
			 ref->name, rv, abi_kind_name(ref->ctype),
			 abi_kind_name(ours->ctype));
		return 0;
	}
	if (ref->ctype)
		snprintf(why, whylen, "%s = %s (%s)%s", ref->name, ov,
			 abi_kind_name(ours->ctype), note);
	else
		snprintf(why, whylen, "%s: kernel %s, ours %s%s", ref->name, rv, ov, note);
	return 1;
}

unsigned abi_compare_tables(struct abi_tap *tap, const char *what,
			    const struct abi_entry *ref, size_t nref, int ref_be,
			    const struct abi_entry *ours, size_t nours,
			    int ours_be)
{
	char why[512];
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < nref && i < nours; i++) {
		int ok = abi_entry_equal(&ref[i], ref_be, &ours[i], ours_be, why,
					 sizeof(why));
		if (!ok)
			bad++;
		abi_tap_ok(tap, ok, "%s: %s", what, why);
	}
	if (nref != nours) {
		bad++;
		abi_tap_ok(tap, 0, "%s: tables differ in length: reference %zu, ours %zu",
			   what, nref, nours);
	}
	return bad;
}

unsigned abi_check_extras(struct abi_tap *tap, const char *what,
			  const struct abi_entry *x, size_t n)
{
	unsigned bad = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int ok = x[i].value == x[i].expect;
		if (!ok)
			bad++;
		abi_tap_ok(tap, ok, "%s: %s = %llu (expected %llu, %s)", what,
			   x[i].name, x[i].value, x[i].expect,
			   abi_kind_name(x[i].ctype));
	}
	return bad;
}

static const struct abi_entry *find(const struct abi_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncommon; i++)
		if (strcmp(t->common[i].name, name) == 0)
			return &t->common[i];
	return NULL;
}

/*
 * Show that the comparison would catch the mistakes it exists for: a wrong
 * size (the 16-byte kvm_s390_irq_state of the 2014 text), a wrong ioctl
 * number, a constant of the wrong C type, and a list out of step.
 */
void abi_self_test(struct abi_tap *tap, const struct abi_table *t)
{
	const struct abi_entry *e;
	struct abi_entry bad;
	char why[512] = "";
	int be = t->big_endian;

	e = find(t, "sizeof(struct kvm_s390_irq_state)");
	if (e) {
		bad = *e;
		bad.value = 16;
		abi_tap_ok(tap, !abi_entry_equal(e, be, &bad, be, why, sizeof(why)),
			   "self-test: a 16-byte kvm_s390_irq_state is caught (%s)", why);
	} else {
		abi_tap_ok(tap, 0, "self-test: sizeof(struct kvm_s390_irq_state) in the list");
	}

	e = find(t, "KVM_S390_GET_IRQ_STATE");
	if (e) {
		bad = *e;
		bad.value = 0x4010aeb6; /* _IOW with the 16-byte struct */
		abi_tap_ok(tap, !abi_entry_equal(e, be, &bad, be, why, sizeof(why)),
			   "self-test: a wrong ioctl number is caught (%s)", why);
	} else {
		abi_tap_ok(tap, 0, "self-test: KVM_S390_GET_IRQ_STATE in the list");
	}

	e = find(t, "KVM_SYNC_PREFIX");
	if (e) {
		bad = *e;
		bad.ctype = ABI_KIND(1u); /* 1U << 0 instead of 1UL << 0 */
		abi_tap_ok(tap, !abi_entry_equal(e, be, &bad, be, why, sizeof(why)),
			   "self-test: a constant of another C type is caught (%s)", why);
	} else {
		abi_tap_ok(tap, 0, "self-test: KVM_SYNC_PREFIX in the list");
	}

	if (t->ncommon >= 2) {
		abi_tap_ok(tap,
			   !abi_entry_equal(&t->common[0], be, &t->common[1], be,
					    why, sizeof(why)),
			   "self-test: tables out of step are caught (%s)", why);
	}

	e = find(t, "bitfield mask of kvm_sync_regs.bpbc");
	if (e) {
		bad = *e;
		bad.value = reverse8((unsigned char)e->value);
		abi_tap_ok(tap,
			   bad.value == e->value ||
				   !abi_entry_equal(e, be, &bad, be, why, sizeof(why)),
			   "self-test: a bit-field in the other bit of its byte is caught (%s)",
			   why);
	}
}
