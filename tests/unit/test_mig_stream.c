// SPDX-License-Identifier: MIT
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "unit.h"
#include "bswap.h"
#include "crc32c.h"
#include "mig-stream.h"
#include "mig-transport.h"

#define SMALL_MAX 4096	/* a small stream fits a pipe's buffer */

static struct mig_header test_header(void)
{
	struct mig_header h;

	memset(&h, 0, sizeof(h));
	h.version = MIG_VERSION;
	h.page_size = 4096;
	h.ncpus = 2;
	h.mem_size = 128 << 20;
	h.cpuid = 0xff00000029640000ULL;
	h.flags = MIG_FLAG_SNAPSHOT;
	h.fac_len = 16;
	for (int i = 0; i < 16; i++)
		h.fac[i] = (uint8_t)(0xf0 + i);
	return h;
}

/* The read end of a pipe holding exactly these bytes. */
static int feed(const uint8_t *p, size_t len)
{
	int fds[2];

	assert_true(len <= SMALL_MAX);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(mig_write_all(fds[1], p, len, 0), 0);
	close(fds[1]);
	return fds[0];
}

/* Header, MACHINE, TOD, VCPU 1, FLIC, END: about 300 bytes. */
static size_t small_stream(uint8_t *out)
{
	struct mig_header h = test_header();
	uint8_t machine[64], tod[16], vcpu[100], flic[8 + MIG_IRQ_SIZE];
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_SERVICE };
	struct mig_writer w;
	struct mig_buf b;
	struct iovec iov;
	ssize_t n;
	int fds[2];

	irq.u.ext.ext_params = 0x12345678;
	mig_buf_init(&b, machine, sizeof(machine));
	mig_put_u16(&b, 4);
	mig_put_bytes(&b, "test", 4);
	mig_put_bytes(&b, "0123456789abcdef", 16);
	mig_put_u16(&b, 9);
	mig_put_bytes(&b, "hello.elf", 9);
	mig_put_u16(&b, 0);
	assert_true(mig_buf_ok(&b));
	memset(tod, 0, sizeof(tod));
	put_be64(tod + 8, 0xd0000000deadbeefULL);
	for (size_t i = 0; i < sizeof(vcpu); i++)
		vcpu[i] = (uint8_t)(i * 3);
	put_be32(flic, 1);
	put_be32(flic + 4, 0);
	assert_int_equal(mig_irq_encode(&irq, flic + 8), 0);

	assert_int_equal(pipe(fds), 0);
	mig_writer_init(&w, fds[1], mig_deadline(5000));
	assert_int_equal(mig_write_header(&w, &h), 0);
	iov = (struct iovec){ machine, b.off };
	assert_int_equal(mig_write_section(&w, MIG_SEC_MACHINE, 0, &iov, 1), 0);
	iov = (struct iovec){ tod, sizeof(tod) };
	assert_int_equal(mig_write_section(&w, MIG_SEC_TOD, 0, &iov, 1), 0);
	iov = (struct iovec){ vcpu, sizeof(vcpu) };
	assert_int_equal(mig_write_section(&w, MIG_SEC_VCPU, 1, &iov, 1), 0);
	iov = (struct iovec){ flic, sizeof(flic) };
	assert_int_equal(mig_write_section(&w, MIG_SEC_FLIC, 0, &iov, 1), 0);
	assert_int_equal(mig_write_end(&w), 0);
	close(fds[1]);
	n = read(fds[0], out, SMALL_MAX);
	close(fds[0]);
	assert_true(n > 0 && (uint64_t)n == w.bytes);
	return (size_t)n;
}

/* Read a whole stream the way a restore would: 0 or the first error. */
static int read_stream(int fd, char *err, size_t errlen)
{
	struct mig_reader r;
	struct mig_header h;
	uint32_t type, inst;
	uint64_t len;
	uint8_t *buf;
	int rc;

	mig_reader_init(&r, fd, mig_deadline(5000));
	rc = mig_read_header(&r, &h, err, errlen);
	while (!rc) {
		rc = mig_read_section(&r, &type, &inst, &len, err, errlen);
		if (rc)
			break;
		buf = malloc(len + 1);
		assert_non_null(buf);
		rc = mig_read_payload(&r, buf, len);
		free(buf);
		if (rc)
			snprintf(err, errlen, "payload: %s", strerror(-rc));
		if (!rc)
			rc = mig_read_section_end(&r, err, errlen);
		if (!rc && type == MIG_SEC_END)
			return 0;
	}
	assert_true(rc < 0);
	return rc;
}

