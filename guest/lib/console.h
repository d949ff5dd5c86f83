/*
 * The SCLP console: VT220 ASCII events (type 0x1a) written with WRITE
 * EVENT DATA.  Output is raw ASCII; "\n" is sent as is.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include "types.h"

#define EVENT_TYPE_MSG		0x02	/* line-mode message */
#define EVENT_TYPE_VT220	0x1a	/* ASCII console data */

/* Event-mask bit of an event type in a 4-byte mask (MSB-first, T -> T-1). */
#define EVENT_MASK(type)	(0x80000000U >> ((type) - 1))

/* WRITE EVENT MASK: announce VT220 output.  Returns 0 if the SCLP takes it. */
int console_setup(void);

/* Write bytes; whole calls are not interleaved with other CPUs' output. */
void console_write(const char *buf, size_t len);

/*
 * Fill `sccb` (a 4 KiB page) as a WRITE EVENT DATA request carrying one
 * VT220 event with the first bytes of buf; returns how many it took.  For
 * a program that issues the request itself (sclp_service_call_start()).
 */
size_t console_build_write(void *sccb, const char *buf, size_t len);

/*
 * Hold the console (the SCLP lock) across several writes; recursive on
 * one CPU.  exit() takes it and never gives it back.
 */
void console_lock(void);
void console_unlock(void);

#endif
