// SPDX-License-Identifier: MIT
/*
 * The execution loop and the instruction handlers.
 *
 * s390_cpu_run() fetches through the decode cache and dispatches on the
 * decoded operation with one switch (a jump table). Handlers see the
 * decoded fields, read and write registers directly, go through the
 * inline accessors of internal.h for storage, record the condition code
 * lazily and raise program interruptions with s390_pgm(), which unwinds to
 * the loop with longjmp. At entry to a handler psw_addr already holds the
 * address of the next sequential instruction.
 */
#include "softkvm/cpu/internal.h"

#define CR0_AFP 0x0000000000040000ULL

/* ------------------------------------------------------------------ */
/* helpers for handlers */

#define R(n)   (cpu->gpr[n])
#define L32(n) ((uint32_t)cpu->gpr[n])
#define H32(n) ((uint32_t)(cpu->gpr[n] >> 32))
#define W32(n, v) (cpu->gpr[n] = (cpu->gpr[n] & 0xFFFFFFFF00000000ULL) | (uint32_t)(v))
#define WH32(n, v) (cpu->gpr[n] = (cpu->gpr[n] & 0xFFFFFFFFULL) | (uint64_t)(uint32_t)(v) << 32)

static inline uint64_t ea(struct s390_cpu *cpu, unsigned x, unsigned b, int32_t d)
{
	uint64_t a = (uint64_t)(int64_t)d;
	if (x)
		a += cpu->gpr[x];
	if (b)
		a += cpu->gpr[b];
	return a & amode_mask(cpu->psw_mask);
}

static inline _Noreturn void spec(struct s390_cpu *cpu)
{
	s390_pgm(cpu, PGM_SPECIFICATION);
}

static inline void fixpt_ovf(struct s390_cpu *cpu, bool ovf)
{
	if (unlikely(ovf) && (cpu->psw_mask & PSW_MASK_FO))
		s390_pgm(cpu, PGM_FIXPT_OVERFLOW);
}

static inline bool cond(struct s390_cpu *cpu, unsigned m)
{
	return (m >> (3 - cc_compute(cpu))) & 1;
}

/* LA-style address into a register: bits beyond the addressing mode are
 * zero in the low word, the high word is kept outside 64-bit mode. */
static inline void set_addr(struct s390_cpu *cpu, unsigned r, uint64_t a)
{
	if (cpu->psw_mask & PSW_MASK_EA)
		R(r) = a;
	else
		W32(r, a & amode_mask(cpu->psw_mask));
}

/* Link information for BAS/BASR/BRAS/BRASL. */
static inline void set_link(struct s390_cpu *cpu, unsigned r, uint64_t next)
{
	if (cpu->psw_mask & PSW_MASK_EA)
		R(r) = next;
	else if (cpu->psw_mask & PSW_MASK_BA)
		W32(r, 0x80000000u | (uint32_t)next);
	else
		W32(r, next & 0xFFFFFF);
}

static inline void set_link_bal(struct s390_cpu *cpu, unsigned r, uint64_t next)
{
	if (cpu->psw_mask & PSW_MASK_64) {
		set_link(cpu, r, next);
		return;
	}
	uint32_t v = (uint32_t)(cpu->cur_ilen / 2) << 30 | cc_compute(cpu) << 28 |
		     (uint32_t)((cpu->psw_mask & PSW_MASK_PM) >> 16) |
		     ((uint32_t)next & 0xFFFFFF);
	W32(r, v);
}

static inline void add32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	uint32_t res = a + b;
	W32(r, res);
	cc_set(cpu, CC_ADD_S32, a, b);
	fixpt_ovf(cpu, (int32_t)((a ^ res) & (b ^ res)) < 0);
}

static inline void add64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	uint64_t res = a + b;
	R(r) = res;
	cc_set(cpu, CC_ADD_S64, a, b);
	fixpt_ovf(cpu, (int64_t)((a ^ res) & (b ^ res)) < 0);
}

static inline void sub32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	uint32_t res = a - b;
	W32(r, res);
	cc_set(cpu, CC_SUB_S32, a, b);
	fixpt_ovf(cpu, (int32_t)((a ^ b) & (a ^ res)) < 0);
}

static inline void sub64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	uint64_t res = a - b;
	R(r) = res;
	cc_set(cpu, CC_SUB_S64, a, b);
	fixpt_ovf(cpu, (int64_t)((a ^ b) & (a ^ res)) < 0);
}

static inline void addl32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	W32(r, a + b);
	cc_set(cpu, CC_ADD_U32, a, b);
}

static inline void addl64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	R(r) = a + b;
	cc_set(cpu, CC_ADD_U64, a, b);
}

static inline void subl32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	W32(r, a - b);
	cc_set(cpu, CC_SUB_U32, a, b);
}

static inline void subl64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	R(r) = a - b;
	cc_set(cpu, CC_SUB_U64, a, b);
}

/* add logical with carry / subtract logical with borrow */
static inline void alc32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	unsigned carry = cc_compute(cpu) >> 1;
	uint64_t sum = (uint64_t)a + b + carry;
	W32(r, sum);
	cc_const(cpu, ((uint32_t)sum != 0) | (unsigned)(sum >> 32) << 1);
}

static inline void alc64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	unsigned carry = cc_compute(cpu) >> 1;
	uint64_t s1 = a + b, s2 = s1 + carry;
	unsigned c = (s1 < a) | (s2 < s1);
	R(r) = s2;
	cc_const(cpu, (s2 != 0) | c << 1);
}

static inline void slb32(struct s390_cpu *cpu, unsigned r, uint32_t a, uint32_t b)
{
	unsigned borrow = !(cc_compute(cpu) >> 1);
	uint64_t d = (uint64_t)a - b - borrow;
	W32(r, d);
	/* cc 2/3: no borrow */
	cc_const(cpu, ((uint32_t)d != 0) | (unsigned)!(d >> 63) << 1);
}

static inline void slb64(struct s390_cpu *cpu, unsigned r, uint64_t a, uint64_t b)
{
	unsigned borrow = !(cc_compute(cpu) >> 1);
	uint64_t d1 = a - b, d2 = d1 - borrow;
	unsigned nb = (a >= b) && (d1 >= borrow);
	R(r) = d2;
	cc_const(cpu, (d2 != 0) | nb << 1);
}

/* 32-bit load complement/positive/negative */
static inline void lcr32(struct s390_cpu *cpu, unsigned r, uint32_t v)
{
	W32(r, 0u - v);
	cc_set(cpu, CC_SUB_S32, 0, v);
	fixpt_ovf(cpu, v == 0x80000000u);
}

static inline void lcr64(struct s390_cpu *cpu, unsigned r, uint64_t v)
{
	R(r) = 0 - v;
	cc_set(cpu, CC_SUB_S64, 0, v);
	fixpt_ovf(cpu, v == 0x8000000000000000ULL);
}

static inline void lpr32(struct s390_cpu *cpu, unsigned r, uint32_t v)
{
	if ((int32_t)v < 0)
		lcr32(cpu, r, v);
	else {
		W32(r, v);
		cc_set(cpu, CC_S32, v, 0);
	}
}

static inline void lpr64(struct s390_cpu *cpu, unsigned r, uint64_t v)
{
	if ((int64_t)v < 0)
		lcr64(cpu, r, v);
	else {
		R(r) = v;
		cc_set(cpu, CC_S64, v, 0);
	}
}

static inline void lnr32(struct s390_cpu *cpu, unsigned r, uint32_t v)
{
	uint32_t res = (int32_t)v > 0 ? 0u - v : v;
	W32(r, res);
	cc_set(cpu, CC_S32, res, 0);
}

static inline void lnr64(struct s390_cpu *cpu, unsigned r, uint64_t v)
{
	uint64_t res = (int64_t)v > 0 ? 0 - v : v;
	R(r) = res;
	cc_set(cpu, CC_S64, res, 0);
}

static inline unsigned even_reg(struct s390_cpu *cpu, unsigned r)
{
	if (r & 1)
		spec(cpu);
	return r;
}

/* shifts */
static inline uint32_t sla32(struct s390_cpu *cpu, uint32_t v, unsigned n)
{
	uint32_t sign = v & 0x80000000u, num = v & 0x7FFFFFFFu;
	bool ovf = false;
	for (unsigned i = 0; i < n; i++) {
		if (((num >> 30) & 1) != sign >> 31)
			ovf = true;
		num = (num << 1) & 0x7FFFFFFFu;
	}
	uint32_t res = sign | num;
	if (ovf)
		cc_const(cpu, 3);
	else
		cc_set(cpu, CC_S32, res, 0);
	cpu->cc_b = ovf;
	return res;
}

static inline uint64_t sla64(struct s390_cpu *cpu, uint64_t v, unsigned n)
{
	uint64_t sign = v & 0x8000000000000000ULL, num = v & ~0x8000000000000000ULL;
	bool ovf = false;
	for (unsigned i = 0; i < n; i++) {
		if (((num >> 62) & 1) != sign >> 63)
			ovf = true;
		num = (num << 1) & ~0x8000000000000000ULL;
	}
	uint64_t res = sign | num;
	if (ovf)
		cc_const(cpu, 3);
	else
		cc_set(cpu, CC_S64, res, 0);
	cpu->cc_b = ovf;
	return res;
}

static inline uint64_t rotl64(uint64_t v, unsigned n)
{
	n &= 63;
	return n ? v << n | v >> (64 - n) : v;
}

static inline uint32_t rotl32(uint32_t v, unsigned n)
{
	n &= 31;
	return n ? v << n | v >> (32 - n) : v;
}

/* bits s..e (inclusive, big-endian numbering, wrapping) of a doubleword */
static inline uint64_t bit_range(unsigned s, unsigned e)
{
	uint64_t m1 = ~0ULL >> s, m2 = ~0ULL << (63 - e);
	return s <= e ? (m1 & m2) : (m1 | m2);
}

/* test under mask on a 16-bit field (TMxx) */
static inline unsigned tm16(uint16_t v, uint16_t m)
{
	uint16_t sel = v & m;
	if (!m || !sel)
		return 0;
	if (sel == m)
		return 3;
	/* leftmost selected bit */
	uint16_t top = (uint16_t)(0x8000u >> __builtin_clz((unsigned)m << 16));
	return (v & top) ? 2 : 1;
}

static inline unsigned tm8(uint8_t v, uint8_t m)
{
	uint8_t sel = v & m;
	if (!m || !sel)
		return 0;
	return sel == m ? 3 : 1;
}

