// SPDX-License-Identifier: MIT
/*
 * The source side of a migration (docs/migration.md): memory is copied
 * while the guest runs, rounds of dirty pages follow, then the vCPUs are
 * paused and the last dirty pages, the machine and every vCPU go out;
 * the peer answers READY, we say GO, it answers RUNNING and our VM ends.
 * Any failure before GO resumes the VM as it was (spec 5.7 step 4).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bswap.h"
#include "hv.h"
#include "log.h"
#include "mig-stream.h"
#include "mig-transport.h"
#include "migrate.h"
#include "vm.h"

#define PAGE		MIG_PAGE_SIZE
/* Pages per MEMORY section: 1 MiB stays in cache from the CRC to the send. */
#define RUN_PAGES	256
#define IO_TIMEOUT_MS	10000		/* no progress for this long: fail */
#define READY_TIMEOUT_MS 30000
#define ACCEPT_TIMEOUT_MS 60000
#define RUNNING_TIMEOUT_MS 10000
#define PRECOPY_MAX_ROUNDS 8
#define PRECOPY_DONE_PAGES 256		/* few enough to send while paused */
#define PROGRESS_NS	200000000ULL

struct mig_out {
	struct vm *vm;
	struct mig_uri uri;
	enum mig_mode mode;
	int fd;
	struct mig_writer w;
	struct mig_stats *st;
	mig_progress_fn progress;
	void *opaque;
	uint64_t last_progress_ns;
	uint64_t npages;
	uint8_t *dirty;			/* KVM_GET_DIRTY_LOG bitmap */
	uint8_t *bounce;		/* RUN_PAGES pages, while running */
	bool logging, paused, peer_went;
	uint8_t tod_idx;
	uint64_t tod;			/* the guest TOD at the pause */
	struct mig_machine m;
	struct mig_vcpu *cpus;
	char *err;
	size_t errlen;
};

static int fail(struct mig_out *o, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Note why (the first reason wins); returns r, or -EIO for 0. */
static int fail(struct mig_out *o, int r, const char *fmt, ...)
{
	va_list ap;

	if (!o->err[0]) {
		va_start(ap, fmt);
		vsnprintf(o->err, o->errlen, fmt, ap);
		va_end(ap);
	}
	return r ? r : -EIO;
}

static void progress(struct mig_out *o, bool force)
{
	uint64_t now = vm_now_ns();

	o->st->bytes = o->w.bytes;
	if (!o->progress || (!force && now - o->last_progress_ns < PROGRESS_NS))
		return;
	o->last_progress_ns = now;
	o->progress(o->opaque, o->st);
}

/* Word-wise: memcmp against a zero page is slow under musl. */
static bool page_is_zero(const uint8_t *p)
{
	const uint64_t *w = (const uint64_t *)p;

	for (size_t i = 0; i < PAGE / 8; i += 8)
		if (w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] |
		    w[i + 5] | w[i + 6] | w[i + 7])
			return false;
	return true;
}

static int write_section(struct mig_out *o, uint32_t type, uint32_t inst,
			 const void *a, size_t alen, const void *b, size_t blen)
{
	struct iovec iov[2] = {
		{ (void *)a, alen }, { (void *)b, blen },
	};

	o->w.deadline_ns = vm_now_ns() + IO_TIMEOUT_MS * 1000000ULL;
	return mig_write_section(&o->w, type, inst, iov, blen ? 2 : 1);
}

