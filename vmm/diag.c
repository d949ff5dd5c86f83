// SPDX-License-Identifier: MIT
/*
 * DIAGNOSE codes that KVM leaves to user space (spec 3.2, 3.8, 3.9), as
 * QEMU 7.2 answers them for a machine without devices: 0x308 (IPL
 * functions), 0x288 (the watchdog, as QEMU's diag288 device), 0x500
 * (virtio hypercalls: no device exists), everything else a
 * specification exception.
 */
#include <errno.h>
#include <string.h>

#include "bswap.h"
#include "diag.h"
#include "vm.h"

void diag_288(unsigned long long *gprs, unsigned r1, unsigned r3,
	      struct diag288_state *wdt, uint64_t now_ns,
	      struct diag_result *res)
{
	uint64_t func, timeout;

	memset(res, 0, sizeof(*res));
	if ((r1 & 1) || gprs[r3] != 0) {
		res->pgm = PGM_SPECIFICATION;
		return;
	}
	func = gprs[r1];
	timeout = gprs[r1 + 1];
	if (func != DIAG288_CANCEL && timeout < DIAG288_MIN_TIMEOUT) {
		res->pgm = PGM_SPECIFICATION;
		return;
	}
	switch (func) {
	case DIAG288_INIT:
		wdt->enabled = true;
		/* fall through */
	case DIAG288_CHANGE:
		if (!wdt->enabled)
			break;
		if (timeout > (UINT64_MAX - now_ns) / 1000000000ULL)
			wdt->deadline_ns = UINT64_MAX;
		else
			wdt->deadline_ns = now_ns + timeout * 1000000000ULL;
		res->watchdog = true;
		return;
	case DIAG288_CANCEL:
		if (!wdt->enabled)
			break;
		wdt->enabled = false;
		res->watchdog = true;
		return;
	default:
		break;
	}
	res->pgm = PGM_SPECIFICATION;
}

/* DIAG 0x500: subcode in gpr1, result in gpr2. */
void diag_500(unsigned long long *gprs, uint64_t mem_size, struct diag_result *res)
{
	memset(res, 0, sizeof(*res));
	switch (gprs[1]) {
	case DIAG500_VIRTIO_NOTIFY:
		/* Legacy notify, tolerated as early printk below RAM size. */
		gprs[2] = gprs[2] < mem_size ? 0 : (uint64_t)-EINVAL;
		break;
	case DIAG500_VIRTIO_CCW_NOTIFY:
		/* No subchannel exists: "no such device". */
		gprs[2] = (uint64_t)-EINVAL;
		break;
	default:
		res->pgm = PGM_SPECIFICATION;
		break;
	}
}

/*
 * Whether an IPL parameter block is one QEMU 7.2 accepts (iplb_valid):
 * CCW (type 2, at least 200 bytes) or FCP (type 0, at least 384 bytes),
 * no longer than the 4 KiB page.
 */
static bool iplb_valid(const uint8_t *iplb)
{
	uint32_t len = get_be32(iplb);

	if (len > DIAG308_IPLB_SIZE)
		return false;
	switch (iplb[12]) {
	case 2:
		return len >= 200;
	case 0:
		return len >= 384;
	default:
		return false;
	}
}

/*
 * DIAG 0x308, subcode in gpr r3, parameter address in gpr r1, return
 * code in gpr r1+1. `iplb`/`iplb_len` hold the block set by subcode 5.
 */
void diag_308(unsigned long long *gprs, unsigned r1, unsigned r3, uint8_t *mem,
	      uint64_t mem_size, uint8_t *iplb, uint32_t *iplb_len,
	      struct diag_result *res)
{
	uint64_t subcode = gprs[r3];
	uint64_t addr = gprs[r1];

	memset(res, 0, sizeof(*res));
	if (subcode & ~0xffffULL) {
		res->pgm = PGM_SPECIFICATION;
		return;
	}
	switch (subcode) {
	case DIAG308_RESET_MOD_CLR:
		res->reset = VM_RESET_MOD_CLEAR;
		return;
	case DIAG308_RESET_LOAD_NORM:
		res->reset = VM_RESET_LOAD_NORMAL;
		return;
	case DIAG308_LOAD_CLEAR:
		/* Normally a KVM_EXIT_S390_RESET; handled alike. */
		res->reset = VM_RESET_REIPL_CLEAR;
		return;
	case DIAG308_LOAD_NORMAL:
		res->reset = VM_RESET_REIPL;
		return;
	case DIAG308_SET:
	case DIAG308_STORE:
		break;
	default:
		/* Protected virtualization (8-10) and unknown subcodes. */
		res->pgm = PGM_SPECIFICATION;
		return;
	}
	if ((r1 & 1) || (addr & 0xfff)) {
		res->pgm = PGM_SPECIFICATION;
		return;
	}
	if (addr >= mem_size || mem_size - addr < DIAG308_IPLB_SIZE) {
		res->pgm = PGM_ADDRESSING;
		return;
	}
	if (subcode == DIAG308_SET) {
		if (!iplb_valid(mem + addr)) {
			gprs[r1 + 1] = DIAG308_RC_INVALID;
			return;
		}
		*iplb_len = get_be32(mem + addr);
		memcpy(iplb, mem + addr, *iplb_len);
		gprs[r1 + 1] = DIAG308_RC_OK;
		return;
	}
	if (!*iplb_len) {
		gprs[r1 + 1] = DIAG308_RC_NO_CONF;
		return;
	}
	memcpy(mem + addr, iplb, *iplb_len);
	gprs[r1 + 1] = DIAG308_RC_OK;
}

void diag_decide(unsigned long long *gprs, uint16_t ipa, uint32_t ipb, uint8_t *mem,
		 uint64_t mem_size, uint8_t *iplb, uint32_t *iplb_len,
		 struct diag288_state *wdt, uint64_t now_ns,
		 struct diag_result *res)
{
	unsigned r1 = (ipa >> 4) & 0xf, r3 = ipa & 0xf;
	unsigned b2 = ipb >> 28;
	uint64_t code = ((b2 ? gprs[b2] : 0) + ((ipb >> 16) & 0xfff)) & 0xffff;

	memset(res, 0, sizeof(*res));
	switch (code) {
	case 0x308:
		diag_308(gprs, r1, r3, mem, mem_size, iplb, iplb_len, res);
		break;
	case 0x288:
		diag_288(gprs, r1, r3, wdt, now_ns, res);
		break;
	case 0x500:
		diag_500(gprs, mem_size, res);
		break;
	default:
		/* 0x318 (no DIAG318 facility), 0x501 (no debugger) and
		 * everything unknown. */
		res->pgm = PGM_SPECIFICATION;
		break;
	}
	res->code = (uint16_t)code;
}

int diag_handle(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	struct kvm_run *run = cpu->run;
	struct diag_result res;

	/* The IPL block and the watchdog are VM-wide; sclp_lock guards
	 * them too. */
	pthread_mutex_lock(&vm->sclp_lock);
	diag_decide(run->s.regs.gprs, run->s390_sieic.ipa, run->s390_sieic.ipb,
		    vm->mem->base, vm->mem->size, vm->iplb, &vm->iplb_len,
		    &vm->wdt, vm_now_ns(), &res);
	pthread_mutex_unlock(&vm->sclp_lock);
	if (res.watchdog)
		vm_wake_main(vm);
	if (res.pgm) {
		vcpu_program_int(cpu, res.pgm);
		return 0;
	}
	if (res.reset != VM_RESET_NONE)
		vm_request_reset(vm, res.reset, cpu->id);
	return 0;
}