static int read_bytes(const uint8_t *p, size_t len, char *err, size_t errlen)
{
	int fd = feed(p, len), rc;

	err[0] = 0;
	rc = read_stream(fd, err, errlen);
	close(fd);
	return rc;
}

static void test_small_round_trip(void **state)
{
	uint8_t s[SMALL_MAX];
	size_t len = small_stream(s);
	struct mig_header h, want = test_header();
	struct mig_reader r;
	uint32_t type, inst;
	uint64_t plen;
	uint8_t buf[200];
	char err[160];
	int fd = feed(s, len);

	(void)state;
	assert_memory_equal(s, "ZVMMIG\r\n", 8);
	assert_int_equal(get_be32(s + 12), 52 + 16);
	mig_reader_init(&r, fd, mig_deadline(5000));
	assert_int_equal(mig_read_header(&r, &h, err, sizeof(err)), 0);
	assert_memory_equal(&h, &want, sizeof(h));
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_MACHINE);
	assert_int_equal(plen, 2 + 4 + 16 + 2 + 9 + 2);
	/* the payload in pieces, then a section end with bytes left */
	assert_int_equal(mig_read_payload(&r, buf, 6), 0);
	assert_memory_equal(buf + 2, "test", 4);
	assert_int_equal(mig_read_payload(&r, buf, 100), -EINVAL);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), -EPROTO);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), -EINVAL);
	assert_int_equal(mig_read_skip(&r, plen - 6), 0);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_TOD);
	assert_int_equal(mig_read_payload(&r, buf, plen), 0);
	assert_int_equal(get_be64(buf + 8), 0xd0000000deadbeefULL);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_VCPU);
	assert_int_equal(inst, 1);
	assert_int_equal(plen, 100);
	assert_int_equal(mig_read_payload(&r, buf, plen), 0);
	assert_int_equal(buf[99], (uint8_t)(99 * 3));
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_FLIC);
	assert_int_equal(mig_read_skip(&r, plen), 0);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_END);
	assert_int_equal(plen, 0);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_true(r.done);
	assert_int_equal(r.bytes, len);
	assert_int_equal(mig_read_section(&r, &type, &inst, &plen, err, sizeof(err)), -EINVAL);
	close(fd);
}

static void test_truncation(void **state)
{
	uint8_t s[SMALL_MAX];
	size_t len = small_stream(s);
	char err[160];

	(void)state;
	assert_int_equal(read_bytes(s, len, err, sizeof(err)), 0);
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_equal(read_bytes(s, cut, err, sizeof(err)), -ENODATA);
		assert_true(strlen(err) > 0);
	}
}

/* Any changed byte anywhere is refused (the CRCs cover every byte). */
static void test_corruption(void **state)
{
	uint8_t s[SMALL_MAX];
	size_t len = small_stream(s);
	char err[160];
	int rc;

	(void)state;
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			s[i] ^= (uint8_t)(1u << ((i + (size_t)bit) % 8));
			rc = read_bytes(s, len, err, sizeof(err));
			s[i] ^= (uint8_t)(1u << ((i + (size_t)bit) % 8));
			if (rc == 0)
				fail_msg("byte %zu bit %zu: corruption not detected", i,
					 (i + (size_t)bit) % 8);
			assert_true(strlen(err) > 0);
		}
	}
}

/* Random bytes over random parts of a good stream: an error, never a crash or a hang. */
static void test_garbage(void **state)
{
	uint8_t good[SMALL_MAX], s[SMALL_MAX];
	size_t len = small_stream(good);
	uint32_t x = 12345;
	char err[160];

	(void)state;
	for (int i = 0; i < 500; i++) {
		size_t at, n;

		memcpy(s, good, len);
		x = x * 1103515245u + 12345u;
		at = (x >> 8) % len;
		x = x * 1103515245u + 12345u;
		n = 1 + (x >> 8) % (len - at);
		for (size_t k = 0; k < n; k++) {
			x = x * 1103515245u + 12345u;
			s[at + k] = (uint8_t)(x >> 16);
		}
		if (memcmp(s, good, len))
			assert_true(read_bytes(s, len, err, sizeof(err)) < 0);
	}
}

