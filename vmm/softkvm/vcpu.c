// SPDX-License-Identifier: MIT
/*
 * softkvm vCPU objects: creation, the vCPU fd's ioctls (except the
 * register ones, vcpu-regs.c), CPU state, resets, STORE STATUS, interrupt
 * injection and IRQ state, and logical MEM_OP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bswap.h"
#include "softkvm/softkvm.h"

#define PSW_MASK_RI 0x0000008000000000ULL
#define PSW_MASK_DAT 0x0400000000000000ULL
#define PSW_MASK_EA 0x0000000100000000ULL
#define PSW_MASK_BA 0x0000000080000000ULL
#define CR0_LAP 0x10000000ULL          /* low-address protection */
#define PGM_PROTECTION 0x04
#define PGM_ADDRESSING 0x05

static bool vcpu_exists(void *opaque, unsigned id)
{
	struct sk_vm *vm = opaque;

	return id < SK_MAX_VCPUS &&
	       __atomic_load_n(&vm->vcpus[id], __ATOMIC_ACQUIRE) != NULL;
}

void sk_vcpu_info(struct sk_vcpu *vcpu, struct skirq_vcpu_info *vi)
{
	vi->stopped = vcpu->stopped;
	vi->ilen = vcpu->last_ilen;
	vi->vcpu_exists = vcpu_exists;
	vi->opaque = vcpu->vm;
}

long sk_create_vcpu(struct sk_vm *vm, unsigned long id)
{
	struct sk_vcpu *v;
	void *run;
	int fd, r;

	if (id >= SK_MAX_VCPUS)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		r = -EEXIST;
		goto out_unlock;
	}
	r = -ENOMEM;
	v = calloc(1, sizeof(*v));
	if (!v)
		goto out_unlock;
	fd = sk_new_fd("softkvm-vcpu", SK_RUN_SIZE);
	if (fd < 0) {
		r = fd;
		goto out_free;
	}
	run = mmap(NULL, SK_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   0);
	if (run == MAP_FAILED) {
		r = -errno;
		goto out_close;
	}
	v->vm = vm;
	v->id = (unsigned)id;
	v->run = run;
	pthread_mutex_init(&v->ioctl_lock, NULL);
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->wake, NULL);
	skirq_local_clear(&v->li);
	/* Kernel: zero SIE block (CR0/CR14 too), STOPPED, no pfault token. */
	v->stopped = true;
	v->sie.pft = KVM_S390_PFAULT_TOKEN_INVALID;
	v->sie.epoch = vm->epoch;
	v->run->kvm_valid_regs = SK_VALID_REGS;

	sk_vm_get(vm);
	r = sk_register(fd, SK_VCPU, vm, v);
	if (r < 0) {
		sk_vm_put(vm);   /* never the last reference: the caller's */
		goto out_unmap;
	}
	vm->nr_vcpus++;
	__atomic_store_n(&vm->vcpus[id], v, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vm->lock);
	return fd;

out_unmap:
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	pthread_mutex_destroy(&v->ioctl_lock);
	munmap(run, SK_RUN_SIZE);
out_close:
	close(fd);
out_free:
	free(v);
out_unlock:
	pthread_mutex_unlock(&vm->lock);
	return r;
}

void sk_vcpu_free(struct sk_vcpu *v)
{
	sk_run_vcpu_free(v);
	munmap(v->run, SK_RUN_SIZE);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	pthread_mutex_destroy(&v->ioctl_lock);
	free(v);
}

/* ------------------------------------------------------------------------ */
/* CPU state                                                                */
/* ------------------------------------------------------------------------ */

static bool is_stopped(struct sk_vcpu *v)
{
	bool s;

	pthread_mutex_lock(&v->lock);
	s = v->stopped;
	pthread_mutex_unlock(&v->lock);
	return s;
}

/* kvm_s390_vcpu_stop: completes a pending SIGP STOP. */
static void vcpu_stop(struct sk_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	if (!v->stopped) {
		skirq_clear_stop(&v->li);
		v->stopped = true;
	}
	pthread_mutex_unlock(&v->lock);
}

