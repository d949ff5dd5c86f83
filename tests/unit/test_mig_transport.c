// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"
#include "mig-transport.h"

static void test_uri_good(void **state)
{
	static const struct {
		const char *in, *out;
		enum mig_kind kind;
		const char *path, *host, *port;
	} good[] = {
		{ "unix:/tmp/zvmm.sock", NULL, MIG_UNIX, "/tmp/zvmm.sock", "", "" },
		{ "file:snap.zvmm", NULL, MIG_FILE, "snap.zvmm", "", "" },
		{ "tcp:localhost:4444", NULL, MIG_TCP, "", "localhost", "4444" },
		{ "tcp:192.0.2.7:1", NULL, MIG_TCP, "", "192.0.2.7", "1" },
		{ "tcp:[::1]:65535", NULL, MIG_TCP, "", "::1", "65535" },
		{ "tcp:host:00080", "tcp:host:80", MIG_TCP, "", "host", "80" },
	};
	struct mig_uri u;
	char err[128], text[512];

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(mig_uri_parse(good[i].in, &u, err, sizeof(err)), 0);
		assert_int_equal(u.kind, good[i].kind);
		assert_string_equal(u.path, good[i].path);
		assert_string_equal(u.host, good[i].host);
		assert_string_equal(u.port, good[i].port);
		assert_true(mig_uri_format(&u, text, sizeof(text)) < (int)sizeof(text));
		assert_string_equal(text, good[i].out ? good[i].out : good[i].in);
	}
}

static void test_uri_bad(void **state)
{
	static const char *const bad[] = {
		"", "unix:", "file:", "tcp:", "tcp:host", "tcp:host:", "tcp::80",
		"tcp:host:0", "tcp:host:70000", "tcp:host:65536", "tcp:host:123456",
		"tcp:host:8x", "tcp:host:-1", "tcp:::1:80", "tcp:[::1]80", "tcp:[::1",
		"tcp:[]:80", "http://example.com", "exec:cat", "/tmp/x.sock",
	};
	char longpath[200], err[128];
	struct mig_uri u;

	(void)state;
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = 0;
		assert_int_equal(mig_uri_parse(bad[i], &u, err, sizeof(err)), -EINVAL);
		assert_true(strlen(err) > 0);
	}
	assert_int_equal(mig_uri_parse(NULL, &u, NULL, 0), -EINVAL);
	/* 107 bytes fit sun_path with its NUL; 108 do not. */
	memcpy(longpath, "unix:", 5);
	memset(longpath + 5, 'a', 107);
	longpath[5 + 107] = 0;
	assert_int_equal(mig_uri_parse(longpath, &u, err, sizeof(err)), 0);
	strcat(longpath, "a");
	assert_int_equal(mig_uri_parse(longpath, &u, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "longer"));
}

struct pump {
	int fd;
	uint8_t *buf;
	size_t len;
	int rc;
};

static void *writer(void *arg)
{
	struct pump *p = arg;

	p->rc = mig_write_all(p->fd, p->buf, p->len, mig_deadline(10000));
	return NULL;
}

/* 8 MiB through a socket pair (more than any socket buffer holds). */
static void transfer(int wfd, int rfd)
{
	size_t len = 8 << 20;
	struct pump p = { .fd = wfd, .buf = malloc(len), .len = len };
	uint8_t *in = malloc(len);
	pthread_t t;

	assert_non_null(p.buf);
	assert_non_null(in);
	for (size_t i = 0; i < len; i++)
		p.buf[i] = (uint8_t)(i * 7 + (i >> 12));
	assert_int_equal(pthread_create(&t, NULL, writer, &p), 0);
	assert_int_equal(mig_read_all(rfd, in, len, mig_deadline(10000)), 0);
	pthread_join(t, NULL);
	assert_int_equal(p.rc, 0);
	assert_memory_equal(in, p.buf, len);
	free(in);
	free(p.buf);
}

static void test_socketpair_transfer(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	transfer(sv[0], sv[1]);
	close(sv[0]);
	close(sv[1]);
}

static void test_writev_all(void **state)
{
	static char a[] = "abc", b[] = "", c[] = "defgh";
	struct iovec iov[] = { { a, 3 }, { b, 0 }, { c, 5 } };
	char in[8];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(mig_writev_all(sv[0], iov, 3, 0), 0);
	assert_int_equal(mig_read_all(sv[1], in, 8, 0), 0);
	assert_memory_equal(in, "abcdefgh", 8);
	close(sv[0]);
	close(sv[1]);
}

