// SPDX-License-Identifier: MIT
/*
 * runelf: run one guest ELF (guest/guest.ld layout, docs/guest-abi.md) on
 * the interpreter alone, with just enough SCLP to let it print and exit.
 * A stand-in for `zvmm run --accel soft` until the VMM core runs guests on
 * softkvm; used by `make bench` (guest MIPS) and the csmith differential
 * test (console output = checksum).
 *
 *   runelf [-m MIB] [-b BUDGET] [-s] ELF
 *
 * The console goes to stdout. -s prints "runelf: insns N seconds S mips M"
 * on stderr (instructions executed by s390_cpu_run over its wall time)
 * and how many of them ran translated (ZVMM_JIT chooses the translator).
 * Exit status: the guest's exit code (from the disabled-wait address),
 * 124 when BUDGET instructions ran out, 125 for any other end (a crash,
 * an intercept it does not know, an interrupt loop).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "softkvm/cpu/cpu.h"

#define EXIT_BUDGET 124
#define EXIT_CRASH  125

#define LC_EXT_PARAMS   0x80
#define LC_EXT_CPU_ADDR 0x84
#define LC_EXT_CODE     0x86
#define EXT_SERVICE_SIGNAL 0x2401
#define CR0_SERVICE_SIGNAL 0x200

static uint64_t be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* Copy every PT_LOAD segment to its physical address; return the entry. */
static int load_elf(const char *path, uint8_t *ram, uint64_t size, uint64_t *entry)
{
	FILE *f = fopen(path, "rb");
	long flen;
	uint8_t *img;

	if (!f)
		return -errno;
	fseek(f, 0, SEEK_END);
	flen = ftell(f);
	rewind(f);
	img = malloc((size_t)flen);
	if (!img || fread(img, 1, (size_t)flen, f) != (size_t)flen) {
		fclose(f);
		free(img);
		return -EIO;
	}
	fclose(f);
	if (flen < 64 || memcmp(img, "\177ELF\2\2", 6) || be(img + 18, 2) != 22) {
		free(img);
		return -ENOEXEC;
	}
	*entry = be(img + 24, 8);
	uint64_t phoff = be(img + 32, 8);
	unsigned phentsize = (unsigned)be(img + 54, 2), phnum = (unsigned)be(img + 56, 2);
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (uint64_t)i * phentsize;
		if ((long)(phoff + (uint64_t)(i + 1) * phentsize) > flen)
			break;
		if (be(ph, 4) != 1)	/* PT_LOAD */
			continue;
		uint64_t off = be(ph + 8, 8), paddr = be(ph + 24, 8);
		uint64_t filesz = be(ph + 32, 8), memsz = be(ph + 40, 8);
		if (paddr + memsz > size || off + filesz > (uint64_t)flen || filesz > memsz) {
			free(img);
			return -ERANGE;
		}
		memcpy(ram + paddr, img + off, filesz);
		memset(ram + paddr + filesz, 0, memsz - filesz);
	}
	free(img);
	return 0;
}

struct vm {
	struct s390_cpu cpu;
	struct s390_mem mem;
	uint64_t mib;
	uint32_t pending_sccb;	/* service signal to deliver, 0 = none */
};

/* SERVICE CALL: the three commands the guest library uses. */
static unsigned servc(struct vm *vm, uint32_t cmd, uint64_t sccb_addr)
{
	uint8_t *ram = vm->mem.ram, *s;
	uint64_t abs = s390_real_to_abs(vm->cpu.prefix, sccb_addr);

	if (abs + 4096 > vm->mem.size || (abs & 7))
		return 3;
	if (vm->pending_sccb)
		return 2;
	s = ram + abs;
	switch (cmd) {
	case 0x00020001:
	case 0x00120001:	/* READ SCP INFO (forced) */
		memset(s + 8, 0, 4096 - 8);
		put(s + 8, vm->mib, 2);	/* rnmax */
		s[10] = 1;		/* rnsize: 1 MiB */
		put(s + 16, 1, 2);	/* one CPU entry */
		put(s + 18, 128, 2);	/* at offset 128, address 0 */
		put(s + 120, 0, 2);	/* highest CPU address */
		put(s + 6, 0x0010, 2);
		break;
	case 0x00780005:	/* WRITE EVENT MASK: VT220 only */
		put(s + 20, 0x00000040, 4);
		put(s + 24, 0x00000040, 4);
		put(s + 6, 0x0020, 2);
		break;
	case 0x00760005: {	/* WRITE EVENT DATA: one VT220 buffer */
		unsigned len = (unsigned)be(s + 8, 2);
		if (s[10] == 0x1a && len >= 6 && len <= 4096 - 8)
			fwrite(s + 14, 1, len - 6, stdout);
		put(s + 6, 0x0020, 2);
		break;
	}
	default:
		put(s + 6, 0x01f0, 2);
		break;
	}
	vm->pending_sccb = (uint32_t)sccb_addr;
	return 0;
}

static void set_cc(struct s390_cpu *cpu, unsigned cc)
{
	cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_CC) | (uint64_t)cc << 44;
}

