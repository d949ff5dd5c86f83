// SPDX-License-Identifier: MIT
/*
 * The x86-64 translator (see jit.h for what a translated block does).
 *
 * A block is translated twice: a dry pass finds how many of its leading
 * instructions are supported, which guest registers they use and which of
 * them set, read or may leave with the condition code; the second pass
 * emits code with the most used guest registers in host registers and
 * with condition-code stores only where something can see them (a later
 * reader, an exit or a bail-out before the next instruction that sets it).
 *
 * Host registers: r15 the CPU, r14 the budget left, rax rcx rdx scratch
 * (the address, the TLB entry, shift counts), rbx rbp rsi rdi r8-r13 guest
 * registers. The condition code is kept in the interpreter's lazy form
 * (cc_op, cc_a, cc_b), so the interpreter takes over at any exit.
 */
#include <stddef.h>

#include "softkvm/cpu/jit.h"

#if S390_JIT_X86

#include "softkvm/cpu/jit-x86-emit.h"

#define HCPU  R15
#define HLEFT R14

#define CPU_OFF(f)  ((int32_t)offsetof(struct s390_cpu, f))
#define GPR_OFF(g)  (CPU_OFF(gpr) + 8 * (int32_t)(g))

_Static_assert(sizeof(struct s390_tlbe) == 16, "TLB entry is indexed by << 4");

static const uint8_t guest_pool[] = {
	RBX, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13,
};
#define N_POOL (sizeof(guest_pool) / sizeof(guest_pool[0]))

/* what an instruction does with the condition code and the block */
#define JF_SETS_CC  1
#define JF_READS_CC 2
#define JF_EXITS    4   /* may leave the block (branch or bail-out) */

#define MAX_SITES (S390_IBLK_MAX * 6)

/* second operands that are no guest register (the `int rb` arguments) */
#define OPND_IMM (-1)   /* an immediate */
#define OPND_RDX (-2)   /* already in rdx (a storage operand) */

struct jit_ctx {
	struct x86_asm a;
	struct s390_cpu *cpu;
	const struct s390_iblk *b;
	const struct s390_insn *in;   /* the instruction being translated */
	unsigned cur, n;              /* its index; instructions translated */
	uint64_t am;
	bool dry;
	int8_t host[16];              /* host register of a guest one, or -1 */
	uint16_t written;             /* guest registers the block sets */
	unsigned uses[16];
	int cc_op;                    /* lazy CC op in effect, -1 unknown */
	uint8_t flags[S390_IBLK_MAX];
	bool cc_needed[S390_IBLK_MAX];
	uint8_t *body;
	/* jumps to the bail-out of an instruction, and to the epilogue */
	uint8_t *bail_site[MAX_SITES];
	uint8_t bail_insn[MAX_SITES];
	unsigned n_bail;
	uint8_t *exit_site[MAX_SITES];
	unsigned n_exit;
};

/* ------------------------------------------------------------------ */
/* guest registers */

static void use(struct jit_ctx *c, unsigned g)
{
	if (c->dry)
		c->uses[g]++;
}

/* The host register that holds guest register g: its own, or tmp
 * loaded from the CPU. */
static unsigned gsrc(struct jit_ctx *c, unsigned g, unsigned tmp)
{
	use(c, g);
	if (c->host[g] >= 0)
		return (unsigned)c->host[g];
	x_load(&c->a, true, tmp, HCPU, GPR_OFF(g));
	return tmp;
}

/* The low word of guest register g, zero-extended, in tmp. */
static void gsrc32(struct jit_ctx *c, unsigned g, unsigned tmp)
{
	use(c, g);
	if (c->host[g] >= 0)
		x_mov_rr(&c->a, false, tmp, (unsigned)c->host[g]);
	else
		x_load(&c->a, false, tmp, HCPU, GPR_OFF(g));
}

static void gset(struct jit_ctx *c, unsigned g, unsigned r)
{
	use(c, g);
	c->written |= (uint16_t)(1u << g);
	if (c->host[g] >= 0)
		x_mov_rr(&c->a, true, (unsigned)c->host[g], r);
	else
		x_store(&c->a, true, r, HCPU, GPR_OFF(g));
}

/* Set the low word of g from r, whose high word is zero. */
static void gset32(struct jit_ctx *c, unsigned g, unsigned r)
{
	use(c, g);
	c->written |= (uint16_t)(1u << g);
	if (c->host[g] >= 0) {
		unsigned h = (unsigned)c->host[g];

		x_shift_imm(&c->a, XS_SHR, true, h, 32);
		x_shift_imm(&c->a, XS_SHL, true, h, 32);
		x_alu_rr(&c->a, X_OR, true, h, r);
	} else {
		/* little-endian host: the low word comes first */
		x_store(&c->a, false, r, HCPU, GPR_OFF(g));
	}
}

/* A 64-bit result for g built in place: returns the register to work
 * on (g's own, or rax), already holding the value of src. */
static unsigned gdst(struct jit_ctx *c, unsigned g, unsigned src)
{
	unsigned d = c->host[g] >= 0 ? (unsigned)c->host[g] : RAX;

	x_mov_rr(&c->a, true, d, src);
	return d;
}

static void gdst_done(struct jit_ctx *c, unsigned g, unsigned d)
{
	if (d == RAX)
		gset(c, g, RAX);
	else {
		use(c, g);
		c->written |= (uint16_t)(1u << g);
	}
}

/* ------------------------------------------------------------------ */
/* condition code, exits */

/* Record cc_op with its operands in registers a and b (b < 0: none). */
static void cc_set_r(struct jit_ctx *c, enum cc_op op, unsigned ra, int rb)
{
	c->flags[c->cur] |= JF_SETS_CC;
	c->cc_op = (int)op;
	if (!c->dry && !c->cc_needed[c->cur])
		return;
	x_store_imm(&c->a, false, HCPU, CPU_OFF(cc_op), (int32_t)op);
	x_store(&c->a, true, ra, HCPU, CPU_OFF(cc_a));
	if (rb >= 0)
		x_store(&c->a, true, (unsigned)rb, HCPU, CPU_OFF(cc_b));
}

/* The same with an immediate second operand (goes through rdx). */
static void cc_set_i(struct jit_ctx *c, enum cc_op op, unsigned ra, uint64_t b)
{
	if (c->dry || c->cc_needed[c->cur])
		x_mov_imm(&c->a, RDX, b);
	cc_set_r(c, op, ra, RDX);
}

/* Leave to the interpreter before the current instruction if cc holds. */
static void bail_if(struct jit_ctx *c, enum x86_cc cc)
{
	c->flags[c->cur] |= JF_EXITS;
	if (c->n_bail == MAX_SITES) {
		c->a.overflow = true;
		return;
	}
	c->bail_site[c->n_bail] = x_jcc(&c->a, cc);
	c->bail_insn[c->n_bail++] = (uint8_t)c->cur;
}

/* Leave the block after `done` of its instructions, going on at the
 * address in rax. */
static void exit_now(struct jit_ctx *c, unsigned done)
{
	if (done)
		x_alu_imm(&c->a, XI_SUB, true, HLEFT, (int32_t)done);
	if (c->n_exit == MAX_SITES) {
		c->a.overflow = true;
		return;
	}
	c->exit_site[c->n_exit++] = x_jmp(&c->a);
}

static void exit_to(struct jit_ctx *c, uint64_t target, unsigned done)
{
	x_mov_imm(&c->a, RAX, target);
	exit_now(c, done);
}

/* A taken branch to target: the breaking-event address, then back to
 * the start of the block (a loop that stays in host code while the
 * budget covers another pass through all of it) or out. */
static void branch_taken(struct jit_ctx *c, uint64_t target)
{
	struct x86_asm *a = &c->a;
	uint8_t *out[3];

	c->flags[c->cur] |= JF_EXITS;
	x_mov_imm(a, RAX, c->in->addr);
	x_store(a, true, RAX, HCPU, CPU_OFF(bea));
	if (c->dry || target != c->b->addr) {
		exit_to(c, target, c->cur + 1);
		return;
	}
	x_alu_imm(a, XI_SUB, true, HLEFT, (int32_t)(c->cur + 1));
	x_load(a, false, RAX, HCPU, CPU_OFF(kick));
	x_alu_rr(a, X_TEST, false, RAX, RAX);
	out[0] = x_jcc(a, XC_NE);
	/* another CPU stored into this page: the block may be stale */
	x_mov_imm(a, RAX, (uint64_t)(uintptr_t)&c->cpu->mem->code[c->b->apage >> 12]);
	x_cmp32_mem_imm(a, RAX, 0, c->b->gen);
	out[1] = x_jcc(a, XC_NE);
	x_alu_imm(a, XI_CMP, true, HLEFT, (int32_t)c->n);
	out[2] = x_jcc(a, XC_L);
	x_patch(a, x_jmp(a), c->body);
	for (int i = 0; i < 3; i++)
		x_patch(a, out[i], a->p);
	exit_to(c, target, 0);
}

