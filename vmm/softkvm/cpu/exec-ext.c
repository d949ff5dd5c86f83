// SPDX-License-Identifier: MIT
/*
 * Instruction handlers that live outside run_loop(): the long moves and
 * compares that stop after a CPU-determined amount (MVCLE, CLCLE, MVCLU,
 * CLCLU), COMPARE DOUBLE AND SWAP (CDSG), compare and trap, the PSW-key
 * instructions (IPK, SPKA), TRANSLATE AND TEST REVERSE, TRANSLATE
 * EXTENDED, LAE/LAEY, ECAG, the high-word facility, the multiple-word
 * moves of access registers and high halves (LAM, STAM, LMH, STMH),
 * MOVE INVERSE, CHECKSUM and TRANSLATE ONE/TWO TO ONE/TWO. run_loop()
 * has one line per instruction that calls them; they see the decoded
 * fields, raise exceptions with s390_pgm() and set the condition code
 * like any handler.
 */
#include "softkvm/cpu/internal.h"

#define R(n) (cpu->gpr[n])

/* CR0 bit 36: extraction-authority control (IPK in problem state) */
#define CR0_EXTRACT_AUTH 0x0000000008000000ULL
#define CR0_AFP_REG      0x0000000000040000ULL

/*
 * Bytes the long instructions handle in one execution before they end
 * with CC 3 (the architecture's CPU-determined amount). The same figures
 * as QEMU's, so that the differential test can compare the registers
 * after a partial execution: moves stop at a page boundary of either
 * operand, compares after 8 KiB (4 KiB for the two-byte form), TRE
 * after 8 KiB.
 */
#define CLCLE_CHUNK 0x2000
#define CLCLU_CHUNK 0x1000
#define TRE_CHUNK   0x2000
/* CKSM: bytes; TROO ... TRTT: characters */
#define CKSM_CHUNK  0x2000
#define TRXX_CHUNK  0x2000

static inline uint64_t am_of(const struct s390_cpu *cpu)
{
	return amode_mask(cpu->psw_mask);
}

static inline _Noreturn void spec_exc(struct s390_cpu *cpu)
{
	s390_pgm(cpu, PGM_SPECIFICATION);
}

/* B2 + D2 (+ X2) of the decoded instruction, wrapped to the addressing mode */
static uint64_t addr2(const struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t a = (uint64_t)(int64_t)in->d2;

	if (in->x2)
		a += cpu->gpr[in->x2];
	if (in->b2)
		a += cpu->gpr[in->b2];
	return a & am_of(cpu);
}

static uint64_t addr1(const struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t a = (uint64_t)(int64_t)in->d1;

	if (in->b1)
		a += cpu->gpr[in->b1];
	return a & am_of(cpu);
}

/*
 * Operand addresses and lengths in register pairs (MVCLE, CLCLE, TRE):
 * the whole register in the 64-bit addressing mode, bits 32-63 otherwise,
 * where an updated address has zeros left of the addressing mode's bits.
 */
static void put_addr(struct s390_cpu *cpu, unsigned r, uint64_t a)
{
	if (cpu->psw_mask & PSW_MASK_EA)
		R(r) = a;
	else
		R(r) = (R(r) & 0xFFFFFFFF00000000ULL) | (a & am_of(cpu));
}

static uint64_t get_len(const struct s390_cpu *cpu, unsigned r)
{
	return cpu->psw_mask & PSW_MASK_EA ? cpu->gpr[r] : (uint32_t)cpu->gpr[r];
}

static void put_len(struct s390_cpu *cpu, unsigned r, uint64_t len)
{
	if (cpu->psw_mask & PSW_MASK_EA)
		R(r) = len;
	else
		R(r) = (R(r) & 0xFFFFFFFF00000000ULL) | (uint32_t)len;
}

static inline uint64_t page_left(uint64_t a)
{
	return 0x1000 - (a & 0xFFF);
}

static inline uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * The operands of MVCLE/CLCLE and their two-byte forms: addresses in the
 * even registers R1 and R3, lengths in the odd ones (even for wsize 2),
 * the pad in the low bits of the second-operand address.
 */
