// SPDX-License-Identifier: MIT
/*
 * Instruction decoding: opcode key -> operation, format -> fields.
 */
#include "softkvm/cpu/internal.h"

static const uint16_t op_by_key[0x10000] = {
#define INSN(name, key, fmt) [key] = OP_##name,
#include "softkvm/cpu/insns.def"
#undef INSN
};

static const uint8_t op_fmt[OP_MAX] = {
#define INSN(name, key, fmt) [OP_##name] = F_##fmt,
#include "softkvm/cpu/insns.def"
#undef INSN
};

const char *const s390_op_names[OP_MAX] = {
	[OP_INVALID] = "(invalid)",
#define INSN(name, key, fmt) [OP_##name] = #name,
#include "softkvm/cpu/insns.def"
#undef INSN
};

unsigned s390_op_key(const uint8_t *p)
{
	unsigned op0 = p[0];

	switch (op0) {
	case 0xA5: case 0xA7: case 0xC0: case 0xC2: case 0xC4: case 0xC6:
	case 0xC8: case 0xCC:
		return op0 << 8 | (p[1] & 0x0F);
	case 0x01: case 0xB2: case 0xB3: case 0xB9: case 0xE5:
		return op0 << 8 | p[1];
	case 0xE3: case 0xE7: case 0xEB: case 0xEC: case 0xED:
		return op0 << 8 | p[5];
	default:
		return op0 << 8;
	}
}

static int32_t disp20(const uint8_t *p)
{
	/* DL in bits 20-31, DH in bits 32-39 */
	int32_t dl = (p[2] & 0x0F) << 8 | p[3];
	return (int32_t)(int8_t)p[4] * 4096 + dl;
}

static int32_t disp12(const uint8_t *p)
{
	return (p[0] & 0x0F) << 8 | p[1];
}

void s390_decode(const uint8_t *p, struct s390_insn *in)
{
	unsigned len = s390_insn_len(p[0]);

	memset(in, 0, sizeof(*in));
	memcpy(in->raw, p, len);
	in->ilen = (uint8_t)len;
	in->op = op_by_key[s390_op_key(p)];

	unsigned hi1 = p[1] >> 4, lo1 = p[1] & 0x0F;
	switch (op_fmt[in->op]) {
	case F_NONE:
	case F_E:
		break;
	case F_I:
		in->i2 = p[1];
		break;
	case F_RR:
		in->r1 = (uint8_t)hi1;
		in->r2 = (uint8_t)lo1;
		break;
	case F_RRE:
		in->r1 = p[3] >> 4;
		in->r2 = p[3] & 0x0F;
		break;
	case F_RRF:
		in->r1 = p[3] >> 4;
		in->r2 = p[3] & 0x0F;
		in->r3 = p[2] >> 4;      /* R3 or M3 */
		in->m3 = p[2] >> 4;
		in->i4 = p[2] & 0x0F;    /* M4 */
		break;
	case F_RX:
		in->r1 = (uint8_t)hi1;
		in->x2 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		break;
	case F_RXY:
		in->r1 = (uint8_t)hi1;
		in->x2 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp20(p);
		break;
	case F_RS:
		in->r1 = (uint8_t)hi1;
		in->r3 = (uint8_t)lo1;
		in->m3 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		break;
	case F_RSY:
		in->r1 = (uint8_t)hi1;
		in->r3 = (uint8_t)lo1;
		in->m3 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp20(p);
		break;
	case F_RSI:
	case F_RIEd:
		in->r1 = (uint8_t)hi1;
		in->r3 = (uint8_t)lo1;
		in->i2 = (int16_t)get_be16(p + 2);
		break;
	case F_RI:
		in->r1 = (uint8_t)hi1;
		in->m3 = (uint8_t)hi1;
		in->i2 = (int16_t)get_be16(p + 2);
		break;
	case F_RIL:
		in->r1 = (uint8_t)hi1;
		in->m3 = (uint8_t)hi1;
		in->i2 = (int32_t)get_be32(p + 2);
		break;
	case F_SI:
		in->i2 = p[1];
		in->b1 = p[2] >> 4;
		in->d1 = disp12(p + 2);
		break;
	case F_SIY:
		in->i2 = p[1];
		in->b1 = p[2] >> 4;
		in->d1 = disp20(p);
		break;
	case F_SIL:
		in->b1 = p[2] >> 4;
		in->d1 = disp12(p + 2);
		in->i2 = (int16_t)get_be16(p + 4);
		break;
	case F_S:
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		break;
	case F_S1:   /* SI-like form with only the first operand address */
		in->i2 = p[1];
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		break;
	case F_SS:
	case F_SSE:
		in->l1 = p[1];
		in->b1 = p[2] >> 4;
		in->d1 = disp12(p + 2);
		in->b2 = p[4] >> 4;
		in->d2 = disp12(p + 4);
		break;
	case F_RIEa:   /* compare immediate and trap: R1, I2, M3 */
		in->r1 = (uint8_t)hi1;
		in->i2 = (int16_t)get_be16(p + 2);
		in->m3 = p[4] >> 4;
		break;
	case F_RIEb:
		in->r1 = (uint8_t)hi1;
		in->r2 = (uint8_t)lo1;
		in->ri = (int16_t)get_be16(p + 2);
		in->m3 = p[4] >> 4;
		break;
	case F_RIEc:
		in->r1 = (uint8_t)hi1;
		in->m3 = (uint8_t)lo1;
		in->ri = (int16_t)get_be16(p + 2);
		in->i2 = (int8_t)p[4];
		break;
	case F_RIEf:
		in->r1 = (uint8_t)hi1;
		in->r2 = (uint8_t)lo1;
		in->i3 = p[2];
		in->i4 = p[3];
		in->i5 = p[4];
		break;
	case F_RRS:
		in->r1 = (uint8_t)hi1;
		in->r2 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		in->m3 = p[4] >> 4;
		break;
	case F_RIS:
		in->r1 = (uint8_t)hi1;
		in->m3 = (uint8_t)lo1;
		in->b2 = p[2] >> 4;
		in->d2 = disp12(p + 2);
		in->i2 = (int8_t)p[4];
		break;
	}
}