static void vcpu_start(struct sk_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	v->stopped = false;
	sk_vcpu_kick(v);
	pthread_mutex_unlock(&v->lock);
}

/*
 * KVM_GET_MP_STATE on s390 returns the state as the ioctl's result (5 or
 * 7) and leaves the struct untouched: the arch hook returns the state and
 * the generic code treats any non-zero value as the result.
 */
static long get_mp_state(struct sk_vcpu *v)
{
	return is_stopped(v) ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_OPERATING;
}

static long set_mp_state(struct sk_vcpu *v, const struct kvm_mp_state *mp)
{
	/* The first call hands CPU state to user space, for good. */
	__atomic_store_n(&v->vm->user_cpu_state_ctrl, true, __ATOMIC_RELEASE);
	switch (mp->mp_state) {
	case KVM_MP_STATE_STOPPED:
		vcpu_stop(v);
		return 0;
	case KVM_MP_STATE_OPERATING:
		vcpu_start(v);
		return 0;
	default:   /* LOAD (protected vCPUs only), CHECK_STOP, anything else */
		return -ENXIO;
	}
}

/* ------------------------------------------------------------------------ */
/* Resets (spec 1.13)                                                       */
/* ------------------------------------------------------------------------ */

static void normal_reset(struct sk_vcpu *v)
{
	v->sie.psw_mask &= ~PSW_MASK_RI;
	v->sie.pft = KVM_S390_PFAULT_TOKEN_INVALID;
	memset(v->run->s.regs.riccb, 0, sizeof(v->run->s.regs.riccb));
	if (!sk_vm_user_cpu_state_ctrl(v->vm))
		vcpu_stop(v);
	pthread_mutex_lock(&v->lock);
	skirq_local_clear(&v->li);
	pthread_mutex_unlock(&v->lock);
}

static void initial_reset(struct sk_vcpu *v)
{
	struct kvm_sync_regs *r = &v->run->s.regs;

	normal_reset(v);
	v->sie.psw_mask = 0;
	v->sie.psw_addr = 0;
	v->sie.prefix = 0;
	v->sie.cputm = 0;
	v->sie.ckc = 0;
	memset(v->sie.cr, 0, sizeof(v->sie.cr));
	v->sie.cr[0] = SK_CR0_INITIAL;
	v->sie.cr[14] = SK_CR14_INITIAL;
	/* the kernel resets the sync-register copies too */
	memset(r->crs, 0, sizeof(r->crs));
	r->crs[0] = SK_CR0_INITIAL;
	r->crs[14] = SK_CR14_INITIAL;
	v->run->psw_addr = 0;
	v->run->psw_mask = 0;
	r->todpr = 0;
	r->cputm = 0;
	r->ckc = 0;
	r->pp = 0;
	r->gbea = 1;
	r->fpc = 0;
	v->sie.gbea = 1;
	v->sie.pp = 0;
	v->sie.todpr = 0;
}

static void clear_reset(struct sk_vcpu *v)
{
	struct kvm_sync_regs *r = &v->run->s.regs;

	initial_reset(v);
	memset(r->gprs, 0, sizeof(r->gprs));
	memset(r->vrs, 0, sizeof(r->vrs));
	memset(r->acrs, 0, sizeof(r->acrs));
	memset(r->gscb, 0, sizeof(r->gscb));
	r->etoken = 0;
	r->etoken_extension = 0;
}

/* ------------------------------------------------------------------------ */
/* STORE STATUS (spec 1.12, 7.4; kernel kvm_s390_store_status_unloaded)     */
/* ------------------------------------------------------------------------ */

#define SA_BASE 0x1200   /* __LC_FPREGS_SAVE_AREA */

static bool put(struct sk_vm *vm, uint64_t gpa, const uint8_t *p, size_t n)
{
	return sk_abs_write(vm, gpa, p, n);
}

