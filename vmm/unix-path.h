/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_UNIX_PATH_H
#define ZVMM_UNIX_PATH_H

#include <sys/un.h>

/*
 * Unix-socket paths shared by the control socket and migration's unix:
 * transport.
 */

/* Fill sa for path: 0, or -ENAMETOOLONG for an empty or too long path. */
int unix_sockaddr(struct sockaddr_un *sa, const char *path);

/*
 * Make the path free for bind(): nothing there is fine, a stale socket
 * (nobody answers) is removed; -EEXIST when something that is not a
 * socket is there, -EADDRINUSE when a process serves it, else -errno.
 */
int unix_claim_path(const struct sockaddr_un *sa);

#endif
