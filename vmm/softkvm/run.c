// SPDX-License-Identifier: MIT
/*
 * softkvm KVM_RUN: register state in and out of the interpreter, the run
 * loop (interrupt delivery, the interpreter's events, the stop
 * intercept), and the enabled wait. docs/softkvm.md, "KVM_RUN".
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bswap.h"
#include "log.h"
#include "softkvm/run.h"

/* ------------------------------------------------------------------------ */
/* Small helpers for the intercept handlers                                 */
/* ------------------------------------------------------------------------ */

void sk_exit_sieic(struct sk_vcpu *v, uint8_t icptcode, uint16_t ipa,
		   uint32_t ipb)
{
	v->run->exit_reason = KVM_EXIT_S390_SIEIC;
	v->run->s390_sieic.icptcode = icptcode;
	v->run->s390_sieic.ipa = ipa;
	v->run->s390_sieic.ipb = ipb;
}

void sk_set_cc(struct s390_cpu *c, unsigned cc)
{
	c->psw_mask = (c->psw_mask & ~PSW_MASK_CC) |
		      ((uint64_t)(cc & 3) << PSW_SHIFT_CC);
}

uint64_t sk_icpt_addr(const struct s390_cpu *c)
{
	unsigned b2 = c->icpt.ipb >> 28;
	uint64_t d2 = (c->icpt.ipb >> 16) & 0xfff;

	return (b2 ? c->gpr[b2] : 0) + d2;
}

/* ------------------------------------------------------------------------ */
/* Memory and per-vCPU state                                                */
/* ------------------------------------------------------------------------ */

/* The slot at guest address 0 as the interpreter's memory. [vm->lock] */
static int vm_mem_get(struct sk_vm *vm, struct sk_mem **out)
{
	struct sk_memslot *s = NULL;
	struct sk_mem *m;

	for (unsigned i = 0; i < SK_NR_MEMSLOTS; i++)
		if (vm->slots[i].used && vm->slots[i].guest_mapped &&
		    vm->slots[i].gpa == 0)
			s = &vm->slots[i];
	/* Without memory at 0 the kernel cannot map the lowcore: EFAULT. */
	if (!s)
		return -EFAULT;
	m = vm->mem;
	if (!m || m->host != s->host || m->size != s->size) {
		m = calloc(1, sizeof(*m));
		if (!m)
			return -ENOMEM;
		if (s390_mem_init(&m->m, s->host, s->size) < 0) {
			free(m);
			return -ENOMEM;
		}
		m->host = s->host;
		m->size = s->size;
		s390_mem_set_log(&m->m, s->dirty != NULL);
		/* keys set before the first run (KVM_S390_SET_SKEYS) */
		if (s->keys)
			memcpy(m->m.keys, s->keys, m->m.size / SK_PAGE);
		m->older = vm->mem;
		vm->mem = m;
	}
	*out = m;
	return 0;
}

uint8_t *sk_run_keys(struct sk_vm *vm, const struct sk_memslot *s)
{
	struct sk_mem *m = vm->mem;

	if (!m || !s->guest_mapped || s->gpa != 0 || m->host != s->host ||
	    m->size != s->size)
		return NULL;
	return m->m.keys;
}

bool sk_run_keys_used(struct sk_vm *vm)
{
	return vm->mem && __atomic_load_n(&vm->mem->m.keys_used,
					  __ATOMIC_RELAXED);
}

void sk_run_vm_free(struct sk_vm *vm)
{
	while (vm->mem) {
		struct sk_mem *m = vm->mem;

		vm->mem = m->older;
		s390_mem_destroy(&m->m);
		free(m);
	}
}

/* ------------------------------------------------------------------------ */
/* Dirty logging of the interpreter's stores                                */
/* ------------------------------------------------------------------------ */

/*
 * The interpreter marks a page only when the store-TLB entry it was
 * stored through goes, or at s390_cpu_dirty_sync() (mem.c), so that its
 * store hit path stays free of any check. A harvest therefore bumps
 * vm->dirty_gen and waits until every vCPU inside the run loop has synced
 * on its own thread for that generation (each does at every run-slice
 * boundary, SK_BUDGET instructions); a vCPU outside the loop or in an
 * enabled wait synced on its way out and stores nothing. Every store is
 * then marked after it was made and before the harvest takes the bits,
 * or after the harvest: in this round's bitmap or the next one's.
 */