/* A taken branch to the address in rax (through a register). */
static void branch_reg(struct jit_ctx *c)
{
	c->flags[c->cur] |= JF_EXITS;
	x_mov_imm(&c->a, RDX, c->in->addr);
	x_store(&c->a, true, RDX, HCPU, CPU_OFF(bea));
	exit_now(c, c->cur + 1);
}

/* Jump over the taken path unless x86 condition cc holds. */
static uint8_t *skip_unless(struct jit_ctx *c, enum x86_cc cc)
{
	return x_jcc(&c->a, (enum x86_cc)(cc ^ 1));
}

static void end_skip(struct jit_ctx *c, uint8_t *site)
{
	x_patch(&c->a, site, c->a.p);
}

/* ------------------------------------------------------------------ */
/* storage */

/* rax = the operand address d(x,b), wrapped to the addressing mode */
static void emit_ea(struct jit_ctx *c, unsigned x, unsigned b, int32_t d)
{
	struct x86_asm *a = &c->a;

	if (!x && !b) {
		x_mov_imm(a, RAX, (uint64_t)(int64_t)d & c->am);
		return;
	}
	x_mov_rr(a, true, RAX, gsrc(c, x ? x : b, RAX));
	if (x && b)
		x_alu_rr(a, X_ADD, true, RAX, gsrc(c, b, RDX));
	if (d)
		x_alu_imm(a, XI_ADD, true, RAX, d);
	if (c->am != ~0ULL)
		x_alu_imm(a, XI_AND, false, RAX, (int32_t)c->am);
}

/*
 * rax = a logical address -> rdx = its host address, through this CPU's
 * TLB for acc. A miss or an access crossing the page leaves to the
 * interpreter (which fills the TLB or raises the exception).
 */
static void emit_tlb(struct jit_ctx *c, enum s390_acc acc, unsigned len)
{
	struct x86_asm *a = &c->a;
	int32_t tlb = CPU_OFF(tlb) +
		      (int32_t)(acc * S390_TLB_SIZE * sizeof(struct s390_tlbe));

	x_mov_rr(a, false, RCX, RAX);
	x_shift_imm(a, XS_SHR, false, RCX, 12);
	x_movx_rr(a, false, X_MOVZX8, RCX, RCX);
	x_shift_imm(a, XS_SHL, false, RCX, 4);
	x_mov_rr(a, true, RDX, RAX);
	x_alu_imm(a, XI_AND, true, RDX, -4096);
	x_alu_sib(a, X_CMP, true, RDX, HCPU, RCX,
		  tlb + (int32_t)offsetof(struct s390_tlbe, page));
	bail_if(c, XC_NE);
	x_mov_rr(a, false, RDX, RAX);
	x_alu_imm(a, XI_AND, false, RDX, 0xFFF);
	if (len > 1) {
		x_alu_imm(a, XI_CMP, false, RDX, (int32_t)(0x1000 - len));
		bail_if(c, XC_A);
	}
	x_alu_sib(a, X_ADD, true, RDX, HCPU, RCX,
		  tlb + (int32_t)offsetof(struct s390_tlbe, host));
}

/* rax = the big-endian value of len bytes at [rdx], extended to 64 bits
 * (signed or not); for a 32-bit destination, to 32 bits and zero above */
static void emit_load_value(struct jit_ctx *c, unsigned len, bool sign, bool w64)
{
	struct x86_asm *a = &c->a;

	switch (len) {
	case 1:
		x_movx_rdx(a, sign && w64, sign ? X_MOVSX8 : X_MOVZX8, RAX);
		break;
	case 2:
		x_movx_rdx(a, false, X_MOVZX16, RAX);
		x_swap16_ax(a);
		if (sign)
			x_movx_rr(a, w64, X_MOVSX16, RAX, RAX);
		break;
	case 4:
		x_load_rdx(a, false, RAX);
		x_bswap(a, false, RAX);
		if (sign && w64)
			x_movsxd(a, RAX, RAX);
		break;
	default:
		x_load_rdx(a, true, RAX);
		x_bswap(a, true, RAX);
		break;
	}
}

/* load len bytes at the address in rax into r1 (64-bit: w64, else its
 * low word) */
static void emit_load_at(struct jit_ctx *c, unsigned len, bool sign, bool w64,
			 enum cc_op cc)
{
	const struct s390_insn *in = c->in;

	emit_tlb(c, ACC_FETCH, len);
	emit_load_value(c, len, sign, w64);
	if (w64)
		gset(c, in->r1, RAX);
	else
		gset32(c, in->r1, RAX);
	if (cc != CC_CONST)
		cc_set_r(c, cc, RAX, -1);
}

static void emit_load(struct jit_ctx *c, unsigned len, bool sign, bool w64,
		      enum cc_op cc)
{
	emit_ea(c, c->in->x2, c->in->b2, c->in->d2);
	emit_load_at(c, len, sign, w64, cc);
}

/* store the len low bytes of rax, big-endian, at [rdx] */
static void emit_store_value(struct jit_ctx *c, unsigned len)
{
	if (len == 2)
		x_swap16_ax(&c->a);
	else if (len > 2)
		x_bswap(&c->a, len == 8, RAX);
	x_store_rdx(&c->a, len, RAX);
}

/* store r1 (or an immediate: r1 < 0) at the address in rax */
static void emit_store_at(struct jit_ctx *c, unsigned len, int r1, uint64_t imm)
{
	emit_tlb(c, ACC_STORE, len);
	if (r1 >= 0)
		x_mov_rr(&c->a, true, RAX, gsrc(c, (unsigned)r1, RAX));
	else
		x_mov_imm(&c->a, RAX, imm);
	emit_store_value(c, len);
}

static void emit_store(struct jit_ctx *c, unsigned len)
{
	emit_ea(c, c->in->x2, c->in->b2, c->in->d2);
	emit_store_at(c, len, c->in->r1, 0);
}

/* rax = a relative-long operand's address; false when it is not aligned
 * to align (the interpreter raises the specification exception) */
static bool emit_rel_addr(struct jit_ctx *c, unsigned align)
{
	uint64_t a = (c->in->addr + (uint64_t)(c->in->i2 * 2)) & c->am;

	if (a & (align - 1))
		return false;
	x_mov_imm(&c->a, RAX, a);
	return true;
}

/* rdx = the storage operand d2(x2,b2) of len bytes, extended as for a
 * load (the second operand of RX/RXY arithmetic: OPND_RDX) */
static void emit_mem_operand(struct jit_ctx *c, unsigned len, bool sign, bool w64)
{
	emit_ea(c, c->in->x2, c->in->b2, c->in->d2);
	emit_tlb(c, ACC_FETCH, len);
	emit_load_value(c, len, sign, w64);
	x_mov_rr(&c->a, true, RDX, RAX);
}

/* LM(Y)/LMG/STM(Y)/STMG: registers r1..r3 (wrapping) at d2(b2), in one
 * page (else the interpreter does it) */
static void emit_multiple(struct jit_ctx *c, bool g, bool st)
{
	const struct s390_insn *in = c->in;
	unsigned n = ((in->r3 - in->r1) & 15) + 1, sz = g ? 8 : 4;

	emit_ea(c, 0, in->b2, in->d2);
	emit_tlb(c, st ? ACC_STORE : ACC_FETCH, n * sz);
	for (unsigned i = 0; i < n; i++) {
		unsigned r = (in->r1 + i) & 15;
		int32_t off = (int32_t)(i * sz);

		if (st) {
			if (g)
				x_mov_rr(&c->a, true, RAX, gsrc(c, r, RAX));
			else
				gsrc32(c, r, RAX);
			x_bswap(&c->a, g, RAX);
			x_store(&c->a, g, RAX, RDX, off);
		} else {
			x_load(&c->a, g, RAX, RDX, off);
			x_bswap(&c->a, g, RAX);
			if (g)
				gset(c, r, RAX);
			else
				gset32(c, r, RAX);
		}
	}
}

