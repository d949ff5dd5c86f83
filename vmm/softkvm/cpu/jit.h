/* SPDX-License-Identifier: MIT */
/*
 * The block translator: decoded blocks -> host code (x86-64 hosts only;
 * elsewhere every block stays interpreted).
 *
 * A translated block is a function `uint64_t f(struct s390_cpu *)`. It
 * takes the budget from cpu->budget (which covers its jit_n instructions),
 * keeps the guest registers it uses in host registers, loops on itself
 * while the block branches back to its own start (checking cpu->kick, the
 * page's code generation and the budget on the way), stores the registers
 * back and returns the address to go on at, with cpu->budget charged for
 * what it executed. It never raises a program interruption: before an
 * instruction that would need one, or that needs anything the fast path
 * does not have (a TLB miss, a page crossing, a fixed-point overflow), it
 * returns that instruction's address with cpu->jit_bail set, and the
 * interpreter runs the block from there.
 */
#ifndef ZVMM_SOFTKVM_CPU_JIT_H
#define ZVMM_SOFTKVM_CPU_JIT_H

#include "softkvm/cpu/internal.h"

#if defined(__x86_64__)
#define S390_JIT_X86 1
#else
#define S390_JIT_X86 0
#endif

typedef uint64_t (*s390_jit_fn)(struct s390_cpu *cpu);

/* Map the code buffer if needed: false when there is no room or no
 * translator (cpu->jit_after becomes -1 then). */
bool s390_jit_prepare(struct s390_cpu *cpu);
/* Translate the leading instructions of block b for addressing mode am:
 * b->jit and b->jit_n are set when at least one could be translated. */
void s390_jit_compile(struct s390_cpu *cpu, struct s390_iblk *b, uint64_t am);
/* Every block is gone (s390_icache_flush): the code buffer is free. */
void s390_jit_reset(struct s390_cpu *cpu);
void s390_jit_free(struct s390_cpu *cpu);

/* Bytes of host code one translation may need at most. */
#define S390_JIT_BLOCK_MAX 16384
/* Code buffer per CPU. */
#define S390_JIT_BUF_SIZE (2u << 20)

#endif