int sk_store_status(struct sk_vcpu *v, uint64_t addr)
{
	struct sk_vm *vm = v->vm;
	const struct kvm_sync_regs *r = &v->run->s.regs;
	const uint8_t archmode = 1;
	uint32_t px = v->sie.prefix;
	uint8_t b[128];
	uint64_t gpa;
	bool ok = true;

	pthread_mutex_lock(&vm->lock);
	if (addr == KVM_S390_STORE_STATUS_NOADDR) {
		if (!put(vm, 163, &archmode, 1))
			goto fault;
		gpa = 0;
	} else if (addr == KVM_S390_STORE_STATUS_PREFIXED) {
		if (!put(vm, skirq_real_to_abs(px, 163), &archmode, 1))
			goto fault;
		gpa = px;
	} else {
		gpa = addr - SA_BASE;
	}
	gpa += SA_BASE;   /* from here on: the save area itself */

	for (int i = 0; i < 16; i++)
		put_be64(b + 8 * i, r->fprs[i]);
	ok &= put(vm, gpa + 0x000, b, 128);
	for (int i = 0; i < 16; i++)
		put_be64(b + 8 * i, r->gprs[i]);
	ok &= put(vm, gpa + 0x080, b, 128);
	put_be64(b, v->sie.psw_mask);
	put_be64(b + 8, v->sie.psw_addr);
	ok &= put(vm, gpa + 0x100, b, 16);
	put_be32(b, px);
	ok &= put(vm, gpa + 0x118, b, 4);
	put_be32(b, r->fpc);
	ok &= put(vm, gpa + 0x11c, b, 4);
	put_be32(b, v->sie.todpr);
	ok &= put(vm, gpa + 0x124, b, 4);
	put_be64(b, v->sie.cputm);
	ok &= put(vm, gpa + 0x128, b, 8);
	put_be64(b, v->sie.ckc >> 8);
	ok &= put(vm, gpa + 0x130, b, 8);
	for (int i = 0; i < 16; i++)
		put_be32(b + 4 * i, r->acrs[i]);
	ok &= put(vm, gpa + 0x140, b, 64);
	for (int i = 0; i < 16; i++)
		put_be64(b + 8 * i, v->sie.cr[i]);
	ok &= put(vm, gpa + 0x180, b, 128);
	pthread_mutex_unlock(&vm->lock);
	return ok ? 0 : -EFAULT;
fault:
	pthread_mutex_unlock(&vm->lock);
	return -EFAULT;
}

/* ------------------------------------------------------------------------ */
/* Interrupts                                                               */
/* ------------------------------------------------------------------------ */

/* KVM_S390_IRQ: [L] only, so it works while the vCPU is in KVM_RUN. */
static long inject_irq(struct sk_vcpu *v, const struct kvm_s390_irq *irq)
{
	struct skirq_vcpu_info vi;
	int r;

	pthread_mutex_lock(&v->lock);
	sk_vcpu_info(v, &vi);
	r = skirq_inject_local(&v->li, &vi, irq);
	if (r == 0)
		sk_vcpu_kick(v);
	pthread_mutex_unlock(&v->lock);
	if (r == SKIRQ_STORE_STATUS)
		r = sk_store_status(v, KVM_S390_STORE_STATUS_NOADDR);
	return r;
}

static long get_irq_state(struct sk_vcpu *v,
			  const struct kvm_s390_irq_state *st)
{
	long r;

	if (st->len == 0)
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	r = skirq_get_irq_state(&v->li, (void *)(uintptr_t)st->buf, st->len);
	pthread_mutex_unlock(&v->lock);
	return r;
}

