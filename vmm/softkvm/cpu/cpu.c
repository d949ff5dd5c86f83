// SPDX-License-Identifier: MIT
/*
 * CPU objects, clocks, PSW loading and the delivery of program
 * interruptions (everything around the execution loop of exec.c).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "softkvm/cpu/jit.h"

/* facility bits: 0 N3, 1-2 z/Arch, 3 DAT-enh, 7 STFLE, 18 long disp,
 * 21 ext-imm, 25 STCKF, 34 gen-instr-ext, 35 execute-ext, 45 distinct-ops /
 * popcount / load-on-condition / interlocked access (subset, see
 * docs/interpreter.md) */
#define FAC(n) (1ULL << (63 - (n)))
const uint64_t s390_facilities[S390_FAC_DW] = {
	FAC(0) | FAC(1) | FAC(2) | FAC(3) | FAC(7) | FAC(18) | FAC(21) |
	FAC(25) | FAC(34) | FAC(35) | FAC(45),
	0,
};

/* ------------------------------------------------------------------ */
/* setup */

int s390_mem_init(struct s390_mem *mem, uint8_t *ram, uint64_t size)
{
	mem->ram = ram;
	mem->size = size & PAGE_MASK_4K;
	mem->keys = calloc(mem->size >> 12 ? mem->size >> 12 : 1, 1);
	mem->code = calloc(mem->size >> 12 ? mem->size >> 12 : 1, sizeof(*mem->code));
	mem->dirty = calloc(((mem->size >> 12) + 63) / 64 + 1, sizeof(uint64_t));
	mem->log_dirty = false;
	mem->keys_used = false;
	if (!mem->keys || !mem->code || !mem->dirty) {
		s390_mem_destroy(mem);
		return -1;
	}
	return 0;
}

void s390_mem_destroy(struct s390_mem *mem)
{
	free(mem->keys);
	free(mem->code);
	free(mem->dirty);
	mem->keys = NULL;
	mem->code = NULL;
	mem->dirty = NULL;
}

int s390_cpu_init(struct s390_cpu *cpu, struct s390_mem *mem)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->mem = mem;
	cpu->cr[0] = 0xE0;
	cpu->cr[14] = 0xC2000000;
	cpu->cpuid = S390_DEFAULT_CPUID;
	cpu->jit_after = S390_JIT_X86 ? S390_JIT_AFTER : -1;
	/* the pool, then room for one scratch block with its end entry */
	cpu->icache = calloc(S390_ICACHE_SIZE + S390_IBLK_MAX + 1, sizeof(*cpu->icache));
	cpu->iblk = calloc(S390_IBLK_SIZE, sizeof(*cpu->iblk));
	if (!cpu->icache || !cpu->iblk) {
		s390_cpu_destroy(cpu);
		return -1;
	}
	for (int i = 0; i < S390_IBLK_SIZE; i++)
		cpu->iblk[i].addr = TLB_EMPTY;
	cpu->cputm_ref = s390_tod_now(cpu);
	s390_tlb_flush(cpu);
	return 0;
}

void s390_cpu_destroy(struct s390_cpu *cpu)
{
	s390_jit_free(cpu);
	free(cpu->icache);
	free(cpu->iblk);
	cpu->icache = NULL;
	cpu->iblk = NULL;
}

/* ------------------------------------------------------------------ */
/* clocks */

uint64_t s390_tod_now(const struct s390_cpu *cpu)
{
	struct timespec ts;

	if (cpu->tod_read)
		return cpu->tod_read(cpu->tod_opaque);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* TOD bit 51 is one microsecond: 4096 units per us */
	uint64_t tod = (uint64_t)ts.tv_sec * 4096000000ULL +
		       (uint64_t)ts.tv_nsec * 512 / 125;
	return tod + (uint64_t)cpu->tod_epoch;
}

int64_t s390_cpu_get_cputm(const struct s390_cpu *cpu)
{
	return cpu->cputm - (int64_t)(s390_tod_now(cpu) - cpu->cputm_ref);
}

void s390_cpu_set_cputm(struct s390_cpu *cpu, int64_t v)
{
	cpu->cputm = v;
	cpu->cputm_ref = s390_tod_now(cpu);
}

/* ------------------------------------------------------------------ */
/* PSW and interruptions */