/* TM/TMxx: the CC of testing the bits of mask m in eax (top: the
 * leftmost bit of m for the 16-bit forms, 0 for TM) */
static void emit_test_mask(struct jit_ctx *c, uint32_t m, uint32_t top)
{
	struct x86_asm *a = &c->a;
	uint8_t *done[3];
	unsigned nd = 0;

	x_mov_imm(a, RDX, 0);
	if (m) {
		x_alu_imm(a, XI_AND, false, RAX, (int32_t)m);
		done[nd++] = x_jcc(a, XC_E);
		x_mov_imm(a, RDX, 3);
		x_alu_imm(a, XI_CMP, false, RAX, (int32_t)m);
		done[nd++] = x_jcc(a, XC_E);
		x_mov_imm(a, RDX, 1);
		if (top) {
			x_test_imm(a, false, RAX, top);
			done[nd++] = x_jcc(a, XC_E);
			x_mov_imm(a, RDX, 2);
		}
	}
	for (unsigned i = 0; i < nd; i++)
		end_skip(c, done[i]);
	cc_set_r(c, CC_CONST, RDX, -1);
}

/* TMLL, TMLH, TMHL, TMHH: the halfword of r1 at bit sh */
static void emit_tm16(struct jit_ctx *c, unsigned sh)
{
	uint32_t m = (uint16_t)c->in->i2;

	x_mov_rr(&c->a, true, RAX, gsrc(c, c->in->r1, RAX));
	if (sh)
		x_shift_imm(&c->a, XS_SHR, true, RAX, sh);
	emit_test_mask(c, m, m ? 0x80000000u >> __builtin_clz(m) : 0);
}

/* BRAS/BRASL/BASR: the link address into r1, as the addressing mode
 * wants it */
static void emit_link(struct jit_ctx *c, unsigned r1)
{
	uint64_t next = c->in->npc & c->am;

	if (c->am == ~0ULL) {
		x_mov_imm(&c->a, RAX, next);
		gset(c, r1, RAX);
	} else {
		x_mov_imm(&c->a, RAX, c->am == 0x7FFFFFFFULL ? 0x80000000u | next : next);
		gset32(c, r1, RAX);
	}
}

/* LCR/LCGR: 0 - r2, leaving on overflow */
static void emit_complement(struct jit_ctx *c, bool w64)
{
	struct x86_asm *a = &c->a;

	if (w64)
		x_mov_rr(a, true, RDX, gsrc(c, c->in->r2, RDX));
	else
		gsrc32(c, c->in->r2, RDX);
	x_mov_imm(a, RAX, 0);
	cc_set_r(c, w64 ? CC_SUB_S64 : CC_SUB_S32, RAX, RDX);
	x_alu_rr(a, X_SUB, w64, RAX, RDX);
	bail_if(c, XC_O);
	if (w64)
		gset(c, c->in->r1, RAX);
	else
		gset32(c, c->in->r1, RAX);
}

/* MSGR/MSR and friends: r1 *= b (rb: a register, OPND_RDX, or imm) */
static void emit_mul(struct jit_ctx *c, bool w64, int rb, int32_t imm)
{
	struct x86_asm *a = &c->a;
	unsigned r1 = c->in->r1;

	if (w64) {
		unsigned d = gdst(c, r1, gsrc(c, r1, RAX));

		if (rb == OPND_IMM)
			x_imul_imm(a, true, d, d, imm);
		else
			x_imul_rr(a, true, d, rb >= 0 ? gsrc(c, (unsigned)rb, RDX) : RDX);
		gdst_done(c, r1, d);
		return;
	}
	gsrc32(c, r1, RAX);
	if (rb == OPND_IMM) {
		x_imul_imm(a, false, RAX, RAX, imm);
	} else {
		if (rb >= 0)
			gsrc32(c, (unsigned)rb, RDX);
		x_imul_rr(a, false, RAX, RDX);
	}
	gset32(c, r1, RAX);
}

/* IILL..IIHH, IIHF: an immediate into one field of r1 */
static void emit_insert_imm(struct jit_ctx *c, unsigned sh, uint64_t field)
{
	struct x86_asm *a = &c->a;
	unsigned r1 = c->in->r1;
	unsigned d = gdst(c, r1, gsrc(c, r1, RAX));

	x_mov_imm(a, RDX, ~(field << sh));
	x_alu_rr(a, X_AND, true, d, RDX);
	x_mov_imm(a, RDX, ((uint64_t)c->in->i2 & field) << sh);
	x_alu_rr(a, X_OR, true, d, RDX);
	gdst_done(c, r1, d);
}

/* register-to-register extensions: eax = the low bits of r2, extended
 * (op2 a movsx/movzx opcode, w to 64 bits), into r1 or its low word */
static void emit_extend(struct jit_ctx *c, uint8_t op2, bool w64)
{
	gsrc32(c, c->in->r2, RAX);
	x_movx_rr(&c->a, w64, op2, RAX, RAX);
	if (w64)
		gset(c, c->in->r1, RAX);
	else
		gset32(c, c->in->r1, RAX);
}

/* rdx = the low word of r2, sign- or zero-extended (AGFR and friends) */
static void emit_r2_word(struct jit_ctx *c, bool sign)
{
	gsrc32(c, c->in->r2, RDX);
	if (sign)
		x_movsxd(&c->a, RDX, RDX);
}

/* ------------------------------------------------------------------ */
/* arithmetic and logic */

/* r1 = a op b on 64 bits, a a guest register, b one or OPND_RDX */
static void emit_rr64(struct jit_ctx *c, enum x86_alu op, unsigned ra,
		      int rb, enum cc_op cc)
{
	unsigned r1 = c->in->r1, s, d;

	s = rb >= 0 ? gsrc(c, (unsigned)rb, RDX) : RDX;
	/* r1 is about to be written from ra: keep rb's value apart */
	if (rb == (int)r1 && ra != r1 && s != RDX) {
		x_mov_rr(&c->a, true, RDX, s);
		s = RDX;
	}
	if (cc == CC_ADD_U64 || cc == CC_SUB_U64) {
		unsigned t = gsrc(c, ra, RAX);

		cc_set_r(c, cc, t, (int)s);
		d = gdst(c, r1, t);
	} else {
		d = gdst(c, r1, gsrc(c, ra, RAX));
	}
	x_alu_rr(&c->a, op, true, d, s);
	gdst_done(c, r1, d);
	if (cc == CC_NZ)
		cc_set_r(c, cc, d, -1);
}

/* signed add/subtract that leaves on overflow (the interpreter raises
 * the exception or sets CC 3, as the program mask says) */
static void emit_arith64(struct jit_ctx *c, bool sub, unsigned ra, int rb, int64_t imm)
{
	unsigned s, t;

	if (rb >= 0) {
		s = gsrc(c, (unsigned)rb, RDX);
	} else {
		if (rb == OPND_IMM)
			x_mov_imm(&c->a, RDX, (uint64_t)imm);
		s = RDX;
	}
	t = gsrc(c, ra, RAX);
	cc_set_r(c, sub ? CC_SUB_S64 : CC_ADD_S64, t, (int)s);
	x_mov_rr(&c->a, true, RAX, t);
	x_alu_rr(&c->a, sub ? X_SUB : X_ADD, true, RAX, s);
	bail_if(c, XC_O);
	gset(c, c->in->r1, RAX);
}

/* 32-bit forms: operands zero-extended in rax and rdx */
static void load32_ops(struct jit_ctx *c, unsigned ra, int rb, uint32_t imm)
{
	gsrc32(c, ra, RAX);
	if (rb >= 0)
		gsrc32(c, (unsigned)rb, RDX);
	else if (rb == OPND_IMM)
		x_mov_imm(&c->a, RDX, imm);
}