/* ICM/ICMH/ICMY: insert bytes under mask into a 32-bit word */
static uint32_t icm(struct s390_cpu *cpu, uint32_t old, unsigned m, uint64_t a)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	uint32_t v = old, ins = 0, insmask = 0;
	unsigned n = (unsigned)__builtin_popcount(m);

	s390_probe(cpu, a, n, ACC_FETCH);
	for (int i = 0; i < 4; i++) {
		if (!(m & (8 >> i)))
			continue;
		uint32_t b = ld8(cpu, a);
		a = (a + 1) & am;
		unsigned sh = 24 - 8 * i;
		v = (v & ~(0xFFu << sh)) | b << sh;
		ins |= b << sh;
		insmask |= 0xFFu << sh;
	}
	if (!ins)
		cc_const(cpu, 0);
	else {
		uint32_t top = 0x80000000u >> __builtin_clz(insmask); /* leftmost inserted bit */
		cc_const(cpu, (ins & top) ? 1 : 2);
	}
	return v;
}

static void stcm(struct s390_cpu *cpu, uint32_t v, unsigned m, uint64_t a)
{
	uint64_t am = amode_mask(cpu->psw_mask);

	s390_probe(cpu, a, (unsigned)__builtin_popcount(m), ACC_STORE);
	for (int i = 0; i < 4; i++) {
		if (!(m & (8 >> i)))
			continue;
		st8(cpu, a, (uint8_t)(v >> (24 - 8 * i)));
		a = (a + 1) & am;
	}
}

static void clm(struct s390_cpu *cpu, uint32_t v, unsigned m, uint64_t a)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	unsigned cc = 0;

	s390_probe(cpu, a, (unsigned)__builtin_popcount(m), ACC_FETCH);
	for (int i = 0; i < 4; i++) {
		if (!(m & (8 >> i)))
			continue;
		uint8_t r = (uint8_t)(v >> (24 - 8 * i)), s = ld8(cpu, a);
		a = (a + 1) & am;
		if (r != s) {
			cc = r < s ? 1 : 2;
			break;
		}
	}
	cc_const(cpu, cc);
}

/*
 * The FPC instructions are BFP instructions: without the AFP-register
 * control they raise a data exception with DXC 2. Reserved FPC bits
 * (the same set QEMU and softkvm's KVM_SET_FPU refuse) and unassigned
 * rounding modes are a specification exception.
 */
#define FPC_RESERVED 0x03030088u

static void bfp_check(struct s390_cpu *cpu)
{
	if (!(cpu->cr[0] & CR0_AFP)) {
		uint8_t *p = s390_lowcore(cpu, LC_DATA_EXC_CODE, 4);

		if (p)
			put_be32(p, 2);
		s390_pgm(cpu, PGM_DATA);
	}
}

static void fpc_load(struct s390_cpu *cpu, uint32_t v)
{
	unsigned rounding = v & 7;

	/* BFP rounding modes 4-6 are unassigned */
	if ((v & FPC_RESERVED) || (rounding >= 4 && rounding <= 6))
		s390_pgm(cpu, PGM_SPECIFICATION);
	cpu->fpc = v;
}

static void afp_check(struct s390_cpu *cpu, unsigned r, bool always)
{
	if (!(cpu->cr[0] & CR0_AFP) && (always || (r & 9) != 0 || r >= 8)) {
		uint8_t *p = s390_lowcore(cpu, LC_DATA_EXC_CODE, 4);
		if (p)
			put_be32(p, 1); /* DXC 1: AFP register */
		s390_pgm(cpu, PGM_DATA);
	}
}

/* non-AFP registers are 0, 2, 4, 6 */
#define FPR_CHECK(r) afp_check(cpu, (r), false)

/* compare-and-swap on guest storage, atomic on the host */
static bool cas32(struct s390_cpu *cpu, uint64_t a, uint32_t *cmp, uint32_t nv)
{
	uint8_t *p = tlb_host(cpu, a, ACC_STORE);
	uint8_t b[4];
	uint32_t exp, des;

	put_be32(b, *cmp);
	memcpy(&exp, b, 4);
	put_be32(b, nv);
	memcpy(&des, b, 4);
	if (__atomic_compare_exchange_n((uint32_t *)(void *)p, &exp, des, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return true;
	memcpy(b, &exp, 4);
	*cmp = get_be32(b);
	return false;
}

static bool cas64(struct s390_cpu *cpu, uint64_t a, uint64_t *cmp, uint64_t nv)
{
	uint8_t *p = tlb_host(cpu, a, ACC_STORE);
	uint8_t b[8];
	uint64_t exp, des;

	put_be64(b, *cmp);
	memcpy(&exp, b, 8);
	put_be64(b, nv);
	memcpy(&des, b, 8);
	if (__atomic_compare_exchange_n((uint64_t *)(void *)p, &exp, des, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return true;
	memcpy(b, &exp, 8);
	*cmp = get_be64(b);
	return false;
}

/* SS-format logical operations, byte by byte left to right (overlap
 * behaves as the architecture says). */
enum ss_kind { SS_MVC, SS_NC, SS_OC, SS_XC, SS_CLC, SS_TR };

static void ss_op(struct s390_cpu *cpu, enum ss_kind k, uint64_t a1, uint64_t a2, unsigned len)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	unsigned nz = 0, cc = 0;

	if (k == SS_TR) {
		s390_probe(cpu, a1, len, ACC_STORE);
		for (unsigned i = 0; i < len; i++) {
			uint64_t x = (a1 + i) & am;
			uint8_t b = ld8(cpu, x);
			st8(cpu, x, ld8(cpu, (a2 + b) & am));
		}
		return;
	}
	s390_probe(cpu, a2, len, ACC_FETCH);
	s390_probe(cpu, a1, len, k == SS_CLC ? ACC_FETCH : ACC_STORE);
	for (unsigned i = 0; i < len; i++) {
		uint64_t x = (a1 + i) & am, y = (a2 + i) & am;
		uint8_t s = ld8(cpu, y), d;
		switch (k) {
		case SS_MVC:
			st8(cpu, x, s);
			continue;
		case SS_CLC:
			d = ld8(cpu, x);
			if (d != s) {
				cc = d < s ? 1 : 2;
				i = len;
			}
			continue;
		case SS_NC:
			d = ld8(cpu, x) & s;
			break;
		case SS_OC:
			d = ld8(cpu, x) | s;
			break;
		default:
			d = ld8(cpu, x) ^ s;
			break;
		}
		nz |= d;
		st8(cpu, x, d);
	}
	if (k == SS_CLC)
		cc_const(cpu, cc);
	else if (k != SS_MVC)
		cc_const(cpu, nz != 0);
}

/* TRT: scan op1, stop at the first nonzero function byte */
static void trt(struct s390_cpu *cpu, uint64_t a1, uint64_t a2, unsigned len)
{
	uint64_t am = amode_mask(cpu->psw_mask);

	for (unsigned i = 0; i < len; i++) {
		uint64_t x = (a1 + i) & am;
		uint8_t f = ld8(cpu, (a2 + ld8(cpu, x)) & am);
		if (f) {
			set_addr(cpu, 1, x);
			if (!(cpu->psw_mask & PSW_MASK_EA) && !(cpu->psw_mask & PSW_MASK_BA))
				W32(1, (L32(1) & 0xFF000000u) | (x & 0xFFFFFF));
			R(2) = (R(2) & ~0xFFULL) | f;
			cc_const(cpu, i == len - 1 ? 2 : 1);
			return;
		}
	}
	cc_const(cpu, 0);
}

/* MVCL/CLCL keep 24-bit lengths in bits 40-63 of the odd registers */
static inline void set_len24(struct s390_cpu *cpu, unsigned r, uint64_t len)
{
	cpu->gpr[r] = (cpu->gpr[r] & ~0xFFFFFFULL) | (len & 0xFFFFFF);
}

/*
 * MOVE LONG. Done one page-bounded chunk at a time with the registers
 * written back after each, so an access exception leaves them describing
 * the bytes already moved.
 */
static unsigned mvcl(struct s390_cpu *cpu, unsigned r1, unsigned r2)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	uint64_t d = cpu->gpr[r1] & am, dlen = cpu->gpr[r1 + 1] & 0xFFFFFF;
	uint64_t s = cpu->gpr[r2] & am, slen = cpu->gpr[r2 + 1] & 0xFFFFFF;
	uint8_t pad = (uint8_t)(cpu->gpr[r2 + 1] >> 24);
	uint64_t n = dlen < slen ? dlen : slen;
	unsigned cc = dlen == slen ? 0 : dlen < slen ? 1 : 2;

	/* destructive overlap: op1 starts inside op2, right of its start */
	if (n > 1 && ((d - s) & am) > 0 && ((d - s) & am) < n)
		cc = 3;
	set_addr(cpu, r1, d);
	set_addr(cpu, r2, s);
	if (cc == 3)
		return cc;
	while (dlen) {
		uint64_t chunk = 0x1000 - (d & 0xFFF);
		if (chunk > dlen)
			chunk = dlen;
		if (slen) {
			uint64_t sc = 0x1000 - (s & 0xFFF);
			if (chunk > sc)
				chunk = sc;
			if (chunk > slen)
				chunk = slen;
			s390_probe(cpu, s, chunk, ACC_FETCH);
			s390_probe(cpu, d, chunk, ACC_STORE);
			for (uint64_t i = 0; i < chunk; i++)
				st8(cpu, (d + i) & am, ld8(cpu, (s + i) & am));
			s = (s + chunk) & am;
			slen -= chunk;
			set_addr(cpu, r2, s);
			set_len24(cpu, r2 + 1, slen);
		} else {
			s390_probe(cpu, d, chunk, ACC_STORE);
			for (uint64_t i = 0; i < chunk; i++)
				st8(cpu, (d + i) & am, pad);
		}
		d = (d + chunk) & am;
		dlen -= chunk;
		set_addr(cpu, r1, d);
		set_len24(cpu, r1 + 1, dlen);
	}
	return cc;
}

/* COMPARE LOGICAL LONG: the shorter operand is extended with the pad byte */
static unsigned clcl(struct s390_cpu *cpu, unsigned r1, unsigned r2)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	uint64_t a1 = cpu->gpr[r1] & am, l1 = cpu->gpr[r1 + 1] & 0xFFFFFF;
	uint64_t a2 = cpu->gpr[r2] & am, l2 = cpu->gpr[r2 + 1] & 0xFFFFFF;
	uint8_t pad = (uint8_t)(cpu->gpr[r2 + 1] >> 24);
	unsigned cc = 0;

	while (l1 || l2) {
		uint8_t b1 = l1 ? ld8(cpu, a1) : pad, b2 = l2 ? ld8(cpu, a2) : pad;
		if (b1 != b2) {
			cc = b1 < b2 ? 1 : 2;
			break;
		}
		if (l1) {
			a1 = (a1 + 1) & am;
			l1--;
		}
		if (l2) {
			a2 = (a2 + 1) & am;
			l2--;
		}
	}
	set_addr(cpu, r1, a1);
	set_len24(cpu, r1 + 1, l1);
	set_addr(cpu, r2, a2);
	set_len24(cpu, r2 + 1, l2);
	return cc;
}

/* CPU-determined number of bytes for MVST/CLST/SRST before CC 3 */
#define STRING_CHUNK 256

static int icpt(struct s390_cpu *cpu, const struct s390_insn *in)
{
	cpu->icpt.ipa = get_be16(in->raw);
	cpu->icpt.ipb = in->ilen >= 4 ? (uint32_t)get_be16(in->raw + 2) << 16 : 0;
	if (in->ilen == 6)
		cpu->icpt.ipb |= get_be16(in->raw + 4);
	cpu->icpt.ilen = in->ilen;
	return S390_EV_INTERCEPT;
}

static const struct s390_insn *fetch_slow(struct s390_cpu *cpu, uint64_t addr,
					  struct s390_insn *scratch);

static inline const struct s390_insn *fetch(struct s390_cpu *cpu, uint64_t addr,
					    struct s390_insn *scratch)
{
	unsigned idx = (unsigned)(addr >> 1) & (S390_ICACHE_SIZE - 1);

	if (likely(cpu->icache_tag[idx] == addr))
		return &cpu->icache[idx];
	return fetch_slow(cpu, addr, scratch);
}

/* EXECUTE: decode the target with byte 1 ORed with R1 bits 56-63 */
static void ex_decode(struct s390_cpu *cpu, unsigned r1, uint64_t ta, struct s390_insn *tin)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	uint8_t b[6];

	if (ta & 1)
		spec(cpu);
	b[0] = *tlb_host(cpu, ta, ACC_IFETCH);
	unsigned len = s390_insn_len(b[0]);
	for (unsigned i = 1; i < len; i++)
		b[i] = *tlb_host(cpu, (ta + i) & am, ACC_IFETCH);
	if (r1)
		b[1] |= (uint8_t)cpu->gpr[r1];
	s390_decode(b, tin);
	if (tin->op == OP_EX || tin->op == OP_EXRL)
		s390_pgm(cpu, PGM_EXECUTE);
}

