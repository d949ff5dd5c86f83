// SPDX-License-Identifier: MIT
/*
 * The control socket: `zvmm ctl` talks to the main thread of a running
 * zvmm. Everything read here is untrusted: a line longer than
 * CONTROL_LINE_MAX, a NUL or another control byte, an unknown command or
 * a client that says nothing in CONTROL_TIMEOUT_MS gets an error reply or
 * is dropped; the VM goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "vm.h"

static int make_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!*path || strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/* An existing socket at the path: in use (refused) or stale (removed). */
static int control_check_path(const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, r;

	if (lstat(sa->sun_path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_error("--control %s: exists and is not a socket", sa->sun_path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	close(fd);
	if (r == 0) {
		log_error("--control %s: another process serves this socket",
			  sa->sun_path);
		return -EADDRINUSE;
	}
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int control_open(struct control *c, const char *path)
{
	struct sockaddr_un sa;
	mode_t old;
	int r;

	memset(c, 0, sizeof(*c));
	c->listen_fd = c->client_fd = -1;
	if (make_addr(&sa, path)) {
		log_error("--control %s: path too long", path);
		return -ENAMETOOLONG;
	}
	r = control_check_path(&sa);
	if (r) {
		if (r != -EEXIST && r != -EADDRINUSE)
			log_error("--control %s: %s", path, strerror(-r));
		return r;
	}
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0)
		goto fail;
	old = umask(0177);	/* the socket is created 0600; one thread yet */
	r = bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0)
		goto fail;
	memcpy(c->path, sa.sun_path, sizeof(c->path));
	if (listen(c->listen_fd, 8) < 0)
		goto fail;
	return 0;
fail:
	r = -errno;
	log_error("--control %s: %s", path, strerror(-r));
	control_close(c);
	return r;
}

static void drop_client(struct control *c)
{
	if (c->client_fd >= 0)
		close(c->client_fd);
	c->client_fd = -1;
	c->len = 0;
}

void control_close(struct control *c)
{
	drop_client(c);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	c->listen_fd = -1;
	if (c->path[0])
		unlink(c->path);
	c->path[0] = 0;
}

void control_pollfd(const struct control *c, struct pollfd *pfd)
{
	pfd->fd = c->client_fd >= 0 ? c->client_fd : c->listen_fd;
	pfd->events = POLLIN;
	pfd->revents = 0;
}

int control_timeout_ms(const struct control *c)
{
	uint64_t now = vm_now_ns();

	if (c->client_fd < 0)
		return -1;
	if (now >= c->deadline_ns)
		return 0;
	return (int)((c->deadline_ns - now + 999999) / 1000000);
}

static void cpu_states(struct vm *vm, char *buf, size_t len)
{
	size_t off = 0;

	pthread_mutex_lock(&vm->lock);
	for (unsigned i = 0; i < vm->ncpus && off < len; i++) {
		const struct vcpu *cpu = &vm->cpus[i];
		const char *s = cpu->stopped ? "stopped" :
				cpu->disabled_wait ? "wait" : "operating";
		int n = snprintf(buf + off, len - off, " cpu%u=%s", i, s);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	pthread_mutex_unlock(&vm->lock);
}

static void reply_status(struct control *c, struct vm *vm, char *reply,
			 size_t len)
{
	const char *state;
	bool over;
	unsigned running;
	int n;

	pthread_mutex_lock(&vm->lock);
	over = vm->over;
	running = vm_running_cpus_locked(vm);
	pthread_mutex_unlock(&vm->lock);
	state = over || !running ? "stopped" : c->paused ? "paused" : "running";
	n = snprintf(reply, len, "ok %s cpus=%u", state, vm->ncpus);
	if (n > 0 && (size_t)n < len)
		cpu_states(vm, reply + n, len - (size_t)n);
}

static bool vm_is_over(struct vm *vm)
{
	bool over;

	pthread_mutex_lock(&vm->lock);
	over = vm->over;
	pthread_mutex_unlock(&vm->lock);
	return over;
}

bool control_request(struct control *c, struct vm *vm, const char *line,
		     char *reply, size_t len)
{
	char cmd[16];
	const char *arg;
	size_t n;

	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) {
			snprintf(reply, len, "error: the request is not printable ASCII");
			return false;
		}
	n = strcspn(line, " ");
	arg = line + n + strspn(line + n, " ");
	if (n == 0 || n >= sizeof(cmd)) {
		snprintf(reply, len, "error: unknown command (status, pause, resume, quit, migrate URI)");
		return false;
	}
	memcpy(cmd, line, n);
	cmd[n] = 0;
	if (strcmp(cmd, "migrate") && *arg) {
		snprintf(reply, len, "error: %s takes no argument", cmd);
		return false;
	}
	if (!strcmp(cmd, "status")) {
		reply_status(c, vm, reply, len);
	} else if (!strcmp(cmd, "pause")) {
		if (vm_is_over(vm)) {
			snprintf(reply, len, "error: the VM has stopped");
			return false;
		}
		if (!c->paused) {
			vm_pause(vm);
			c->paused = true;
		}
		snprintf(reply, len, "ok paused");
	} else if (!strcmp(cmd, "resume")) {
		if (vm_is_over(vm)) {
			snprintf(reply, len, "error: the VM has stopped");
			return false;
		}
		if (c->paused) {
			vm_resume(vm);
			c->paused = false;
		}
		snprintf(reply, len, "ok running");
	} else if (!strcmp(cmd, "quit")) {
		log_info("quit requested on the control socket");
		vm_end(vm, ZVMM_EXIT_QUIT);
		snprintf(reply, len, "ok quitting");
	} else if (!strcmp(cmd, "migrate")) {
		if (!*arg)
			snprintf(reply, len, "error: migrate takes a URI");
		else
			snprintf(reply, len, "error: not available yet");
		return false;
	} else {
		snprintf(reply, len, "error: unknown command '%s' (status, pause, resume, quit, migrate URI)",
			 cmd);
		return false;
	}
	return true;
}

static void send_reply(struct control *c, const char *reply)
{
	size_t n = strlen(reply);

	/* A reply fits the socket buffer; a client that does not read it
	 * loses it. */
	(void)!send(c->client_fd, reply, n, MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)!send(c->client_fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void accept_client(struct control *c)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	int fd;

	fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 ||
	    (cred.uid != 0 && cred.uid != geteuid())) {
		(void)!send(fd, "error: permission denied\n", 25,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	c->client_fd = fd;
	c->len = 0;
	c->deadline_ns = vm_now_ns() + CONTROL_TIMEOUT_MS * 1000000ULL;
}

static void read_client(struct control *c, struct vm *vm)
{
	char reply[CONTROL_REPLY_MAX];
	char *nl;
	ssize_t got;

	got = recv(c->client_fd, c->line + c->len, sizeof(c->line) - c->len, 0);
	if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
		drop_client(c);		/* gone before its line was complete */
		return;
	}
	if (got < 0)
		return;
	c->len += (size_t)got;
	nl = memchr(c->line, '\n', c->len);
	if (!nl) {
		if (c->len == sizeof(c->line)) {
			send_reply(c, "error: request line too long");
			drop_client(c);
		}
		return;
	}
	if (nl > c->line && nl[-1] == '\r')
		nl--;
	*nl = 0;
	if (memchr(c->line, 0, (size_t)(nl - c->line)))
		snprintf(reply, sizeof(reply), "error: the request is not printable ASCII");
	else
		control_request(c, vm, c->line, reply, sizeof(reply));
	send_reply(c, reply);
	drop_client(c);
}

void control_service(struct control *c, struct vm *vm, short revents)
{
	if (c->client_fd >= 0) {
		if (revents)
			read_client(c, vm);
		else if (control_timeout_ms(c) == 0)
			drop_client(c);	/* said nothing in time */
		if (c->client_fd >= 0 && control_timeout_ms(c) == 0)
			drop_client(c);
		return;
	}
	if (revents & POLLIN)
		accept_client(c);
}