struct long_opnds {
	uint64_t a1, l1, a3, l3;
	uint16_t pad;
};

static struct long_opnds long_opnds_get(struct s390_cpu *cpu, const struct s390_insn *in,
					unsigned wsize)
{
	uint64_t am = am_of(cpu);
	struct long_opnds o;

	if ((in->r1 | in->r3) & 1)
		spec_exc(cpu);
	o.pad = (uint16_t)addr2(cpu, in);
	if (wsize == 1)
		o.pad &= 0xFF;
	o.a1 = R(in->r1) & am;
	o.l1 = get_len(cpu, in->r1 + 1);
	o.a3 = R(in->r3) & am;
	o.l3 = get_len(cpu, in->r3 + 1);
	if (wsize == 2 && ((o.l1 | o.l3) & 1))
		spec_exc(cpu);
	return o;
}

static void long_opnds_put(struct s390_cpu *cpu, const struct s390_insn *in,
			   const struct long_opnds *o)
{
	put_addr(cpu, in->r1, o->a1);
	put_len(cpu, in->r1 + 1, o->l1);
	put_addr(cpu, in->r3, o->a3);
	put_len(cpu, in->r3 + 1, o->l3);
}

/*
 * MOVE LONG EXTENDED (wsize 1) and MOVE LONG UNICODE (wsize 2). One
 * execution either moves or pads, up to the end of the page of the
 * operands; CC 3 while first-operand bytes remain. The pad is the low
 * byte (halfword) of the second-operand address; MVCLU pads with the
 * two-byte character, its high byte where the remaining length is even.
 */
unsigned s390_mvcle(struct s390_cpu *cpu, const struct s390_insn *in, unsigned wsize)
{
	uint64_t am = am_of(cpu);
	struct long_opnds o = long_opnds_get(cpu, in, wsize);
	unsigned cc = o.l1 == o.l3 ? 0 : o.l1 < o.l3 ? 1 : 2;

	if (o.l1) {
		uint64_t n = min64(o.l1, page_left(o.a1));
		if (o.l3) {
			n = min64(n, min64(o.l3, page_left(o.a3)));
			s390_probe(cpu, o.a3, n, ACC_FETCH);
			s390_probe(cpu, o.a1, n, ACC_STORE);
			for (uint64_t i = 0; i < n; i++)
				st8(cpu, (o.a1 + i) & am, ld8(cpu, (o.a3 + i) & am));
			o.a3 = (o.a3 + n) & am;
			o.l3 -= n;
		} else {
			s390_probe(cpu, o.a1, n, ACC_STORE);
			for (uint64_t i = 0; i < n; i++) {
				uint8_t b = (uint8_t)o.pad;
				if (wsize == 2 && !((o.l1 - i) & 1))
					b = (uint8_t)(o.pad >> 8);
				st8(cpu, (o.a1 + i) & am, b);
			}
		}
		o.a1 = (o.a1 + n) & am;
		o.l1 -= n;
		if (o.l1)
			cc = 3;
	}
	long_opnds_put(cpu, in, &o);
	return cc;
}

/*
 * COMPARE LOGICAL LONG EXTENDED (wsize 1) / UNICODE (wsize 2): the
 * shorter operand is extended with the pad; the registers point at the
 * first unequal unit. CC 3 after a CPU-determined amount compared equal.
 */
unsigned s390_clcle(struct s390_cpu *cpu, const struct s390_insn *in, unsigned wsize)
{
	uint64_t am = am_of(cpu);
	struct long_opnds o = long_opnds_get(cpu, in, wsize);
	uint64_t n = o.l1 > o.l3 ? o.l1 : o.l3, limit = wsize == 1 ? CLCLE_CHUNK : CLCLU_CHUNK;
	unsigned cc = 0;

	if (n > limit) {
		n = limit;
		cc = 3;
	}
	for (; n; n -= wsize) {
		uint16_t v1 = o.pad, v3 = o.pad;
		if (o.l1)
			v1 = wsize == 1 ? ld8(cpu, o.a1) : ld16(cpu, o.a1);
		if (o.l3)
			v3 = wsize == 1 ? ld8(cpu, o.a3) : ld16(cpu, o.a3);
		if (v1 != v3) {
			cc = v1 < v3 ? 1 : 2;
			break;
		}
		if (o.l1) {
			o.a1 = (o.a1 + wsize) & am;
			o.l1 -= wsize;
		}
		if (o.l3) {
			o.a3 = (o.a3 + wsize) & am;
			o.l3 -= wsize;
		}
	}
	long_opnds_put(cpu, in, &o);
	return cc;
}

