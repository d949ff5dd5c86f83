/*
 * Numbers shared by start.S and the C code: interruption classes, the
 * lowcore locations the entry code touches, and the layout of the frame
 * that every interruption handler builds on the stack.  lowcore.h and
 * interrupt.h check them against the C structures with _Static_assert.
 */
#ifndef GUEST_ASM_OFFSETS_H
#define GUEST_ASM_OFFSETS_H

/*
 * Interruption classes in the order of the old/new PSW pairs in the
 * lowcore: old PSW at 0x120 + 16 * class, new PSW at 0x1a0 + 16 * class.
 */
#define IRQ_CLASS_RESTART	0
#define IRQ_CLASS_EXT		1
#define IRQ_CLASS_SVC		2
#define IRQ_CLASS_PGM		3
#define IRQ_CLASS_MCCK		4
#define IRQ_CLASS_IO		5
#define IRQ_NR_CLASSES		6

#define LC_OLD_PSW		0x120
#define LC_NEW_PSW		0x1a0

/*
 * Software part of the lowcore (0x200-0x11af belongs to the program).
 * Because lowcore addresses go through prefixing, every CPU gets its own
 * copy of these at the same real address.
 *
 * LC_SAVE_AREA: 128 bytes per class for the general registers at entry,
 * before the stack frame exists.  It starts at 512, above the first
 * low-address-protected block (0-511), so that an interruption taken with
 * low-address protection on (pgm.c provokes one) can still save them.
 */
#define LC_SAVE_AREA		0x200
#define LC_CPU			0xe00	/* struct cpu * of this CPU */
#define LC_STACK_TOP		0xe08	/* initial stack of a secondary CPU */

/* s390x ELF ABI: the caller provides 160 bytes of register save area. */
#define STACK_FRAME_OVERHEAD	160

/* struct irq_frame, placed right above a fresh STACK_FRAME_OVERHEAD. */
#define FRAME_GPRS		0x000	/* 16 x 8 */
#define FRAME_FPRS		0x080	/* 16 x 8 */
#define FRAME_PSW		0x100	/* old PSW, 16 */
#define FRAME_CR0		0x110	/* CR0 of the interrupted context */
#define FRAME_CR0_TMP		0x118	/* CR0 while the handler runs */
#define FRAME_FPC		0x120
#define FRAME_SIZE		0x128
#define FRAME_TOTAL		(STACK_FRAME_OVERHEAD + FRAME_SIZE)

/* CR0 bits the entry code changes, by byte of the stored doubleword. */
#define CR0_BYTE_LAP		4	/* bit 35: low-address protection */
#define CR0_BIT_LAP		0x10
#define CR0_BYTE_AFP		5	/* bit 45: AFP registers */
#define CR0_BIT_AFP		0x04

#endif