static void emit_arith32(struct jit_ctx *c, enum x86_alu op, unsigned ra, int rb,
			 uint32_t imm, enum cc_op cc)
{
	struct x86_asm *a = &c->a;

	load32_ops(c, ra, rb, imm);
	if (cc != CC_NZ)
		cc_set_r(c, cc, RAX, RDX);
	x_alu_rr(a, op, false, RAX, RDX);
	if (cc == CC_ADD_S32 || cc == CC_SUB_S32)
		bail_if(c, XC_O);
	gset32(c, c->in->r1, RAX);
	if (cc == CC_NZ)
		cc_set_r(c, cc, RAX, -1);
}

static void emit_cmp(struct jit_ctx *c, bool w64, enum cc_op cc, unsigned ra,
		     int rb, uint64_t imm)
{
	if (w64) {
		unsigned t = gsrc(c, ra, RAX);

		if (rb >= 0)
			cc_set_r(c, cc, t, (int)gsrc(c, (unsigned)rb, RDX));
		else if (rb == OPND_IMM)
			cc_set_i(c, cc, t, imm);
		else
			cc_set_r(c, cc, t, RDX);
		return;
	}
	load32_ops(c, ra, rb, (uint32_t)imm);
	cc_set_r(c, cc, RAX, RDX);
}

/* logical op with a 32-bit immediate on the low (or high) word */
static void emit_imm_word(struct jit_ctx *c, enum x86_alu_imm op, bool high)
{
	struct x86_asm *a = &c->a;
	unsigned r1 = c->in->r1;
	uint32_t imm = (uint32_t)c->in->i2;

	if (!high) {
		gsrc32(c, r1, RAX);
		x_mov_imm(a, RDX, imm);
		x_alu_rr(a, op == XI_AND ? X_AND : op == XI_OR ? X_OR : X_XOR,
			 false, RAX, RDX);
		gset32(c, r1, RAX);
		cc_set_r(c, CC_NZ, RAX, -1);
		return;
	}
	/* high word: work on the register shifted down */
	unsigned d = gdst(c, r1, gsrc(c, r1, RAX));

	x_mov_imm(a, RDX, (uint64_t)imm << 32 | (op == XI_AND ? 0xFFFFFFFFu : 0));
	x_alu_rr(a, op == XI_AND ? X_AND : op == XI_OR ? X_OR : X_XOR, true, d, RDX);
	gdst_done(c, r1, d);
	if (c->dry || c->cc_needed[c->cur]) {
		x_mov_rr(a, true, RDX, d);
		x_shift_imm(a, XS_SHR, true, RDX, 32);
	}
	cc_set_r(c, CC_NZ, RDX, -1);
}

/* ------------------------------------------------------------------ */
/* shifts */

/* The shift count d2(b2) & 63: an immediate (returns it) or in rcx
 * (returns -1). */
static int shift_count(struct jit_ctx *c)
{
	const struct s390_insn *in = c->in;

	if (!in->b2)
		return (int)((uint64_t)(int64_t)in->d2 & 63);
	x_mov_rr(&c->a, true, RCX, gsrc(c, in->b2, RCX));
	if (in->d2)
		x_alu_imm(&c->a, XI_ADD, true, RCX, in->d2);
	x_alu_imm(&c->a, XI_AND, false, RCX, 63);
	return -1;
}

static void emit_shift64(struct jit_ctx *c, enum x86_shift op, enum cc_op cc)
{
	unsigned r1 = c->in->r1;
	int n = shift_count(c);
	unsigned d = gdst(c, r1, gsrc(c, c->in->r3, RAX));

	if (n < 0)
		x_shift_cl(&c->a, op, true, d);
	else if (n)
		x_shift_imm(&c->a, op, true, d, (unsigned)n);
	gdst_done(c, r1, d);
	if (cc != CC_CONST)
		cc_set_r(c, cc, d, -1);
}

/* 32-bit shifts: counts of 32-63 give 0 (logical) or the sign (SRA) */
static void emit_shift32(struct jit_ctx *c, enum x86_shift op, unsigned src)
{
	struct x86_asm *a = &c->a;
	int n = shift_count(c);

	gsrc32(c, src, RAX);
	if (n >= 0 && op == XS_ROL)
		n &= 31;
	if (n >= 0) {
		if (n > 31 && op != XS_SAR)
			x_mov_imm(a, RAX, 0);
		else if (n)
			x_shift_imm(a, op, false, RAX, n > 31 ? 31 : (unsigned)n);
	} else if (op == XS_ROL) {
		x_shift_cl(a, op, false, RAX);
	} else {
		x_alu_imm(a, XI_CMP, false, RCX, 31);
		uint8_t *small = x_jcc(a, XC_BE);
		if (op == XS_SAR)
			x_mov_imm(a, RCX, 31);
		else
			x_mov_imm(a, RAX, 0);
		end_skip(c, small);
		x_shift_cl(a, op, false, RAX);
	}
	gset32(c, c->in->r1, RAX);
	if (op == XS_SAR)
		cc_set_r(c, CC_S32, RAX, -1);
}

/* RISBG(N): rotate r2, insert the bits i3..i4 into r1 (or zero the rest) */
static void emit_risbg(struct jit_ctx *c, bool sets_cc)
{
	struct x86_asm *a = &c->a;
	const struct s390_insn *in = c->in;
	unsigned s = in->i3 & 63, e = in->i4 & 63, rot = in->i5 & 63;
	uint64_t m1 = ~0ULL >> s, m2 = ~0ULL << (63 - e);
	uint64_t mask = s <= e ? (m1 & m2) : (m1 | m2);

	x_mov_rr(a, true, RAX, gsrc(c, in->r2, RAX));
	if (rot)
		x_shift_imm(a, XS_ROL, true, RAX, rot);
	x_mov_imm(a, RDX, mask);
	x_alu_rr(a, X_AND, true, RAX, RDX);
	if (!(in->i4 & 0x80)) {
		x_mov_imm(a, RDX, ~mask);
		x_alu_rr(a, X_AND, true, RDX, gsrc(c, in->r1, RCX));
		x_alu_rr(a, X_OR, true, RAX, RDX);
	}
	gset(c, in->r1, RAX);
	if (sets_cc)
		cc_set_r(c, CC_S64, RAX, -1);
}

/* ------------------------------------------------------------------ */
/* branches */

/* x86 condition for a compare mask (8 equal, 4 low, 2 high): -1 never,
 * -2 always */
static int cmp_cond(unsigned m, bool sign)
{
	switch (m & 14) {
	case 0: return -1;
	case 14: return -2;
	case 8: return XC_E;
	case 6: return XC_NE;
	case 4: return sign ? XC_L : XC_B;
	case 2: return sign ? XC_G : XC_A;
	case 12: return sign ? XC_LE : XC_BE;
	default: return sign ? XC_GE : XC_AE; /* 10 */
	}
}

/* Branch to target when x86 condition cond (after a compare) holds. */
static void branch_on(struct jit_ctx *c, int cond, uint64_t target)
{
	if (cond == -1)
		return;
	if (cond == -2) {
		branch_taken(c, target);
		return;
	}
	uint8_t *skip = skip_unless(c, (enum x86_cc)cond);
	branch_taken(c, target);
	end_skip(c, skip);
}

