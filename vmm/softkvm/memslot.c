// SPDX-License-Identifier: MIT
/*
 * softkvm guest memory: KVM_SET_USER_MEMORY_REGION with the generic and
 * s390 rules, dirty logging (KVM_GET_DIRTY_LOG), absolute-address access
 * for softkvm's own stores, and storage keys (KVM_S390_GET/SET_SKEYS).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "softkvm/softkvm.h"

static uint64_t slot_pages(const struct sk_memslot *s)
{
	return s->size / SK_PAGE;
}

/* Bytes of a slot's dirty bitmap: whole unsigned longs (64 bits). */
static uint64_t bitmap_bytes(const struct sk_memslot *s)
{
	return (slot_pages(s) + 63) / 64 * 8;
}

static void slot_free(struct sk_memslot *s)
{
	free(s->dirty);
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

void sk_memslots_free(struct sk_vm *vm)
{
	for (unsigned i = 0; i < SK_NR_MEMSLOTS; i++)
		slot_free(&vm->slots[i]);
}

static bool overlaps(const struct sk_vm *vm, unsigned self, uint64_t gpa,
		     uint64_t size)
{
	for (unsigned i = 0; i < SK_NR_MEMSLOTS; i++) {
		const struct sk_memslot *s = &vm->slots[i];

		if (i == self || !s->used)
			continue;
		if (gpa < s->gpa + s->size && s->gpa < gpa + size)
			return true;
	}
	return false;
}

/* Dirty bitmap on or off to match flags. [F] */
static int set_log(struct sk_vm *vm, struct sk_memslot *s, uint32_t flags)
{
	bool want = flags & KVM_MEM_LOG_DIRTY_PAGES;

	if (want && !s->dirty) {
		s->dirty = calloc(1, bitmap_bytes(s));
		if (!s->dirty)
			return -ENOMEM;
	} else if (!want) {
		free(s->dirty);
		s->dirty = NULL;
	}
	s->flags = flags;
	sk_run_dirty_log(vm, s);
	return 0;
}

/*
 * The kernel's order: flags, alignment (page), slot id, wrap, then
 * delete / create / move / flags-only; s390 adds the 1 MiB rules and the
 * memory limit for create and move; -EEXIST for an overlap.
 */
static long set_region(struct sk_vm *vm,
		       const struct kvm_userspace_memory_region *m)
{
	unsigned id = m->slot & 0xffff;
	struct sk_memslot *s;

	if (m->flags & ~(uint32_t)KVM_MEM_LOG_DIRTY_PAGES)
		return -EINVAL;
	if ((m->memory_size & (SK_PAGE - 1)) ||
	    (m->guest_phys_addr & (SK_PAGE - 1)) ||
	    (m->userspace_addr & (SK_PAGE - 1)))
		return -EINVAL;
	if ((m->slot >> 16) != 0 || id >= SK_NR_MEMSLOTS)
		return -EINVAL;
	if (m->guest_phys_addr + m->memory_size < m->guest_phys_addr)
		return -EINVAL;
	if (m->memory_size / SK_PAGE > SK_MAX_SLOT_PAGES)
		return -EINVAL;
	s = &vm->slots[id];

	if (m->memory_size == 0) {
		if (!s->used)
			return -EINVAL;
		slot_free(s);
		return 0;
	}

	if (s->used) {
		if (m->userspace_addr != (uint64_t)(uintptr_t)s->host ||
		    m->memory_size != s->size)
			return -EINVAL;
		if (m->guest_phys_addr == s->gpa) {
			if (m->flags == s->flags)
				return 0;
			return set_log(vm, s, m->flags);   /* flags only */
		}
		/* move: falls through to the create checks */
	}

	if ((m->userspace_addr & (SK_SEG - 1)) ||
	    (m->memory_size & (SK_SEG - 1)))
		return -EINVAL;
	if (m->guest_phys_addr + m->memory_size > SK_MEM_LIMIT)
		return -EINVAL;
	if (overlaps(vm, id, m->guest_phys_addr, m->memory_size))
		return -EEXIST;
	if (s->used) {   /* move keeps contents, keys and log state */
		s->gpa = m->guest_phys_addr;
		s->guest_mapped = !(s->gpa & (SK_SEG - 1));
		if (s->dirty)
			memset(s->dirty, 0, bitmap_bytes(s));
		return set_log(vm, s, m->flags);
	}

	memset(s, 0, sizeof(*s));
	s->gpa = m->guest_phys_addr;
	s->size = m->memory_size;
	s->host = (uint8_t *)(uintptr_t)m->userspace_addr;
	/*
	 * A guest address off the 1 MiB grid: the kernel's ioctl succeeds
	 * but its commit step cannot map the slot into the guest (only a
	 * warning is logged), so guest accesses see no memory there.
	 */
	s->guest_mapped = !(s->gpa & (SK_SEG - 1));
	if (!s->guest_mapped)
		log_warn("softkvm: slot %u at 0x%llx is not 1 MiB aligned; "
			 "the guest will not see it", id,
			 (unsigned long long)s->gpa);
	if (vm->skeys_enabled) {
		s->keys = calloc(1, slot_pages(s));
		if (!s->keys)
			return -ENOMEM;
	}
	if (set_log(vm, s, m->flags) < 0) {
		slot_free(s);
		return -ENOMEM;
	}
	s->used = true;
	return 0;
}

long sk_set_memory_region(struct sk_vm *vm,
			  const struct kvm_userspace_memory_region *m)
{
	long r;

	pthread_mutex_lock(&vm->lock);
	r = set_region(vm, m);
	pthread_mutex_unlock(&vm->lock);
	return r;
}

/*
 * KVM_GET_DIRTY_LOG: copy the bitmap out and clear it. The running vCPUs
 * publish their stores first, so that a store is in this bitmap or, if it
 * comes after the harvest, in the next one.
 */
long sk_get_dirty_log(struct sk_vm *vm, struct kvm_dirty_log *log)
{
	unsigned id = log->slot & 0xffff;
	struct sk_memslot *s;
	long r = 0;

	if ((log->slot >> 16) != 0 || id >= SK_NR_MEMSLOTS)
		return -EINVAL;
	sk_run_dirty_sync(vm);
	pthread_mutex_lock(&vm->lock);
	s = &vm->slots[id];
	if (!s->used || !s->dirty) {
		r = -ENOENT;
	} else if (!log->dirty_bitmap) {
		r = -EFAULT;
	} else {
		sk_run_dirty_take(vm, s);
		memcpy(log->dirty_bitmap, s->dirty, bitmap_bytes(s));
		memset(s->dirty, 0, bitmap_bytes(s));
	}
	pthread_mutex_unlock(&vm->lock);
	return r;
}

static struct sk_memslot *find_slot(struct sk_vm *vm, uint64_t gpa)
{
	for (unsigned i = 0; i < SK_NR_MEMSLOTS; i++) {
		struct sk_memslot *s = &vm->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

uint8_t *sk_abs_ptr(struct sk_vm *vm, uint64_t gpa, uint64_t len)
{
	struct sk_memslot *s = find_slot(vm, gpa);

	if (!s || len > s->size - (gpa - s->gpa))
		return NULL;
	return s->host + (gpa - s->gpa);
}

void sk_mark_dirty_locked(struct sk_vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;

	if (!len)
		return;
	while (gpa < end) {
		struct sk_memslot *s = find_slot(vm, gpa);
		uint64_t stop;

		if (!s) {   /* skip to the next page */
			gpa = (gpa | (SK_PAGE - 1)) + 1;
			if (gpa == 0)
				break;
			continue;
		}
		stop = s->gpa + s->size < end ? s->gpa + s->size : end;
		if (s->dirty) {
			uint64_t first = (gpa - s->gpa) / SK_PAGE;
			uint64_t last = (stop - 1 - s->gpa) / SK_PAGE;

			for (uint64_t p = first; p <= last; p++)
				s->dirty[p / 64] |= 1ULL << (p % 64);
		}
		gpa = stop;
	}
}

void softkvm_mark_dirty(struct sk_vm *vm, uint64_t gpa, uint64_t len)
{
	pthread_mutex_lock(&vm->lock);
	sk_mark_dirty_locked(vm, gpa, len);
	pthread_mutex_unlock(&vm->lock);
}

/* Walk [gpa, gpa+len) slot by slot; false at the first unbacked byte. */
static bool abs_copy(struct sk_vm *vm, uint64_t gpa, uint8_t *buf,
		     uint64_t len, bool write)
{
	while (len) {
		struct sk_memslot *s = find_slot(vm, gpa);
		uint64_t off, n;

		if (!s)
			return false;
		off = gpa - s->gpa;
		n = s->size - off < len ? s->size - off : len;
		if (write) {
			memcpy(s->host + off, buf, n);
			sk_mark_dirty_locked(vm, gpa, n);
		} else {
			memcpy(buf, s->host + off, n);
		}
		gpa += n;
		buf += n;
		len -= n;
	}
	return true;
}

bool sk_abs_write(struct sk_vm *vm, uint64_t gpa, const void *buf,
		  uint64_t len)
{
	if (gpa + len < gpa)
		return false;
	return abs_copy(vm, gpa, (uint8_t *)(uintptr_t)buf, len, true);
}

bool sk_abs_read(struct sk_vm *vm, uint64_t gpa, void *buf, uint64_t len)
{
	if (gpa + len < gpa)
		return false;
	return abs_copy(vm, gpa, buf, len, false);
}

/* ------------------------------------------------------------------------ */
/* Storage keys                                                             */
/* ------------------------------------------------------------------------ */

int sk_skeys_enable_locked(struct sk_vm *vm)
{
	if (vm->skeys_enabled)
		return 0;
	for (unsigned i = 0; i < SK_NR_MEMSLOTS; i++) {
		struct sk_memslot *s = &vm->slots[i];

		if (!s->used || s->keys)
			continue;
		s->keys = calloc(1, slot_pages(s));
		if (!s->keys)
			return -ENOMEM;
	}
	vm->skeys_enabled = true;
	return 0;
}

/*
 * The key of a page: the interpreter's copy for the slot it runs on (the
 * one its key instructions and R/C updates see), else the slot's own.
 * Accessed atomically: running vCPUs update R and C. [F]
 */
static uint8_t *key_of(struct sk_vm *vm, uint64_t gfn)
{
	struct sk_memslot *s;
	uint8_t *keys;

	if (gfn > UINT64_MAX / SK_PAGE)
		return NULL;
	s = find_slot(vm, gfn * SK_PAGE);
	if (!s)
		return NULL;
	keys = sk_run_keys(vm, s);
	if (!keys)
		keys = s->keys;
	return keys ? &keys[(gfn * SK_PAGE - s->gpa) / SK_PAGE] : NULL;
}

/* KVM_S390_GET_SKEYS: 1 if the guest never used keys, else 0. */
long sk_get_skeys(struct sk_vm *vm, const struct kvm_s390_skeys *a)
{
	uint8_t *out = (uint8_t *)(uintptr_t)a->skeydata_addr;
	uint8_t *tmp;
	long r = 0;

	if (a->flags)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	if (!vm->skeys_enabled && !sk_run_keys_used(vm)) {
		pthread_mutex_unlock(&vm->lock);
		return KVM_S390_GET_SKEYS_NONE;
	}
	/* a key instruction switched keys on for good, as in the kernel */
	r = sk_skeys_enable_locked(vm);
	pthread_mutex_unlock(&vm->lock);
	if (r < 0)
		return r;
	if (a->count < 1 || a->count > KVM_S390_SKEYS_MAX)
		return -EINVAL;
	tmp = malloc(a->count);
	if (!tmp)
		return -ENOMEM;
	pthread_mutex_lock(&vm->lock);
	for (uint64_t i = 0; i < a->count; i++) {
		uint8_t *k = key_of(vm, a->start_gfn + i);

		if (!k) {
			r = -EFAULT;
			break;
		}
		tmp[i] = __atomic_load_n(k, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
	if (r == 0) {
		if (out)
			memcpy(out, tmp, a->count);
		else
			r = -EFAULT;
	}
	free(tmp);
	return r;
}

/* KVM_S390_SET_SKEYS: enables keys, then sets until the first error. */
long sk_set_skeys(struct sk_vm *vm, const struct kvm_s390_skeys *a)
{
	const uint8_t *in = (const uint8_t *)(uintptr_t)a->skeydata_addr;
	long r;

	if (a->flags)
		return -EINVAL;
	if (a->count < 1 || a->count > KVM_S390_SKEYS_MAX)
		return -EINVAL;
	if (!in)
		return -EFAULT;
	pthread_mutex_lock(&vm->lock);
	r = sk_skeys_enable_locked(vm);
	for (uint64_t i = 0; r == 0 && i < a->count; i++) {
		uint8_t *k = key_of(vm, a->start_gfn + i);

		if (!k)
			r = -EFAULT;
		else if (in[i] & 0x01)
			r = -EINVAL;
		else
			__atomic_store_n(k, in[i], __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&vm->lock);
	return r;
}
