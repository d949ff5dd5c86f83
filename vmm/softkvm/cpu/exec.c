// SPDX-License-Identifier: MIT
/*
 * The execution loop and the instruction handlers.
 *
 * s390_cpu_run() runs blocks of decoded instructions, jumping from one
 * handler to the next (threaded code: a label per operation, a dispatch at
 * the end of every handler; see run_loop()). Handlers see the decoded
 * fields, read and write registers directly, go through the inline
 * accessors of internal.h for storage, record the condition code lazily
 * and raise program interruptions with s390_pgm(), which unwinds to the
 * loop with longjmp. psw_addr is not kept up to date inside the loop: the
 * next sequential address is NPC, and handlers that leave store it.
 */
#include "softkvm/cpu/jit.h"

#define CR0_AFP 0x0000000000040000ULL

/* ------------------------------------------------------------------ */
/* helpers for handlers */

#define R(n)   (cpu->gpr[n])
#define L32(n) ((uint32_t)cpu->gpr[n])
#define H32(n) ((uint32_t)(cpu->gpr[n] >> 32))
#define W32(n, v) (cpu->gpr[n] = (cpu->gpr[n] & 0xFFFFFFFF00000000ULL) | (uint32_t)(v))
#define WH32(n, v) (cpu->gpr[n] = (cpu->gpr[n] & 0xFFFFFFFFULL) | (uint64_t)(uint32_t)(v) << 32)

static inline uint64_t ea(const struct s390_cpu *cpu, uint64_t am, unsigned x,
			  unsigned b, int32_t d)
{
	uint64_t a = (uint64_t)(int64_t)d;
	if (x)
		a += cpu->gpr[x];
	if (b)
		a += cpu->gpr[b];
	return a & am;
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
	uint32_t v = (uint32_t)(cpu->cur_in->ilen / 2) << 30 | cc_compute(cpu) << 28 |
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

/*
 * ss_op on host memory, for operands that each stay within one page (the
 * common case: a page holds them whole, so one TLB lookup each replaces
 * one per byte). The result is that of the byte-by-byte definition, also
 * for overlapping operands (MVC propagating a byte). Returns the CC, or
 * -1 for MVC, which sets none.
 */
static int ss_host(enum ss_kind k, uint8_t *d, const uint8_t *s, unsigned len)
{
	unsigned nz = 0;

	switch (k) {
	case SS_MVC:
		if (d > s && d < s + len) {
			for (unsigned i = 0; i < len; i++)
				d[i] = s[i];
		} else {
			memmove(d, s, len);
		}
		return -1;
	case SS_CLC:
		for (unsigned i = 0; i < len; i++)
			if (d[i] != s[i])
				return d[i] < s[i] ? 1 : 2;
		return 0;
	case SS_XC:
		if (d == s) {	/* the idiom that clears storage */
			memset(d, 0, len);
			return 0;
		}
		for (unsigned i = 0; i < len; i++)
			nz |= d[i] ^= s[i];
		return nz != 0;
	case SS_NC:
		for (unsigned i = 0; i < len; i++)
			nz |= d[i] &= s[i];
		return nz != 0;
	default:	/* SS_OC; TR does not come here */
		for (unsigned i = 0; i < len; i++)
			nz |= d[i] |= s[i];
		return nz != 0;
	}
}

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
	if ((a1 & 0xFFF) + len <= 4096 && (a2 & 0xFFF) + len <= 4096) {
		const uint8_t *src = tlb_host(cpu, a2, ACC_FETCH);
		uint8_t *dst = tlb_host(cpu, a1, k == SS_CLC ? ACC_FETCH : ACC_STORE);
		int r = ss_host(k, dst, src, len);

		if (r >= 0)
			cc_const(cpu, (unsigned)r);
		return;
	}
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

/* ------------------------------------------------------------------ */
/* decoded blocks */

/* Control (most likely) does not go on to the next instruction, or what
 * follows is data: the block ends here. Only a matter of speed. */
static bool ends_block(const struct s390_insn *in)
{
	switch (in->op) {
	case OP_BCR:
		return in->r1 == 15 && in->r2;
	case OP_BC:
		return in->r1 == 15;
	case OP_BRC:
	case OP_BRCL:
		return in->m3 == 15;
	case OP_BAS: case OP_BASR: case OP_BAL: case OP_BALR: case OP_BRAS:
	case OP_BRASL: case OP_LPSW: case OP_LPSWE: case OP_SVC: case OP_INVALID:
		return true;
	default:
		return false;
	}
}

static void block_entry(struct s390_insn *e, const uint8_t *p, uint64_t addr,
			const void *const *handler)
{
	s390_decode(p, e);
	e->h = handler[e->op];
	e->addr = addr;
	e->npc = addr + e->ilen;
}

/* The entry after a block's last instruction: go on at addr. */
static void block_end(struct s390_insn *e, uint64_t addr, const void *end_h)
{
	e->op = OP_INVALID;
	e->ilen = 0;
	e->h = end_h;
	e->addr = e->npc = addr;
}

/*
 * Decode the block at ia into slot b: instructions of ia's page, up to
 * S390_IBLK_MAX, the end of the page or ends_block(). An instruction that
 * straddles the page boundary is decoded alone into the scratch block
 * and not cached: false.
 */
static bool block_build(struct s390_cpu *cpu, struct s390_iblk *b, uint64_t ia,
			const void *const *handler)
{
	struct s390_insn *x = cpu->icache + S390_ICACHE_SIZE;
	uint64_t am = amode_mask(cpu->psw_mask);
	const uint8_t *p = tlb_host(cpu, ia, ACC_IFETCH);
	unsigned off = (unsigned)ia & 0xFFF, len = s390_insn_len(*p), n = 0;
	uint64_t apage = (uint64_t)(p - cpu->mem->ram) - off;

	cpu->stat_icache_miss++;
	if (off + len > 0x1000) {
		uint8_t bytes[6];

		for (unsigned i = 0; i < len; i++)
			bytes[i] = *tlb_host(cpu, (ia + i) & am, ACC_IFETCH);
		block_entry(&x[0], bytes, ia, handler);
		block_end(&x[1], ia + len, cpu->end_h);
		return false;
	}
	/* mark before decoding: a later store into the page is seen */
	uint32_t gen = s390_code_mark(cpu, ia, apage);
	if (cpu->icache_used + S390_IBLK_MAX + 1 > S390_ICACHE_SIZE || cpu->jit_full)
		s390_icache_flush(cpu);

	struct s390_insn *e = cpu->icache + cpu->icache_used;
	const uint8_t *pg = cpu->mem->ram + apage;
	uint64_t addr = ia;

	while (n < S390_IBLK_MAX) {
		len = s390_insn_len(pg[off]);
		if (off + len > 0x1000)
			break;
		block_entry(&e[n], pg + off, addr, handler);
		off += len;
		addr += len;
		if (ends_block(&e[n++]) || off == 0x1000)
			break;
	}
	block_end(&e[n], addr, cpu->end_h);
	cpu->icache_used += n + 1;
	b->addr = ia;
	b->apage = apage;
	b->gen = gen;
	b->n = n;
	b->first = e;
	b->jit = NULL;
	b->hot = cpu->jit_after > 0 ? (uint16_t)cpu->jit_after : 0;
	if (cpu->jit_after == 0)
		s390_jit_compile(cpu, b, am);
	return true;
}

/*
 * The block to run at ia when the slot has none or one that needs more
 * budget than is left: decoded anew, or the first `left` instructions of
 * it copied into the scratch block with an end entry after them.
 */
static const struct s390_insn *block_get(struct s390_cpu *cpu, uint64_t ia,
					 int64_t left, const void *const *handler)
{
	struct s390_iblk *b = &cpu->iblk[(ia >> 1) & (S390_IBLK_SIZE - 1)];
	struct s390_insn *x = cpu->icache + S390_ICACHE_SIZE;

	/* what a program interruption on the fetch sees: ILC 2, the
	 * instruction counted, as if it had been decoded */
	cpu->cur_in = NULL;
	cpu->cur_addr = ia;
	cpu->cur_ilen = 2;
	cpu->psw_addr = ia;
	cpu->budget = left - 1;
	if (ia & 1)
		s390_pgm_early(cpu, PGM_SPECIFICATION);
	if (b->addr != ia || s390_code_gen(cpu->mem, b->apage) != b->gen) {
		if (!block_build(cpu, b, ia, handler)) {
			cpu->blk_apage = TLB_EMPTY;
			return x;
		}
	}
	cpu->blk_apage = b->apage;
	if (b->n <= left)
		return b->first;
	memcpy(x, b->first, (size_t)left * sizeof(*x));
	block_end(&x[left], b->first[left].addr, cpu->end_h);
	return x;
}

void s390_block_break(struct s390_cpu *cpu)
{
	/* the entry after the current one becomes an end entry: its
	 * address is where execution goes on */
	if (cpu->cur_in)
		((struct s390_insn *)cpu->cur_in)[1].h = cpu->end_h;
}

void s390_cur_sync(struct s390_cpu *cpu)
{
	const struct s390_insn *in = cpu->cur_in;

	if (!in)
		return;
	cpu->cur_addr = in->addr;
	cpu->cur_ilen = in->ilen;
	cpu->budget = cpu->blk_left - (in + 1 - cpu->blk_first);
	cpu->cur_in = NULL;
}

#define PRIV() do { \
	if (cpu->psw_mask & PSW_MASK_PSTATE) \
		s390_pgm(cpu, PGM_PRIVILEGED); \
} while (0)
#define ALIGNED(a, n) do { if ((a) & ((n) - 1)) spec(cpu); } while (0)
#define BRANCH(t) do { \
	a = (t) & am; \
	cpu->bea = cpu->cur_in->addr; \
	left -= in + 1 - first; \
	if (unlikely(cpu->kick)) { \
		cpu->cur_in = NULL; \
		cpu->psw_addr = a; \
		cpu->budget = left; \
		return S390_EV_STOPPED; \
	} \
	LOOKUP(a); \
} while (0)
/* leave run_loop() after this instruction (its budget is counted by
 * s390_cpu_run() from cur_in) */
/*
 * Run the decoded target of EXECUTE at ta as a block of its own: relative
 * forms count from ta, its successor is EXECUTE's, and cur_in stays at
 * EXECUTE (instruction address and ILC of interruptions, the count).
 */
