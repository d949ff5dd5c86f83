// SPDX-License-Identifier: MIT
/*
 * The migration stream format (docs/migration.md): header, sections with
 * a CRC32C each, END, and the handshake messages that follow END on a
 * socket. The reader trusts nothing: every length is checked against a
 * limit before anything is read into or allocated for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bswap.h"
#include "config.h"
#include "crc32c.h"
#include "mig-stream.h"
#include "mig-transport.h"

_Static_assert(MIG_MAX_CPUS == ZVMM_MAX_CPUS, "vCPU limit");
_Static_assert(MIG_MEM_MAX == ZVMM_MEM_MAX, "memory limit");
_Static_assert(MIG_MEM_ALIGN == ZVMM_MEM_ALIGN, "memory granule");
_Static_assert(sizeof(struct kvm_s390_irq) == MIG_IRQ_SIZE, "irq record");

#define IOV_BATCH 64	/* iovecs per writev; payload iovecs come in batches */

__attribute__((format(printf, 4, 5)))
static int fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

const char *mig_section_name(uint32_t type)
{
	static const char *const names[] = {
		[MIG_SEC_MACHINE] = "MACHINE", [MIG_SEC_MEMORY] = "MEMORY",
		[MIG_SEC_ZERO] = "ZERO", [MIG_SEC_SKEYS] = "SKEYS",
		[MIG_SEC_TOD] = "TOD", [MIG_SEC_FLIC] = "FLIC",
		[MIG_SEC_VCPU] = "VCPU", [MIG_SEC_DEVICES] = "DEVICES",
	};

	if (type == MIG_SEC_END)
		return "END";
	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "?";
}

static bool section_known(uint32_t type)
{
	return mig_section_name(type)[0] != '?';
}

uint64_t mig_section_max_len(uint32_t type)
{
	switch (type) {
	case MIG_SEC_MEMORY:
		return MIG_MEMORY_MAX_LEN;
	case MIG_SEC_FLIC:
		return MIG_FLIC_MAX_LEN;
	case MIG_SEC_SKEYS:
		return MIG_SKEYS_MAX_LEN;
	case MIG_SEC_END:
		return 0;
	}
	return section_known(type) ? MIG_SECTION_MAX_LEN : 0;
}

/* The limit once the header has given the memory size (0: not known yet). */
static uint64_t section_limit(uint32_t type, uint64_t mem_size)
{
	if (type == MIG_SEC_SKEYS && mem_size)
		return 4 + mem_size / MIG_PAGE_SIZE;
	return mig_section_max_len(type);
}

/* Every header field but magic, version and CRC. */
static int header_check(const struct mig_header *h, char *err, size_t errlen)
{
	if (h->page_size != MIG_PAGE_SIZE)
		return fail(-EPROTO, err, errlen, "stream page size %u, expected %u",
			    h->page_size, MIG_PAGE_SIZE);
	if (h->ncpus < 1 || h->ncpus > MIG_MAX_CPUS)
		return fail(-EPROTO, err, errlen, "stream vCPU count %u is not in 1..%u",
			    h->ncpus, MIG_MAX_CPUS);
	if (!h->mem_size || h->mem_size % MIG_MEM_ALIGN || h->mem_size > MIG_MEM_MAX)
		return fail(-EPROTO, err, errlen,
			    "stream memory size %llu is not a multiple of 1 MiB in 1 MiB..1 TiB",
			    (unsigned long long)h->mem_size);
	if (h->flags & ~MIG_FLAG_SNAPSHOT)
		return fail(-EPROTO, err, errlen, "stream header flags 0x%x: unknown bits",
			    h->flags);
	if (h->fac_len % 8 || h->fac_len > MIG_FAC_MAX)
		return fail(-EPROTO, err, errlen,
			    "stream facility list length %u is not a multiple of 8 up to %u",
			    h->fac_len, MIG_FAC_MAX);
	return 0;
}

void mig_writer_init(struct mig_writer *w, int fd, uint64_t deadline_ns)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->deadline_ns = deadline_ns;
}

static int writer_flush(struct mig_writer *w, struct iovec *iov, int n)
{
	int r = mig_writev_all(w->fd, iov, n, w->deadline_ns);

	if (r)
		w->error = r;
	return r;
}