void sk_run_dirty_log(struct sk_vm *vm, const struct sk_memslot *s)
{
	for (struct sk_mem *m = vm->mem; m; m = m->older)
		if (m->host == s->host)
			s390_mem_set_log(&m->m, s->dirty != NULL);
}

void sk_run_dirty_take(struct sk_vm *vm, struct sk_memslot *s)
{
	uint64_t words = (s->size / SK_PAGE + 63) / 64;

	if (!s->dirty || !s->guest_mapped || s->gpa != 0)
		return;
	for (struct sk_mem *m = vm->mem; m; m = m->older)
		if (m->host == s->host)
			s390_mem_take_dirty(&m->m, s->dirty, 0, words);
}

/* Publish this vCPU's dirty state for generation gen (0: leaving). */
static void dirty_ack(struct sk_vcpu *v, uint64_t gen)
{
	struct sk_vm *vm = v->vm;

	s390_cpu_dirty_sync(&v->cpu->c);
	pthread_mutex_lock(&vm->dirty_lock);
	__atomic_store_n(&v->cpu->dirty_ack, gen, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&vm->dirty_cond);
	pthread_mutex_unlock(&vm->dirty_lock);
}

/* At a run-slice boundary: sync if a harvest asked since the last time. */
static inline void dirty_check(struct sk_vcpu *v)
{
	uint64_t gen = __atomic_load_n(&v->vm->dirty_gen, __ATOMIC_SEQ_CST);

	if (gen != v->cpu->dirty_ack)
		dirty_ack(v, gen);
}

void sk_run_dirty_sync(struct sk_vm *vm)
{
	uint64_t gen;

	pthread_mutex_lock(&vm->dirty_lock);
	gen = __atomic_add_fetch(&vm->dirty_gen, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < SK_MAX_VCPUS; i++) {
		struct sk_vcpu *v = __atomic_load_n(&vm->vcpus[i],
						    __ATOMIC_ACQUIRE);
		struct sk_cpu *sc;
		uint64_t ack;

		if (!v)
			continue;
		pthread_mutex_lock(&v->lock);
		sc = v->cpu;
		pthread_mutex_unlock(&v->lock);
		if (!sc)
			continue;
		/* a later harvest's generation counts too (gen only grows) */
		while ((ack = __atomic_load_n(&sc->dirty_ack,
					      __ATOMIC_ACQUIRE)) != 0 &&
		       ack < gen)
			pthread_cond_wait(&vm->dirty_cond, &vm->dirty_lock);
	}
	pthread_mutex_unlock(&vm->dirty_lock);
}

static uint64_t tod_read(void *opaque)
{
	return softkvm_guest_tod(opaque);
}

static void tod_set(void *opaque, uint64_t tod)
{
	struct sk_vcpu *v = opaque;

	sk_set_guest_tod(v->vm, tod);
}

/*
 * ZVMM_JIT (off, on or a count of interpreted runs before a block is
 * translated) chooses the interpreter's translator; it is read for every
 * new vCPU and a bad value is reported once.
 */
