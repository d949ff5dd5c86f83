// SPDX-License-Identifier: MIT
/*
 * Migration state: read a paused VM's state through hv_ioctl into plain
 * structs, write it back into a new VM, and turn it into and out of the
 * stream's big-endian payloads (docs/migration.md). No I/O on sockets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bswap.h"
#include "hv.h"
#include "log.h"
#include "mig-stream.h"
#include "migrate.h"
#include "vm.h"

#define PAGE_SIZE	4096ULL

static int ioctl_err(const char *what, unsigned id)
{
	int e = errno;

	log_error("migration: %s (cpu%u): %s", what, id, strerror(e));
	return -e;
}

/* ------------------------------------------------------------------ */
/* vCPUs                                                               */

static const struct {
	uint64_t id;
	size_t off;
	bool u32;
} one_regs[] = {
	{ KVM_REG_S390_TODPR, offsetof(struct mig_vcpu, todpr), true },
	{ KVM_REG_S390_CPU_TIMER, offsetof(struct mig_vcpu, cputm), false },
	{ KVM_REG_S390_CLOCK_COMP, offsetof(struct mig_vcpu, ckc), false },
	{ KVM_REG_S390_PFTOKEN, offsetof(struct mig_vcpu, pft), false },
	{ KVM_REG_S390_PFCOMPARE, offsetof(struct mig_vcpu, pfc), false },
	{ KVM_REG_S390_PFSELECT, offsetof(struct mig_vcpu, pfs), false },
	{ KVM_REG_S390_PP, offsetof(struct mig_vcpu, pp), false },
	{ KVM_REG_S390_GBEA, offsetof(struct mig_vcpu, gbea), false },
};
#define N_ONE_REGS (sizeof(one_regs) / sizeof(one_regs[0]))

static int one_regs_access(int fd, unsigned long req, struct mig_vcpu *s,
			   unsigned id)
{
	for (unsigned i = 0; i < N_ONE_REGS; i++) {
		struct kvm_one_reg r = {
			.id = one_regs[i].id,
			.addr = (uint64_t)(uintptr_t)((char *)s + one_regs[i].off),
		};

		if (hv_ioctl(fd, req, (unsigned long)&r) < 0)
			return ioctl_err(req == KVM_GET_ONE_REG ?
					 "KVM_GET_ONE_REG" : "KVM_SET_ONE_REG", id);
	}
	return 0;
}

/* GET_IRQ_STATE into a buffer of (max vCPUs + 32) entries, doubled on
 * -ENOBUFS (spec 5.4). */
static int irq_state_get(int fd, struct mig_vcpu *s, unsigned id)
{
	size_t n = MIG_IRQ_BUF_ENTRIES;

	for (;;) {
		struct kvm_s390_irq_state st = { 0 };
		long r;

		s->irqs = calloc(n, sizeof(*s->irqs));
		if (!s->irqs)
			return -ENOMEM;
		st.buf = (uint64_t)(uintptr_t)s->irqs;
		st.len = (uint32_t)(n * sizeof(*s->irqs));
		r = hv_ioctl(fd, KVM_S390_GET_IRQ_STATE, (unsigned long)&st);
		if (r >= 0) {
			s->nirqs = (uint32_t)((size_t)r / sizeof(*s->irqs));
			return 0;
		}
		free(s->irqs);
		s->irqs = NULL;
		if (errno != ENOBUFS || n >= 16 * MIG_IRQ_BUF_ENTRIES)
			return ioctl_err("KVM_S390_GET_IRQ_STATE", id);
		n *= 2;
	}
}

