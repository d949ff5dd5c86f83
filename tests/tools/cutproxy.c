// SPDX-License-Identifier: MIT
/*
 * cutproxy: a unix-socket proxy that breaks a migration stream on
 * purpose, for tests/integration/migrate-faults.t.
 *
 *   cutproxy LISTEN_SOCKET TARGET_SOCKET MODE N
 *
 * It accepts one connection on LISTEN_SOCKET, connects to TARGET_SOCKET
 * and copies bytes both ways. In the source -> peer direction it counts
 * bytes and follows the stream's framing (docs/migration.md: a header
 * whose length is at offset 12, then sections of 16 + length + 4 bytes):
 *   cut N       close both sides once N bytes have passed
 *   section N   close both sides right after the N-th section (0 = after
 *               the header), or as the END section starts if the stream
 *               has fewer sections
 *   flip N      invert the byte at offset N and carry on
 * It prints "cut at BYTE" (or "flipped BYTE") on stdout when it acted,
 * and exits when either side closes.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

enum mode { MODE_CUT, MODE_SECTION, MODE_FLIP };

struct framing {
	uint8_t hdr[16];
	uint64_t pos;		/* bytes seen */
	uint64_t next;		/* where the next unit (header/section) ends */
	uint64_t unit_start;	/* where the current unit began */
	unsigned units;		/* complete units: header = 0th */
	int in_header;		/* still reading the header's 16 bytes */
};

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

static uint64_t be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/*
 * Feed one byte of the source's stream; returns 1 when a unit (the
 * header or a section) has just ended.
 */
static int framing_feed(struct framing *f, uint8_t b)
{
	uint64_t off = f->pos - f->unit_start;

	f->pos++;
	if (off < 16)
		f->hdr[off] = b;
	if (off == 15) {
		f->next = f->in_header ? f->unit_start + be(f->hdr + 12, 4) :
			  f->unit_start + 16 + be(f->hdr + 8, 8) + 4;
	}
	if (off >= 15 && f->pos == f->next) {
		f->units++;
		f->in_header = 0;
		f->unit_start = f->pos;
		return 1;
	}
	return 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || unix_addr(&sa, path) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return fd;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	unlink(path);
	if (fd < 0 || unix_addr(&sa, path) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
		return -1;
	return fd;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Source -> peer: returns the number of bytes to pass on (the rest of
 * the buffer is dropped and *stop set when the cut point is reached). */
static size_t forward_chunk(struct framing *f, enum mode mode, uint64_t n,
			    uint8_t *buf, size_t len, int *stop)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t at = f->pos;
		int ended;

		if (mode == MODE_FLIP && at == n) {
			buf[i] ^= 0xff;
			printf("flipped %llu\n", (unsigned long long)at);
		}
		if (mode == MODE_CUT && at == n) {
			*stop = 1;
			printf("cut at %llu\n", (unsigned long long)at);
			return i;
		}
		ended = framing_feed(f, buf[i]);
		if (mode == MODE_SECTION && !f->in_header &&
		    f->pos - f->unit_start == 4 && !memcmp(f->hdr, "\xff\xff\xff\xff", 4)) {
			*stop = 1;
			printf("cut at %llu (END)\n", (unsigned long long)f->pos);
			return i + 1;
		}
		if (mode == MODE_SECTION && ended && f->units == n + 1) {
			*stop = 1;
			printf("cut at %llu\n", (unsigned long long)f->pos);
			return i + 1;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	struct framing f = { .in_header = 1 };
	enum mode mode;
	uint64_t n;
	int lfd, src, dst, stop = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: cutproxy LISTEN TARGET cut|section|flip N\n");
		return 2;
	}
	mode = !strcmp(argv[3], "cut") ? MODE_CUT :
	       !strcmp(argv[3], "section") ? MODE_SECTION : MODE_FLIP;
	n = strtoull(argv[4], NULL, 0);
	lfd = listen_on(argv[1]);
	if (lfd < 0) {
		perror("cutproxy: listen");
		return 1;
	}
	src = accept(lfd, NULL, NULL);
	dst = connect_to(argv[2]);
	if (src < 0 || dst < 0) {
		perror("cutproxy: connect");
		return 1;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	while (!stop) {
		struct pollfd p[2] = { { src, POLLIN, 0 }, { dst, POLLIN, 0 } };
		uint8_t buf[65536];
		ssize_t got;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents) {
			size_t pass;

			got = recv(src, buf, sizeof(buf), 0);
			if (got <= 0)
				break;
			pass = forward_chunk(&f, mode, n, buf, (size_t)got, &stop);
			if (write_all(dst, buf, pass))
				break;
		}
		if (!stop && p[1].revents) {
			got = recv(dst, buf, sizeof(buf), 0);
			if (got <= 0 || write_all(src, buf, (size_t)got))
				break;
		}
	}
	close(src);
	close(dst);
	unlink(argv[1]);
	return 0;
}