/* eax = the condition code of the lazy form op (rax = cc_a, rdx = cc_b) */
static void cc_value(struct jit_ctx *c, enum cc_op op)
{
	struct x86_asm *a = &c->a;
	bool w = true, sign = true;
	uint8_t *ovf = NULL, *done;

	switch (op) {
	case CC_CONST:
		return;
	case CC_NZ:
		x_alu_rr(a, X_TEST, true, RAX, RAX);
		x_setcc(a, XC_NE, RAX);
		x_movx_rr(a, false, X_MOVZX8, RAX, RAX);
		return;
	case CC_ADD_U32: case CC_ADD_U64: case CC_SUB_U32: case CC_SUB_U64: {
		bool add = op == CC_ADD_U32 || op == CC_ADD_U64;

		w = op == CC_ADD_U64 || op == CC_SUB_U64;
		x_alu_rr(a, add ? X_ADD : X_CMP, w, RAX, RDX);
		x_setcc(a, XC_NE, RDX);
		x_setcc(a, add ? XC_B : XC_AE, RCX);
		x_movx_rr(a, false, X_MOVZX8, RDX, RDX);
		x_movx_rr(a, false, X_MOVZX8, RCX, RCX);
		x_lea_eax_rdx_rcx2(a);
		return;
	}
	case CC_S32: case CC_S64:
		w = op == CC_S64;
		x_alu_rr(a, X_TEST, w, RAX, RAX);
		break;
	case CC_CMP_U32: case CC_CMP_U64:
		sign = false;
		/* fall through */
	case CC_CMP_S32: case CC_CMP_S64:
		w = op == CC_CMP_S64 || op == CC_CMP_U64;
		x_alu_rr(a, X_CMP, w, RAX, RDX);
		break;
	default: /* signed add/subtract: overflow is CC 3 */
		w = op == CC_ADD_S64 || op == CC_SUB_S64;
		x_alu_rr(a, op == CC_ADD_S32 || op == CC_ADD_S64 ? X_ADD : X_SUB,
			 w, RAX, RDX);
		ovf = x_jcc(a, XC_O);
		x_alu_rr(a, X_TEST, w, RAX, RAX);
		break;
	}
	x_setcc(a, sign ? XC_G : XC_A, RCX);
	x_setcc(a, sign ? XC_L : XC_B, RDX);
	x_movx_rr(a, false, X_MOVZX8, RCX, RCX);
	x_movx_rr(a, false, X_MOVZX8, RDX, RDX);
	x_lea_eax_rdx_rcx2(a);
	if (!ovf)
		return;
	done = x_jmp(a);
	end_skip(c, ovf);
	x_mov_imm(a, RAX, 3);
	end_skip(c, done);
}

/*
 * Jump (its site in *skip) when mask m does not select the condition
 * code; *skip is NULL when m selects every CC. False when the CC comes
 * from before the block (not known here).
 */
static bool cc_skip_unless(struct jit_ctx *c, unsigned m, uint8_t **skip)
{
	struct x86_asm *a = &c->a;
	enum cc_op op = (enum cc_op)c->cc_op;
	int cond;

	m &= 15;
	*skip = NULL;
	if (m == 15)
		return true;
	if (!m) {
		*skip = x_jmp(a);
		return true;
	}
	if (c->cc_op < 0)
		return false;
	c->flags[c->cur] |= JF_READS_CC;
	x_load(a, true, RAX, HCPU, CPU_OFF(cc_a));
	x_load(a, true, RDX, HCPU, CPU_OFF(cc_b));
	switch (op) {
	case CC_CMP_S32: case CC_CMP_S64: case CC_CMP_U32: case CC_CMP_U64:
		x_alu_rr(a, X_CMP, op == CC_CMP_S64 || op == CC_CMP_U64, RAX, RDX);
		cond = cmp_cond(m, op == CC_CMP_S32 || op == CC_CMP_S64);
		break;
	case CC_S32: case CC_S64:
		x_alu_rr(a, X_TEST, op == CC_S64, RAX, RAX);
		cond = cmp_cond(m, true);
		break;
	default:
		cc_value(c, op);
		/* bit cc of the mask, numbered from the right as bt counts */
		x_mov_imm(a, RDX, (m >> 3 & 1) | (m >> 1 & 2) | (m << 1 & 4) | (m << 3 & 8));
		x_bt(a, RDX, RAX);
		cond = XC_B;
		break;
	}
	if (cond == -1)
		*skip = x_jmp(a);
	else if (cond != -2)
		*skip = skip_unless(c, (enum x86_cc)cond);
	return true;
}

/* BRC/BRCL, BCR: branch to rel_target or through r2 if mask m selects */
static bool emit_branch_cond(struct jit_ctx *c, unsigned m, int r2, uint64_t target)
{
	uint8_t *skip;

	if (!(m & 15))
		return true;
	if (!cc_skip_unless(c, m, &skip))
		return false;
	if (r2 < 0) {
		branch_taken(c, target);
	} else {
		x_mov_rr(&c->a, true, RAX, gsrc(c, (unsigned)r2, RAX));
		if (c->am != ~0ULL)
			x_alu_imm(&c->a, XI_AND, false, RAX, (int32_t)c->am);
		branch_reg(c);
	}
	if (skip)
		end_skip(c, skip);
	return true;
}

/* LOCR/LOCGR: r1 = r2 if mask m selects */
static bool emit_loc(struct jit_ctx *c, bool w64)
{
	uint8_t *skip;

	if (!cc_skip_unless(c, c->in->m3, &skip))
		return false;
	if (w64) {
		gset(c, c->in->r1, gsrc(c, c->in->r2, RAX));
	} else {
		gsrc32(c, c->in->r2, RAX);
		gset32(c, c->in->r1, RAX);
	}
	if (skip)
		end_skip(c, skip);
	return true;
}

/* compare and branch relative: r1 against r2 or an immediate */
static void emit_cmp_branch(struct jit_ctx *c, bool w64, bool sign, int r2,
			    int64_t imm)
{
	struct x86_asm *a = &c->a;
	const struct s390_insn *in = c->in;
	unsigned t;

	c->flags[c->cur] |= JF_EXITS;
	if (w64) {
		t = gsrc(c, in->r1, RAX);
	} else {
		gsrc32(c, in->r1, RAX);
		t = RAX;
	}
	if (r2 >= 0) {
		unsigned s = w64 ? gsrc(c, (unsigned)r2, RDX) : RDX;

		if (!w64)
			gsrc32(c, (unsigned)r2, RDX);
		x_alu_rr(a, X_CMP, w64, t, s);
	} else {
		x_mov_imm(a, RDX, (uint64_t)imm);
		x_alu_rr(a, X_CMP, w64, t, RDX);
	}
	branch_on(c, cmp_cond(in->m3, sign),
		  (in->addr + (uint64_t)((int64_t)in->ri * 2)) & c->am);
}

/* ------------------------------------------------------------------ */

static uint64_t rel_target(const struct jit_ctx *c)
{
	return (c->in->addr + (uint64_t)(c->in->i2 * 2)) & c->am;
}