static int wait_event(const struct s390_cpu *cpu)
{
	if (cpu->psw_mask & PSW_MASK_DAT)
		return S390_EV_DAT;
	if (cpu->psw_mask & (PSW_MASK_EXT | PSW_MASK_IO | PSW_MASK_MCHK))
		return S390_EV_WAIT;
	return S390_EV_DISABLED_WAIT;
}

#define PRIV() do { \
	if (cpu->psw_mask & PSW_MASK_PSTATE) \
		s390_pgm(cpu, PGM_PRIVILEGED); \
} while (0)
#define ALIGNED(a, n) do { if ((a) & ((n) - 1)) spec(cpu); } while (0)
#define BRANCH(t) do { \
	cpu->bea = cpu->cur_addr; \
	cpu->psw_addr = (t) & am; \
} while (0)
#define REL(off) (ia + (uint64_t)((int64_t)(off) * 2))
#define EA_RX   ea(cpu, in->x2, in->b2, in->d2)
#define EA_2    ea(cpu, 0, in->b2, in->d2)
#define EA_1    ea(cpu, 0, in->b1, in->d1)
#define I2      (in->i2)
#define r1 (in->r1)
#define r2 (in->r2)
#define r3 (in->r3)

/*
 * The interpreter loop: fetch through the decode cache, dispatch, repeat,
 * until an event. Program interruptions leave it by longjmp.
 */