/*
 * A 16-byte compare-and-swap on guest storage (big-endian: *hi is the
 * doubleword at the lower address). On a mismatch hi and lo receive the
 * storage contents. x86-64 and s390x hosts use their 16-byte instruction
 * (cmpxchg16b, cdsg), which gcc does not inline and would otherwise take
 * from libatomic; other hosts, and a host address that is not 16-byte
 * aligned, serialise on one lock: atomic against other CDSGs, not
 * against a concurrent CS/CSG on the same doubleword.
 */
static uint8_t cas128_lock;

static bool cas128_locked(uint8_t *p, uint64_t *hi, uint64_t *lo, uint64_t nhi, uint64_t nlo)
{
	bool ok;

	while (__atomic_test_and_set(&cas128_lock, __ATOMIC_ACQUIRE))
		;
	uint64_t chi = get_be64(p), clo = get_be64(p + 8);
	ok = chi == *hi && clo == *lo;
	if (ok) {
		put_be64(p, nhi);
		put_be64(p + 8, nlo);
	} else {
		*hi = chi;
		*lo = clo;
	}
	__atomic_clear(&cas128_lock, __ATOMIC_RELEASE);
	return ok;
}

static bool cas128(uint8_t *p, uint64_t *hi, uint64_t *lo, uint64_t nhi, uint64_t nlo)
{
	if ((uintptr_t)p & 15)
		return cas128_locked(p, hi, lo, nhi, nlo);
#if defined(__x86_64__)
	/* the 16 bytes as the host's two little-endian quadwords */
	uint8_t b[16];
	uint64_t e0, e1, n0, n1;
	bool ok;

	put_be64(b, *hi);
	put_be64(b + 8, *lo);
	memcpy(&e0, b, 8);
	memcpy(&e1, b + 8, 8);
	put_be64(b, nhi);
	put_be64(b + 8, nlo);
	memcpy(&n0, b, 8);
	memcpy(&n1, b + 8, 8);
	__asm__ __volatile__("lock cmpxchg16b %[m]"
			     : "=@ccz"(ok), [m] "+m"(*(uint64_t(*)[2])(void *)p),
			       "+a"(e0), "+d"(e1)
			     : "b"(n0), "c"(n1)
			     : "memory");
	if (!ok) {
		memcpy(b, &e0, 8);
		memcpy(b + 8, &e1, 8);
		*hi = get_be64(b);
		*lo = get_be64(b + 8);
	}
	return ok;
#elif defined(__s390x__)
	/* big-endian host: the guest doublewords are the register pair */
	register uint64_t e0 __asm__("%r0") = *hi;
	register uint64_t e1 __asm__("%r1") = *lo;
	register uint64_t n0 __asm__("%r2") = nhi;
	register uint64_t n1 __asm__("%r3") = nlo;

	__asm__ __volatile__("cdsg %%r0,%%r2,%[m]"
			     : "+d"(e0), "+d"(e1), [m] "+QS"(*(uint64_t(*)[2])(void *)p)
			     : "d"(n0), "d"(n1)
			     : "cc", "memory");
	bool ok = e0 == *hi && e1 == *lo;
	*hi = e0;
	*lo = e1;
	return ok;
#else
	return cas128_locked(p, hi, lo, nhi, nlo);
#endif
}

