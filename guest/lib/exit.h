/*
 * Ending a guest program; the convention is written down in
 * docs/guest-abi.md.
 *
 * exit(code):
 *   1. prints "EXIT: STATUS=<(code << 1) | 1>" on the console,
 *   2. stops every other CPU (SIGP STOP) and waits until each is stopped,
 *   3. loads a disabled-wait PSW, mask 0x0002000180000000, whose address is
 *        0xfff                       when code == 0,
 *        (code << 12) | 0xeee        when code is 1..255.
 * Codes outside 0..255 are reported as 255.
 */
#ifndef GUEST_EXIT_H
#define GUEST_EXIT_H

#include "types.h"

#define EXIT_WAIT_ADDR_SUCCESS	0xfffUL
#define EXIT_WAIT_ADDR_TAG	0xeeeUL
#define EXIT_WAIT_ADDR(code)	((code) ? ((u64)(code) << 12 | EXIT_WAIT_ADDR_TAG) \
				 : EXIT_WAIT_ADDR_SUCCESS)

/* Exit code of a program that met an interruption nobody expected. */
#define EXIT_UNEXPECTED		127

void __noreturn exit(int code);

#endif
