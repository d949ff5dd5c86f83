/*
 * hostile-pgmloop: a program-check loop.  The program-new PSW is replaced
 * and a program interruption provoked, after which the CPU can never run
 * an instruction again:
 *
 *   hostile-pgmloop.elf   the program-new PSW is invalid (bit 12 on), so
 *                         loading it is a specification exception, whose
 *                         new PSW is the same invalid PSW (KVM: intercept
 *                         0x08);
 *   hostile-oploop.elf    (-DOPERATION_LOOP) the program-new PSW points at
 *                         an invalid instruction (opcode 0x0000), which is
 *                         an operation exception, whose new PSW points at
 *                         the same instruction.
 *
 * There is no architected end: real machines spin.  zvmm ends the VM with
 * status 76 and a message naming the CPU and the PSW (docs/vmm.md 3).
 * Nothing is printed after the first line.
 */
#include "lowcore.h"
#include "printf.h"
#include "psw.h"

#define PSW_MASK_BIT12	0x0008000000000000UL	/* must be 0 */

/* A halfword of opcode 0, away from any code. */
static const u16 invalid_insn[4] __aligned(8) = { 0, 0, 0, 0 };

int main(void)
{
#ifdef OPERATION_LOOP
	puts("hostile-oploop: program-new PSW at opcode 0x0000");
	lowcore.new_psw[IRQ_CLASS_PGM].mask = PSW_MASK_64;
	lowcore.new_psw[IRQ_CLASS_PGM].addr = (u64)invalid_insn;
#else
	puts("hostile-pgmloop: program-new PSW invalid (bit 12)");
	lowcore.new_psw[IRQ_CLASS_PGM].mask = PSW_MASK_64 | PSW_MASK_BIT12;
	lowcore.new_psw[IRQ_CLASS_PGM].addr = (u64)invalid_insn;
#endif
	barrier();
	/* The first program interruption: an operation exception. */
	__asm__ __volatile__(".short 0x0000" : : : "memory");
	puts("hostile-pgmloop: still running: FAIL");
	return 1;
}