#define EXECUTE(ta) do { \
	tin[0].h = handler[tin[0].op]; \
	tin[0].addr = (ta); \
	tin[0].npc = in->npc; \
	block_end(&tin[1], in->npc, &&lbl_END); \
	left -= in + 1 - first; \
	first = &tin[1]; \
	in = &tin[0]; \
	goto *in->h; \
} while (0)
/* go on at addr through slow: (PSW mask changed) */
#define MODE_CHANGED(addr) do { \
	cpu->psw_addr = (addr); \
	left -= in + 1 - first; \
	goto slow; \
} while (0)
#define LEAVE(ev) do { \
	cpu->psw_addr = NPC; \
	return (ev); \
} while (0)
#define REL(off) (in->addr + (uint64_t)((int64_t)(off) * 2))
#define NPC     (in->npc & am)
#define EA_RX   ea(cpu, am, in->x2, in->b2, in->d2)
#define EA_2    ea(cpu, am, 0, in->b2, in->d2)
#define EA_1    ea(cpu, am, 0, in->b1, in->d1)
#define I2      (in->i2)
#define r1 (in->r1)
#define r2 (in->r2)
#define r3 (in->r3)

/*
 * The interpreter loop: find the decoded block, run its instructions,
 * repeat, until an event. Program interruptions leave it by longjmp.
 */

static int run_loop(struct s390_cpu *cpu)
{
	/* threaded dispatch: every handler label, indexed by operation */
	static const void *const handler[OP_MAX] = {
		[OP_INVALID] = &&lbl_INVALID,
#define INSN(name, key, fmt) [OP_##name] = &&lbl_##name,
#include "softkvm/cpu/insns.def"
#undef INSN
	};
	struct s390_insn tin[2];
	const struct s390_insn *in, *first;
	struct s390_iblk *blk;
	uint64_t ia, am, a, v;
	int64_t left;
	uint32_t w;
	bool nojit = false;
	s390_jit_fn jit_fn;

	/*
	 * Threaded code over decoded blocks. A block is an array of decoded
	 * instructions of one page, each holding its handler's address,
	 * and an end entry after them: NEXT is in++ and a jump to the
	 * handler, so nothing but the pointer carries from one instruction
	 * to the next. Every handler ends with its own copy of NEXT (or
	 * LOOKUP after a taken branch), so each has its own indirect branch
	 * for the predictor.
	 *
	 * The budget is charged per block: LOOKUP takes a block only if
	 * `left` (the budget at its start) covers all of it, otherwise a
	 * copy of as many instructions as are left. Leaving a block at in
	 * subtracts in + 1 - first. The only per-instruction store is
	 * cpu->cur_in, from which s390_cur_sync() derives the instruction
	 * address, ILC and budget for program interruptions and for
	 * s390_cpu_run() after a return; handlers read the next address
	 * as NPC.
	 */
#define LOOKUP(target) do { \
	ia = (target); \
	if (unlikely(left <= 0)) { \
		cpu->cur_in = NULL; \
		cpu->psw_addr = ia; \
		cpu->budget = left; \
		return S390_EV_BUDGET; \
	} \
	blk = &cpu->iblk[(ia >> 1) & (S390_IBLK_SIZE - 1)]; \
	if (likely(blk->addr == ia && \
		   s390_code_gen(cpu->mem, blk->apage) == blk->gen)) { \
		if (blk->jit && JIT_FITS(blk)) \
			goto jit_run; \
		if (likely(blk->n <= left)) { \
			if (unlikely(blk->hot) && --blk->hot == 0) \
				s390_jit_compile(cpu, blk, am); \
			in = blk->first; \
			cpu->blk_apage = blk->apage; \
		} else { \
			in = block_get(cpu, ia, left, handler); \
		} \
	} else { \
		in = block_get(cpu, ia, left, handler); \
		/* translated as it was decoded (jit_after 0) */ \
		if (blk->jit && blk->addr == ia && JIT_FITS(blk) && \
		    s390_code_gen(cpu->mem, blk->apage) == blk->gen) \
			goto jit_run; \
	} \
	nojit = false; \
	first = in; \
	cpu->blk_first = in; \
	cpu->blk_left = left; \
	cpu->cur_in = in; \
	goto *in->h; \
} while (0)
/* a translated block may run: budget, addressing mode, and not right
 * after it bailed out at this address */
#define JIT_FITS(b) ((b)->jit_n <= left && (b)->jit_am == am && !nojit)
#define NEXT do { \
	in++; \
	cpu->cur_in = in; \
	goto *in->h; \
} while (0)

	left = cpu->budget;
	cpu->cur_in = NULL;
	cpu->end_h = &&lbl_END;

	/* after anything that changed the PSW mask: events, addressing
	 * mode; psw_addr and left are up to date */
slow:
	cpu->cur_in = NULL;
	cpu->budget = left;
	if (unlikely(cpu->psw_mask & (PSW_MASK_WAIT | PSW_MASK_DAT)))
		return wait_event(cpu);
	if (unlikely(cpu->kick))
		return S390_EV_STOPPED;
	am = amode_mask(cpu->psw_mask);
	LOOKUP(cpu->psw_addr);

	/* the end of a block (or of an executed instruction): go on at
	 * in->addr, this entry is no instruction */
lbl_END:
	left -= in - first;
	LOOKUP(in->addr & am);

	/* a translated block: it charges the budget itself; after a
	 * bail-out the interpreter runs the block at the returned address
	 * once */