int mig_write_header(struct mig_writer *w, const struct mig_header *h)
{
	uint8_t buf[MIG_HEADER_MAX];
	size_t len;
	int r;

	if (w->error)
		return w->error;
	if ((h->version && h->version != MIG_VERSION) || header_check(h, NULL, 0))
		return -EINVAL;
	len = MIG_HEADER_FIXED + h->fac_len;
	memcpy(buf, MIG_MAGIC, MIG_MAGIC_LEN);
	put_be32(buf + 8, MIG_VERSION);
	put_be32(buf + 12, (uint32_t)len + 4);
	put_be32(buf + 16, h->page_size);
	put_be32(buf + 20, h->ncpus);
	put_be64(buf + 24, h->mem_size);
	put_be64(buf + 32, h->cpuid);
	put_be32(buf + 40, h->flags);
	put_be32(buf + 44, h->fac_len);
	memcpy(buf + MIG_HEADER_FIXED, h->fac, h->fac_len);
	put_be32(buf + len, crc32c(0, buf, len));
	r = mig_write_all(w->fd, buf, len + 4, w->deadline_ns);
	if (r)
		return w->error = r;
	w->bytes += len + 4;
	w->mem_size = h->mem_size;
	return 0;
}

int mig_write_section(struct mig_writer *w, uint32_t type, uint32_t instance,
		      const struct iovec *payload, int n)
{
	struct iovec iov[IOV_BATCH];
	uint8_t hdr[MIG_SECTION_HDR], trailer[4];
	uint64_t len = 0;
	uint32_t crc;
	int k = 0;

	if (w->error)
		return w->error;
	if (n < 0 || (n && !payload) || (!section_known(type) && type != MIG_SEC_END) ||
	    (instance && type != MIG_SEC_VCPU))
		return -EINVAL;
	for (int i = 0; i < n; i++)
		len += payload[i].iov_len;
	if (len > section_limit(type, w->mem_size))
		return -EMSGSIZE;
	put_be32(hdr, type);
	put_be32(hdr + 4, instance);
	put_be64(hdr + 8, len);
	crc = crc32c(0, hdr, sizeof(hdr));
	for (int i = 0; i < n; i++)
		crc = crc32c(crc, payload[i].iov_base, payload[i].iov_len);
	put_be32(trailer, crc);

	iov[k++] = (struct iovec){ hdr, sizeof(hdr) };
	for (int i = 0; i < n; i++) {
		if (k == IOV_BATCH) {
			if (writer_flush(w, iov, k))
				return w->error;
			k = 0;
		}
		iov[k++] = payload[i];
	}
	if (k == IOV_BATCH) {
		if (writer_flush(w, iov, k))
			return w->error;
		k = 0;
	}
	iov[k++] = (struct iovec){ trailer, sizeof(trailer) };
	if (writer_flush(w, iov, k))
		return w->error;
	w->bytes += sizeof(hdr) + len + sizeof(trailer);
	return 0;
}

int mig_write_end(struct mig_writer *w)
{
	return mig_write_section(w, MIG_SEC_END, 0, NULL, 0);
}

void mig_reader_init(struct mig_reader *r, int fd, uint64_t deadline_ns)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->deadline_ns = deadline_ns;
}

/* Read n bytes of framing (not payload); a transport error gets a message. */
static int reader_get(struct mig_reader *r, void *buf, size_t n, const char *where,
		      char *err, size_t errlen)
{
	int rc = mig_read_all(r->fd, buf, n, r->deadline_ns);

	if (rc == -ENODATA)
		return fail(rc, err, errlen, "the stream ends in %s", where);
	if (rc)
		return fail(rc, err, errlen, "reading %s: %s", where, strerror(-rc));
	r->bytes += n;
	return 0;
}

