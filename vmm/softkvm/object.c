// SPDX-License-Identifier: MIT
/*
 * softkvm objects and their file descriptors: the fd table, the system
 * fd's ioctls, KVM_CHECK_EXTENSION, and the dispatch to VM, vCPU and
 * device code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "softkvm/softkvm.h"

/*
 * One entry per live fd. The inode identifies the memfd, so an fd number
 * closed with close(2) and reused for something else is recognised as
 * stale instead of being taken for the old object.
 */
struct sk_entry {
	int fd;
	int kind;
	dev_t dev;
	ino_t ino;
	struct sk_vm *vm;   /* VM, vCPU, FLIC: holds one VM reference */
	void *obj;          /* struct sk_vcpu * for a vCPU */
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sk_entry *table;
static size_t table_len, table_cap;

void sk_vm_get(struct sk_vm *vm)
{
	__atomic_add_fetch(&vm->refs, 1, __ATOMIC_RELAXED);
}

void sk_vm_put(struct sk_vm *vm)
{
	if (__atomic_sub_fetch(&vm->refs, 1, __ATOMIC_ACQ_REL) == 0)
		sk_vm_destroy(vm);
}

int sk_new_fd(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (size && ftruncate(fd, (off_t)size) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Drop entry i. [table_lock] Returns the VM reference to put. */
static struct sk_vm *table_remove(size_t i)
{
	struct sk_vm *vm = table[i].vm;

	table[i] = table[--table_len];
	return vm;
}

int sk_register(int fd, int kind, struct sk_vm *vm, void *obj)
{
	struct stat st;
	struct sk_entry *n;

	if (fstat(fd, &st) < 0)
		return -errno;
	pthread_mutex_lock(&table_lock);
	if (table_len == table_cap) {
		size_t cap = table_cap ? table_cap * 2 : 16;

		n = realloc(table, cap * sizeof(*n));
		if (!n) {
			pthread_mutex_unlock(&table_lock);
			return -ENOMEM;
		}
		table = n;
		table_cap = cap;
	}
	table[table_len++] = (struct sk_entry){ fd, kind, st.st_dev, st.st_ino,
						vm, obj };
	pthread_mutex_unlock(&table_lock);
	return 0;
}

/*
 * Find fd; on success *e is a copy and, for VM-bound objects, a VM
 * reference is taken for the caller. Stale entries are dropped.
 */
static bool lookup(int fd, struct sk_entry *e)
{
	struct stat st;
	struct sk_vm *stale = NULL;
	bool found = false;
	bool have_st = fstat(fd, &st) == 0;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < table_len; i++) {
		if (table[i].fd != fd)
			continue;
		if (!have_st || st.st_dev != table[i].dev ||
		    st.st_ino != table[i].ino) {
			stale = table_remove(i);
			break;
		}
		*e = table[i];
		if (e->vm)
			sk_vm_get(e->vm);
		found = true;
		break;
	}
	pthread_mutex_unlock(&table_lock);
	if (stale)
		sk_vm_put(stale);
	return found;
}

bool softkvm_owns(int fd)
{
	struct sk_entry e;

	if (!lookup(fd, &e))
		return false;
	if (e.vm)
		sk_vm_put(e.vm);
	return true;
}

struct sk_vcpu *sk_lookup_vcpu(int fd)
{
	struct sk_entry e;

	if (!lookup(fd, &e))
		return NULL;
	if (e.vm)
		sk_vm_put(e.vm);
	return e.kind == SK_VCPU ? e.obj : NULL;
}

struct sk_vm *sk_lookup_vm(int fd)
{
	struct sk_entry e;

	if (!lookup(fd, &e))
		return NULL;
	if (e.vm)
		sk_vm_put(e.vm);
	return e.kind == SK_VM ? e.vm : NULL;
}

int softkvm_open(void)
{
	int fd = sk_new_fd("softkvm", 0);
	int r;

	if (fd < 0)
		return fd;
	r = sk_register(fd, SK_SYS, NULL, NULL);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int softkvm_close(int fd)
{
	struct sk_vm *vm = NULL;
	bool found = false;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < table_len; i++) {
		if (table[i].fd == fd) {
			vm = table_remove(i);
			found = true;
			break;
		}
	}
	pthread_mutex_unlock(&table_lock);
	if (close(fd) < 0 && !found)
		return -errno;
	if (vm)
		sk_vm_put(vm);
	return 0;
}

/*
 * KVM_CHECK_EXTENSION, system and VM fd alike: only what softkvm really
 * implements (docs/softkvm.md has the list).
 */
long sk_check_extension(unsigned long cap)
{
	long ncpu;

	switch (cap) {
	case KVM_CAP_USER_MEMORY:
	case KVM_CAP_SYNC_MMU:
	case KVM_CAP_MP_STATE:
	case KVM_CAP_S390_PSW:
	case KVM_CAP_ONE_REG:
	case KVM_CAP_DEVICE_CTRL:
	case KVM_CAP_VM_ATTRIBUTES:
	case KVM_CAP_CHECK_EXTENSION_VM:
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_ENABLE_CAP:
	case KVM_CAP_ENABLE_CAP_VM:
	case KVM_CAP_SYNC_REGS:
	case KVM_CAP_S390_USER_SIGP:
	case KVM_CAP_S390_USER_STSI:
	case KVM_CAP_S390_USER_INSTR0:
	case KVM_CAP_S390_SKEYS:
	case KVM_CAP_S390_INJECT_IRQ:
	case KVM_CAP_S390_IRQ_STATE:
	case KVM_CAP_S390_VCPU_RESETS:
		return 1;
	case KVM_CAP_S390_MEM_OP:
		return SK_MEMOP_MAX;
	case KVM_CAP_NR_MEMSLOTS:
		return SK_NR_MEMSLOTS;
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_MAX_VCPU_ID:
		return SK_MAX_VCPUS;
	case KVM_CAP_NR_VCPUS:
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		if (ncpu < 1)
			ncpu = 1;
		return ncpu < SK_MAX_VCPUS ? ncpu : SK_MAX_VCPUS;
	default:
		return 0;
	}
}

/* The system fd. Unknown requests: -EINVAL (s390's kvm_arch_dev_ioctl). */
static long sys_ioctl(unsigned long req, unsigned long arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CREATE_VM:
		return sk_create_vm(arg);
	case KVM_CHECK_EXTENSION:
		return sk_check_extension(arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : SK_RUN_SIZE;
	case KVM_S390_ENABLE_SIE:
		return 0;
	default:
		return -EINVAL;
	}
}

bool softkvm_try_ioctl(int fd, unsigned long req, unsigned long arg,
		       long *res)
{
	struct sk_entry e;
	long r;

	if (!lookup(fd, &e))
		return false;
	switch (e.kind) {
	case SK_SYS:
		r = sys_ioctl(req, arg);
		break;
	case SK_VM:
		r = sk_vm_ioctl(e.vm, req, arg);
		break;
	case SK_VCPU:
		r = sk_vcpu_ioctl(e.obj, req, arg);
		break;
	case SK_FLIC:
		r = sk_flic_ioctl(e.vm, req, arg);
		break;
	default:
		r = -ENOTTY;
		break;
	}
	if (e.vm)
		sk_vm_put(e.vm);
	*res = r;
	return true;
}

long softkvm_ioctl(int fd, unsigned long req, unsigned long arg)
{
	long r;

	return softkvm_try_ioctl(fd, req, arg, &r) ? r : -EBADF;
}