/* A run of pages: MEMORY with their contents, or ZERO. */
static int send_run(struct mig_out *o, uint64_t first, uint64_t n, bool zero)
{
	uint8_t hdr[16];
	int r;

	put_be64(hdr, first * PAGE);
	put_be32(hdr + 8, (uint32_t)n);
	put_be32(hdr + 12, 0);
	if (zero) {
		r = write_section(o, MIG_SEC_ZERO, 0, hdr, sizeof(hdr), NULL, 0);
	} else {
		const uint8_t *src = o->vm->mem->base + first * PAGE;

		/* While the guest runs, a page may change between the CRC
		 * and the send: copy it first (a later change is dirty and
		 * goes again). Paused, send straight from guest memory. */
		if (!o->paused) {
			memcpy(o->bounce, src, n * PAGE);
			src = o->bounce;
		}
		r = write_section(o, MIG_SEC_MEMORY, 0, hdr, sizeof(hdr), src,
				  n * PAGE);
		o->st->pages_sent += n;
		o->st->mem_bytes += n * PAGE;
	}
	if (r)
		return fail(o, r, "sending guest memory: %s", strerror(-r));
	progress(o, false);
	return 0;
}

static bool page_wanted(const struct mig_out *o, uint64_t pfn, bool all)
{
	return all || (o->dirty[pfn / 8] >> (pfn % 8)) & 1;
}

/*
 * Pages [first, last) of a round: in the first round every page that is
 * not zero (the peer's memory starts zeroed), after it only the dirty
 * ones, a dirty page that became zero going out as ZERO.
 */
static int send_range(struct mig_out *o, uint64_t first, uint64_t last,
		      bool all)
{
	uint64_t run = 0, run_len = 0;
	bool run_zero = false;
	int r;

	for (uint64_t pfn = first; pfn <= last; pfn++) {
		bool want = pfn < last && page_wanted(o, pfn, all);
		bool zero = want && page_is_zero(o->vm->mem->base + pfn * PAGE);

		if (want && zero && all)
			want = false;
		if (run_len && (!want || zero != run_zero || run_len == RUN_PAGES)) {
			if ((r = send_run(o, run, run_len, run_zero)))
				return r;
			run_len = 0;
		}
		if (!want)
			continue;
		if (!run_len) {
			run = pfn;
			run_zero = zero;
		}
		run_len++;
	}
	return 0;
}

static int send_round(struct mig_out *o, bool all)
{
	uint64_t sent = o->st->pages_sent;
	int r;

	o->st->rounds++;
	if ((r = send_range(o, 0, o->npages, all)))
		return r;
	if (all)
		o->st->zero_pages += o->npages - (o->st->pages_sent - sent);
	return 0;
}

static int set_logging(struct mig_out *o, bool on)
{
	struct kvm_userspace_memory_region slot = {
		.slot = 0,
		.flags = on ? KVM_MEM_LOG_DIRTY_PAGES : 0,
		.guest_phys_addr = 0,
		.memory_size = o->vm->mem->size,
		.userspace_addr = (uint64_t)(uintptr_t)o->vm->mem->base,
	};

	if (hv_ioctl(o->vm->vm_fd, KVM_SET_USER_MEMORY_REGION,
		     (unsigned long)&slot) < 0)
		return fail(o, -errno, "dirty logging: %s", strerror(errno));
	o->logging = on;
	return 0;
}

/* Harvest the dirty bitmap; returns the number of dirty pages. */
static int64_t fetch_dirty(struct mig_out *o)
{
	struct kvm_dirty_log log = { .slot = 0 };
	int64_t n = 0;

	log.dirty_bitmap = o->dirty;
	if (hv_ioctl(o->vm->vm_fd, KVM_GET_DIRTY_LOG, (unsigned long)&log) < 0)
		return fail(o, -errno, "KVM_GET_DIRTY_LOG: %s", strerror(errno));
	/* The kernel's bitmap is little-endian by bit (set_bit_le). */
	for (uint64_t i = 0; i < (o->npages + 7) / 8; i++)
		n += __builtin_popcount(o->dirty[i]);
	return n;
}

/* Copy memory while the guest runs, until few pages are dirtied in a
 * round or the rounds stop helping. */