static int run_loop(struct s390_cpu *cpu)
{
	struct s390_insn tin, scratch;
	const struct s390_insn *in;
	uint64_t ia, am, a, v;
	uint32_t w;

	for (;;) {
	if (unlikely(cpu->psw_mask & (PSW_MASK_WAIT | PSW_MASK_DAT)))
		return wait_event(cpu);
	if (unlikely(cpu->budget <= 0))
		return S390_EV_BUDGET;
	if (unlikely(cpu->kick))
		return S390_EV_STOPPED;
	cpu->budget--;
	ia = cpu->psw_addr;
	in = fetch(cpu, ia, &scratch);
	cpu->cur_addr = ia;
	cpu->cur_ilen = in->ilen;
dispatch:
	am = amode_mask(cpu->psw_mask);
	cpu->psw_addr = (cpu->cur_addr + cpu->cur_ilen) & am;

	switch ((enum s390_op)in->op) {
	case OP_INVALID:
	case OP_MAX:
		s390_pgm(cpu, PGM_OPERATION);

	/* ---- loads and stores ---- */
	case OP_LR:    W32(r1, L32(r2)); break;
	case OP_LGR:   R(r1) = R(r2); break;
	case OP_LGFR:  R(r1) = (uint64_t)(int32_t)L32(r2); break;
	case OP_LLGFR: R(r1) = L32(r2); break;
	case OP_LLGTR: R(r1) = L32(r2) & 0x7FFFFFFFu; break;
	case OP_LGBR:  R(r1) = (uint64_t)(int8_t)R(r2); break;
	case OP_LGHR:  R(r1) = (uint64_t)(int16_t)R(r2); break;
	case OP_LBR:   W32(r1, (int8_t)R(r2)); break;
	case OP_LHR:   W32(r1, (int16_t)R(r2)); break;
	case OP_LLGCR: R(r1) = (uint8_t)R(r2); break;
	case OP_LLGHR: R(r1) = (uint16_t)R(r2); break;
	case OP_LLCR:  W32(r1, (uint8_t)R(r2)); break;
	case OP_LLHR:  W32(r1, (uint16_t)R(r2)); break;
	case OP_LTR:   W32(r1, L32(r2)); cc_set(cpu, CC_S32, L32(r2), 0); break;
	case OP_LTGR:  R(r1) = R(r2); cc_set(cpu, CC_S64, R(r2), 0); break;
	case OP_LTGFR: R(r1) = (uint64_t)(int32_t)L32(r2); cc_set(cpu, CC_S64, R(r1), 0); break;
	case OP_LCR:   lcr32(cpu, r1, L32(r2)); break;
	case OP_LCGR:  lcr64(cpu, r1, R(r2)); break;
	case OP_LCGFR: lcr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); break;
	case OP_LPR:   lpr32(cpu, r1, L32(r2)); break;
	case OP_LPGR:  lpr64(cpu, r1, R(r2)); break;
	case OP_LPGFR: lpr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); break;
	case OP_LNR:   lnr32(cpu, r1, L32(r2)); break;
	case OP_LNGR:  lnr64(cpu, r1, R(r2)); break;
	case OP_LNGFR: lnr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); break;
	case OP_LRVR:  W32(r1, __builtin_bswap32(L32(r2))); break;
	case OP_LRVGR: R(r1) = __builtin_bswap64(R(r2)); break;

	case OP_L: case OP_LY: W32(r1, ld32(cpu, EA_RX)); break;
	case OP_LG:    R(r1) = ld64(cpu, EA_RX); break;
	case OP_LGF:   R(r1) = (uint64_t)(int32_t)ld32(cpu, EA_RX); break;
	case OP_LLGF:  R(r1) = ld32(cpu, EA_RX); break;
	case OP_LLGT:  R(r1) = ld32(cpu, EA_RX) & 0x7FFFFFFFu; break;
	case OP_LH: case OP_LHY: W32(r1, (int16_t)ld16(cpu, EA_RX)); break;
	case OP_LGH:   R(r1) = (uint64_t)(int16_t)ld16(cpu, EA_RX); break;
	case OP_LLH:   W32(r1, ld16(cpu, EA_RX)); break;
	case OP_LLGH:  R(r1) = ld16(cpu, EA_RX); break;
	case OP_LB:    W32(r1, (int8_t)ld8(cpu, EA_RX)); break;
	case OP_LGB:   R(r1) = (uint64_t)(int8_t)ld8(cpu, EA_RX); break;
	case OP_LLC:   W32(r1, ld8(cpu, EA_RX)); break;
	case OP_LLGC:  R(r1) = ld8(cpu, EA_RX); break;
	case OP_IC: case OP_ICY: R(r1) = (R(r1) & ~0xFFULL) | ld8(cpu, EA_RX); break;
	case OP_LT:    w = ld32(cpu, EA_RX); W32(r1, w); cc_set(cpu, CC_S32, w, 0); break;
	case OP_LTG:   R(r1) = ld64(cpu, EA_RX); cc_set(cpu, CC_S64, R(r1), 0); break;
	case OP_LTGF:  R(r1) = (uint64_t)(int32_t)ld32(cpu, EA_RX); cc_set(cpu, CC_S64, R(r1), 0); break;
	case OP_LRV:   W32(r1, __builtin_bswap32(ld32(cpu, EA_RX))); break;
	case OP_LRVG:  R(r1) = __builtin_bswap64(ld64(cpu, EA_RX)); break;
	case OP_LRVH:  R(r1) = (R(r1) & ~0xFFFFULL) | __builtin_bswap16(ld16(cpu, EA_RX)); break;
	case OP_ST: case OP_STY: st32(cpu, EA_RX, L32(r1)); break;
	case OP_STG:   st64(cpu, EA_RX, R(r1)); break;
	case OP_STH: case OP_STHY: st16(cpu, EA_RX, (uint16_t)R(r1)); break;
	case OP_STC: case OP_STCY: st8(cpu, EA_RX, (uint8_t)R(r1)); break;
	case OP_STRV:  st32(cpu, EA_RX, __builtin_bswap32(L32(r1))); break;
	case OP_STRVG: st64(cpu, EA_RX, __builtin_bswap64(R(r1))); break;
	case OP_STRVH: st16(cpu, EA_RX, __builtin_bswap16((uint16_t)R(r1))); break;
	case OP_LA: case OP_LAY: set_addr(cpu, r1, EA_RX); break;
	case OP_LARL:  set_addr(cpu, r1, REL(I2) & am); break;

	case OP_LHI:   W32(r1, (uint32_t)I2); break;
	case OP_LGHI:  R(r1) = (uint64_t)I2; break;
	case OP_LGFI:  R(r1) = (uint64_t)I2; break;
	case OP_LLIHH: R(r1) = (uint64_t)(uint16_t)I2 << 48; break;
	case OP_LLIHL: R(r1) = (uint64_t)(uint16_t)I2 << 32; break;
	case OP_LLILH: R(r1) = (uint64_t)(uint16_t)I2 << 16; break;
	case OP_LLILL: R(r1) = (uint16_t)I2; break;
	case OP_LLIHF: R(r1) = (uint64_t)(uint32_t)I2 << 32; break;
	case OP_LLILF: R(r1) = (uint32_t)I2; break;
	case OP_IIHH:  R(r1) = (R(r1) & ~(0xFFFFULL << 48)) | (uint64_t)(uint16_t)I2 << 48; break;
	case OP_IIHL:  R(r1) = (R(r1) & ~(0xFFFFULL << 32)) | (uint64_t)(uint16_t)I2 << 32; break;
	case OP_IILH:  R(r1) = (R(r1) & ~(0xFFFFULL << 16)) | (uint64_t)(uint16_t)I2 << 16; break;
	case OP_IILL:  R(r1) = (R(r1) & ~0xFFFFULL) | (uint16_t)I2; break;
	case OP_IIHF:  WH32(r1, I2); break;
	case OP_IILF:  W32(r1, I2); break;

	case OP_LRL:   a = REL(I2) & am; ALIGNED(a, 4); W32(r1, ld32(cpu, a)); break;
	case OP_LGRL:  a = REL(I2) & am; ALIGNED(a, 8); R(r1) = ld64(cpu, a); break;
	case OP_LGFRL: a = REL(I2) & am; ALIGNED(a, 4); R(r1) = (uint64_t)(int32_t)ld32(cpu, a); break;
	case OP_LLGFRL: a = REL(I2) & am; ALIGNED(a, 4); R(r1) = ld32(cpu, a); break;
	case OP_LHRL:  W32(r1, (int16_t)ld16(cpu, REL(I2) & am)); break;
	case OP_LGHRL: R(r1) = (uint64_t)(int16_t)ld16(cpu, REL(I2) & am); break;
	case OP_LLHRL: W32(r1, ld16(cpu, REL(I2) & am)); break;
	case OP_LLGHRL: R(r1) = ld16(cpu, REL(I2) & am); break;
	case OP_STRL:  a = REL(I2) & am; ALIGNED(a, 4); st32(cpu, a, L32(r1)); break;
	case OP_STGRL: a = REL(I2) & am; ALIGNED(a, 8); st64(cpu, a, R(r1)); break;
	case OP_STHRL: st16(cpu, REL(I2) & am, (uint16_t)R(r1)); break;

	case OP_MVI: case OP_MVIY: st8(cpu, EA_1, (uint8_t)I2); break;
	case OP_MVHHI: st16(cpu, EA_1, (uint16_t)I2); break;
	case OP_MVHI:  st32(cpu, EA_1, (uint32_t)I2); break;
	case OP_MVGHI: st64(cpu, EA_1, (uint64_t)I2); break;

	case OP_LM: case OP_LMY: case OP_LMG: case OP_STM: case OP_STMY: case OP_STMG: {
		bool g = in->op == OP_LMG || in->op == OP_STMG;
		bool st = in->op == OP_STM || in->op == OP_STMY || in->op == OP_STMG;
		unsigned n = ((r3 - r1) & 15) + 1, sz = g ? 8 : 4;
		uint64_t regs[16];
		a = EA_2;
		s390_probe(cpu, a, (uint64_t)n * sz, st ? ACC_STORE : ACC_FETCH);
		for (unsigned i = 0; i < n; i++) {
			unsigned r = (r1 + i) & 15;
			uint64_t x = (a + (uint64_t)i * sz) & am;
			if (st) {
				if (g)
					st64(cpu, x, R(r));
				else
					st32(cpu, x, L32(r));
			} else
				regs[i] = g ? ld64(cpu, x) : ld32(cpu, x);
		}
		if (!st)
			for (unsigned i = 0; i < n; i++) {
				unsigned r = (r1 + i) & 15;
				if (g)
					R(r) = regs[i];
				else
					W32(r, regs[i]);
			}
		break;
	}

	case OP_ICM:  W32(r1, icm(cpu, L32(r1), in->m3, EA_2)); break;
	case OP_ICMY: W32(r1, icm(cpu, L32(r1), in->m3, EA_2)); break;
	case OP_ICMH: WH32(r1, icm(cpu, H32(r1), in->m3, EA_2)); break;
	case OP_STCM: case OP_STCMY: stcm(cpu, L32(r1), in->m3, EA_2); break;
	case OP_STCMH: stcm(cpu, H32(r1), in->m3, EA_2); break;
	case OP_CLM: case OP_CLMY: clm(cpu, L32(r1), in->m3, EA_2); break;
	case OP_CLMH: clm(cpu, H32(r1), in->m3, EA_2); break;

	case OP_LOCR:  if (cond(cpu, in->m3)) W32(r1, L32(r2)); break;
	case OP_LOCGR: if (cond(cpu, in->m3)) R(r1) = R(r2); break;
	case OP_LOC:   w = ld32(cpu, EA_2); if (cond(cpu, in->m3)) W32(r1, w); break;
	case OP_LOCG:  v = ld64(cpu, EA_2); if (cond(cpu, in->m3)) R(r1) = v; break;
	case OP_STOC:  if (cond(cpu, in->m3)) st32(cpu, EA_2, L32(r1)); break;
	case OP_STOCG: if (cond(cpu, in->m3)) st64(cpu, EA_2, R(r1)); break;

	case OP_LOCHI:  if (cond(cpu, r3)) W32(r1, (uint32_t)I2); break;
	case OP_LOCGHI: if (cond(cpu, r3)) R(r1) = (uint64_t)I2; break;

	case OP_PFD: case OP_PFDRL: break;

	/* ---- floating-point registers as storage ---- */
	case OP_LD: case OP_LDY: FPR_CHECK(r1); cpu->fpr[r1] = ld64(cpu, EA_RX); break;
	case OP_STD: case OP_STDY: FPR_CHECK(r1); st64(cpu, EA_RX, cpu->fpr[r1]); break;
	case OP_LE: case OP_LEY:
		FPR_CHECK(r1);
		cpu->fpr[r1] = (cpu->fpr[r1] & 0xFFFFFFFFULL) | (uint64_t)ld32(cpu, EA_RX) << 32;
		break;
	case OP_STE: case OP_STEY: FPR_CHECK(r1); st32(cpu, EA_RX, (uint32_t)(cpu->fpr[r1] >> 32)); break;
	case OP_LDR: FPR_CHECK(r1); FPR_CHECK(r2); cpu->fpr[r1] = cpu->fpr[r2]; break;
	case OP_LER:
		FPR_CHECK(r1); FPR_CHECK(r2);
		cpu->fpr[r1] = (cpu->fpr[r1] & 0xFFFFFFFFULL) | (cpu->fpr[r2] & ~0xFFFFFFFFULL);
		break;
	case OP_LZDR: afp_check(cpu, r1, false); cpu->fpr[r1] = 0; break;
	case OP_SFPC: bfp_check(cpu); fpc_load(cpu, L32(r1)); break;
	case OP_EFPC: bfp_check(cpu); W32(r1, cpu->fpc); break;
	case OP_LFPC: bfp_check(cpu); fpc_load(cpu, ld32(cpu, EA_2)); break;
	case OP_STFPC: bfp_check(cpu); st32(cpu, EA_2, cpu->fpc); break;
	case OP_LZER: afp_check(cpu, r1, false); cpu->fpr[r1] &= 0xFFFFFFFFULL; break;
	case OP_LDGR: afp_check(cpu, r1, true); cpu->fpr[r1] = R(r2); break;
	case OP_LGDR: afp_check(cpu, r2, true); R(r1) = cpu->fpr[r2]; break;

	/* ---- arithmetic ---- */
	case OP_AR:    add32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_ARK:   add32(cpu, r1, L32(r2), L32(r3)); break;
	case OP_AGR:   add64(cpu, r1, R(r1), R(r2)); break;
	case OP_AGRK:  add64(cpu, r1, R(r2), R(r3)); break;
	case OP_AGFR:  add64(cpu, r1, R(r1), (uint64_t)(int32_t)L32(r2)); break;
	case OP_A: case OP_AY: add32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_AH: case OP_AHY: add32(cpu, r1, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); break;
	case OP_AG:    add64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;
	case OP_AGF:   add64(cpu, r1, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); break;
	case OP_AHI: case OP_AFI: add32(cpu, r1, L32(r1), (uint32_t)I2); break;
	case OP_AGHI: case OP_AGFI: add64(cpu, r1, R(r1), (uint64_t)I2); break;
	case OP_AHIK:  add32(cpu, r1, L32(r3), (uint32_t)I2); break;
	case OP_AGHIK: add64(cpu, r1, R(r3), (uint64_t)I2); break;
	case OP_ASI: {
		a = EA_1;
		w = ld32(cpu, a);
		uint32_t res = w + (uint32_t)(int8_t)I2;
		st32(cpu, a, res);
		cc_set(cpu, CC_ADD_S32, w, (uint32_t)(int8_t)I2);
		fixpt_ovf(cpu, (int32_t)((w ^ res) & ((uint32_t)(int8_t)I2 ^ res)) < 0);
		break;
	}
	case OP_AGSI: {
		a = EA_1;
		v = ld64(cpu, a);
		uint64_t b = (uint64_t)(int8_t)I2, res = v + b;
		st64(cpu, a, res);
		cc_set(cpu, CC_ADD_S64, v, b);
		fixpt_ovf(cpu, (int64_t)((v ^ res) & (b ^ res)) < 0);
		break;
	}
	case OP_SR:    sub32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_SRK:   sub32(cpu, r1, L32(r2), L32(r3)); break;
	case OP_SGR:   sub64(cpu, r1, R(r1), R(r2)); break;
	case OP_SGRK:  sub64(cpu, r1, R(r2), R(r3)); break;
	case OP_SGFR:  sub64(cpu, r1, R(r1), (uint64_t)(int32_t)L32(r2)); break;
	case OP_S: case OP_SY: sub32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_SH: case OP_SHY: sub32(cpu, r1, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); break;
	case OP_SG:    sub64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;
	case OP_SGF:   sub64(cpu, r1, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); break;

	case OP_ALR:   addl32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_ALRK:  addl32(cpu, r1, L32(r2), L32(r3)); break;
	case OP_ALGR:  addl64(cpu, r1, R(r1), R(r2)); break;
	case OP_ALGRK: addl64(cpu, r1, R(r2), R(r3)); break;
	case OP_ALGFR: addl64(cpu, r1, R(r1), L32(r2)); break;
	case OP_AL: case OP_ALY: addl32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_ALG:   addl64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;
	case OP_ALGF:  addl64(cpu, r1, R(r1), ld32(cpu, EA_RX)); break;
	case OP_ALFI:  addl32(cpu, r1, L32(r1), (uint32_t)I2); break;
	case OP_ALGFI: addl64(cpu, r1, R(r1), (uint32_t)I2); break;
	case OP_ALHSIK: addl32(cpu, r1, L32(r3), (uint32_t)I2); break;
	case OP_ALGHSIK: addl64(cpu, r1, R(r3), (uint64_t)I2); break;
	case OP_ALSI: {
		a = EA_1;
		w = ld32(cpu, a);
		st32(cpu, a, w + (uint32_t)(int8_t)I2);
		cc_set(cpu, CC_ADD_U32, w, (uint32_t)(int8_t)I2);
		break;
	}
	case OP_ALGSI: {
		a = EA_1;
		v = ld64(cpu, a);
		st64(cpu, a, v + (uint64_t)(int8_t)I2);
		cc_set(cpu, CC_ADD_U64, v, (uint64_t)(int8_t)I2);
		break;
	}
	case OP_SLR:   subl32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_SLRK:  subl32(cpu, r1, L32(r2), L32(r3)); break;
	case OP_SLGR:  subl64(cpu, r1, R(r1), R(r2)); break;
	case OP_SLGRK: subl64(cpu, r1, R(r2), R(r3)); break;
	case OP_SLGFR: subl64(cpu, r1, R(r1), L32(r2)); break;
	case OP_SL: case OP_SLY: subl32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_SLG:   subl64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;
	case OP_SLGF:  subl64(cpu, r1, R(r1), ld32(cpu, EA_RX)); break;
	case OP_SLFI:  subl32(cpu, r1, L32(r1), (uint32_t)I2); break;
	case OP_SLGFI: subl64(cpu, r1, R(r1), (uint32_t)I2); break;
	case OP_ALCR:  alc32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_ALCGR: alc64(cpu, r1, R(r1), R(r2)); break;
	case OP_ALC:   alc32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_ALCG:  alc64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;
	case OP_SLBR:  slb32(cpu, r1, L32(r1), L32(r2)); break;
	case OP_SLBGR: slb64(cpu, r1, R(r1), R(r2)); break;
	case OP_SLB:   slb32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_SLBG:  slb64(cpu, r1, R(r1), ld64(cpu, EA_RX)); break;

	/* multiply: no CC, no overflow for these */
	case OP_MSR:   W32(r1, L32(r1) * L32(r2)); break;
	case OP_MS: case OP_MSY: W32(r1, L32(r1) * ld32(cpu, EA_RX)); break;
	case OP_MSFI:  W32(r1, L32(r1) * (uint32_t)I2); break;
	case OP_MH: case OP_MHY: W32(r1, L32(r1) * (uint32_t)(int16_t)ld16(cpu, EA_RX)); break;
	case OP_MHI:   W32(r1, L32(r1) * (uint32_t)I2); break;
	case OP_MSGR:  R(r1) = R(r1) * R(r2); break;
	case OP_MSGFR: R(r1) = R(r1) * (uint64_t)(int32_t)L32(r2); break;
	case OP_MSG:   R(r1) = R(r1) * ld64(cpu, EA_RX); break;
	case OP_MSGF:  R(r1) = R(r1) * (uint64_t)(int32_t)ld32(cpu, EA_RX); break;
	case OP_MSGFI: case OP_MGHI: R(r1) = R(r1) * (uint64_t)I2; break;
	case OP_MR: case OP_M: {
		even_reg(cpu, r1);
		int32_t m2 = (int32_t)(in->op == OP_MR ? L32(r2) : ld32(cpu, EA_RX));
		int64_t p = (int64_t)(int32_t)L32(r1 + 1) * m2;
		W32(r1, (uint64_t)p >> 32);
		W32(r1 + 1, (uint64_t)p);
		break;
	}
	case OP_MLR: case OP_ML: {
		even_reg(cpu, r1);
		uint32_t m2 = in->op == OP_MLR ? L32(r2) : ld32(cpu, EA_RX);
		uint64_t p = (uint64_t)L32(r1 + 1) * m2;
		W32(r1, p >> 32);
		W32(r1 + 1, p);
		break;
	}
	case OP_MLGR: case OP_MLG: {
		even_reg(cpu, r1);
		uint64_t m2 = in->op == OP_MLGR ? R(r2) : ld64(cpu, EA_RX);
		unsigned __int128 p = (unsigned __int128)R(r1 + 1) * m2;
		R(r1) = (uint64_t)(p >> 64);
		R(r1 + 1) = (uint64_t)p;
		break;
	}

	/* divide: r1 even; quotient to r1+1, remainder to r1 */
	case OP_DR: case OP_D: {
		even_reg(cpu, r1);
		int32_t d = (int32_t)(in->op == OP_DR ? L32(r2) : ld32(cpu, EA_RX));
		int64_t n = (int64_t)((uint64_t)L32(r1) << 32 | L32(r1 + 1));
		if (d == 0)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		if (d == -1 && n == INT64_MIN)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		int64_t q = n / d, rem = n % d;
		if (q != (int32_t)q)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		W32(r1, rem);
		W32(r1 + 1, q);
		break;
	}
	case OP_DLR: case OP_DL: {
		even_reg(cpu, r1);
		uint32_t d = in->op == OP_DLR ? L32(r2) : ld32(cpu, EA_RX);
		uint64_t n = (uint64_t)L32(r1) << 32 | L32(r1 + 1);
		if (d == 0 || n / d > 0xFFFFFFFFu)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		W32(r1, n % d);
		W32(r1 + 1, n / d);
		break;
	}
	case OP_DSGR: case OP_DSG: case OP_DSGFR: case OP_DSGF: {
		even_reg(cpu, r1);
		int64_t d;
		switch (in->op) {
		case OP_DSGR: d = (int64_t)R(r2); break;
		case OP_DSG: d = (int64_t)ld64(cpu, EA_RX); break;
		case OP_DSGFR: d = (int32_t)L32(r2); break;
		default: d = (int32_t)ld32(cpu, EA_RX); break;
		}
		int64_t n = (int64_t)R(r1 + 1);
		if (d == 0 || (d == -1 && n == INT64_MIN))
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		R(r1) = (uint64_t)(n % d);
		R(r1 + 1) = (uint64_t)(n / d);
		break;
	}
	case OP_DLGR: case OP_DLG: {
		even_reg(cpu, r1);
		uint64_t d = in->op == OP_DLGR ? R(r2) : ld64(cpu, EA_RX);
		unsigned __int128 n = (unsigned __int128)R(r1) << 64 | R(r1 + 1);
		if (d == 0 || R(r1) >= d)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		R(r1) = (uint64_t)(n % d);
		R(r1 + 1) = (uint64_t)(n / d);
		break;
	}

	/* ---- compare ---- */
	case OP_CR:    cc_set(cpu, CC_CMP_S32, L32(r1), L32(r2)); break;
	case OP_CGR:   cc_set(cpu, CC_CMP_S64, R(r1), R(r2)); break;
	case OP_CGFR:  cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)L32(r2)); break;
	case OP_C: case OP_CY: cc_set(cpu, CC_CMP_S32, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_CH: case OP_CHY: cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); break;
	case OP_CG:    cc_set(cpu, CC_CMP_S64, R(r1), ld64(cpu, EA_RX)); break;
	case OP_CGF:   cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); break;
	case OP_CGH:   cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int16_t)ld16(cpu, EA_RX)); break;
	case OP_CHI: case OP_CFI: cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)I2); break;
	case OP_CGHI: case OP_CGFI: cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)I2); break;
	case OP_CLR:   cc_set(cpu, CC_CMP_U32, L32(r1), L32(r2)); break;
	case OP_CLGR:  cc_set(cpu, CC_CMP_U64, R(r1), R(r2)); break;
	case OP_CLGFR: cc_set(cpu, CC_CMP_U64, R(r1), L32(r2)); break;
	case OP_CL: case OP_CLY: cc_set(cpu, CC_CMP_U32, L32(r1), ld32(cpu, EA_RX)); break;
	case OP_CLG:   cc_set(cpu, CC_CMP_U64, R(r1), ld64(cpu, EA_RX)); break;
	case OP_CLGF:  cc_set(cpu, CC_CMP_U64, R(r1), ld32(cpu, EA_RX)); break;
	case OP_CLFI:  cc_set(cpu, CC_CMP_U32, L32(r1), (uint32_t)I2); break;
	case OP_CLGFI: cc_set(cpu, CC_CMP_U64, R(r1), (uint32_t)I2); break;
	case OP_CLI: case OP_CLIY: cc_set(cpu, CC_CMP_U32, ld8(cpu, EA_1), (uint8_t)I2); break;
	case OP_CHHSI: cc_set(cpu, CC_CMP_S32, (uint32_t)(int16_t)ld16(cpu, EA_1), (uint32_t)I2); break;
	case OP_CHSI:  cc_set(cpu, CC_CMP_S32, ld32(cpu, EA_1), (uint32_t)I2); break;
	case OP_CGHSI: cc_set(cpu, CC_CMP_S64, ld64(cpu, EA_1), (uint64_t)I2); break;
	case OP_CLHHSI: cc_set(cpu, CC_CMP_U32, ld16(cpu, EA_1), (uint16_t)I2); break;
	case OP_CLFHSI: cc_set(cpu, CC_CMP_U32, ld32(cpu, EA_1), (uint16_t)I2); break;
	case OP_CLGHSI: cc_set(cpu, CC_CMP_U64, ld64(cpu, EA_1), (uint16_t)I2); break;
	case OP_CRL:   a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_S32, L32(r1), ld32(cpu, a)); break;
	case OP_CGRL:  a = REL(I2) & am; ALIGNED(a, 8); cc_set(cpu, CC_CMP_S64, R(r1), ld64(cpu, a)); break;
	case OP_CGFRL: a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)ld32(cpu, a)); break;
	case OP_CHRL:  cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)(int16_t)ld16(cpu, REL(I2) & am)); break;
	case OP_CGHRL: cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int16_t)ld16(cpu, REL(I2) & am)); break;
	case OP_CLRL:  a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_U32, L32(r1), ld32(cpu, a)); break;
	case OP_CLGRL: a = REL(I2) & am; ALIGNED(a, 8); cc_set(cpu, CC_CMP_U64, R(r1), ld64(cpu, a)); break;
	case OP_CLGFRL: a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_U64, R(r1), ld32(cpu, a)); break;
	case OP_CLHRL: cc_set(cpu, CC_CMP_U32, L32(r1), ld16(cpu, REL(I2) & am)); break;
	case OP_CLGHRL: cc_set(cpu, CC_CMP_U64, R(r1), ld16(cpu, REL(I2) & am)); break;

	/* compare and branch: m3 8 = equal, 4 = low, 2 = high */
	case OP_CRJ:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), (int32_t)L32(r2)))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CGRJ:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), (int64_t)R(r2)))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CLRJ:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), L32(r2)))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CLGRJ: if ((in->m3 >> (3 - cc_ucmp(R(r1), R(r2)))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CIJ:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), I2))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CGIJ:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), I2))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CLIJ:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), (uint8_t)I2))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CLGIJ: if ((in->m3 >> (3 - cc_ucmp(R(r1), (uint8_t)I2))) & 1) BRANCH(REL(in->ri)); break;
	case OP_CRB:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), (int32_t)L32(r2)))) & 1) BRANCH(EA_2); break;
	case OP_CGRB:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), (int64_t)R(r2)))) & 1) BRANCH(EA_2); break;
	case OP_CLRB:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), L32(r2)))) & 1) BRANCH(EA_2); break;
	case OP_CLGRB: if ((in->m3 >> (3 - cc_ucmp(R(r1), R(r2)))) & 1) BRANCH(EA_2); break;
	case OP_CIB:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), I2))) & 1) BRANCH(EA_2); break;
	case OP_CGIB:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), I2))) & 1) BRANCH(EA_2); break;
	case OP_CLIB:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), (uint8_t)I2))) & 1) BRANCH(EA_2); break;
	case OP_CLGIB: if ((in->m3 >> (3 - cc_ucmp(R(r1), (uint8_t)I2))) & 1) BRANCH(EA_2); break;

	/* ---- logical ---- */
	case OP_NR:   W32(r1, L32(r1) & L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_OR:   W32(r1, L32(r1) | L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_XR:   W32(r1, L32(r1) ^ L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_NRK:  W32(r1, L32(r2) & L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_ORK:  W32(r1, L32(r2) | L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_XRK:  W32(r1, L32(r2) ^ L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_NGR:  R(r1) &= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_OGR:  R(r1) |= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_XGR:  R(r1) ^= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_NGRK: R(r1) = R(r2) & R(r3); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_OGRK: R(r1) = R(r2) | R(r3); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_XGRK: R(r1) = R(r2) ^ R(r3); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_N: case OP_NY: W32(r1, L32(r1) & ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_O: case OP_OY: W32(r1, L32(r1) | ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_X: case OP_XY: W32(r1, L32(r1) ^ ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_NG:   R(r1) &= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_OG:   R(r1) |= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_XG:   R(r1) ^= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); break;
	case OP_NIHF: WH32(r1, H32(r1) & (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); break;
	case OP_NILF: W32(r1, L32(r1) & (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_OIHF: WH32(r1, H32(r1) | (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); break;
	case OP_OILF: W32(r1, L32(r1) | (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_XIHF: WH32(r1, H32(r1) ^ (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); break;
	case OP_XILF: W32(r1, L32(r1) ^ (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); break;
	case OP_NIHH: case OP_NIHL: case OP_NILH: case OP_NILL: {
		unsigned sh = 48 - 16 * (unsigned)(in->op - OP_NIHH);
		R(r1) &= ((uint64_t)(uint16_t)I2 << sh) | ~(0xFFFFULL << sh);
		cc_set(cpu, CC_NZ, (R(r1) >> sh) & 0xFFFF, 0);
		break;
	}
	case OP_OIHH: case OP_OIHL: case OP_OILH: case OP_OILL: {
		unsigned sh = 48 - 16 * (unsigned)(in->op - OP_OIHH);
		R(r1) |= (uint64_t)(uint16_t)I2 << sh;
		cc_set(cpu, CC_NZ, (R(r1) >> sh) & 0xFFFF, 0);
		break;
	}
	case OP_TMLH: cc_const(cpu, tm16((uint16_t)(R(r1) >> 16), (uint16_t)I2)); break;
	case OP_TMLL: cc_const(cpu, tm16((uint16_t)R(r1), (uint16_t)I2)); break;
	case OP_TMHH: cc_const(cpu, tm16((uint16_t)(R(r1) >> 48), (uint16_t)I2)); break;
	case OP_TMHL: cc_const(cpu, tm16((uint16_t)(R(r1) >> 32), (uint16_t)I2)); break;
	case OP_TM: case OP_TMY: cc_const(cpu, tm8(ld8(cpu, EA_1), (uint8_t)I2)); break;
	case OP_NI: case OP_NIY: case OP_OI: case OP_OIY: case OP_XI: case OP_XIY: {
		uint8_t b;
		a = EA_1;
		s390_probe(cpu, a, 1, ACC_STORE);
		b = ld8(cpu, a);
		if (in->op == OP_NI || in->op == OP_NIY)
			b &= (uint8_t)I2;
		else if (in->op == OP_OI || in->op == OP_OIY)
			b |= (uint8_t)I2;
		else
			b ^= (uint8_t)I2;
		st8(cpu, a, b);
		cc_const(cpu, b != 0);
		break;
	}

	case OP_MVCL:
		even_reg(cpu, r1);
		even_reg(cpu, r2);
		cc_const(cpu, mvcl(cpu, r1, r2));
		break;
	case OP_CLCL:
		even_reg(cpu, r1);
		even_reg(cpu, r2);
		cc_const(cpu, clcl(cpu, r1, r2));
		break;
	case OP_MVC: ss_op(cpu, SS_MVC, EA_1, EA_2, in->l1 + 1u); break;
	case OP_NC:  ss_op(cpu, SS_NC, EA_1, EA_2, in->l1 + 1u); break;
	case OP_OC:  ss_op(cpu, SS_OC, EA_1, EA_2, in->l1 + 1u); break;
	case OP_XC:  ss_op(cpu, SS_XC, EA_1, EA_2, in->l1 + 1u); break;
	case OP_CLC: ss_op(cpu, SS_CLC, EA_1, EA_2, in->l1 + 1u); break;
	case OP_TR:  ss_op(cpu, SS_TR, EA_1, EA_2, in->l1 + 1u); break;
	case OP_TRT: trt(cpu, EA_1, EA_2, in->l1 + 1u); break;

	case OP_MVST: {
		if (R(0) & 0xFFFFFF00ULL)
			spec(cpu);
		uint8_t end = (uint8_t)R(0);
		uint64_t d = R(r1) & am, s = R(r2) & am;
		for (unsigned i = 0; i < STRING_CHUNK; i++) {
			uint8_t b = ld8(cpu, (s + i) & am);
			st8(cpu, (d + i) & am, b);
			if (b == end) {
				set_addr(cpu, r1, (d + i) & am);
				cc_const(cpu, 1);
				goto out;
			}
		}
		set_addr(cpu, r1, (d + STRING_CHUNK) & am);
		set_addr(cpu, r2, (s + STRING_CHUNK) & am);
		cc_const(cpu, 3);
		break;
	}
	case OP_CLST: {
		/* bits 32-55 of r0 are reserved here (no check, as QEMU) */
		uint8_t end = (uint8_t)R(0);
		uint64_t x = R(r1) & am, y = R(r2) & am;
		for (unsigned i = 0; i < STRING_CHUNK; i++) {
			uint8_t b1 = ld8(cpu, (x + i) & am), b2 = ld8(cpu, (y + i) & am);
			if (b1 == end && b2 == end) {
				cc_const(cpu, 0);
				goto out;
			}
			if (b1 == end || b2 == end || b1 != b2) {
				unsigned cc = b1 == end ? 1 : b2 == end ? 2 : b1 < b2 ? 1 : 2;
				set_addr(cpu, r1, (x + i) & am);
				set_addr(cpu, r2, (y + i) & am);
				cc_const(cpu, cc);
				goto out;
			}
		}
		set_addr(cpu, r1, (x + STRING_CHUNK) & am);
		set_addr(cpu, r2, (y + STRING_CHUNK) & am);
		cc_const(cpu, 3);
		break;
	}
	case OP_SRST: {
		if (R(0) & 0xFFFFFF00ULL)
			spec(cpu);
		uint8_t c = (uint8_t)R(0);
		uint64_t endp = R(r1) & am, p = R(r2) & am;
		for (unsigned i = 0; i < STRING_CHUNK; i++, p = (p + 1) & am) {
			if (p == endp) {
				cc_const(cpu, 2);
				goto out;
			}
			if (ld8(cpu, p) == c) {
				set_addr(cpu, r1, p);
				cc_const(cpu, 1);
				goto out;
			}
		}
		set_addr(cpu, r2, p);
		cc_const(cpu, 3);
		break;
	}

	/* ---- shifts and rotates ---- */
	case OP_SLL:  W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r1) << (EA_2 & 63)); break;
	case OP_SRL:  W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r1) >> (EA_2 & 63)); break;
	case OP_SLLK: W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r3) << (EA_2 & 63)); break;
	case OP_SRLK: W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r3) >> (EA_2 & 63)); break;
	case OP_SLLG: R(r1) = R(r3) << (EA_2 & 63); break;
	case OP_SRLG: R(r1) = R(r3) >> (EA_2 & 63); break;
	case OP_RLL:  W32(r1, rotl32(L32(r3), (unsigned)EA_2)); break;
	case OP_RLLG: R(r1) = rotl64(R(r3), (unsigned)EA_2); break;
	case OP_SRA: case OP_SRAK: {
		unsigned n = EA_2 & 63;
		int32_t x = (int32_t)L32(in->op == OP_SRA ? r1 : r3);
		w = (uint32_t)(x >> (n > 31 ? 31 : n));
		W32(r1, w);
		cc_set(cpu, CC_S32, w, 0);
		break;
	}
	case OP_SRAG: {
		unsigned n = EA_2 & 63;
		R(r1) = (uint64_t)((int64_t)R(r3) >> n);
		cc_set(cpu, CC_S64, R(r1), 0);
		break;
	}
	case OP_SLA: case OP_SLAK:
		W32(r1, sla32(cpu, L32(in->op == OP_SLA ? r1 : r3), EA_2 & 63));
		fixpt_ovf(cpu, cpu->cc_op == CC_CONST && cpu->cc_a == 3);
		break;
	case OP_SLAG:
		R(r1) = sla64(cpu, R(r3), EA_2 & 63);
		fixpt_ovf(cpu, cpu->cc_op == CC_CONST && cpu->cc_a == 3);
		break;
	case OP_SLDL: case OP_SRDL: case OP_SLDA: case OP_SRDA: {
		even_reg(cpu, r1);
		unsigned n = EA_2 & 63;
		uint64_t x = (uint64_t)L32(r1) << 32 | L32(r1 + 1);
		switch (in->op) {
		case OP_SLDL: x <<= n; break;
		case OP_SRDL: x >>= n; break;
		case OP_SRDA: x = (uint64_t)((int64_t)x >> n); cc_set(cpu, CC_S64, x, 0); break;
		default: x = sla64(cpu, x, n); break;
		}
		W32(r1, x >> 32);
		W32(r1 + 1, x);
		if (in->op == OP_SLDA)
			fixpt_ovf(cpu, cpu->cc_op == CC_CONST && cpu->cc_a == 3);
		break;
	}

	case OP_RISBG: case OP_RISBGN: {
		unsigned s = in->i3 & 63, e = in->i4 & 63;
		uint64_t mask = bit_range(s, e), rot = rotl64(R(r2), in->i5);
		uint64_t res = (in->i4 & 0x80) ? (rot & mask) : ((R(r1) & ~mask) | (rot & mask));
		R(r1) = res;
		if (in->op == OP_RISBG)
			cc_set(cpu, CC_S64, res, 0);
		break;
	}
	case OP_RNSBG: case OP_ROSBG: case OP_RXSBG: {
		unsigned s = in->i3 & 63, e = in->i4 & 63;
		uint64_t mask = bit_range(s, e), rot = rotl64(R(r2), in->i5), res;
		if (in->op == OP_RNSBG)
			res = R(r1) & (rot | ~mask);
		else if (in->op == OP_ROSBG)
			res = R(r1) | (rot & mask);
		else
			res = R(r1) ^ (rot & mask);
		cc_const(cpu, (res & mask) != 0);
		if (!(in->i3 & 0x80))
			R(r1) = res;
		break;
	}
	case OP_FLOGR: {
		even_reg(cpu, r1);
		v = R(r2);
		if (!v) {
			R(r1) = 64;
			R(r1 + 1) = 0;
			cc_const(cpu, 0);
		} else {
			unsigned n = (unsigned)__builtin_clzll(v);
			R(r1) = n;
			R(r1 + 1) = v & ~(0x8000000000000000ULL >> n);
			cc_const(cpu, 2);
		}
		break;
	}
	case OP_POPCNT: {
		v = R(r2);
		uint64_t res = 0;
		for (int i = 0; i < 8; i++)
			res |= (uint64_t)__builtin_popcount((unsigned)(v >> (8 * i)) & 0xFF) << (8 * i);
		R(r1) = res;
		cc_const(cpu, v != 0);
		break;
	}

	/* ---- branches ---- */
	case OP_BCR:
		if (r2 && cond(cpu, r1))
			BRANCH(R(r2));
		break;
	case OP_BC:
		if (cond(cpu, r1))
			BRANCH(EA_RX);
		break;
	case OP_BRC:  if (cond(cpu, in->m3)) BRANCH(REL(I2)); break;
	case OP_BRCL: if (cond(cpu, in->m3)) BRANCH(REL(I2)); break;
	case OP_BASR: case OP_BALR:
		a = R(r2);
		if (in->op == OP_BASR)
			set_link(cpu, r1, cpu->psw_addr);
		else
			set_link_bal(cpu, r1, cpu->psw_addr);
		if (r2)
			BRANCH(a);
		break;
	case OP_BAS: case OP_BAL:
		a = EA_RX;
		if (in->op == OP_BAS)
			set_link(cpu, r1, cpu->psw_addr);
		else
			set_link_bal(cpu, r1, cpu->psw_addr);
		BRANCH(a);
		break;
	case OP_BRAS: case OP_BRASL:
		set_link(cpu, r1, cpu->psw_addr);
		BRANCH(REL(I2));
		break;
	case OP_BCTR:
		a = R(r2);
		W32(r1, L32(r1) - 1);
		if (r2 && L32(r1))
			BRANCH(a);
		break;
	case OP_BCTGR:
		a = R(r2);
		R(r1) -= 1;
		if (r2 && R(r1))
			BRANCH(a);
		break;
	case OP_BCT:  a = EA_RX; W32(r1, L32(r1) - 1); if (L32(r1)) BRANCH(a); break;
	case OP_BCTG: a = EA_RX; R(r1) -= 1; if (R(r1)) BRANCH(a); break;
	case OP_BRCT: W32(r1, L32(r1) - 1); if (L32(r1)) BRANCH(REL(I2)); break;
	case OP_BRCTG: R(r1) -= 1; if (R(r1)) BRANCH(REL(I2)); break;
	case OP_BXH: case OP_BXLE: case OP_BRXH: case OP_BRXLE: {
		bool rel = in->op == OP_BRXH || in->op == OP_BRXLE;
		a = rel ? REL(I2) : EA_2;
		int32_t inc = (int32_t)L32(r3), cmp = (int32_t)L32(r3 | 1);
		int32_t sum = (int32_t)(L32(r1) + (uint32_t)inc);
		W32(r1, sum);
		bool hi = in->op == OP_BXH || in->op == OP_BRXH;
		if (hi ? sum > cmp : sum <= cmp)
			BRANCH(a);
		break;
	}
	case OP_BXHG: case OP_BXLEG: case OP_BRXHG: case OP_BRXLG: {
		bool rel = in->op == OP_BRXHG || in->op == OP_BRXLG;
		a = rel ? REL(I2) : EA_2;
		int64_t inc = (int64_t)R(r3), cmp = (int64_t)R(r3 | 1);
		int64_t sum = (int64_t)(R(r1) + (uint64_t)inc);
		R(r1) = (uint64_t)sum;
		bool hi = in->op == OP_BXHG || in->op == OP_BRXHG;
		if (hi ? sum > cmp : sum <= cmp)
			BRANCH(a);
		break;
	}
	case OP_EX:
		a = EA_RX;
		ex_decode(cpu, r1, a, &tin);
		in = &tin;
		ia = a;
		goto dispatch;
	case OP_EXRL:
		a = REL(I2) & am;
		ex_decode(cpu, r1, a, &tin);
		in = &tin;
		ia = a;
		goto dispatch;

	/* ---- atomics ---- */
	case OP_CS: case OP_CSY: {
		a = EA_2;
		ALIGNED(a, 4);
		w = L32(r1);
		bool ok = cas32(cpu, a, &w, L32(r3));
		if (!ok)
			W32(r1, w);
		cc_const(cpu, !ok);
		break;
	}
	case OP_CSG: {
		a = EA_2;
		ALIGNED(a, 8);
		v = R(r1);
		bool ok = cas64(cpu, a, &v, R(r3));
		if (!ok)
			R(r1) = v;
		cc_const(cpu, !ok);
		break;
	}
	case OP_CDS: case OP_CDSY: {
		even_reg(cpu, r1);
		even_reg(cpu, r3);
		a = EA_2;
		ALIGNED(a, 8);
		v = (uint64_t)L32(r1) << 32 | L32(r1 + 1);
		bool ok = cas64(cpu, a, &v, (uint64_t)L32(r3) << 32 | L32(r3 + 1));
		if (!ok) {
			W32(r1, v >> 32);
			W32(r1 + 1, v);
		}
		cc_const(cpu, !ok);
		break;
	}

	/* interlocked load and update: r1 = old storage, storage = old op r3 */
	case OP_LAA: case OP_LAAL: case OP_LAN: case OP_LAO: case OP_LAX: {
		a = EA_2;
		ALIGNED(a, 4);
		uint32_t b = L32(r3), old = ld32(cpu, a), nv;
		do {
			switch (in->op) {
			case OP_LAN: nv = old & b; break;
			case OP_LAO: nv = old | b; break;
			case OP_LAX: nv = old ^ b; break;
			default: nv = old + b; break;
			}
		} while (!cas32(cpu, a, &old, nv));
		W32(r1, old);
		if (in->op == OP_LAA) {
			cc_set(cpu, CC_ADD_S32, old, b);
			fixpt_ovf(cpu, (int32_t)((old ^ nv) & (b ^ nv)) < 0);
		} else if (in->op == OP_LAAL) {
			cc_set(cpu, CC_ADD_U32, old, b);
		} else {
			cc_set(cpu, CC_NZ, nv, 0);
		}
		break;
	}
	case OP_LAAG: case OP_LAALG: case OP_LANG: case OP_LAOG: case OP_LAXG: {
		a = EA_2;
		ALIGNED(a, 8);
		uint64_t b = R(r3), old = ld64(cpu, a), nv;
		do {
			switch (in->op) {
			case OP_LANG: nv = old & b; break;
			case OP_LAOG: nv = old | b; break;
			case OP_LAXG: nv = old ^ b; break;
			default: nv = old + b; break;
			}
		} while (!cas64(cpu, a, &old, nv));
		R(r1) = old;
		if (in->op == OP_LAAG) {
			cc_set(cpu, CC_ADD_S64, old, b);
			fixpt_ovf(cpu, (int64_t)((old ^ nv) & (b ^ nv)) < 0);
		} else if (in->op == OP_LAALG) {
			cc_set(cpu, CC_ADD_U64, old, b);
		} else {
			cc_set(cpu, CC_NZ, nv, 0);
		}
		break;
	}

	/* ---- PSW, CC, program mask ---- */
	case OP_IPM:
		R(r1) = (R(r1) & ~0xFF000000ULL) | (uint64_t)cc_compute(cpu) << 28 |
			((cpu->psw_mask & PSW_MASK_PM) >> 16);
		break;
	case OP_SPM:
		cc_const(cpu, (L32(r1) >> 28) & 3);
		cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_PM) |
				((uint64_t)((L32(r1) >> 24) & 0xF) << 40);
		break;
	case OP_EPSW:
		cc_to_psw(cpu);
		W32(r1, cpu->psw_mask >> 32);
		if (r2)
			W32(r2, cpu->psw_mask);
		break;
	case OP_SAM24:
		if (cpu->psw_addr > 0xFFFFFF)
			spec(cpu);
		cpu->psw_mask &= ~PSW_MASK_64;
		break;
	case OP_SAM31:
		if (cpu->psw_addr > 0x7FFFFFFF)
			spec(cpu);
		cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_64) | PSW_MASK_BA;
		break;
	case OP_SAM64:
		cpu->psw_mask |= PSW_MASK_64;
		break;
	case OP_SVC:
		s390_lc_put16(cpu, LC_SVC_ILC, cpu->cur_ilen);
		s390_lc_put16(cpu, LC_SVC_CODE, (uint8_t)I2);
		s390_cpu_psw_swap(cpu, LC_SVC_OLD, LC_SVC_NEW);
		if (!s390_psw_valid(cpu->psw_mask, cpu->psw_addr))
			s390_pgm_early(cpu, PGM_SPECIFICATION);
		break;

	/* ---- privileged control ---- */
	case OP_LPSW: case OP_LPSWE: {
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		uint64_t m, ad;
		if (in->op == OP_LPSWE) {
			m = ld64(cpu, a);
			ad = ld64(cpu, (a + 8) & am);
		} else {
			uint64_t s = ld64(cpu, a);
			if (!(s & PSW_MASK_SHORT))
				spec(cpu);
			m = (s & 0xFFFFFFFF00000000ULL & ~PSW_MASK_SHORT) |
			    ((s & 0x80000000ULL) ? PSW_MASK_BA : 0);
			ad = s & 0x7FFFFFFFULL;
		}
		cpu->bea = cpu->cur_addr;
		s390_load_psw(cpu, m, ad);
		if (!s390_psw_valid(m, ad))
			s390_pgm_early(cpu, PGM_SPECIFICATION);
		return S390_EV_IRQ_WINDOW;
	}
	case OP_SSM: {
		PRIV();
		uint8_t b = ld8(cpu, EA_2);
		if (b & 0xB8)   /* bits 0, 2-4 must be zero */
			spec(cpu);
		cpu->psw_mask = (cpu->psw_mask & 0x00FFFFFFFFFFFFFFULL) | (uint64_t)b << 56;
		return S390_EV_IRQ_WINDOW;
	}
	case OP_STNSM: case OP_STOSM: {
		PRIV();
		a = EA_1;
		uint8_t old = (uint8_t)(cpu->psw_mask >> 56);
		uint8_t nb = in->op == OP_STNSM ? old & (uint8_t)I2 : old | (uint8_t)I2;
		if (nb & 0xB8)
			spec(cpu);
		st8(cpu, a, old);
		cpu->psw_mask = (cpu->psw_mask & 0x00FFFFFFFFFFFFFFULL) | (uint64_t)nb << 56;
		return S390_EV_IRQ_WINDOW;
	}
	case OP_LCTL: case OP_LCTLG: case OP_STCTL: case OP_STCTG: {
		PRIV();
		bool g = in->op == OP_LCTLG || in->op == OP_STCTG;
		bool st = in->op == OP_STCTL || in->op == OP_STCTG;
		unsigned n = ((r3 - r1) & 15) + 1, sz = g ? 8 : 4;
		uint64_t vals[16];
		a = EA_2;
		ALIGNED(a, sz);
		s390_probe(cpu, a, (uint64_t)n * sz, st ? ACC_STORE : ACC_FETCH);
		for (unsigned i = 0; i < n; i++) {
			unsigned c = (r1 + i) & 15;
			uint64_t x = (a + (uint64_t)i * sz) & am;
			if (st) {
				if (g)
					st64(cpu, x, cpu->cr[c]);
				else
					st32(cpu, x, (uint32_t)cpu->cr[c]);
			} else
				vals[i] = g ? ld64(cpu, x) : ld32(cpu, x);
		}
		if (st)
			break;
		for (unsigned i = 0; i < n; i++) {
			unsigned c = (r1 + i) & 15;
			cpu->cr[c] = g ? vals[i] :
				(cpu->cr[c] & 0xFFFFFFFF00000000ULL) | (uint32_t)vals[i];
		}
		s390_tlb_flush(cpu);
		return S390_EV_IRQ_WINDOW;
	}
	case OP_SPX: {
		PRIV();
		a = EA_2;
		ALIGNED(a, 4);
		uint32_t p = ld32(cpu, a) & 0x7FFFE000u;
		if ((uint64_t)p + 0x2000 > cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		cpu->prefix = p;
		s390_tlb_flush(cpu);
		s390_icache_flush(cpu);
		break;
	}
	case OP_PTLB:
		PRIV();
		s390_tlb_flush(cpu);
		break;
	case OP_STPX:
		PRIV();
		a = EA_2;
		ALIGNED(a, 4);
		st32(cpu, a, cpu->prefix);
		break;
	case OP_STAP:
		PRIV();
		a = EA_2;
		ALIGNED(a, 2);
		st16(cpu, a, cpu->cpu_addr);
		break;
	case OP_STIDP:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, cpu->cpuid);
		break;
	case OP_STCK: case OP_STCKF:
		st64(cpu, EA_2, s390_tod_now(cpu));
		cc_const(cpu, 0);
		break;
	case OP_STCKE: {
		a = EA_2;
		s390_probe(cpu, a, 16, ACC_STORE);
		uint64_t t = s390_tod_now(cpu);
		/* epoch index 0, TOD bits 0-63, zeros, programmable field */
		st8(cpu, a, 0);
		st64(cpu, (a + 1) & am, t);
		st32(cpu, (a + 9) & am, 0);
		st8(cpu, (a + 13) & am, 0);
		st16(cpu, (a + 14) & am, (uint16_t)cpu->todpr);
		cc_const(cpu, 0);
		break;
	}
	case OP_SCK: {
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		uint64_t t = ld64(cpu, a);
		if (cpu->tod_set) {
			cpu->tod_set(cpu->tod_opaque, t);
		} else {
			cpu->tod_epoch = 0;
			cpu->tod_epoch = (int64_t)(t - s390_tod_now(cpu));
		}
		cc_const(cpu, 0);
		break;
	}
	case OP_SCKC:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		cpu->ckc = ld64(cpu, a);
		return S390_EV_IRQ_WINDOW;
	case OP_STCKC:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, cpu->ckc);
		break;
	case OP_SPT:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		s390_cpu_set_cputm(cpu, (int64_t)ld64(cpu, a));
		return S390_EV_IRQ_WINDOW;
	case OP_STPT:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, (uint64_t)s390_cpu_get_cputm(cpu));
		break;
	case OP_SCKPF:
		PRIV();
		if (L32(0) & 0xFFFF0000u)
			spec(cpu);
		cpu->todpr = L32(0) & 0xFFFF;
		break;
	case OP_STFL: {
		PRIV();
		uint8_t *p = s390_lowcore(cpu, LC_STFL, 4);
		if (p)
			put_be32(p, (uint32_t)(s390_facilities[0] >> 32));
		break;
	}
	case OP_STFLE: {
		a = EA_2;
		ALIGNED(a, 8);
		unsigned want = (unsigned)(R(0) & 0xFF) + 1, have = 1; /* dw 1 is empty */
		unsigned n = want < have ? want : have;
		for (unsigned i = 0; i < n; i++)
			st64(cpu, (a + 8 * i) & am, s390_facilities[i]);
		R(0) = (R(0) & ~0xFFULL) | (have - 1);
		cc_const(cpu, want >= have ? 0 : 3);
		break;
	}
	case OP_ISKE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		R(r1) = (R(r1) & ~0xFFULL) | (cpu->mem->keys[abs >> 12] & 0xFE);
		break;
	}
	case OP_SSKE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		cpu->mem->keys[abs >> 12] = (uint8_t)R(r1) & 0xFE;
		s390_tlb_flush(cpu);
		s390_icache_flush(cpu);
		break;
	}
	case OP_RRBE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		uint8_t *k = &cpu->mem->keys[abs >> 12];
		cc_const(cpu, (*k & SKEY_R ? 2 : 0) | (*k & SKEY_C ? 1 : 0));
		*k &= (uint8_t)~SKEY_R;
		s390_tlb_flush(cpu);
		break;
	}
	case OP_TPROT: {
		PRIV();
		a = EA_1;
		uint64_t abs = s390_real_to_abs(cpu->prefix, a);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		unsigned key = (unsigned)(EA_2 >> 4) & 0xF, sk = cpu->mem->keys[abs >> 12];
		if (!key || key == sk >> 4)
			cc_const(cpu, 0);
		else
			cc_const(cpu, (sk & SKEY_F) ? 2 : 1);
		break;
	}

	/* ---- handed to softkvm ---- */
	case OP_DIAG: case OP_SIGP: case OP_SERVC: case OP_STSI:
	case OP_CSCH: case OP_HSCH: case OP_MSCH: case OP_SSCH: case OP_STSCH:
	case OP_TSCH: case OP_TPI: case OP_SAL: case OP_RSCH: case OP_STCRW:
	case OP_STCPS: case OP_RCHP: case OP_SCHM: case OP_CHSC: case OP_SIGA:
	case OP_XSCH:
		PRIV();
		return icpt(cpu, in);
	}