int mig_vcpu_get(struct vm *vm, unsigned id, struct mig_vcpu *s)
{
	struct vcpu *cpu = &vm->cpus[id];
	struct kvm_run *run = cpu->run;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_mp_state mp = { 0 };
	long r;

	memset(s, 0, sizeof(*s));
	/* kvm_run holds what the next KVM_RUN will load: the PSW, the
	 * live GPRs and ARs, and a prefix a SIGP SET PREFIX left dirty. */
	s->psw_mask = run->psw_mask;
	s->psw_addr = run->psw_addr;
	memcpy(s->gprs, run->s.regs.gprs, sizeof(s->gprs));
	memcpy(s->acrs, run->s.regs.acrs, sizeof(s->acrs));
	s->prefix = run->s.regs.prefix;
	if (hv_ioctl(cpu->fd, KVM_GET_SREGS, (unsigned long)&sregs) < 0)
		return ioctl_err("KVM_GET_SREGS", id);
	memcpy(s->crs, sregs.crs, sizeof(s->crs));
	if (hv_ioctl(cpu->fd, KVM_GET_FPU, (unsigned long)&fpu) < 0)
		return ioctl_err("KVM_GET_FPU", id);
	memcpy(s->fprs, fpu.fprs, sizeof(s->fprs));
	s->fpc = fpu.fpc;
	if ((r = one_regs_access(cpu->fd, KVM_GET_ONE_REG, s, id)))
		return (int)r;
	/* s390 answers GET_MP_STATE with the state as the result (5.x). */
	r = hv_ioctl(cpu->fd, KVM_GET_MP_STATE, (unsigned long)&mp);
	if (r < 0)
		return ioctl_err("KVM_GET_MP_STATE", id);
	s->mp_state = r > 0 ? (uint32_t)r : mp.mp_state;
	pthread_mutex_lock(&vm->lock);
	s->stopped = cpu->stopped;
	s->disabled_wait = cpu->disabled_wait;
	s->sigp_order = cpu->sigp_order;
	pthread_mutex_unlock(&vm->lock);
	return irq_state_get(cpu->fd, s, id);
}

/*
 * Restore order of spec 5.7 step 4 on a vCPU fresh from INITIAL_RESET:
 * registers, MP state, then the IRQ state (only when there is some:
 * SET_IRQ_STATE refuses length 0).
 */
int mig_vcpu_put(struct vm *vm, unsigned id, const struct mig_vcpu *s)
{
	struct vcpu *cpu = &vm->cpus[id];
	struct kvm_run *run = cpu->run;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu = { .fpc = s->fpc };
	struct kvm_mp_state mp = { .mp_state = s->mp_state };
	struct mig_vcpu tmp = *s;

	memcpy(regs.gprs, s->gprs, sizeof(regs.gprs));
	memcpy(sregs.acrs, s->acrs, sizeof(sregs.acrs));
	memcpy(sregs.crs, s->crs, sizeof(sregs.crs));
	memcpy(fpu.fprs, s->fprs, sizeof(fpu.fprs));
	if (hv_ioctl(cpu->fd, KVM_SET_REGS, (unsigned long)&regs) < 0)
		return ioctl_err("KVM_SET_REGS", id);
	if (hv_ioctl(cpu->fd, KVM_SET_SREGS, (unsigned long)&sregs) < 0)
		return ioctl_err("KVM_SET_SREGS", id);
	if (hv_ioctl(cpu->fd, KVM_SET_FPU, (unsigned long)&fpu) < 0)
		return ioctl_err("KVM_SET_FPU", id);
	if (one_regs_access(cpu->fd, KVM_SET_ONE_REG, &tmp, id))
		return -EIO;
	/* The prefix has no ioctl of its own: sync regs with its dirty
	 * bit, applied at the first KVM_RUN (pitfall 9). */
	run->psw_mask = s->psw_mask;
	run->psw_addr = s->psw_addr;
	memcpy(run->s.regs.gprs, s->gprs, sizeof(s->gprs));
	memcpy(run->s.regs.acrs, s->acrs, sizeof(s->acrs));
	run->s.regs.prefix = s->prefix;
	run->kvm_dirty_regs |= KVM_SYNC_PREFIX;
	if (hv_ioctl(cpu->fd, KVM_SET_MP_STATE, (unsigned long)&mp) < 0)
		return ioctl_err("KVM_SET_MP_STATE", id);
	if (s->nirqs) {
		struct kvm_s390_irq_state st = {
			.buf = (uint64_t)(uintptr_t)s->irqs,
			.len = (uint32_t)(s->nirqs * sizeof(*s->irqs)),
		};

		if (hv_ioctl(cpu->fd, KVM_S390_SET_IRQ_STATE,
			     (unsigned long)&st) < 0)
			return ioctl_err("KVM_S390_SET_IRQ_STATE", id);
	}
	cpu->stopped = s->stopped;
	cpu->disabled_wait = s->disabled_wait;
	cpu->sigp_order = s->sigp_order;
	return 0;
}