/* Set a header field, fix the CRC, and expect a refusal naming it. */
static void expect_header_refused(size_t off, int size, uint64_t value, int want_rc,
				  const char *want_text)
{
	struct mig_header h = test_header();
	uint8_t s[SMALL_MAX];
	size_t len = small_stream(s), hlen = MIG_HEADER_FIXED + h.fac_len;
	char err[160];

	if (size == 4)
		put_be32(s + off, (uint32_t)value);
	else
		put_be64(s + off, value);
	put_be32(s + hlen, crc32c(0, s, hlen));
	assert_int_equal(read_bytes(s, len, err, sizeof(err)), want_rc);
	if (!strstr(err, want_text))
		fail_msg("header @%zu = %llu: message '%s' lacks '%s'", off,
			 (unsigned long long)value, err, want_text);
}

static void test_header_fields(void **state)
{
	struct mig_header h;
	struct mig_writer w;
	uint8_t s[SMALL_MAX];
	size_t len;
	char err[160];

	(void)state;
	expect_header_refused(0, 4, 0x5a564d4e, -EPROTO, "magic");
	expect_header_refused(4, 4, 0x49470d0b, -EPROTO, "magic");
	expect_header_refused(8, 4, 2, -EPROTONOSUPPORT, "version 2");
	expect_header_refused(8, 4, 0, -EPROTONOSUPPORT, "version 0");
	expect_header_refused(12, 4, 52, -EPROTO, "header length");
	expect_header_refused(12, 4, 0xffffffff, -EPROTO, "header length");
	expect_header_refused(16, 4, 8192, -EPROTO, "page size");
	expect_header_refused(16, 4, 0, -EPROTO, "page size");
	expect_header_refused(20, 4, 0, -EPROTO, "vCPU count");
	expect_header_refused(20, 4, 249, -EPROTO, "vCPU count");
	expect_header_refused(24, 8, 0, -EPROTO, "memory size");
	expect_header_refused(24, 8, (128 << 20) + 4096, -EPROTO, "memory size");
	expect_header_refused(24, 8, 2ULL << 40, -EPROTO, "memory size");
	expect_header_refused(40, 4, 2, -EPROTO, "flags");
	expect_header_refused(40, 4, 0x80000001, -EPROTO, "flags");
	expect_header_refused(44, 4, 12, -EPROTO, "facility list length");
	expect_header_refused(44, 4, 2056, -EPROTO, "facility list length");
	expect_header_refused(44, 4, 8, -EPROTO, "header length");
	/* the CRC itself */
	len = small_stream(s);
	s[48 + 16] ^= 1;
	assert_int_equal(read_bytes(s, len, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "CRC"));
	/* the CPU id is free-form, every value is taken */
	expect_header_refused(32, 8, 0, 0, "");

	/* The writer refuses what a reader would refuse. */
	mig_writer_init(&w, -1, 0);
	h = test_header(), h.version = 2;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	h = test_header(), h.ncpus = 0;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	h = test_header(), h.fac_len = 2049;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	h = test_header(), h.mem_size = 1 << 19;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	h = test_header(), h.flags = 4;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	h = test_header(), h.page_size = 65536;
	assert_int_equal(mig_write_header(&w, &h), -EINVAL);
	assert_int_equal(w.bytes, 0);
	/* version 0 is the current version */
	h = test_header(), h.version = 0;
	len = small_stream(s);
	{
		int fds[2];
		uint8_t got[MIG_HEADER_MAX];

		assert_int_equal(pipe(fds), 0);
		mig_writer_init(&w, fds[1], 0);
		assert_int_equal(mig_write_header(&w, &h), 0);
		close(fds[1]);
		assert_int_equal(read(fds[0], got, sizeof(got)), w.bytes);
		close(fds[0]);
		assert_memory_equal(got, s, w.bytes);
	}
}

/* A valid header followed by one raw section header. */
static int read_raw_section(uint32_t type, uint32_t inst, uint64_t len, char *err,
			    size_t errlen)
{
	uint8_t s[SMALL_MAX];
	size_t hlen = small_stream(s), off = MIG_HEADER_FIXED + 16 + 4;
	struct mig_reader r;
	struct mig_header h;
	uint32_t t, i;
	uint64_t l;
	int fd, rc;

	(void)hlen;
	put_be32(s + off, type);
	put_be32(s + off + 4, inst);
	put_be64(s + off + 8, len);
	fd = feed(s, off + 16);
	mig_reader_init(&r, fd, mig_deadline(5000));
	assert_int_equal(mig_read_header(&r, &h, err, errlen), 0);
	err[0] = 0;
	rc = mig_read_section(&r, &t, &i, &l, err, errlen);
	if (!rc) {
		assert_int_equal(t, type);
		assert_int_equal(i, inst);
		assert_int_equal(l, len);
	}
	close(fd);
	return rc;
}

