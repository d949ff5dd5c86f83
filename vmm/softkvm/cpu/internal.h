/* SPDX-License-Identifier: MIT */
/*
 * Interpreter internals shared by decode.c, mem.c and exec.c.
 */
#ifndef ZVMM_SOFTKVM_CPU_INTERNAL_H
#define ZVMM_SOFTKVM_CPU_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "bswap.h"
#include "softkvm/cpu/cpu.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum s390_op {
	OP_INVALID = 0,
#define INSN(name, key, fmt) OP_##name,
#include "softkvm/cpu/insns.def"
#undef INSN
	OP_MAX
};

enum s390_fmt {
	F_NONE, F_E, F_I, F_RR, F_RRE, F_RRF, F_RX, F_RXY, F_RS, F_RSY, F_RSI,
	F_RI, F_RIL, F_SI, F_SIY, F_SIL, F_S, F_S1, F_SS, F_SSE, F_RIEb, F_RIEc,
	F_RIEd, F_RIEf, F_RRS, F_RIS, F_RIEa,
};

/*
 * A decoded instruction. Fields keep the names of the Principles of
 * Operation formats; unused ones are zero. Displacements are sign-extended
 * (long-displacement forms), immediates are sign-extended where the
 * instruction treats them as signed and the handler re-truncates otherwise.
 */
struct s390_insn {
	uint16_t op;       /* enum s390_op */
	uint8_t ilen;      /* 2, 4, 6 */
	uint8_t r1, r2, r3, x2, b1, b2, m3;
	uint8_t i3, i4, i5;
	uint8_t l1;        /* SS length code */
	int32_t d1, d2;
	int64_t i2;        /* immediate (or relative offset in halfwords) */
	int32_t ri;        /* second relative offset (RIE-b/c: I4) */
	uint8_t raw[6];    /* the instruction bytes */
	/* decode cache: the handler (a label of run_loop()), the address
	 * of the instruction (relative forms count from it) and that of
	 * the next sequential one (for an executed instruction: EXECUTE's
	 * successor), unmasked */
	const void *h;
	uint64_t addr, npc;
};

extern const char *const s390_op_names[OP_MAX];

/* Decode ilen bytes at p into *in. Unknown opcodes give OP_INVALID. */
void s390_decode(const uint8_t *p, struct s390_insn *in);
/* Opcode key as in insns.def for the bytes at p. */
unsigned s390_op_key(const uint8_t *p);

/* --- PSW and program interruptions (cpu.c) --- */
/* Raise a program interruption for the current instruction (longjmp). */
_Noreturn void s390_pgm(struct s390_cpu *cpu, uint16_t code);
/* The same for an exception recognised before the instruction at
 * psw_addr (invalid PSW, odd address): ILC 0, old PSW = current PSW. */
_Noreturn void s390_pgm_early(struct s390_cpu *cpu, uint16_t code);
/* Host address of len lowcore bytes at real offset off (via prefixing),
 * or NULL if outside memory; marks them as written for the decode cache. */
uint8_t *s390_lowcore(struct s390_cpu *cpu, uint32_t off, unsigned len);
void s390_lc_put16(struct s390_cpu *cpu, uint32_t off, uint16_t v);
void s390_lc_put64(struct s390_cpu *cpu, uint32_t off, uint64_t v);
void s390_load_psw(struct s390_cpu *cpu, uint64_t mask, uint64_t addr);
/* Deliver cpu->pgm_*: S390_EV_BUDGET to go on, or S390_EV_PGM_LOOP. */
enum s390_event s390_deliver_pgm(struct s390_cpu *cpu);

/* --- the memory path (mem.c) ---
 *
 * Every guest access goes logical address -> TLB -> host pointer. A miss
 * calls s390_tlb_fill(), the only place that knows about prefixing, storage
 * keys, low-address protection and the memory size (and, later, DAT). It
 * either returns the host address of the byte or raises a program
 * interruption. Pages that hold decoded code are never entered in the store
 * TLB, so stores into them take the fill path, which invalidates the
 * decode cache. With dirty logging on, a page is marked dirty when its
 * store-TLB entry goes (replaced, flushed, s390_cpu_dirty_sync), so the
 * hit path stays as it is.
 */
#define TLB_EMPTY (~0ULL)
#define PAGE_MASK_4K (~0xFFFULL)

uint8_t *s390_tlb_fill(struct s390_cpu *cpu, uint64_t la, enum s390_acc acc);
void s390_tlb_flush(struct s390_cpu *cpu);
void s390_icache_flush(struct s390_cpu *cpu);
/* The code generation of the absolute page of abs (mem->code[]). */
static inline uint32_t s390_code_gen(const struct s390_mem *mem, uint64_t abs)
{
	return __atomic_load_n(&mem->code[abs >> 12], __ATOMIC_RELAXED);
}
/* Mark absolute page apage, fetched from at logical address la, as
 * holding decoded code: this CPU's stores into it take the fill path from
 * now on. Returns its generation (odd) for the blocks decoded from it. */
