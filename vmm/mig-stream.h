/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_MIG_STREAM_H
#define ZVMM_MIG_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "kvm-abi.h"

/*
 * The migration stream (docs/migration.md): a header, then sections of
 * {type, instance, length, payload, CRC32C}, closed by an END section.
 * All integers are big-endian. Functions return 0 or -errno; readers
 * also put a one-line reason into err (err may be NULL).
 */
#define MIG_MAGIC "ZVMMIG\r\n"
#define MIG_MAGIC_LEN 8
#define MIG_VERSION 1

#define MIG_PAGE_SIZE 4096
#define MIG_MAX_CPUS 248		/* ZVMM_MAX_CPUS */
#define MIG_MEM_ALIGN (1ULL << 20)	/* ZVMM_MEM_ALIGN */
#define MIG_MEM_MAX (1ULL << 40)	/* ZVMM_MEM_MAX */
#define MIG_FAC_MAX 2048
#define MIG_HEADER_FIXED 48		/* header bytes before the facility list */
#define MIG_HEADER_MAX (MIG_HEADER_FIXED + MIG_FAC_MAX + 4)
#define MIG_FLAG_SNAPSHOT 0x1u
#define MIG_SECTION_HDR 16
#define MIG_MEMORY_MAX_PAGES 16384
#define MIG_MEMORY_MAX_LEN ((64ULL << 20) + 16)	/* MEMORY payload limit */
#define MIG_SECTION_MAX_LEN (1ULL << 20)	/* every other section but: */
/* FLIC: u32 count, u32 0, as many records as KVM keeps floating irqs */
#define MIG_FLIC_MAX_LEN (8ULL + (uint64_t)KVM_S390_MAX_FLOAT_IRQS * 72)
/* SKEYS: u32 flags and one key per page; at most 4 + mem_size / 4096 */
#define MIG_SKEYS_MAX_LEN (4ULL + MIG_MEM_MAX / MIG_PAGE_SIZE)

enum mig_section {
	MIG_SEC_MACHINE = 1,
	MIG_SEC_MEMORY,
	MIG_SEC_ZERO,
	MIG_SEC_SKEYS,
	MIG_SEC_TOD,
	MIG_SEC_FLIC,
	MIG_SEC_VCPU,
	MIG_SEC_DEVICES,
	MIG_SEC_END = 0xFFFFFFFF,
};

struct mig_header {
	uint32_t version, page_size, ncpus, flags, fac_len;
	uint64_t mem_size, cpuid;
	uint8_t fac[MIG_FAC_MAX];
};

/*
 * The largest payload a reader accepts for a section type (0: unknown
 * type). After a header, readers and writers hold SKEYS to the exact
 * 4 + mem_size / 4096 instead.
 */
uint64_t mig_section_max_len(uint32_t type);
/* "MEMORY", "VCPU", ...; "?" for an unknown type. */
const char *mig_section_name(uint32_t type);

struct mig_writer {
	int fd;
	uint64_t deadline_ns;
	uint64_t bytes;		/* total written */
	uint64_t mem_size;	/* from the header written */
	int error;		/* first error; every later call returns it */
};

void mig_writer_init(struct mig_writer *w, int fd, uint64_t deadline_ns);
/*
 * version 0 means MIG_VERSION; -EINVAL for a header that a reader would
 * refuse (nothing is written then).
 */
int mig_write_header(struct mig_writer *w, const struct mig_header *h);
/*
 * One section, the payload gathered from n buffers and written with
 * writev straight from them. -EMSGSIZE when the payload is longer than
 * the reader's limit for the type, -EINVAL for an unknown type or an
 * instance other than 0 outside VCPU sections.
 */
int mig_write_section(struct mig_writer *w, uint32_t type, uint32_t instance,
		      const struct iovec *payload, int n);
int mig_write_end(struct mig_writer *w);

struct mig_reader {
	int fd;
	uint64_t deadline_ns;
	uint64_t bytes;		/* total read */
	uint32_t crc;		/* running CRC of the current section */
	uint64_t left;		/* payload bytes not read yet */
	uint32_t type, instance;
	uint64_t len;
	uint64_t mem_size;	/* from the header read */
	bool in_section;	/* between read_section and read_section_end */
	bool done;		/* END read and checked */
};