void mig_vcpu_free(struct mig_vcpu *s)
{
	free(s->irqs);
	s->irqs = NULL;
	s->nirqs = 0;
}

static bool irq_is_local(uint64_t type)
{
	switch (type) {
	case KVM_S390_SIGP_SET_PREFIX:
	case KVM_S390_RESTART:
	case KVM_S390_SIGP_STOP:
	case KVM_S390_INT_PFAULT_INIT:
	case KVM_S390_INT_CPU_TIMER:
	case KVM_S390_INT_CLOCK_COMP:
	case KVM_S390_INT_EXTERNAL_CALL:
	case KVM_S390_INT_EMERGENCY:
	case KVM_S390_MCHK:
	case KVM_S390_PROGRAM_INT:
		return true;
	default:
		return false;
	}
}

/* What the architecture or this VM forbids in a restored vCPU. */
const char *mig_vcpu_check(const struct mig_vcpu *s, unsigned ncpus,
			   uint64_t mem_size)
{
	uint64_t ea = s->psw_mask & PSW_MASK_64;

	if (ea == 0x0000000100000000ULL)
		return "the PSW has EA set without BA (an invalid addressing mode)";
	if (s->psw_mask & 0xb80000007fffffffULL)
		return "the PSW has bits set that must be zero";
	if (ea != PSW_MASK_64 && s->psw_addr > 0x7fffffffULL)
		return "the PSW address does not fit its addressing mode";
	if (s->prefix & 0x1fff || s->prefix + 2 * PAGE_SIZE > mem_size)
		return "the prefix is not 8 KiB aligned inside guest memory";
	if (s->fpc & 0x03030088U)
		return "the FPC has reserved bits set";
	switch (s->mp_state) {
	case KVM_MP_STATE_STOPPED:
	case KVM_MP_STATE_CHECK_STOP:
	case KVM_MP_STATE_OPERATING:
	case KVM_MP_STATE_LOAD:
		break;
	default:
		return "the MP state is not one s390 knows";
	}
	if (s->sigp_order && s->sigp_order != 0x05 && s->sigp_order != 0x09)
		return "the SIGP order in flight is neither STOP nor STOP AND STORE STATUS";
	for (uint32_t i = 0; i < s->nirqs; i++) {
		const struct kvm_s390_irq *irq = &s->irqs[i];

		if (!irq_is_local(irq->type))
			return "the IRQ state holds a floating interrupt";
		if ((irq->type == KVM_S390_INT_EMERGENCY ||
		     irq->type == KVM_S390_INT_EXTERNAL_CALL) &&
		    irq->u.emerg.code >= ncpus)
			return "the IRQ state names a source CPU this VM does not have";
		if (irq->type == KVM_S390_SIGP_STOP && irq->u.stop.flags > 1)
			return "the IRQ state has a STOP with unknown flags";
		if (irq->type == KVM_S390_SIGP_SET_PREFIX &&
		    (irq->u.prefix.address & 0x1fff ||
		     irq->u.prefix.address + 2 * PAGE_SIZE > mem_size))
			return "the IRQ state has a SET PREFIX outside guest memory";
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The machine: TOD, storage keys, FLIC, devices                       */

/* KVM_{SET,GET}_DEVICE_ATTR on the VM fd or the FLIC's. */
static int dev_attr(int fd, unsigned long req, uint32_t group, uint64_t attr,
		    void *data)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr,
		.addr = (uint64_t)(uintptr_t)data,
	};

	return (int)hv_ioctl(fd, req, (unsigned long)&a);
}

static int vm_attr(struct vm *vm, unsigned long req, uint32_t group,
		   uint64_t attr, void *data)
{
	return dev_attr(vm->vm_fd, req, group, attr, data);
}

int mig_tod_get(struct vm *vm, uint8_t *idx, uint64_t *tod)
{
	struct kvm_s390_vm_tod_clock tc = { 0 };
	uint8_t high = 0;
	uint64_t low = 0;

	if (vm_attr(vm, KVM_GET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_EXT, &tc) == 0) {
		*idx = tc.epoch_idx;
		*tod = tc.tod;
		return 0;
	}
	if (vm_attr(vm, KVM_GET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_HIGH, &high) < 0 ||
	    vm_attr(vm, KVM_GET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_LOW, &low) < 0)
		return ioctl_err("KVM_S390_VM_TOD get", 0);
	*idx = high;
	*tod = low;
	return 0;
}

