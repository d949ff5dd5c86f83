// SPDX-License-Identifier: MIT
/*
 * The seccomp allow-lists, built with libseccomp. Every syscall zvmm makes
 * after bring-up, with softkvm running in the same process, was listed
 * from `strace -f` of the guest programs (and the control socket and
 * migration) and from reading the real-KVM path: the ioctls on the KVM
 * fds, the re-IPL's reload of the ELF, the control socket, thread exit.
 * The main thread's list is the process-wide base; each vCPU thread
 * stacks a narrower one on it for itself (a syscall must pass both).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "seccomp-filter.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const main_allowed[] = {
	/* memory: malloc, thread stacks, softkvm's memfds, resets */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	"memfd_create", "ftruncate",
	/* files: console, the ELF on re-IPL, pipes, eventfds */
	"read", "readv", "pread64", "write", "writev", "pwrite64", "lseek",
	"open", "openat", "close", "fstat", "newfstatat", "statx", "fcntl",
	"pipe2", "eventfd2", "unlink",
	/* the hypervisor: KVM ioctls on real KVM, terminal ioctls */
	"ioctl",
	/* waiting and time */
	"poll", "ppoll", "futex", "nanosleep", "clock_nanosleep",
	"clock_gettime", "clock_getres", "gettimeofday", "sched_yield",
	/* signals: kicks, SIGSYS's own report */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "tkill", "tgkill",
	"getpid", "gettid", "restart_syscall",
	/* threads; each vCPU thread installs its own filter */
	"clone", "clone3", "set_robust_list", "rseq", "exit", "exit_group",
	"seccomp",
	/* the control socket */
	"accept4", "accept", "recvfrom", "recvmsg", "sendto", "sendmsg",
	"getsockopt", "shutdown",
	/* migration and snapshots from the main thread (migrate-save.c);
	 * tcp: names are resolved there too */
	"socket", "connect", "setsockopt", "getsockname", "getpeername",
	"bind", "fsync", "fdatasync",
};

/*
 * A vCPU thread runs the guest (KVM_RUN, or softkvm's interpreter in this
 * thread) and its exits: no files opened or closed, no sockets, no new
 * threads, processes or signal handlers, no more filters.
 */
static const char *const vcpu_allowed[] = {
	/* KVM_RUN and the vCPU ioctls (real KVM) */
	"ioctl",
	/* malloc (musl's mallocng also uses mprotect and madvise) */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* console output, logs and traces; softkvm's eventfds (kicks and
	 * wake-ups, one made lazily by the vCPU) and its memfd checks */
	"read", "write", "writev", "eventfd2", "fstat",
	/* parking, enabled waits, SIGP waits */
	"futex", "ppoll", "poll", "nanosleep", "clock_nanosleep",
	"sched_yield", "clock_gettime", "gettimeofday",
	/* kicks to other vCPUs (SIGP) and back from the kick handler; the
	 * SIGSYS report re-raises the signal */
	"rt_sigreturn", "rt_sigprocmask", "tkill", "tgkill", "getpid",
	"gettid", "restart_syscall",
	/* the thread's end; exit_group when SIGSYS fails to kill */
	"exit", "exit_group",
};

/* The vCPU filter, built on the main thread before the main one loads
 * (libseccomp allocates) and loaded by each vCPU thread with one call. */
static struct sock_filter vcpu_insns[512];
static struct sock_fprog vcpu_prog;
static bool installed;		/* the main filter is in place */
static bool debug_vcpu_syscall;	/* ZVMM_DEBUG_VCPU_SYSCALL=1 */

/* The syscall names for the SIGSYS report, resolved ahead of time (the
 * handler may not allocate): name_off[nr] is 1 + the offset in names. */
#define NAMED_NRS 512
static uint16_t name_off[NAMED_NRS];
static char names[8192];

/* Which thread the report blames: -1 the main thread, else the vCPU. */
static _Thread_local int thread_cpu = -1;

unsigned seccomp_main_count(void)
{
	return ARRAY_SIZE(main_allowed);
}

unsigned seccomp_vcpu_count(void)
{
	return ARRAY_SIZE(vcpu_allowed);
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

static void names_resolve(void)
{
	size_t used = 0;

	for (int nr = 0; nr < NAMED_NRS; nr++) {
		char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		size_t len = s ? strlen(s) + 1 : 0;

		if (len && used + len <= sizeof(names)) {
			memcpy(names + used, s, len);
			name_off[nr] = (uint16_t)(used + 1);
			used += len;
		}
		free(s);
	}
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
	n = put_str(msg, n, nr < NAMED_NRS && name_off[nr] ?
				    names + name_off[nr] - 1 : "unknown");
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

/* A default-trap filter allowing `list`; NULL after a logged error. */
static scmp_filter_ctx filter_build(const char *const *list, unsigned n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	int r;

	if (!ctx) {
		log_error("seccomp: cannot create a filter");
		return NULL;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	for (unsigned i = 0; !r && i < n; i++) {
		int nr = seccomp_syscall_resolve_name(list[i]);

		if (nr == __NR_SCMP_ERROR)
			continue;	/* not on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	if (r) {
		log_error("seccomp: building a filter: %s", strerror(-r));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* Read the BPF that libseccomp exports to a pipe into vcpu_prog. Both
 * ends are non-blocking: a program beyond the pipe fails, not hangs, and
 * the write end is closed before reading. A program that fills
 * vcpu_insns is refused (E2BIG), to be safe. */
static int vcpu_prog_read(scmp_filter_ctx ctx)
{
	size_t got = 0;
	ssize_t n;
	int p[2], r;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, p[1]);
	close(p[1]);
	while (!r && (n = read(p[0], (char *)vcpu_insns + got,
			      sizeof(vcpu_insns) - got)) != 0) {
		if (n < 0)
			r = -errno;
		else if (n > 0)
			got += (size_t)n;
		if (got == sizeof(vcpu_insns))
			r = -E2BIG;
	}
	close(p[0]);
	if (!r && (got == 0 || got % sizeof(vcpu_insns[0])))
		r = -EIO;
	vcpu_prog.filter = vcpu_insns;
	vcpu_prog.len = (unsigned short)(got / sizeof(vcpu_insns[0]));
	return r;
}

static int vcpu_prog_build(void)
{
	scmp_filter_ctx ctx = filter_build(vcpu_allowed, seccomp_vcpu_count());
	int r;

	if (!ctx)
		return -ENOMEM;
	r = vcpu_prog_read(ctx);
	seccomp_release(ctx);
	if (r)
		log_error("seccomp: exporting the vCPU filter: %s", strerror(-r));
	return r;
}

int seccomp_install(void)
{
	scmp_filter_ctx ctx;
	const char *hook = getenv("ZVMM_DEBUG_VCPU_SYSCALL");
	int r;

	debug_vcpu_syscall = hook && !strcmp(hook, "1");
	r = sigsys_install();
	if (r) {
		log_error("seccomp: SIGSYS handler: %s", strerror(-r));
		return r;
	}
	names_resolve();
	r = vcpu_prog_build();
	if (r)
		return r;
	ctx = filter_build(main_allowed, seccomp_main_count());
	if (!ctx)
		return -ENOMEM;
	r = seccomp_load(ctx);
	seccomp_release(ctx);
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
	thread_cpu = (int)id;
	if (!installed)
		return 0;
	/* No new privileges is inherited from the main thread's load. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &vcpu_prog) < 0) {
		int r = -errno;

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