uint32_t s390_code_mark(struct s390_cpu *cpu, uint64_t la, uint64_t apage);
/* The executing block must not go on past the current instruction. */
void s390_block_break(struct s390_cpu *cpu);
/* Make cur_addr, cur_ilen and budget describe the current instruction
 * (before a program interruption is recorded). */
void s390_cur_sync(struct s390_cpu *cpu);
uint64_t s390_ld_slow(struct s390_cpu *cpu, uint64_t la, unsigned len);
void s390_st_slow(struct s390_cpu *cpu, uint64_t la, uint64_t v, unsigned len);
void s390_probe(struct s390_cpu *cpu, uint64_t la, uint64_t len, enum s390_acc acc);
/* [abs, abs+len) of the lowcore is about to be stored to directly (not
 * through the TLB): dirty logging marks it at the next sync. */
void s390_lowcore_stored(struct s390_cpu *cpu, uint64_t abs, uint64_t len);

static inline uint64_t amode_mask(uint64_t psw_mask)
{
	if (psw_mask & PSW_MASK_EA)
		return ~0ULL;
	return psw_mask & PSW_MASK_BA ? 0x7FFFFFFFULL : 0xFFFFFFULL;
}

static inline uint8_t *tlb_host(struct s390_cpu *cpu, uint64_t la, enum s390_acc acc)
{
	struct s390_tlbe *e = &cpu->tlb[acc][(la >> 12) & (S390_TLB_SIZE - 1)];
	if (likely(e->page == (la & PAGE_MASK_4K)))
		return e->host + (la & 0xFFF);
	return s390_tlb_fill(cpu, la, acc);
}

static inline uint8_t ld8(struct s390_cpu *cpu, uint64_t la)
{
	return *tlb_host(cpu, la, ACC_FETCH);
}
static inline uint16_t ld16(struct s390_cpu *cpu, uint64_t la)
{
	if (likely((la & 0xFFF) <= 0xFFE))
		return get_be16(tlb_host(cpu, la, ACC_FETCH));
	return (uint16_t)s390_ld_slow(cpu, la, 2);
}
static inline uint32_t ld32(struct s390_cpu *cpu, uint64_t la)
{
	if (likely((la & 0xFFF) <= 0xFFC))
		return get_be32(tlb_host(cpu, la, ACC_FETCH));
	return (uint32_t)s390_ld_slow(cpu, la, 4);
}
static inline uint64_t ld64(struct s390_cpu *cpu, uint64_t la)
{
	if (likely((la & 0xFFF) <= 0xFF8))
		return get_be64(tlb_host(cpu, la, ACC_FETCH));
	return s390_ld_slow(cpu, la, 8);
}
static inline void st8(struct s390_cpu *cpu, uint64_t la, uint8_t v)
{
	*tlb_host(cpu, la, ACC_STORE) = v;
}
static inline void st16(struct s390_cpu *cpu, uint64_t la, uint16_t v)
{
	if (likely((la & 0xFFF) <= 0xFFE))
		put_be16(tlb_host(cpu, la, ACC_STORE), v);
	else
		s390_st_slow(cpu, la, v, 2);
}
static inline void st32(struct s390_cpu *cpu, uint64_t la, uint32_t v)
{
	if (likely((la & 0xFFF) <= 0xFFC))
		put_be32(tlb_host(cpu, la, ACC_STORE), v);
	else
		s390_st_slow(cpu, la, v, 4);
}
static inline void st64(struct s390_cpu *cpu, uint64_t la, uint64_t v)
{
	if (likely((la & 0xFFF) <= 0xFF8))
		put_be64(tlb_host(cpu, la, ACC_STORE), v);
	else
		s390_st_slow(cpu, la, v, 8);
}

