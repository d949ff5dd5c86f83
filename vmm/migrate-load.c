// SPDX-License-Identifier: MIT
/*
 * The peer side of a migration, `zvmm run --incoming URI`: take one
 * stream, check all of it, build the VM from it in the order of spec 5.7
 * and run it. Nothing runs until the whole stream has been read and
 * checked; a bad or broken stream ends zvmm with a non-zero status and a
 * REFUSED message to the source, which then keeps its VM running.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel.h"
#include "bswap.h"
#include "control.h"
#include "hv.h"
#include "log.h"
#include "mig-stream.h"
#include "mig-transport.h"
#include "migrate.h"
#include "seccomp-filter.h"
#include "status.h"
#include "vm.h"

#define PAGE		MIG_PAGE_SIZE
#define IO_TIMEOUT_MS	10000
#define GO_TIMEOUT_MS	10000

struct mig_in {
	struct zvmm_config *cfg;
	struct mig_uri uri;
	int lfd, fd;
	struct mig_reader r;
	struct mig_header h;
	struct guest_mem gm;
	struct mig_machine m;
	struct mig_vcpu *cpus;
	uint8_t *buf;			/* one non-memory payload */
	uint64_t buf_len;
	unsigned seen[MIG_SEC_DEVICES + 1];
	unsigned ncpus_seen;
	bool *cpu_seen;
	bool vm_created;
	char err[320];
};

