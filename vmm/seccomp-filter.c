// SPDX-License-Identifier: MIT
/*
 * The seccomp allow-lists (vmm/seccomp-lists.h), loaded as BPF programs
 * that tools/seccomp-gen built with libseccomp when zvmm was built
 * (seccomp-bpf.h, generated for the target architecture): loading a
 * finished program costs a syscall, where building it with libseccomp at
 * start-up cost about 2 ms of every `zvmm run`. The main thread's program
 * is the process-wide base; each vCPU thread stacks the narrower vCPU one
 * on it for itself (a syscall must pass both).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "seccomp-bpf.h"
#include "seccomp-filter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool installed;		/* the main filter is in place */
static bool debug_vcpu_syscall;	/* ZVMM_DEBUG_VCPU_SYSCALL=1 */

/* Which thread the report blames: -1 the main thread, else the vCPU. */
static _Thread_local int thread_cpu = -1;

unsigned seccomp_main_count(void)
{
	return SECCOMP_MAIN_COUNT;
}

unsigned seccomp_vcpu_count(void)
{
	return SECCOMP_VCPU_COUNT;
}

int seccomp_parse_mode(const char *s)
{
	if (!strcmp(s, "auto"))
		return SECCOMP_AUTO;
	if (!strcmp(s, "on") || !strcmp(s, "true") || !strcmp(s, "1"))
		return SECCOMP_ON;
	if (!strcmp(s, "off") || !strcmp(s, "false") || !strcmp(s, "0"))
		return SECCOMP_OFF;
	return -1;
}

static size_t put_str(char *buf, size_t off, const char *s)
{
	while (*s && off < 159)
		buf[off++] = *s++;
	return off;
}

static size_t put_uint(char *buf, size_t off, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && off < 159)
		buf[off++] = tmp[--n];
	return off;
}

/*
 * SIGSYS from SCMP_ACT_TRAP: the refused syscall did not run. Say which
 * it was and on which thread (only async-signal-safe calls), then kill
 * the whole process with SIGSYS: SA_RESETHAND has made the action the
 * default and SA_NODEFER leaves the signal unblocked, so raise() ends
 * every thread at once, as SCMP_ACT_KILL_PROCESS would, but not silently.
 */
static void sigsys_handler(int sig, siginfo_t *info, void *uc)
{
	unsigned nr = (unsigned)info->si_syscall;
	char msg[160];
	size_t n = 0;

	(void)uc;
	n = put_str(msg, n, "zvmm: seccomp: refused syscall ");
	n = put_uint(msg, n, nr);
	n = put_str(msg, n, " (");
	n = put_str(msg, n, nr < SECCOMP_NAMED_NRS && seccomp_name_off[nr] ?
				    seccomp_names + seccomp_name_off[nr] - 1 :
				    "unknown");
	if (thread_cpu < 0) {
		n = put_str(msg, n, ") on the main thread");
	} else {
		n = put_str(msg, n, ") on cpu");
		n = put_uint(msg, n, (unsigned long)thread_cpu);
	}
	n = put_str(msg, n, "; killing zvmm\n");
	(void)!write(STDERR_FILENO, msg, n);
	raise(sig);
	_exit(128 + sig);
}

static int sigsys_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGSYS, &sa, NULL) < 0 ? -errno : 0;
}

/* Stack prog on the calling thread: 0 or -errno. */
static int filter_load(const struct sock_filter *insns, size_t len)
{
	struct sock_fprog prog = {
		.len = (unsigned short)len,
		.filter = (struct sock_filter *)insns,	/* the kernel copies it */
	};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ?
		       -errno : 0;
}

int seccomp_install(void)
{
	const char *hook = getenv("ZVMM_DEBUG_VCPU_SYSCALL");
	int r;

	debug_vcpu_syscall = hook && !strcmp(hook, "1");
	r = sigsys_install();
	if (r) {
		log_error("seccomp: SIGSYS handler: %s", strerror(-r));
		return r;
	}
	/* An unprivileged process may load a filter only with this set;
	 * the vCPU threads inherit it. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	else
		r = filter_load(seccomp_main_insns,
				ARRAY_SIZE(seccomp_main_insns));
	if (r == -ENOSYS || r == -EINVAL) {
		signal(SIGSYS, SIG_DFL);
		return 1;
	}
	if (r) {
		log_error("seccomp: loading the filter: %s", strerror(-r));
		return r;
	}
	installed = true;
	return 0;
}

int seccomp_vcpu_enter(unsigned id)
{
	int r;

	thread_cpu = (int)id;
	if (!installed)
		return 0;
	/* No new privileges is inherited from the main thread. */
	r = filter_load(seccomp_vcpu_insns, ARRAY_SIZE(seccomp_vcpu_insns));
	if (r) {
		log_error("cpu%u: seccomp: loading the vCPU filter: %s", id,
			  strerror(-r));
		return r;
	}
	if (debug_vcpu_syscall && id == 0) {
		/* The test hook: main may call socket(), a vCPU may not. */
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		log_error("ZVMM_DEBUG_VCPU_SYSCALL: socket() on cpu0 was not refused");
		if (fd >= 0)
			close(fd);
		return -EPERM;
	}
	return 0;
}

int seccomp_apply(int mode)
{
	int r;

	if (mode == SECCOMP_OFF) {
		/* Loud: not silenced by --quiet, this is not for real use. */
		fprintf(stderr, "zvmm: WARNING: seccomp is OFF (--seccomp off): "
			"every syscall is allowed; for debugging only\n");
		return 0;
	}
	r = seccomp_install();
	if (r != 1)
		return r ? -1 : 0;
	log_error("%s: the kernel has no seccomp (seccomp() gives ENOSYS or "
		  "EINVAL, e.g. under qemu-user): refusing to run the guest "
		  "unfiltered; to run without it (debugging only): "
		  "--seccomp off, or seccomp = off in [machine]",
		  mode == SECCOMP_ON ? "--seccomp on" : "seccomp");
	return -1;
}
