// SPDX-License-Identifier: MIT
/*
 * --trace (trace.h): the line writer and the decoders that turn the
 * numbers of the KVM ABI into names: ioctl requests and their arguments,
 * exit reasons, intercept codes, SCLP commands, SIGP orders, interrupt
 * types.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sclp.h"
#include "sigp.h"
#include "trace.h"
#include "vm.h"

unsigned trace_mask;

static uint64_t trace_start_ns;
static _Thread_local char thread_name[12] = "main";

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void trace_enable(unsigned bits)
{
	trace_mask = bits;
	trace_start_ns = mono_ns();
}

void trace_set_cpu(unsigned id)
{
	snprintf(thread_name, sizeof(thread_name), "cpu%u", id);
}

static void write_all(const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(STDERR_FILENO, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void trace_line(const char *fmt, ...)
{
	char buf[512];
	uint64_t us = (mono_ns() - trace_start_ns) / 1000;
	int saved = errno;
	size_t n, room;
	va_list ap;
	int m;

	n = (size_t)snprintf(buf, sizeof(buf), "[%4llu.%03llu] %s ",
			     (unsigned long long)(us / 1000),
			     (unsigned long long)(us % 1000), thread_name);
	room = sizeof(buf) - n - 1;	/* one byte kept for the newline */
	va_start(ap, fmt);
	m = vsnprintf(buf + n, room, fmt, ap);
	va_end(ap);
	if (m > 0)
		n += (size_t)m < room ? (size_t)m : room - 1;
	buf[n++] = '\n';
	write_all(buf, n);
	errno = saved;
}

/* ------------------------------------------------------------------ */
/* Names of numbers                                                    */

struct name {
	unsigned long num;
	const char *name;
};

static const char *lookup(const struct name *t, size_t n, unsigned long num,
			  const char *unknown)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].num == num)
			return t[i].name;
	return unknown;
}

#define LOOKUP(table, num, unknown) \
	lookup(table, ARRAY_SIZE(table), (unsigned long)(num), unknown)
#define N(x) { x, #x }

static const struct name ioctl_names[] = {
	N(KVM_GET_API_VERSION), N(KVM_CREATE_VM), N(KVM_CHECK_EXTENSION),
	N(KVM_GET_VCPU_MMAP_SIZE), N(KVM_S390_ENABLE_SIE),
	N(KVM_CREATE_VCPU), N(KVM_GET_DIRTY_LOG),
	N(KVM_SET_USER_MEMORY_REGION), N(KVM_CREATE_IRQCHIP),
	N(KVM_SET_GSI_ROUTING), N(KVM_IRQFD), N(KVM_IOEVENTFD),
	N(KVM_S390_INTERRUPT), N(KVM_ENABLE_CAP), N(KVM_S390_MEM_OP),
	N(KVM_S390_GET_SKEYS), N(KVM_S390_SET_SKEYS),
	N(KVM_S390_GET_CMMA_BITS), N(KVM_S390_SET_CMMA_BITS),
	N(KVM_CLEAR_DIRTY_LOG), N(KVM_CREATE_DEVICE),
	N(KVM_SET_DEVICE_ATTR), N(KVM_GET_DEVICE_ATTR),
	N(KVM_HAS_DEVICE_ATTR), N(KVM_RUN), N(KVM_GET_REGS),
	N(KVM_SET_REGS), N(KVM_GET_SREGS), N(KVM_SET_SREGS),
	N(KVM_SET_SIGNAL_MASK), N(KVM_GET_FPU), N(KVM_SET_FPU),
	N(KVM_S390_STORE_STATUS), N(KVM_S390_SET_INITIAL_PSW),
	N(KVM_S390_INITIAL_RESET), N(KVM_GET_MP_STATE),
	N(KVM_SET_MP_STATE), N(KVM_SET_GUEST_DEBUG), N(KVM_GET_ONE_REG),
	N(KVM_SET_ONE_REG), N(KVM_S390_IRQ), N(KVM_S390_SET_IRQ_STATE),
	N(KVM_S390_GET_IRQ_STATE), N(KVM_S390_NORMAL_RESET),
	N(KVM_S390_CLEAR_RESET),
};