int mig_read_header(struct mig_reader *r, struct mig_header *h, char *err, size_t errlen)
{
	uint8_t buf[MIG_HEADER_MAX];
	uint32_t hdr_len;
	size_t len;
	int rc;

	memset(h, 0, sizeof(*h));
	rc = reader_get(r, buf, MIG_MAGIC_LEN, "the header", err, errlen);
	if (rc)
		return rc;
	if (memcmp(buf, MIG_MAGIC, MIG_MAGIC_LEN))
		return fail(-EPROTO, err, errlen, "not a zvmm migration stream (bad magic)");
	rc = reader_get(r, buf + 8, 4, "the header", err, errlen);
	if (rc)
		return rc;
	h->version = get_be32(buf + 8);
	if (h->version != MIG_VERSION)
		return fail(-EPROTONOSUPPORT, err, errlen,
			    "stream version %u; this zvmm reads version %u only",
			    h->version, MIG_VERSION);
	rc = reader_get(r, buf + 12, MIG_HEADER_FIXED - 12, "the header", err, errlen);
	if (rc)
		return rc;
	hdr_len = get_be32(buf + 12);
	h->fac_len = get_be32(buf + 44);
	if (h->fac_len % 8 || h->fac_len > MIG_FAC_MAX)
		return fail(-EPROTO, err, errlen,
			    "stream facility list length %u is not a multiple of 8 up to %u",
			    h->fac_len, MIG_FAC_MAX);
	len = MIG_HEADER_FIXED + h->fac_len;
	if (hdr_len != len + 4)
		return fail(-EPROTO, err, errlen, "stream header length %u, expected %zu",
			    hdr_len, len + 4);
	rc = reader_get(r, buf + MIG_HEADER_FIXED, h->fac_len + 4, "the header", err, errlen);
	if (rc)
		return rc;
	if (get_be32(buf + len) != crc32c(0, buf, len))
		return fail(-EPROTO, err, errlen, "stream header CRC mismatch");
	h->page_size = get_be32(buf + 16);
	h->ncpus = get_be32(buf + 20);
	h->mem_size = get_be64(buf + 24);
	h->cpuid = get_be64(buf + 32);
	h->flags = get_be32(buf + 40);
	memcpy(h->fac, buf + MIG_HEADER_FIXED, h->fac_len);
	rc = header_check(h, err, errlen);
	if (!rc)
		r->mem_size = h->mem_size;
	return rc;
}

int mig_read_section(struct mig_reader *r, uint32_t *type, uint32_t *instance,
		     uint64_t *len, char *err, size_t errlen)
{
	uint8_t hdr[MIG_SECTION_HDR];
	uint32_t t, inst;
	uint64_t l;
	int rc;

	if (r->in_section || r->done)
		return fail(-EINVAL, err, errlen, "stream reader: %s",
			    r->done ? "read past END" : "previous section not finished");
	rc = mig_read_all(r->fd, hdr, sizeof(hdr), r->deadline_ns);
	if (rc == -ENODATA)
		return fail(rc, err, errlen, "the stream ends before its END section");
	if (rc)
		return fail(rc, err, errlen, "reading a section header: %s", strerror(-rc));
	r->bytes += sizeof(hdr);
	t = get_be32(hdr);
	inst = get_be32(hdr + 4);
	l = get_be64(hdr + 8);
	if (t != MIG_SEC_END && !section_known(t))
		return fail(-EPROTO, err, errlen, "unknown section type 0x%x", t);
	if (l > section_limit(t, r->mem_size))
		return fail(-EPROTO, err, errlen, "%s section of %llu bytes is over the limit of %llu",
			    mig_section_name(t), (unsigned long long)l,
			    (unsigned long long)section_limit(t, r->mem_size));
	if (inst && t != MIG_SEC_VCPU)
		return fail(-EPROTO, err, errlen, "%s section with instance %u (must be 0)",
			    mig_section_name(t), inst);
	r->type = *type = t;
	r->instance = *instance = inst;
	r->len = r->left = *len = l;
	r->crc = crc32c(0, hdr, sizeof(hdr));
	r->in_section = true;
	return 0;
}

int mig_read_payload(struct mig_reader *r, void *dst, size_t n)
{
	int rc;

	if (!r->in_section || n > r->left)
		return -EINVAL;
	rc = mig_read_all(r->fd, dst, n, r->deadline_ns);
	if (rc)
		return rc;
	r->crc = crc32c(r->crc, dst, n);
	r->left -= n;
	r->bytes += n;
	return 0;
}