static void test_section_limits(void **state)
{
	char err[160];
	uint8_t dummy;
	struct iovec big = { &dummy, MIG_SECTION_MAX_LEN + 1 };
	struct iovec huge = { &dummy, MIG_MEMORY_MAX_LEN + 1 };
	struct mig_writer w;

	(void)state;
	assert_int_equal(read_raw_section(MIG_SEC_MEMORY, 0, MIG_MEMORY_MAX_LEN, err, sizeof(err)), 0);
	assert_int_equal(read_raw_section(MIG_SEC_MEMORY, 0, MIG_MEMORY_MAX_LEN + 1, err,
					  sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "MEMORY section"));
	assert_int_equal(read_raw_section(MIG_SEC_MEMORY, 0, UINT64_MAX, err, sizeof(err)), -EPROTO);
	/* 128 MiB of memory: 32768 keys */
	assert_int_equal(read_raw_section(MIG_SEC_SKEYS, 0, 4 + 32768, err, sizeof(err)), 0);
	assert_int_equal(read_raw_section(MIG_SEC_SKEYS, 0, 4 + 32769, err, sizeof(err)), -EPROTO);
	assert_int_equal(read_raw_section(MIG_SEC_FLIC, 0, 8 + 266250 * 72, err, sizeof(err)), 0);
	assert_int_equal(read_raw_section(MIG_SEC_FLIC, 0, 8 + 266250 * 72 + 1, err,
					  sizeof(err)), -EPROTO);
	for (uint32_t t = MIG_SEC_MACHINE; t <= MIG_SEC_DEVICES; t++) {
		if (t == MIG_SEC_MEMORY || t == MIG_SEC_SKEYS || t == MIG_SEC_FLIC)
			continue;
		assert_int_equal(read_raw_section(t, 0, 1 << 20, err, sizeof(err)), 0);
		assert_int_equal(read_raw_section(t, 0, (1 << 20) + 1, err, sizeof(err)), -EPROTO);
		assert_non_null(strstr(err, "over the limit"));
	}
	assert_int_equal(read_raw_section(MIG_SEC_END, 0, 1, err, sizeof(err)), -EPROTO);
	assert_int_equal(read_raw_section(MIG_SEC_END, 1, 0, err, sizeof(err)), -EPROTO);
	assert_int_equal(read_raw_section(MIG_SEC_TOD, 1, 16, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "instance"));
	assert_int_equal(read_raw_section(MIG_SEC_VCPU, 247, 16, err, sizeof(err)), 0);
	assert_int_equal(read_raw_section(0, 0, 0, err, sizeof(err)), -EPROTO);
	assert_int_equal(read_raw_section(9, 0, 0, err, sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "unknown section type 0x9"));
	assert_int_equal(read_raw_section(0xfffffffe, 0, 0, err, sizeof(err)), -EPROTO);

	/* The writer checks the same limits before writing anything. */
	mig_writer_init(&w, -1, 0);
	assert_int_equal(mig_write_section(&w, MIG_SEC_TOD, 0, &big, 1), -EMSGSIZE);
	assert_int_equal(mig_write_section(&w, MIG_SEC_MEMORY, 0, &huge, 1), -EMSGSIZE);
	assert_int_equal(mig_write_section(&w, 9, 0, NULL, 0), -EINVAL);
	assert_int_equal(mig_write_section(&w, MIG_SEC_TOD, 3, NULL, 0), -EINVAL);
	assert_int_equal(mig_write_section(&w, MIG_SEC_TOD, 0, NULL, -1), -EINVAL);
	assert_int_equal(w.bytes, 0);
	big.iov_len = 4 + (1 << 20) / 4096 + 1;	/* keys of 1 MiB */
	w.mem_size = 1 << 20;
	assert_int_equal(mig_write_section(&w, MIG_SEC_SKEYS, 0, &big, 1), -EMSGSIZE);
	/* A write error sticks. */
	assert_int_equal(mig_write_end(&w), -EBADF);
	assert_int_equal(w.error, -EBADF);
	assert_int_equal(mig_write_end(&w), -EBADF);
}