const char *trace_ioctl_name(unsigned long req)
{
	return LOOKUP(ioctl_names, req, "unknown ioctl");
}

static const struct name exit_names[] = {
	{ KVM_EXIT_UNKNOWN, "UNKNOWN" }, { KVM_EXIT_DEBUG, "DEBUG" },
	{ KVM_EXIT_FAIL_ENTRY, "FAIL_ENTRY" }, { KVM_EXIT_INTR, "INTR" },
	{ KVM_EXIT_S390_SIEIC, "S390_SIEIC" },
	{ KVM_EXIT_S390_RESET, "S390_RESET" },
	{ KVM_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR" },
	{ KVM_EXIT_S390_UCONTROL, "S390_UCONTROL" },
	{ KVM_EXIT_S390_TSCH, "S390_TSCH" },
	{ KVM_EXIT_S390_STSI, "S390_STSI" },
};

const char *trace_exit_name(uint32_t reason)
{
	return LOOKUP(exit_names, reason, "unknown");
}

/* The SIE interception codes (spec 2.8). */
static const struct name icpt_names[] = {
	{ 0x04, "instruction" }, { 0x08, "program interruption" },
	{ 0x0c, "instruction and program interruption" },
	{ 0x10, "external request" }, { 0x14, "external interruption" },
	{ 0x18, "I/O request" }, { 0x1c, "wait state" },
	{ 0x20, "validity" }, { 0x28, "stop request" },
	{ 0x2c, "operation exception" }, { 0x38, "partial execution" },
	{ 0x40, "I/O instruction" },
};

const char *trace_icpt_name(uint8_t icpt)
{
	return LOOKUP(icpt_names, icpt, "unknown intercept");
}

static const struct name sclp_cmd_names[] = {
	{ SCLP_CMD_READ_CPU_INFO, "READ CPU INFO" },
	{ SCLP_CMD_READ_SCP_INFO, "READ SCP INFO" },
	{ SCLP_CMD_READ_SCP_INFO_FORCED, "READ SCP INFO FORCED" },
	{ SCLP_CMD_CONFIGURE_IOA, "CONFIGURE IOA" },
	{ SCLP_CMD_DECONFIGURE_IOA, "DECONFIGURE IOA" },
	{ SCLP_CMD_WRITE_EVENT_DATA, "WRITE EVENT DATA" },
	{ SCLP_CMD_READ_EVENT_DATA, "READ EVENT DATA" },
	{ SCLP_CMD_WRITE_EVENT_MASK, "WRITE EVENT MASK" },
};

const char *trace_sclp_cmd_name(uint32_t command)
{
	return LOOKUP(sclp_cmd_names, command & SCLP_CMD_MASK,
		      "unknown command");
}

static const struct name sclp_rc_names[] = {
	{ SCLP_RC_NORMAL_READ, "normal read" },
	{ SCLP_RC_NORMAL_COMPLETION, "normal completion" },
	{ SCLP_RC_BOUNDARY_VIOLATION, "boundary violation" },
	{ SCLP_RC_INVALID_COMMAND, "invalid command" },
	{ SCLP_RC_INSUFFICIENT_LENGTH, "insufficient SCCB length" },
	{ SCLP_RC_EQUIPMENT_CHECK, "equipment check" },
	{ SCLP_RC_ADAPTER_TYPE, "adapter type not recognized" },
	{ SCLP_RC_INVALID_FUNCTION, "invalid function code" },
	{ SCLP_RC_NO_EVENT_BUFFERS, "no event buffers stored" },
	{ SCLP_RC_INVALID_SELECTION, "invalid selection mask" },
	{ SCLP_RC_INCONSISTENT_LENGTHS, "inconsistent lengths" },
	{ SCLP_RC_EVENT_SYNTAX, "event buffer syntax error" },
	{ SCLP_RC_INVALID_MASK_LENGTH, "invalid mask length" },
};

const char *trace_sclp_rc_name(uint16_t rc)
{
	return LOOKUP(sclp_rc_names, rc, "unknown response");
}

static const struct name sigp_names[] = {
	{ SIGP_SENSE, "SENSE" }, { SIGP_EXTERNAL_CALL, "EXTERNAL CALL" },
	{ SIGP_EMERGENCY_SIGNAL, "EMERGENCY SIGNAL" },
	{ SIGP_START, "START" }, { SIGP_STOP, "STOP" },
	{ SIGP_RESTART, "RESTART" },
	{ SIGP_STOP_STORE_STATUS, "STOP AND STORE STATUS" },
	{ SIGP_INITIAL_CPU_RESET, "INITIAL CPU RESET" },
	{ SIGP_CPU_RESET, "CPU RESET" }, { SIGP_SET_PREFIX, "SET PREFIX" },
	{ SIGP_STORE_STATUS_AT_ADDRESS, "STORE STATUS AT ADDRESS" },
	{ SIGP_SET_ARCHITECTURE, "SET ARCHITECTURE" },
	{ SIGP_COND_EMERGENCY_SIGNAL, "CONDITIONAL EMERGENCY SIGNAL" },
	{ SIGP_SENSE_RUNNING, "SENSE RUNNING" },
	{ SIGP_SET_MULTITHREADING, "SET MULTITHREADING" },
	{ SIGP_STORE_ADDITIONAL_STATUS, "STORE ADDITIONAL STATUS" },
};

const char *trace_sigp_order_name(uint8_t order)
{
	return LOOKUP(sigp_names, order, "unknown order");
}

static const struct name irq_names[] = {
	{ KVM_S390_SIGP_STOP, "SIGP_STOP" },
	{ KVM_S390_PROGRAM_INT, "PROGRAM" },
	{ KVM_S390_SIGP_SET_PREFIX, "SIGP_SET_PREFIX" },
	{ KVM_S390_RESTART, "RESTART" },
	{ KVM_S390_INT_PFAULT_INIT, "PFAULT_INIT" },
	{ KVM_S390_INT_PFAULT_DONE, "PFAULT_DONE" },
	{ KVM_S390_MCHK, "MCHK" },
	{ KVM_S390_INT_CLOCK_COMP, "CLOCK_COMP" },
	{ KVM_S390_INT_CPU_TIMER, "CPU_TIMER" },
	{ KVM_S390_INT_VIRTIO, "VIRTIO" },
	{ KVM_S390_INT_SERVICE, "SERVICE" },
	{ KVM_S390_INT_EMERGENCY, "EMERGENCY" },
	{ KVM_S390_INT_EXTERNAL_CALL, "EXTERNAL_CALL" },
};

const char *trace_irq_name(uint64_t type)
{
	if (type <= KVM_S390_INT_IO_MAX)
		return "IO";
	return LOOKUP(irq_names, type, "unknown interrupt");
}

static const struct name pgm_names[] = {
	{ 0x01, "operation" }, { 0x02, "privileged operation" },
	{ 0x03, "execute" }, { 0x04, "protection" }, { 0x05, "addressing" },
	{ 0x06, "specification" }, { 0x07, "data" },
};

const char *trace_pgm_name(uint16_t code)
{
	return LOOKUP(pgm_names, code, "program check");
}

static const struct name mp_names[] = {
	{ KVM_MP_STATE_STOPPED, "STOPPED" },
	{ KVM_MP_STATE_CHECK_STOP, "CHECK_STOP" },
	{ KVM_MP_STATE_OPERATING, "OPERATING" },
	{ KVM_MP_STATE_LOAD, "LOAD" },
};

const char *trace_mp_state_name(uint32_t state)
{
	return LOOKUP(mp_names, state, "unknown state");
}

static const struct name cap_names[] = {
	{ KVM_CAP_S390_USER_SIGP, "S390_USER_SIGP" },
	{ KVM_CAP_S390_USER_STSI, "S390_USER_STSI" },
	{ KVM_CAP_S390_USER_INSTR0, "S390_USER_INSTR0" },
};

static const struct name flic_group_names[] = {
	{ KVM_DEV_FLIC_GET_ALL_IRQS, "GET_ALL_IRQS" },
	{ KVM_DEV_FLIC_ENQUEUE, "ENQUEUE" },
	{ KVM_DEV_FLIC_CLEAR_IRQS, "CLEAR_IRQS" },
	{ KVM_DEV_FLIC_APF_ENABLE, "APF_ENABLE" },
	{ KVM_DEV_FLIC_APF_DISABLE_WAIT, "APF_DISABLE_WAIT" },
	{ KVM_DEV_FLIC_ADAPTER_REGISTER, "ADAPTER_REGISTER" },
	{ KVM_DEV_FLIC_ADAPTER_MODIFY, "ADAPTER_MODIFY" },
	{ KVM_DEV_FLIC_CLEAR_IO_IRQ, "CLEAR_IO_IRQ" },
	{ KVM_DEV_FLIC_AISM, "AISM" },
	{ KVM_DEV_FLIC_AIRQ_INJECT, "AIRQ_INJECT" },
	{ KVM_DEV_FLIC_AISM_ALL, "AISM_ALL" },
};

static const struct name errno_names[] = {
	N(EINTR), N(EAGAIN), N(EINVAL), N(ENOMEM), N(EFAULT), N(EBUSY),
	N(EEXIST), N(ENOENT), N(ENXIO), N(ENOTTY), N(E2BIG), N(EPERM),
	N(EOPNOTSUPP), N(ENODEV), N(EBADF), N(ERANGE),
};

/* ------------------------------------------------------------------ */
/* Hypervisor fds                                                      */

/* What each small fd is: FD_* in the low byte, a vCPU id above it. */
enum { FD_NONE, FD_KVM, FD_VM, FD_FLIC, FD_CPU };
#define FD_TABLE 1024
static int fd_kinds[FD_TABLE];

static void fd_set_kind(int fd, int kind)
{
	if (fd >= 0 && fd < FD_TABLE)
		__atomic_store_n(&fd_kinds[fd], kind, __ATOMIC_RELAXED);
}

void trace_fd_kvm(int fd)
{
	fd_set_kind(fd, FD_KVM);
}

static const char *fd_name(int fd, char *buf, size_t size);

void trace_fd_closed(int fd, int ret, int err)
{
	char name[16];

	if (trace_on(TRACE_IOCTL)) {
		if (ret < 0)
			trace_line("%s: close -> -1 %s",
				   fd_name(fd, name, sizeof(name)),
				   strerror(err));
		else
			trace_line("%s: close -> 0",
				   fd_name(fd, name, sizeof(name)));
	}
	fd_set_kind(fd, FD_NONE);
}

static const char *fd_name(int fd, char *buf, size_t size)
{
	int k = fd >= 0 && fd < FD_TABLE ?
			__atomic_load_n(&fd_kinds[fd], __ATOMIC_RELAXED) : 0;

	switch (k & 0xff) {
	case FD_KVM: return "kvm";
	case FD_VM: return "vm";
	case FD_FLIC: return "flic";
	case FD_CPU:
		snprintf(buf, size, "cpu%d", k >> 8);
		return buf;
	}
	snprintf(buf, size, "fd%d", fd);
	return buf;
}

static bool fd_is(int fd, int kind)
{
	return fd >= 0 && fd < FD_TABLE &&
	       (__atomic_load_n(&fd_kinds[fd], __ATOMIC_RELAXED) & 0xff) == kind;
}

/* Learn the fds that KVM_CREATE_* returned. */
static void fd_learn(unsigned long req, unsigned long arg, int ret)
{
	if (req == KVM_CREATE_VM && ret >= 0)
		fd_set_kind(ret, FD_VM);
	else if (req == KVM_CREATE_VCPU && ret >= 0)
		fd_set_kind(ret, FD_CPU | (int)(arg << 8));
	else if (req == KVM_CREATE_DEVICE && ret >= 0 &&
		 ((struct kvm_create_device *)arg)->type == KVM_DEV_TYPE_FLIC)
		fd_set_kind((int)((struct kvm_create_device *)arg)->fd,
			    FD_FLIC);
}

/* ------------------------------------------------------------------ */
/* ioctl lines                                                         */

/* "128 MiB" when it divides, else bytes in hex. */
static void fmt_size(char *buf, size_t size, uint64_t n)
{
	if (n && !(n & ((1ull << 20) - 1)))
		snprintf(buf, size, "%llu MiB", (unsigned long long)(n >> 20));
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)n);
}

