// SPDX-License-Identifier: MIT
/*
 * softkvm DIAGNOSE (spec 3.2): 0x010, 0x044, 0x09c and 0x258 subcodes 0/1
 * are completed here as the kernel completes them; 0x308 subcodes 3/4
 * become KVM_EXIT_S390_RESET; everything else (0x500 included: softkvm
 * has no CSS support and no ioeventfds) exits as an instruction intercept.
 */
#include <errno.h>
#include <sched.h>

#include "bswap.h"
#include "softkvm/run.h"

#define PAGE 4096ULL

static unsigned r1(const struct s390_cpu *c)
{
	return (c->icpt.ipa >> 4) & 0xf;
}

static unsigned r3(const struct s390_cpu *c)
{
	return c->icpt.ipa & 0xf;
}

static void spec(struct s390_cpu *c)
{
	s390_cpu_program_irq(c, PGM_SPECIFICATION, c->icpt.ilen);
}

/* 0x010 release pages: the range is checked; the pages are kept (the
 * guest may not rely on their contents, so keeping them is allowed). */
static int diag_release_pages(struct s390_cpu *c)
{
	uint64_t start = c->gpr[r1(c)], end = c->gpr[r3(c)] + PAGE;

	if ((start & (PAGE - 1)) || (end & (PAGE - 1)) || start >= end ||
	    start < 2 * PAGE)
		spec(c);
	return SK_CONTINUE;
}

/* 0x258 page-reference services: the pfault handshake registers. */
static int diag_page_ref(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	unsigned rx = r1(c), ry = r3(c);
	uint8_t p[40];
	uint16_t code, subcode, len, version;
	uint64_t token, select, compare, zarch;

	if (c->gpr[rx] & 7) {
		spec(c);
		return SK_CONTINUE;
	}
	if (!s390_abs_read(c->mem, s390_real_to_abs(c->prefix, c->gpr[rx]),
			   p, sizeof(p))) {
		s390_cpu_program_irq(c, PGM_ADDRESSING, c->icpt.ilen);
		return SK_CONTINUE;
	}
	code = get_be16(p);
	subcode = get_be16(p + 2);
	len = get_be16(p + 4);
	version = get_be16(p + 6);
	token = get_be64(p + 8);
	select = get_be64(p + 16);
	compare = get_be64(p + 24);
	zarch = get_be64(p + 32);
	if (version != 2 || len < 5 || code != 0x258) {
		spec(c);
		return SK_CONTINUE;
	}
	switch (subcode) {
	case 0:   /* establish the token */
		if (v->sie.pft != KVM_S390_PFAULT_TOKEN_INVALID) {
			c->gpr[ry] = 8;   /* already established */
			return SK_CONTINUE;
		}
		if ((compare & select) != compare || (token & 7) ||
		    zarch != 0x8000000000000000ULL) {
			spec(c);
			return SK_CONTINUE;
		}
		if (s390_real_to_abs(c->prefix, token) >= c->mem->size) {
			s390_cpu_program_irq(c, PGM_ADDRESSING, c->icpt.ilen);
			return SK_CONTINUE;
		}
		v->sie.pft = token;
		v->sie.pfs = select;
		v->sie.pfc = compare;
		c->gpr[ry] = 0;
		return SK_CONTINUE;
	case 1:   /* cancel */
		if (token || select || compare || zarch) {
			spec(c);
			return SK_CONTINUE;
		}
		if (v->sie.pft == KVM_S390_PFAULT_TOKEN_INVALID) {
			c->gpr[ry] = 4;   /* nothing to cancel */
		} else {
			c->gpr[ry] = 0;
			v->sie.pft = KVM_S390_PFAULT_TOKEN_INVALID;
		}
		return SK_CONTINUE;
	default:
		sk_exit_sieic(v, 4, c->icpt.ipa, c->icpt.ipb);
		return SK_EXIT;
	}
}

/* 0x308 IPL functions: subcodes 3 (load clear) and 4 (load normal). */
static int diag_ipl(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	uint64_t flags;

	switch (c->gpr[r3(c)] & 0xffff) {
	case 3:
		flags = KVM_S390_RESET_CLEAR;
		break;
	case 4:
		flags = 0;
		break;
	default:
		sk_exit_sieic(v, 4, c->icpt.ipa, c->icpt.ipb);
		return SK_EXIT;
	}
	if (!sk_vm_user_cpu_state_ctrl(v->vm)) {
		pthread_mutex_lock(&v->lock);
		skirq_clear_stop(&v->li);
		v->stopped = true;
		pthread_mutex_unlock(&v->lock);
	}
	v->run->exit_reason = KVM_EXIT_S390_RESET;
	v->run->s390_reset_flags = flags | KVM_S390_RESET_SUBSYSTEM |
				   KVM_S390_RESET_IPL |
				   KVM_S390_RESET_CPU_INIT;
	return SK_EXIT;
}

int sk_handle_diag(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;

	switch (sk_icpt_addr(c) & 0xffff) {
	case 0x010:
		return diag_release_pages(c);
	case 0x044:
	case 0x09c:
		sched_yield();
		return SK_CONTINUE;
	case 0x258:
		return diag_page_ref(v);
	case 0x308:
		return diag_ipl(v);
	default:
		sk_exit_sieic(v, 4, c->icpt.ipa, c->icpt.ipb);
		return SK_EXIT;
	}
}
