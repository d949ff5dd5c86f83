// SPDX-License-Identifier: MIT
/*
 * The VM: bring-up through hv_ioctl (spec 1.3), the main thread (console
 * input, machine resets, the end), pause/resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accel.h"
#include "bswap.h"
#include "control.h"
#include "diag.h"
#include "hv.h"
#include "log.h"
#include "status.h"
#include "vm.h"

#define KVM_API 12

static int hv_err(const char *what)
{
	int e = errno;

	log_error("%s: %s", what, strerror(e));
	return -e;
}

static int enable_cap(struct vm *vm, uint32_t cap, const char *name)
{
	struct kvm_enable_cap ec = { .cap = cap };

	if (hv_ioctl(vm->vm_fd, KVM_ENABLE_CAP, (unsigned long)&ec) < 0)
		return hv_err(name);
	return 0;
}

static int vcpu_create(struct vm *vm, struct vcpu *cpu, unsigned id)
{
	char what[64];
	int fd;

	cpu->vm = vm;
	cpu->id = id;
	cpu->fd = -1;
	cpu->stopped = true;
	fd = hv_ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (fd < 0) {
		snprintf(what, sizeof(what), "KVM_CREATE_VCPU %u", id);
		return hv_err(what);
	}
	cpu->fd = fd;
	cpu->run = mmap(NULL, (size_t)vm->run_size, PROT_READ | PROT_WRITE,
			MAP_SHARED, fd, 0);
	if (cpu->run == MAP_FAILED) {
		cpu->run = NULL;
		snprintf(what, sizeof(what), "mmap of vCPU %u", id);
		return hv_err(what);
	}
	if (hv_ioctl(fd, KVM_S390_INITIAL_RESET, 0) < 0) {
		snprintf(what, sizeof(what), "KVM_S390_INITIAL_RESET of vCPU %u", id);
		return hv_err(what);
	}
	return 0;
}

/* The boot CPU at the image's start, the others stopped (spec 6.3). */
static int vm_boot_cpus(struct vm *vm)
{
	for (unsigned i = 0; i < vm->ncpus; i++) {
		struct vcpu *cpu = &vm->cpus[i];
		bool boot = i == 0;
		int r;

		if (boot) {
			cpu->run->psw_mask = PSW_MASK_64;
			cpu->run->psw_addr = vm->img->start_addr;
		}
		r = vcpu_set_mp_state(cpu, boot ? KVM_MP_STATE_OPERATING :
						  KVM_MP_STATE_STOPPED);
		if (r) {
			errno = -r;
			return hv_err("KVM_SET_MP_STATE");
		}
		cpu->stopped = !boot;
		cpu->disabled_wait = false;
		cpu->sigp_order = 0;
	}
	return 0;
}

int vm_create_machine(struct vm *vm, const struct zvmm_config *cfg,
		      enum accel_kind accel, struct guest_mem *gm,
		      struct elf_image *img)
{
	struct kvm_userspace_memory_region slot = { 0 };
	struct kvm_create_device flic = { .type = KVM_DEV_TYPE_FLIC };
	struct sclp_config scfg;
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->mem = gm;
	vm->img = img;
	vm->accel = accel;
	vm->ncpus = cfg->cpus;
	vm->sys_fd = vm->vm_fd = vm->flic_fd = -1;
	vm->wake_pipe[0] = vm->wake_pipe[1] = -1;
	vm->exit_line_code = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	pthread_mutex_init(&vm->sigp_lock, NULL);
	pthread_mutex_init(&vm->sclp_lock, NULL);