int mig_read_skip(struct mig_reader *r, uint64_t n)
{
	uint8_t buf[4096];
	int rc;

	if (!r->in_section || n > r->left)
		return -EINVAL;
	while (n) {
		size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		rc = mig_read_payload(r, buf, k);
		if (rc)
			return rc;
		n -= k;
	}
	return 0;
}

int mig_read_section_end(struct mig_reader *r, char *err, size_t errlen)
{
	const char *name = mig_section_name(r->type);
	uint8_t crc[4];
	int rc;

	if (!r->in_section)
		return fail(-EINVAL, err, errlen, "stream reader: no section to finish");
	if (r->left)
		return fail(-EPROTO, err, errlen, "%s section: %llu payload bytes not read",
			    name, (unsigned long long)r->left);
	rc = reader_get(r, crc, sizeof(crc), "a section CRC", err, errlen);
	if (rc)
		return rc;
	if (get_be32(crc) != r->crc)
		return fail(-EBADMSG, err, errlen, "%s section (instance %u): CRC mismatch",
			    name, r->instance);
	r->in_section = false;
	r->done = r->type == MIG_SEC_END;
	return 0;
}

/* Handshake messages. */

const char *mig_msg_name(enum mig_msg kind)
{
	switch (kind) {
	case MIG_MSG_READY:
		return "READY";
	case MIG_MSG_GO:
		return "GO";
	case MIG_MSG_RUNNING:
		return "RUNNING";
	case MIG_MSG_REFUSED:
		return "REFUSED";
	}
	return "?";
}

int mig_send_msg(int fd, enum mig_msg kind, const char *text, uint64_t deadline_ns)
{
	uint8_t buf[12 + MIG_MSG_TEXT_MAX];
	size_t t = text ? strlen(text) : 0;

	if (kind < MIG_MSG_READY || kind > MIG_MSG_REFUSED)
		return -EINVAL;
	if (t > MIG_MSG_TEXT_MAX) {
		t = MIG_MSG_TEXT_MAX;
		while (t && ((uint8_t)text[t] & 0xc0) == 0x80)
			t--;	/* do not cut a UTF-8 sequence */
	}
	put_be32(buf, MIG_MSG_MAGIC);
	put_be32(buf + 4, kind);
	put_be32(buf + 8, (uint32_t)t);
	if (t)
		memcpy(buf + 12, text, t);
	return mig_write_all(fd, buf, 12 + t, deadline_ns);
}

int mig_recv_msg(int fd, enum mig_msg *kind, char *text, size_t textlen,
		 uint64_t deadline_ns)
{
	uint8_t buf[12 + MIG_MSG_TEXT_MAX];
	uint32_t k, t;
	int rc;

	rc = mig_read_all(fd, buf, 12, deadline_ns);
	if (rc)
		return rc;
	k = get_be32(buf + 4);
	t = get_be32(buf + 8);
	if (get_be32(buf) != MIG_MSG_MAGIC || k < MIG_MSG_READY || k > MIG_MSG_REFUSED ||
	    t > MIG_MSG_TEXT_MAX)
		return -EPROTO;
	rc = mig_read_all(fd, buf + 12, t, deadline_ns);
	if (rc)
		return rc;
	*kind = (enum mig_msg)k;
	if (text && textlen) {
		size_t n = t < textlen - 1 ? t : textlen - 1;

		for (size_t i = 0; i < n; i++) {
			uint8_t c = buf[12 + i];

			text[i] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
		}
		text[n] = 0;
	}
	return 0;
}

/*
 * irq records: u64 type, then each field the type uses big-endian at its
 * offset in the UAPI union (which puts it 8 bytes into the record), zero
 * elsewhere. The offsets come from the ABI header, so they are the same
 * whether it is the kernel's or the vendored copy.
 */
struct irq_field {
	uint8_t off, size;	/* size 16: bytes copied as they are */
};

#define FIELD(s, m) { offsetof(struct s, m), sizeof(((struct s *)0)->m) }
#define FIELDS(a) { a, sizeof(a) / sizeof(a[0]) }