static int precopy(struct mig_out *o)
{
	int64_t dirty, last = INT64_MAX;
	int r;

	if ((r = set_logging(o, true)))
		return r;
	if (fetch_dirty(o) < 0 || (r = send_round(o, true)))
		return r ? r : -EIO;
	for (unsigned i = 1; i < PRECOPY_MAX_ROUNDS; i++) {
		dirty = fetch_dirty(o);
		if (dirty < 0)
			return (int)dirty;
		if ((r = send_round(o, false)))
			return r;
		if (dirty <= PRECOPY_DONE_PAGES || dirty >= last)
			break;
		last = dirty;
	}
	return 0;
}

static void fill_header(struct mig_out *o, struct mig_header *h)
{
	struct kvm_s390_vm_cpu_processor proc;
	struct kvm_device_attr a = {
		.group = KVM_S390_VM_CPU_MODEL,
		.attr = KVM_S390_VM_CPU_PROCESSOR,
		.addr = (uint64_t)(uintptr_t)&proc,
	};

	memset(h, 0, sizeof(*h));
	h->version = MIG_VERSION;
	h->page_size = PAGE;
	h->ncpus = o->vm->ncpus;
	h->mem_size = o->vm->mem->size;
	h->flags = o->uri.kind == MIG_FILE ? MIG_FLAG_SNAPSHOT : 0;
	memset(&proc, 0, sizeof(proc));
	if (hv_ioctl(o->vm->vm_fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a) < 0)
		return;		/* no CPU model: the peer checks nothing */
	h->cpuid = proc.cpuid;
	h->fac_len = sizeof(proc.fac_list);
	for (unsigned i = 0; i < 256; i++)
		put_be64(h->fac + 8 * i, proc.fac_list[i]);
	/* Trailing zero doublewords carry nothing. */
	while (h->fac_len && !get_be64(h->fac + h->fac_len - 8))
		h->fac_len -= 8;
}

static int send_buf_section(struct mig_out *o, uint32_t type, uint32_t inst,
			    const uint8_t *buf, ssize_t len)
{
	int r;

	if (len < 0)
		return fail(o, (int)len, "encoding the %s section", mig_section_name(type));
	r = write_section(o, type, inst, buf, (size_t)len, NULL, 0);
	if (r)
		return fail(o, r, "sending the %s section", mig_section_name(type));
	return 0;
}

static int send_machine(struct mig_out *o, uint8_t *buf, size_t size)
{
	struct mig_machine *m = &o->m;
	uint8_t small[16];
	ssize_t n;
	int r;

	if ((r = send_buf_section(o, MIG_SEC_MACHINE, 0, buf,
				  mig_machine_encode(m, buf, size))))
		return r;
	put_be32(small, m->skeys_used);
	r = write_section(o, MIG_SEC_SKEYS, 0, small, 4, m->skeys,
			  m->skeys_used ? o->npages : 0);
	if (r)
		return fail(o, r, "sending the %s section", "SKEYS");
	memset(small, 0, sizeof(small));
	small[0] = m->tod_epoch_idx;
	put_be64(small + 8, m->tod);
	if ((r = send_buf_section(o, MIG_SEC_TOD, 0, small, 16)))
		return r;
	put_be32(buf, m->nflic);
	put_be32(buf + 4, 0);
	n = mig_irqs_encode(m->flic, m->nflic, buf + 8, size - 8);
	if ((r = send_buf_section(o, MIG_SEC_FLIC, 0, buf, n < 0 ? n : n + 8)))
		return r;
	return send_buf_section(o, MIG_SEC_DEVICES, 0, buf,
				mig_devices_encode(m, buf, size));
}