static long set_irq_state(struct sk_vcpu *v,
			  const struct kvm_s390_irq_state *st)
{
	struct skirq_vcpu_info vi;
	unsigned store = 0;
	int r;

	pthread_mutex_lock(&v->lock);
	sk_vcpu_info(v, &vi);
	r = skirq_set_irq_state(&v->li, &vi, (const void *)(uintptr_t)st->buf,
				st->len, &store);
	pthread_mutex_unlock(&v->lock);
	/* A STOP+STORE_STATUS entry on a stopped vCPU stores at once. */
	if (store && sk_store_status(v, KVM_S390_STORE_STATUS_NOADDR) < 0 &&
	    r == 0)
		r = -EFAULT;
	return r;
}

/* ------------------------------------------------------------------------ */
/* Logical MEM_OP (DAT off: real addresses through prefixing)               */
/* ------------------------------------------------------------------------ */

static uint64_t amode_mask(uint64_t psw_mask)
{
	if (psw_mask & PSW_MASK_EA)
		return ~0ULL;
	return psw_mask & PSW_MASK_BA ? 0x7fffffffULL : 0xffffffULL;
}

/*
 * Translate every page of the range first (no partial access), as the
 * kernel's guest_range_to_gpas does. Returns 0 or a program code.
 */
static int check_range(struct sk_vcpu *v, uint64_t ga, uint32_t size,
		       bool store)
{
	uint64_t mask = amode_mask(v->sie.psw_mask);
	uint64_t off = 0;

	while (off < size) {
		uint64_t ea = (ga + off) & mask;
		uint64_t n = SK_PAGE - (ea & (SK_PAGE - 1));
		uint8_t tmp;

		if (store && (v->sie.cr[0] & CR0_LAP) && (ea & ~0x11ffULL) == 0)
			return PGM_PROTECTION;
		if (!sk_abs_read(v->vm, skirq_real_to_abs(v->sie.prefix, ea),
				 &tmp, 1))
			return PGM_ADDRESSING;
		off += n;
	}
	return 0;
}

static void copy_range(struct sk_vcpu *v, uint64_t ga, uint8_t *buf,
		       uint32_t size, bool store)
{
	uint64_t mask = amode_mask(v->sie.psw_mask);
	uint64_t off = 0;

	while (off < size) {
		uint64_t ea = (ga + off) & mask;
		uint64_t n = SK_PAGE - (ea & (SK_PAGE - 1));
		uint64_t abs = skirq_real_to_abs(v->sie.prefix, ea);

		if (n > size - off)
			n = size - off;
		if (store)
			sk_abs_write(v->vm, abs, buf + off, n);
		else
			sk_abs_read(v->vm, abs, buf + off, n);
		off += n;
	}
}

static long vcpu_mem_op(struct sk_vcpu *v, const struct kvm_s390_mem_op *mop)
{
	const uint64_t supported = KVM_S390_MEMOP_F_INJECT_EXCEPTION |
				   KVM_S390_MEMOP_F_CHECK_ONLY;
	uint8_t *buf = (uint8_t *)(uintptr_t)mop->buf;
	bool store;
	int r;

	switch (mop->op) {
	case KVM_S390_MEMOP_LOGICAL_READ:
	case KVM_S390_MEMOP_LOGICAL_WRITE:
		break;
	default:   /* SIDA ops: protected guests only */
		return -EINVAL;
	}
	if ((mop->flags & ~supported) || mop->ar >= 16 || !mop->size)
		return -EINVAL;
	if (mop->size > SK_MEMOP_MAX)
		return -E2BIG;
	if (v->sie.psw_mask & PSW_MASK_DAT)
		return -EOPNOTSUPP;   /* DAT translation: not yet */
	store = mop->op == KVM_S390_MEMOP_LOGICAL_WRITE;

	pthread_mutex_lock(&v->vm->lock);
	r = check_range(v, mop->gaddr, mop->size, store);
	if (r == 0 && !(mop->flags & KVM_S390_MEMOP_F_CHECK_ONLY)) {
		if (!buf)
			r = -EFAULT;
		else
			copy_range(v, mop->gaddr, buf, mop->size, store);
	}
	pthread_mutex_unlock(&v->vm->lock);

	if (r > 0 && (mop->flags & KVM_S390_MEMOP_F_INJECT_EXCEPTION)) {
		struct kvm_s390_irq irq;

		memset(&irq, 0, sizeof(irq));
		irq.type = KVM_S390_PROGRAM_INT;
		irq.u.pgm.code = (uint16_t)r;
		inject_irq(v, &irq);
	}
	return r;
}