void mig_reader_init(struct mig_reader *r, int fd, uint64_t deadline_ns);
/*
 * Reads and checks the header: -EPROTO (magic, CRC, a field out of
 * range), -EPROTONOSUPPORT (version), -ENODATA (stream too short), or the
 * transport's error.
 */
int mig_read_header(struct mig_reader *r, struct mig_header *h, char *err, size_t errlen);
/*
 * The next section's 16-byte header. -EPROTO for an unknown type, a
 * length over mig_section_max_len(type) or a bad END section; -ENODATA
 * when the stream ends here (no END seen).
 */
int mig_read_section(struct mig_reader *r, uint32_t *type, uint32_t *instance,
		     uint64_t *len, char *err, size_t errlen);
/* The next n payload bytes into dst (-EINVAL if n > r->left). */
int mig_read_payload(struct mig_reader *r, void *dst, size_t n);
/* The next n payload bytes, thrown away. */
int mig_read_skip(struct mig_reader *r, uint64_t n);
/* After the payload: the CRC. -EBADMSG on a mismatch, -EPROTO if payload is left. */
int mig_read_section_end(struct mig_reader *r, char *err, size_t errlen);

/* Handshake messages (unix and tcp streams, after END). */
#define MIG_MSG_MAGIC 0x5A4D5347u	/* "ZMSG" */
#define MIG_MSG_TEXT_MAX 512

enum mig_msg { MIG_MSG_READY = 1, MIG_MSG_GO, MIG_MSG_RUNNING, MIG_MSG_REFUSED };

/* text may be NULL; longer than MIG_MSG_TEXT_MAX bytes is cut there. */
int mig_send_msg(int fd, enum mig_msg kind, const char *text, uint64_t deadline_ns);
/*
 * -EPROTO for a bad magic, kind or length. The text is NUL-terminated,
 * cut to textlen - 1 bytes, control characters replaced by '?'.
 */
int mig_recv_msg(int fd, enum mig_msg *kind, char *text, size_t textlen,
		 uint64_t deadline_ns);
const char *mig_msg_name(enum mig_msg kind);

/* struct kvm_s390_irq as a 72-byte big-endian record; -EINVAL for an unknown type. */
#define MIG_IRQ_SIZE 72
int mig_irq_encode(const struct kvm_s390_irq *irq, uint8_t out[MIG_IRQ_SIZE]);
/* Also -EINVAL when a byte the type does not use is not zero. */
int mig_irq_decode(const uint8_t in[MIG_IRQ_SIZE], struct kvm_s390_irq *irq);

/*
 * A bounds-checked big-endian cursor for small payloads. A put or get
 * past the end sets overflow and does nothing (gets return 0); check
 * mig_buf_ok() once at the end.
 */
struct mig_buf {
	uint8_t *p;
	size_t len, off;
	bool overflow;
};

void mig_buf_init(struct mig_buf *b, void *p, size_t len);
/* For reading only: the buffer is never written through. */
void mig_buf_init_ro(struct mig_buf *b, const void *p, size_t len);
static inline bool mig_buf_ok(const struct mig_buf *b) { return !b->overflow; }
static inline size_t mig_buf_left(const struct mig_buf *b) { return b->len - b->off; }

void mig_put_u8(struct mig_buf *b, uint8_t v);
void mig_put_u16(struct mig_buf *b, uint16_t v);
void mig_put_u32(struct mig_buf *b, uint32_t v);
void mig_put_u64(struct mig_buf *b, uint64_t v);
void mig_put_bytes(struct mig_buf *b, const void *src, size_t n);
uint8_t mig_get_u8(struct mig_buf *b);
uint16_t mig_get_u16(struct mig_buf *b);
uint32_t mig_get_u32(struct mig_buf *b);
uint64_t mig_get_u64(struct mig_buf *b);
void mig_get_bytes(struct mig_buf *b, void *dst, size_t n);
/* A pointer to the next n bytes (NULL and overflow if fewer are left). */
const uint8_t *mig_get_ptr(struct mig_buf *b, size_t n);

#endif