out:
	;
	}
}

/* ------------------------------------------------------------------ */
/* the loop */

/* decode-cache miss: fetch (access exceptions with ILC 2), decode, fill */
static const struct s390_insn *fetch_slow(struct s390_cpu *cpu, uint64_t addr,
					  struct s390_insn *scratch)
{
	unsigned idx = (unsigned)(addr >> 1) & (S390_ICACHE_SIZE - 1);

	if (addr & 1)
		s390_pgm_early(cpu, PGM_SPECIFICATION);
	cpu->stat_icache_miss++;
	/* an access exception on fetch is reported with ILC 2 */
	cpu->cur_addr = addr;
	cpu->cur_ilen = 2;
	uint8_t b[6];
	uint8_t *p = tlb_host(cpu, addr, ACC_IFETCH);
	unsigned len = s390_insn_len(*p);
	uint64_t am = amode_mask(cpu->psw_mask);
	bool cross = (addr & 0xFFF) + len > 0x1000;

	if (!cross)
		memcpy(b, p, len);
	else
		for (unsigned i = 0; i < len; i++)
			b[i] = *tlb_host(cpu, (addr + i) & am, ACC_IFETCH);
	if (cross) {
		s390_decode(b, scratch);
		return scratch;
	}
	s390_decode(b, &cpu->icache[idx]);
	cpu->icache_tag[idx] = addr;
	cpu->icache_ipage[idx] = (uint64_t)(p - cpu->mem->ram) & PAGE_MASK_4K;
	return &cpu->icache[idx];
}

enum s390_event s390_cpu_run(struct s390_cpu *cpu, int64_t budget)
{
	jmp_buf jb;
	int ev;

	cc_from_psw(cpu);
	cpu->budget = budget;
	cpu->exc = &jb;
	if (setjmp(jb)) {
		ev = s390_deliver_pgm(cpu);
		if (ev != S390_EV_BUDGET)
			goto leave;
	}
	ev = run_loop(cpu);
leave:
	cpu->stat_insns += (uint64_t)(budget - cpu->budget);
	cpu->exc = NULL;
	cc_to_psw(cpu);
	return (enum s390_event)ev;
}