/* A MEMORY section of 256 separate pages and a 1 MiB one over a socket. */
#define PAGES 256
struct big_writer {
	int fd;
	uint8_t *mem;
	uint64_t bytes;
	int rc;
};

static void *big_write(void *arg)
{
	struct big_writer *bw = arg;
	struct mig_header h = test_header();
	struct iovec iov[1 + PAGES];
	uint8_t hdr[16];
	struct mig_writer w;
	int rc;

	put_be64(hdr, 0x100000);
	put_be32(hdr + 8, PAGES);
	put_be32(hdr + 12, 0);
	iov[0] = (struct iovec){ hdr, sizeof(hdr) };
	for (int i = 0; i < PAGES; i++)	/* every other page, backwards */
		iov[1 + i] = (struct iovec){ bw->mem + (size_t)(2 * (PAGES - 1 - i)) * 4096, 4096 };
	mig_writer_init(&w, bw->fd, mig_deadline(10000));
	rc = mig_write_header(&w, &h);
	if (!rc)
		rc = mig_write_section(&w, MIG_SEC_MEMORY, 0, iov, 1 + PAGES);
	iov[1] = (struct iovec){ bw->mem, 1 << 20 };
	if (!rc)
		rc = mig_write_section(&w, MIG_SEC_MEMORY, 0, iov, 2);
	if (!rc)
		rc = mig_write_end(&w);
	bw->bytes = w.bytes;
	bw->rc = rc;
	return NULL;
}

static void test_big_round_trip(void **state)
{
	struct big_writer bw = { .mem = malloc(2 << 20) };
	uint8_t *in = malloc(2 << 20), hdr[16];
	struct mig_reader r;
	struct mig_header h;
	uint32_t type, inst;
	uint64_t len;
	char err[160];
	pthread_t t;
	int sv[2];

	(void)state;
	assert_non_null(bw.mem);
	assert_non_null(in);
	for (size_t i = 0; i < (2 << 20); i++)
		bw.mem[i] = (uint8_t)(i ^ (i >> 12) * 131);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	bw.fd = sv[0];
	assert_int_equal(pthread_create(&t, NULL, big_write, &bw), 0);
	mig_reader_init(&r, sv[1], mig_deadline(10000));
	assert_int_equal(mig_read_header(&r, &h, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &len, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_MEMORY);
	assert_int_equal(len, 16 + PAGES * 4096);
	assert_int_equal(mig_read_payload(&r, hdr, 16), 0);
	assert_int_equal(get_be32(hdr + 8), PAGES);
	for (int i = 0; i < PAGES; i++) {
		assert_int_equal(mig_read_payload(&r, in, 1000), 0);
		assert_int_equal(mig_read_payload(&r, in + 1000, 3096), 0);
		assert_memory_equal(in, bw.mem + (size_t)(2 * (PAGES - 1 - i)) * 4096, 4096);
	}
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &len, err, sizeof(err)), 0);
	assert_int_equal(len, 16 + (1 << 20));
	assert_int_equal(mig_read_payload(&r, in, len), 0);
	assert_memory_equal(in + 16, bw.mem, 1 << 20);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	assert_int_equal(mig_read_section(&r, &type, &inst, &len, err, sizeof(err)), 0);
	assert_int_equal(type, MIG_SEC_END);
	assert_int_equal(mig_read_section_end(&r, err, sizeof(err)), 0);
	pthread_join(t, NULL);
	assert_int_equal(bw.rc, 0);
	assert_int_equal(bw.bytes, r.bytes);
	close(sv[0]);
	close(sv[1]);
	free(in);
	free(bw.mem);
}