int mig_tod_set(struct vm *vm, uint8_t idx, uint64_t tod)
{
	struct kvm_s390_vm_tod_clock tc = { .epoch_idx = idx, .tod = tod };

	if (vm_attr(vm, KVM_SET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_EXT, &tc) == 0)
		return 0;
	if (vm_attr(vm, KVM_SET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_HIGH, &idx) < 0 ||
	    vm_attr(vm, KVM_SET_DEVICE_ATTR, KVM_S390_VM_TOD,
		    KVM_S390_VM_TOD_LOW, &tod) < 0)
		return ioctl_err("KVM_S390_VM_TOD set", 0);
	return 0;
}

static int skeys_access(struct vm *vm, unsigned long req, uint8_t *keys,
			uint64_t npages)
{
	for (uint64_t gfn = 0; gfn < npages; gfn += KVM_S390_SKEYS_MAX) {
		uint64_t n = npages - gfn;
		struct kvm_s390_skeys sk = { 0 };
		long r;

		if (n > KVM_S390_SKEYS_MAX)
			n = KVM_S390_SKEYS_MAX;
		sk.start_gfn = gfn;
		sk.count = n;
		sk.skeydata_addr = (uint64_t)(uintptr_t)(keys + gfn);
		r = hv_ioctl(vm->vm_fd, req, (unsigned long)&sk);
		if (r < 0)
			return ioctl_err(req == KVM_S390_GET_SKEYS ?
					 "KVM_S390_GET_SKEYS" : "KVM_S390_SET_SKEYS", 0);
		if (r == KVM_S390_GET_SKEYS_NONE)
			return 1;
	}
	return 0;
}

static int flic_attr(struct vm *vm, unsigned long req, uint32_t group,
		     uint64_t attr, void *data)
{
	return dev_attr(vm->flic_fd, req, group, attr, data);
}

/* GET_ALL_IRQS answers a count and -ENOMEM when the buffer is small. */
static int flic_get(struct vm *vm, struct mig_machine *m)
{
	size_t n = 64;

	for (;;) {
		int r;

		m->flic = calloc(n, sizeof(*m->flic));
		if (!m->flic)
			return -ENOMEM;
		r = flic_attr(vm, KVM_GET_DEVICE_ATTR, KVM_DEV_FLIC_GET_ALL_IRQS,
			      n * sizeof(*m->flic), m->flic);
		if (r >= 0) {
			m->nflic = (uint32_t)r;
			return 0;
		}
		free(m->flic);
		m->flic = NULL;
		if (errno != ENOMEM || n >= MIG_FLIC_MAX_IRQS)
			return ioctl_err("FLIC GET_ALL_IRQS", 0);
		n *= 2;
	}
}

static void devices_get(struct vm *vm, struct mig_machine *m)
{
	uint64_t now = vm_now_ns();
	ssize_t n;

	pthread_mutex_lock(&vm->sclp_lock);
	n = sclp_save(vm->sclp, m->sclp, sizeof(m->sclp));
	m->sclp_len = n > 0 ? (uint32_t)n : 0;
	m->wdt_enabled = vm->wdt.enabled;
	m->wdt_left_ns = vm->wdt.deadline_ns == UINT64_MAX ? UINT64_MAX :
			 vm->wdt.deadline_ns > now ? vm->wdt.deadline_ns - now : 0;
	m->exit_line_code = vm->exit_line_code;
	m->line_len = vm->line_len;
	m->line_long = vm->line_long;
	memcpy(m->line, vm->line, sizeof(m->line));
	pthread_mutex_unlock(&vm->sclp_lock);
}

static void identity_get(struct vm *vm, struct mig_machine *m)
{
	const struct zvmm_config *cfg = vm->cfg;

	memcpy(m->name, cfg->name, sizeof(m->name));
	m->has_uuid = cfg->have_uuid;
	memcpy(m->uuid, cfg->uuid, sizeof(m->uuid));
	memcpy(m->kernel, cfg->kernel, sizeof(m->kernel));
	memcpy(m->append, cfg->append, sizeof(m->append));
}