static void sk_jit_setting(struct s390_cpu *cpu)
{
	static bool warned;
	const char *s = getenv("ZVMM_JIT");

	if (s && s390_jit_parse(s, &cpu->jit_after) < 0 &&
	    !__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
		log_warn("softkvm: ZVMM_JIT=%s: want off, on or a count; "
			 "using the default", s);
}

/* Bind the vCPU to the VM's current memory, creating its state once. */
static int cpu_get(struct sk_vcpu *v)
{
	struct sk_mem *m;
	struct sk_cpu *c;
	int r;

	pthread_mutex_lock(&v->vm->lock);
	r = vm_mem_get(v->vm, &m);
	pthread_mutex_unlock(&v->vm->lock);
	if (r < 0)
		return r;
	if (v->cpu) {
		if (v->cpu->c.mem != &m->m)
			v->cpu->c.mem = &m->m;
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->wake_fd < 0) {
		free(c);
		return -ENOMEM;
	}
	if (s390_cpu_init(&c->c, &m->m) < 0) {
		close(c->wake_fd);
		free(c);
		return -ENOMEM;
	}
	sk_jit_setting(&c->c);
	c->c.tod_read = tod_read;
	c->c.tod_set = tod_set;
	c->c.tod_opaque = v;
	c->c.cpu_addr = (uint16_t)v->id;
	c->c.icpt_operation = true;	/* the kernel's handle_operexc */
	sk_cpu_model_apply(v->vm, &c->c);
	pthread_mutex_lock(&v->lock);
	v->cpu = c;
	pthread_mutex_unlock(&v->lock);
	return 0;
}

void sk_run_vcpu_free(struct sk_vcpu *v)
{
	if (!v->cpu)
		return;
	s390_cpu_destroy(&v->cpu->c);
	close(v->cpu->wake_fd);
	free(v->cpu);
	v->cpu = NULL;
}

void sk_vcpu_kick(struct sk_vcpu *v)
{
	static const uint64_t one = 1;

	pthread_cond_broadcast(&v->wake);
	if (v->cpu && v->cpu->idle)
		(void)!write(v->cpu->wake_fd, &one, sizeof(one));
}

/* kvm_run + SIE state -> interpreter (after sk_sync_regs_load). */
static void vcpu_to_cpu(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	const struct kvm_sync_regs *r = &v->run->s.regs;
	const struct sk_sie *s = &v->sie;

	memcpy(c->gpr, r->gprs, sizeof(c->gpr));
	memcpy(c->acr, r->acrs, sizeof(c->acr));
	memcpy(c->fpr, r->fprs, sizeof(c->fpr));
	c->fpc = r->fpc;
	c->psw_mask = s->psw_mask;
	c->psw_addr = s->psw_addr;
	memcpy(c->cr, s->cr, sizeof(c->cr));
	c->prefix = s->prefix;
	c->todpr = s->todpr;
	c->ckc = s->ckc;
	c->bea = s->gbea;
	s390_cpu_set_cputm(c, (int64_t)s->cputm);
	/* The VMM may have written memory, CRs or the prefix meanwhile; the
	 * flush touches only this vCPU's TLBs and decoded blocks. */
	s390_cpu_flush(c);
}

void sk_cpu_to_vcpu(struct sk_vcpu *v)
{
	const struct s390_cpu *c = &v->cpu->c;
	struct kvm_sync_regs *r = &v->run->s.regs;
	struct sk_sie *s = &v->sie;

	memcpy(r->gprs, c->gpr, sizeof(r->gprs));
	memcpy(r->acrs, c->acr, sizeof(r->acrs));
	memcpy(r->fprs, c->fpr, sizeof(r->fprs));
	r->fpc = c->fpc;
	s->psw_mask = c->psw_mask;
	s->psw_addr = c->psw_addr;
	memcpy(s->cr, c->cr, sizeof(s->cr));
	s->prefix = c->prefix;
	s->todpr = c->todpr;
	s->ckc = c->ckc;
	s->gbea = c->bea;
	s->cputm = (uint64_t)s390_cpu_get_cputm(c);
}

/* Show the PSW and CRs that a CONDITIONAL EMERGENCY SIGNAL looks at. [L] */
static void publish(struct sk_cpu *sc)
{
	sc->pub_psw_mask = sc->c.psw_mask;
	sc->pub_psw_addr = sc->c.psw_addr;
	sc->pub_cr3 = sc->c.cr[3];
	sc->pub_cr4 = sc->c.cr[4];
}

/* ------------------------------------------------------------------------ */
/* Interrupts and the stop intercept                                        */
/* ------------------------------------------------------------------------ */

/*
 * Recompute the timer conditions, then deliver everything deliverable
 * (the kernel's kvm_s390_deliver_pending_interrupts). *stop is set when a
 * SIGP STOP waits and nothing else is deliverable. 0 or -EFAULT.
 */
static int deliver(struct sk_vcpu *v, bool *stop)
{
	struct sk_vm *vm = v->vm;
	struct s390_cpu *c = &v->cpu->c;
	struct skirq_cpu ic = {
		.ram = c->mem->ram, .ram_size = c->mem->size,
		.prefix = c->prefix, .psw_mask = c->psw_mask,
		.psw_addr = c->psw_addr, .cr = c->cr, .gbea = c->bea,
		.gpr = c->gpr, .fpr = c->fpr, .acr = c->acr, .fpc = c->fpc,
		.todpr = c->todpr, .ckc = c->ckc,
	};
	uint64_t tod = s390_tod_now(c);
	int r;

	ic.cputm = (uint64_t)s390_cpu_get_cputm(c);
	pthread_mutex_lock(&vm->lock);
	pthread_mutex_lock(&v->lock);
	skirq_update_timers(&v->li, sk_ckc_due(c, tod), sk_cputm_due(c));
	if (skirq_next(&v->li, &vm->fi, c->psw_mask, c->cr) < 0) {
		r = 0;
	} else {
		r = skirq_deliver_all(&v->li, &vm->fi, &ic);
		c->psw_mask = ic.psw_mask;
		c->psw_addr = ic.psw_addr;
		if (ic.prefix_changed) {
			c->prefix = ic.prefix;
			s390_cpu_flush(c);
		} else {
			s390_mem_touched(c, s390_real_to_abs(c->prefix, 0),
					 0x2000);
		}
		sk_mark_dirty_locked(vm, s390_real_to_abs(c->prefix, 0),
				     0x2000);
	}
	*stop = skirq_stop_pending(&v->li);
	pthread_mutex_unlock(&v->lock);
	pthread_mutex_unlock(&vm->lock);
	return r;
}

/*
 * The stop intercept (icptcode 0x28): store status if the stop asks for
 * it, stop the vCPU unless CPU state is user-controlled (then the stop
 * stays pending until SET_MP_STATE), and exit. SK_EXIT or -EFAULT.
 */
static int handle_stop(struct sk_vcpu *v)
{
	uint32_t flags;
	int r;

	pthread_mutex_lock(&v->lock);
	flags = skirq_stop_flags(&v->li);
	pthread_mutex_unlock(&v->lock);
	if (flags & KVM_S390_STOP_FLAG_STORE_STATUS) {
		sk_cpu_to_vcpu(v);
		r = sk_store_status(v, KVM_S390_STORE_STATUS_NOADDR);
		if (r < 0)
			return r;
		pthread_mutex_lock(&v->vm->lock);
		s390_mem_touched(&v->cpu->c, 0x1200, 0x200);
		s390_mem_touched(&v->cpu->c, 163, 1);
		pthread_mutex_unlock(&v->vm->lock);
	}
	if (!sk_vm_user_cpu_state_ctrl(v->vm)) {
		pthread_mutex_lock(&v->lock);
		skirq_clear_stop(&v->li);
		v->stopped = true;
		pthread_mutex_unlock(&v->lock);
	}
	sk_exit_sieic(v, 0x28, 0, 0);
	return SK_EXIT;
}

/* ------------------------------------------------------------------------ */
/* The enabled wait                                                         */
/* ------------------------------------------------------------------------ */

/* Something that ends an enabled wait? [F, L] */
static bool wake_cond(struct sk_vcpu *v)
{
	const struct s390_cpu *c = &v->cpu->c;

	return skirq_vcpu_has_irq(&v->li, &v->vm->fi, c->psw_mask, c->cr,
				  false) ||
	       sk_ckc_due(c, s390_tod_now(c)) || sk_cputm_due(c);
}

/*
 * Sleep until an interrupt is deliverable, a timer comes due, a stop is
 * pending, or a kick. Injectors write wake_fd while `idle` is set; a
 * signal interrupts ppoll(), which runs with the caller's signal mask
 * while every signal is blocked around the checks, so neither can slip
 * in between a check and the sleep. 0 to go on, -EINTR for a kick.
 */
static int enabled_wait(struct sk_vcpu *v)
{
	struct sk_cpu *sc = v->cpu;
	struct pollfd pfd = { .fd = sc->wake_fd, .events = POLLIN };
	sigset_t all, old;
	uint64_t cnt;
	int r = 0;

	/* no stores while waiting: a harvest need not wait for this vCPU */
	dirty_ack(v, 0);
	sigfillset(&all);
	for (;;) {
		struct timespec ts, *tsp = NULL;
		int64_t ns;
		bool wake;

		pthread_sigmask(SIG_BLOCK, &all, &old);
		pthread_mutex_lock(&v->vm->lock);
		pthread_mutex_lock(&v->lock);
		wake = wake_cond(v);
		sc->idle = !wake;
		if (!wake)
			publish(sc);
		pthread_mutex_unlock(&v->lock);
		pthread_mutex_unlock(&v->vm->lock);
		if (wake) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return 0;
		}
		if (__atomic_load_n(&v->run->immediate_exit,
				    __ATOMIC_ACQUIRE)) {
			r = -EINTR;
		} else {
			ns = sk_timer_deadline_ns(&sc->c);
			if (ns >= 0) {
				ts.tv_sec = ns / 1000000000;
				ts.tv_nsec = ns % 1000000000;
				tsp = &ts;
			}
			if (ppoll(&pfd, 1, tsp, &old) < 0 && errno == EINTR)
				r = -EINTR;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		while (read(sc->wake_fd, &cnt, sizeof(cnt)) > 0)
			;
		pthread_mutex_lock(&v->lock);
		sc->idle = false;
		pthread_mutex_unlock(&v->lock);
		if (r < 0)
			return r;
	}
}

/* ------------------------------------------------------------------------ */
/* KVM_RUN                                                                  */
/* ------------------------------------------------------------------------ */

static bool kicked(struct sk_vcpu *v)
{
	return __atomic_load_n(&v->run->immediate_exit, __ATOMIC_ACQUIRE);
}

/*
 * An operation exception, as the kernel's handle_operexc() treats it:
 * opcode 0 goes to user space when it asked (USER_INSTR0); a program-new
 * PSW within 6 bytes before the failing PSW (same DAT and address space,
 * not a wait PSW, not problem state) would loop for ever, so it goes to
 * user space too (icptcode 0x2c); anything else is delivered.
 */
static int handle_operexc(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	uint64_t abs = s390_real_to_abs(c->prefix, LC_PGM_NEW);
	const uint8_t *lc = abs + 16 <= c->mem->size ? c->mem->ram + abs : NULL;
	uint64_t nmask, naddr;

	if (c->icpt.ipa == 0 && v->vm->user_instr0)
		goto out;
	if (lc) {
		nmask = get_be64(lc);
		naddr = get_be64(lc + 8);
		if (c->psw_addr - naddr <= 6 && !(nmask & PSW_MASK_WAIT) &&
		    !(c->psw_mask & PSW_MASK_PSTATE) &&
		    (nmask & PSW_MASK_ASC) == (c->psw_mask & PSW_MASK_ASC) &&
		    (nmask & PSW_MASK_DAT) == (c->psw_mask & PSW_MASK_DAT))
			goto out;
	}
	if (s390_cpu_program_irq(c, PGM_OPERATION, c->icpt.ilen))
		return SK_CONTINUE;
	/* The program-new PSW is invalid: the kernel's 0x08 intercept. */
	sk_exit_sieic(v, 0x08, 0, 0);
	return SK_EXIT;
out:
	sk_exit_sieic(v, 0x2c, c->icpt.ipa, c->icpt.ipb);
	return SK_EXIT;
}

/* The loop: SK_EXIT with kvm_run's exit filled in, or -errno. */
static int run_loop(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;

	for (;;) {
		bool stop;
		int r;

		dirty_check(v);
		if (kicked(v))
			return -EINTR;
		r = deliver(v, &stop);
		if (r < 0)
			return r;
		if (stop)
			return handle_stop(v);
		switch (s390_cpu_run(c, SK_BUDGET)) {
		case S390_EV_BUDGET:
		case S390_EV_IRQ_WINDOW:
		case S390_EV_STOPPED:
			c->kick = 0;
			break;
		case S390_EV_INTERCEPT:
			v->last_ilen = c->icpt.ilen;
			r = sk_handle_intercept(v);
			if (r != SK_CONTINUE)
				return r;
			break;
		case S390_EV_WAIT:
			r = enabled_wait(v);
			if (r < 0)
				return r;
			break;
		case S390_EV_DISABLED_WAIT:
			sk_exit_sieic(v, 0x1c, 0, 0);
			return SK_EXIT;
		case S390_EV_PGM_LOOP:
			/* The kernel's program intercept with an invalid
			 * program-new PSW: icptcode 0x08 to user space. */
			sk_exit_sieic(v, 0x08, 0, 0);
			return SK_EXIT;
		case S390_EV_OPEREXC:
			r = handle_operexc(v);
			if (r != SK_CONTINUE)
				return r;
			break;
		case S390_EV_DAT:
			return -EOPNOTSUPP;
		}
	}
}

long sk_run(struct sk_vcpu *v)
{
	int r;

	r = cpu_get(v);
	if (r < 0)
		return r;
	/* Without user-controlled CPU state, KVM_RUN starts the vCPU. */
	pthread_mutex_lock(&v->lock);
	if (!sk_vm_user_cpu_state_ctrl(v->vm) && v->stopped)
		v->stopped = false;
	v->cpu->in_run = true;
	pthread_mutex_unlock(&v->lock);

	sk_sync_regs_load(v);
	vcpu_to_cpu(v);
	r = run_loop(v);
	dirty_ack(v, 0);
	sk_cpu_to_vcpu(v);
	sk_sync_regs_store(v);

	pthread_mutex_lock(&v->lock);
	v->cpu->in_run = false;
	publish(v->cpu);
	pthread_mutex_unlock(&v->lock);
	if (r == -EINTR)
		v->run->exit_reason = KVM_EXIT_INTR;
	return r < 0 ? r : 0;
}