static int refuse(struct mig_in *in, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Note why (the first reason wins) and tell the source, if it listens. */
static int refuse(struct mig_in *in, int r, const char *fmt, ...)
{
	va_list ap;

	if (!in->err[0]) {
		va_start(ap, fmt);
		vsnprintf(in->err, sizeof(in->err), fmt, ap);
		va_end(ap);
	}
	return r ? r : -EPROTO;
}

static uint64_t deadline(void)
{
	return vm_now_ns() + IO_TIMEOUT_MS * 1000000ULL;
}

static int check_cpu_model(struct mig_in *in, struct vm *vm)
{
	struct kvm_s390_vm_cpu_processor proc;
	struct kvm_device_attr a = {
		.group = KVM_S390_VM_CPU_MODEL,
		.attr = KVM_S390_VM_CPU_PROCESSOR,
		.addr = (uint64_t)(uintptr_t)&proc,
	};

	if (!in->h.fac_len)
		return 0;
	memset(&proc, 0, sizeof(proc));
	if (hv_ioctl(vm->vm_fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a) < 0)
		return refuse(in, -ENOTSUP, "this host cannot tell its CPU model, the stream needs one");
	for (unsigned i = 0; i < in->h.fac_len / 8; i++) {
		uint64_t want = get_be64(in->h.fac + 8 * i);

		if (want & ~proc.fac_list[i])
			return refuse(in, -ENOTSUP,
				      "the source's CPU has facilities this host lacks (doubleword %u: %016llx)",
				      i, (unsigned long long)(want & ~proc.fac_list[i]));
	}
	return 0;
}

/* Receiving into untouched pages is several times slower: fault the
 * memory in before the data comes. */
static int alloc_memory(struct guest_mem *gm, uint64_t size)
{
	int r = guest_mem_alloc(gm, size);

	if (!r) {
		guest_mem_want_huge(gm);
		guest_mem_prefault(gm);
	}
	return r;
}

static int read_run_header(struct mig_in *in, uint64_t len, bool zero,
			   uint64_t *gpa, uint64_t *n)
{
	uint8_t hdr[16];
	int r = mig_read_payload(&in->r, hdr, sizeof(hdr));

	if (r)
		return refuse(in, r, "reading a memory run: %s", strerror(-r));
	*gpa = get_be64(hdr);
	*n = get_be32(hdr + 8);
	if (*gpa % PAGE || !*n || *n > MIG_MEMORY_MAX_PAGES ||
	    get_be32(hdr + 12) || *gpa > in->gm.size ||
	    *n * PAGE > in->gm.size - *gpa)
		return refuse(in, -EPROTO, "a memory run at 0x%llx of %llu pages is outside guest memory",
			      (unsigned long long)*gpa, (unsigned long long)*n);
	if (len != 16 + (zero ? 0 : *n * PAGE))
		return refuse(in, -EPROTO, "a memory run's length does not match its page count");
	return 0;
}

static int read_memory(struct mig_in *in, uint64_t len, bool zero)
{
	uint64_t gpa = 0, n = 0;
	int r;

	if ((r = read_run_header(in, len, zero, &gpa, &n)))
		return r;
	if (zero) {
		memset(in->gm.base + gpa, 0, n * PAGE);
		return 0;
	}
	r = mig_read_payload(&in->r, in->gm.base + gpa, n * PAGE);
	return r ? refuse(in, r, "reading guest memory: %s", strerror(-r)) : 0;
}

static int decode_skeys(struct mig_in *in, const uint8_t *p, uint64_t len)
{
	uint64_t npages = in->gm.size / PAGE;
	uint32_t flags;

	if (len < 4)
		return refuse(in, -EPROTO, "the SKEYS section is too short");
	flags = get_be32(p);
	if (flags > 1 || len != 4 + (flags ? npages : 0))
		return refuse(in, -EPROTO, "the SKEYS section does not match the memory size");
	in->m.skeys_used = flags;
	if (!flags)
		return 0;
	in->m.skeys = malloc(npages);
	if (!in->m.skeys)
		return refuse(in, -ENOMEM, "out of memory");
	memcpy(in->m.skeys, p + 4, npages);
	for (uint64_t i = 0; i < npages; i++)
		if (in->m.skeys[i] & 1)
			return refuse(in, -EPROTO, "storage key of page %llu has bit 0x01 set",
				      (unsigned long long)i);
	return 0;
}

static int decode_flic(struct mig_in *in, const uint8_t *p, uint64_t len)
{
	uint32_t n;

	if (len < 8)
		return refuse(in, -EPROTO, "the FLIC section is too short");
	n = get_be32(p);
	if (n > MIG_FLIC_MAX_IRQS || get_be32(p + 4))
		return refuse(in, -EPROTO, "the FLIC section claims %u interrupts", n);
	in->m.flic = calloc(n ? n : 1, sizeof(*in->m.flic));
	if (!in->m.flic)
		return refuse(in, -ENOMEM, "out of memory");
	in->m.nflic = n;
	if (mig_irqs_decode(p + 8, len - 8, n, in->m.flic, in->err, sizeof(in->err)))
		return -EPROTO;
	for (uint32_t i = 0; i < n; i++)
		if (in->m.flic[i].type != KVM_S390_INT_SERVICE &&
		    in->m.flic[i].type != KVM_S390_INT_VIRTIO &&
		    in->m.flic[i].type != KVM_S390_MCHK &&
		    (in->m.flic[i].type & 0xffff0000ULL) != 0)
			return refuse(in, -EPROTO, "the FLIC section holds a local interrupt");
	return 0;
}

static int decode_vcpu(struct mig_in *in, uint32_t id, const uint8_t *p,
		       uint64_t len)
{
	const char *why;

	if (id >= in->h.ncpus || in->cpu_seen[id])
		return refuse(in, -EPROTO, "a vCPU section for cpu%u is unexpected", id);
	if (mig_vcpu_decode(p, len, &in->cpus[id], in->err, sizeof(in->err)))
		return -EPROTO;
	why = mig_vcpu_check(&in->cpus[id], in->h.ncpus, in->gm.size);
	if (why)
		return refuse(in, -EPROTO, "cpu%u: %s", id, why);
	in->cpu_seen[id] = true;
	in->ncpus_seen++;
	return 0;
}

static int decode_section(struct mig_in *in, uint32_t type, uint32_t inst,
			  const uint8_t *p, uint64_t len)
{
	if (type != MIG_SEC_VCPU && in->seen[type]++)
		return refuse(in, -EPROTO, "a second %s section", mig_section_name(type));
	switch (type) {
	case MIG_SEC_MACHINE:
		return mig_machine_decode(p, len, &in->m, in->err, sizeof(in->err));
	case MIG_SEC_SKEYS:
		return decode_skeys(in, p, len);
	case MIG_SEC_TOD:
		if (len != 16 || memcmp(p + 1, "\0\0\0\0\0\0\0", 7))
			return refuse(in, -EPROTO, "the TOD section is malformed");
		in->m.tod_epoch_idx = p[0];
		in->m.tod = get_be64(p + 8);
		return 0;
	case MIG_SEC_FLIC:
		return decode_flic(in, p, len);
	case MIG_SEC_VCPU:
		return decode_vcpu(in, inst, p, len);
	case MIG_SEC_DEVICES:
		return mig_devices_decode(p, len, &in->m, in->err, sizeof(in->err));
	default:
		return refuse(in, -EPROTO, "a section of unknown type %u", type);
	}
}

/* SKEYS and FLIC may be bigger than other sections (mig-stream.h). */
static int grow_buf(struct mig_in *in, uint64_t len)
{
	uint8_t *b = realloc(in->buf, len);

	if (!b)
		return refuse(in, -ENOMEM, "out of memory for a %llu-byte section",
			      (unsigned long long)len);
	in->buf = b;
	in->buf_len = len;
	return 0;
}

/* Sections until END; memory goes straight into guest memory. */
static int read_sections(struct mig_in *in)
{
	for (;;) {
		uint32_t type, inst;
		uint64_t len;
		int r;

		in->r.deadline_ns = deadline();
		r = mig_read_section(&in->r, &type, &inst, &len, in->err,
				     sizeof(in->err));
		if (r)
			return refuse(in, r, "the stream ends without an END section");
		if (type == MIG_SEC_END)
			return mig_read_section_end(&in->r, in->err, sizeof(in->err));
		if (type == MIG_SEC_MEMORY || type == MIG_SEC_ZERO) {
			r = read_memory(in, len, type == MIG_SEC_ZERO);
		} else {
			if (len > in->buf_len && (r = grow_buf(in, len)))
				return r;
			r = mig_read_payload(&in->r, in->buf, len);
			if (r)
				refuse(in, r, "reading the %s section: %s",
				       mig_section_name(type), strerror(-r));
		}
		if (!r)
			r = mig_read_section_end(&in->r, in->err, sizeof(in->err));
		if (!r && type != MIG_SEC_MEMORY && type != MIG_SEC_ZERO)
			r = decode_section(in, type, inst, in->buf, len);
		if (r)
			return r;
	}
}

static int check_complete(struct mig_in *in)
{
	static const uint32_t needed[] = {
		MIG_SEC_MACHINE, MIG_SEC_SKEYS, MIG_SEC_TOD, MIG_SEC_FLIC,
		MIG_SEC_DEVICES,
	};

	for (unsigned i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!in->seen[needed[i]])
			return refuse(in, -EPROTO, "the stream has no %s section",
				      mig_section_name(needed[i]));
	if (in->ncpus_seen != in->h.ncpus)
		return refuse(in, -EPROTO, "the stream has %u of %u vCPU sections",
			      in->ncpus_seen, in->h.ncpus);
	return 0;
}

/*
 * The header: size the machine, build it (so that little is left to do
 * once the stream ends), fault its memory in and, on a socket, tell the
 * source to go on.
 */
static int accept_header(struct mig_in *in, struct vm *vm,
			 enum accel_kind accel, struct elf_image *img)
{
	int r;

	mig_reader_init(&in->r, in->fd, deadline());
	r = mig_read_header(&in->r, &in->h, in->err, sizeof(in->err));
	if (r)
		return r;
	if (in->gm.base && in->gm.size != in->h.mem_size) {
		log_warn("--memory %llu MiB, but the stream brings %llu MiB: faulting that in now",
			 (unsigned long long)(in->gm.size >> 20),
			 (unsigned long long)(in->h.mem_size >> 20));
		guest_mem_free(&in->gm);
	}
	in->cfg->mem_size = in->h.mem_size;
	in->cfg->cpus = in->h.ncpus;
	in->cpus = calloc(in->h.ncpus, sizeof(*in->cpus));
	in->cpu_seen = calloc(in->h.ncpus, sizeof(*in->cpu_seen));
	in->buf = malloc(MIG_SECTION_MAX_LEN);
	in->buf_len = MIG_SECTION_MAX_LEN;
	if (!in->cpus || !in->cpu_seen || !in->buf ||
	    (!in->gm.base && alloc_memory(&in->gm, in->h.mem_size)))
		return refuse(in, -ENOMEM, "cannot allocate %llu MiB of guest memory",
			      (unsigned long long)(in->h.mem_size >> 20));
	in->vm_created = true;
	if ((r = vm_create_machine(vm, in->cfg, accel, &in->gm, img)))
		return refuse(in, r, "cannot create the VM: %s", strerror(-r));
	if ((r = check_cpu_model(in, vm)))
		return r;
	if (in->uri.kind != MIG_FILE &&
	    (r = mig_send_msg(in->fd, MIG_MSG_ACCEPTED, NULL, deadline())))
		return refuse(in, r, "sending ACCEPTED: %s", strerror(-r));
	return 0;
}

/* Memory and sections up to END: everything read and checked. */
static int receive(struct mig_in *in)
{
	int r;

	if ((r = read_sections(in)))
		return r;
	return check_complete(in);
}

/* The identity from the stream becomes the configuration (re-IPL reads
 * the kernel from there). */
static void adopt_identity(struct mig_in *in)
{
	struct zvmm_config *cfg = in->cfg;

	memcpy(cfg->name, in->m.name, sizeof(cfg->name));
	cfg->have_uuid = in->m.has_uuid;
	memcpy(cfg->uuid, in->m.uuid, sizeof(cfg->uuid));
	memcpy(cfg->kernel, in->m.kernel, sizeof(cfg->kernel));
	memcpy(cfg->append, in->m.append, sizeof(cfg->append));
}

/* Spec 5.7, destination steps 1-5 (the TOD waits for GO). */
static int restore(struct mig_in *in, struct vm *vm)
{
	int r;

	adopt_identity(in);
	if ((r = mig_machine_put_clock_keys(vm, &in->m)))
		return refuse(in, r, "cannot restore the storage keys or the TOD");
	for (unsigned i = 0; i < in->h.ncpus; i++)
		if ((r = mig_vcpu_put(vm, i, &in->cpus[i])))
			return refuse(in, r, "cannot restore cpu%u", i);
	if ((r = mig_machine_put_flic_devices(vm, &in->m)))
		return refuse(in, r, "cannot restore the floating interrupts or devices");
	return 0;
}

static int wait_go(struct mig_in *in)
{
	char text[MIG_MSG_TEXT_MAX + 1];
	enum mig_msg kind;
	int r;

	if (in->uri.kind == MIG_FILE)
		return 0;
	r = mig_send_msg(in->fd, MIG_MSG_READY, NULL, deadline());
	if (r)
		return refuse(in, r, "sending READY: %s", strerror(-r));
	r = mig_recv_msg(in->fd, &kind, text, sizeof(text),
			 vm_now_ns() + GO_TIMEOUT_MS * 1000000ULL);
	if (r || kind != MIG_MSG_GO)
		return refuse(in, r ? r : -EPROTO, "the source did not say GO (%s)",
			      r ? strerror(-r) : mig_msg_name(kind));
	return 0;
}

static int open_stream(struct mig_in *in)
{
	char what[160];
	int r;

	if ((r = mig_uri_parse(in->cfg->incoming, &in->uri, in->err,
			       sizeof(in->err))))
		return r;
	in->lfd = mig_listen(&in->uri);
	if (in->lfd < 0)
		return refuse(in, in->lfd, "--incoming %s: %s", in->cfg->incoming,
			      strerror(-in->lfd));
	if (in->uri.kind == MIG_FILE) {
		in->fd = in->lfd;
		in->lfd = -1;
		return 0;
	}
	mig_uri_format(&in->uri, what, sizeof(what));
	log_info("waiting for a migration on %s", what);
	in->fd = mig_accept(in->lfd, -1);
	mig_unlisten(&in->uri, in->lfd);
	in->lfd = -1;
	if (in->fd < 0)
		return refuse(in, in->fd, "accept: %s", strerror(-in->fd));
	return 0;
}

static void free_in(struct mig_in *in)
{
	if (in->cpus)
		for (unsigned i = 0; i < in->h.ncpus; i++)
			mig_vcpu_free(&in->cpus[i]);
	free(in->cpus);
	free(in->cpu_seen);
	free(in->buf);
	mig_machine_free(&in->m);
	if (in->fd >= 0)
		close(in->fd);
}

static int status_for(int r)
{
	return r == -ENOMEM ? ZVMM_EXIT_OSERR :
	       r == -EADDRINUSE || r == -EEXIST ? ZVMM_EXIT_USAGE :
	       ZVMM_EXIT_DATAERR;
}

/* The VM is built: start it and tell the source it runs here. */
static int run_restored(struct mig_in *in, struct vm *vm,
			struct control *ctl, uint64_t t0)
{
	char text[64];
	int r;

	vm->control = ctl;
	if ((r = mig_tod_set(vm, in->m.tod_epoch_idx, in->m.tod)))
		return ZVMM_EXIT_HV_FAILURE;
	if ((r = vm_start(vm)))
		return r;
	snprintf(text, sizeof(text), "restored in %.1f ms",
		 (double)(vm_now_ns() - t0) / 1e6);
	if (in->uri.kind != MIG_FILE)
		mig_send_msg(in->fd, MIG_MSG_RUNNING, text, deadline());
	log_info("the migrated VM runs here (%s)", text);
	close(in->fd);
	in->fd = -1;
	return vm_wait_end(vm);
}

int migrate_in_run(struct zvmm_config *cfg, int seccomp_mode)
{
	static struct vm vm;
	static struct elf_image img;
	static struct control ctl;
	struct mig_in in = { .cfg = cfg, .lfd = -1, .fd = -1 };
	enum accel_kind accel;
	uint64_t t0;
	int r, status;

	if (accel_select(cfg->accel, KVM_DEVICE_PATH, &accel))
		return ZVMM_EXIT_UNAVAILABLE;
	/* With --memory the memory is ready before anyone connects. */
	if (cfg->mem_given && alloc_memory(&in.gm, cfg->mem_size))
		return ZVMM_EXIT_OSERR;
	r = open_stream(&in);
	if (r) {
		log_error("%s", in.err);
		guest_mem_free(&in.gm);
		return r == -EINVAL ? ZVMM_EXIT_USAGE :
		       r == -ENOENT || r == -EACCES || r == -EISDIR ?
				ZVMM_EXIT_NOINPUT :
		       r == -EADDRINUSE || r == -EEXIST ? ZVMM_EXIT_USAGE :
		       ZVMM_EXIT_UNAVAILABLE;
	}
	/* The stream is untrusted input: read it under the filter. */
	if (cfg->control[0] && (r = control_open(&ctl, cfg->control))) {
		free_in(&in);
		guest_mem_free(&in.gm);
		return status_for(r);
	}
	if (seccomp_apply(seccomp_mode)) {
		status = ZVMM_EXIT_UNAVAILABLE;
		goto out;
	}
	t0 = vm_now_ns();
	r = accept_header(&in, &vm, accel, &img);
	if (!r)
		r = receive(&in);
	if (!r)
		r = restore(&in, &vm);
	if (!r)
		r = wait_go(&in);
	if (r) {
		log_error("incoming migration refused: %s", in.err);
		if (in.fd >= 0 && in.uri.kind != MIG_FILE)
			mig_send_msg(in.fd, MIG_MSG_REFUSED, in.err, deadline());
		status = status_for(r);
	} else {
		status = run_restored(&in, &vm, cfg->control[0] ? &ctl : NULL,
				      t0);
	}
out:
	if (cfg->control[0])
		control_close(&ctl);
	free_in(&in);
	if (vm.stuck)
		_exit(status);
	if (in.vm_created)
		vm_destroy(&vm);
	guest_mem_free(&in.gm);
	return status;
}
