/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_MIG_TRANSPORT_H
#define ZVMM_MIG_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/*
 * Where a migration stream goes: `unix:PATH`, `tcp:HOST:PORT` (HOST a
 * name, an IPv4 literal or a bracketed IPv6 literal `[::1]`) or
 * `file:PATH`. Everything returns 0 (or an fd) or -errno.
 *
 * Socket fds from mig_connect() and mig_accept() are close-on-exec and
 * non-blocking; the *_all() helpers below wait with poll() up to an
 * absolute CLOCK_MONOTONIC deadline in ns (0 = no deadline).
 */
enum mig_kind { MIG_UNIX, MIG_TCP, MIG_FILE };

struct mig_uri {
	enum mig_kind kind;
	char path[108];		/* unix, file: at most 107 bytes */
	char host[256];		/* tcp: without the IPv6 brackets */
	char port[16];		/* tcp: decimal 1..65535 */
};

#define MIG_SOCKBUF (4 << 20)	/* SO_SNDBUF/SO_RCVBUF, best effort */

/* 0, or -EINVAL with a reason in err (which may be NULL). */
int mig_uri_parse(const char *s, struct mig_uri *u, char *err, size_t errlen);
/* The URI as text (snprintf's return value: >= len means truncated). */
int mig_uri_format(const struct mig_uri *u, char *buf, size_t len);

/* Source side. file: open O_WRONLY|O_CREAT|O_TRUNC, 0600. */
int mig_connect(const struct mig_uri *u, int timeout_ms);
/*
 * Destination side: a listening socket (unix: a stale socket file is
 * replaced, a live one is -EADDRINUSE, anything else there -EEXIST), or
 * for file: the file open for reading.
 */
int mig_listen(const struct mig_uri *u);
/* A connected socket, -ETIMEDOUT after timeout_ms (-1 = wait forever). */
int mig_accept(int lfd, int timeout_ms);
/* Close lfd; for unix also remove the socket file. Nothing if lfd < 0. */
void mig_unlisten(const struct mig_uri *u, int lfd);

/* CLOCK_MONOTONIC now, and now + ms as a deadline (0 for ms < 0). */
uint64_t mig_now_ns(void);
uint64_t mig_deadline(int timeout_ms);

/*
 * Write or read exactly len bytes. Errors: -ETIMEDOUT past the deadline,
 * -EPIPE / -ECONNRESET when the peer has gone, -ENODATA (read) when the
 * stream ends before len bytes, other -errno as the kernel says.
 * mig_writev_all() advances iov as it goes (its contents are clobbered).
 * Sockets are written with MSG_NOSIGNAL; other fds with write(), so a
 * pipe needs SIGPIPE ignored by the caller.
 */
int mig_write_all(int fd, const void *buf, size_t len, uint64_t deadline_ns);
int mig_writev_all(int fd, struct iovec *iov, int n, uint64_t deadline_ns);
int mig_read_all(int fd, void *buf, size_t len, uint64_t deadline_ns);

#endif