static void test_deadlines(void **state)
{
	size_t big = 64 << 20;
	uint8_t *buf = calloc(1, big);
	uint64_t t0;
	int sv[2];

	(void)state;
	assert_non_null(buf);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	t0 = mig_now_ns();
	assert_int_equal(mig_read_all(sv[1], buf, 1, mig_deadline(50)), -ETIMEDOUT);
	assert_true(mig_now_ns() - t0 >= 50000000u);
	assert_true(mig_now_ns() - t0 < 5000000000u);
	/* Nobody reads: the write fills the buffers and then times out. */
	t0 = mig_now_ns();
	assert_int_equal(mig_write_all(sv[0], buf, big, mig_deadline(100)), -ETIMEDOUT);
	assert_true(mig_now_ns() - t0 >= 100000000u);
	/* A deadline already past still moves what can move at once. */
	assert_int_equal(mig_read_all(sv[1], buf, 10, mig_now_ns() - 1), 0);
	close(sv[0]);
	close(sv[1]);
	free(buf);
}

static void test_peer_close(void **state)
{
	uint8_t buf[20] = { 0 };
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(mig_write_all(sv[0], buf, 10, 0), 0);
	close(sv[0]);
	/* 10 bytes of 20, then EOF; then EOF at once. */
	assert_int_equal(mig_read_all(sv[1], buf, 20, mig_deadline(5000)), -ENODATA);
	assert_int_equal(mig_read_all(sv[1], buf, 1, mig_deadline(5000)), -ENODATA);
	close(sv[1]);

	/* A write to a closed peer is -EPIPE, not SIGPIPE. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	assert_int_equal(mig_write_all(sv[0], buf, 20, mig_deadline(5000)), -EPIPE);
	close(sv[0]);
}

static void temp_path(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("TMPDIR");

	snprintf(buf, len, "%s/zvmm-mig-%d-%s", dir && *dir ? dir : "/tmp", (int)getpid(), name);
}

static void exchange(int a, int b)
{
	char msg[6];

	assert_int_equal(mig_write_all(a, "hello", 6, mig_deadline(5000)), 0);
	assert_int_equal(mig_read_all(b, msg, 6, mig_deadline(5000)), 0);
	assert_string_equal(msg, "hello");
	assert_int_equal(mig_write_all(b, "world", 6, mig_deadline(5000)), 0);
	assert_int_equal(mig_read_all(a, msg, 6, mig_deadline(5000)), 0);
	assert_string_equal(msg, "world");
}

static void test_unix(void **state)
{
	struct mig_uri u;
	char uri[200];
	struct stat st;
	int lfd, cfd, afd;

	(void)state;
	memcpy(uri, "unix:", 5);
	temp_path(uri + 5, sizeof(uri) - 5, "sock");
	assert_int_equal(mig_uri_parse(uri, &u, NULL, 0), 0);
	unlink(u.path);
	assert_int_equal(mig_connect(&u, 100), -ENOENT);
	lfd = mig_listen(&u);
	assert_true(lfd >= 0);
	assert_int_equal(stat(u.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
	/* A live socket is not taken over, nor removed by a failed listener. */
	assert_int_equal(mig_listen(&u), -EADDRINUSE);
	mig_unlisten(&u, -EADDRINUSE);
	assert_int_equal(stat(u.path, &st), 0);
	assert_int_equal(mig_accept(lfd, 50), -ETIMEDOUT);
	cfd = mig_connect(&u, 1000);
	assert_true(cfd >= 0);
	afd = mig_accept(lfd, 1000);
	assert_true(afd >= 0);
	assert_true(fcntl(afd, F_GETFL) & O_NONBLOCK);
	exchange(cfd, afd);
	close(afd);
	close(cfd);
	/* Closed without unlink: the stale socket file is replaced. */
	close(lfd);
	assert_int_equal(stat(u.path, &st), 0);
	lfd = mig_listen(&u);
	assert_true(lfd >= 0);
	cfd = mig_connect(&u, 1000);
	afd = mig_accept(lfd, 1000);
	assert_true(cfd >= 0 && afd >= 0);
	transfer(cfd, afd);
	close(afd);
	close(cfd);
	mig_unlisten(&u, lfd);
	assert_int_equal(stat(u.path, &st), -1);
	/* Something else at the path is left alone. */
	close(open(u.path, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(mig_listen(&u), -EEXIST);
	unlink(u.path);
}

static int listen_any_port(struct mig_uri *u)
{
	char uri[64];
	int lfd = -EADDRINUSE;

	for (int i = 0; i < 50 && lfd == -EADDRINUSE; i++) {
		snprintf(uri, sizeof(uri), "tcp:127.0.0.1:%d",
			 20000 + (int)((getpid() * 7919u + (unsigned)i * 104729u) % 40000));
		assert_int_equal(mig_uri_parse(uri, u, NULL, 0), 0);
		lfd = mig_listen(u);
	}
	return lfd;
}

static void test_tcp(void **state)
{
	socklen_t len = sizeof(int);
	struct mig_uri u;
	int lfd, cfd, afd, v = 0;

	(void)state;
	lfd = listen_any_port(&u);
	assert_true(lfd >= 0);
	assert_int_equal(mig_accept(lfd, 50), -ETIMEDOUT);
	cfd = mig_connect(&u, 2000);
	assert_true(cfd >= 0);
	afd = mig_accept(lfd, 2000);
	assert_true(afd >= 0);
	assert_int_equal(getsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
	assert_int_equal(v, 1);
	assert_int_equal(getsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
	assert_int_equal(v, 1);
	exchange(cfd, afd);
	transfer(cfd, afd);
	close(cfd);
	{
		char c;

		assert_int_equal(mig_read_all(afd, &c, 1, mig_deadline(5000)), -ENODATA);
	}
	close(afd);
	mig_unlisten(&u, lfd);
	/* Nobody listens there now. */
	assert_int_equal(mig_connect(&u, 2000), -ECONNREFUSED);
}

/*
 * The peer answers and hangs up without reading what it was sent (a
 * REFUSED message): the sender's write fails, and the answer can still
 * be read afterwards.
 */
static void test_tcp_answer_after_reset(void **state)
{
	size_t big = 16 << 20;
	uint8_t *buf = calloc(1, big);
	struct mig_uri u;
	char answer[4];
	int lfd, cfd, afd, rc;

	(void)state;
	assert_non_null(buf);
	lfd = listen_any_port(&u);
	assert_true(lfd >= 0);
	cfd = mig_connect(&u, 2000);
	afd = mig_accept(lfd, 2000);
	assert_true(cfd >= 0 && afd >= 0);
	assert_int_equal(mig_write_all(cfd, buf, 1000, mig_deadline(5000)), 0);
	assert_int_equal(mig_write_all(afd, "no!", 4, mig_deadline(5000)), 0);
	usleep(20000);
	close(afd);
	rc = mig_write_all(cfd, buf, big, mig_deadline(5000));
	assert_true(rc == -ECONNRESET || rc == -EPIPE);
	assert_int_equal(mig_read_all(cfd, answer, 4, mig_deadline(5000)), 0);
	assert_string_equal(answer, "no!");
	close(cfd);
	mig_unlisten(&u, lfd);
	free(buf);
}

static void test_file(void **state)
{
	struct mig_uri u;
	char uri[200], buf[4];
	struct stat st;
	int fd;

	(void)state;
	memcpy(uri, "file:", 5);
	temp_path(uri + 5, sizeof(uri) - 5, "file");
	assert_int_equal(mig_uri_parse(uri, &u, NULL, 0), 0);
	fd = mig_connect(&u, 0);
	assert_true(fd >= 0);
	assert_int_equal(mig_write_all(fd, "data", 4, 0), 0);
	close(fd);
	assert_int_equal(stat(u.path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fd = mig_listen(&u);
	assert_true(fd >= 0);
	assert_int_equal(mig_read_all(fd, buf, 4, 0), 0);
	assert_memory_equal(buf, "data", 4);
	assert_int_equal(mig_read_all(fd, buf, 1, 0), -ENODATA);
	close(fd);
	unlink(u.path);
	assert_int_equal(mig_listen(&u), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uri_good),
		cmocka_unit_test(test_uri_bad),
		cmocka_unit_test(test_socketpair_transfer),
		cmocka_unit_test(test_writev_all),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_peer_close),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tcp_answer_after_reset),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("mig_transport", tests, NULL, NULL);
}