static void test_messages(void **state)
{
	static const char *const texts[] = { "", "restored in 12 ms", NULL };
	char text[600], longtext[700];
	enum mig_msg kind;
	uint8_t raw[16];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	for (int k = MIG_MSG_READY; k <= MIG_MSG_REFUSED; k++) {
		for (unsigned i = 0; i < ARRAY_SIZE(texts); i++) {
			assert_int_equal(mig_send_msg(sv[0], (enum mig_msg)k, texts[i], 0), 0);
			assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text),
						      mig_deadline(5000)), 0);
			assert_int_equal(kind, k);
			assert_string_equal(text, texts[i] ? texts[i] : "");
		}
	}
	assert_string_equal(mig_msg_name(MIG_MSG_RUNNING), "RUNNING");
	assert_int_equal(mig_send_msg(sv[0], (enum mig_msg)0, "x", 0), -EINVAL);
	assert_int_equal(mig_send_msg(sv[0], (enum mig_msg)5, "x", 0), -EINVAL);

	/* Long text is cut at 512 bytes, before a split UTF-8 character. */
	memset(longtext, 'a', sizeof(longtext));
	longtext[sizeof(longtext) - 1] = 0;
	assert_int_equal(mig_send_msg(sv[0], MIG_MSG_REFUSED, longtext, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), 0);
	assert_int_equal(strlen(text), 512);
	memcpy(longtext + 511, "\xc3\xa9", 2);
	assert_int_equal(mig_send_msg(sv[0], MIG_MSG_REFUSED, longtext, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), 0);
	assert_int_equal(strlen(text), 511);
	/* A small buffer gets a cut, terminated text; control bytes become '?'. */
	assert_int_equal(mig_send_msg(sv[0], MIG_MSG_REFUSED, "no\nway\x1b", 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, 7, mig_deadline(5000)), 0);
	assert_string_equal(text, "no?way");
	assert_int_equal(mig_send_msg(sv[0], MIG_MSG_GO, "no\nway\x1b", 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), 0);
	assert_string_equal(text, "no?way?");

	/* Bad magic, kind or length: -EPROTO. */
	put_be32(raw, 0x5a4d5348);
	put_be32(raw + 4, 1);
	put_be32(raw + 8, 0);
	assert_int_equal(mig_write_all(sv[0], raw, 12, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -EPROTO);
	put_be32(raw, MIG_MSG_MAGIC);
	put_be32(raw + 4, 5);
	assert_int_equal(mig_write_all(sv[0], raw, 12, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -EPROTO);
	put_be32(raw + 4, 0);
	assert_int_equal(mig_write_all(sv[0], raw, 12, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -EPROTO);
	put_be32(raw + 4, 1);
	put_be32(raw + 8, 513);
	assert_int_equal(mig_write_all(sv[0], raw, 12, 0), 0);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -EPROTO);
	/* Silence times out; a truncated message and a hang-up end with -ENODATA. */
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(30)), -ETIMEDOUT);
	put_be32(raw + 8, 10);
	assert_int_equal(mig_write_all(sv[0], raw, 14, 0), 0);
	close(sv[0]);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -ENODATA);
	assert_int_equal(mig_recv_msg(sv[1], &kind, text, sizeof(text), mig_deadline(5000)), -ENODATA);
	close(sv[1]);
}

static void fill(void *p, size_t n, uint8_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = (uint8_t)(seed + i * 17 + 1);
}

