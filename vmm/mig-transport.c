// SPDX-License-Identifier: MIT
/*
 * Migration transport: URIs, connecting and listening, and moving whole
 * buffers with a deadline. Sockets are non-blocking and every wait is a
 * poll() bounded by the caller's absolute deadline, so a silent or slow
 * peer costs at most the time the caller allowed. Nothing here logs: the
 * caller knows what the fd is for.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mig-transport.h"
#include "unix-path.h"

__attribute__((format(printf, 3, 4)))
static int uri_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int parse_path(const char *s, struct mig_uri *u, char *err, size_t errlen)
{
	if (!*s)
		return uri_error(err, errlen, "migration URI has no path after the scheme");
	if (strlen(s) >= sizeof(u->path))
		return uri_error(err, errlen, "migration path is longer than %zu bytes",
				 sizeof(u->path) - 1);
	memcpy(u->path, s, strlen(s) + 1);
	return 0;
}

static int parse_tcp(const char *s, struct mig_uri *u, char *err, size_t errlen)
{
	const char *host = s, *host_end, *port;
	unsigned long v = 0;

	if (*s == '[') {
		host = s + 1;
		host_end = strchr(host, ']');
		if (!host_end || host_end[1] != ':')
			return uri_error(err, errlen, "tcp: expected [IPV6]:PORT");
		port = host_end + 2;
	} else {
		host_end = strrchr(s, ':');
		if (!host_end)
			return uri_error(err, errlen, "tcp: expected HOST:PORT (no port)");
		if (memchr(s, ':', (size_t)(host_end - s)))
			return uri_error(err, errlen, "tcp: an IPv6 address needs brackets, [ADDR]:PORT");
		port = host_end + 1;
	}
	if (host_end == host)
		return uri_error(err, errlen, "tcp: no host");
	if ((size_t)(host_end - host) >= sizeof(u->host))
		return uri_error(err, errlen, "tcp: host is longer than %zu bytes",
				 sizeof(u->host) - 1);
	if (!*port)
		return uri_error(err, errlen, "tcp: no port");
	for (const char *p = port; *p; p++) {
		if (*p < '0' || *p > '9' || p - port >= 5)
			return uri_error(err, errlen, "tcp: port '%.16s' is not a number 1..65535", port);
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > 65535)
		return uri_error(err, errlen, "tcp: port %lu is not in 1..65535", v);
	memcpy(u->host, host, (size_t)(host_end - host));
	u->host[host_end - host] = 0;
	snprintf(u->port, sizeof(u->port), "%lu", v);
	return 0;
}

int mig_uri_parse(const char *s, struct mig_uri *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	if (!s || !*s)
		return uri_error(err, errlen, "empty migration URI");
	if (!strncmp(s, "unix:", 5)) {
		u->kind = MIG_UNIX;
		return parse_path(s + 5, u, err, errlen);
	}
	if (!strncmp(s, "file:", 5)) {
		u->kind = MIG_FILE;
		return parse_path(s + 5, u, err, errlen);
	}
	if (!strncmp(s, "tcp:", 4)) {
		u->kind = MIG_TCP;
		return parse_tcp(s + 4, u, err, errlen);
	}
	return uri_error(err, errlen,
			 "migration URI '%.64s': expected unix:PATH, tcp:HOST:PORT or file:PATH", s);
}

int mig_uri_format(const struct mig_uri *u, char *buf, size_t len)
{
	switch (u->kind) {
	case MIG_UNIX:
		return snprintf(buf, len, "unix:%s", u->path);
	case MIG_FILE:
		return snprintf(buf, len, "file:%s", u->path);
	case MIG_TCP:
		if (strchr(u->host, ':'))
			return snprintf(buf, len, "tcp:[%s]:%s", u->host, u->port);
		return snprintf(buf, len, "tcp:%s:%s", u->host, u->port);
	}
	return -EINVAL;
}

uint64_t mig_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t mig_deadline(int timeout_ms)
{
	if (timeout_ms < 0)
		return 0;
	return mig_now_ns() + (uint64_t)timeout_ms * 1000000u;
}

/* Wait for events on fd: 0, -ETIMEDOUT once the deadline has passed. */
static int wait_fd(int fd, short events, uint64_t deadline_ns)
{
	struct pollfd p = { .fd = fd, .events = events };
	int ms = -1, r;

	for (;;) {
		if (deadline_ns) {
			uint64_t now = mig_now_ns();
			uint64_t left = now < deadline_ns ? deadline_ns - now : 0;

			left = (left + 999999) / 1000000;
			ms = left > INT_MAX ? INT_MAX : (int)left;
		}
		r = poll(&p, 1, ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r == 0 && ms == 0)
			return -ETIMEDOUT;
	}
}

/* Big buffers and no Nagle delay; best effort (unix sockets have no Nagle). */
static void tune_socket(int fd)
{
	int buf = MIG_SOCKBUF, one = 1;

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A non-blocking, close-on-exec, tuned stream socket, or -errno. */
static int new_socket(int family, int type, int protocol)
{
	int fd = socket(family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);

	if (fd < 0)
		return -errno;
	tune_socket(fd);
	return fd;
}

static int connect_unix(const char *path, uint64_t deadline_ns)
{
	struct sockaddr_un sa;
	int fd, r;

	r = unix_sockaddr(&sa, path);
	if (r)
		return r;
	fd = new_socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	/* A full backlog is EAGAIN for unix sockets, with nothing to poll. */
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		if (r == -EINTR)
			continue;
		if (r == -EAGAIN && (!deadline_ns || mig_now_ns() < deadline_ns)) {
			nanosleep(&(struct timespec){ .tv_nsec = 10000000 }, NULL);
			continue;
		}
		close(fd);
		return r == -EAGAIN ? -ETIMEDOUT : r;
	}
	return fd;
}