/* COMPARE DOUBLE AND SWAP (CDSG): R1:R1+1 against the quadword at D2(B2) */
void s390_cdsg(struct s390_cpu *cpu, const struct s390_insn *in)
{
	unsigned r1 = in->r1, r3 = in->r3;

	if ((r1 | r3) & 1)
		spec_exc(cpu);
	uint64_t a = addr2(cpu, in);
	if (a & 15)
		spec_exc(cpu);
	/* a stored-to operand even when the comparison fails */
	uint8_t *p = tlb_host(cpu, a, ACC_STORE);
	uint64_t hi = R(r1), lo = R(r1 + 1);
	bool ok = cas128(p, &hi, &lo, R(r3), R(r3 + 1));
	if (!ok) {
		R(r1) = hi;
		R(r1 + 1) = lo;
	}
	cc_const(cpu, !ok);
}

/*
 * A data exception with DXC dxc: the code goes to the lowcore and, with
 * the AFP-register control on, to byte 2 of the FPC.
 */
static _Noreturn void data_exc(struct s390_cpu *cpu, uint8_t dxc)
{
	uint8_t *p = s390_lowcore(cpu, LC_DATA_EXC_CODE, 4);

	if (p)
		put_be32(p, dxc);
	if (cpu->cr[0] & CR0_AFP_REG)
		cpu->fpc = (cpu->fpc & ~0xFF00u) | (uint32_t)dxc << 8;
	s390_pgm(cpu, PGM_DATA);
}

/*
 * Compare and trap (general-instructions extension): compare the first
 * operand with the second; if M3 selects the result (8 equal, 4 low,
 * 2 high), a data exception with DXC FF.
 */
void s390_cmp_trap(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t a = cpu->gpr[in->r1], b;
	unsigned cc;

	switch (in->op) {
	case OP_CRT:
		cc = cc_scmp((int32_t)a, (int32_t)cpu->gpr[in->r2]);
		break;
	case OP_CGRT:
		cc = cc_scmp((int64_t)a, (int64_t)cpu->gpr[in->r2]);
		break;
	case OP_CLRT:
		cc = cc_ucmp((uint32_t)a, (uint32_t)cpu->gpr[in->r2]);
		break;
	case OP_CLGRT:
		cc = cc_ucmp(a, cpu->gpr[in->r2]);
		break;
	case OP_CIT:
		cc = cc_scmp((int32_t)a, in->i2);
		break;
	case OP_CGIT:
		cc = cc_scmp((int64_t)a, in->i2);
		break;
	case OP_CLFIT:
		b = (uint16_t)in->i2;
		cc = cc_ucmp((uint32_t)a, b);
		break;
	default: /* CLGIT */
		b = (uint16_t)in->i2;
		cc = cc_ucmp(a, b);
		break;
	}
	if (in->m3 & (8 >> cc))
		data_exc(cpu, 0xFF);
}

/* INSERT PSW KEY: bits 56-59 of GR2; privileged in the problem state
 * unless the extraction-authority control (CR0 bit 36) is one */
void s390_ipk(struct s390_cpu *cpu)
{
	if ((cpu->psw_mask & PSW_MASK_PSTATE) && !(cpu->cr[0] & CR0_EXTRACT_AUTH))
		s390_pgm(cpu, PGM_PRIVILEGED);
	unsigned key = (unsigned)(cpu->psw_mask >> PSW_SHIFT_KEY) & 0xF;
	R(2) = (R(2) & ~0xFFULL) | key << 4;
}

/* SET PSW KEY FROM ADDRESS: bits 56-59 of the second-operand address; in
 * the problem state only a key whose bit is one in the PSW-key mask
 * (CR3 bits 32-47) */
void s390_spka(struct s390_cpu *cpu, const struct s390_insn *in)
{
	unsigned key = (unsigned)(addr2(cpu, in) >> 4) & 0xF;

	if ((cpu->psw_mask & PSW_MASK_PSTATE) && !((cpu->cr[3] >> 16) & (0x8000u >> key)))
		s390_pgm(cpu, PGM_PRIVILEGED);
	cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_KEY) | (uint64_t)key << PSW_SHIFT_KEY;
	/* the TLBs hold the result of key-controlled protection checks */
	s390_tlb_flush(cpu);
	s390_icache_flush(cpu);
}