static void args_mem_region(char *buf, size_t size,
			    const struct kvm_userspace_memory_region *m)
{
	char sz[32];

	fmt_size(sz, sizeof(sz), m->memory_size);
	snprintf(buf, size, " slot=%u guest=0x%llx size=%s flags=0x%x",
		 m->slot, (unsigned long long)m->guest_phys_addr, sz,
		 m->flags);
}

static void args_irq(char *buf, size_t size, const struct kvm_s390_irq *irq)
{
	switch (irq->type) {
	case KVM_S390_PROGRAM_INT:
		snprintf(buf, size, " PROGRAM code=0x%04x (%s) ilc=%u",
			 irq->u.pgm.code, trace_pgm_name(irq->u.pgm.code),
			 irq->u.pgm.flags & KVM_S390_PGM_FLAGS_ILC_MASK);
		break;
	case KVM_S390_INT_EMERGENCY:
		snprintf(buf, size, " EMERGENCY from=cpu%u", irq->u.emerg.code);
		break;
	case KVM_S390_INT_EXTERNAL_CALL:
		snprintf(buf, size, " EXTERNAL_CALL from=cpu%u",
			 irq->u.extcall.code);
		break;
	case KVM_S390_SIGP_STOP:
		snprintf(buf, size, " SIGP_STOP%s",
			 irq->u.stop.flags & KVM_S390_STOP_FLAG_STORE_STATUS ?
				 " store-status" : "");
		break;
	default:
		snprintf(buf, size, " %s", trace_irq_name(irq->type));
		break;
	}
}