/* Deliver the service signal if the PSW and CR0 allow it. */
static bool deliver(struct vm *vm)
{
	struct s390_cpu *cpu = &vm->cpu;
	uint8_t *lc = vm->mem.ram + cpu->prefix;

	if (!vm->pending_sccb || !(cpu->psw_mask & PSW_MASK_EXT) ||
	    !(cpu->cr[0] & CR0_SERVICE_SIGNAL))
		return false;
	put(lc + LC_EXT_PARAMS, vm->pending_sccb, 4);
	put(lc + LC_EXT_CPU_ADDR, 0, 2);
	put(lc + LC_EXT_CODE, EXT_SERVICE_SIGNAL, 2);
	vm->pending_sccb = 0;
	cpu->psw_mask &= ~PSW_MASK_WAIT;
	s390_cpu_psw_swap(cpu, LC_EXT_OLD, LC_EXT_NEW);
	return true;
}

static int intercept(struct vm *vm)
{
	struct s390_cpu *cpu = &vm->cpu;
	unsigned r1 = (cpu->icpt.ipb >> 20) & 15, r2 = (cpu->icpt.ipb >> 16) & 15;

	switch (cpu->icpt.ipa) {
	case 0xB220:		/* SERVC */
		set_cc(cpu, servc(vm, (uint32_t)cpu->gpr[r1], cpu->gpr[r2]));
		return 0;
	default:
		if ((cpu->icpt.ipa >> 8) == 0xAE) {	/* SIGP: nobody else */
			set_cc(cpu, 3);
			return 0;
		}
		fprintf(stderr, "runelf: unhandled intercept %04x %08x\n",
			cpu->icpt.ipa, cpu->icpt.ipb);
		return -1;
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	struct vm vm = { .mib = 128 };
	int64_t budget = INT64_MAX;
	bool stats = false;
	int opt, code = EXIT_CRASH;
	uint64_t entry = 0;

	while ((opt = getopt(argc, argv, "m:b:s")) != -1) {
		switch (opt) {
		case 'm': vm.mib = strtoull(optarg, NULL, 0); break;
		case 'b': budget = strtoll(optarg, NULL, 0); break;
		case 's': stats = true; break;
		default: goto usage;
		}
	}
	if (optind != argc - 1 || vm.mib < 1 || vm.mib > 65535)
		goto usage;

	uint8_t *ram = calloc(vm.mib, 1 << 20);
	if (!ram || s390_mem_init(&vm.mem, ram, vm.mib << 20) ||
	    s390_cpu_init(&vm.cpu, &vm.mem)) {
		fprintf(stderr, "runelf: out of memory\n");
		return EXIT_CRASH;
	}
	int err = load_elf(argv[optind], ram, vm.mib << 20, &entry);
	if (err) {
		fprintf(stderr, "runelf: %s: %s\n", argv[optind], strerror(-err));
		return EXIT_CRASH;
	}
	const char *jit = getenv("ZVMM_JIT");
	if (jit && s390_jit_parse(jit, &vm.cpu.jit_after) < 0) {
		fprintf(stderr, "runelf: ZVMM_JIT=%s: want off, on or a count\n", jit);
		return EXIT_CRASH;
	}
	vm.cpu.psw_mask = 0x0000000180000000ULL;
	vm.cpu.psw_addr = entry;

	double t0 = now();
	int64_t left = budget;
	for (;;) {
		int64_t slice = left < 10000000 ? left : 10000000;
		uint64_t before = vm.cpu.stat_insns;
		if (slice <= 0) {
			code = EXIT_BUDGET;
			fprintf(stderr, "runelf: budget of %lld instructions used up\n",
				(long long)budget);
			break;
		}
		enum s390_event ev = s390_cpu_run(&vm.cpu, slice);
		left -= (int64_t)(vm.cpu.stat_insns - before);
		if (ev == S390_EV_BUDGET || ev == S390_EV_IRQ_WINDOW) {
			deliver(&vm);
			continue;
		}
		if (ev == S390_EV_INTERCEPT) {
			if (intercept(&vm))
				break;
			continue;
		}
		if (ev == S390_EV_WAIT) {
			if (deliver(&vm))
				continue;
			fprintf(stderr, "runelf: enabled wait with nothing pending\n");
			break;
		}
		if (ev == S390_EV_DISABLED_WAIT) {
			uint64_t a = vm.cpu.psw_addr;
			if ((a & 0xFFF) == 0xFFF)
				code = 0;
			else if ((a & 0xFFF) == 0xEEE)
				code = (int)(a >> 12);
			else
				fprintf(stderr, "runelf: disabled wait at %016llx %016llx\n",
					(unsigned long long)vm.cpu.psw_mask,
					(unsigned long long)a);
			break;
		}
		fprintf(stderr, "runelf: event %d at %016llx\n", (int)ev,
			(unsigned long long)vm.cpu.psw_addr);
		break;
	}
	double dt = now() - t0;
	fflush(stdout);
	if (stats) {
		fprintf(stderr, "runelf: insns %llu seconds %.3f mips %.1f\n",
			(unsigned long long)vm.cpu.stat_insns, dt,
			dt > 0 ? (double)vm.cpu.stat_insns / dt / 1e6 : 0.0);
		fprintf(stderr, "runelf: translated blocks %llu, insns run translated %.1f%%\n",
			(unsigned long long)vm.cpu.stat_jit_blocks,
			vm.cpu.stat_insns ? 100.0 * (double)vm.cpu.stat_jit_insns /
					    (double)vm.cpu.stat_insns : 0.0);
	}
	s390_cpu_destroy(&vm.cpu);
	s390_mem_destroy(&vm.mem);
	free(ram);
	return code;
usage:
	fprintf(stderr, "usage: runelf [-m MIB] [-b BUDGET] [-s] ELF\n");
	return 2;
}