/* One irq of every type KVM has, each field set to a distinct value. */
static size_t all_irqs(struct kvm_s390_irq *v)
{
	size_t n = 0;

	memset(v, 0, 20 * sizeof(*v));
	/* local */
	v[n++].type = KVM_S390_SIGP_STOP;
	v[n - 1].u.stop.flags = KVM_S390_STOP_FLAG_STORE_STATUS;
	v[n].type = KVM_S390_PROGRAM_INT;
	v[n].u.pgm.trans_exc_code = 0x0102030405060708ULL;
	v[n].u.pgm.mon_code = 0x1112131415161718ULL;
	v[n].u.pgm.per_address = 0x2122232425262728ULL;
	v[n].u.pgm.data_exc_code = 0x31323334;
	v[n].u.pgm.code = 0x4142;
	v[n].u.pgm.mon_class_nr = 0x5152;
	v[n].u.pgm.per_code = 0x61;
	v[n].u.pgm.per_atmid = 0x62;
	v[n].u.pgm.exc_access_id = 0x63;
	v[n].u.pgm.per_access_id = 0x64;
	v[n].u.pgm.op_access_id = 0x65;
	v[n++].u.pgm.flags = KVM_S390_PGM_FLAGS_ILC_VALID | KVM_S390_PGM_FLAGS_ILC_1;
	v[n].type = KVM_S390_SIGP_SET_PREFIX;
	v[n++].u.prefix.address = 0x7fffe000;
	v[n++].type = KVM_S390_RESTART;
	v[n].type = KVM_S390_INT_PFAULT_INIT;
	v[n].u.ext.ext_params = 0x600;
	v[n++].u.ext.ext_params2 = 0x8000000012345000ULL;
	v[n++].type = KVM_S390_INT_CLOCK_COMP;
	v[n++].type = KVM_S390_INT_CPU_TIMER;
	v[n].type = KVM_S390_INT_EMERGENCY;
	v[n++].u.emerg.code = 0x00f7;
	v[n].type = KVM_S390_INT_EXTERNAL_CALL;
	v[n++].u.extcall.code = 0x0102;
	v[n].type = KVM_S390_MCHK;
	v[n].u.mchk.cr14 = 0xa1a2a3a4a5a6a7a8ULL;
	v[n].u.mchk.mcic = 0xb1b2b3b4b5b6b7b8ULL;
	v[n].u.mchk.failing_storage_address = 0xc1c2c3c4c5c6c7c8ULL;
	v[n].u.mchk.ext_damage_code = 0xd1d2d3d4;
	fill(v[n++].u.mchk.fixed_logout, 16, 0xe0);
	/* floating */
	v[n].type = KVM_S390_INT_SERVICE;
	v[n++].u.ext.ext_params = 0x00abcde8;
	v[n].type = KVM_S390_INT_VIRTIO;
	v[n].u.ext.ext_params = 0x1;
	v[n++].u.ext.ext_params2 = 0xfedcba9876543210ULL;
	v[n].type = KVM_S390_INT_PFAULT_DONE;
	v[n++].u.ext.ext_params2 = 0x123;
	v[n].type = KVM_S390_INT_IO(1, 0xfe, 3, 0xffff);
	v[n].u.io.subchannel_id = 0x0001;
	v[n].u.io.subchannel_nr = 0xffff;
	v[n].u.io.io_int_parm = 0x89abcdef;
	v[n++].u.io.io_int_word = 0x80000000;
	v[n++].type = KVM_S390_INT_IO(0, 0, 0, 0);
	return n;
}

static void test_irq_round_trip(void **state)
{
	struct kvm_s390_irq v[20], back;
	uint8_t rec[MIG_IRQ_SIZE];
	size_t n = all_irqs(v);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(mig_irq_encode(&v[i], rec), 0);
		assert_int_equal(get_be64(rec), v[i].type);
		assert_int_equal(mig_irq_decode(rec, &back), 0);
		assert_memory_equal(&back, &v[i], sizeof(back));
	}
	/* Spot checks of the byte layout. */
	assert_int_equal(mig_irq_encode(&v[1], rec), 0);	/* PROGRAM */
	assert_int_equal(get_be64(rec + 8), 0x0102030405060708ULL);
	assert_int_equal(get_be32(rec + 8 + 24), 0x31323334);
	assert_int_equal(get_be16(rec + 8 + 28), 0x4142);
	assert_int_equal(rec[8 + 37], KVM_S390_PGM_FLAGS_ILC_VALID | KVM_S390_PGM_FLAGS_ILC_1);
	assert_int_equal(mig_irq_encode(&v[9], rec), 0);	/* MCHK */
	assert_int_equal(get_be64(rec + 8), 0xa1a2a3a4a5a6a7a8ULL);
	assert_int_equal(get_be32(rec + 8 + 24), 0xd1d2d3d4);
	assert_int_equal(rec[8 + 32], 0xe1);
	assert_int_equal(mig_irq_encode(&v[13], rec), 0);	/* I/O */
	assert_int_equal(get_be64(rec), 0x07fbffffu);
	assert_int_equal(get_be16(rec + 10), 0xffff);
	assert_int_equal(get_be32(rec + 16), 0x80000000);
	for (size_t i = 20; i < MIG_IRQ_SIZE; i++)
		assert_int_equal(rec[i], 0);
}