/* GR1 after TRT/TRTR found a byte: bits 40-63 in the 24-bit mode (bits
 * 32-39 unchanged), bits 33-63 and a zero bit 32 in the 31-bit mode */
static void trt_gr1(struct s390_cpu *cpu, uint64_t a)
{
	if (cpu->psw_mask & PSW_MASK_EA)
		R(1) = a;
	else if (cpu->psw_mask & PSW_MASK_BA)
		R(1) = (R(1) & 0xFFFFFFFF00000000ULL) | (a & 0x7FFFFFFF);
	else
		R(1) = (R(1) & ~0xFFFFFFULL) | (a & 0xFFFFFF);
}

/* TRANSLATE AND TEST REVERSE: TRT from the rightmost byte leftwards */
void s390_trtr(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t am = am_of(cpu), a1 = addr1(cpu, in), a2 = addr2(cpu, in);
	unsigned len = in->l1 + 1u;

	for (unsigned i = 0; i < len; i++) {
		uint64_t x = (a1 - i) & am;
		uint8_t f = ld8(cpu, (a2 + ld8(cpu, x)) & am);
		if (f) {
			trt_gr1(cpu, x);
			R(2) = (R(2) & ~0xFFULL) | f;
			cc_const(cpu, i == len - 1 ? 2 : 1);
			return;
		}
	}
	cc_const(cpu, 0);
}

/*
 * TRANSLATE EXTENDED: translate the first operand (R1, length in R1+1)
 * through the 256-byte table at R2 until a byte equal to the test byte
 * (GR0 bits 56-63): CC 1 with R1 at that byte; CC 0 at the end; CC 3
 * after a CPU-determined amount.
 */
unsigned s390_tre(struct s390_cpu *cpu, const struct s390_insn *in)
{
	unsigned r1 = in->r1;
	uint64_t am = am_of(cpu);

	if (r1 & 1)
		spec_exc(cpu);
	uint8_t test = (uint8_t)R(0);
	uint64_t a = R(r1) & am, len = get_len(cpu, r1 + 1), tbl = R(in->r2) & am;
	uint64_t n = len, i;
	unsigned cc = 0;

	if (n > TRE_CHUNK) {
		n = TRE_CHUNK;
		cc = 3;
	}
	for (i = 0; i < n; i++) {
		uint64_t x = (a + i) & am;
		uint8_t b = ld8(cpu, x);
		if (b == test) {
			cc = 1;
			break;
		}
		st8(cpu, x, ld8(cpu, (tbl + b) & am));
	}
	put_addr(cpu, r1, (a + i) & am);
	put_len(cpu, r1 + 1, len - i);
	return cc;
}

/*
 * LOAD ADDRESS EXTENDED (LAE, LAEY): LA, and AR R1 says which address
 * space the address is in: 0 primary, 1 secondary, 2 home; in the AR mode
 * a copy of AR B2 (0 for B2 = 0).
 */
void s390_lae(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t a = addr2(cpu, in);
	uint32_t ar;

	switch ((cpu->psw_mask & PSW_MASK_ASC) >> 46) {
	case 0: ar = 0; break;
	case 1: ar = in->b2 ? cpu->acr[in->b2] : 0; break;
	case 2: ar = 1; break;
	default: ar = 2; break;
	}
	put_addr(cpu, in->r1, a);
	cpu->acr[in->r1] = ar;
}

/* EXTRACT CPU ATTRIBUTE: the model describes no caches, so every
 * attribute is the all-ones value of an unimplemented one (as QEMU) */
void s390_ecag(struct s390_cpu *cpu, const struct s390_insn *in)
{
	R(in->r1) = ~0ULL;
}

/* ------------------------------------------------------------------ */
/* the high-word facility (facility 45): bits 0-31 of a register as a
 * 32-bit operand of its own */

#define HI(n) ((uint32_t)(cpu->gpr[n] >> 32))
#define LO(n) ((uint32_t)cpu->gpr[n])