static void args_interrupt(char *buf, size_t size,
			   const struct kvm_s390_interrupt *irq)
{
	size_t n = (size_t)snprintf(buf, size, " %s parm=0x%08x",
				    trace_irq_name(irq->type), irq->parm);

	if (irq->parm64 && n < size)
		snprintf(buf + n, size - n, " parm64=0x%llx",
			 (unsigned long long)irq->parm64);
}

static void args_attr(char *buf, size_t size, int fd,
		      const struct kvm_device_attr *a)
{
	if (fd_is(fd, FD_FLIC))
		snprintf(buf, size, " group=%s attr=0x%llx",
			 LOOKUP(flic_group_names, a->group, "?"),
			 (unsigned long long)a->attr);
	else
		snprintf(buf, size, " group=%u attr=0x%llx", a->group,
			 (unsigned long long)a->attr);
}

static void args_store_status(char *buf, size_t size, unsigned long arg)
{
	if (arg == KVM_S390_STORE_STATUS_NOADDR)
		snprintf(buf, size, " NOADDR (absolute 0x1200)");
	else if (arg == KVM_S390_STORE_STATUS_PREFIXED)
		snprintf(buf, size, " PREFIXED (prefix + 0x1200)");
	else
		snprintf(buf, size, " addr=0x%lx", arg);
}

