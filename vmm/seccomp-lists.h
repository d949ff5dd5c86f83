/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_SECCOMP_LISTS_H
#define ZVMM_SECCOMP_LISTS_H

/*
 * The seccomp allow-lists, by syscall name. tools/seccomp-gen.c turns them
 * into BPF for the target architecture when zvmm is built (with
 * libseccomp), so zvmm itself only loads finished programs. Every syscall
 * zvmm makes after bring-up, with softkvm running in the same process, was
 * listed from `strace -f` of the guest programs (and the control socket and
 * migration) and from reading the real-KVM path: the ioctls on the KVM
 * fds, the re-IPL's reload of the ELF, the control socket, thread exit.
 * The main thread's list is the process-wide base; each vCPU thread
 * stacks a narrower one on it for itself (a syscall must pass both).
 * Names an architecture does not have are left out of its program.
 */

static const char *const seccomp_main_allowed[] = {
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
static const char *const seccomp_vcpu_allowed[] = {
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

#endif