static const struct irq_field ext_fields[] = {
	FIELD(kvm_s390_ext_info, ext_params), FIELD(kvm_s390_ext_info, ext_params2),
};
static const struct irq_field pgm_fields[] = {
	FIELD(kvm_s390_pgm_info, trans_exc_code), FIELD(kvm_s390_pgm_info, mon_code),
	FIELD(kvm_s390_pgm_info, per_address), FIELD(kvm_s390_pgm_info, data_exc_code),
	FIELD(kvm_s390_pgm_info, code), FIELD(kvm_s390_pgm_info, mon_class_nr),
	FIELD(kvm_s390_pgm_info, per_code), FIELD(kvm_s390_pgm_info, per_atmid),
	FIELD(kvm_s390_pgm_info, exc_access_id), FIELD(kvm_s390_pgm_info, per_access_id),
	FIELD(kvm_s390_pgm_info, op_access_id), FIELD(kvm_s390_pgm_info, flags),
};
static const struct irq_field emerg_fields[] = { FIELD(kvm_s390_emerg_info, code) };
static const struct irq_field extcall_fields[] = { FIELD(kvm_s390_extcall_info, code) };
static const struct irq_field prefix_fields[] = { FIELD(kvm_s390_prefix_info, address) };
static const struct irq_field stop_fields[] = { FIELD(kvm_s390_stop_info, flags) };
static const struct irq_field mchk_fields[] = {
	FIELD(kvm_s390_mchk_info, cr14), FIELD(kvm_s390_mchk_info, mcic),
	FIELD(kvm_s390_mchk_info, failing_storage_address),
	FIELD(kvm_s390_mchk_info, ext_damage_code), FIELD(kvm_s390_mchk_info, fixed_logout),
};
static const struct irq_field io_fields[] = {
	FIELD(kvm_s390_io_info, subchannel_id), FIELD(kvm_s390_io_info, subchannel_nr),
	FIELD(kvm_s390_io_info, io_int_parm), FIELD(kvm_s390_io_info, io_int_word),
};

struct irq_layout {
	const struct irq_field *f;
	size_t n;
};

/* The fields of an irq type; -EINVAL for a type KVM does not have. */
static int irq_layout(uint64_t type, struct irq_layout *l)
{
	static const struct irq_layout ext = FIELDS(ext_fields), pgm = FIELDS(pgm_fields),
		emerg = FIELDS(emerg_fields), extcall = FIELDS(extcall_fields),
		prefix = FIELDS(prefix_fields), stop = FIELDS(stop_fields),
		mchk = FIELDS(mchk_fields), io = FIELDS(io_fields), none = { NULL, 0 };

	if (type < 0x80000000u) {	/* KVM_S390_INT_IO(ai, cssid, ssid, schid) */
		*l = io;
		return 0;
	}
	switch (type) {
	case KVM_S390_INT_SERVICE:
	case KVM_S390_INT_VIRTIO:
	case KVM_S390_INT_PFAULT_INIT:
	case KVM_S390_INT_PFAULT_DONE:
		*l = ext;
		return 0;
	case KVM_S390_PROGRAM_INT:
		*l = pgm;
		return 0;
	case KVM_S390_INT_EMERGENCY:
		*l = emerg;
		return 0;
	case KVM_S390_INT_EXTERNAL_CALL:
		*l = extcall;
		return 0;
	case KVM_S390_SIGP_SET_PREFIX:
		*l = prefix;
		return 0;
	case KVM_S390_SIGP_STOP:
		*l = stop;
		return 0;
	case KVM_S390_MCHK:
		*l = mchk;
		return 0;
	case KVM_S390_INT_CLOCK_COMP:
	case KVM_S390_INT_CPU_TIMER:
	case KVM_S390_RESTART:
		*l = none;
		return 0;
	}
	return -EINVAL;
}

int mig_irq_encode(const struct kvm_s390_irq *irq, uint8_t out[MIG_IRQ_SIZE])
{
	const uint8_t *u = (const uint8_t *)&irq->u;
	struct irq_layout l;
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	memset(out, 0, MIG_IRQ_SIZE);
	if (irq_layout(irq->type, &l))
		return -EINVAL;
	put_be64(out, irq->type);
	for (size_t i = 0; i < l.n; i++) {
		const uint8_t *src = u + l.f[i].off;
		uint8_t *dst = out + 8 + l.f[i].off;

		switch (l.f[i].size) {
		case 8:
			memcpy(&v8, src, 8);
			put_be64(dst, v8);
			break;
		case 4:
			memcpy(&v4, src, 4);
			put_be32(dst, v4);
			break;
		case 2:
			memcpy(&v2, src, 2);
			put_be16(dst, v2);
			break;
		default:
			memcpy(dst, src, l.f[i].size);
			break;
		}
	}
	return 0;
}