/* --- handlers kept outside run_loop() (exec-ext.c) --- */
unsigned s390_mvcle(struct s390_cpu *cpu, const struct s390_insn *in, unsigned wsize);
unsigned s390_clcle(struct s390_cpu *cpu, const struct s390_insn *in, unsigned wsize);
void s390_cdsg(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_cmp_trap(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_ipk(struct s390_cpu *cpu);
void s390_spka(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_trtr(struct s390_cpu *cpu, const struct s390_insn *in);
unsigned s390_tre(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_lae(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_ecag(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_hw_arith(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_hw_cmp(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_hw_mem(struct s390_cpu *cpu, const struct s390_insn *in);
bool s390_brcth(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_risbhlg(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_multiple_words(struct s390_cpu *cpu, const struct s390_insn *in);
void s390_mvcin(struct s390_cpu *cpu, const struct s390_insn *in);
unsigned s390_cksm(struct s390_cpu *cpu, const struct s390_insn *in);
unsigned s390_trxx(struct s390_cpu *cpu, const struct s390_insn *in);

/* Facility nr in the list this CPU reports (STFLE bit numbering): what
 * an instruction whose behaviour a facility changes goes by. */
#define S390_FAC_ETF2_ENH 24
static inline bool s390_fac_has(const struct s390_cpu *cpu, unsigned nr)
{
	const uint64_t *fac = cpu->fac ? cpu->fac : s390_facilities;
	unsigned n = cpu->fac ? cpu->n_fac : S390_FAC_DW;

	return nr / 64 < n && ((fac[nr / 64] >> (63 - nr % 64)) & 1);
}

/* --- lazy condition code ---
 * Instructions record how the CC is to be computed (cc_op and up to two
 * operands); it is computed only when something reads it (branches on
 * condition, IPM, PSW stores). */
enum cc_op {
	CC_CONST,     /* cc_a is the CC */
	CC_S32,       /* signed 32-bit result cc_a vs 0 */
	CC_S64,       /* signed 64-bit result cc_a vs 0 */
	CC_NZ,        /* cc_a != 0 -> 1 */
	CC_CMP_S32,   /* cc_a vs cc_b, signed */
	CC_CMP_S64,
	CC_CMP_U32,
	CC_CMP_U64,
	CC_ADD_S32,   /* cc_a + cc_b, signed: overflow -> 3 */
	CC_ADD_S64,
	CC_SUB_S32,   /* cc_a - cc_b */
	CC_SUB_S64,
	CC_ADD_U32,   /* logical add: zero/nonzero + carry */
	CC_ADD_U64,
	CC_SUB_U32,   /* logical subtract: zero/nonzero + no-borrow */
	CC_SUB_U64,
};

static inline void cc_set(struct s390_cpu *cpu, enum cc_op op, uint64_t a, uint64_t b)
{
	cpu->cc_op = op;
	cpu->cc_a = a;
	cpu->cc_b = b;
}
static inline void cc_const(struct s390_cpu *cpu, unsigned cc)
{
	cpu->cc_op = CC_CONST;
	cpu->cc_a = cc;
}

static inline unsigned cc_scmp(int64_t a, int64_t b)
{
	return a == b ? 0 : a < b ? 1 : 2;
}
static inline unsigned cc_ucmp(uint64_t a, uint64_t b)
{
	return a == b ? 0 : a < b ? 1 : 2;
}

static inline unsigned cc_compute(const struct s390_cpu *cpu)
{
	uint64_t a = cpu->cc_a, b = cpu->cc_b;
	switch (cpu->cc_op) {
	case CC_CONST:
		return (unsigned)a;
	case CC_S32:
		return cc_scmp((int32_t)a, 0);
	case CC_S64:
		return cc_scmp((int64_t)a, 0);
	case CC_NZ:
		return a != 0;
	case CC_CMP_S32:
		return cc_scmp((int32_t)a, (int32_t)b);
	case CC_CMP_S64:
		return cc_scmp((int64_t)a, (int64_t)b);
	case CC_CMP_U32:
		return cc_ucmp((uint32_t)a, (uint32_t)b);
	case CC_CMP_U64:
		return cc_ucmp(a, b);
	case CC_ADD_S32: {
		uint32_t r = (uint32_t)a + (uint32_t)b;
		if ((int32_t)((a ^ r) & (b ^ r)) < 0)
			return 3;
		return cc_scmp((int32_t)r, 0);
	}
	case CC_ADD_S64: {
		uint64_t r = a + b;
		if ((int64_t)((a ^ r) & (b ^ r)) < 0)
			return 3;
		return cc_scmp((int64_t)r, 0);
	}
	case CC_SUB_S32: {
		uint32_t r = (uint32_t)a - (uint32_t)b;
		if ((int32_t)((a ^ b) & (a ^ r)) < 0)
			return 3;
		return cc_scmp((int32_t)r, 0);
	}
	case CC_SUB_S64: {
		uint64_t r = a - b;
		if ((int64_t)((a ^ b) & (a ^ r)) < 0)
			return 3;
		return cc_scmp((int64_t)r, 0);
	}
	case CC_ADD_U32: {
		uint32_t r = (uint32_t)a + (uint32_t)b;
		return (r != 0) | (r < (uint32_t)a) << 1;
	}
	case CC_ADD_U64: {
		uint64_t r = a + b;
		return (r != 0) | (r < a) << 1;
	}
	case CC_SUB_U32: {
		uint32_t r = (uint32_t)a - (uint32_t)b;
		return (r != 0) | ((uint32_t)a >= (uint32_t)b) << 1;
	}
	case CC_SUB_U64:
		return ((a - b) != 0) | (a >= b) << 1;
	}
	return 0;
}

/* Fold the lazy CC into psw_mask / take it from there. */
static inline void cc_to_psw(struct s390_cpu *cpu)
{
	cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_CC) |
			(uint64_t)cc_compute(cpu) << PSW_SHIFT_CC;
}
static inline void cc_from_psw(struct s390_cpu *cpu)
{
	cc_const(cpu, (unsigned)(cpu->psw_mask >> PSW_SHIFT_CC) & 3);
}

#endif
