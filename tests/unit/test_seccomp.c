// SPDX-License-Identifier: MIT
/*
 * The seccomp allow-list of zvmm run, installed in a forked child: what
 * zvmm does after bring-up still works (threads, futexes, pipes, memory,
 * kicks), and a syscall zvmm never needs (listen, execve, kill)
 * kills the child by SIGSYS with the syscall's number on stderr. Skipped
 * where the kernel has no seccomp (qemu-user). Links with -lseccomp.
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

enum { DO_NOTHING, DO_ZVMM_THINGS, DO_LISTEN, DO_EXECVE, DO_KILL };

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

static void test_allowed(void **state)
{
	char err[512];
	int st;

	(void)state;
	st = child(DO_ZVMM_THINGS, err, sizeof(err));
	if (st == -1)
		skip();
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(err, "");
}

static void expect_killed(int what, long nr)
{
	char err[512], want[64];
	int st;

	st = child(what, err, sizeof(err));
	if (st == -1)
		skip();
	if (!WIFSIGNALED(st))
		fail_msg("child status 0x%x, stderr: %s", st, err);
	assert_int_equal(WTERMSIG(st), SIGSYS);
	snprintf(want, sizeof(want), "zvmm: seccomp: refused syscall %ld ", nr);
	if (!strstr(err, want))
		fail_msg("stderr '%s' lacks '%s'", err, want);
}

static void test_listen_killed(void **state)
{
	(void)state;
	expect_killed(DO_LISTEN, SYS_listen);
}

static void test_execve_killed(void **state)
{
	(void)state;
	expect_killed(DO_EXECVE, SYS_execve);
}

static void test_kill_killed(void **state)
{
	(void)state;
	expect_killed(DO_KILL, SYS_kill);
}

static void test_modes(void **state)
{
	(void)state;
	assert_int_equal(seccomp_parse_mode("on"), SECCOMP_ON);
	assert_int_equal(seccomp_parse_mode("off"), SECCOMP_OFF);
	assert_int_equal(seccomp_parse_mode("auto"), SECCOMP_AUTO);
	assert_int_equal(seccomp_parse_mode("maybe"), -1);
	assert_true(seccomp_allowed_count() > 20);
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
	};

	log_set_quiet(true);
	if (!seccomp_available()) {
		printf("1..0 # SKIP the kernel has no seccomp (qemu-user?)\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