/* Translate one instruction; false if it is not supported. */
static bool emit_insn(struct jit_ctx *c)
{
	struct x86_asm *a = &c->a;
	const struct s390_insn *in = c->in;
	unsigned r1 = in->r1, r2 = in->r2, r3 = in->r3, d;
	bool ea64 = c->am == ~0ULL;

	switch ((enum s390_op)in->op) {
	/* loads and stores */
	case OP_LG:   emit_load(c, 8, false, true, CC_CONST); break;
	case OP_LTG:  emit_load(c, 8, false, true, CC_S64); break;
	case OP_L: case OP_LY: emit_load(c, 4, false, false, CC_CONST); break;
	case OP_LT:   emit_load(c, 4, false, false, CC_S32); break;
	case OP_LGF:  emit_load(c, 4, true, true, CC_CONST); break;
	case OP_LLGF: emit_load(c, 4, false, true, CC_CONST); break;
	case OP_LGH:  emit_load(c, 2, true, true, CC_CONST); break;
	case OP_LH: case OP_LHY: emit_load(c, 2, true, false, CC_CONST); break;
	case OP_LLGH: emit_load(c, 2, false, true, CC_CONST); break;
	case OP_LLH:  emit_load(c, 2, false, false, CC_CONST); break;
	case OP_LGB:  emit_load(c, 1, true, true, CC_CONST); break;
	case OP_LB:   emit_load(c, 1, true, false, CC_CONST); break;
	case OP_LLGC: emit_load(c, 1, false, true, CC_CONST); break;
	case OP_LLC:  emit_load(c, 1, false, false, CC_CONST); break;
	case OP_STG:  emit_store(c, 8); break;
	case OP_ST: case OP_STY: emit_store(c, 4); break;
	case OP_STH: case OP_STHY: emit_store(c, 2); break;
	case OP_STC: case OP_STCY: emit_store(c, 1); break;
	case OP_LA: case OP_LAY:
		emit_ea(c, in->x2, in->b2, in->d2);
		if (ea64)
			gset(c, r1, RAX);
		else
			gset32(c, r1, RAX);
		break;
	case OP_LARL:
		x_mov_imm(a, RAX, rel_target(c));
		if (ea64)
			gset(c, r1, RAX);
		else
			gset32(c, r1, RAX);
		break;

	/* register loads */
	case OP_LGR:
		gset(c, r1, gsrc(c, r2, RAX));
		break;
	case OP_LTGR:
		d = gsrc(c, r2, RAX);
		gset(c, r1, d);
		cc_set_r(c, CC_S64, d, -1);
		break;
	case OP_LR:
		gsrc32(c, r2, RAX);
		gset32(c, r1, RAX);
		break;
	case OP_LTR:
		gsrc32(c, r2, RAX);
		gset32(c, r1, RAX);
		cc_set_r(c, CC_S32, RAX, -1);
		break;
	case OP_LGFR:
		gsrc32(c, r2, RAX);
		x_movsxd(a, RAX, RAX);
		gset(c, r1, RAX);
		break;
	case OP_LLGFR:
		gsrc32(c, r2, RAX);
		gset(c, r1, RAX);
		break;
	case OP_LGHI: case OP_LGFI:
		x_mov_imm(a, RAX, (uint64_t)in->i2);
		gset(c, r1, RAX);
		break;
	case OP_LHI:
		x_mov_imm(a, RAX, (uint32_t)in->i2);
		gset32(c, r1, RAX);
		break;
	case OP_LLILF:
		x_mov_imm(a, RAX, (uint32_t)in->i2);
		gset(c, r1, RAX);
		break;
	case OP_LLIHF:
		x_mov_imm(a, RAX, (uint64_t)(uint32_t)in->i2 << 32);
		gset(c, r1, RAX);
		break;
	case OP_IILF:
		x_mov_imm(a, RAX, (uint32_t)in->i2);
		gset32(c, r1, RAX);
		break;

	/* 64-bit arithmetic and logic */
	case OP_NGR:  emit_rr64(c, X_AND, r1, r2, CC_NZ); break;
	case OP_OGR:  emit_rr64(c, X_OR, r1, r2, CC_NZ); break;
	case OP_XGR:  emit_rr64(c, X_XOR, r1, r2, CC_NZ); break;
	case OP_NGRK: emit_rr64(c, X_AND, r2, r3, CC_NZ); break;
	case OP_OGRK: emit_rr64(c, X_OR, r2, r3, CC_NZ); break;
	case OP_XGRK: emit_rr64(c, X_XOR, r2, r3, CC_NZ); break;
	case OP_ALGR: emit_rr64(c, X_ADD, r1, r2, CC_ADD_U64); break;
	case OP_ALGRK: emit_rr64(c, X_ADD, r2, r3, CC_ADD_U64); break;
	case OP_SLGR: emit_rr64(c, X_SUB, r1, r2, CC_SUB_U64); break;
	case OP_SLGRK: emit_rr64(c, X_SUB, r2, r3, CC_SUB_U64); break;
	case OP_AGR:  emit_arith64(c, false, r1, (int)r2, 0); break;
	case OP_AGRK: emit_arith64(c, false, r2, (int)r3, 0); break;
	case OP_SGR:  emit_arith64(c, true, r1, (int)r2, 0); break;
	case OP_SGRK: emit_arith64(c, true, r2, (int)r3, 0); break;
	case OP_AGHI: case OP_AGFI: emit_arith64(c, false, r1, -1, in->i2); break;
	case OP_AGHIK: emit_arith64(c, false, r3, -1, in->i2); break;

	/* 32-bit arithmetic and logic */
	case OP_NR:  emit_arith32(c, X_AND, r1, (int)r2, 0, CC_NZ); break;
	case OP_OR:  emit_arith32(c, X_OR, r1, (int)r2, 0, CC_NZ); break;
	case OP_XR:  emit_arith32(c, X_XOR, r1, (int)r2, 0, CC_NZ); break;
	case OP_NRK: emit_arith32(c, X_AND, r2, (int)r3, 0, CC_NZ); break;
	case OP_ORK: emit_arith32(c, X_OR, r2, (int)r3, 0, CC_NZ); break;
	case OP_XRK: emit_arith32(c, X_XOR, r2, (int)r3, 0, CC_NZ); break;
	case OP_AR:  emit_arith32(c, X_ADD, r1, (int)r2, 0, CC_ADD_S32); break;
	case OP_ARK: emit_arith32(c, X_ADD, r2, (int)r3, 0, CC_ADD_S32); break;
	case OP_SR:  emit_arith32(c, X_SUB, r1, (int)r2, 0, CC_SUB_S32); break;
	case OP_SRK: emit_arith32(c, X_SUB, r2, (int)r3, 0, CC_SUB_S32); break;
	case OP_ALR: emit_arith32(c, X_ADD, r1, (int)r2, 0, CC_ADD_U32); break;
	case OP_ALRK: emit_arith32(c, X_ADD, r2, (int)r3, 0, CC_ADD_U32); break;
	case OP_SLR: emit_arith32(c, X_SUB, r1, (int)r2, 0, CC_SUB_U32); break;
	case OP_SLRK: emit_arith32(c, X_SUB, r2, (int)r3, 0, CC_SUB_U32); break;
	case OP_AHI: case OP_AFI:
		emit_arith32(c, X_ADD, r1, -1, (uint32_t)in->i2, CC_ADD_S32);
		break;
	case OP_AHIK:
		emit_arith32(c, X_ADD, r3, -1, (uint32_t)in->i2, CC_ADD_S32);
		break;
	case OP_ALFI:
		emit_arith32(c, X_ADD, r1, -1, (uint32_t)in->i2, CC_ADD_U32);
		break;
	case OP_NILF: emit_imm_word(c, XI_AND, false); break;
	case OP_OILF: emit_imm_word(c, XI_OR, false); break;
	case OP_XILF: emit_imm_word(c, XI_XOR, false); break;
	case OP_NIHF: emit_imm_word(c, XI_AND, true); break;
	case OP_OIHF: emit_imm_word(c, XI_OR, true); break;
	case OP_XIHF: emit_imm_word(c, XI_XOR, true); break;

	/* compares */
	case OP_CGR:  emit_cmp(c, true, CC_CMP_S64, r1, (int)r2, 0); break;
	case OP_CLGR: emit_cmp(c, true, CC_CMP_U64, r1, (int)r2, 0); break;
	case OP_CR:   emit_cmp(c, false, CC_CMP_S32, r1, (int)r2, 0); break;
	case OP_CLR:  emit_cmp(c, false, CC_CMP_U32, r1, (int)r2, 0); break;
	case OP_CGHI: case OP_CGFI:
		emit_cmp(c, true, CC_CMP_S64, r1, -1, (uint64_t)in->i2);
		break;
	case OP_CLGFI:
		emit_cmp(c, true, CC_CMP_U64, r1, -1, (uint32_t)in->i2);
		break;
	case OP_CHI: case OP_CFI:
		emit_cmp(c, false, CC_CMP_S32, r1, -1, (uint32_t)in->i2);
		break;
	case OP_CLFI:
		emit_cmp(c, false, CC_CMP_U32, r1, -1, (uint32_t)in->i2);
		break;

	/* shifts and rotates */
	case OP_SLLG: emit_shift64(c, XS_SHL, CC_CONST); break;
	case OP_SRLG: emit_shift64(c, XS_SHR, CC_CONST); break;
	case OP_SRAG: emit_shift64(c, XS_SAR, CC_S64); break;
	case OP_RLLG: emit_shift64(c, XS_ROL, CC_CONST); break;
	case OP_SLL:  emit_shift32(c, XS_SHL, r1); break;
	case OP_SRL:  emit_shift32(c, XS_SHR, r1); break;
	case OP_SRA:  emit_shift32(c, XS_SAR, r1); break;
	case OP_SLLK: emit_shift32(c, XS_SHL, r3); break;
	case OP_SRLK: emit_shift32(c, XS_SHR, r3); break;
	case OP_SRAK: emit_shift32(c, XS_SAR, r3); break;
	case OP_RLL:  emit_shift32(c, XS_ROL, r3); break;
	case OP_RISBG: emit_risbg(c, true); break;
	case OP_RISBGN: emit_risbg(c, false); break;

	/* branches */
	case OP_BRC: case OP_BRCL:
		return emit_branch_cond(c, in->m3, -1, rel_target(c));
	case OP_BCR:
		if (!r2)
			break;	/* no branch (serialization: nothing to do here) */
		return emit_branch_cond(c, r1, (int)r2, 0);
	case OP_LOCGR: return emit_loc(c, true);
	case OP_LOCR:  return emit_loc(c, false);
	case OP_BRCTG:
		c->flags[c->cur] |= JF_EXITS;
		d = gdst(c, r1, gsrc(c, r1, RAX));
		x_alu_imm(a, XI_SUB, true, d, 1);
		gdst_done(c, r1, d);
		branch_on(c, XC_NE, rel_target(c));
		break;
	case OP_BRCT:
		c->flags[c->cur] |= JF_EXITS;
		gsrc32(c, r1, RAX);
		x_alu_imm(a, XI_SUB, false, RAX, 1);
		gset32(c, r1, RAX);
		x_alu_rr(a, X_TEST, false, RAX, RAX);
		branch_on(c, XC_NE, rel_target(c));
		break;
	case OP_CGRJ:  emit_cmp_branch(c, true, true, (int)r2, 0); break;
	case OP_CLGRJ: emit_cmp_branch(c, true, false, (int)r2, 0); break;
	case OP_CRJ:   emit_cmp_branch(c, false, true, (int)r2, 0); break;
	case OP_CLRJ:  emit_cmp_branch(c, false, false, (int)r2, 0); break;
	case OP_CGIJ:  emit_cmp_branch(c, true, true, -1, in->i2); break;
	case OP_CLGIJ: emit_cmp_branch(c, true, false, -1, (uint8_t)in->i2); break;
	case OP_CIJ:   emit_cmp_branch(c, false, true, -1, (uint32_t)in->i2); break;
	case OP_CLIJ:  emit_cmp_branch(c, false, false, -1, (uint8_t)in->i2); break;
	case OP_BRAS: case OP_BRASL:
		emit_link(c, r1);
		branch_taken(c, rel_target(c));
		break;
	case OP_BASR:
		if (!r2) {
			emit_link(c, r1);
			break;
		}
		x_mov_rr(a, true, RCX, gsrc(c, r2, RCX));
		emit_link(c, r1);
		x_mov_rr(a, true, RAX, RCX);
		if (!ea64)
			x_alu_imm(a, XI_AND, false, RAX, (int32_t)c->am);
		branch_reg(c);
		break;

	/* relative-long storage operands */
	case OP_LGRL:
		if (!emit_rel_addr(c, 8))
			return false;
		emit_load_at(c, 8, false, true, CC_CONST);
		break;
	case OP_LRL: case OP_LGFRL: case OP_LLGFRL:
		if (!emit_rel_addr(c, 4))
			return false;
		emit_load_at(c, 4, in->op == OP_LGFRL, in->op != OP_LRL, CC_CONST);
		break;
	case OP_STGRL:
		if (!emit_rel_addr(c, 8))
			return false;
		emit_store_at(c, 8, (int)r1, 0);
		break;
	case OP_STRL:
		if (!emit_rel_addr(c, 4))
			return false;
		emit_store_at(c, 4, (int)r1, 0);
		break;

	/* storage and immediate */
	case OP_MVI: case OP_MVIY:
		emit_ea(c, 0, in->b1, in->d1);
		emit_store_at(c, 1, -1, (uint8_t)in->i2);
		break;
	case OP_MVHHI:
		emit_ea(c, 0, in->b1, in->d1);
		emit_store_at(c, 2, -1, (uint16_t)in->i2);
		break;
	case OP_MVHI:
		emit_ea(c, 0, in->b1, in->d1);
		emit_store_at(c, 4, -1, (uint32_t)in->i2);
		break;
	case OP_MVGHI:
		emit_ea(c, 0, in->b1, in->d1);
		emit_store_at(c, 8, -1, (uint64_t)in->i2);
		break;
	case OP_CLI: case OP_CLIY:
		emit_ea(c, 0, in->b1, in->d1);
		emit_tlb(c, ACC_FETCH, 1);
		emit_load_value(c, 1, false, false);
		cc_set_i(c, CC_CMP_U32, RAX, (uint8_t)in->i2);
		break;
	case OP_TM: case OP_TMY:
		emit_ea(c, 0, in->b1, in->d1);
		emit_tlb(c, ACC_FETCH, 1);
		emit_load_value(c, 1, false, false);
		emit_test_mask(c, (uint8_t)in->i2, 0);
		break;
	case OP_TMLL: emit_tm16(c, 0); break;
	case OP_TMLH: emit_tm16(c, 16); break;
	case OP_TMHL: emit_tm16(c, 32); break;
	case OP_TMHH: emit_tm16(c, 48); break;
	case OP_LMG: emit_multiple(c, true, false); break;
	case OP_STMG: emit_multiple(c, true, true); break;
	case OP_LM: case OP_LMY: emit_multiple(c, false, false); break;
	case OP_STM: case OP_STMY: emit_multiple(c, false, true); break;

	/* arithmetic with a storage operand */
	case OP_AG: case OP_AGF: case OP_SG: case OP_SGF:
		emit_mem_operand(c, in->op == OP_AG || in->op == OP_SG ? 8 : 4, true, true);
		emit_arith64(c, in->op == OP_SG || in->op == OP_SGF, r1, OPND_RDX, 0);
		break;
	case OP_ALG: case OP_ALGF:
		emit_mem_operand(c, in->op == OP_ALG ? 8 : 4, false, true);
		emit_rr64(c, X_ADD, r1, OPND_RDX, CC_ADD_U64);
		break;
	case OP_SLG:
		emit_mem_operand(c, 8, false, true);
		emit_rr64(c, X_SUB, r1, OPND_RDX, CC_SUB_U64);
		break;
	case OP_NG: case OP_OG: case OP_XG:
		emit_mem_operand(c, 8, false, true);
		emit_rr64(c, in->op == OP_NG ? X_AND : in->op == OP_OG ? X_OR : X_XOR,
			  r1, OPND_RDX, CC_NZ);
		break;
	case OP_A: case OP_AY: case OP_S: case OP_SY:
		emit_mem_operand(c, 4, false, false);
		emit_arith32(c, in->op == OP_A || in->op == OP_AY ? X_ADD : X_SUB, r1,
			     OPND_RDX, 0,
			     in->op == OP_A || in->op == OP_AY ? CC_ADD_S32 : CC_SUB_S32);
		break;
	case OP_AH: case OP_AHY: case OP_SH: case OP_SHY:
		emit_mem_operand(c, 2, true, false);
		emit_arith32(c, in->op == OP_AH || in->op == OP_AHY ? X_ADD : X_SUB, r1,
			     OPND_RDX, 0,
			     in->op == OP_AH || in->op == OP_AHY ? CC_ADD_S32 : CC_SUB_S32);
		break;
	case OP_AL: case OP_ALY: case OP_SL: case OP_SLY:
		emit_mem_operand(c, 4, false, false);
		emit_arith32(c, in->op == OP_AL || in->op == OP_ALY ? X_ADD : X_SUB, r1,
			     OPND_RDX, 0,
			     in->op == OP_AL || in->op == OP_ALY ? CC_ADD_U32 : CC_SUB_U32);
		break;
	case OP_N: case OP_NY: case OP_O: case OP_OY: case OP_X: case OP_XY:
		emit_mem_operand(c, 4, false, false);
		emit_arith32(c, in->op == OP_N || in->op == OP_NY ? X_AND :
			     in->op == OP_O || in->op == OP_OY ? X_OR : X_XOR,
			     r1, OPND_RDX, 0, CC_NZ);
		break;
	case OP_CG: case OP_CGF: case OP_CGH:
		emit_mem_operand(c, in->op == OP_CG ? 8 : in->op == OP_CGF ? 4 : 2, true, true);
		emit_cmp(c, true, CC_CMP_S64, r1, OPND_RDX, 0);
		break;
	case OP_CLG: case OP_CLGF:
		emit_mem_operand(c, in->op == OP_CLG ? 8 : 4, false, true);
		emit_cmp(c, true, CC_CMP_U64, r1, OPND_RDX, 0);
		break;
	case OP_C: case OP_CY: case OP_CH: case OP_CHY:
		emit_mem_operand(c, in->op == OP_C || in->op == OP_CY ? 4 : 2, true, false);
		emit_cmp(c, false, CC_CMP_S32, r1, OPND_RDX, 0);
		break;
	case OP_CL: case OP_CLY:
		emit_mem_operand(c, 4, false, false);
		emit_cmp(c, false, CC_CMP_U32, r1, OPND_RDX, 0);
		break;
	case OP_MSG: case OP_MSGF:
		emit_mem_operand(c, in->op == OP_MSG ? 8 : 4, true, true);
		emit_mul(c, true, OPND_RDX, 0);
		break;
	case OP_MS: case OP_MSY:
		emit_mem_operand(c, 4, false, false);
		emit_mul(c, false, OPND_RDX, 0);
		break;

	/* register forms with an extended second operand */
	case OP_AGFR: case OP_SGFR:
		emit_r2_word(c, true);
		emit_arith64(c, in->op == OP_SGFR, r1, OPND_RDX, 0);
		break;
	case OP_ALGFR:
		emit_r2_word(c, false);
		emit_rr64(c, X_ADD, r1, OPND_RDX, CC_ADD_U64);
		break;
	case OP_SLGFR:
		emit_r2_word(c, false);
		emit_rr64(c, X_SUB, r1, OPND_RDX, CC_SUB_U64);
		break;
	case OP_CGFR:
		emit_r2_word(c, true);
		emit_cmp(c, true, CC_CMP_S64, r1, OPND_RDX, 0);
		break;
	case OP_CLGFR:
		emit_r2_word(c, false);
		emit_cmp(c, true, CC_CMP_U64, r1, OPND_RDX, 0);
		break;
	case OP_LGBR:  emit_extend(c, X_MOVSX8, true); break;
	case OP_LGHR:  emit_extend(c, X_MOVSX16, true); break;
	case OP_LLGCR: emit_extend(c, X_MOVZX8, true); break;
	case OP_LLGHR: emit_extend(c, X_MOVZX16, true); break;
	case OP_LBR:   emit_extend(c, X_MOVSX8, false); break;
	case OP_LHR:   emit_extend(c, X_MOVSX16, false); break;
	case OP_LLCR:  emit_extend(c, X_MOVZX8, false); break;
	case OP_LLHR:  emit_extend(c, X_MOVZX16, false); break;
	case OP_LCGR:  emit_complement(c, true); break;
	case OP_LCR:   emit_complement(c, false); break;
	case OP_MSGR:  emit_mul(c, true, (int)r2, 0); break;
	case OP_MSR:   emit_mul(c, false, (int)r2, 0); break;
	case OP_MSGFI: case OP_MGHI: emit_mul(c, true, OPND_IMM, (int32_t)in->i2); break;
	case OP_MSFI: case OP_MHI:   emit_mul(c, false, OPND_IMM, (int32_t)in->i2); break;

	/* 16-bit and high-word immediates */
	case OP_LLILL: case OP_LLILH: case OP_LLIHL: case OP_LLIHH:
		/* insns.def lists them high to low */
		x_mov_imm(a, RAX, (uint64_t)(uint16_t)in->i2 <<
				  (48 - 16 * (unsigned)(in->op - OP_LLIHH)));
		gset(c, r1, RAX);
		break;
	case OP_IILL: emit_insert_imm(c, 0, 0xFFFF); break;
	case OP_IILH: emit_insert_imm(c, 16, 0xFFFF); break;
	case OP_IIHL: emit_insert_imm(c, 32, 0xFFFF); break;
	case OP_IIHH: emit_insert_imm(c, 48, 0xFFFF); break;
	case OP_IIHF: emit_insert_imm(c, 32, 0xFFFFFFFF); break;
	default:
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* the block */

static void emit_prologue(struct jit_ctx *c)
{
	static const uint8_t saved[] = { RBX, RBP, R12, R13, R14, R15 };
	struct x86_asm *a = &c->a;

	for (unsigned i = 0; i < sizeof(saved); i++)
		x_push(a, saved[i]);
	x_mov_rr(a, true, HCPU, RDI);
	x_load(a, true, HLEFT, HCPU, CPU_OFF(budget));
	/* every allocated register: a bail-out before its first write
	 * stores it back as it was */
	for (unsigned g = 0; g < 16; g++)
		if (c->host[g] >= 0)
			x_load(a, true, (unsigned)c->host[g], HCPU, GPR_OFF(g));
	c->body = a->p;
}

static void emit_epilogue(struct jit_ctx *c)
{
	static const uint8_t saved[] = { R15, R14, R13, R12, RBP, RBX };
	struct x86_asm *a = &c->a;

	/* bail-outs: charge what ran before the instruction */
	for (unsigned i = 0; i < c->n; i++) {
		uint8_t *stub = a->p;
		bool any = false;

		for (unsigned k = 0; k < c->n_bail; k++) {
			if (c->bail_insn[k] == i) {
				x_patch(a, c->bail_site[k], stub);
				any = true;
			}
		}
		if (!any)
			continue;
		x_store8_imm(a, HCPU, CPU_OFF(jit_bail), 1);
		exit_to(c, c->b->first[i].addr & c->am, i);
	}
	for (unsigned k = 0; k < c->n_exit; k++)
		x_patch(a, c->exit_site[k], a->p);
	for (unsigned g = 0; g < 16; g++)
		if (c->host[g] >= 0 && (c->written & (1u << g)))
			x_store(a, true, (unsigned)c->host[g], HCPU, GPR_OFF(g));
	x_store(a, true, HLEFT, HCPU, CPU_OFF(budget));
	for (unsigned i = 0; i < sizeof(saved); i++)
		x_pop(a, saved[i]);
	x_b(a, 0xC3);
}

/* Translate instructions [0, limit) of the block; with dry set, stop at
 * the first unsupported one and count. */
static void translate(struct jit_ctx *c, unsigned limit)
{
	c->cc_op = -1;
	c->written = 0;
	c->n_bail = c->n_exit = 0;
	for (c->cur = 0; c->cur < limit; c->cur++) {
		c->in = &c->b->first[c->cur];
		c->flags[c->cur] = 0;
		if (!emit_insn(c))
			break;
	}
	if (c->dry)
		c->n = c->cur;
	else
		exit_to(c, c->b->first[c->n].addr & c->am, c->n);
}

/* Which condition-code stores can be seen (see the head comment). */
static void cc_liveness(struct jit_ctx *c)
{
	for (unsigned i = 0; i < c->n; i++) {
		bool needed = true;

		if (!(c->flags[i] & JF_SETS_CC))
			continue;
		for (unsigned j = i + 1; j < c->n; j++) {
			if (c->flags[j] & (JF_READS_CC | JF_EXITS))
				break;
			if (c->flags[j] & JF_SETS_CC) {
				needed = false;
				break;
			}
		}
		/* an instruction's own bail-out needs no store: the
		 * interpreter runs it again and sets the CC itself */
		c->cc_needed[i] = needed;
	}
}

/* the most used guest registers go to host registers */
static void allocate(struct jit_ctx *c)
{
	unsigned used = 0;

	memset(c->host, -1, sizeof(c->host));
	while (used < N_POOL) {
		unsigned best = 16;

		for (unsigned g = 0; g < 16; g++)
			if (c->host[g] < 0 && c->uses[g] &&
			    (best == 16 || c->uses[g] > c->uses[best]))
				best = g;
		if (best == 16)
			break;
		c->host[best] = (int8_t)guest_pool[used++];
	}
}

void s390_jit_compile(struct s390_cpu *cpu, struct s390_iblk *b, uint64_t am)
{
	struct jit_ctx c;
	uint8_t *start;

	if (!s390_jit_prepare(cpu))
		return;
	if (cpu->jit_used + S390_JIT_BLOCK_MAX > cpu->jit_size) {
		cpu->jit_full = true;
		return;
	}
	start = cpu->jit_buf + cpu->jit_used;
	memset(&c, 0, sizeof(c));
	c.cpu = cpu;
	c.b = b;
	c.am = am;
	c.a.p = start;
	c.a.end = start + S390_JIT_BLOCK_MAX;
	memset(c.host, -1, sizeof(c.host));
	c.dry = true;
	translate(&c, b->n);
	if (!c.n)
		return;

	allocate(&c);
	cc_liveness(&c);
	c.dry = false;
	c.a.p = start;
	emit_prologue(&c);
	translate(&c, c.n);
	emit_epilogue(&c);
	if (c.a.overflow)
		return;
	cpu->jit_used = (uint32_t)(((uintptr_t)c.a.p - (uintptr_t)cpu->jit_buf + 15) & ~15u);
	b->jit = start;
	b->jit_n = (uint16_t)c.n;
	b->jit_am = am;
	cpu->stat_jit_blocks++;
}

#endif /* S390_JIT_X86 */
