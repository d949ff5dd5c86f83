/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_SECCOMP_FILTER_H
#define ZVMM_SECCOMP_FILTER_H

/*
 * The seccomp allow-list (docs/vmm.md, "seccomp"): one process-wide
 * default-deny filter, installed after bring-up and before the first vCPU
 * thread starts (the threads inherit it). A refused syscall raises SIGSYS;
 * its handler names the syscall on stderr and the process dies of SIGSYS.
 */

enum seccomp_mode {
	SECCOMP_AUTO,	/* on; only a warning where the kernel has none */
	SECCOMP_ON,	/* on; refuse to run where the kernel has none */
	SECCOMP_OFF,	/* off, for debugging, with a warning */
};

/* "auto", "on" or "off"; -1 for anything else. */
int seccomp_parse_mode(const char *s);

/*
 * Install the filter on the calling thread (and the threads it creates
 * after). Returns 0, 1 when the kernel has no seccomp (ENOSYS/EINVAL, e.g.
 * under qemu-user), or -errno; the caller decides with the mode. Logs.
 */
int seccomp_install(void);

/*
 * What `zvmm run` does with --seccomp MODE: install the allow-list (on),
 * try and warn when the kernel has none (auto), or warn that it is off.
 * 0, or -1 after a logged error.
 */
int seccomp_apply(int mode);

/* The number of syscalls on the allow-list (for docs and tests). */
unsigned seccomp_allowed_count(void);

#endif
