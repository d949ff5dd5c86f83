// SPDX-License-Identifier: MIT
/*
 * The seccomp allow-lists of zvmm run, installed in a forked child: what
 * zvmm does after bring-up still works (threads, futexes, pipes, memory,
 * kicks), and a syscall zvmm never needs (listen, execve, kill) kills the
 * child by SIGSYS with the syscall's number and name on stderr. A thread
 * that entered the vCPU list may still do what a vCPU does, but socket()
 * (fine on the main thread) kills the child, blaming that vCPU; the main
 * thread keeps its own list. Skipped where the kernel has no seccomp
 * (qemu-user).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "log.h"
#include "seccomp-filter.h"

enum {
	DO_NOTHING, DO_ZVMM_THINGS, DO_LISTEN, DO_EXECVE, DO_KILL,
	DO_VCPU_THINGS, DO_VCPU_SOCKET, DO_VCPU_HOOK,
};

static void *thread_fn(void *arg)
{
	return arg;
}

static void zvmm_things(void)
{
	pthread_t t;
	int p[2];
	char c = 1;
	void *m;

	if (pthread_create(&t, NULL, thread_fn, NULL) || pthread_join(t, NULL))
		_exit(10);
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) || write(p[1], &c, 1) != 1 ||
	    read(p[0], &c, 1) != 1)
		_exit(11);
	close(p[0]);
	close(p[1]);
	m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || madvise(m, 1 << 20, MADV_DONTNEED) ||
	    munmap(m, 1 << 20))
		_exit(12);
	signal(SIGUSR1, SIG_IGN);
	if (pthread_kill(pthread_self(), SIGUSR1))
		_exit(13);
}

/* A vCPU thread's life: its filter, then what a vCPU does (memory, a
 * futex, a write, a kick to itself), then `arg`'s extra: a socket. */
static void *vcpu_fn(void *arg)
{
	int what = (int)(long)arg;
	void *m;

	if (seccomp_vcpu_enter(what == DO_VCPU_HOOK ? 0 : 3))
		return (void *)1L;
	m = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m, 1 << 16))
		return (void *)2L;
	free(malloc(100000));
	if (write(STDERR_FILENO, "", 0) != 0 ||
	    pthread_kill(pthread_self(), SIGUSR1))
		return (void *)3L;
	if (what == DO_VCPU_SOCKET)
		socket(AF_UNIX, SOCK_STREAM, 0);
	return NULL;
}

/* A vCPU thread in the child; after it, the main thread's list still
 * allows a socket. */
static void vcpu_things(int what)
{
	pthread_t t;
	void *ret;
	int fd;

	signal(SIGUSR1, SIG_IGN);
	if (pthread_create(&t, NULL, vcpu_fn, (void *)(long)what) ||
	    pthread_join(t, &ret))
		_exit(20);
	if (ret)
		_exit(20 + (int)(long)ret);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		_exit(25);
	close(fd);
}

/* Fork a child that installs the filter and does `what`; its wait
 * status, its stderr in err. -1: no seccomp here. */
static int child(int what, char *err, size_t len)
{
	int p[2], status, r;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		if (what == DO_VCPU_HOOK)
			setenv("ZVMM_DEBUG_VCPU_SYSCALL", "1", 1);
		r = seccomp_install();

		if (r == 1)
			_exit(99);
		if (r)
			_exit(98);
		switch (what) {
		case DO_ZVMM_THINGS:
			zvmm_things();
			break;
		case DO_LISTEN:
			/* the peer of a migration listens before the filter */
			listen(0, 1);
			break;
		case DO_EXECVE: {
			char *argv[] = { "/bin/true", NULL };

			execve(argv[0], argv, NULL);
			break;
		}
		case DO_KILL:
			syscall(SYS_kill, 1, 0);	/* kill is not allowed */
			break;
		case DO_VCPU_THINGS:
		case DO_VCPU_SOCKET:
		case DO_VCPU_HOOK:
			vcpu_things(what);
			break;
		}
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], err, len - 1);
	err[n > 0 ? n : 0] = 0;
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 99)
		return -1;
	return status;
}

/* The child does `what` and exits 0, silent. */
static void expect_fine(int what)
{
	char err[512];
	int st;

	st = child(what, err, sizeof(err));
	if (st == -1)
		skip();
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("child status 0x%x, stderr: %s", st, err);
	assert_string_equal(err, "");
}

static void test_allowed(void **state)
{
	(void)state;
	expect_fine(DO_ZVMM_THINGS);
}

static void expect_killed(int what, long nr, const char *name,
			  const char *where)
{
	char err[512], want[128];
	int st;

	st = child(what, err, sizeof(err));
	if (st == -1)
		skip();
	if (!WIFSIGNALED(st))
		fail_msg("child status 0x%x, stderr: %s", st, err);
	assert_int_equal(WTERMSIG(st), SIGSYS);
	snprintf(want, sizeof(want),
		 "zvmm: seccomp: refused syscall %ld (%s) on %s; killing zvmm\n",
		 nr, name, where);
	if (strcmp(err, want))
		fail_msg("stderr '%s', not '%s'", err, want);
}

static void test_listen_killed(void **state)
{
	(void)state;
	expect_killed(DO_LISTEN, SYS_listen, "listen", "the main thread");
}

static void test_execve_killed(void **state)
{
	(void)state;
	expect_killed(DO_EXECVE, SYS_execve, "execve", "the main thread");
}

static void test_kill_killed(void **state)
{
	(void)state;
	expect_killed(DO_KILL, SYS_kill, "kill", "the main thread");
}

static void test_vcpu_allowed(void **state)
{
	(void)state;
	expect_fine(DO_VCPU_THINGS);
}

static void test_vcpu_socket_killed(void **state)
{
	(void)state;
	expect_killed(DO_VCPU_SOCKET, SYS_socket, "socket", "cpu3");
}

static void test_vcpu_hook(void **state)
{
	(void)state;
	expect_killed(DO_VCPU_HOOK, SYS_socket, "socket", "cpu0");
}

static void test_modes(void **state)
{
	(void)state;
	assert_int_equal(seccomp_parse_mode("on"), SECCOMP_ON);
	assert_int_equal(seccomp_parse_mode("off"), SECCOMP_OFF);
	assert_int_equal(seccomp_parse_mode("auto"), SECCOMP_AUTO);
	assert_int_equal(seccomp_parse_mode("maybe"), -1);
	assert_true(seccomp_main_count() > 20);
	assert_true(seccomp_vcpu_count() > 10);
	assert_true(seccomp_vcpu_count() < seccomp_main_count());
}

/* A child that installs the filter and exits 99 without seccomp. */
static bool seccomp_available(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(seccomp_install() == 1 ? 99 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return !(WIFEXITED(status) && WEXITSTATUS(status) == 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_listen_killed),
		cmocka_unit_test(test_execve_killed),
		cmocka_unit_test(test_kill_killed),
		cmocka_unit_test(test_vcpu_allowed),
		cmocka_unit_test(test_vcpu_socket_killed),
		cmocka_unit_test(test_vcpu_hook),
	};

	log_set_quiet(true);
	if (!seccomp_available()) {
		printf("1..0 # SKIP the kernel has no seccomp (qemu-user?)\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