static inline void put_hi(struct s390_cpu *cpu, unsigned r, uint32_t v)
{
	cpu->gpr[r] = (cpu->gpr[r] & 0xFFFFFFFFULL) | (uint64_t)v << 32;
}

static inline void fixpt_check(struct s390_cpu *cpu, bool ovf)
{
	if (unlikely(ovf) && (cpu->psw_mask & PSW_MASK_FO))
		s390_pgm(cpu, PGM_FIXPT_OVERFLOW);
}

/* AHHHR AHHLR SHHHR SHHLR ALHHHR ALHHLR SLHHHR SLHHLR AIH ALSIH ALSIHN */
void s390_hw_arith(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint32_t a, b, res;

	switch (in->op) {
	case OP_AIH: case OP_ALSIH: case OP_ALSIHN:
		a = HI(in->r1);
		b = (uint32_t)in->i2;
		break;
	case OP_AHHLR: case OP_SHHLR: case OP_ALHHLR: case OP_SLHHLR:
		a = HI(in->r2);
		b = LO(in->r3);
		break;
	default:
		a = HI(in->r2);
		b = HI(in->r3);
		break;
	}
	switch (in->op) {
	case OP_AHHHR: case OP_AHHLR: case OP_AIH:
		res = a + b;
		put_hi(cpu, in->r1, res);
		cc_set(cpu, CC_ADD_S32, a, b);
		fixpt_check(cpu, (int32_t)((a ^ res) & (b ^ res)) < 0);
		break;
	case OP_SHHHR: case OP_SHHLR:
		res = a - b;
		put_hi(cpu, in->r1, res);
		cc_set(cpu, CC_SUB_S32, a, b);
		fixpt_check(cpu, (int32_t)((a ^ b) & (a ^ res)) < 0);
		break;
	case OP_SLHHHR: case OP_SLHHLR:
		put_hi(cpu, in->r1, a - b);
		cc_set(cpu, CC_SUB_U32, a, b);
		break;
	case OP_ALSIHN:
		put_hi(cpu, in->r1, a + b);
		break;
	default: /* ALHHHR ALHHLR ALSIH */
		put_hi(cpu, in->r1, a + b);
		cc_set(cpu, CC_ADD_U32, a, b);
		break;
	}
}

/* CHHR CHLR CHF CIH (signed), CLHHR CLHLR CLHF CLIH (logical) */
void s390_hw_cmp(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint32_t a = HI(in->r1), b;

	switch (in->op) {
	case OP_CHHR: case OP_CLHHR:
		b = HI(in->r2);
		break;
	case OP_CHLR: case OP_CLHLR:
		b = LO(in->r2);
		break;
	case OP_CHF: case OP_CLHF:
		b = ld32(cpu, addr2(cpu, in));
		break;
	default: /* CIH CLIH */
		b = (uint32_t)in->i2;
		break;
	}
	switch (in->op) {
	case OP_CHHR: case OP_CHLR: case OP_CHF: case OP_CIH:
		cc_set(cpu, CC_CMP_S32, a, b);
		break;
	default:
		cc_set(cpu, CC_CMP_U32, a, b);
		break;
	}
}

/* LBH LLCH LHH LLHH LFH, STCH STHH STFH */
void s390_hw_mem(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t a = addr2(cpu, in);
	unsigned r1 = in->r1;

	switch (in->op) {
	case OP_LBH:  put_hi(cpu, r1, (uint32_t)(int8_t)ld8(cpu, a)); break;
	case OP_LLCH: put_hi(cpu, r1, ld8(cpu, a)); break;
	case OP_LHH:  put_hi(cpu, r1, (uint32_t)(int16_t)ld16(cpu, a)); break;
	case OP_LLHH: put_hi(cpu, r1, ld16(cpu, a)); break;
	case OP_LFH:  put_hi(cpu, r1, ld32(cpu, a)); break;
	case OP_STCH: st8(cpu, a, (uint8_t)HI(r1)); break;
	case OP_STHH: st16(cpu, a, (uint16_t)HI(r1)); break;
	default:      st32(cpu, a, HI(r1)); break;  /* STFH */
	}
}

