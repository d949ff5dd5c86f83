/* SPDX-License-Identifier: MIT */
/*
 * The case and result records of the instruction differential test,
 * serialised big-endian so that the x86 driver and the s390x runner agree.
 */
#ifndef ZVMM_TESTS_DIFF_INSN_CASE_H
#define ZVMM_TESTS_DIFF_INSN_CASE_H

#include <stdint.h>
#include <string.h>

#define CTX_ADDR   0x10000ULL
#define CTX_GPR    0x10000ULL
#define CTX_FPR    0x10080ULL
#define CTX_CCPM   0x10100ULL
#define CTX_ACR    0x10140ULL
#define CODE_ADDR  0x11000ULL
#define CODE_SIZE  0x2000
#define INSN_ADDR  0x11800ULL
#define EXTRA_CODE 10          /* bytes after the instruction (EXRL targets) */
#define DATA_ADDR  0x20000ULL
#define DATA_SIZE  1024

struct insn_case {
	uint8_t insn[6 + EXTRA_CODE];
	uint8_t cc, pm;
	uint64_t gpr[16], fpr[16];
	uint32_t acr[16];
	uint8_t mem[DATA_SIZE];
};

struct insn_result {
	uint64_t gpr[16], fpr[16];
	uint32_t acr[16];
	uint64_t psw_addr, fault_addr;
	uint8_t cc, pm, sig, si_code;
	uint8_t mem[DATA_SIZE];
};

#define CASE_BYTES   (6 + EXTRA_CODE + 2 + 32 * 8 + 16 * 4 + DATA_SIZE)
#define RESULT_BYTES (32 * 8 + 16 * 4 + 16 + 4 + DATA_SIZE)

/* n bytes of v, most significant first */
static inline void ser(uint8_t **p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		*(*p)++ = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static inline uint64_t des(const uint8_t **p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | *(*p)++;
	return v;
}

static inline void case_encode(const struct insn_case *c, uint8_t *p)
{
	memcpy(p, c->insn, sizeof(c->insn));
	p += sizeof(c->insn);
	*p++ = c->cc;
	*p++ = c->pm;
	for (int i = 0; i < 16; i++)
		ser(&p, c->gpr[i], 8);
	for (int i = 0; i < 16; i++)
		ser(&p, c->fpr[i], 8);
	for (int i = 0; i < 16; i++)
		ser(&p, c->acr[i], 4);
	memcpy(p, c->mem, DATA_SIZE);
}

static inline void case_decode(const uint8_t *p, struct insn_case *c)
{
	memcpy(c->insn, p, sizeof(c->insn));
	p += sizeof(c->insn);
	c->cc = *p++;
	c->pm = *p++;
	for (int i = 0; i < 16; i++)
		c->gpr[i] = des(&p, 8);
	for (int i = 0; i < 16; i++)
		c->fpr[i] = des(&p, 8);
	for (int i = 0; i < 16; i++)
		c->acr[i] = (uint32_t)des(&p, 4);
	memcpy(c->mem, p, DATA_SIZE);
}

static inline void result_encode(const struct insn_result *r, uint8_t *p)
{
	for (int i = 0; i < 16; i++)
		ser(&p, r->gpr[i], 8);
	for (int i = 0; i < 16; i++)
		ser(&p, r->fpr[i], 8);
	for (int i = 0; i < 16; i++)
		ser(&p, r->acr[i], 4);
	ser(&p, r->psw_addr, 8);
	ser(&p, r->fault_addr, 8);
	*p++ = r->cc;
	*p++ = r->pm;
	*p++ = r->sig;
	*p++ = r->si_code;
	memcpy(p, r->mem, DATA_SIZE);
}

static inline void result_decode(const uint8_t *p, struct insn_result *r)
{
	for (int i = 0; i < 16; i++)
		r->gpr[i] = des(&p, 8);
	for (int i = 0; i < 16; i++)
		r->fpr[i] = des(&p, 8);
	for (int i = 0; i < 16; i++)
		r->acr[i] = (uint32_t)des(&p, 4);
	r->psw_addr = des(&p, 8);
	r->fault_addr = des(&p, 8);
	r->cc = *p++;
	r->pm = *p++;
	r->sig = *p++;
	r->si_code = *p++;
	memcpy(r->mem, p, DATA_SIZE);
}

#endif
