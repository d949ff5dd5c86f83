/*
 * Start code and interruption entry points.
 *
 * The loader (QEMU -kernel, zvmm) starts the boot CPU at the ELF entry in
 * the 64-bit addressing mode with DAT and every interruption class off,
 * registers and prefix 0, CR0 = 0xe0 and a zeroed lowcore.  Secondary
 * CPUs come in through the restart new PSW, see smp.c.
 */
#include "asm-offsets.h"

#define BOOT_STACK_SIZE	16384

	.section .text.start, "ax", @progbits
	.globl	_start
_start:
	/*
	 * Clear the BSS first, before anything lives there (the boot stack
	 * does): the loader may leave it as it was.  guest.ld aligns both
	 * ends to 256 bytes, so whole XC blocks do.
	 */
	larl	%r2, __bss_start
	larl	%r3, __bss_end
	sgr	%r3, %r2
	srlg	%r3, %r3, 8
	ltgr	%r3, %r3
	jz	1f
0:	xc	0(256, %r2), 0(%r2)
	la	%r2, 256(%r2)
	brctg	%r3, 0b
1:
	larl	%r15, boot_stack + BOOT_STACK_SIZE - STACK_FRAME_OVERHEAD
	lghi	%r0, 0
	stg	%r0, 0(%r15)			/* end of the back chain */

	/*
	 * gcc at -march=z10 keeps values in FPRs 0-15 (spill slots), and
	 * FPRs other than 0, 2, 4, 6 need the AFP-register control.
	 */
	stctg	%c0, %c0, 8(%r15)
	oi	8 + CR0_BYTE_AFP(%r15), CR0_BIT_AFP
	lctlg	%c0, %c0, 8(%r15)

	brasl	%r14, guest_setup		/* new PSWs, SCLP, console */
	brasl	%r14, main
	brasl	%r14, exit			/* exit(main's return value) */
	j	.

/*
 * Entry of a secondary CPU, reached through its restart new PSW after
 * SIGP SET PREFIX + RESTART.  Its lowcore (at its own prefix) holds its
 * stack; the rest of its state is that of a CPU reset: CR0 = 0xe0.
 */
	.text
	.globl	smp_secondary_entry
smp_secondary_entry:
	lg	%r15, LC_STACK_TOP
	aghi	%r15, -STACK_FRAME_OVERHEAD
	lghi	%r0, 0
	stg	%r0, 0(%r15)
	stctg	%c0, %c0, 8(%r15)
	oi	8 + CR0_BYTE_AFP(%r15), CR0_BIT_AFP
	lctlg	%c0, %c0, 8(%r15)
	brasl	%r14, smp_secondary_main	/* does not return */
	j	.

/*
 * One entry point per interruption class.  The new PSWs point here with
 * every interruption class disabled.  The entry
 *   - saves the GPRs into this class's lowcore save area (there is no
 *     free register to address anything else),
 *   - builds a struct irq_frame below the interrupted stack pointer (the
 *     s390x ABI keeps nothing below %r15), copying the GPRs and the old
 *     PSW there, so that a nested interruption of any class, including
 *     this one, cannot overwrite them,
 *   - saves CR0 and runs the handler with AFP on (the C code uses the
 *     FPRs; a test may have turned AFP off) and low-address protection
 *     off (a test may have turned it on, and the return path stores the
 *     old PSW at 0x120-0x17f),
 *   - calls irq_dispatch(frame, class) and returns through LPSWE of the
 *     (possibly changed) old PSW.
 */
	.macro	IRQ_ENTRY name, class
	.globl	\name
\name:
	stmg	%r0, %r15, LC_SAVE_AREA + \class * 128
	aghi	%r15, -FRAME_TOTAL
	mvc	STACK_FRAME_OVERHEAD + FRAME_GPRS(128, %r15), LC_SAVE_AREA + \class * 128
	mvc	STACK_FRAME_OVERHEAD + FRAME_PSW(16, %r15), LC_OLD_PSW + \class * 16
	stctg	%c0, %c0, STACK_FRAME_OVERHEAD + FRAME_CR0(%r15)
	mvc	STACK_FRAME_OVERHEAD + FRAME_CR0_TMP(8, %r15), STACK_FRAME_OVERHEAD + FRAME_CR0(%r15)
	oi	STACK_FRAME_OVERHEAD + FRAME_CR0_TMP + CR0_BYTE_AFP(%r15), CR0_BIT_AFP
	ni	STACK_FRAME_OVERHEAD + FRAME_CR0_TMP + CR0_BYTE_LAP(%r15), 0xff - CR0_BIT_LAP
	lctlg	%c0, %c0, STACK_FRAME_OVERHEAD + FRAME_CR0_TMP(%r15)
	la	%r1, STACK_FRAME_OVERHEAD + FRAME_FPRS(%r15)
	std	%f0, 0(%r1)
	std	%f1, 8(%r1)
	std	%f2, 16(%r1)
	std	%f3, 24(%r1)
	std	%f4, 32(%r1)
	std	%f5, 40(%r1)
	std	%f6, 48(%r1)
	std	%f7, 56(%r1)
	std	%f8, 64(%r1)
	std	%f9, 72(%r1)
	std	%f10, 80(%r1)
	std	%f11, 88(%r1)
	std	%f12, 96(%r1)
	std	%f13, 104(%r1)
	std	%f14, 112(%r1)
	std	%f15, 120(%r1)
	stfpc	STACK_FRAME_OVERHEAD + FRAME_FPC(%r15)
	xc	0(8, %r15), 0(%r15)		/* back chain ends here */
	la	%r2, STACK_FRAME_OVERHEAD(%r15)
	lghi	%r3, \class
	brasl	%r14, irq_dispatch
	lfpc	STACK_FRAME_OVERHEAD + FRAME_FPC(%r15)
	la	%r1, STACK_FRAME_OVERHEAD + FRAME_FPRS(%r15)
	ld	%f0, 0(%r1)
	ld	%f1, 8(%r1)
	ld	%f2, 16(%r1)
	ld	%f3, 24(%r1)
	ld	%f4, 32(%r1)
	ld	%f5, 40(%r1)
	ld	%f6, 48(%r1)
	ld	%f7, 56(%r1)
	ld	%f8, 64(%r1)
	ld	%f9, 72(%r1)
	ld	%f10, 80(%r1)
	ld	%f11, 88(%r1)
	ld	%f12, 96(%r1)
	ld	%f13, 104(%r1)
	ld	%f14, 112(%r1)
	ld	%f15, 120(%r1)
	/* Old PSW back into the lowcore while low-address protection is off. */
	mvc	LC_OLD_PSW + \class * 16(16), STACK_FRAME_OVERHEAD + FRAME_PSW(%r15)
	lctlg	%c0, %c0, STACK_FRAME_OVERHEAD + FRAME_CR0(%r15)
	lmg	%r0, %r15, STACK_FRAME_OVERHEAD + FRAME_GPRS(%r15)
	lpswe	LC_OLD_PSW + \class * 16
	.endm

	IRQ_ENTRY restart_int_entry, IRQ_CLASS_RESTART
	IRQ_ENTRY ext_int_entry, IRQ_CLASS_EXT
	IRQ_ENTRY svc_int_entry, IRQ_CLASS_SVC
	IRQ_ENTRY pgm_int_entry, IRQ_CLASS_PGM
	IRQ_ENTRY mcck_int_entry, IRQ_CLASS_MCCK
	IRQ_ENTRY io_int_entry, IRQ_CLASS_IO

	.bss
	.balign	4096
boot_stack:
	.skip	BOOT_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