	vm->sclp = calloc(1, sizeof(*vm->sclp));
	vm->cpus = calloc(vm->ncpus, sizeof(*vm->cpus));
	vm->iplb = calloc(1, DIAG308_IPLB_SIZE);
	if (!vm->sclp || !vm->cpus || !vm->iplb) {
		log_error("out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < vm->ncpus; i++)
		vm->cpus[i].fd = -1;
	sclp_config_default(&scfg, gm->size, vm->ncpus, vm->ncpus);
	if (sclp_init(vm->sclp, &scfg, console_output, vm)) {
		log_error("SCLP: cannot describe %u CPUs", vm->ncpus);
		return -EINVAL;
	}
	if (pipe2(vm->wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return hv_err("pipe");

	vm->sys_fd = hv_open(accel);
	if (vm->sys_fd < 0)
		return hv_err(accel == ACCEL_KVM ? "open " KVM_DEVICE_PATH :
						   "softkvm_open");
	r = hv_ioctl(vm->sys_fd, KVM_GET_API_VERSION, 0);
	if (r != KVM_API) {
		log_error("KVM API version %d, expected %d", r, KVM_API);
		return -ENODEV;
	}
	vm->vm_fd = hv_ioctl(vm->sys_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return hv_err("KVM_CREATE_VM");
	if ((r = enable_cap(vm, KVM_CAP_S390_USER_SIGP, "KVM_CAP_S390_USER_SIGP")) ||
	    (r = enable_cap(vm, KVM_CAP_S390_USER_STSI, "KVM_CAP_S390_USER_STSI")))
		return r;
	slot.slot = 0;
	slot.guest_phys_addr = 0;
	slot.memory_size = gm->size;
	slot.userspace_addr = (uint64_t)(uintptr_t)gm->base;
	if (hv_ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, (unsigned long)&slot) < 0)
		return hv_err("KVM_SET_USER_MEMORY_REGION");
	if (hv_ioctl(vm->vm_fd, KVM_CREATE_DEVICE, (unsigned long)&flic) < 0)
		return hv_err("KVM_CREATE_DEVICE (FLIC)");
	vm->flic_fd = (int)flic.fd;
	vm->run_size = hv_ioctl(vm->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (long)sizeof(struct kvm_run))
		return hv_err("KVM_GET_VCPU_MMAP_SIZE");
	for (unsigned i = 0; i < vm->ncpus; i++) {
		r = vcpu_create(vm, &vm->cpus[i], i);
		if (r)
			return r;
	}
	return 0;
}

int vm_create(struct vm *vm, const struct zvmm_config *cfg,
	      enum accel_kind accel, struct guest_mem *gm,
	      struct elf_image *img)
{
	int r = vm_create_machine(vm, cfg, accel, gm, img);

	return r ? r : vm_boot_cpus(vm);
}

void vm_destroy(struct vm *vm)
{
	if (vm->stuck)
		return;	/* a thread may still use it all; the process ends */
	if (vm->cpus) {
		for (unsigned i = 0; i < vm->ncpus; i++) {
			struct vcpu *cpu = &vm->cpus[i];

			if (cpu->run)
				munmap(cpu->run, (size_t)vm->run_size);
			if (cpu->fd >= 0)
				hv_close(cpu->fd);
		}
	}
	if (vm->flic_fd >= 0)
		hv_close(vm->flic_fd);
	if (vm->vm_fd >= 0)
		hv_close(vm->vm_fd);
	if (vm->sys_fd >= 0)
		hv_close(vm->sys_fd);
	for (int i = 0; i < 2; i++)
		if (vm->wake_pipe[i] >= 0)
			close(vm->wake_pipe[i]);
	free(vm->cpus);
	free(vm->sclp);
	free(vm->iplb);
	vm->cpus = NULL;
	vm->sclp = NULL;
	vm->iplb = NULL;
}

struct vcpu *vm_cpu_by_addr(struct vm *vm, uint64_t addr)
{
	return addr < vm->ncpus ? &vm->cpus[addr] : NULL;
}

unsigned vm_running_cpus_locked(const struct vm *vm)
{
	unsigned n = 0;

	for (unsigned i = 0; i < vm->ncpus; i++)
		if (!vm->cpus[i].stopped && !vm->cpus[i].disabled_wait)
			n++;
	return n;
}

int guest_exit_code(uint64_t addr)
{
	if ((addr & 0xfff) == 0xfff)
		return 0;
	if ((addr & 0xfff) == 0xeee && (addr >> 12) >= 1 && (addr >> 12) <= 255)
		return (int)(addr >> 12);
	return -1;
}

uint64_t vm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void vm_wake_main(struct vm *vm)
{
	char c = 1;

	(void)!write(vm->wake_pipe[1], &c, 1);
}

void vm_end_locked(struct vm *vm, int code)
{
	if (!vm->over) {
		vm->over = true;
		vm->exit_code = code;
	}
	for (unsigned i = 0; i < vm->ncpus; i++)
		vcpu_kick(&vm->cpus[i]);
	pthread_cond_broadcast(&vm->cond);
	vm_wake_main(vm);
}

void vm_end(struct vm *vm, int code)
{
	pthread_mutex_lock(&vm->lock);
	vm_end_locked(vm, code);
	pthread_mutex_unlock(&vm->lock);
}

int vm_inject_service(struct vm *vm, uint32_t param)
{
	struct kvm_s390_interrupt irq = {
		.type = KVM_S390_INT_SERVICE, .parm = param,
	};

	if (hv_ioctl(vm->vm_fd, KVM_S390_INTERRUPT, (unsigned long)&irq) < 0)
		return hv_err("KVM_S390_INTERRUPT (service signal)");
	return 0;
}

static bool all_parked_locked(const struct vm *vm)
{
	for (unsigned i = 0; i < vm->ncpus; i++) {
		const struct vcpu *cpu = &vm->cpus[i];

		if (cpu->has_thread && !cpu->parked && !cpu->exited)
			return false;
	}
	return true;
}

void vm_pause(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	vm->pause_count++;
	for (unsigned i = 0; i < vm->ncpus; i++)
		vcpu_kick(&vm->cpus[i]);
	while (!all_parked_locked(vm))
		pthread_cond_wait(&vm->cond, &vm->lock);
	pthread_mutex_unlock(&vm->lock);
}

void vm_resume(struct vm *vm)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->pause_count)
		vm->pause_count--;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

void vm_request_reset(struct vm *vm, enum vm_reset_kind kind, unsigned cpu)
{
	pthread_mutex_lock(&vm->lock);
	if (vm->reset_req == VM_RESET_NONE) {
		vm->reset_req = kind;
		vm->reset_cpu = cpu;
		/* Hold everybody, the asking CPU included, until it is done. */
		vm->pause_count++;
	}
	pthread_cond_broadcast(&vm->cond);
	vm_wake_main(vm);
	pthread_mutex_unlock(&vm->lock);
}

/* Load-normal (QEMU s390_cpu_load_normal): the short PSW at absolute 0. */
static void load_normal_psw(struct vm *vm, struct kvm_run *run)
{
	uint64_t spsw = get_be64(vm->mem->base);

	run->psw_mask = (spsw & 0xffffffff80000000ULL) ^ 0x0008000000000000ULL;
	run->psw_addr = spsw & 0x7fffffffULL;
}

int vm_do_reset(struct vm *vm, enum vm_reset_kind kind, unsigned who)
{
	struct kvm_device_attr clr = { .group = KVM_DEV_FLIC_CLEAR_IRQS };
	unsigned boot = (kind == VM_RESET_REIPL ||
			 kind == VM_RESET_REIPL_CLEAR) ? 0 : who;

	for (unsigned i = 0; i < vm->ncpus; i++) {
		struct vcpu *cpu = &vm->cpus[i];
		unsigned long req = KVM_S390_CLEAR_RESET;

		if (kind == VM_RESET_LOAD_NORMAL)
			req = i == who ? KVM_S390_INITIAL_RESET :
					 KVM_S390_NORMAL_RESET;
		if (hv_ioctl(cpu->fd, req, 0) < 0 &&
		    hv_ioctl(cpu->fd, KVM_S390_INITIAL_RESET, 0) < 0)
			return hv_err("vCPU reset");
		if (vcpu_set_mp_state(cpu, KVM_MP_STATE_STOPPED))
			return hv_err("KVM_SET_MP_STATE");
		cpu->stopped = true;
		cpu->disabled_wait = false;
		cpu->sigp_order = 0;
	}
	if (hv_ioctl(vm->flic_fd, KVM_SET_DEVICE_ATTR, (unsigned long)&clr) < 0)
		return hv_err("FLIC CLEAR_IRQS");
	pthread_mutex_lock(&vm->sclp_lock);
	sclp_reset(vm->sclp);
	vm->wdt.enabled = false;	/* a reset stops the watchdog (QEMU) */
	pthread_mutex_unlock(&vm->sclp_lock);

	if (kind == VM_RESET_REIPL || kind == VM_RESET_REIPL_CLEAR) {
		int r;

		/* Load clear clears storage; load normal keeps it. */
		if (kind == VM_RESET_REIPL_CLEAR)
			guest_mem_clear(vm->mem);
		r = elf_load_file(vm->cfg->kernel, vm->mem->base, vm->mem->size,
				  vm->img);
		if (r)
			return r;
		vm->cpus[boot].run->psw_mask = PSW_MASK_64;
		vm->cpus[boot].run->psw_addr = vm->img->start_addr;
	} else {
		load_normal_psw(vm, vm->cpus[boot].run);
	}
	if (vcpu_set_mp_state(&vm->cpus[boot], KVM_MP_STATE_OPERATING))
		return hv_err("KVM_SET_MP_STATE");
	vm->cpus[boot].stopped = false;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The main thread                                                     */

static bool stdin_usable(void)
{
	struct stat st;

	if (isatty(STDIN_FILENO))
		return true;
	return fstat(STDIN_FILENO, &st) == 0 &&
	       (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* Hand console input to the SCLP; returns how many bytes it took. */
static size_t console_feed(struct vm *vm, const uint8_t *buf, size_t len)
{
	struct sclp_result res = { 0 };
	size_t took;

	pthread_mutex_lock(&vm->sclp_lock);
	took = sclp_console_input(vm->sclp, buf, len, &res);
	pthread_mutex_unlock(&vm->sclp_lock);
	if (res.raise)
		vm_inject_service(vm, res.param);
	return took;
}

/*
 * The DIAG 288 watchdog: when it expires, its action (0: re-IPL, as
 * QEMU's default watchdog action "reset") is requested. Returns the
 * poll() timeout in ms until the deadline, or -1 when it is not armed.
 */
static int watchdog_poll(struct vm *vm)
{
	uint64_t now = vm_now_ns(), left;
	bool expired = false;
	int ms = -1;

	pthread_mutex_lock(&vm->sclp_lock);
	if (vm->wdt.enabled) {
		if (now >= vm->wdt.deadline_ns) {
			vm->wdt.enabled = false;
			expired = true;
		} else {
			left = (vm->wdt.deadline_ns - now + 999999) / 1000000;
			ms = left > 60000 ? 60000 : (int)left;
		}
	}
	pthread_mutex_unlock(&vm->sclp_lock);
	if (expired) {
		log_warn("the guest's DIAG 288 watchdog expired: re-IPL");
		vm_request_reset(vm, VM_RESET_REIPL, 0);
		return 0;
	}
	return ms;
}

static void vm_main_loop(struct vm *vm)
{
	uint8_t in[SCLP_VT220_BUF];
	size_t in_off = 0, in_len = 0;
	bool use_stdin = stdin_usable();

	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = vm->wake_pipe[0], .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = -1 },
		};
		enum vm_reset_kind reset;
		unsigned who;
		char drain[64];
		int n, timeout, ctl_ms;

		pthread_mutex_lock(&vm->lock);
		if (vm->over) {
			pthread_mutex_unlock(&vm->lock);
			return;
		}
		reset = vm->reset_req;
		who = vm->reset_cpu;
		pthread_mutex_unlock(&vm->lock);
		if (reset != VM_RESET_NONE) {
			int r;

			vm_pause(vm);
			pthread_mutex_lock(&vm->lock);
			r = vm_do_reset(vm, reset, who);
			vm->reset_req = VM_RESET_NONE;
			pthread_mutex_unlock(&vm->lock);
			if (r) {
				log_error("machine reset failed");
				vm_end(vm, ZVMM_EXIT_HV_FAILURE);
			}
			vm_resume(vm);	/* the requester's hold */
			vm_resume(vm);	/* ours */
			continue;
		}
		if (in_len > in_off) {
			in_off += console_feed(vm, in + in_off, in_len - in_off);
			if (in_off == in_len)
				in_off = in_len = 0;
		}
		timeout = watchdog_poll(vm);
		if (in_len && (timeout < 0 || timeout > 20))
			timeout = 20;
		if (vm->control) {
			control_pollfd(vm->control, &pfd[2]);
			ctl_ms = control_timeout_ms(vm->control);
			if (ctl_ms >= 0 && (timeout < 0 || ctl_ms < timeout))
				timeout = ctl_ms;
		}
		if (!use_stdin || in_len)
			pfd[1].fd = -1;
		n = poll(pfd, 3, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (vm->control && n >= 0)
			control_service(vm->control, vm, pfd[2].revents);
		if (pfd[0].revents)
			while (read(vm->wake_pipe[0], drain, sizeof(drain)) > 0)
				;
		if (use_stdin && in_len == 0 && pfd[1].revents) {
			ssize_t got = read(STDIN_FILENO, in, sizeof(in));

			if (got > 0) {
				in_len = (size_t)got;
				in_off = 0;
			} else if (got == 0 || errno != EINTR) {
				use_stdin = false;	/* EOF: fine */
			}
		}
	}
}

static void vm_join(struct vm *vm)
{
	struct timespec until;
	bool all = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 2;
	pthread_mutex_lock(&vm->lock);
	for (;;) {
		all = true;
		for (unsigned i = 0; i < vm->ncpus; i++)
			if (vm->cpus[i].has_thread && !vm->cpus[i].exited)
				all = false;
		if (all || pthread_cond_timedwait(&vm->cond, &vm->lock, &until))
			break;
	}
	pthread_mutex_unlock(&vm->lock);
	if (!all) {
		log_warn("a vCPU did not leave KVM_RUN; not waiting for it");
		vm->stuck = true;
		return;
	}
	for (unsigned i = 0; i < vm->ncpus; i++)
		if (vm->cpus[i].has_thread) {
			pthread_join(vm->cpus[i].thread, NULL);
			vm->cpus[i].has_thread = false;
		}
}

int vm_start(struct vm *vm)
{
	sigset_t all, old;

	if (vcpu_kick_init())
		return ZVMM_EXIT_OSERR;
	/* A closed stdout is a console error, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);
	/* vCPU threads start with every signal but the kick blocked;
	 * SIGSYS stays open for seccomp's report (seccomp-filter.c). */
	sigfillset(&all);
	sigdelset(&all, SIGSYS);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (unsigned i = 0; i < vm->ncpus; i++) {
		struct vcpu *cpu = &vm->cpus[i];
		int r;

		pthread_mutex_lock(&vm->lock);
		r = pthread_create(&cpu->thread, NULL, vcpu_thread, cpu);
		cpu->has_thread = r == 0;
		pthread_mutex_unlock(&vm->lock);
		if (r) {
			log_error("cannot start the thread of vCPU %u: %s", i,
				  strerror(r));
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			vm_end(vm, ZVMM_EXIT_OSERR);
			vm_join(vm);
			return ZVMM_EXIT_OSERR;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}

int vm_wait_end(struct vm *vm)
{
	int code;

	vm_main_loop(vm);
	vm_join(vm);
	pthread_mutex_lock(&vm->lock);
	code = vm->exit_code;
	pthread_mutex_unlock(&vm->lock);
	return code;
}

int vm_run(struct vm *vm)
{
	int r = vm_start(vm);

	return r ? r : vm_wait_end(vm);
}
