// SPDX-License-Identifier: MIT
/*
 * `zvmm ctl [--json] SOCKET COMMAND [ARGS]`: send one request line to a
 * running zvmm's control socket and print the JSON reply line
 * (docs/control.md). Progress lines of migrate/snapshot are shown on
 * stderr, or printed as they are with --json. Exit status: 0 for an
 * "ok":true reply, 1 for "ok":false, 64 bad usage, 66 no socket at the
 * path, 69 nobody serves it, 70 no (or a garbled) reply.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
#define CTL_MIGRATE_TIMEOUT_MS	60000

static const struct {
	const char *name;
	int min_args, max_args;
	int timeout_ms;		/* between two lines of the reply */
} ctl_commands[] = {
	{ "status", 0, 0, CTL_REPLY_TIMEOUT_MS },
	{ "pause", 0, 0, CTL_REPLY_TIMEOUT_MS },
	{ "resume", 0, 0, CTL_REPLY_TIMEOUT_MS },
	{ "quit", 0, 0, CTL_REPLY_TIMEOUT_MS },
	/* A migration reports progress; its handshake may take 30 s. */
	{ "migrate", 1, 1, CTL_MIGRATE_TIMEOUT_MS },
	{ "snapshot", 1, 2, CTL_MIGRATE_TIMEOUT_MS },
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

/* Read one line into buf (NUL-terminated, newline removed); what follows
 * it stays in buf after the NUL, *have counts the bytes kept. */
static int ctl_read_line(int fd, char *buf, size_t len, size_t *have,
			 int timeout_ms)
{
	size_t got = *have;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		char *nl = memchr(buf, '\n', got);
		ssize_t n;

		if (nl) {
			*nl = 0;
			*have = got - (size_t)(nl + 1 - buf);
			return (int)(nl + 1 - buf);
		}
		if (got == len - 1)
			return -EPROTO;
		if (poll(&pfd, 1, timeout_ms) <= 0)
			return -ETIMEDOUT;
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPROTO;
		got += (size_t)n;
	}
}

/* A number member of a JSON line ("key":N), or 0. */
static double json_num(const char *line, const char *key)
{
	char pat[48];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	return p ? strtod(p + strlen(pat), NULL) : 0;
}

static void show_progress(const char *line)
{
	double mib = json_num(line, "mem_bytes") / 1048576.0;
	double total = json_num(line, "mem_size") / 1048576.0;

	fprintf(stderr, "\rmigration: %.1f MiB of guest memory sent (%.0f MiB in all), %.0f MB/s   ",
		mib, total, json_num(line, "mb_per_s"));
}

static void show_summary(const char *line)
{
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	fprintf(stderr, "%s: total %.1f ms, downtime %.1f ms, %.1f MiB sent in %.0f round(s) "
		"(%.0f pages, %.0f zero pages skipped), %.0f MB/s; interrupts carried: "
		"%.0f local, %.0f floating\n",
		strstr(line, "\"snapshot\"") ? "snapshot" : "migrated",
		json_num(line, "total_ms"), json_num(line, "downtime_ms"),
		json_num(line, "bytes") / 1048576.0, json_num(line, "rounds"),
		json_num(line, "pages_sent"), json_num(line, "zero_pages"),
		json_num(line, "mb_per_s"), json_num(line, "irqs_local"),
		json_num(line, "irqs_floating"));
}

/* Progress lines until the reply proper: the first with "ok". */
static int ctl_read_reply(int fd, char *buf, size_t len, int timeout_ms,
			  bool json, bool *progressed)
{
	size_t have = 0;

	for (;;) {
		int used = ctl_read_line(fd, buf, len, &have, timeout_ms);

		if (used < 0)
			return used;
		if (!strncmp(buf, "{\"ok\":", 6)) {
			if (!strncmp(buf, "{\"ok\":true,\"event\"", 19))
				show_summary(buf);
			else if (*progressed && isatty(STDERR_FILENO))
				fputc('\n', stderr);
			return 0;
		}
		if (json)
			printf("%s\n", buf);
		else if (strstr(buf, "\"event\":\"progress\"") &&
			 isatty(STDERR_FILENO))
			show_progress(buf);
		fflush(stdout);
		*progressed = true;
		memmove(buf, buf + used, have);
	}
}

static int ctl_send(const char *path, const char *request, int timeout_ms,
		    bool json)
{
	char reply[CONTROL_REPLY_MAX + 2];
	bool progressed = false;
	int fd, r;

	fd = ctl_connect(path);
	if (fd < 0)
		return -fd;
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0) {
		log_error("ctl %s: %s", path, strerror(errno));
		close(fd);
		return ZVMM_EXIT_UNAVAILABLE;
	}
	r = ctl_read_reply(fd, reply, sizeof(reply), timeout_ms, json,
			   &progressed);
	close(fd);
	if (r) {
		log_error("ctl %s: %s", path, r == -ETIMEDOUT ?
			  "no reply in time" : "no complete reply line");
		return ZVMM_EXIT_SOFTWARE;
	}
	printf("%s\n", reply);
	if (!strncmp(reply, "{\"ok\":true", 10))
		return ZVMM_EXIT_OK;
	if (!strncmp(reply, "{\"ok\":false", 11))
		return CTL_EXIT_ERROR_REPLY;
	return ZVMM_EXIT_SOFTWARE;
}

int cmd_ctl(int argc, char **argv)
{
	char request[CONTROL_LINE_MAX];
	bool json = false;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_print(stdout);
		return ZVMM_EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--json")) {
		json = true;
		argc--;
		argv++;
	}
	if (argc < 3) {
		log_error("usage: zvmm ctl [--json] SOCKET COMMAND [ARGS]");
		return ZVMM_EXIT_USAGE;
	}
	for (unsigned i = 0; i < sizeof(ctl_commands) / sizeof(ctl_commands[0]);
	     i++) {
		int n = 0, nargs = argc - 3;

		if (strcmp(argv[2], ctl_commands[i].name))
			continue;
		if (nargs < ctl_commands[i].min_args ||
		    nargs > ctl_commands[i].max_args) {
			log_error("ctl %s takes %d argument(s)",
				  ctl_commands[i].name, ctl_commands[i].max_args);
			return ZVMM_EXIT_USAGE;
		}
		for (int a = 2; a < argc && n >= 0 && (size_t)n < sizeof(request); a++)
			n += snprintf(request + n, sizeof(request) - (size_t)n,
				      "%s%s", a > 2 ? " " : "", argv[a]);
		if (n >= 0 && (size_t)n + 1 < sizeof(request))
			n += snprintf(request + n, sizeof(request) - (size_t)n, "\n");
		if (n < 0 || (size_t)n >= sizeof(request) ||
		    strpbrk(request, "\r\t") || strchr(request, '\n') != request + n - 1) {
			log_error("ctl %s: the argument is too long or holds control characters",
				  argv[2]);
			return ZVMM_EXIT_USAGE;
		}
		return ctl_send(argv[1], request, ctl_commands[i].timeout_ms,
				json);
	}
	log_error("ctl: unknown command '%s' (status, pause, resume, quit, migrate URI, snapshot [--paused] PATH)",
		  argv[2]);
	return ZVMM_EXIT_USAGE;
}
