// SPDX-License-Identifier: MIT
/*
 * `zvmm ctl SOCKET COMMAND [ARGS]`: send one request line to a running
 * zvmm's control socket, print the reply line. Exit status: 0 for an "ok"
 * reply, 1 for an "error" reply, 64 bad usage, 66 no socket at the path,
 * 69 nobody serves it, 70 no (or a garbled) reply.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd.h"
#include "control.h"
#include "log.h"
#include "status.h"

#define CTL_EXIT_ERROR_REPLY	1
#define CTL_REPLY_TIMEOUT_MS	10000

static const struct {
	const char *name;
	int nargs;
} ctl_commands[] = {
	{ "status", 0 },
	{ "pause", 0 },
	{ "resume", 0 },
	{ "quit", 0 },
	{ "migrate", 1 },
};

static int ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		log_error("ctl %s: socket path too long", path);
		return -ZVMM_EXIT_USAGE;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("socket: %s", strerror(errno));
		return -ZVMM_EXIT_OSERR;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT) {
			log_error("ctl %s: no such socket (is zvmm running with --control %s?)",
				  path, path);
			return -ZVMM_EXIT_NOINPUT;
		}
		log_error("ctl %s: %s (is zvmm still running?)", path,
			  strerror(e));
		return -ZVMM_EXIT_UNAVAILABLE;
	}
	return fd;
}

/* Read one reply line into buf (NUL-terminated, newline removed). */
static int ctl_read_reply(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len - 1) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		if (poll(&pfd, 1, CTL_REPLY_TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = 0;
		nl = memchr(buf, '\n', got);
		if (nl) {
			*nl = 0;
			return 0;
		}
	}
	buf[got] = 0;
	return -EPROTO;
}

static int ctl_send(const char *path, const char *request)
{
	char reply[CONTROL_REPLY_MAX + 2];
	int fd, r;

	fd = ctl_connect(path);
	if (fd < 0)
		return -fd;
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0) {
		log_error("ctl %s: %s", path, strerror(errno));
		close(fd);
		return ZVMM_EXIT_UNAVAILABLE;
	}
	r = ctl_read_reply(fd, reply, sizeof(reply));
	close(fd);
	if (r) {
		log_error("ctl %s: %s", path, r == -ETIMEDOUT ?
			  "no reply in time" : "no complete reply line");
		return ZVMM_EXIT_SOFTWARE;
	}
	printf("%s\n", reply);
	if (!strncmp(reply, "ok", 2) && (reply[2] == 0 || reply[2] == ' '))
		return ZVMM_EXIT_OK;
	if (!strncmp(reply, "error", 5))
		return CTL_EXIT_ERROR_REPLY;
	return ZVMM_EXIT_SOFTWARE;
}

int cmd_ctl(int argc, char **argv)
{
	char request[CONTROL_LINE_MAX];

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_print(stdout);
		return ZVMM_EXIT_OK;
	}
	if (argc < 3) {
		log_error("usage: zvmm ctl SOCKET COMMAND [ARGS]");
		return ZVMM_EXIT_USAGE;
	}
	for (unsigned i = 0; i < sizeof(ctl_commands) / sizeof(ctl_commands[0]);
	     i++) {
		int n;

		if (strcmp(argv[2], ctl_commands[i].name))
			continue;
		if (argc - 3 != ctl_commands[i].nargs) {
			log_error("ctl %s takes %d argument(s)",
				  ctl_commands[i].name, ctl_commands[i].nargs);
			return ZVMM_EXIT_USAGE;
		}
		n = snprintf(request, sizeof(request), "%s%s%s\n", argv[2],
			     argc > 3 ? " " : "", argc > 3 ? argv[3] : "");
		if (n < 0 || (size_t)n >= sizeof(request) ||
		    strpbrk(request, "\r\t") || strchr(request, '\n') != request + n - 1) {
			log_error("ctl %s: the argument is too long or holds control characters",
				  argv[2]);
			return ZVMM_EXIT_USAGE;
		}
		return ctl_send(argv[1], request);
	}
	log_error("ctl: unknown command '%s' (status, pause, resume, quit, migrate URI)",
		  argv[2]);
	return ZVMM_EXIT_USAGE;
}