/* The interesting fields of the argument, as " key=value ...". */
static void ioctl_args(char *buf, size_t size, int fd, unsigned long req,
		       unsigned long arg)
{
	const void *p = (const void *)arg;

	buf[0] = 0;
	switch (req) {
	case KVM_CREATE_VM:
		snprintf(buf, size, " type=%lu", arg);
		break;
	case KVM_CREATE_VCPU:
		snprintf(buf, size, " id=%lu", arg);
		break;
	case KVM_CHECK_EXTENSION:
		snprintf(buf, size, " cap=%lu (%s)", arg,
			 LOOKUP(cap_names, arg, "?"));
		break;
	case KVM_ENABLE_CAP:
		snprintf(buf, size, " cap=%u (%s)",
			 ((const struct kvm_enable_cap *)p)->cap,
			 LOOKUP(cap_names,
				((const struct kvm_enable_cap *)p)->cap, "?"));
		break;
	case KVM_SET_USER_MEMORY_REGION:
		args_mem_region(buf, size, p);
		break;
	case KVM_CREATE_DEVICE:
		snprintf(buf, size, " type=%s",
			 ((const struct kvm_create_device *)p)->type ==
					 KVM_DEV_TYPE_FLIC ? "FLIC" : "?");
		break;
	case KVM_SET_MP_STATE:
		snprintf(buf, size, " %s", trace_mp_state_name(
				   ((const struct kvm_mp_state *)p)->mp_state));
		break;
	case KVM_S390_STORE_STATUS:
		args_store_status(buf, size, arg);
		break;
	case KVM_S390_IRQ:
		args_irq(buf, size, p);
		break;
	case KVM_S390_INTERRUPT:
		args_interrupt(buf, size, p);
		break;
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		args_attr(buf, size, fd, p);
		break;
	case KVM_GET_API_VERSION:
	case KVM_GET_VCPU_MMAP_SIZE:
	case KVM_RUN:
	case KVM_S390_INITIAL_RESET:
	case KVM_S390_NORMAL_RESET:
	case KVM_S390_CLEAR_RESET:
	case KVM_GET_MP_STATE:
		break;
	default:
		snprintf(buf, size, " arg=0x%lx", arg);
		break;
	}
}