int mig_machine_get(struct vm *vm, struct mig_machine *m)
{
	uint64_t npages = vm->mem->size / PAGE_SIZE;
	int r;

	memset(m, 0, sizeof(*m));
	identity_get(vm, m);
	if ((r = mig_tod_get(vm, &m->tod_epoch_idx, &m->tod)))
		return r;
	m->skeys = malloc(npages);
	if (!m->skeys)
		return -ENOMEM;
	r = skeys_access(vm, KVM_S390_GET_SKEYS, m->skeys, npages);
	if (r < 0)
		return r;
	m->skeys_used = r == 0;
	/* Async pfault completions must not arrive behind our back. */
	if (flic_attr(vm, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_APF_DISABLE_WAIT,
		      0, NULL) < 0)
		return ioctl_err("FLIC APF_DISABLE_WAIT", 0);
	if ((r = flic_get(vm, m)))
		return r;
	devices_get(vm, m);
	return 0;
}

int mig_machine_put_clock_keys(struct vm *vm, const struct mig_machine *m)
{
	int r;

	if (m->skeys_used) {
		r = skeys_access(vm, KVM_S390_SET_SKEYS, m->skeys,
				 vm->mem->size / PAGE_SIZE);
		if (r)
			return r < 0 ? r : -EIO;
	}
	return mig_tod_set(vm, m->tod_epoch_idx, m->tod);
}

int mig_machine_put_flic_devices(struct vm *vm, const struct mig_machine *m)
{
	uint64_t now = vm_now_ns();
	int r;

	if (m->nflic &&
	    flic_attr(vm, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_ENQUEUE,
		      m->nflic * sizeof(*m->flic), m->flic) < 0)
		return ioctl_err("FLIC ENQUEUE", 0);
	if (flic_attr(vm, KVM_SET_DEVICE_ATTR, KVM_DEV_FLIC_APF_ENABLE, 0,
		      NULL) < 0)
		return ioctl_err("FLIC APF_ENABLE", 0);
	pthread_mutex_lock(&vm->sclp_lock);
	r = m->sclp_len ? sclp_load(vm->sclp, m->sclp, m->sclp_len) : 0;
	vm->wdt.enabled = m->wdt_enabled;
	vm->wdt.deadline_ns = m->wdt_left_ns == UINT64_MAX ? UINT64_MAX :
			      now + m->wdt_left_ns;
	vm->exit_line_code = m->exit_line_code;
	vm->line_len = m->line_len;
	vm->line_long = m->line_long;
	memcpy(vm->line, m->line, sizeof(vm->line));
	pthread_mutex_unlock(&vm->sclp_lock);
	if (r)
		log_error("migration: the SCLP state does not load (%s)",
			  strerror(-r));
	return r;
}

void mig_machine_free(struct mig_machine *m)
{
	free(m->skeys);
	free(m->flic);
	m->skeys = NULL;
	m->flic = NULL;
}

/* ------------------------------------------------------------------ */
/* Payloads                                                            */

static void put_str(struct mig_buf *c, const char *s)
{
	size_t n = strlen(s);

	mig_put_u16(c, (uint16_t)n);
	mig_put_bytes(c, s, n);
}

/* A string field into dst (size dsize, NUL-terminated); refuses NULs
 * inside and strings that do not fit. */
static void get_str(struct mig_buf *c, char *dst, size_t dsize)
{
	size_t n = mig_get_u16(c);
	const uint8_t *s = mig_get_ptr(c, n);

	dst[0] = 0;
	if (!s || n >= dsize || memchr(s, 0, n)) {
		c->overflow = true;
		return;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
}

#define VCPU_FIXED_LEN	(8 * 2 + 8 * 16 + 4 * 16 + 8 * 16 + 8 * 16 + \
			 4 * 4 + 8 * 7 + 4 + 4)

ssize_t mig_irqs_encode(const struct kvm_s390_irq *irqs, uint32_t n,
			uint8_t *buf, size_t len)
{
	if ((size_t)n * MIG_IRQ_SIZE > len)
		return -ENOSPC;
	for (uint32_t i = 0; i < n; i++)
		if (mig_irq_encode(&irqs[i], buf + (size_t)i * MIG_IRQ_SIZE))
			return -EINVAL;
	return (ssize_t)n * MIG_IRQ_SIZE;
}

