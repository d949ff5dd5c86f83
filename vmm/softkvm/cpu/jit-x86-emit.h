/* SPDX-License-Identifier: MIT */
/*
 * A small x86-64 assembler for the translator (jit-x86.c): just the
 * encodings it uses, written into a bounded buffer. Register numbers are
 * the hardware ones (0 rax .. 15 r15); `w` selects 64-bit operand size.
 */
#ifndef ZVMM_SOFTKVM_CPU_JIT_X86_EMIT_H
#define ZVMM_SOFTKVM_CPU_JIT_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum x86_reg {
	RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
	R8, R9, R10, R11, R12, R13, R14, R15,
};

/* two-operand ALU opcodes, "op r/m, reg" form */
enum x86_alu {
	X_ADD = 0x01, X_OR = 0x09, X_AND = 0x21, X_SUB = 0x29,
	X_XOR = 0x31, X_CMP = 0x39, X_MOV = 0x89, X_TEST = 0x85,
};

/* /digit of the immediate group (0x81) */
enum x86_alu_imm {
	XI_ADD = 0, XI_OR = 1, XI_AND = 4, XI_SUB = 5, XI_XOR = 6, XI_CMP = 7,
};

/* /digit of the shift group (0xC1, 0xD3) */
enum x86_shift { XS_ROL = 0, XS_SHL = 4, XS_SHR = 5, XS_SAR = 7 };

/* condition codes of Jcc / SETcc */
enum x86_cc {
	XC_O = 0, XC_NO = 1, XC_B = 2, XC_AE = 3, XC_E = 4, XC_NE = 5,
	XC_BE = 6, XC_A = 7, XC_S = 8, XC_NS = 9, XC_L = 0xC, XC_GE = 0xD,
	XC_LE = 0xE, XC_G = 0xF,
};

struct x86_asm {
	uint8_t *p, *end;
	bool overflow;      /* something did not fit: discard the code */
};

static inline void x_b(struct x86_asm *a, uint8_t b)
{
	if (a->p < a->end)
		*a->p++ = b;
	else
		a->overflow = true;
}

static inline void x_u32(struct x86_asm *a, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x_b(a, (uint8_t)(v >> (8 * i)));
}

static inline void x_u64(struct x86_asm *a, uint64_t v)
{
	x_u32(a, (uint32_t)v);
	x_u32(a, (uint32_t)(v >> 32));
}

/* REX prefix when needed (always with w). */
static inline void x_rex(struct x86_asm *a, bool w, unsigned reg, unsigned index,
			 unsigned base)
{
	uint8_t r = (uint8_t)(0x40 | w << 3 | (reg >> 3) << 2 | (index >> 3) << 1 |
			      (base >> 3));
	if (r != 0x40)
		x_b(a, r);
}

static inline void x_modrm_rr(struct x86_asm *a, unsigned reg, unsigned rm)
{
	x_b(a, (uint8_t)(0xC0 | (reg & 7) << 3 | (rm & 7)));
}

/* [base + disp32] */
static inline void x_modrm_disp(struct x86_asm *a, unsigned reg, unsigned base,
				int32_t disp)
{
	x_b(a, (uint8_t)(0x80 | (reg & 7) << 3 | (base & 7)));
	if ((base & 7) == RSP)
		x_b(a, 0x24);
	x_u32(a, (uint32_t)disp);
}

/* [base + index + disp32] */
static inline void x_modrm_sib(struct x86_asm *a, unsigned reg, unsigned base,
			       unsigned index, int32_t disp)
{
	x_b(a, (uint8_t)(0x84 | (reg & 7) << 3));
	x_b(a, (uint8_t)((index & 7) << 3 | (base & 7)));
	x_u32(a, (uint32_t)disp);
}

/* [rdx] */
static inline void x_modrm_rdx(struct x86_asm *a, unsigned reg)
{
	x_b(a, (uint8_t)((reg & 7) << 3 | RDX));
}

/* op dst, src (register to register) */
static inline void x_alu_rr(struct x86_asm *a, enum x86_alu op, bool w,
			    unsigned dst, unsigned src)
{
	x_rex(a, w, src, 0, dst);
	x_b(a, (uint8_t)op);
	x_modrm_rr(a, src, dst);
}

static inline void x_mov_rr(struct x86_asm *a, bool w, unsigned dst, unsigned src)
{
	if (dst != src || !w)
		x_alu_rr(a, X_MOV, w, dst, src);
}

/* mov reg, [base + disp] / mov [base + disp], reg */
static inline void x_load(struct x86_asm *a, bool w, unsigned reg, unsigned base,
			  int32_t disp)
{
	x_rex(a, w, reg, 0, base);
	x_b(a, 0x8B);
	x_modrm_disp(a, reg, base, disp);
}