int mig_irq_decode(const uint8_t in[MIG_IRQ_SIZE], struct kvm_s390_irq *irq)
{
	uint8_t *u = (uint8_t *)&irq->u, check[MIG_IRQ_SIZE];
	struct irq_layout l;
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	memset(irq, 0, sizeof(*irq));
	irq->type = get_be64(in);
	if (irq_layout(irq->type, &l)) {
		irq->type = 0;
		return -EINVAL;
	}
	for (size_t i = 0; i < l.n; i++) {
		const uint8_t *src = in + 8 + l.f[i].off;
		uint8_t *dst = u + l.f[i].off;

		switch (l.f[i].size) {
		case 8:
			v8 = get_be64(src);
			memcpy(dst, &v8, 8);
			break;
		case 4:
			v4 = get_be32(src);
			memcpy(dst, &v4, 4);
			break;
		case 2:
			v2 = get_be16(src);
			memcpy(dst, &v2, 2);
			break;
		default:
			memcpy(dst, src, l.f[i].size);
			break;
		}
	}
	/* Bytes the type does not use must be zero: encode again and compare. */
	mig_irq_encode(irq, check);
	if (memcmp(check, in, MIG_IRQ_SIZE)) {
		memset(irq, 0, sizeof(*irq));
		return -EINVAL;
	}
	return 0;
}

/* The big-endian cursor. */

void mig_buf_init(struct mig_buf *b, void *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->off = 0;
	b->overflow = false;
}

void mig_buf_init_ro(struct mig_buf *b, const void *p, size_t len)
{
	mig_buf_init(b, (void *)p, len);
}

/* Room for n more bytes? If not, the cursor is spent for good. */
static uint8_t *buf_take(struct mig_buf *b, size_t n)
{
	uint8_t *p;

	if (b->overflow || n > b->len - b->off) {
		b->overflow = true;
		return NULL;
	}
	p = b->p + b->off;
	b->off += n;
	return p;
}

void mig_put_u8(struct mig_buf *b, uint8_t v)
{
	uint8_t *p = buf_take(b, 1);

	if (p)
		*p = v;
}

void mig_put_u16(struct mig_buf *b, uint16_t v)
{
	uint8_t *p = buf_take(b, 2);

	if (p)
		put_be16(p, v);
}

void mig_put_u32(struct mig_buf *b, uint32_t v)
{
	uint8_t *p = buf_take(b, 4);

	if (p)
		put_be32(p, v);
}

void mig_put_u64(struct mig_buf *b, uint64_t v)
{
	uint8_t *p = buf_take(b, 8);

	if (p)
		put_be64(p, v);
}

void mig_put_bytes(struct mig_buf *b, const void *src, size_t n)
{
	uint8_t *p = buf_take(b, n);

	if (p && n)
		memcpy(p, src, n);
}

uint8_t mig_get_u8(struct mig_buf *b)
{
	const uint8_t *p = buf_take(b, 1);

	return p ? *p : 0;
}

uint16_t mig_get_u16(struct mig_buf *b)
{
	const uint8_t *p = buf_take(b, 2);

	return p ? get_be16(p) : 0;
}

uint32_t mig_get_u32(struct mig_buf *b)
{
	const uint8_t *p = buf_take(b, 4);

	return p ? get_be32(p) : 0;
}

uint64_t mig_get_u64(struct mig_buf *b)
{
	const uint8_t *p = buf_take(b, 8);

	return p ? get_be64(p) : 0;
}

void mig_get_bytes(struct mig_buf *b, void *dst, size_t n)
{
	const uint8_t *p = buf_take(b, n);

	if (p && n)
		memcpy(dst, p, n);
	else if (n)
		memset(dst, 0, n);
}

const uint8_t *mig_get_ptr(struct mig_buf *b, size_t n)
{
	return buf_take(b, n);
}