int mig_irqs_decode(const uint8_t *buf, size_t len, uint32_t n,
		    struct kvm_s390_irq *irqs, char *err, size_t errlen)
{
	if ((size_t)n * MIG_IRQ_SIZE != len) {
		snprintf(err, errlen, "%u interrupt records do not fill %zu bytes",
			 n, len);
		return -EPROTO;
	}
	for (uint32_t i = 0; i < n; i++)
		if (mig_irq_decode(buf + (size_t)i * MIG_IRQ_SIZE, &irqs[i])) {
			snprintf(err, errlen, "interrupt record %u has an unknown type",
				 i);
			return -EPROTO;
		}
	return 0;
}

ssize_t mig_vcpu_encode(const struct mig_vcpu *s, uint8_t *buf, size_t len)
{
	struct mig_buf c;
	ssize_t n;

	mig_buf_init(&c, buf, len);
	mig_put_u64(&c, s->psw_mask);
	mig_put_u64(&c, s->psw_addr);
	for (int i = 0; i < 16; i++)
		mig_put_u64(&c, s->gprs[i]);
	for (int i = 0; i < 16; i++)
		mig_put_u32(&c, s->acrs[i]);
	for (int i = 0; i < 16; i++)
		mig_put_u64(&c, s->crs[i]);
	for (int i = 0; i < 16; i++)
		mig_put_u64(&c, s->fprs[i]);
	mig_put_u32(&c, s->fpc);
	mig_put_u32(&c, s->prefix);
	mig_put_u32(&c, s->todpr);
	mig_put_u32(&c, s->mp_state);
	mig_put_u64(&c, s->cputm);
	mig_put_u64(&c, s->ckc);
	mig_put_u64(&c, s->pft);
	mig_put_u64(&c, s->pfs);
	mig_put_u64(&c, s->pfc);
	mig_put_u64(&c, s->pp);
	mig_put_u64(&c, s->gbea);
	mig_put_u8(&c, s->stopped);
	mig_put_u8(&c, s->disabled_wait);
	mig_put_u8(&c, s->sigp_order);
	mig_put_u8(&c, 0);
	mig_put_u32(&c, s->nirqs);
	if (!mig_buf_ok(&c))
		return -ENOSPC;
	n = mig_irqs_encode(s->irqs, s->nirqs, buf + c.off, len - c.off);
	return n < 0 ? n : (ssize_t)c.off + n;
}

int mig_vcpu_decode(const uint8_t *buf, size_t len, struct mig_vcpu *s,
		    char *err, size_t errlen)
{
	struct mig_buf c;
	uint8_t flags[4];

	mig_buf_init_ro(&c, buf, len);
	memset(s, 0, sizeof(*s));
	s->psw_mask = mig_get_u64(&c);
	s->psw_addr = mig_get_u64(&c);
	for (int i = 0; i < 16; i++)
		s->gprs[i] = mig_get_u64(&c);
	for (int i = 0; i < 16; i++)
		s->acrs[i] = mig_get_u32(&c);
	for (int i = 0; i < 16; i++)
		s->crs[i] = mig_get_u64(&c);
	for (int i = 0; i < 16; i++)
		s->fprs[i] = mig_get_u64(&c);
	s->fpc = mig_get_u32(&c);
	s->prefix = mig_get_u32(&c);
	s->todpr = mig_get_u32(&c);
	s->mp_state = mig_get_u32(&c);
	s->cputm = mig_get_u64(&c);
	s->ckc = mig_get_u64(&c);
	s->pft = mig_get_u64(&c);
	s->pfs = mig_get_u64(&c);
	s->pfc = mig_get_u64(&c);
	s->pp = mig_get_u64(&c);
	s->gbea = mig_get_u64(&c);
	mig_get_bytes(&c, flags, sizeof(flags));
	s->nirqs = mig_get_u32(&c);
	if (!mig_buf_ok(&c) || c.off != VCPU_FIXED_LEN) {
		snprintf(err, errlen, "a vCPU section is shorter than its fixed part");
		return -EPROTO;
	}
	if (flags[0] > 1 || flags[1] > 1 || flags[3]) {
		snprintf(err, errlen, "a vCPU section has unknown flag values");
		return -EPROTO;
	}
	s->stopped = flags[0];
	s->disabled_wait = flags[1];
	s->sigp_order = flags[2];
	if (s->nirqs > 16 * MIG_IRQ_BUF_ENTRIES) {
		snprintf(err, errlen, "a vCPU section claims %u pending interrupts",
			 s->nirqs);
		return -EPROTO;
	}
	s->irqs = calloc(s->nirqs ? s->nirqs : 1, sizeof(*s->irqs));
	if (!s->irqs)
		return -ENOMEM;
	return mig_irqs_decode(buf + c.off, len - c.off, s->nirqs, s->irqs,
			       err, errlen);
}