/* BRANCH RELATIVE ON COUNT HIGH: true if the branch is taken */
bool s390_brcth(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint32_t v = HI(in->r1) - 1;

	put_hi(cpu, in->r1, v);
	return v != 0;
}

/*
 * ROTATE THEN INSERT SELECTED BITS HIGH / LOW: RISBG confined to one
 * half of R1. I3 and I4 select bits 0-31 of that half (bits 0-2 of the
 * fields are ignored), a range that wraps stays inside it; with the zero
 * flag (I4 bit 0) the unselected bits of that half become zero, the other
 * half is always kept. The CC is unchanged.
 */
void s390_risbhlg(struct s390_cpu *cpu, const struct s390_insn *in)
{
	bool high = in->op == OP_RISBHG;
	uint64_t half = high ? 0xFFFFFFFF00000000ULL : 0x00000000FFFFFFFFULL;
	unsigned s = (in->i3 & 31) + (high ? 0 : 32), e = (in->i4 & 31) + (high ? 0 : 32);
	uint64_t m1 = ~0ULL >> s, m2 = ~0ULL << (63 - e);
	uint64_t mask = (s <= e ? m1 & m2 : m1 | m2) & half;
	unsigned n = in->i5 & 63;
	uint64_t rot = n ? R(in->r2) << n | R(in->r2) >> (64 - n) : R(in->r2);
	uint64_t keep = (in->i4 & 0x80) ? ~half : ~mask;

	R(in->r1) = (R(in->r1) & keep) | (rot & mask);
}

/* ------------------------------------------------------------------ */

/*
 * LAM LAMY STAM STAMY (access registers) and LMH STMH (bits 0-31 of
 * general registers): registers R1 to R3, wrapping from 15 to 0, from or
 * to consecutive words at the second-operand address. The access-register
 * forms want a word boundary. Every page is probed first, so an access
 * exception leaves registers and storage as they were.
 */
void s390_multiple_words(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t am = am_of(cpu), a = addr2(cpu, in);
	unsigned n = ((in->r3 - in->r1) & 15) + 1u;
	bool hi = in->op == OP_LMH || in->op == OP_STMH;
	bool st = in->op == OP_STMH || in->op == OP_STAM || in->op == OP_STAMY;

	if (!hi && (a & 3))
		spec_exc(cpu);
	s390_probe(cpu, a, 4ULL * n, st ? ACC_STORE : ACC_FETCH);
	for (unsigned i = 0; i < n; i++) {
		unsigned r = (in->r1 + i) & 15;
		uint64_t x = (a + 4ULL * i) & am;

		if (st)
			st32(cpu, x, hi ? HI(r) : cpu->acr[r]);
		else if (hi)
			put_hi(cpu, r, ld32(cpu, x));
		else
			cpu->acr[r] = ld32(cpu, x);
	}
}

/*
 * MOVE INVERSE: L1 + 1 bytes ending at the second-operand address go,
 * last first, to the first operand from its left end. Overlapping
 * operands give unpredictable results; here the bytes go one at a time.
 */
void s390_mvcin(struct s390_cpu *cpu, const struct s390_insn *in)
{
	uint64_t am = am_of(cpu), a1 = addr1(cpu, in), a2 = addr2(cpu, in);
	unsigned len = in->l1 + 1u;

	s390_probe(cpu, a2 - (len - 1), len, ACC_FETCH);
	s390_probe(cpu, a1, len, ACC_STORE);
	for (unsigned i = 0; i < len; i++)
		st8(cpu, (a1 + i) & am, ld8(cpu, (a2 - i) & am));
}

/*
 * CHECKSUM: add the words of the second operand (R2, length in R2 + 1;
 * a last partial word padded with zero bytes on the right) to bits 32-63
 * of R1, each carry out of bit 32 added back in at bit 63. CC 3 after a
 * CPU-determined amount (CKSM_CHUNK, a multiple of 4, so that only the
 * operand's end is a partial word). Storage is only fetched: an access
 * exception leaves the registers unchanged.
 */
