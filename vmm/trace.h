/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_TRACE_H
#define ZVMM_TRACE_H

/*
 * --trace: one line per event on stderr, each written with a single
 * write(2) so that lines from several vCPU threads never mix:
 *
 *   [  12.345] cpu1 exit SIEIC icpt=0x04 (instruction) ...
 *
 * the time in milliseconds since tracing was switched on, the thread
 * ("main" or "cpuN"), then the event. docs/tour.md walks through a boot.
 *
 * Off costs one test of trace_mask per call site: check trace_on() before
 * gathering anything for a trace_* call.
 */

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "kvm-abi.h"

extern unsigned trace_mask;

static inline bool trace_on(unsigned bits)
{
	return __builtin_expect((trace_mask & bits) != 0, 0);
}

/* Set the categories (enum trace_bits) and start the clock. Call before
 * any thread that traces starts. */
void trace_enable(unsigned bits);

/* Name the calling thread "cpuN" in its lines; the default is "main". */
void trace_set_cpu(unsigned id);

/* One line: prefix, the formatted text, a newline. */
void trace_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The ioctl lines name each hypervisor fd ("kvm", "vm", "flic", "cpu2"):
 * trace_ioctl() learns the ones KVM_CREATE_* hand out, hv.c tells the
 * system fd and every close.
 */
void trace_fd_kvm(int fd);
void trace_fd_closed(int fd, int ret, int err);

/* Decoders: a name for a number, "?" (or a short description) if unknown. */
const char *trace_ioctl_name(unsigned long req);
const char *trace_exit_name(uint32_t reason);
const char *trace_icpt_name(uint8_t icpt);
const char *trace_sclp_cmd_name(uint32_t command);
const char *trace_sclp_rc_name(uint16_t rc);
const char *trace_sigp_order_name(uint8_t order);
const char *trace_irq_name(uint64_t type);
const char *trace_pgm_name(uint16_t code);
const char *trace_mp_state_name(uint32_t state);

/*
 * The events. trace_ioctl(): after an ioctl returned ret (errno err);
 * prints the ioctls line and, for an interrupt injection, the irq line.
 * trace_exit(): after KVM_RUN returned 0, from the vCPU's thread.
 */
void trace_ioctl(int fd, unsigned long req, unsigned long arg, int ret,
		 int err);
void trace_exit(const struct kvm_run *run);

#endif