/* " -> 0", " -> fd 7 (cpu1)", " -> -1 EINTR". */
static void ioctl_result(char *buf, size_t size, unsigned long req,
			 unsigned long arg, int ret, int err)
{
	char name[16];
	int fd = -1;

	if (ret < 0) {
		snprintf(buf, size, " -> -1 %s", LOOKUP(errno_names, err,
							strerror(err)));
		return;
	}
	if (req == KVM_CREATE_VM || req == KVM_CREATE_VCPU)
		fd = ret;
	else if (req == KVM_CREATE_DEVICE)
		fd = (int)((const struct kvm_create_device *)arg)->fd;
	if (fd >= 0)
		snprintf(buf, size, " -> fd %d (%s)", fd,
			 fd_name(fd, name, sizeof(name)));
	else if (req == KVM_GET_MP_STATE)
		/* s390 answers with the state as the result and leaves the
		 * struct alone (docs/vmm.md); other arches fill the struct. */
		snprintf(buf, size, " -> %d (%s)", ret, trace_mp_state_name(
				   ret > 0 ? (uint32_t)ret :
				   ((const struct kvm_mp_state *)arg)->mp_state));
	else
		snprintf(buf, size, " -> %d", ret);
}

/* --trace irq: an interrupt made pending, by whom, for which CPU. */
static void trace_irq(int fd, unsigned long req, unsigned long arg, int ret,
		      int err, const char *args)
{
	char name[16], res[48];
	const char *where = fd_is(fd, FD_VM) ? "floating" :
					       fd_name(fd, name, sizeof(name));

	if (req == KVM_SET_DEVICE_ATTR) {
		const struct kvm_device_attr *a = (const void *)arg;

		if (!fd_is(fd, FD_FLIC) || a->group != KVM_DEV_FLIC_CLEAR_IRQS)
			return;
		args = " all floating interrupts";
		where = "flic";
	}
	ioctl_result(res, sizeof(res), req, arg, ret, err);
	trace_line("irq %s%s (%s)%s",
		   req == KVM_SET_DEVICE_ATTR ? "clear" : "inject", args, where,
		   res);
}

void trace_ioctl(int fd, unsigned long req, unsigned long arg, int ret,
		 int err)
{
	char name[16], args[128], res[48];

	fd_learn(req, arg, ret);
	if (!trace_on(TRACE_IOCTL | TRACE_IRQ))
		return;
	ioctl_args(args, sizeof(args), fd, req, arg);
	if (trace_on(TRACE_IOCTL)) {
		ioctl_result(res, sizeof(res), req, arg, ret, err);
		trace_line("%s: %s%s%s", fd_name(fd, name, sizeof(name)),
			   trace_ioctl_name(req), args, res);
	}
	if (trace_on(TRACE_IRQ) &&
	    (req == KVM_S390_IRQ || req == KVM_S390_INTERRUPT ||
	     req == KVM_SET_DEVICE_ATTR))
		trace_irq(fd, req, arg, ret, err, args);
}

