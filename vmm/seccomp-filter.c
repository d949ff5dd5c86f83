// SPDX-License-Identifier: MIT
/*
 * The seccomp allow-list, built with libseccomp. Every syscall zvmm makes
 * after bring-up, with softkvm running in the same process, was listed
 * from `strace -f` of the guest programs (and the control socket) and
 * from reading the real-KVM path: the ioctls on the KVM fds, the
 * re-IPL's reload of the ELF, the control socket, thread exit.
 */
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "seccomp-filter.h"

static const char *const allowed[] = {
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
	/* threads */
	"clone", "clone3", "set_robust_list", "rseq", "exit", "exit_group",
	/* the control socket */
	"accept4", "accept", "recvfrom", "recvmsg", "sendto", "sendmsg",
	"getsockopt", "shutdown",
	/* migration and snapshots from the main thread (migrate-save.c);
	 * tcp: names are resolved there too */
	"socket", "connect", "setsockopt", "getsockname", "getpeername",
	"bind", "fsync", "fdatasync",
};

unsigned seccomp_allowed_count(void)
{
	return sizeof(allowed) / sizeof(allowed[0]);
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
	while (*s && off < 127)
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
	while (n && off < 127)
		buf[off++] = tmp[--n];
	return off;
}

/*
 * SIGSYS from SCMP_ACT_TRAP: say which syscall was refused (only
 * async-signal-safe calls), then die of SIGSYS: SA_RESETHAND has made the
 * action the default and SA_NODEFER leaves the signal unblocked.
 */
static void sigsys_handler(int sig, siginfo_t *info, void *uc)
{
	char msg[128];
	size_t n = 0;

	(void)uc;
	n = put_str(msg, n, "zvmm: seccomp: refused syscall ");
	n = put_uint(msg, n, (unsigned long)(unsigned)info->si_syscall);
	n = put_str(msg, n, " (scmp_sys_resolver ");
	n = put_uint(msg, n, (unsigned long)(unsigned)info->si_syscall);
	n = put_str(msg, n, " names it); killing zvmm\n");
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

int seccomp_install(void)
{
	scmp_filter_ctx ctx;
	int r;

	r = sigsys_install();
	if (r) {
		log_error("seccomp: SIGSYS handler: %s", strerror(-r));
		return r;
	}
	ctx = seccomp_init(SCMP_ACT_TRAP);
	if (!ctx) {
		log_error("seccomp: cannot create a filter");
		return -ENOMEM;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	for (unsigned i = 0; !r && i < seccomp_allowed_count(); i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);

		if (nr == __NR_SCMP_ERROR)
			continue;	/* not on this architecture */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	if (r) {
		log_error("seccomp: building the filter: %s", strerror(-r));
		seccomp_release(ctx);
		return r;
	}
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
	return 0;
}

int seccomp_apply(int mode)
{
	int r;

	if (mode == SECCOMP_OFF) {
		log_warn("seccomp is OFF (--seccomp off): every syscall is allowed");
		return 0;
	}
	r = seccomp_install();
	if (r == 1 && mode == SECCOMP_AUTO) {
		log_warn("seccomp is not available here (e.g. under qemu-user): running without it");
		return 0;
	}
	if (r == 1)
		log_error("--seccomp on: the kernel has no seccomp (use --seccomp off)");
	return r ? -1 : 0;
}
