/*
 * sockcopy: the plain socket copy that migration throughput is measured
 * against.  A writer thread sends N bytes from a buffer in 1 MiB writes
 * over a connected stream socket (unix by default, TCP loopback with -t)
 * and the main thread reads them into a buffer of the same size (threads
 * of one process: the kernel's socket path is the one between two
 * processes).  Both buffers are touched before the clock starts, so first
 * touches are not counted (they are slow in a VM whose host backs memory
 * lazily); the clock runs from the reader's accept() to its last byte, and
 * the bytes are compared afterwards.  With -r RUNS the copy is repeated and
 * the median run is reported.  With -f the reader gets a fresh, untouched
 * buffer for each run instead, so the clock includes its first touches, as
 * a migration's destination pays them for guest memory it has not touched.
 *
 *   sockcopy [-t] [-f] [-r RUNS] BYTES     (BYTES may end in K, M or G)
 *
 * prints  sockcopy: unix 1073741824 bytes 0.4123 s 2604.2 MB/s
 * (MB = 10^6 bytes, as in scripts/bench-migrate).  Exit 0, or 1 with a
 * message on stderr.  Host tool, built by scripts/bench-migrate with cc.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define CHUNK	(1UL << 20)
#define MAXRUNS	31

static void die(const char *what)
{
	fprintf(stderr, "sockcopy: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned char *buffer(size_t n)
{
	unsigned char *b = mmap(NULL, n, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		die("mmap");
	return b;
}

struct copy {
	struct sockaddr_storage addr;
	socklen_t len;
	const unsigned char *src;
	size_t n;
};

/* The writer thread: connect, send n bytes in CHUNK writes, close. */
static void *writer(void *arg)
{
	struct copy *c = arg;
	size_t off = 0;
	int fd = socket(c->addr.ss_family, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&c->addr, c->len) < 0)
		die("connect");
	while (off < c->n) {
		size_t want = c->n - off < CHUNK ? c->n - off : CHUNK;
		ssize_t w = write(fd, c->src + off, want);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		off += (size_t)w;
	}
	close(fd);
	return NULL;
}

/* One copy of n bytes from src to dst; returns the seconds it took. */
static double copy_once(int tcp, const unsigned char *src, unsigned char *dst,
			size_t n)
{
	struct copy c = { .src = src, .n = n };
	struct sockaddr_un *un = (struct sockaddr_un *)&c.addr;
	struct sockaddr_in *in = (struct sockaddr_in *)&c.addr;
	char dir[] = "/tmp/sockcopy.XXXXXX";
	size_t off = 0;
	pthread_t thread;
	int lfd, fd;
	double t0, t;

	if (tcp) {
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		c.len = sizeof(*in);
	} else {
		if (!mkdtemp(dir))
			die("mkdtemp");
		un->sun_family = AF_UNIX;
		snprintf(un->sun_path, sizeof(un->sun_path), "%s/s", dir);
		c.len = sizeof(*un);
	}
	lfd = socket(c.addr.ss_family, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&c.addr, c.len) < 0 ||
	    listen(lfd, 1) < 0)
		die("listen");
	/* The port the kernel chose, for TCP. */
	if (getsockname(lfd, (struct sockaddr *)&c.addr, &c.len) < 0)
		die("getsockname");
	errno = pthread_create(&thread, NULL, writer, &c);
	if (errno)
		die("pthread_create");
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	t0 = now();
	while (off < n) {
		size_t want = n - off < CHUNK ? n - off : CHUNK;
		ssize_t r = read(fd, dst + off, want);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (r == 0) {
			fprintf(stderr, "sockcopy: writer closed at %zu of %zu bytes\n",
				off, n);
			exit(1);
		}
		off += (size_t)r;
	}
	t = now() - t0;
	pthread_join(thread, NULL);
	close(fd);
	close(lfd);
	if (memcmp(dst, src, n) != 0) {
		fprintf(stderr, "sockcopy: wrong bytes received\n");
		exit(1);
	}
	if (!tcp) {
		unlink(un->sun_path);
		rmdir(dir);
	}
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void usage(void)
{
	fprintf(stderr, "usage: sockcopy [-t] [-f] [-r RUNS] BYTES[K|M|G]\n");
	exit(1);
}

int main(int argc, char **argv)
{
	double times[MAXRUNS], t;
	unsigned char *src, *dst = NULL;
	int tcp = 0, fresh = 0, runs = 1, opt, i;
	unsigned long long n;
	char *end;

	while ((opt = getopt(argc, argv, "tfr:")) != -1) {
		switch (opt) {
		case 't':
			tcp = 1;
			break;
		case 'f':
			fresh = 1;
			break;
		case 'r':
			runs = atoi(optarg);
			if (runs < 1 || runs > MAXRUNS)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	errno = 0;
	n = strtoull(argv[optind], &end, 10);
	switch (*end) {
	case 'G': n <<= 10;	/* fall through */
	case 'M': n <<= 10;	/* fall through */
	case 'K': n <<= 10; end++; break;
	}
	if (errno || *end || n == 0)
		usage();
	signal(SIGPIPE, SIG_IGN);
	src = buffer(n);
	memset(src, 0x5a, n);
	for (i = 0; i < runs; i++) {
		if (fresh || i == 0)
			dst = buffer(n);
		if (!fresh)
			memset(dst, 0, n);
		times[i] = copy_once(tcp, src, dst, n);
		if (fresh)
			munmap(dst, n);
	}
	qsort(times, runs, sizeof(times[0]), cmp_double);
	t = times[runs / 2];
	printf("sockcopy: %s%s %llu bytes %.4f s %.1f MB/s\n", tcp ? "tcp" : "unix",
	       fresh ? " fresh" : "", n, t, n / t / 1e6);
	return 0;
}