bool s390_psw_valid(uint64_t mask, uint64_t addr)
{
	const uint64_t unassigned = 0x8000000000000000ULL | 0x3800000000000000ULL |
				    PSW_MASK_SHORT | 0x000000FE00000000ULL |
				    0x000000007FFFFFFFULL;
	if (mask & unassigned)
		return false;
	if ((mask & PSW_MASK_64) == PSW_MASK_EA)
		return false;
	/*
	 * An odd instruction address is only an error when an instruction
	 * is fetched; a wait PSW fetches none (exit conventions use 0xFFF).
	 */
	if ((addr & 1) && !(mask & PSW_MASK_WAIT))
		return false;
	return (addr & ~amode_mask(mask)) == 0;
}

_Noreturn void s390_pgm(struct s390_cpu *cpu, uint16_t code)
{
	s390_cur_sync(cpu);
	cpu->pgm_code = code;
	cpu->pgm_ilc = cpu->cur_ilen;
	cpu->pgm_old_addr = (cpu->cur_addr + cpu->cur_ilen) & amode_mask(cpu->psw_mask);
	longjmp(*cpu->exc, 1);
}

/* An exception recognised before the instruction at psw_addr: ILC 0 and
 * the old PSW is the current one (invalid PSW, odd address). */
_Noreturn void s390_pgm_early(struct s390_cpu *cpu, uint16_t code)
{
	s390_cur_sync(cpu);
	cpu->pgm_code = code;
	cpu->pgm_ilc = 0;
	cpu->pgm_old_addr = cpu->psw_addr;
	longjmp(*cpu->exc, 1);
}

uint8_t *s390_lowcore(struct s390_cpu *cpu, uint32_t off, unsigned len)
{
	uint64_t abs = s390_real_to_abs(cpu->prefix, off);
	if (abs + len > cpu->mem->size)
		return NULL;
	s390_mem_touched(cpu, abs, len);
	s390_lowcore_stored(cpu, abs, len);
	return cpu->mem->ram + abs;
}

void s390_lc_put16(struct s390_cpu *cpu, uint32_t off, uint16_t v)
{
	uint8_t *p = s390_lowcore(cpu, off, 2);
	if (p)
		put_be16(p, v);
}

void s390_lc_put64(struct s390_cpu *cpu, uint32_t off, uint64_t v)
{
	uint8_t *p = s390_lowcore(cpu, off, 8);
	if (p)
		put_be64(p, v);
}

/* Load a PSW; TLB entries depend on the PSW key. */
void s390_load_psw(struct s390_cpu *cpu, uint64_t mask, uint64_t addr)
{
	if ((mask ^ cpu->psw_mask) & PSW_MASK_KEY) {
		/* fetch protection is checked when code is decoded */
		s390_tlb_flush(cpu);
		s390_icache_flush(cpu);
	}
	cpu->psw_mask = mask;
	cpu->psw_addr = addr;
	cc_from_psw(cpu);
}

void s390_cpu_psw_swap(struct s390_cpu *cpu, uint32_t old, uint32_t new_)
{
	uint8_t *o = s390_lowcore(cpu, old, 16), *n = s390_lowcore(cpu, new_, 16);

	cc_to_psw(cpu);
	if (o) {
		put_be64(o, cpu->psw_mask);
		put_be64(o + 8, cpu->psw_addr);
	}
	if (n)
		s390_load_psw(cpu, get_be64(n), get_be64(n + 8));
}

enum s390_event s390_deliver_pgm(struct s390_cpu *cpu)
{
	cpu->psw_addr = cpu->pgm_old_addr;
	s390_lc_put16(cpu, LC_PGM_ILC, cpu->pgm_ilc);
	s390_lc_put16(cpu, LC_PGM_CODE, cpu->pgm_code);
	s390_lc_put64(cpu, LC_BEA, cpu->bea);
	s390_cpu_psw_swap(cpu, LC_PGM_OLD, LC_PGM_NEW);
	if (!s390_psw_valid(cpu->psw_mask, cpu->psw_addr))
		return S390_EV_PGM_LOOP;
	return S390_EV_BUDGET; /* = carry on */
}

bool s390_cpu_program_irq(struct s390_cpu *cpu, uint16_t code, unsigned ilen)
{
	enum s390_event ev;

	cpu->pgm_code = code;
	cpu->pgm_ilc = (uint8_t)ilen;
	cpu->pgm_old_addr = cpu->psw_addr;
	cc_from_psw(cpu);
	ev = s390_deliver_pgm(cpu);
	cc_to_psw(cpu);
	return ev == S390_EV_BUDGET;
}