/* Everything but memory, taken while paused. */
static int send_state(struct mig_out *o)
{
	size_t size = MIG_SECTION_MAX_LEN;
	uint8_t *buf = malloc(size);
	int r = -ENOMEM;

	if (!buf)
		return fail(o, r, "%s", "out of memory");
	if ((r = mig_machine_get(o->vm, &o->m))) {
		fail(o, r, "%s", "reading the machine state failed");
		goto out;
	}
	o->tod_idx = o->m.tod_epoch_idx;
	o->tod = o->m.tod;
	o->st->irqs_floating = o->m.nflic;
	if ((r = send_machine(o, buf, size)))
		goto out;
	for (unsigned i = 0; i < o->vm->ncpus; i++) {
		if ((r = mig_vcpu_get(o->vm, i, &o->cpus[i]))) {
			fail(o, r, "%s", "reading a vCPU's state failed");
			goto out;
		}
		o->st->irqs_local += o->cpus[i].nirqs;
		if ((r = send_buf_section(o, MIG_SEC_VCPU, i, buf,
					  mig_vcpu_encode(&o->cpus[i], buf, size))))
			goto out;
	}
	o->w.deadline_ns = vm_now_ns() + IO_TIMEOUT_MS * 1000000ULL;
	if ((r = mig_write_end(&o->w)))
		fail(o, r, "sending the end marker: %s", strerror(-r));
out:
	free(buf);
	return r;
}

/* The peer's answer; a REFUSED text becomes our error. */
static int expect_msg(struct mig_out *o, enum mig_msg want, int timeout_ms)
{
	char text[MIG_MSG_TEXT_MAX + 1];
	enum mig_msg kind;
	int r;

	r = mig_recv_msg(o->fd, &kind, text, sizeof(text),
			 vm_now_ns() + (uint64_t)timeout_ms * 1000000ULL);
	if (r)
		return fail(o, r, "no answer from the peer: %s",
			    r == -ENODATA ? "connection closed" : strerror(-r));
	if (kind == MIG_MSG_REFUSED) {
		snprintf(o->err, o->errlen, "the peer refused: %s", text);
		return -ECONNREFUSED;
	}
	if (kind != want)
		return fail(o, -EPROTO, "the peer sent %s out of turn",
			    mig_msg_name(kind));
	return 0;
}

/* After a failed write: did the peer say why before it closed? */
static void peer_reason(struct mig_out *o)
{
	char text[MIG_MSG_TEXT_MAX + 1];
	enum mig_msg kind;

	if (o->uri.kind == MIG_FILE)
		return;
	if (!mig_recv_msg(o->fd, &kind, text, sizeof(text),
			  vm_now_ns() + 200000000ULL) &&
	    kind == MIG_MSG_REFUSED)
		snprintf(o->err, o->errlen, "the peer refused: %s", text);
}

static int finish_socket(struct mig_out *o)
{
	int r;

	if ((r = expect_msg(o, MIG_MSG_READY, READY_TIMEOUT_MS)))
		return r;
	r = mig_send_msg(o->fd, MIG_MSG_GO, NULL,
			 vm_now_ns() + IO_TIMEOUT_MS * 1000000ULL);
	if (r)
		return fail(o, r, "sending GO: %s", strerror(-r));
	o->peer_went = true;
	return expect_msg(o, MIG_MSG_RUNNING, RUNNING_TIMEOUT_MS);
}

static int finish_file(struct mig_out *o)
{
	if (fsync(o->fd) < 0 && errno != EINVAL)
		return fail(o, -errno, "fsync: %s", strerror(errno));
	return 0;
}

/* Put the source back as it was: the pause is invisible to the guest
 * (its TOD continues from the cut, as QEMU freezes it while stopped). */
static void undo(struct mig_out *o)
{
	struct kvm_device_attr a = { .group = KVM_DEV_FLIC_APF_ENABLE };

	if (o->logging)
		set_logging(o, false);
	if (!o->paused)
		return;
	(void)hv_ioctl(o->vm->flic_fd, KVM_SET_DEVICE_ATTR, (unsigned long)&a);
	if (o->tod || o->tod_idx)
		mig_tod_set(o->vm, o->tod_idx, o->tod);
	if (o->mode != MIG_MODE_SNAPSHOT_PAUSE || o->err[0]) {
		vm_resume(o->vm);
		o->paused = false;
	}
}

