/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_SECCOMP_FILTER_H
#define ZVMM_SECCOMP_FILTER_H

/*
 * The seccomp allow-lists (docs/vmm.md, "seccomp"): a default-deny filter
 * for the main thread, installed after bring-up and before the first vCPU
 * thread starts (the threads inherit it), and a narrower one that each
 * vCPU thread stacks on it for itself before its first KVM_RUN. A refused
 * syscall is never executed: it raises SIGSYS, whose handler names it on
 * stderr and kills the whole process (it dies of SIGSYS).
 */

enum seccomp_mode {
	SECCOMP_AUTO,	/* on; where the kernel has none, refuse, saying how to turn it off */
	SECCOMP_ON,	/* on; refuse to run where the kernel has none */
	SECCOMP_OFF,	/* off, for debugging, with a loud warning */
};

/* "auto", "on" or "off"; -1 for anything else. */
int seccomp_parse_mode(const char *s);

/*
 * Install the main thread's filter on the calling thread (and the threads
 * it creates after) and prepare the vCPU threads' one. Reads the test hook
 * ZVMM_DEBUG_VCPU_SYSCALL. Returns 0, 1 when the kernel has no seccomp
 * (ENOSYS/EINVAL, e.g. under qemu-user), or -errno; the caller decides
 * with the mode. Logs.
 */
int seccomp_install(void);

/*
 * What `zvmm run` does with --seccomp MODE: install the filters (auto,
 * on) and refuse where the kernel has none, or warn loudly that they are
 * off. 0, or -1 after a logged error.
 */
int seccomp_apply(int mode);

/*
 * At the start of vCPU thread `id`, before the guest runs: stack the vCPU
 * filter on this thread if seccomp_install() installed the main one (else
 * nothing). With ZVMM_DEBUG_VCPU_SYSCALL=1, vCPU 0 then calls socket(),
 * which the vCPU list refuses: the process dies of SIGSYS. 0 or -errno
 * (logged).
 */
int seccomp_vcpu_enter(unsigned id);

/* The number of names on each list (for docs and tests). */
unsigned seccomp_main_count(void);
unsigned seccomp_vcpu_count(void);

#endif
