// SPDX-License-Identifier: MIT
/*
 * SERVICE CALL (B220) intercepts: decode (docs/sclp.md 8), call the SCLP
 * module under sclp_lock, and carry out its answer: a condition code, a
 * program interruption, a service signal on the VM fd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bswap.h"
#include "hv.h"
#include "log.h"
#include "trace.h"
#include "vm.h"

/*
 * Whether a service signal is still queued in the FLIC. KVM delivers it
 * without an exit, so this is how the SCLP learns that its completion
 * reached the guest (docs/sclp.md 1). On an error it says "pending",
 * which only costs the guest a CC 2 retry.
 */
static bool service_pending(struct vm *vm)
{
	struct kvm_s390_irq small[16], *buf = small;
	size_t n = sizeof(small) / sizeof(small[0]);
	bool pending = true;
	int r;

	for (;;) {
		struct kvm_device_attr a = {
			.group = KVM_DEV_FLIC_GET_ALL_IRQS,
			.addr = (uint64_t)(uintptr_t)buf,
			.attr = (uint64_t)(n * sizeof(*buf)),
		};

		r = hv_ioctl(vm->flic_fd, KVM_GET_DEVICE_ATTR, (unsigned long)&a);
		if (r >= 0 || errno != ENOMEM ||
		    n * sizeof(*buf) * 2 > KVM_S390_FLIC_MAX_BUFFER)
			break;
		if (buf != small)
			free(buf);
		n *= 2;
		buf = malloc(n * sizeof(*buf));
		if (!buf)
			return true;
	}
	if (r >= 0) {
		pending = false;
		for (int i = 0; i < r; i++)
			if (buf[i].type == KVM_S390_INT_SERVICE)
				pending = true;
	}
	if (buf != small)
		free(buf);
	return pending;
}

/* The first event buffer of an event SCCB: its type, and the text of a
 * VT220 buffer (escaped, cut at 40 bytes). */
static void trace_event(const uint8_t *sccb, char *buf, size_t size)
{
	uint16_t sccb_len = get_be16(sccb), len = get_be16(sccb + 8);
	uint8_t type = sccb[10];
	size_t n, o = 0;

	if (sccb_len < 14 || len < 6 || 8u + len > sccb_len) {
		snprintf(buf, size, " (no event)");
		return;
	}
	o = (size_t)snprintf(buf, size, " event=0x%02x%s", type,
			     type == SCLP_EV_VT220 ? " (VT220)" :
			     type == SCLP_EV_MESSAGE ? " (line-mode message)" :
			     type == SCLP_EV_SIGNAL_QUIESCE ? " (signal quiesce)" :
			     "");
	if (type != SCLP_EV_VT220)
		return;
	o += (size_t)snprintf(buf + o, size - o, " text=\"");
	for (n = 0; n < (size_t)len - 6 && n < 40 && o + 6 < size; n++) {
		uint8_t c = sccb[14 + n];

		if (c == '\n')
			o += (size_t)snprintf(buf + o, size - o, "\\n");
		else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	snprintf(buf + o, size - o, "%s\"", n < (size_t)len - 6 ? "..." : "");
}

/* --trace sclp, with sclp_lock held: the SCCB copy is still in work. */
static void trace_servc(const struct sclp *s, uint64_t sccb, uint32_t cmd,
			const struct sclp_result *res)
{
	const char *name = trace_sclp_cmd_name(cmd);
	uint16_t rc = get_be16(s->work + 6);
	char ev[96] = "";

	if (res->action == SCLP_PROGRAM) {
		trace_line("sclp %s sccb=0x%llx -> program interruption 0x%04x (%s)",
			   name, (unsigned long long)sccb, res->pgm_code,
			   trace_pgm_name(res->pgm_code));
		return;
	}
	if (!res->raise) {
		trace_line("sclp %s sccb=0x%llx -> cc=%u (busy: the last service signal is still pending)",
			   name, (unsigned long long)sccb, res->cc);
		return;
	}
	if ((cmd & SCLP_CMD_MASK) == SCLP_CMD_WRITE_EVENT_DATA ||
	    ((cmd & SCLP_CMD_MASK) == SCLP_CMD_READ_EVENT_DATA &&
	     rc == SCLP_RC_NORMAL_COMPLETION))
		trace_event(s->work, ev, sizeof(ev));
	trace_line("sclp %s sccb=0x%llx%s -> cc=%u rc=0x%04x (%s), service signal parm=0x%08x",
		   name, (unsigned long long)sccb, ev, res->cc, rc,
		   trace_sclp_rc_name(rc), res->param);
}

int servc_handle(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	struct kvm_run *run = cpu->run;
	uint32_t ipb = run->s390_sieic.ipb;
	unsigned r1 = (ipb >> 20) & 0xf, r2 = (ipb >> 16) & 0xf;
	struct sclp_result res;

	memset(&res, 0, sizeof(res));
	pthread_mutex_lock(&vm->sclp_lock);
	if (sclp_busy(vm->sclp) && !service_pending(vm))
		sclp_signal_delivered(vm->sclp);
	sclp_servc(vm->sclp, vm->mem->base, vm->mem->size,
		   run->s.regs.gprs[r2], (uint32_t)run->s.regs.gprs[r1],
		   (uint32_t)run->s.regs.prefix,
		   (run->psw_mask & PSW_MASK_PSTATE) != 0, &res);
	if (trace_on(TRACE_SCLP))
		trace_servc(vm->sclp, run->s.regs.gprs[r2],
			    (uint32_t)run->s.regs.gprs[r1], &res);
	pthread_mutex_unlock(&vm->sclp_lock);

	if (res.action == SCLP_PROGRAM) {
		vcpu_program_int(cpu, res.pgm_code);
		return 0;
	}
	vcpu_set_cc(run, res.cc);
	if (res.raise && vm_inject_service(vm, res.param))
		vm_end(vm, ZVMM_EXIT_HV_FAILURE);
	return 0;
}