jit_run:
	cpu->cur_in = NULL;
	cpu->budget = left;
	memcpy(&jit_fn, &blk->jit, sizeof(jit_fn));
	ia = jit_fn(cpu);
	cpu->stat_jit_insns += (uint64_t)(left - cpu->budget);
	left = cpu->budget;
	nojit = cpu->jit_bail;
	cpu->jit_bail = 0;
	if (unlikely(cpu->kick)) {
		cpu->psw_addr = ia;
		return S390_EV_STOPPED;
	}
	LOOKUP(ia);

	switch ((enum s390_op)in->op) {
	case OP_INVALID: lbl_INVALID:
	case OP_MAX:
		s390_pgm(cpu, PGM_OPERATION);

	/* ---- loads and stores ---- */
	case OP_LR: lbl_LR:    W32(r1, L32(r2)); NEXT;
	case OP_LGR: lbl_LGR:   R(r1) = R(r2); NEXT;
	case OP_LGFR: lbl_LGFR:  R(r1) = (uint64_t)(int32_t)L32(r2); NEXT;
	case OP_LLGFR: lbl_LLGFR: R(r1) = L32(r2); NEXT;
	case OP_LLGTR: lbl_LLGTR: R(r1) = L32(r2) & 0x7FFFFFFFu; NEXT;
	case OP_LGBR: lbl_LGBR:  R(r1) = (uint64_t)(int8_t)R(r2); NEXT;
	case OP_LGHR: lbl_LGHR:  R(r1) = (uint64_t)(int16_t)R(r2); NEXT;
	case OP_LBR: lbl_LBR:   W32(r1, (int8_t)R(r2)); NEXT;
	case OP_LHR: lbl_LHR:   W32(r1, (int16_t)R(r2)); NEXT;
	case OP_LLGCR: lbl_LLGCR: R(r1) = (uint8_t)R(r2); NEXT;
	case OP_LLGHR: lbl_LLGHR: R(r1) = (uint16_t)R(r2); NEXT;
	case OP_LLCR: lbl_LLCR:  W32(r1, (uint8_t)R(r2)); NEXT;
	case OP_LLHR: lbl_LLHR:  W32(r1, (uint16_t)R(r2)); NEXT;
	case OP_LTR: lbl_LTR:   W32(r1, L32(r2)); cc_set(cpu, CC_S32, L32(r2), 0); NEXT;
	case OP_LTGR: lbl_LTGR:  R(r1) = R(r2); cc_set(cpu, CC_S64, R(r2), 0); NEXT;
	case OP_LTGFR: lbl_LTGFR: R(r1) = (uint64_t)(int32_t)L32(r2); cc_set(cpu, CC_S64, R(r1), 0); NEXT;
	case OP_LCR: lbl_LCR:   lcr32(cpu, r1, L32(r2)); NEXT;
	case OP_LCGR: lbl_LCGR:  lcr64(cpu, r1, R(r2)); NEXT;
	case OP_LCGFR: lbl_LCGFR: lcr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_LPR: lbl_LPR:   lpr32(cpu, r1, L32(r2)); NEXT;
	case OP_LPGR: lbl_LPGR:  lpr64(cpu, r1, R(r2)); NEXT;
	case OP_LPGFR: lbl_LPGFR: lpr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_LNR: lbl_LNR:   lnr32(cpu, r1, L32(r2)); NEXT;
	case OP_LNGR: lbl_LNGR:  lnr64(cpu, r1, R(r2)); NEXT;
	case OP_LNGFR: lbl_LNGFR: lnr64(cpu, r1, (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_LRVR: lbl_LRVR:  W32(r1, __builtin_bswap32(L32(r2))); NEXT;
	case OP_LRVGR: lbl_LRVGR: R(r1) = __builtin_bswap64(R(r2)); NEXT;

	case OP_L: lbl_L: case OP_LY: lbl_LY: W32(r1, ld32(cpu, EA_RX)); NEXT;
	case OP_LG: lbl_LG:    R(r1) = ld64(cpu, EA_RX); NEXT;
	case OP_LGF: lbl_LGF:   R(r1) = (uint64_t)(int32_t)ld32(cpu, EA_RX); NEXT;
	case OP_LLGF: lbl_LLGF:  R(r1) = ld32(cpu, EA_RX); NEXT;
	case OP_LLGT: lbl_LLGT:  R(r1) = ld32(cpu, EA_RX) & 0x7FFFFFFFu; NEXT;
	case OP_LH: lbl_LH: case OP_LHY: lbl_LHY: W32(r1, (int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_LGH: lbl_LGH:   R(r1) = (uint64_t)(int16_t)ld16(cpu, EA_RX); NEXT;
	case OP_LLH: lbl_LLH:   W32(r1, ld16(cpu, EA_RX)); NEXT;
	case OP_LLGH: lbl_LLGH:  R(r1) = ld16(cpu, EA_RX); NEXT;
	case OP_LB: lbl_LB:    W32(r1, (int8_t)ld8(cpu, EA_RX)); NEXT;
	case OP_LGB: lbl_LGB:   R(r1) = (uint64_t)(int8_t)ld8(cpu, EA_RX); NEXT;
	case OP_LLC: lbl_LLC:   W32(r1, ld8(cpu, EA_RX)); NEXT;
	case OP_LLGC: lbl_LLGC:  R(r1) = ld8(cpu, EA_RX); NEXT;
	case OP_IC: lbl_IC: case OP_ICY: lbl_ICY: R(r1) = (R(r1) & ~0xFFULL) | ld8(cpu, EA_RX); NEXT;
	case OP_LT: lbl_LT:    w = ld32(cpu, EA_RX); W32(r1, w); cc_set(cpu, CC_S32, w, 0); NEXT;
	case OP_LTG: lbl_LTG:   R(r1) = ld64(cpu, EA_RX); cc_set(cpu, CC_S64, R(r1), 0); NEXT;
	case OP_LTGF: lbl_LTGF:  R(r1) = (uint64_t)(int32_t)ld32(cpu, EA_RX); cc_set(cpu, CC_S64, R(r1), 0); NEXT;
	case OP_LRV: lbl_LRV:   W32(r1, __builtin_bswap32(ld32(cpu, EA_RX))); NEXT;
	case OP_LRVG: lbl_LRVG:  R(r1) = __builtin_bswap64(ld64(cpu, EA_RX)); NEXT;
	case OP_LRVH: lbl_LRVH:  R(r1) = (R(r1) & ~0xFFFFULL) | __builtin_bswap16(ld16(cpu, EA_RX)); NEXT;
	case OP_ST: lbl_ST: case OP_STY: lbl_STY: st32(cpu, EA_RX, L32(r1)); NEXT;
	case OP_STG: lbl_STG:   st64(cpu, EA_RX, R(r1)); NEXT;
	case OP_STH: lbl_STH: case OP_STHY: lbl_STHY: st16(cpu, EA_RX, (uint16_t)R(r1)); NEXT;
	case OP_STC: lbl_STC: case OP_STCY: lbl_STCY: st8(cpu, EA_RX, (uint8_t)R(r1)); NEXT;
	case OP_STRV: lbl_STRV:  st32(cpu, EA_RX, __builtin_bswap32(L32(r1))); NEXT;
	case OP_STRVG: lbl_STRVG: st64(cpu, EA_RX, __builtin_bswap64(R(r1))); NEXT;
	case OP_STRVH: lbl_STRVH: st16(cpu, EA_RX, __builtin_bswap16((uint16_t)R(r1))); NEXT;
	case OP_LA: lbl_LA: case OP_LAY: lbl_LAY: set_addr(cpu, r1, EA_RX); NEXT;
	case OP_LARL: lbl_LARL:  set_addr(cpu, r1, REL(I2) & am); NEXT;

	case OP_LHI: lbl_LHI:   W32(r1, (uint32_t)I2); NEXT;
	case OP_LGHI: lbl_LGHI:  R(r1) = (uint64_t)I2; NEXT;
	case OP_LGFI: lbl_LGFI:  R(r1) = (uint64_t)I2; NEXT;
	case OP_LLIHH: lbl_LLIHH: R(r1) = (uint64_t)(uint16_t)I2 << 48; NEXT;
	case OP_LLIHL: lbl_LLIHL: R(r1) = (uint64_t)(uint16_t)I2 << 32; NEXT;
	case OP_LLILH: lbl_LLILH: R(r1) = (uint64_t)(uint16_t)I2 << 16; NEXT;
	case OP_LLILL: lbl_LLILL: R(r1) = (uint16_t)I2; NEXT;
	case OP_LLIHF: lbl_LLIHF: R(r1) = (uint64_t)(uint32_t)I2 << 32; NEXT;
	case OP_LLILF: lbl_LLILF: R(r1) = (uint32_t)I2; NEXT;
	case OP_IIHH: lbl_IIHH:  R(r1) = (R(r1) & ~(0xFFFFULL << 48)) | (uint64_t)(uint16_t)I2 << 48; NEXT;
	case OP_IIHL: lbl_IIHL:  R(r1) = (R(r1) & ~(0xFFFFULL << 32)) | (uint64_t)(uint16_t)I2 << 32; NEXT;
	case OP_IILH: lbl_IILH:  R(r1) = (R(r1) & ~(0xFFFFULL << 16)) | (uint64_t)(uint16_t)I2 << 16; NEXT;
	case OP_IILL: lbl_IILL:  R(r1) = (R(r1) & ~0xFFFFULL) | (uint16_t)I2; NEXT;
	case OP_IIHF: lbl_IIHF:  WH32(r1, I2); NEXT;
	case OP_IILF: lbl_IILF:  W32(r1, I2); NEXT;

	case OP_LRL: lbl_LRL:   a = REL(I2) & am; ALIGNED(a, 4); W32(r1, ld32(cpu, a)); NEXT;
	case OP_LGRL: lbl_LGRL:  a = REL(I2) & am; ALIGNED(a, 8); R(r1) = ld64(cpu, a); NEXT;
	case OP_LGFRL: lbl_LGFRL: a = REL(I2) & am; ALIGNED(a, 4); R(r1) = (uint64_t)(int32_t)ld32(cpu, a); NEXT;
	case OP_LLGFRL: lbl_LLGFRL: a = REL(I2) & am; ALIGNED(a, 4); R(r1) = ld32(cpu, a); NEXT;
	case OP_LHRL: lbl_LHRL:  W32(r1, (int16_t)ld16(cpu, REL(I2) & am)); NEXT;
	case OP_LGHRL: lbl_LGHRL: R(r1) = (uint64_t)(int16_t)ld16(cpu, REL(I2) & am); NEXT;
	case OP_LLHRL: lbl_LLHRL: W32(r1, ld16(cpu, REL(I2) & am)); NEXT;
	case OP_LLGHRL: lbl_LLGHRL: R(r1) = ld16(cpu, REL(I2) & am); NEXT;
	case OP_STRL: lbl_STRL:  a = REL(I2) & am; ALIGNED(a, 4); st32(cpu, a, L32(r1)); NEXT;
	case OP_STGRL: lbl_STGRL: a = REL(I2) & am; ALIGNED(a, 8); st64(cpu, a, R(r1)); NEXT;
	case OP_STHRL: lbl_STHRL: st16(cpu, REL(I2) & am, (uint16_t)R(r1)); NEXT;

	case OP_MVI: lbl_MVI: case OP_MVIY: lbl_MVIY: st8(cpu, EA_1, (uint8_t)I2); NEXT;
	case OP_MVHHI: lbl_MVHHI: st16(cpu, EA_1, (uint16_t)I2); NEXT;
	case OP_MVHI: lbl_MVHI:  st32(cpu, EA_1, (uint32_t)I2); NEXT;
	case OP_MVGHI: lbl_MVGHI: st64(cpu, EA_1, (uint64_t)I2); NEXT;

	case OP_LM: lbl_LM: case OP_LMY: lbl_LMY: case OP_LMG: lbl_LMG: case OP_STM: lbl_STM: case OP_STMY: lbl_STMY: case OP_STMG: lbl_STMG: {
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
		NEXT;
	}

	case OP_ICM: lbl_ICM:  W32(r1, icm(cpu, L32(r1), in->m3, EA_2)); NEXT;
	case OP_ICMY: lbl_ICMY: W32(r1, icm(cpu, L32(r1), in->m3, EA_2)); NEXT;
	case OP_ICMH: lbl_ICMH: WH32(r1, icm(cpu, H32(r1), in->m3, EA_2)); NEXT;
	case OP_STCM: lbl_STCM: case OP_STCMY: lbl_STCMY: stcm(cpu, L32(r1), in->m3, EA_2); NEXT;
	case OP_STCMH: lbl_STCMH: stcm(cpu, H32(r1), in->m3, EA_2); NEXT;
	case OP_CLM: lbl_CLM: case OP_CLMY: lbl_CLMY: clm(cpu, L32(r1), in->m3, EA_2); NEXT;
	case OP_CLMH: lbl_CLMH: clm(cpu, H32(r1), in->m3, EA_2); NEXT;

	case OP_LOCR: lbl_LOCR:  if (cond(cpu, in->m3)) W32(r1, L32(r2)); NEXT;
	case OP_LOCGR: lbl_LOCGR: if (cond(cpu, in->m3)) R(r1) = R(r2); NEXT;
	case OP_LOC: lbl_LOC:   w = ld32(cpu, EA_2); if (cond(cpu, in->m3)) W32(r1, w); NEXT;
	case OP_LOCG: lbl_LOCG:  v = ld64(cpu, EA_2); if (cond(cpu, in->m3)) R(r1) = v; NEXT;
	case OP_STOC: lbl_STOC:  if (cond(cpu, in->m3)) st32(cpu, EA_2, L32(r1)); NEXT;
	case OP_STOCG: lbl_STOCG: if (cond(cpu, in->m3)) st64(cpu, EA_2, R(r1)); NEXT;

	case OP_LOCHI: lbl_LOCHI:  if (cond(cpu, r3)) W32(r1, (uint32_t)I2); NEXT;
	case OP_LOCGHI: lbl_LOCGHI: if (cond(cpu, r3)) R(r1) = (uint64_t)I2; NEXT;

	case OP_PFD: lbl_PFD: case OP_PFDRL: lbl_PFDRL: NEXT;

	/* ---- floating-point registers as storage ---- */
	case OP_LD: lbl_LD: case OP_LDY: lbl_LDY: FPR_CHECK(r1); cpu->fpr[r1] = ld64(cpu, EA_RX); NEXT;
	case OP_STD: lbl_STD: case OP_STDY: lbl_STDY: FPR_CHECK(r1); st64(cpu, EA_RX, cpu->fpr[r1]); NEXT;
	case OP_LE: lbl_LE: case OP_LEY: lbl_LEY:
		FPR_CHECK(r1);
		cpu->fpr[r1] = (cpu->fpr[r1] & 0xFFFFFFFFULL) | (uint64_t)ld32(cpu, EA_RX) << 32;
		NEXT;
	case OP_STE: lbl_STE: case OP_STEY: lbl_STEY: FPR_CHECK(r1); st32(cpu, EA_RX, (uint32_t)(cpu->fpr[r1] >> 32)); NEXT;
	case OP_LDR: lbl_LDR: FPR_CHECK(r1); FPR_CHECK(r2); cpu->fpr[r1] = cpu->fpr[r2]; NEXT;
	case OP_LER: lbl_LER:
		FPR_CHECK(r1); FPR_CHECK(r2);
		cpu->fpr[r1] = (cpu->fpr[r1] & 0xFFFFFFFFULL) | (cpu->fpr[r2] & ~0xFFFFFFFFULL);
		NEXT;
	case OP_LZDR: lbl_LZDR: afp_check(cpu, r1, false); cpu->fpr[r1] = 0; NEXT;
	case OP_SFPC: lbl_SFPC: bfp_check(cpu); fpc_load(cpu, L32(r1)); NEXT;
	case OP_EFPC: lbl_EFPC: bfp_check(cpu); W32(r1, cpu->fpc); NEXT;
	case OP_LFPC: lbl_LFPC: bfp_check(cpu); fpc_load(cpu, ld32(cpu, EA_2)); NEXT;
	case OP_STFPC: lbl_STFPC: bfp_check(cpu); st32(cpu, EA_2, cpu->fpc); NEXT;
	case OP_LZER: lbl_LZER: afp_check(cpu, r1, false); cpu->fpr[r1] &= 0xFFFFFFFFULL; NEXT;
	case OP_LDGR: lbl_LDGR: afp_check(cpu, r1, true); cpu->fpr[r1] = R(r2); NEXT;
	case OP_LGDR: lbl_LGDR: afp_check(cpu, r2, true); R(r1) = cpu->fpr[r2]; NEXT;

	/* ---- arithmetic ---- */
	case OP_AR: lbl_AR:    add32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_ARK: lbl_ARK:   add32(cpu, r1, L32(r2), L32(r3)); NEXT;
	case OP_AGR: lbl_AGR:   add64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_AGRK: lbl_AGRK:  add64(cpu, r1, R(r2), R(r3)); NEXT;
	case OP_AGFR: lbl_AGFR:  add64(cpu, r1, R(r1), (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_A: lbl_A: case OP_AY: lbl_AY: add32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_AH: lbl_AH: case OP_AHY: lbl_AHY: add32(cpu, r1, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_AG: lbl_AG:    add64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_AGF: lbl_AGF:   add64(cpu, r1, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); NEXT;
	case OP_AHI: lbl_AHI: case OP_AFI: lbl_AFI: add32(cpu, r1, L32(r1), (uint32_t)I2); NEXT;
	case OP_AGHI: lbl_AGHI: case OP_AGFI: lbl_AGFI: add64(cpu, r1, R(r1), (uint64_t)I2); NEXT;
	case OP_AHIK: lbl_AHIK:  add32(cpu, r1, L32(r3), (uint32_t)I2); NEXT;
	case OP_AGHIK: lbl_AGHIK: add64(cpu, r1, R(r3), (uint64_t)I2); NEXT;
	case OP_ASI: lbl_ASI: {
		a = EA_1;
		w = ld32(cpu, a);
		uint32_t res = w + (uint32_t)(int8_t)I2;
		st32(cpu, a, res);
		cc_set(cpu, CC_ADD_S32, w, (uint32_t)(int8_t)I2);
		fixpt_ovf(cpu, (int32_t)((w ^ res) & ((uint32_t)(int8_t)I2 ^ res)) < 0);
		NEXT;
	}
	case OP_AGSI: lbl_AGSI: {
		a = EA_1;
		v = ld64(cpu, a);
		uint64_t b = (uint64_t)(int8_t)I2, res = v + b;
		st64(cpu, a, res);
		cc_set(cpu, CC_ADD_S64, v, b);
		fixpt_ovf(cpu, (int64_t)((v ^ res) & (b ^ res)) < 0);
		NEXT;
	}
	case OP_SR: lbl_SR:    sub32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_SRK: lbl_SRK:   sub32(cpu, r1, L32(r2), L32(r3)); NEXT;
	case OP_SGR: lbl_SGR:   sub64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_SGRK: lbl_SGRK:  sub64(cpu, r1, R(r2), R(r3)); NEXT;
	case OP_SGFR: lbl_SGFR:  sub64(cpu, r1, R(r1), (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_S: lbl_S: case OP_SY: lbl_SY: sub32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_SH: lbl_SH: case OP_SHY: lbl_SHY: sub32(cpu, r1, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_SG: lbl_SG:    sub64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_SGF: lbl_SGF:   sub64(cpu, r1, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); NEXT;

	case OP_ALR: lbl_ALR:   addl32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_ALRK: lbl_ALRK:  addl32(cpu, r1, L32(r2), L32(r3)); NEXT;
	case OP_ALGR: lbl_ALGR:  addl64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_ALGRK: lbl_ALGRK: addl64(cpu, r1, R(r2), R(r3)); NEXT;
	case OP_ALGFR: lbl_ALGFR: addl64(cpu, r1, R(r1), L32(r2)); NEXT;
	case OP_AL: lbl_AL: case OP_ALY: lbl_ALY: addl32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_ALG: lbl_ALG:   addl64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_ALGF: lbl_ALGF:  addl64(cpu, r1, R(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_ALFI: lbl_ALFI:  addl32(cpu, r1, L32(r1), (uint32_t)I2); NEXT;
	case OP_ALGFI: lbl_ALGFI: addl64(cpu, r1, R(r1), (uint32_t)I2); NEXT;
	case OP_ALHSIK: lbl_ALHSIK: addl32(cpu, r1, L32(r3), (uint32_t)I2); NEXT;
	case OP_ALGHSIK: lbl_ALGHSIK: addl64(cpu, r1, R(r3), (uint64_t)I2); NEXT;
	case OP_ALSI: lbl_ALSI: {
		a = EA_1;
		w = ld32(cpu, a);
		st32(cpu, a, w + (uint32_t)(int8_t)I2);
		cc_set(cpu, CC_ADD_U32, w, (uint32_t)(int8_t)I2);
		NEXT;
	}
	case OP_ALGSI: lbl_ALGSI: {
		a = EA_1;
		v = ld64(cpu, a);
		st64(cpu, a, v + (uint64_t)(int8_t)I2);
		cc_set(cpu, CC_ADD_U64, v, (uint64_t)(int8_t)I2);
		NEXT;
	}
	case OP_SLR: lbl_SLR:   subl32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_SLRK: lbl_SLRK:  subl32(cpu, r1, L32(r2), L32(r3)); NEXT;
	case OP_SLGR: lbl_SLGR:  subl64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_SLGRK: lbl_SLGRK: subl64(cpu, r1, R(r2), R(r3)); NEXT;
	case OP_SLGFR: lbl_SLGFR: subl64(cpu, r1, R(r1), L32(r2)); NEXT;
	case OP_SL: lbl_SL: case OP_SLY: lbl_SLY: subl32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_SLG: lbl_SLG:   subl64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_SLGF: lbl_SLGF:  subl64(cpu, r1, R(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_SLFI: lbl_SLFI:  subl32(cpu, r1, L32(r1), (uint32_t)I2); NEXT;
	case OP_SLGFI: lbl_SLGFI: subl64(cpu, r1, R(r1), (uint32_t)I2); NEXT;
	case OP_ALCR: lbl_ALCR:  alc32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_ALCGR: lbl_ALCGR: alc64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_ALC: lbl_ALC:   alc32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_ALCG: lbl_ALCG:  alc64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_SLBR: lbl_SLBR:  slb32(cpu, r1, L32(r1), L32(r2)); NEXT;
	case OP_SLBGR: lbl_SLBGR: slb64(cpu, r1, R(r1), R(r2)); NEXT;
	case OP_SLB: lbl_SLB:   slb32(cpu, r1, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_SLBG: lbl_SLBG:  slb64(cpu, r1, R(r1), ld64(cpu, EA_RX)); NEXT;

	/* multiply: no CC, no overflow for these */
	case OP_MSR: lbl_MSR:   W32(r1, L32(r1) * L32(r2)); NEXT;
	case OP_MS: lbl_MS: case OP_MSY: lbl_MSY: W32(r1, L32(r1) * ld32(cpu, EA_RX)); NEXT;
	case OP_MSFI: lbl_MSFI:  W32(r1, L32(r1) * (uint32_t)I2); NEXT;
	case OP_MH: lbl_MH: case OP_MHY: lbl_MHY: W32(r1, L32(r1) * (uint32_t)(int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_MHI: lbl_MHI:   W32(r1, L32(r1) * (uint32_t)I2); NEXT;
	case OP_MSGR: lbl_MSGR:  R(r1) = R(r1) * R(r2); NEXT;
	case OP_MSGFR: lbl_MSGFR: R(r1) = R(r1) * (uint64_t)(int32_t)L32(r2); NEXT;
	case OP_MSG: lbl_MSG:   R(r1) = R(r1) * ld64(cpu, EA_RX); NEXT;
	case OP_MSGF: lbl_MSGF:  R(r1) = R(r1) * (uint64_t)(int32_t)ld32(cpu, EA_RX); NEXT;
	case OP_MSGFI: lbl_MSGFI: case OP_MGHI: lbl_MGHI: R(r1) = R(r1) * (uint64_t)I2; NEXT;
	case OP_MR: lbl_MR: case OP_M: lbl_M: {
		even_reg(cpu, r1);
		int32_t m2 = (int32_t)(in->op == OP_MR ? L32(r2) : ld32(cpu, EA_RX));
		int64_t p = (int64_t)(int32_t)L32(r1 + 1) * m2;
		W32(r1, (uint64_t)p >> 32);
		W32(r1 + 1, (uint64_t)p);
		NEXT;
	}
	case OP_MLR: lbl_MLR: case OP_ML: lbl_ML: {
		even_reg(cpu, r1);
		uint32_t m2 = in->op == OP_MLR ? L32(r2) : ld32(cpu, EA_RX);
		uint64_t p = (uint64_t)L32(r1 + 1) * m2;
		W32(r1, p >> 32);
		W32(r1 + 1, p);
		NEXT;
	}
	case OP_MLGR: lbl_MLGR: case OP_MLG: lbl_MLG: {
		even_reg(cpu, r1);
		uint64_t m2 = in->op == OP_MLGR ? R(r2) : ld64(cpu, EA_RX);
		unsigned __int128 p = (unsigned __int128)R(r1 + 1) * m2;
		R(r1) = (uint64_t)(p >> 64);
		R(r1 + 1) = (uint64_t)p;
		NEXT;
	}

	/* divide: r1 even; quotient to r1+1, remainder to r1 */
	case OP_DR: lbl_DR: case OP_D: lbl_D: {
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
		NEXT;
	}
	case OP_DLR: lbl_DLR: case OP_DL: lbl_DL: {
		even_reg(cpu, r1);
		uint32_t d = in->op == OP_DLR ? L32(r2) : ld32(cpu, EA_RX);
		uint64_t n = (uint64_t)L32(r1) << 32 | L32(r1 + 1);
		if (d == 0 || n / d > 0xFFFFFFFFu)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		W32(r1, n % d);
		W32(r1 + 1, n / d);
		NEXT;
	}
	case OP_DSGR: lbl_DSGR: case OP_DSG: lbl_DSG: case OP_DSGFR: lbl_DSGFR: case OP_DSGF: lbl_DSGF: {
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
		NEXT;
	}
	case OP_DLGR: lbl_DLGR: case OP_DLG: lbl_DLG: {
		even_reg(cpu, r1);
		uint64_t d = in->op == OP_DLGR ? R(r2) : ld64(cpu, EA_RX);
		unsigned __int128 n = (unsigned __int128)R(r1) << 64 | R(r1 + 1);
		if (d == 0 || R(r1) >= d)
			s390_pgm(cpu, PGM_FIXPT_DIVIDE);
		R(r1) = (uint64_t)(n % d);
		R(r1 + 1) = (uint64_t)(n / d);
		NEXT;
	}

	/* ---- compare ---- */
	case OP_CR: lbl_CR:    cc_set(cpu, CC_CMP_S32, L32(r1), L32(r2)); NEXT;
	case OP_CGR: lbl_CGR:   cc_set(cpu, CC_CMP_S64, R(r1), R(r2)); NEXT;
	case OP_CGFR: lbl_CGFR:  cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)L32(r2)); NEXT;
	case OP_C: lbl_C: case OP_CY: lbl_CY: cc_set(cpu, CC_CMP_S32, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_CH: lbl_CH: case OP_CHY: lbl_CHY: cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)(int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_CG: lbl_CG:    cc_set(cpu, CC_CMP_S64, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_CGF: lbl_CGF:   cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)ld32(cpu, EA_RX)); NEXT;
	case OP_CGH: lbl_CGH:   cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int16_t)ld16(cpu, EA_RX)); NEXT;
	case OP_CHI: lbl_CHI: case OP_CFI: lbl_CFI: cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)I2); NEXT;
	case OP_CGHI: lbl_CGHI: case OP_CGFI: lbl_CGFI: cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)I2); NEXT;
	case OP_CLR: lbl_CLR:   cc_set(cpu, CC_CMP_U32, L32(r1), L32(r2)); NEXT;
	case OP_CLGR: lbl_CLGR:  cc_set(cpu, CC_CMP_U64, R(r1), R(r2)); NEXT;
	case OP_CLGFR: lbl_CLGFR: cc_set(cpu, CC_CMP_U64, R(r1), L32(r2)); NEXT;
	case OP_CL: lbl_CL: case OP_CLY: lbl_CLY: cc_set(cpu, CC_CMP_U32, L32(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_CLG: lbl_CLG:   cc_set(cpu, CC_CMP_U64, R(r1), ld64(cpu, EA_RX)); NEXT;
	case OP_CLGF: lbl_CLGF:  cc_set(cpu, CC_CMP_U64, R(r1), ld32(cpu, EA_RX)); NEXT;
	case OP_CLFI: lbl_CLFI:  cc_set(cpu, CC_CMP_U32, L32(r1), (uint32_t)I2); NEXT;
	case OP_CLGFI: lbl_CLGFI: cc_set(cpu, CC_CMP_U64, R(r1), (uint32_t)I2); NEXT;
	case OP_CLI: lbl_CLI: case OP_CLIY: lbl_CLIY: cc_set(cpu, CC_CMP_U32, ld8(cpu, EA_1), (uint8_t)I2); NEXT;
	case OP_CHHSI: lbl_CHHSI: cc_set(cpu, CC_CMP_S32, (uint32_t)(int16_t)ld16(cpu, EA_1), (uint32_t)I2); NEXT;
	case OP_CHSI: lbl_CHSI:  cc_set(cpu, CC_CMP_S32, ld32(cpu, EA_1), (uint32_t)I2); NEXT;
	case OP_CGHSI: lbl_CGHSI: cc_set(cpu, CC_CMP_S64, ld64(cpu, EA_1), (uint64_t)I2); NEXT;
	case OP_CLHHSI: lbl_CLHHSI: cc_set(cpu, CC_CMP_U32, ld16(cpu, EA_1), (uint16_t)I2); NEXT;
	case OP_CLFHSI: lbl_CLFHSI: cc_set(cpu, CC_CMP_U32, ld32(cpu, EA_1), (uint16_t)I2); NEXT;
	case OP_CLGHSI: lbl_CLGHSI: cc_set(cpu, CC_CMP_U64, ld64(cpu, EA_1), (uint16_t)I2); NEXT;
	case OP_CRL: lbl_CRL:   a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_S32, L32(r1), ld32(cpu, a)); NEXT;
	case OP_CGRL: lbl_CGRL:  a = REL(I2) & am; ALIGNED(a, 8); cc_set(cpu, CC_CMP_S64, R(r1), ld64(cpu, a)); NEXT;
	case OP_CGFRL: lbl_CGFRL: a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int32_t)ld32(cpu, a)); NEXT;
	case OP_CHRL: lbl_CHRL:  cc_set(cpu, CC_CMP_S32, L32(r1), (uint32_t)(int16_t)ld16(cpu, REL(I2) & am)); NEXT;
	case OP_CGHRL: lbl_CGHRL: cc_set(cpu, CC_CMP_S64, R(r1), (uint64_t)(int16_t)ld16(cpu, REL(I2) & am)); NEXT;
	case OP_CLRL: lbl_CLRL:  a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_U32, L32(r1), ld32(cpu, a)); NEXT;
	case OP_CLGRL: lbl_CLGRL: a = REL(I2) & am; ALIGNED(a, 8); cc_set(cpu, CC_CMP_U64, R(r1), ld64(cpu, a)); NEXT;
	case OP_CLGFRL: lbl_CLGFRL: a = REL(I2) & am; ALIGNED(a, 4); cc_set(cpu, CC_CMP_U64, R(r1), ld32(cpu, a)); NEXT;
	case OP_CLHRL: lbl_CLHRL: cc_set(cpu, CC_CMP_U32, L32(r1), ld16(cpu, REL(I2) & am)); NEXT;
	case OP_CLGHRL: lbl_CLGHRL: cc_set(cpu, CC_CMP_U64, R(r1), ld16(cpu, REL(I2) & am)); NEXT;

	/* compare and branch: m3 8 = equal, 4 = low, 2 = high */
	case OP_CRJ: lbl_CRJ:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), (int32_t)L32(r2)))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CGRJ: lbl_CGRJ:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), (int64_t)R(r2)))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CLRJ: lbl_CLRJ:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), L32(r2)))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CLGRJ: lbl_CLGRJ: if ((in->m3 >> (3 - cc_ucmp(R(r1), R(r2)))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CIJ: lbl_CIJ:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), I2))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CGIJ: lbl_CGIJ:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), I2))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CLIJ: lbl_CLIJ:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), (uint8_t)I2))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CLGIJ: lbl_CLGIJ: if ((in->m3 >> (3 - cc_ucmp(R(r1), (uint8_t)I2))) & 1) BRANCH(REL(in->ri)); NEXT;
	case OP_CRB: lbl_CRB:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), (int32_t)L32(r2)))) & 1) BRANCH(EA_2); NEXT;
	case OP_CGRB: lbl_CGRB:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), (int64_t)R(r2)))) & 1) BRANCH(EA_2); NEXT;
	case OP_CLRB: lbl_CLRB:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), L32(r2)))) & 1) BRANCH(EA_2); NEXT;
	case OP_CLGRB: lbl_CLGRB: if ((in->m3 >> (3 - cc_ucmp(R(r1), R(r2)))) & 1) BRANCH(EA_2); NEXT;
	case OP_CIB: lbl_CIB:   if ((in->m3 >> (3 - cc_scmp((int32_t)L32(r1), I2))) & 1) BRANCH(EA_2); NEXT;
	case OP_CGIB: lbl_CGIB:  if ((in->m3 >> (3 - cc_scmp((int64_t)R(r1), I2))) & 1) BRANCH(EA_2); NEXT;
	case OP_CLIB: lbl_CLIB:  if ((in->m3 >> (3 - cc_ucmp(L32(r1), (uint8_t)I2))) & 1) BRANCH(EA_2); NEXT;
	case OP_CLGIB: lbl_CLGIB: if ((in->m3 >> (3 - cc_ucmp(R(r1), (uint8_t)I2))) & 1) BRANCH(EA_2); NEXT;

	/* ---- logical ---- */
	case OP_NR: lbl_NR:   W32(r1, L32(r1) & L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_OR: lbl_OR:   W32(r1, L32(r1) | L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_XR: lbl_XR:   W32(r1, L32(r1) ^ L32(r2)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_NRK: lbl_NRK:  W32(r1, L32(r2) & L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_ORK: lbl_ORK:  W32(r1, L32(r2) | L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_XRK: lbl_XRK:  W32(r1, L32(r2) ^ L32(r3)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_NGR: lbl_NGR:  R(r1) &= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_OGR: lbl_OGR:  R(r1) |= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_XGR: lbl_XGR:  R(r1) ^= R(r2); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_NGRK: lbl_NGRK: R(r1) = R(r2) & R(r3); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_OGRK: lbl_OGRK: R(r1) = R(r2) | R(r3); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_XGRK: lbl_XGRK: R(r1) = R(r2) ^ R(r3); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_N: lbl_N: case OP_NY: lbl_NY: W32(r1, L32(r1) & ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_O: lbl_O: case OP_OY: lbl_OY: W32(r1, L32(r1) | ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_X: lbl_X: case OP_XY: lbl_XY: W32(r1, L32(r1) ^ ld32(cpu, EA_RX)); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_NG: lbl_NG:   R(r1) &= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_OG: lbl_OG:   R(r1) |= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_XG: lbl_XG:   R(r1) ^= ld64(cpu, EA_RX); cc_set(cpu, CC_NZ, R(r1), 0); NEXT;
	case OP_NIHF: lbl_NIHF: WH32(r1, H32(r1) & (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); NEXT;
	case OP_NILF: lbl_NILF: W32(r1, L32(r1) & (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_OIHF: lbl_OIHF: WH32(r1, H32(r1) | (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); NEXT;
	case OP_OILF: lbl_OILF: W32(r1, L32(r1) | (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_XIHF: lbl_XIHF: WH32(r1, H32(r1) ^ (uint32_t)I2); cc_set(cpu, CC_NZ, H32(r1), 0); NEXT;
	case OP_XILF: lbl_XILF: W32(r1, L32(r1) ^ (uint32_t)I2); cc_set(cpu, CC_NZ, L32(r1), 0); NEXT;
	case OP_NIHH: lbl_NIHH: case OP_NIHL: lbl_NIHL: case OP_NILH: lbl_NILH: case OP_NILL: lbl_NILL: {
		unsigned sh = 48 - 16 * (unsigned)(in->op - OP_NIHH);
		R(r1) &= ((uint64_t)(uint16_t)I2 << sh) | ~(0xFFFFULL << sh);
		cc_set(cpu, CC_NZ, (R(r1) >> sh) & 0xFFFF, 0);
		NEXT;
	}
	case OP_OIHH: lbl_OIHH: case OP_OIHL: lbl_OIHL: case OP_OILH: lbl_OILH: case OP_OILL: lbl_OILL: {
		unsigned sh = 48 - 16 * (unsigned)(in->op - OP_OIHH);
		R(r1) |= (uint64_t)(uint16_t)I2 << sh;
		cc_set(cpu, CC_NZ, (R(r1) >> sh) & 0xFFFF, 0);
		NEXT;
	}
	case OP_TMLH: lbl_TMLH: cc_const(cpu, tm16((uint16_t)(R(r1) >> 16), (uint16_t)I2)); NEXT;
	case OP_TMLL: lbl_TMLL: cc_const(cpu, tm16((uint16_t)R(r1), (uint16_t)I2)); NEXT;
	case OP_TMHH: lbl_TMHH: cc_const(cpu, tm16((uint16_t)(R(r1) >> 48), (uint16_t)I2)); NEXT;
	case OP_TMHL: lbl_TMHL: cc_const(cpu, tm16((uint16_t)(R(r1) >> 32), (uint16_t)I2)); NEXT;
	case OP_TM: lbl_TM: case OP_TMY: lbl_TMY: cc_const(cpu, tm8(ld8(cpu, EA_1), (uint8_t)I2)); NEXT;
	case OP_NI: lbl_NI: case OP_NIY: lbl_NIY: case OP_OI: lbl_OI: case OP_OIY: lbl_OIY: case OP_XI: lbl_XI: case OP_XIY: lbl_XIY: {
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
		NEXT;
	}

	case OP_MVCL: lbl_MVCL:
		even_reg(cpu, r1);
		even_reg(cpu, r2);
		cc_const(cpu, mvcl(cpu, r1, r2));
		NEXT;
	case OP_CLCL: lbl_CLCL:
		even_reg(cpu, r1);
		even_reg(cpu, r2);
		cc_const(cpu, clcl(cpu, r1, r2));
		NEXT;
	case OP_MVC: lbl_MVC: ss_op(cpu, SS_MVC, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_NC: lbl_NC:  ss_op(cpu, SS_NC, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_OC: lbl_OC:  ss_op(cpu, SS_OC, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_XC: lbl_XC:  ss_op(cpu, SS_XC, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_CLC: lbl_CLC: ss_op(cpu, SS_CLC, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_TR: lbl_TR:  ss_op(cpu, SS_TR, EA_1, EA_2, in->l1 + 1u); NEXT;
	case OP_TRT: lbl_TRT: trt(cpu, EA_1, EA_2, in->l1 + 1u); NEXT;

	case OP_MVST: lbl_MVST: {
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
		NEXT;
	}
	case OP_CLST: lbl_CLST: {
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
		NEXT;
	}
	case OP_SRST: lbl_SRST: {
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
		NEXT;
	}

	/* ---- shifts and rotates ---- */
	case OP_SLL: lbl_SLL:  W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r1) << (EA_2 & 63)); NEXT;
	case OP_SRL: lbl_SRL:  W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r1) >> (EA_2 & 63)); NEXT;
	case OP_SLLK: lbl_SLLK: W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r3) << (EA_2 & 63)); NEXT;
	case OP_SRLK: lbl_SRLK: W32(r1, (EA_2 & 63) > 31 ? 0 : L32(r3) >> (EA_2 & 63)); NEXT;
	case OP_SLLG: lbl_SLLG: R(r1) = R(r3) << (EA_2 & 63); NEXT;
	case OP_SRLG: lbl_SRLG: R(r1) = R(r3) >> (EA_2 & 63); NEXT;
	case OP_RLL: lbl_RLL:  W32(r1, rotl32(L32(r3), (unsigned)EA_2)); NEXT;
	case OP_RLLG: lbl_RLLG: R(r1) = rotl64(R(r3), (unsigned)EA_2); NEXT;
	case OP_SRA: lbl_SRA: case OP_SRAK: lbl_SRAK: {
		unsigned n = EA_2 & 63;
		int32_t x = (int32_t)L32(in->op == OP_SRA ? r1 : r3);
		w = (uint32_t)(x >> (n > 31 ? 31 : n));
		W32(r1, w);
		cc_set(cpu, CC_S32, w, 0);
		NEXT;
	}
	case OP_SRAG: lbl_SRAG: {
		unsigned n = EA_2 & 63;
		R(r1) = (uint64_t)((int64_t)R(r3) >> n);
		cc_set(cpu, CC_S64, R(r1), 0);
		NEXT;
	}
	case OP_SLA: lbl_SLA: case OP_SLAK: lbl_SLAK:
		W32(r1, sla32(cpu, L32(in->op == OP_SLA ? r1 : r3), EA_2 & 63));
		fixpt_ovf(cpu, cpu->cc_op == CC_CONST && cpu->cc_a == 3);
		NEXT;
	case OP_SLAG: lbl_SLAG:
		R(r1) = sla64(cpu, R(r3), EA_2 & 63);
		fixpt_ovf(cpu, cpu->cc_op == CC_CONST && cpu->cc_a == 3);
		NEXT;
	case OP_SLDL: lbl_SLDL: case OP_SRDL: lbl_SRDL: case OP_SLDA: lbl_SLDA: case OP_SRDA: lbl_SRDA: {
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
		NEXT;
	}

	case OP_RISBG: lbl_RISBG: case OP_RISBGN: lbl_RISBGN: {
		unsigned s = in->i3 & 63, e = in->i4 & 63;
		uint64_t mask = bit_range(s, e), rot = rotl64(R(r2), in->i5);
		uint64_t res = (in->i4 & 0x80) ? (rot & mask) : ((R(r1) & ~mask) | (rot & mask));
		R(r1) = res;
		if (in->op == OP_RISBG)
			cc_set(cpu, CC_S64, res, 0);
		NEXT;
	}
	case OP_RNSBG: lbl_RNSBG: case OP_ROSBG: lbl_ROSBG: case OP_RXSBG: lbl_RXSBG: {
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
		NEXT;
	}
	case OP_FLOGR: lbl_FLOGR: {
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
		NEXT;
	}
	case OP_POPCNT: lbl_POPCNT: {
		v = R(r2);
		uint64_t res = 0;
		for (int i = 0; i < 8; i++)
			res |= (uint64_t)__builtin_popcount((unsigned)(v >> (8 * i)) & 0xFF) << (8 * i);
		R(r1) = res;
		cc_const(cpu, v != 0);
		NEXT;
	}

	/* ---- branches ---- */
	case OP_BCR: lbl_BCR:
		if (r2 && cond(cpu, r1))
			BRANCH(R(r2));
		NEXT;
	case OP_BC: lbl_BC:
		if (cond(cpu, r1))
			BRANCH(EA_RX);
		NEXT;
	case OP_BRC: lbl_BRC:  if (cond(cpu, in->m3)) BRANCH(REL(I2)); NEXT;
	case OP_BRCL: lbl_BRCL: if (cond(cpu, in->m3)) BRANCH(REL(I2)); NEXT;
	case OP_BASR: lbl_BASR: case OP_BALR: lbl_BALR:
		a = R(r2);
		if (in->op == OP_BASR)
			set_link(cpu, r1, NPC);
		else
			set_link_bal(cpu, r1, NPC);
		if (r2)
			BRANCH(a);
		NEXT;
	case OP_BAS: lbl_BAS: case OP_BAL: lbl_BAL:
		a = EA_RX;
		if (in->op == OP_BAS)
			set_link(cpu, r1, NPC);
		else
			set_link_bal(cpu, r1, NPC);
		BRANCH(a);
		NEXT;
	case OP_BRAS: lbl_BRAS: case OP_BRASL: lbl_BRASL:
		set_link(cpu, r1, NPC);
		BRANCH(REL(I2));
		NEXT;
	case OP_BCTR: lbl_BCTR:
		a = R(r2);
		W32(r1, L32(r1) - 1);
		if (r2 && L32(r1))
			BRANCH(a);
		NEXT;
	case OP_BCTGR: lbl_BCTGR:
		a = R(r2);
		R(r1) -= 1;
		if (r2 && R(r1))
			BRANCH(a);
		NEXT;
	case OP_BCT: lbl_BCT:  a = EA_RX; W32(r1, L32(r1) - 1); if (L32(r1)) BRANCH(a); NEXT;
	case OP_BCTG: lbl_BCTG: a = EA_RX; R(r1) -= 1; if (R(r1)) BRANCH(a); NEXT;
	case OP_BRCT: lbl_BRCT: W32(r1, L32(r1) - 1); if (L32(r1)) BRANCH(REL(I2)); NEXT;
	case OP_BRCTG: lbl_BRCTG: R(r1) -= 1; if (R(r1)) BRANCH(REL(I2)); NEXT;
	case OP_BXH: lbl_BXH: case OP_BXLE: lbl_BXLE: case OP_BRXH: lbl_BRXH: case OP_BRXLE: lbl_BRXLE: {
		bool rel = in->op == OP_BRXH || in->op == OP_BRXLE;
		a = rel ? REL(I2) : EA_2;
		int32_t inc = (int32_t)L32(r3), cmp = (int32_t)L32(r3 | 1);
		int32_t sum = (int32_t)(L32(r1) + (uint32_t)inc);
		W32(r1, sum);
		bool hi = in->op == OP_BXH || in->op == OP_BRXH;
		if (hi ? sum > cmp : sum <= cmp)
			BRANCH(a);
		NEXT;
	}
	case OP_BXHG: lbl_BXHG: case OP_BXLEG: lbl_BXLEG: case OP_BRXHG: lbl_BRXHG: case OP_BRXLG: lbl_BRXLG: {
		bool rel = in->op == OP_BRXHG || in->op == OP_BRXLG;
		a = rel ? REL(I2) : EA_2;
		int64_t inc = (int64_t)R(r3), cmp = (int64_t)R(r3 | 1);
		int64_t sum = (int64_t)(R(r1) + (uint64_t)inc);
		R(r1) = (uint64_t)sum;
		bool hi = in->op == OP_BXHG || in->op == OP_BRXHG;
		if (hi ? sum > cmp : sum <= cmp)
			BRANCH(a);
		NEXT;
	}
	case OP_EX: lbl_EX:
		a = EA_RX;
		ex_decode(cpu, r1, a, &tin[0]);
		EXECUTE(a);
	case OP_EXRL: lbl_EXRL:
		a = REL(I2) & am;
		ex_decode(cpu, r1, a, &tin[0]);
		EXECUTE(a);

	/* ---- atomics ---- */
	case OP_CS: lbl_CS: case OP_CSY: lbl_CSY: {
		a = EA_2;
		ALIGNED(a, 4);
		w = L32(r1);
		bool ok = cas32(cpu, a, &w, L32(r3));
		if (!ok)
			W32(r1, w);
		cc_const(cpu, !ok);
		NEXT;
	}
	case OP_CSG: lbl_CSG: {
		a = EA_2;
		ALIGNED(a, 8);
		v = R(r1);
		bool ok = cas64(cpu, a, &v, R(r3));
		if (!ok)
			R(r1) = v;
		cc_const(cpu, !ok);
		NEXT;
	}
	case OP_CDS: lbl_CDS: case OP_CDSY: lbl_CDSY: {
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
		NEXT;
	}

	/* interlocked load and update: r1 = old storage, storage = old op r3 */
	case OP_LAA: lbl_LAA: case OP_LAAL: lbl_LAAL: case OP_LAN: lbl_LAN: case OP_LAO: lbl_LAO: case OP_LAX: lbl_LAX: {
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
		NEXT;
	}
	case OP_LAAG: lbl_LAAG: case OP_LAALG: lbl_LAALG: case OP_LANG: lbl_LANG: case OP_LAOG: lbl_LAOG: case OP_LAXG: lbl_LAXG: {
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
		NEXT;
	}

	/* ---- PSW, CC, program mask ---- */
	case OP_IPM: lbl_IPM:
		R(r1) = (R(r1) & ~0xFF000000ULL) | (uint64_t)cc_compute(cpu) << 28 |
			((cpu->psw_mask & PSW_MASK_PM) >> 16);
		NEXT;
	case OP_SPM: lbl_SPM:
		cc_const(cpu, (L32(r1) >> 28) & 3);
		cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_PM) |
				((uint64_t)((L32(r1) >> 24) & 0xF) << 40);
		NEXT;
	case OP_EPSW: lbl_EPSW:
		cc_to_psw(cpu);
		W32(r1, cpu->psw_mask >> 32);
		if (r2)
			W32(r2, cpu->psw_mask);
		NEXT;
	case OP_SAM24: lbl_SAM24:
		if (NPC > 0xFFFFFF)
			spec(cpu);
		cpu->psw_mask &= ~PSW_MASK_64;
		MODE_CHANGED(NPC);
	case OP_SAM31: lbl_SAM31:
		if (NPC > 0x7FFFFFFF)
			spec(cpu);
		cpu->psw_mask = (cpu->psw_mask & ~PSW_MASK_64) | PSW_MASK_BA;
		MODE_CHANGED(NPC);
	case OP_SAM64: lbl_SAM64:
		cpu->psw_mask |= PSW_MASK_64;
		MODE_CHANGED(NPC);
	case OP_SVC: lbl_SVC:
		s390_lc_put16(cpu, LC_SVC_ILC, cpu->cur_in->ilen);
		s390_lc_put16(cpu, LC_SVC_CODE, (uint8_t)I2);
		cpu->psw_addr = NPC;
		s390_cpu_psw_swap(cpu, LC_SVC_OLD, LC_SVC_NEW);
		if (!s390_psw_valid(cpu->psw_mask, cpu->psw_addr))
			s390_pgm_early(cpu, PGM_SPECIFICATION);
		MODE_CHANGED(cpu->psw_addr);

	/* ---- privileged control ---- */
	case OP_LPSW: lbl_LPSW: case OP_LPSWE: lbl_LPSWE: {
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
		cpu->bea = cpu->cur_in->addr;
		s390_load_psw(cpu, m, ad);
		if (!s390_psw_valid(m, ad))
			s390_pgm_early(cpu, PGM_SPECIFICATION);
		return S390_EV_IRQ_WINDOW;
	}
	case OP_SSM: lbl_SSM: {
		PRIV();
		uint8_t b = ld8(cpu, EA_2);
		if (b & 0xB8)   /* bits 0, 2-4 must be zero */
			spec(cpu);
		cpu->psw_mask = (cpu->psw_mask & 0x00FFFFFFFFFFFFFFULL) | (uint64_t)b << 56;
		LEAVE(S390_EV_IRQ_WINDOW);
	}
	case OP_STNSM: lbl_STNSM: case OP_STOSM: lbl_STOSM: {
		PRIV();
		a = EA_1;
		uint8_t old = (uint8_t)(cpu->psw_mask >> 56);
		uint8_t nb = in->op == OP_STNSM ? old & (uint8_t)I2 : old | (uint8_t)I2;
		if (nb & 0xB8)
			spec(cpu);
		st8(cpu, a, old);
		cpu->psw_mask = (cpu->psw_mask & 0x00FFFFFFFFFFFFFFULL) | (uint64_t)nb << 56;
		LEAVE(S390_EV_IRQ_WINDOW);
	}
	case OP_LCTL: lbl_LCTL: case OP_LCTLG: lbl_LCTLG: case OP_STCTL: lbl_STCTL: case OP_STCTG: lbl_STCTG: {
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
			NEXT;
		for (unsigned i = 0; i < n; i++) {
			unsigned c = (r1 + i) & 15;
			cpu->cr[c] = g ? vals[i] :
				(cpu->cr[c] & 0xFFFFFFFF00000000ULL) | (uint32_t)vals[i];
		}
		s390_tlb_flush(cpu);
		LEAVE(S390_EV_IRQ_WINDOW);
	}
	case OP_SPX: lbl_SPX: {
		PRIV();
		a = EA_2;
		ALIGNED(a, 4);
		uint32_t p = ld32(cpu, a) & 0x7FFFE000u;
		if ((uint64_t)p + 0x2000 > cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		cpu->prefix = p;
		s390_tlb_flush(cpu);
		s390_icache_flush(cpu);
		NEXT;
	}
	case OP_PTLB: lbl_PTLB:
		PRIV();
		s390_tlb_flush(cpu);
		NEXT;
	case OP_STPX: lbl_STPX:
		PRIV();
		a = EA_2;
		ALIGNED(a, 4);
		st32(cpu, a, cpu->prefix);
		NEXT;
	case OP_STAP: lbl_STAP:
		PRIV();
		a = EA_2;
		ALIGNED(a, 2);
		st16(cpu, a, cpu->cpu_addr);
		NEXT;
	case OP_STIDP: lbl_STIDP:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, cpu->cpuid);
		NEXT;
	case OP_STCK: lbl_STCK: case OP_STCKF: lbl_STCKF:
		st64(cpu, EA_2, s390_tod_now(cpu));
		cc_const(cpu, 0);
		NEXT;
	case OP_STCKE: lbl_STCKE: {
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
		NEXT;
	}
	case OP_SCK: lbl_SCK: {
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
		NEXT;
	}
	case OP_SCKC: lbl_SCKC:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		cpu->ckc = ld64(cpu, a);
		LEAVE(S390_EV_IRQ_WINDOW);
	case OP_STCKC: lbl_STCKC:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, cpu->ckc);
		NEXT;
	case OP_SPT: lbl_SPT:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		s390_cpu_set_cputm(cpu, (int64_t)ld64(cpu, a));
		LEAVE(S390_EV_IRQ_WINDOW);
	case OP_STPT: lbl_STPT:
		PRIV();
		a = EA_2;
		ALIGNED(a, 8);
		st64(cpu, a, (uint64_t)s390_cpu_get_cputm(cpu));
		NEXT;
	case OP_SCKPF: lbl_SCKPF:
		PRIV();
		if (L32(0) & 0xFFFF0000u)
			spec(cpu);
		cpu->todpr = L32(0) & 0xFFFF;
		NEXT;
	case OP_STFL: lbl_STFL: {
		PRIV();
		const uint64_t *fac = cpu->fac ? cpu->fac : s390_facilities;
		uint8_t *p = s390_lowcore(cpu, LC_STFL, 4);
		if (p)
			put_be32(p, (uint32_t)(fac[0] >> 32));
		NEXT;
	}
	case OP_STFLE: lbl_STFLE: {
		a = EA_2;
		ALIGNED(a, 8);
		const uint64_t *fac = cpu->fac ? cpu->fac : s390_facilities;
		unsigned have = cpu->fac ? cpu->n_fac : S390_FAC_DW;
		/* up to the last doubleword with a facility in it */
		while (have > 1 && !fac[have - 1])
			have--;
		unsigned want = (unsigned)(R(0) & 0xFF) + 1;
		unsigned n = want < have ? want : have;
		for (unsigned i = 0; i < n; i++)
			st64(cpu, (a + 8 * i) & am, fac[i]);
		R(0) = (R(0) & ~0xFFULL) | (have - 1);
		cc_const(cpu, want >= have ? 0 : 3);
		NEXT;
	}
	case OP_ISKE: lbl_ISKE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		__atomic_store_n(&cpu->mem->keys_used, true, __ATOMIC_RELAXED);
		R(r1) = (R(r1) & ~0xFFULL) |
			(__atomic_load_n(&cpu->mem->keys[abs >> 12], __ATOMIC_RELAXED) & 0xFE);
		NEXT;
	}
	case OP_SSKE: lbl_SSKE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		__atomic_store_n(&cpu->mem->keys_used, true, __ATOMIC_RELAXED);
		__atomic_store_n(&cpu->mem->keys[abs >> 12], (uint8_t)R(r1) & 0xFE,
				 __ATOMIC_RELAXED);
		s390_tlb_flush(cpu);
		s390_icache_flush(cpu);
		NEXT;
	}
	case OP_RRBE: lbl_RRBE: {
		PRIV();
		uint64_t abs = s390_real_to_abs(cpu->prefix, R(r2) & am);
		if (abs >= cpu->mem->size)
			s390_pgm(cpu, PGM_ADDRESSING);
		uint8_t *k = &cpu->mem->keys[abs >> 12];
		__atomic_store_n(&cpu->mem->keys_used, true, __ATOMIC_RELAXED);
		uint8_t kv = __atomic_fetch_and(k, (uint8_t)~SKEY_R, __ATOMIC_RELAXED);
		cc_const(cpu, (kv & SKEY_R ? 2 : 0) | (kv & SKEY_C ? 1 : 0));
		s390_tlb_flush(cpu);
		NEXT;
	}
	case OP_TPROT: lbl_TPROT: {
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
		NEXT;
	}

	/* ---- in exec-ext.c ---- */
	case OP_MVCLE: lbl_MVCLE: cc_const(cpu, s390_mvcle(cpu, in, 1)); NEXT;
	case OP_MVCLU: lbl_MVCLU: cc_const(cpu, s390_mvcle(cpu, in, 2)); NEXT;
	case OP_CLCLE: lbl_CLCLE: cc_const(cpu, s390_clcle(cpu, in, 1)); NEXT;
	case OP_CLCLU: lbl_CLCLU: cc_const(cpu, s390_clcle(cpu, in, 2)); NEXT;
	case OP_CDSG: lbl_CDSG: s390_cdsg(cpu, in); NEXT;
	case OP_CRT: lbl_CRT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CGRT: lbl_CGRT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CLRT: lbl_CLRT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CLGRT: lbl_CLGRT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CIT: lbl_CIT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CGIT: lbl_CGIT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CLFIT: lbl_CLFIT: s390_cmp_trap(cpu, in); NEXT;
	case OP_CLGIT: lbl_CLGIT: s390_cmp_trap(cpu, in); NEXT;
	case OP_IPK: lbl_IPK: s390_ipk(cpu); NEXT;
	case OP_SPKA: lbl_SPKA: s390_spka(cpu, in); NEXT;
	case OP_TRTR: lbl_TRTR: s390_trtr(cpu, in); NEXT;
	case OP_TRE: lbl_TRE: cc_const(cpu, s390_tre(cpu, in)); NEXT;
	case OP_LAE: lbl_LAE: s390_lae(cpu, in); NEXT;
	case OP_LAEY: lbl_LAEY: s390_lae(cpu, in); NEXT;
	case OP_ECAG: lbl_ECAG: s390_ecag(cpu, in); NEXT;
	case OP_MFY: lbl_MFY: goto lbl_M; /* MULTIPLY with a long displacement */
	case OP_AHHHR: lbl_AHHHR: s390_hw_arith(cpu, in); NEXT;
	case OP_AHHLR: lbl_AHHLR: s390_hw_arith(cpu, in); NEXT;
	case OP_SHHHR: lbl_SHHHR: s390_hw_arith(cpu, in); NEXT;
	case OP_SHHLR: lbl_SHHLR: s390_hw_arith(cpu, in); NEXT;
	case OP_ALHHHR: lbl_ALHHHR: s390_hw_arith(cpu, in); NEXT;
	case OP_ALHHLR: lbl_ALHHLR: s390_hw_arith(cpu, in); NEXT;
	case OP_SLHHHR: lbl_SLHHHR: s390_hw_arith(cpu, in); NEXT;
	case OP_SLHHLR: lbl_SLHHLR: s390_hw_arith(cpu, in); NEXT;
	case OP_AIH: lbl_AIH: s390_hw_arith(cpu, in); NEXT;
	case OP_ALSIH: lbl_ALSIH: s390_hw_arith(cpu, in); NEXT;
	case OP_ALSIHN: lbl_ALSIHN: s390_hw_arith(cpu, in); NEXT;
	case OP_CHHR: lbl_CHHR: s390_hw_cmp(cpu, in); NEXT;
	case OP_CHLR: lbl_CHLR: s390_hw_cmp(cpu, in); NEXT;
	case OP_CLHHR: lbl_CLHHR: s390_hw_cmp(cpu, in); NEXT;
	case OP_CLHLR: lbl_CLHLR: s390_hw_cmp(cpu, in); NEXT;
	case OP_CHF: lbl_CHF: s390_hw_cmp(cpu, in); NEXT;
	case OP_CLHF: lbl_CLHF: s390_hw_cmp(cpu, in); NEXT;
	case OP_CIH: lbl_CIH: s390_hw_cmp(cpu, in); NEXT;
	case OP_CLIH: lbl_CLIH: s390_hw_cmp(cpu, in); NEXT;
	case OP_LBH: lbl_LBH: s390_hw_mem(cpu, in); NEXT;
	case OP_LLCH: lbl_LLCH: s390_hw_mem(cpu, in); NEXT;
	case OP_LHH: lbl_LHH: s390_hw_mem(cpu, in); NEXT;
	case OP_LLHH: lbl_LLHH: s390_hw_mem(cpu, in); NEXT;
	case OP_LFH: lbl_LFH: s390_hw_mem(cpu, in); NEXT;
	case OP_STCH: lbl_STCH: s390_hw_mem(cpu, in); NEXT;
	case OP_STHH: lbl_STHH: s390_hw_mem(cpu, in); NEXT;
	case OP_STFH: lbl_STFH: s390_hw_mem(cpu, in); NEXT;
	case OP_BRCTH: lbl_BRCTH: if (s390_brcth(cpu, in)) BRANCH(REL(I2)); NEXT;
	case OP_RISBHG: lbl_RISBHG: s390_risbhlg(cpu, in); NEXT;
	case OP_RISBLG: lbl_RISBLG: s390_risbhlg(cpu, in); NEXT;
	case OP_EAR: lbl_EAR: W32(r1, cpu->acr[r2]); NEXT;
	case OP_SAR: lbl_SAR: cpu->acr[r1] = L32(r2); NEXT;
	case OP_CPYA: lbl_CPYA: cpu->acr[r1] = cpu->acr[r2]; NEXT;
	case OP_LAM: lbl_LAM: s390_multiple_words(cpu, in); NEXT;
	case OP_LAMY: lbl_LAMY: s390_multiple_words(cpu, in); NEXT;
	case OP_STAM: lbl_STAM: s390_multiple_words(cpu, in); NEXT;
	case OP_STAMY: lbl_STAMY: s390_multiple_words(cpu, in); NEXT;
	case OP_LMH: lbl_LMH: s390_multiple_words(cpu, in); NEXT;
	case OP_STMH: lbl_STMH: s390_multiple_words(cpu, in); NEXT;
	case OP_MVCIN: lbl_MVCIN: s390_mvcin(cpu, in); NEXT;
	case OP_CKSM: lbl_CKSM: cc_const(cpu, s390_cksm(cpu, in)); NEXT;
	case OP_TRTT: lbl_TRTT: cc_const(cpu, s390_trxx(cpu, in)); NEXT;
	case OP_TRTO: lbl_TRTO: cc_const(cpu, s390_trxx(cpu, in)); NEXT;
	case OP_TROT: lbl_TROT: cc_const(cpu, s390_trxx(cpu, in)); NEXT;
	case OP_TROO: lbl_TROO: cc_const(cpu, s390_trxx(cpu, in)); NEXT;

	/* ---- handed to softkvm ---- */
	case OP_DIAG: lbl_DIAG: case OP_SIGP: lbl_SIGP: case OP_SERVC: lbl_SERVC: case OP_STSI: lbl_STSI:
	case OP_CSCH: lbl_CSCH: case OP_HSCH: lbl_HSCH: case OP_MSCH: lbl_MSCH: case OP_SSCH: lbl_SSCH: case OP_STSCH: lbl_STSCH:
	case OP_TSCH: lbl_TSCH: case OP_TPI: lbl_TPI: case OP_SAL: lbl_SAL: case OP_RSCH: lbl_RSCH: case OP_STCRW: lbl_STCRW:
	case OP_STCPS: lbl_STCPS: case OP_RCHP: lbl_RCHP: case OP_SCHM: lbl_SCHM: case OP_CHSC: lbl_CHSC: case OP_SIGA: lbl_SIGA:
	case OP_XSCH: lbl_XSCH:
		PRIV();
		LEAVE(icpt(cpu, in));
	}
out:
	NEXT;
}

/* ------------------------------------------------------------------ */
/* the loop */

/* The instruction of a pending operation exception into cpu->icpt, the
 * PSW past it (suppression); false if it cannot be read back. */
static bool operation_icpt(struct s390_cpu *cpu)
{
	uint64_t abs = s390_real_to_abs(cpu->prefix, cpu->cur_addr);
	unsigned ilen = cpu->pgm_ilc;
	const uint8_t *p;

	if (!ilen || abs + ilen > cpu->mem->size)
		return false;
	p = cpu->mem->ram + abs;
	cpu->icpt.ipa = get_be16(p);
	cpu->icpt.ipb = ilen >= 4 ? (uint32_t)get_be16(p + 2) << 16 : 0;
	if (ilen == 6)
		cpu->icpt.ipb |= get_be16(p + 4);
	cpu->icpt.ilen = (uint8_t)ilen;
	cpu->psw_addr = cpu->pgm_old_addr;
	return true;
}

enum s390_event s390_cpu_run(struct s390_cpu *cpu, int64_t budget)
{
	jmp_buf jb;
	int ev;

	cc_from_psw(cpu);
	cpu->budget = budget;
	cpu->exc = &jb;
	if (setjmp(jb)) {
		if (cpu->pgm_code == PGM_OPERATION && cpu->icpt_operation &&
		    operation_icpt(cpu)) {
			ev = S390_EV_OPEREXC;
			goto leave;
		}
		ev = s390_deliver_pgm(cpu);
		if (ev != S390_EV_BUDGET)
			goto leave;
	}
	ev = run_loop(cpu);
	s390_cur_sync(cpu);
leave:
	cpu->stat_insns += (uint64_t)(budget - cpu->budget);
	cpu->exc = NULL;
	cc_to_psw(cpu);
	return (enum s390_event)ev;
}