ssize_t mig_machine_encode(const struct mig_machine *m, uint8_t *buf,
			   size_t len)
{
	struct mig_buf c;

	mig_buf_init(&c, buf, len);
	put_str(&c, m->name);
	mig_put_u8(&c, m->has_uuid);
	mig_put_bytes(&c, m->uuid, sizeof(m->uuid));
	put_str(&c, m->kernel);
	put_str(&c, m->append);
	return !mig_buf_ok(&c) ? -ENOSPC : (ssize_t)c.off;
}

int mig_machine_decode(const uint8_t *buf, size_t len, struct mig_machine *m,
		       char *err, size_t errlen)
{
	struct mig_buf c;
	uint8_t has_uuid;

	mig_buf_init_ro(&c, buf, len);
	get_str(&c, m->name, sizeof(m->name));
	has_uuid = mig_get_u8(&c);
	mig_get_bytes(&c, m->uuid, sizeof(m->uuid));
	get_str(&c, m->kernel, sizeof(m->kernel));
	get_str(&c, m->append, sizeof(m->append));
	if (!mig_buf_ok(&c) || c.off != len || has_uuid > 1) {
		snprintf(err, errlen, "the MACHINE section is malformed");
		return -EPROTO;
	}
	m->has_uuid = has_uuid;
	return 0;
}

ssize_t mig_devices_encode(const struct mig_machine *m, uint8_t *buf,
			   size_t len)
{
	struct mig_buf c;

	mig_buf_init(&c, buf, len);
	mig_put_u32(&c, m->sclp_len);
	mig_put_bytes(&c, m->sclp, m->sclp_len);
	mig_put_u8(&c, m->wdt_enabled);
	mig_put_u8(&c, m->line_long);
	mig_put_u8(&c, 0);
	mig_put_u8(&c, 0);
	mig_put_u64(&c, m->wdt_left_ns);
	mig_put_u32(&c, (uint32_t)m->exit_line_code);
	mig_put_u32(&c, m->line_len);
	mig_put_bytes(&c, m->line, m->line_len);
	return !mig_buf_ok(&c) ? -ENOSPC : (ssize_t)c.off;
}

int mig_devices_decode(const uint8_t *buf, size_t len, struct mig_machine *m,
		       char *err, size_t errlen)
{
	struct mig_buf c;
	uint8_t f[4];

	mig_buf_init_ro(&c, buf, len);
	m->sclp_len = mig_get_u32(&c);
	if (m->sclp_len > sizeof(m->sclp)) {
		snprintf(err, errlen, "the SCLP state is %u bytes long", m->sclp_len);
		return -EPROTO;
	}
	mig_get_bytes(&c, m->sclp, m->sclp_len);
	mig_get_bytes(&c, f, sizeof(f));
	m->wdt_left_ns = mig_get_u64(&c);
	m->exit_line_code = (int32_t)mig_get_u32(&c);
	m->line_len = mig_get_u32(&c);
	if (m->line_len > sizeof(m->line)) {
		snprintf(err, errlen, "the console line is %u bytes long", m->line_len);
		return -EPROTO;
	}
	mig_get_bytes(&c, m->line, m->line_len);
	if (!mig_buf_ok(&c) || c.off != len || f[0] > 1 || f[1] > 1 || f[2] || f[3] ||
	    m->exit_line_code < -1 || m->exit_line_code > 255) {
		snprintf(err, errlen, "the DEVICES section is malformed");
		return -EPROTO;
	}
	m->wdt_enabled = f[0];
	m->line_long = f[1];
	return 0;
}