static void test_irq_refused(void **state)
{
	static const uint64_t bad[] = {
		0x80000000u, 0xfffdffffu, 0xfffe0006u, 0xfffe1001u, 0xffff0000u,
		0xffff1203u, 0xffffffffu, 1ULL << 32, UINT64_MAX,
	};
	struct kvm_s390_irq v[20], irq, back;
	uint8_t rec[MIG_IRQ_SIZE];
	size_t n = all_irqs(v);

	(void)state;
	memset(&irq, 0, sizeof(irq));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		irq.type = bad[i];
		assert_int_equal(mig_irq_encode(&irq, rec), -EINVAL);
		memset(rec, 0, sizeof(rec));
		put_be64(rec, bad[i]);
		assert_int_equal(mig_irq_decode(rec, &back), -EINVAL);
	}
	/* A non-zero byte where the type has no field is refused. */
	for (size_t i = 0; i < n; i++) {
		int refused = 0;

		assert_int_equal(mig_irq_encode(&v[i], rec), 0);
		for (size_t b = 8; b < MIG_IRQ_SIZE; b++) {
			if (rec[b])
				continue;
			rec[b] = 0x40;
			if (mig_irq_decode(rec, &back) == -EINVAL)
				refused++;
			rec[b] = 0;
		}
		/* every zero byte outside a field is refused; fields may be 0 */
		assert_true(refused > 0 || v[i].type == KVM_S390_INT_IO(0, 0, 0, 0));
	}
	memset(rec, 0, sizeof(rec));
	put_be64(rec, KVM_S390_INT_CLOCK_COMP);
	rec[71] = 1;
	assert_int_equal(mig_irq_decode(rec, &back), -EINVAL);
	put_be64(rec, KVM_S390_INT_EMERGENCY);
	rec[71] = 0;
	rec[10] = 1;	/* just past the u16 code */
	assert_int_equal(mig_irq_decode(rec, &back), -EINVAL);
	rec[10] = 0;
	put_be64(rec, KVM_S390_PROGRAM_INT);
	rec[8 + 38] = 1;	/* pgm pad */
	assert_int_equal(mig_irq_decode(rec, &back), -EINVAL);
}

static void test_buf(void **state)
{
	uint8_t mem[15], out[4];
	struct mig_buf b;

	(void)state;
	mig_buf_init(&b, mem, sizeof(mem));
	mig_put_u8(&b, 0x01);
	mig_put_u16(&b, 0x0203);
	mig_put_u32(&b, 0x04050607);
	mig_put_u64(&b, 0x08090a0b0c0d0e0fULL);
	assert_true(mig_buf_ok(&b));
	assert_int_equal(mig_buf_left(&b), 0);
	for (int i = 0; i < 15; i++)
		assert_int_equal(mem[i], i + 1);
	mig_put_u8(&b, 0xff);
	assert_false(mig_buf_ok(&b));

	mig_buf_init_ro(&b, mem, sizeof(mem));
	assert_int_equal(mig_get_u8(&b), 0x01);
	assert_int_equal(mig_get_u16(&b), 0x0203);
	assert_int_equal(mig_get_u32(&b), 0x04050607);
	mig_get_bytes(&b, out, 4);
	assert_memory_equal(out, mem + 7, 4);
	assert_non_null(mig_get_ptr(&b, 4));
	assert_true(mig_buf_ok(&b));
	/* past the end: zero, and stays spent even for a fitting read */
	assert_int_equal(mig_get_u64(&b), 0);
	assert_false(mig_buf_ok(&b));
	assert_null(mig_get_ptr(&b, 0));
	mig_buf_init_ro(&b, mem, sizeof(mem));
	assert_null(mig_get_ptr(&b, SIZE_MAX));
	assert_int_equal(mig_get_u8(&b), 0);
	mig_get_bytes(&b, out, 4);
	assert_memory_equal(out, "\0\0\0\0", 4);
	mig_buf_init(&b, mem, sizeof(mem));
	mig_put_bytes(&b, out, 16);
	assert_false(mig_buf_ok(&b));
	assert_int_equal(mem[0], 1);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(mig_section_name(MIG_SEC_MEMORY), "MEMORY");
	assert_string_equal(mig_section_name(MIG_SEC_END), "END");
	assert_string_equal(mig_section_name(0), "?");
	assert_string_equal(mig_section_name(100), "?");
	assert_int_equal(mig_section_max_len(MIG_SEC_MEMORY), (64 << 20) + 16);
	assert_int_equal(mig_section_max_len(MIG_SEC_VCPU), 1 << 20);
	assert_int_equal(mig_section_max_len(MIG_SEC_FLIC), 8 + 266250 * 72);
	assert_int_equal(mig_section_max_len(MIG_SEC_SKEYS), 4 + (1ULL << 28));
	assert_int_equal(mig_section_max_len(MIG_SEC_END), 0);
	assert_int_equal(mig_section_max_len(42), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_round_trip),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_section_limits),
		cmocka_unit_test(test_big_round_trip),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_irq_round_trip),
		cmocka_unit_test(test_irq_refused),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("mig_stream", tests, NULL, NULL);
}
