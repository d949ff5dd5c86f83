// SPDX-License-Identifier: MIT
/*
 * The control socket: `zvmm ctl` talks to the main thread of a running
 * zvmm. Everything read here is untrusted: a line longer than
 * CONTROL_LINE_MAX, a NUL or another control byte, an unknown command or
 * a client that says nothing in CONTROL_TIMEOUT_MS gets an error reply or
 * is dropped; the VM goes on.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "log.h"
#include "migrate.h"
#include "unix-path.h"
#include "vm.h"

/* An existing socket at the path: in use (refused) or stale (removed). */
static int control_check_path(const struct sockaddr_un *sa)
{
	int r = unix_claim_path(sa);

	if (r == -EEXIST)
		log_error("--control %s: exists and is not a socket", sa->sun_path);
	else if (r == -EADDRINUSE)
		log_error("--control %s: another process serves this socket",
			  sa->sun_path);
	return r;
}

int control_open(struct control *c, const char *path)
{
	struct sockaddr_un sa;
	mode_t old;
	int r;

	memset(c, 0, sizeof(*c));
	c->listen_fd = c->client_fd = -1;
	if (unix_sockaddr(&sa, path)) {
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

/* A JSON string: quotes, backslashes and control bytes escaped. */
static size_t json_str(char *buf, size_t len, const char *s)
{
	size_t off = 0;

	if (len < 3)
		return 0;
	buf[off++] = '"';
	for (; *s && off + 8 < len; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			buf[off++] = '\\';
			buf[off++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			off += (size_t)snprintf(buf + off, len - off, "\\u%04x", ch);
		} else {
			buf[off++] = (char)ch;
		}
	}
	buf[off++] = '"';
	buf[off] = 0;
	return off;
}

static bool reply_error(char *reply, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* {"ok":false,"error":"..."}; returns false for control_request(). */
static bool reply_error(char *reply, size_t len, const char *fmt, ...)
{
	char msg[CONTROL_REPLY_MAX / 2];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = (size_t)snprintf(reply, len, "{\"ok\":false,\"error\":");
	n += json_str(reply + n, len - n - 1, msg);
	snprintf(reply + n, len - n, "}");
	return false;
}

static bool reply_state(char *reply, size_t len, const char *state)
{
	snprintf(reply, len, "{\"ok\":true,\"state\":\"%s\"}", state);
	return true;
}

static void cpu_states(struct vm *vm, char *buf, size_t len)
{
	size_t off = 0;

	pthread_mutex_lock(&vm->lock);
	for (unsigned i = 0; i < vm->ncpus && off + 16 < len; i++) {
		const struct vcpu *cpu = &vm->cpus[i];
		const char *s = cpu->stopped ? "stopped" :
				cpu->disabled_wait ? "wait" : "operating";

		off += (size_t)snprintf(buf + off, len - off, "%s\"%s\"",
					i ? "," : "", s);
	}
	pthread_mutex_unlock(&vm->lock);
}

static bool reply_status(struct control *c, struct vm *vm, char *reply,
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
	n = snprintf(reply, len, "{\"ok\":true,\"state\":\"%s\",\"cpus\":%u,\"cpu\":[",
		     state, vm->ncpus);
	if (n < 0 || (size_t)n + 4 > len)
		return true;
	cpu_states(vm, reply + n, len - (size_t)n - 3);
	strcat(reply, "]}");
	return true;
}

static bool vm_is_over(struct vm *vm)
{
	bool over;

	pthread_mutex_lock(&vm->lock);
	over = vm->over;
	pthread_mutex_unlock(&vm->lock);
	return over;
}

static double ms_between(uint64_t a, uint64_t b)
{
	return b > a ? (double)(b - a) / 1e6 : 0;
}

/* The figures of a migration as JSON members (no braces). */
static int stats_json(const struct mig_stats *st, char *buf, size_t len)
{
	uint64_t now = st->end_ns ? st->end_ns : vm_now_ns();
	double secs = ms_between(st->start_ns, now) / 1e3;

	return snprintf(buf, len,
			"\"bytes\":%llu,\"mem_bytes\":%llu,\"mem_size\":%llu,"
			"\"pages_sent\":%llu,\"zero_pages\":%llu,\"rounds\":%u,"
			"\"mb_per_s\":%.1f,\"total_ms\":%.3f,\"downtime_ms\":%.3f,"
			"\"irqs_local\":%u,\"irqs_floating\":%u",
			(unsigned long long)st->bytes,
			(unsigned long long)st->mem_bytes,
			(unsigned long long)st->mem_size,
			(unsigned long long)st->pages_sent,
			(unsigned long long)st->zero_pages, st->rounds,
			secs > 0 ? (double)st->bytes / 1e6 / secs : 0,
			ms_between(st->start_ns, now),
			st->pause_ns ? ms_between(st->pause_ns, now) : 0,
			st->irqs_local, st->irqs_floating);
}

/* Progress lines go to the client while the request runs. */
static void send_progress(void *opaque, const struct mig_stats *st)
{
	struct control *c = opaque;
	char line[512];
	int n;

	if (c->client_fd < 0)
		return;
	n = snprintf(line, sizeof(line), "{\"event\":\"progress\",");
	n += stats_json(st, line + n, sizeof(line) - (size_t)n - 3);
	strcat(line, "}\n");
	(void)!send(c->client_fd, line, strlen(line), MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* migrate URI | snapshot [--paused] PATH */
static bool request_migrate(struct control *c, struct vm *vm, bool snapshot,
			    const char *arg, char *reply, size_t len)
{
	char uri[CONTROL_LINE_MAX + 8], err[320];
	enum mig_mode mode = MIG_MODE_MIGRATE;
	struct mig_stats st;
	int n, r;

	if (snapshot) {
		mode = MIG_MODE_SNAPSHOT_RUN;
		if (!strncmp(arg, "--paused ", 9)) {
			mode = MIG_MODE_SNAPSHOT_PAUSE;
			arg += 9;
		}
	}
	if (!*arg)
		return reply_error(reply, len, "%s takes a %s", snapshot ?
				   "snapshot" : "migrate", snapshot ? "PATH" : "URI");
	if (vm_is_over(vm))
		return reply_error(reply, len, "the VM has stopped");
	if (c->paused)
		return reply_error(reply, len, "the VM is paused: resume it first");
	snprintf(uri, sizeof(uri), "%s%s", snapshot &&
		 strncmp(arg, "file:", 5) ? "file:" : "", arg);
	r = migrate_out(vm, uri, mode, send_progress, c, &st, err, sizeof(err));
	if (r)
		return reply_error(reply, len, "%s", err);
	if (mode == MIG_MODE_SNAPSHOT_PAUSE) {
		c->paused = true;
		c->tod_frozen = mig_tod_get(vm, &c->tod_idx, &c->tod) == 0;
	}
	n = snprintf(reply, len, "{\"ok\":true,\"event\":\"%s\",\"uri\":",
		     snapshot ? "snapshot" : "migrated");
	n += (int)json_str(reply + n, len - (size_t)n, uri);
	n += snprintf(reply + n, len - (size_t)n, ",\"state\":\"%s\",",
		      mode == MIG_MODE_MIGRATE ? "migrated" :
		      mode == MIG_MODE_SNAPSHOT_PAUSE ? "paused" : "running");
	n += stats_json(&st, reply + n, len - (size_t)n - 2);
	snprintf(reply + n, len - (size_t)n, "}");
	return true;
}

/* The guest's TOD stands still while the VM is paused, as on QEMU. */
static void control_pause(struct control *c, struct vm *vm)
{
	vm_pause(vm);
	c->tod_frozen = mig_tod_get(vm, &c->tod_idx, &c->tod) == 0;
}

static void control_resume(struct control *c, struct vm *vm)
{
	if (c->tod_frozen)
		mig_tod_set(vm, c->tod_idx, c->tod);
	c->tod_frozen = false;
	vm_resume(vm);
}

#define COMMANDS "status, pause, resume, quit, migrate URI, snapshot [--paused] PATH"

bool control_request(struct control *c, struct vm *vm, const char *line,
		     char *reply, size_t len)
{
	char cmd[16];
	const char *arg;
	size_t n;

	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return reply_error(reply, len, "the request is not printable ASCII");
	n = strcspn(line, " ");
	arg = line + n + strspn(line + n, " ");
	if (n == 0 || n >= sizeof(cmd))
		return reply_error(reply, len, "unknown command (" COMMANDS ")");
	memcpy(cmd, line, n);
	cmd[n] = 0;
	if (!strcmp(cmd, "migrate") || !strcmp(cmd, "snapshot"))
		return request_migrate(c, vm, cmd[0] == 's', arg, reply, len);
	if (*arg)
		return reply_error(reply, len, "%s takes no argument", cmd);
	if (!strcmp(cmd, "status"))
		return reply_status(c, vm, reply, len);
	if (!strcmp(cmd, "quit")) {
		log_info("quit requested on the control socket");
		vm_end(vm, ZVMM_EXIT_QUIT);
		return reply_state(reply, len, "quitting");
	}
	if (strcmp(cmd, "pause") && strcmp(cmd, "resume"))
		return reply_error(reply, len, "unknown command '%s' (" COMMANDS ")",
				   cmd);
	if (vm_is_over(vm))
		return reply_error(reply, len, "the VM has stopped");
	if (cmd[0] == 'p' && !c->paused) {
		uint64_t t0 = vm_now_ns();

		control_pause(c, vm);
		c->paused = true;
		/* How long parking every vCPU took (make bench: pause_64cpu). */
		snprintf(reply, len, "{\"ok\":true,\"state\":\"paused\",\"pause_us\":%.1f}",
			 (double)(vm_now_ns() - t0) / 1e3);
		return true;
	}
	if (cmd[0] == 'r' && c->paused)
		control_resume(c, vm);
	c->paused = cmd[0] == 'p';
	return reply_state(reply, len, c->paused ? "paused" : "running");
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
		static const char denied[] =
			"{\"ok\":false,\"error\":\"permission denied\"}\n";

		(void)!send(fd, denied, sizeof(denied) - 1,
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
			send_reply(c, "{\"ok\":false,\"error\":\"request line too long\"}");
			drop_client(c);
		}
		return;
	}
	if (nl > c->line && nl[-1] == '\r')
		nl--;
	*nl = 0;
	if (memchr(c->line, 0, (size_t)(nl - c->line)))
		reply_error(reply, sizeof(reply), "the request is not printable ASCII");
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
