// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the interpreter: random bytes as code, with a
 * random PSW, random registers, CR0, prefix, storage keys and program-new
 * PSW, run for a bounded budget. It must never crash, hang or touch host
 * memory outside the guest's (ASan/UBSan watch that).
 *
 * Input layout (missing bytes are zero):
 *   0   PSW mask          8   PSW address      16  16 GPRs (128 bytes)
 *   144 CR0               152 prefix (4)       156 PSW key for keys (1)
 *   157 flags (1): bit 0 program-new PSW re-enters the code, bit 1 keys,
 *                  bit 2 interpret only (else every block is translated
 *                  where there is a translator)
 *   158 code...           copied to 0x2000 and to 0x9ff0 (page straddle)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "softkvm/cpu/cpu.h"

#define MEM_SIZE (64 * 1024)
#define BUDGET 1000

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ram;
	static struct s390_mem mem;
	uint8_t hdr[158] = { 0 };
	static struct s390_cpu cpu;

	if (!ram) {
		ram = malloc(MEM_SIZE);
		if (!ram || s390_mem_init(&mem, ram, MEM_SIZE))
			abort();
	}
	memset(ram, 0, MEM_SIZE);
	memset(mem.keys, 0, MEM_SIZE >> 12);
	memset(mem.code, 0, (MEM_SIZE >> 12) * sizeof(*mem.code));
	memcpy(hdr, data, size < sizeof(hdr) ? size : sizeof(hdr));
	const uint8_t *code = data + sizeof(hdr);
	size_t clen = size > sizeof(hdr) ? size - sizeof(hdr) : 0;
	if (clen > 0x3000)
		clen = 0x3000;
	memcpy(ram + 0x2000, code, clen);
	memcpy(ram + 0x9ff0, code, clen < 0x1000 ? clen : 0x1000);

	uint8_t flags = hdr[157];
	/* program-new PSW: disabled wait, or back into the code */
	put64(ram + LC_PGM_NEW, 0x0002000180000000ULL);
	put64(ram + LC_PGM_NEW + 8, 0xfff);
	if (flags & 1) {
		put64(ram + LC_PGM_NEW, 0x0000000180000000ULL);
		put64(ram + LC_PGM_NEW + 8, 0x2000);
	}
	memcpy(ram + LC_SVC_NEW, ram + LC_PGM_NEW, 16);
	if (flags & 2)
		for (unsigned i = 0; i < MEM_SIZE >> 12; i++)
			mem.keys[i] = (uint8_t)((hdr[156] + i * 0x35) & 0xFE);

	/* one CPU for all runs (its caches allocated once): the state a
	 * fresh s390_cpu_init() gives, with the caches emptied */
	if (!cpu.icache && s390_cpu_init(&cpu, &mem))
		abort();
	struct s390_insn *ic = cpu.icache;
	struct s390_iblk *blk = cpu.iblk;
	unsigned used = cpu.icache_used;
	uint8_t *jit_buf = cpu.jit_buf;
	uint32_t jit_size = cpu.jit_size;
	memset(&cpu, 0, sizeof(cpu));
	cpu.mem = &mem;
	cpu.icache = ic;
	cpu.iblk = blk;
	cpu.icache_used = used;	/* the flush below finds the blocks by it */
	cpu.jit_buf = jit_buf;
	cpu.jit_size = jit_size;
	/* translate every block as it is decoded, or (flag 4) interpret */
	cpu.jit_after = (flags & 4) ? -1 : 0;
	cpu.cr[14] = 0xC2000000;
	cpu.cpuid = 0xFF00000020980000ULL;
	s390_cpu_flush(&cpu);
	for (int i = 0; i < 16; i++)
		cpu.gpr[i] = be64(hdr + 16 + 8 * i);
	cpu.cr[0] = be64(hdr + 144);
	cpu.prefix = (uint32_t)(hdr[152] << 8 | hdr[153]) & 0xE000;	/* inside memory */
	uint64_t mask = be64(hdr), addr = be64(hdr + 8) % MEM_SIZE;
	if (!s390_psw_valid(mask, addr)) {
		mask &= 0x47F7F00180000000ULL;	/* assigned bits only, 64-bit */
		mask |= 0x0000000180000000ULL;
		addr &= ~1ULL;
	}
	cpu.psw_mask = mask;
	cpu.psw_addr = addr;

	int64_t left = BUDGET;
	while (left > 0) {
		uint64_t before = cpu.stat_insns;
		enum s390_event ev = s390_cpu_run(&cpu, left);
		uint64_t done = cpu.stat_insns - before;
		left -= done ? (int64_t)done : 1;
		if (ev == S390_EV_INTERCEPT) {
			/* answer with CC from the instruction's bytes */
			cpu.psw_mask = (cpu.psw_mask & ~PSW_MASK_CC) |
				       (uint64_t)(cpu.icpt.ipa & 3) << 44;
			continue;
		}
		if (ev == S390_EV_BUDGET || ev == S390_EV_IRQ_WINDOW)
			continue;
		break;	/* waits, DAT, program loop, stop */
	}
	return 0;
}
