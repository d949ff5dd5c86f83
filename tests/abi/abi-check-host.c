/*
 * tests/abi: the host side of the ABI check.
 *
 *   abi-check-host DUMP
 *
 * DUMP is the output of "abi-check-s390x --dump": the kernel's s390x values
 * (and the s390x build of the extras).  This program holds the same list
 * compiled by the host compiler against the vendored vmm/kvm-abi.h, which is
 * what softkvm and the VMM use on non-s390x hosts, and checks that every
 * size, alignment, offset, member width and kind, constant and ioctl number
 * is the kernel's.  The one expected difference is the bit of the bpbc
 * bit-field within its byte, which follows the host's byte order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/abi/abi.h"

#define MAXENT 4096

struct dump {
	int big_endian;
	struct abi_entry c[MAXENT];
	size_t nc;
	struct abi_entry x[MAXENT];
	size_t nx;
	int complete;
};

static struct dump d;

static char *dup_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int parse(FILE *f)
{
	char line[1024];
	int have_order = 0;

	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');
		char kind, *name, *rest, *end;
		struct abi_entry e;

		if (nl)
			*nl = 0;
		if (strncmp(line, "@byteorder ", 11) == 0) {
			d.big_endian = strcmp(line + 11, "big") == 0;
			have_order = 1;
			continue;
		}
		if (strncmp(line, "@end ", 5) == 0) {
			d.complete = 1;
			continue;
		}
		if ((line[0] != 'C' && line[0] != 'X') || line[1] != '\t')
			return -1;
		kind = line[0];
		name = line + 2;
		rest = strchr(name, '\t');
		if (!rest)
			return -1;
		*rest++ = 0;
		memset(&e, 0, sizeof(e));
		e.name = dup_string(name);
		e.value = strtoull(rest, &end, 10);
		if (*end != '\t')
			return -1;
		e.ctype = (int)strtol(end + 1, &end, 10);
		if (*end != '\t')
			return -1;
		e.flags = (unsigned)strtoul(end + 1, &end, 10);
		if (*end != 0 || !e.name)
			return -1;
		if (kind == 'C' && d.nc < MAXENT)
			d.c[d.nc++] = e;
		else if (kind == 'X' && d.nx < MAXENT)
			d.x[d.nx++] = e;
		else
			return -1;
	}
	return have_order ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct abi_table h;
	struct abi_tap tap = { 0, 0 };
	FILE *f;
	const char *what = "host";

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DUMP [LABEL]\n", argv[0]);
		return 2;
	}
	if (argc == 3)
		what = argv[2];
	f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	abi_table_vendored(&h);
	if (parse(f) != 0 || !d.complete || d.nc == 0) {
		printf("Bail out! %s: cannot read the s390x dump %s\n", what, argv[1]);
		return 1;
	}
	if (f != stdin)
		fclose(f);

	printf("# %s (%s-endian): %s vs the kernel's s390x values (%s-endian), %zu entries\n",
	       what, h.big_endian ? "big" : "little", h.label,
	       d.big_endian ? "big" : "little", d.nc);
	abi_compare_tables(&tap, what, d.c, d.nc, d.big_endian, h.common,
			   h.ncommon, h.big_endian);
	abi_check_extras(&tap, what, h.extras, h.nextras);
	abi_compare_tables(&tap, "host extras vs s390x extras", d.x, d.nx,
			   d.big_endian, h.extras, h.nextras, h.big_endian);
	abi_tap_ok(&tap, h.kernel_header == 0,
		   "%s: the vendored copy is in use (ZVMM_KVM_ABI_KERNEL_HEADER = %d)",
		   what, h.kernel_header);

	{
		/* self-tests against the kernel's values, as the real check */
		struct abi_table k = h;

		k.common = d.c;
		k.ncommon = d.nc;
		k.big_endian = d.big_endian;
		abi_self_test(&tap, &k);
	}

	printf("1..%u\n", tap.n);
	if (tap.failed)
		printf("# %u of %u failed\n", tap.failed, tap.n);
	return tap.failed ? 1 : 0;
}
