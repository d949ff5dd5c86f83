/*
 * bench: a compute-bound kernel with a known instruction count, for
 * timing an interpreter.  The output depends only on the arithmetic, so
 * it doubles as a correctness check.
 *
 * The kernel (inline assembly, so the compiler cannot change it) runs
 * BENCH_SETUP_INSNS instructions once and BENCH_LOOP_INSNS per iteration:
 * a xorshift64 step, a load-add-store into a 256-entry table indexed by
 * the state, an accumulation and the loop branch.  Total executed:
 *     BENCH_SETUP_INSNS + BENCH_LOOP_INSNS * BENCH_ITERATIONS.
 */
#include "printf.h"
#include "setup.h"

#define BENCH_ITERATIONS	20000000UL
#define BENCH_SETUP_INSNS	4UL
#define BENCH_LOOP_INSNS	14UL

static u64 table[256];

int main(void)
{
	u64 n = BENCH_ITERATIONS, x, t, sum, idx, mask, check = 0;
	unsigned int i;

	__asm__ __volatile__(
		/* setup: 4 instructions */
		"	lghi	%[mask], 0x7f8\n"	/* 8-byte slot in 2 KiB */
		"	llihf	%[x], 0x9e3779b9\n"	/* seed */
		"	oilf	%[x], 0x7f4a7c15\n"
		"	lghi	%[sum], 0\n"
		/* loop: 14 instructions */
		"0:	lgr	%[t], %[x]\n"
		"	sllg	%[t], %[t], 13\n"
		"	xgr	%[x], %[t]\n"
		"	srlg	%[t], %[x], 7\n"
		"	xgr	%[x], %[t]\n"
		"	sllg	%[t], %[x], 17\n"
		"	xgr	%[x], %[t]\n"
		"	lgr	%[idx], %[x]\n"
		"	ngr	%[idx], %[mask]\n"
		"	lg	%[t], 0(%[idx], %[tab])\n"
		"	algr	%[t], %[x]\n"
		"	stg	%[t], 0(%[idx], %[tab])\n"
		"	algr	%[sum], %[t]\n"
		"	brctg	%[n], 0b\n"
		: [n] "+d" (n), [x] "=&d" (x), [t] "=&d" (t), [sum] "=&d" (sum),
		  [idx] "=&a" (idx), [mask] "=&d" (mask)
		: [tab] "a" (table)
		: "cc", "memory");

	for (i = 0; i < 256; i++)
		check = (check ^ table[i]) * 0x100000001b3UL;

	puts("bench: xorshift64 + table kernel");
	printf("bench: iterations %lu, instructions %lu\n", BENCH_ITERATIONS,
	       BENCH_SETUP_INSNS + BENCH_LOOP_INSNS * BENCH_ITERATIONS);
	printf("bench: state 0x%016lx sum 0x%016lx table 0x%016lx\n", x, sum,
	       check);
	return 0;
}