static int resolve(const struct mig_uri *u, int flags, struct addrinfo **res)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICSERV | flags,
	};
	int r = getaddrinfo(u->host, u->port, &hints, res);

	switch (r) {
	case 0:
		return 0;
	case EAI_SYSTEM:
		return errno ? -errno : -EIO;
	case EAI_MEMORY:
		return -ENOMEM;
	case EAI_AGAIN:
		return -EAGAIN;
	default:
		return -EHOSTUNREACH;
	}
}

static int connect_one(const struct addrinfo *ai, uint64_t deadline_ns)
{
	socklen_t len = sizeof(int);
	int fd, r, soerr = 0;

	fd = new_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0)
		return fd;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	r = -errno;
	if (r == -EINPROGRESS || r == -EINTR) {
		r = wait_fd(fd, POLLOUT, deadline_ns);
		if (!r && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			r = -errno;
		else if (!r)
			r = -soerr;
		if (!r)
			return fd;
	}
	close(fd);
	return r;
}

static int connect_tcp(const struct mig_uri *u, uint64_t deadline_ns)
{
	struct addrinfo *res, *ai;
	int r = resolve(u, 0, &res);

	if (r)
		return r;
	r = -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		r = connect_one(ai, deadline_ns);
		if (r >= 0 || r == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	return r;
}

int mig_connect(const struct mig_uri *u, int timeout_ms)
{
	uint64_t deadline_ns = mig_deadline(timeout_ms);
	int fd;

	switch (u->kind) {
	case MIG_UNIX:
		return connect_unix(u->path, deadline_ns);
	case MIG_TCP:
		return connect_tcp(u, deadline_ns);
	case MIG_FILE:
		fd = open(u->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		return fd < 0 ? -errno : fd;
	}
	return -EINVAL;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa;
	int fd, r;

	r = unix_sockaddr(&sa, path);
	if (!r)
		r = unix_claim_path(&sa);
	if (r)
		return r;
	fd = new_socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return fd;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	/* Nobody can connect before listen(), so 0600 is in place in time. */
	if (chmod(path, 0600) < 0 || listen(fd, 4) < 0) {
		r = -errno;
		close(fd);
		unlink(path);
		return r;
	}
	return fd;
}

static int listen_tcp(const struct mig_uri *u)
{
	struct addrinfo *res, *ai;
	int fd = -1, one = 1, r = resolve(u, AI_PASSIVE, &res);

	if (r)
		return r;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = new_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {	/* its buffer sizes are inherited by accepted sockets */
			r = fd;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 4) == 0)
			break;
		r = -errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd >= 0 ? fd : r;
}

int mig_listen(const struct mig_uri *u)
{
	int fd;

	switch (u->kind) {
	case MIG_UNIX:
		return listen_unix(u->path);
	case MIG_TCP:
		return listen_tcp(u);
	case MIG_FILE:
		fd = open(u->path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	return -EINVAL;
}

int mig_accept(int lfd, int timeout_ms)
{
	uint64_t deadline_ns = mig_deadline(timeout_ms);
	int fd, r;
	char c;

	for (;;) {
		r = wait_fd(lfd, POLLIN, deadline_ns);
		if (r)
			return r;
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
				return -errno;
			continue;
		}
		/*
		 * A peer that has already hung up without a byte is someone
		 * checking whether the socket is live (another mig_listen()
		 * or control socket on the same path): not a migration.
		 */
		if (recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0) {
			close(fd);
			continue;
		}
		break;
	}
	tune_socket(fd);
	return fd;
}

void mig_unlisten(const struct mig_uri *u, int lfd)
{
	if (lfd < 0)	/* not ours: the path may be another zvmm's socket */
		return;
	close(lfd);
	if (u->kind == MIG_UNIX)
		unlink(u->path);
}

int mig_writev_all(int fd, struct iovec *iov, int n, uint64_t deadline_ns)
{
	ssize_t done;
	int r;

	while (n > 0) {
		struct msghdr m = { .msg_iov = iov, .msg_iovlen = n < IOV_MAX ? n : IOV_MAX };

		if (!iov->iov_len) {
			iov++, n--;
			continue;
		}
		done = sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (done < 0 && errno == ENOTSOCK)
			done = writev(fd, iov, (int)m.msg_iovlen);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return -errno;
			r = wait_fd(fd, POLLOUT, deadline_ns);
			if (r)
				return r;
			continue;
		}
		if (done == 0)
			return -EIO;	/* a file that takes nothing */
		while (done > 0) {
			if ((size_t)done >= iov->iov_len) {
				done -= (ssize_t)iov->iov_len;
				iov++, n--;
			} else {
				iov->iov_base = (char *)iov->iov_base + done;
				iov->iov_len -= (size_t)done;
				done = 0;
			}
		}
	}
	return 0;
}

int mig_write_all(int fd, const void *buf, size_t len, uint64_t deadline_ns)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return mig_writev_all(fd, &iov, 1, deadline_ns);
}

int mig_read_all(int fd, void *buf, size_t len, uint64_t deadline_ns)
{
	char *p = buf;
	ssize_t got;
	int r;

	while (len) {
		got = recv(fd, p, len, MSG_DONTWAIT);
		if (got < 0 && errno == ENOTSOCK)
			got = read(fd, p, len);
		if (got > 0) {
			p += got;
			len -= (size_t)got;
			continue;
		}
		if (got == 0)
			return -ENODATA;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		r = wait_fd(fd, POLLIN, deadline_ns);
		if (r)
			return r;
	}
	return 0;
}