static inline void x_store(struct x86_asm *a, bool w, unsigned reg, unsigned base,
			   int32_t disp)
{
	x_rex(a, w, reg, 0, base);
	x_b(a, 0x89);
	x_modrm_disp(a, reg, base, disp);
}

/* mov dword/qword [base + disp], imm32 (sign-extended for qword) */
static inline void x_store_imm(struct x86_asm *a, bool w, unsigned base,
			       int32_t disp, int32_t imm)
{
	x_rex(a, w, 0, 0, base);
	x_b(a, 0xC7);
	x_modrm_disp(a, 0, base, disp);
	x_u32(a, (uint32_t)imm);
}

static inline void x_store8_imm(struct x86_asm *a, unsigned base, int32_t disp,
				uint8_t imm)
{
	x_rex(a, false, 0, 0, base);
	x_b(a, 0xC6);
	x_modrm_disp(a, 0, base, disp);
	x_b(a, imm);
}

/* cmp dword [base + disp], imm32 */
static inline void x_cmp32_mem_imm(struct x86_asm *a, unsigned base, int32_t disp,
				   uint32_t imm)
{
	x_rex(a, false, 0, 0, base);
	x_b(a, 0x81);
	x_modrm_disp(a, XI_CMP, base, disp);
	x_u32(a, imm);
}

/* op reg, [base + index + disp] (0x03-style "reg, r/m" opcode = op + 2) */
static inline void x_alu_sib(struct x86_asm *a, enum x86_alu op, bool w,
			     unsigned reg, unsigned base, unsigned index, int32_t disp)
{
	x_rex(a, w, reg, index, base);
	x_b(a, (uint8_t)(op + 2));
	x_modrm_sib(a, reg, base, index, disp);
}

/* mov reg, imm: the shortest encoding for the value */
static inline void x_mov_imm(struct x86_asm *a, unsigned reg, uint64_t v)
{
	if (v <= 0xFFFFFFFFULL) {
		x_rex(a, false, 0, 0, reg);
		x_b(a, (uint8_t)(0xB8 | (reg & 7)));
		x_u32(a, (uint32_t)v);
	} else if ((int64_t)v == (int32_t)v) {
		x_rex(a, true, 0, 0, reg);
		x_b(a, 0xC7);
		x_modrm_rr(a, 0, reg);
		x_u32(a, (uint32_t)v);
	} else {
		x_rex(a, true, 0, 0, reg);
		x_b(a, (uint8_t)(0xB8 | (reg & 7)));
		x_u64(a, v);
	}
}

/* op reg, imm32 (sign-extended for w) */
static inline void x_alu_imm(struct x86_asm *a, enum x86_alu_imm op, bool w,
			     unsigned reg, int32_t imm)
{
	x_rex(a, w, 0, 0, reg);
	if (imm >= -128 && imm <= 127) {
		x_b(a, 0x83);
		x_modrm_rr(a, op, reg);
		x_b(a, (uint8_t)imm);
	} else {
		x_b(a, 0x81);
		x_modrm_rr(a, op, reg);
		x_u32(a, (uint32_t)imm);
	}
}

static inline void x_shift_imm(struct x86_asm *a, enum x86_shift op, bool w,
			       unsigned reg, unsigned n)
{
	x_rex(a, w, 0, 0, reg);
	x_b(a, 0xC1);
	x_modrm_rr(a, op, reg);
	x_b(a, (uint8_t)n);
}

/* shift by cl (the count is masked to 5 or 6 bits by the hardware) */
static inline void x_shift_cl(struct x86_asm *a, enum x86_shift op, bool w,
			      unsigned reg)
{
	x_rex(a, w, 0, 0, reg);
	x_b(a, 0xD3);
	x_modrm_rr(a, op, reg);
}

static inline void x_bswap(struct x86_asm *a, bool w, unsigned reg)
{
	x_rex(a, w, 0, 0, reg);
	x_b(a, 0x0F);
	x_b(a, (uint8_t)(0xC8 | (reg & 7)));
}

/* rol ax, 8: swap the bytes of a halfword in rax */
static inline void x_swap16_ax(struct x86_asm *a)
{
	x_b(a, 0x66);
	x_b(a, 0xC1);
	x_modrm_rr(a, XS_ROL, RAX);
	x_b(a, 8);
}