unsigned s390_cksm(struct s390_cpu *cpu, const struct s390_insn *in)
{
	unsigned r2 = in->r2;
	uint64_t am = am_of(cpu);

	if (r2 & 1)
		spec_exc(cpu);
	uint64_t a = R(r2) & am, len = get_len(cpu, r2 + 1), n = min64(len, CKSM_CHUNK);
	uint32_t sum = (uint32_t)R(in->r1);

	for (uint64_t i = 0; i < n; i += 4) {
		uint64_t x = (a + i) & am;
		uint32_t w = 0;

		if (n - i >= 4)
			w = ld32(cpu, x);
		else
			for (unsigned j = 0; j < n - i; j++)
				w |= (uint32_t)ld8(cpu, (x + j) & am) << (24 - 8 * j);
		sum += w;
		sum += sum < w;  /* end-around carry */
	}
	R(in->r1) = (R(in->r1) & 0xFFFFFFFF00000000ULL) | sum;
	put_addr(cpu, r2, (a + n) & am);
	put_len(cpu, r2 + 1, len - n);
	return n == len ? 0 : 3;
}

/*
 * TRANSLATE ONE TO ONE / ONE TO TWO / TWO TO ONE / TWO TO TWO: each
 * character of the second operand (R2; its length in bytes in R1 + 1)
 * indexes the table at GR1, and the function character found there goes
 * to the first operand (R1). Characters are bytes or halfwords: the "O"
 * or "T" of the name, source first. A function character equal to the
 * test character (GR0 bits 56-63, or 48-63 when the function characters
 * are halfwords) ends the instruction with CC 1, nothing stored for it
 * and the registers at it; CC 0 at the end of the second operand; CC 3
 * after a CPU-determined number of characters.
 *
 * The ETF2-enhancement facility (24) changes two things, so the CPU's
 * facility list decides: M3 bit 3 (test-character-comparison control)
 * can turn the test off, and the table of the two-byte-source forms
 * starts on a doubleword (bits 61-63 of GR1 ignored, as for TROO and
 * TROT) instead of a 4 KiB boundary.
 */
unsigned s390_trxx(struct s390_cpu *cpu, const struct s390_insn *in)
{
	unsigned r1 = in->r1, r2 = in->r2;
	unsigned ssize = in->op == OP_TROO || in->op == OP_TROT ? 1 : 2;
	unsigned dsize = in->op == OP_TROO || in->op == OP_TRTO ? 1 : 2;
	bool enh = s390_fac_has(cpu, S390_FAC_ETF2_ENH);
	uint64_t am = am_of(cpu);

	if (r1 & 1)
		spec_exc(cpu);
	uint64_t len = get_len(cpu, r1 + 1);
	if (len & (ssize - 1))
		spec_exc(cpu);
	uint64_t dst = R(r1) & am, src = R(r2) & am, tbl = R(1) & am;
	tbl &= ssize == 2 && !enh ? PAGE_MASK_4K : ~7ULL;
	bool test = !(enh && (in->m3 & 1));
	uint16_t tch = dsize == 1 ? (uint8_t)R(0) : (uint16_t)R(0);
	unsigned cc = 0;

	for (unsigned n = 0; len; n++) {
		if (n == TRXX_CHUNK) {
			cc = 3;
			break;
		}
		uint16_t c = ssize == 1 ? ld8(cpu, src) : ld16(cpu, src);
		uint64_t e = (tbl + (uint64_t)c * dsize) & am;
		uint16_t f = dsize == 1 ? ld8(cpu, e) : ld16(cpu, e);
		if (test && f == tch) {
			cc = 1;
			break;
		}
		if (dsize == 1)
			st8(cpu, dst, (uint8_t)f);
		else
			st16(cpu, dst, f);
		src = (src + ssize) & am;
		dst = (dst + dsize) & am;
		len -= ssize;
	}
	put_addr(cpu, r1, dst);
	put_len(cpu, r1 + 1, len);
	put_addr(cpu, r2, src);
	return cc;
}