static int run_out(struct mig_out *o)
{
	struct mig_header h;
	bool file = o->uri.kind == MIG_FILE;
	int r;

	fill_header(o, &h);
	o->w.deadline_ns = vm_now_ns() + IO_TIMEOUT_MS * 1000000ULL;
	if ((r = mig_write_header(&o->w, &h)))
		return fail(o, r, "sending the header: %s", strerror(-r));
	/* The peer builds its VM and faults its memory in first. */
	if (!file && (r = expect_msg(o, MIG_MSG_ACCEPTED, ACCEPT_TIMEOUT_MS)))
		return r;
	/* A snapshot is a consistent cut: no copying while running. */
	if (!file && (r = precopy(o)))
		return r;
	vm_pause(o->vm);
	o->paused = true;
	o->st->pause_ns = vm_now_ns();
	pthread_mutex_lock(&o->vm->lock);
	r = o->vm->reset_req != VM_RESET_NONE || o->vm->over;
	pthread_mutex_unlock(&o->vm->lock);
	if (r)
		return fail(o, -EAGAIN, "the guest is resetting or ending; try again");
	if (o->logging) {
		if (fetch_dirty(o) < 0 || (r = send_round(o, false)))
			return r ? r : -EIO;
	} else if ((r = send_round(o, true))) {
		return r;
	}
	if ((r = send_state(o)))
		return r;
	progress(o, true);
	return file ? finish_file(o) : finish_socket(o);
}

static void free_out(struct mig_out *o)
{
	if (o->cpus)
		for (unsigned i = 0; i < o->vm->ncpus; i++)
			mig_vcpu_free(&o->cpus[i]);
	free(o->cpus);
	free(o->dirty);
	free(o->bounce);
	mig_machine_free(&o->m);
	if (o->fd >= 0)
		close(o->fd);
}

int migrate_out(struct vm *vm, const char *uri, enum mig_mode mode,
		mig_progress_fn progress_fn, void *opaque,
		struct mig_stats *st, char *err, size_t errlen)
{
	struct mig_out o = {
		.vm = vm, .mode = mode, .fd = -1, .st = st,
		.progress = progress_fn, .opaque = opaque,
		.err = err, .errlen = errlen,
	};
	int r;

	err[0] = 0;
	memset(st, 0, sizeof(*st));
	st->start_ns = vm_now_ns();
	st->mem_size = vm->mem->size;
	o.npages = vm->mem->size / PAGE;
	if ((r = mig_uri_parse(uri, &o.uri, err, errlen)))
		return r;
	if (mode != MIG_MODE_MIGRATE && o.uri.kind != MIG_FILE) {
		snprintf(err, errlen, "a snapshot goes to a file: use file:PATH");
		return -EINVAL;
	}
	o.cpus = calloc(vm->ncpus, sizeof(*o.cpus));
	o.dirty = calloc(1, (o.npages + 63) / 64 * 8);
	o.bounce = malloc(RUN_PAGES * PAGE);
	if (!o.cpus || !o.dirty || !o.bounce) {
		free_out(&o);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	o.fd = mig_connect(&o.uri, IO_TIMEOUT_MS);
	if (o.fd < 0) {
		r = o.fd;
		o.fd = -1;
		snprintf(err, errlen, "cannot reach %s: %s", uri, strerror(-r));
		free_out(&o);
		return r;
	}
	mig_writer_init(&o.w, o.fd, 0);
	r = run_out(&o);
	if (r && !o.peer_went)
		peer_reason(&o);
	st->end_ns = vm_now_ns();
	if (r && o.peer_went)
		log_warn("migration: no RUNNING from the peer after GO; resuming here, but the peer may be running too");
	if (!r && mode == MIG_MODE_MIGRATE) {
		log_info("migrated to %s", uri);
		vm_end(vm, 0);
	} else {
		undo(&o);
	}
	progress(&o, true);
	free_out(&o);
	return r;
}