/* movzx/movsx reg, byte/word [rdx] (0x0F opcode byte op2) */
static inline void x_movx_rdx(struct x86_asm *a, bool w, uint8_t op2, unsigned reg)
{
	x_rex(a, w, reg, 0, 0);
	x_b(a, 0x0F);
	x_b(a, op2);
	x_modrm_rdx(a, reg);
}
#define X_MOVZX8  0xB6
#define X_MOVZX16 0xB7
#define X_MOVSX8  0xBE
#define X_MOVSX16 0xBF

/* movsx/movzx reg, r8/r16 */
static inline void x_movx_rr(struct x86_asm *a, bool w, uint8_t op2, unsigned dst,
			     unsigned src)
{
	x_rex(a, w, dst, 0, src);
	x_b(a, 0x0F);
	x_b(a, op2);
	x_modrm_rr(a, dst, src);
}

/* movsxd dst, src32 */
static inline void x_movsxd(struct x86_asm *a, unsigned dst, unsigned src)
{
	x_rex(a, true, dst, 0, src);
	x_b(a, 0x63);
	x_modrm_rr(a, dst, src);
}

/* mov reg, [rdx] / mov [rdx], reg (size 1, 2, 4, 8) */
static inline void x_load_rdx(struct x86_asm *a, bool w, unsigned reg)
{
	x_rex(a, w, reg, 0, 0);
	x_b(a, 0x8B);
	x_modrm_rdx(a, reg);
}

static inline void x_store_rdx(struct x86_asm *a, unsigned size, unsigned reg)
{
	if (size == 2)
		x_b(a, 0x66);
	x_rex(a, size == 8, reg, 0, 0);
	x_b(a, size == 1 ? 0x88 : 0x89);
	x_modrm_rdx(a, reg);
}

/* setcc r8 (al, cl, dl, bl only: no REX) */
static inline void x_setcc(struct x86_asm *a, enum x86_cc cc, unsigned reg)
{
	x_b(a, 0x0F);
	x_b(a, (uint8_t)(0x90 | cc));
	x_modrm_rr(a, 0, reg);
}

/* lea eax, [rdx + rcx*2]: two flag bits into a condition code */
static inline void x_lea_eax_rdx_rcx2(struct x86_asm *a)
{
	x_b(a, 0x8D);
	x_b(a, 0x04);
	x_b(a, 0x4A);
}

/* bt r32(rm), r32(reg) */
static inline void x_bt(struct x86_asm *a, unsigned rm, unsigned reg)
{
	x_rex(a, false, reg, 0, rm);
	x_b(a, 0x0F);
	x_b(a, 0xA3);
	x_modrm_rr(a, reg, rm);
}

/* test reg, imm32 */
static inline void x_test_imm(struct x86_asm *a, bool w, unsigned reg, uint32_t imm)
{
	x_rex(a, w, 0, 0, reg);
	x_b(a, 0xF7);
	x_modrm_rr(a, 0, reg);
	x_u32(a, imm);
}

/* imul dst, src / imul dst, src, imm32 */
static inline void x_imul_rr(struct x86_asm *a, bool w, unsigned dst, unsigned src)
{
	x_rex(a, w, dst, 0, src);
	x_b(a, 0x0F);
	x_b(a, 0xAF);
	x_modrm_rr(a, dst, src);
}

static inline void x_imul_imm(struct x86_asm *a, bool w, unsigned dst, unsigned src,
			      int32_t imm)
{
	x_rex(a, w, dst, 0, src);
	x_b(a, 0x69);
	x_modrm_rr(a, dst, src);
	x_u32(a, (uint32_t)imm);
}

static inline void x_push(struct x86_asm *a, unsigned reg)
{
	x_rex(a, false, 0, 0, reg);
	x_b(a, (uint8_t)(0x50 | (reg & 7)));
}

static inline void x_pop(struct x86_asm *a, unsigned reg)
{
	x_rex(a, false, 0, 0, reg);
	x_b(a, (uint8_t)(0x58 | (reg & 7)));
}

/* Jumps: rel32 forms; the returned position is patched by x_patch(). */
static inline uint8_t *x_jcc(struct x86_asm *a, enum x86_cc cc)
{
	x_b(a, 0x0F);
	x_b(a, (uint8_t)(0x80 | cc));
	x_u32(a, 0);
	return a->p - 4;
}

static inline uint8_t *x_jmp(struct x86_asm *a)
{
	x_b(a, 0xE9);
	x_u32(a, 0);
	return a->p - 4;
}

/* Make the rel32 at site (from x_jcc/x_jmp) jump to target. */
static inline void x_patch(struct x86_asm *a, uint8_t *site, const uint8_t *target)
{
	if (a->overflow)
		return;
	int32_t rel = (int32_t)(target - (site + 4));
	memcpy(site, &rel, 4);
}

#endif
