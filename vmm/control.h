/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_CONTROL_H
#define ZVMM_CONTROL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The control socket of `zvmm run --control PATH` (docs/vmm.md, "Control
 * socket"): a unix stream socket owned by the main thread. One request
 * line, one reply line; one client at a time, with a read deadline.
 */

#define CONTROL_LINE_MAX	256	/* a request, newline included */
#define CONTROL_REPLY_MAX	8192
#define CONTROL_TIMEOUT_MS	2000	/* a client must send its line in time */

/* `zvmm ctl quit`: the VM stops and zvmm exits with this status. */
#define ZVMM_EXIT_QUIT		0

struct vm;

struct control {
	char path[108];
	int listen_fd;
	int client_fd;			/* -1 when no client is connected */
	uint64_t deadline_ns;		/* of the current client */
	char line[CONTROL_LINE_MAX];
	size_t len;
	bool paused;			/* paused by `pause` */
	bool tod_frozen;		/* the guest TOD at the pause: */
	uint8_t tod_idx;		/* `resume` sets it back, so the */
	uint64_t tod;			/* pause is invisible (as QEMU) */
};

/* Bind and listen at path (mode 0600). A stale socket is replaced; any
 * other existing file, or a live socket, is refused. 0 or -errno, logged. */
int control_open(struct control *c, const char *path);
/* Close everything and remove the socket file. */
void control_close(struct control *c);

/* The descriptor for the main thread's poll() and its timeout in ms
 * (-1: none). */
void control_pollfd(const struct control *c, struct pollfd *pfd);
int control_timeout_ms(const struct control *c);
/* After poll(): accept, read, answer, or drop a late client. */
void control_service(struct control *c, struct vm *vm, short revents);

/* Carry out one request line (no newline) and write the reply line (no
 * newline) into reply. Returns true when the reply is "ok ...". */
bool control_request(struct control *c, struct vm *vm, const char *line,
		     char *reply, size_t len);

#endif