/* ------------------------------------------------------------------ */
/* Exits                                                               */

static unsigned long long gpr(const struct kvm_run *run, unsigned n)
{
	return run->s.regs.gprs[n & 0xf];
}

/* What the intercepted instruction asks for, from the saved registers. */
static void decode_instruction(char *buf, size_t size,
			       const struct kvm_run *run)
{
	uint16_t ipa = run->s390_sieic.ipa;
	uint32_t ipb = run->s390_sieic.ipb;

	if (ipa == 0xb220) {
		snprintf(buf, size, "SERVC %s sccb=0x%llx",
			 trace_sclp_cmd_name((uint32_t)gpr(run, ipb >> 20)),
			 gpr(run, ipb >> 16));
	} else if ((ipa >> 8) == 0x83) {
		snprintf(buf, size, "DIAG 0x%03llx r1=0x%llx r3=0x%llx",
			 (unsigned long long)(icpt_rs_addr(run) & 0xffff),
			 gpr(run, ipa >> 4), gpr(run, ipa));
	} else if ((ipa >> 8) == 0xae) {
		struct sigp_req req;

		sigp_decode(run, &req);
		snprintf(buf, size, "SIGP %s cpu=%u param=0x%llx",
			 trace_sigp_order_name(req.order), req.cpu_addr,
			 (unsigned long long)req.param);
	} else {
		snprintf(buf, size, "opcode 0x%04x (no handler: operation exception)",
			 ipa);
	}
}

/* KVM exits only for a disabled wait: the guest's end (guest-abi.md 6). */
static void fmt_wait(char *buf, size_t size, uint64_t addr)
{
	int code = guest_exit_code(addr);

	if (code < 0)
		snprintf(buf, size, ": disabled wait, not an exit code (a crash)");
	else
		snprintf(buf, size, ": disabled wait, guest exit code %d", code);
}

static void trace_sieic(const struct kvm_run *run)
{
	uint8_t icpt = run->s390_sieic.icptcode;
	char what[128];

	if (icpt == 0x04) {
		decode_instruction(what, sizeof(what), run);
		trace_line("exit S390_SIEIC icpt=0x04 (instruction) ipa=0x%04x ipb=0x%08x at 0x%llx: %s",
			   run->s390_sieic.ipa, run->s390_sieic.ipb,
			   (unsigned long long)run->psw_addr, what);
		return;
	}
	what[0] = 0;
	if (icpt == 0x1c)
		fmt_wait(what, sizeof(what), run->psw_addr);
	trace_line("exit S390_SIEIC icpt=0x%02x (%s) psw=%016llx.%016llx%s",
		   icpt, trace_icpt_name(icpt),
		   (unsigned long long)run->psw_mask,
		   (unsigned long long)run->psw_addr, what);
}

void trace_exit(const struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_S390_SIEIC:
		trace_sieic(run);
		break;
	case KVM_EXIT_S390_STSI:
		trace_line("exit S390_STSI fc=%u sel1=%u sel2=%u addr=0x%llx: STORE SYSTEM INFORMATION %u.%u.%u",
			   run->s390_stsi.fc, run->s390_stsi.sel1,
			   run->s390_stsi.sel2,
			   (unsigned long long)run->s390_stsi.addr,
			   run->s390_stsi.fc, run->s390_stsi.sel1,
			   run->s390_stsi.sel2);
		break;
	case KVM_EXIT_S390_RESET:
		trace_line("exit S390_RESET flags=0x%llx: DIAG 0x308 %s re-IPL",
			   (unsigned long long)run->s390_reset_flags,
			   run->s390_reset_flags & KVM_S390_RESET_CLEAR ?
				   "clear" : "normal");
		break;
	case KVM_EXIT_INTR:
		trace_line("exit INTR (a signal interrupted KVM_RUN: a kick)");
		break;
	default:
		trace_line("exit %s (%u) psw=%016llx.%016llx",
			   trace_exit_name(run->exit_reason), run->exit_reason,
			   (unsigned long long)run->psw_mask,
			   (unsigned long long)run->psw_addr);
		break;
	}
}