/* ------------------------------------------------------------------------ */
/* KVM_RUN (entry checks here, the run itself in run.c) and dispatch        */
/* ------------------------------------------------------------------------ */

static long vcpu_run(struct sk_vcpu *v)
{
	int r;

	/* Early return: nothing synced, exit_reason untouched (spec 2.6). */
	if (__atomic_load_n(&v->run->immediate_exit, __ATOMIC_ACQUIRE))
		return -EINTR;
	r = sk_sync_regs_check(v->run);
	if (r < 0)
		return r;
	if (sk_vm_user_cpu_state_ctrl(v->vm) && is_stopped(v))
		return -EINVAL;
	return sk_run(v);   /* run.c */
}

#define ARG(type) ((type *)(uintptr_t)arg)

static long vcpu_ioctl_locked(struct sk_vcpu *v, unsigned long req,
			      unsigned long arg)
{
	switch (req) {
	case KVM_RUN:
		return vcpu_run(v);
	case KVM_S390_SET_INITIAL_PSW:
		if (!arg)
			return -EFAULT;
		if (!is_stopped(v))
			return -EBUSY;
		v->run->psw_mask = ARG(struct kvm_s390_psw)->mask;
		v->run->psw_addr = ARG(struct kvm_s390_psw)->addr;
		return 0;
	case KVM_S390_INITIAL_RESET:
		initial_reset(v);
		return 0;
	case KVM_S390_NORMAL_RESET:
		normal_reset(v);
		return 0;
	case KVM_S390_CLEAR_RESET:
		clear_reset(v);
		return 0;
	case KVM_GET_MP_STATE:
		return get_mp_state(v);
	case KVM_SET_MP_STATE:
		if (!arg)
			return -EFAULT;
		return set_mp_state(v, ARG(struct kvm_mp_state));
	case KVM_S390_STORE_STATUS:
		return sk_store_status(v, arg);
	case KVM_S390_GET_IRQ_STATE:
		if (!arg)
			return -EFAULT;
		return get_irq_state(v, ARG(struct kvm_s390_irq_state));
	case KVM_S390_SET_IRQ_STATE:
		if (!arg)
			return -EFAULT;
		return set_irq_state(v, ARG(struct kvm_s390_irq_state));
	case KVM_S390_MEM_OP:
		if (!arg)
			return -EFAULT;
		return vcpu_mem_op(v, ARG(struct kvm_s390_mem_op));
	case KVM_ENABLE_CAP:
		if (!arg)
			return -EFAULT;
		/* Only CSS_SUPPORT exists on a vCPU; softkvm has no CSS. */
		return -EINVAL;
	default:
		return sk_regs_ioctl(v, req, arg);
	}
}

long sk_vcpu_ioctl(struct sk_vcpu *v, unsigned long req, unsigned long arg)
{
	long r;

	switch (req) {
	case KVM_S390_IRQ:   /* async: no vCPU mutex */
		if (!arg)
			return -EFAULT;
		return inject_irq(v, ARG(struct kvm_s390_irq));
	case KVM_S390_INTERRUPT: {
		struct kvm_s390_irq irq;

		if (!arg)
			return -EFAULT;
		memset(&irq, 0, sizeof(irq));
		if (skirq_interrupt_to_irq(ARG(struct kvm_s390_interrupt),
					   &irq) < 0)
			return -EINVAL;
		return inject_irq(v, &irq);
	}
	default:
		break;
	}
	pthread_mutex_lock(&v->ioctl_lock);
	r = vcpu_ioctl_locked(v, req, arg);
	pthread_mutex_unlock(&v->ioctl_lock);
	return r;
}
