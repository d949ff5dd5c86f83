// SPDX-License-Identifier: MIT
/*
 * softkvm instruction intercepts (icptcode 4): which ones the kernel
 * completes and which exit to user space (spec 3.1-3.5). The
 * interpreter has already raised the privileged-operation exception for
 * a problem-state guest, and the PSW points past the instruction.
 */
#include <errno.h>
#include <string.h>

#include "bswap.h"
#include "softkvm/run.h"

/* ------------------------------------------------------------------------ */
/* STORE SYSTEM INFORMATION                                                 */
/* ------------------------------------------------------------------------ */

/* ASCII -> EBCDIC for the characters SYSIB strings use. */
static uint8_t ebcdic(char ch)
{
	if (ch >= 'A' && ch <= 'I')
		return (uint8_t)(0xC1 + (ch - 'A'));
	if (ch >= 'J' && ch <= 'R')
		return (uint8_t)(0xD1 + (ch - 'J'));
	if (ch >= 'S' && ch <= 'Z')
		return (uint8_t)(0xE2 + (ch - 'S'));
	if (ch >= '0' && ch <= '9')
		return (uint8_t)(0xF0 + (ch - '0'));
	if (ch == '/')
		return 0x61;
	return 0x40;   /* space and everything else */
}

/* A blank-padded EBCDIC field. */
static void put_ebcdic(uint8_t *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = ebcdic(*s ? *s++ : ' ');
}

static unsigned nr_vcpus(struct sk_vm *vm)
{
	unsigned n = 0;

	for (unsigned i = 0; i < SK_MAX_VCPUS; i++)
		if (__atomic_load_n(&vm->vcpus[i], __ATOMIC_ACQUIRE))
			n++;
	return n;
}

/*
 * The SYSIBs softkvm stores. The kernel copies the host's 1.1.1, 1.2.2
 * and 2.2.2 and builds 3.2.2; softkvm has no host machine to copy, so it
 * stores fixed identification ("IBM", type 2098 as STIDP says) and the
 * vCPU count. Offsets follow the architecture's SYSIB layouts.
 */
static void build_sysib(struct sk_vm *vm, unsigned fc, uint8_t *b)
{
	uint16_t n = (uint16_t)nr_vcpus(vm);

	memset(b, 0, 4096);
	switch (fc) {
	case 1:   /* 1.1.1 basic machine configuration */
		put_ebcdic(b + 32, "IBM", 16);        /* manufacturer */
		put_ebcdic(b + 48, "2098", 4);        /* type */
		put_ebcdic(b + 64, "SOFTKVM", 16);    /* model capacity id */
		put_ebcdic(b + 80, "0000000000000000", 16); /* sequence */
		put_ebcdic(b + 96, "ZVMM", 4);        /* plant */
		put_ebcdic(b + 100, "SOFTKVM", 16);   /* model */
		break;
	case 2:   /* 1.2.2 basic machine CPUs */
		put_be32(b + 32, 1000);               /* capability */
		put_be16(b + 36, n);                  /* total */
		put_be16(b + 38, n);                  /* configured */
		break;
	case 3:   /* 2.2.2 logical partition CPUs */
		put_be16(b + 32, 1);                  /* LPAR number */
		put_be16(b + 36, n);
		put_be16(b + 38, n);
		put_ebcdic(b + 44, "ZVMM", 8);
		put_be32(b + 52, 1000);               /* capability adj. */
		break;
	case 4:   /* 3.2.2 virtual-machine CPUs: one level */
		b[31] = 1;
		put_be16(b + 32 + 4, n);
		put_be16(b + 32 + 6, n);
		put_ebcdic(b + 32 + 12, "KVMGUEST", 8);
		put_be32(b + 32 + 20, 1000);
		put_ebcdic(b + 32 + 24, "KVM/LINUX", 16); /* control program */
		break;
	}
}

/*
 * STSI (the kernel's handle_stsi): fc 0 answers the current level (3);
 * fc 1-3 with a valid selector pair store a SYSIB; with USER_STSI the
 * vCPU then exits with KVM_EXIT_S390_STSI so user space may rewrite it.
 */
static int handle_stsi(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	unsigned fc = (unsigned)(c->gpr[0] >> 28) & 0xf;
	unsigned sel1 = (unsigned)c->gpr[0] & 0xff;
	unsigned sel2 = (unsigned)c->gpr[1] & 0xffff;
	uint64_t addr, abs;
	uint8_t buf[4096];
	unsigned which;

	addr = sk_icpt_addr(c);
	if (!(c->psw_mask & PSW_MASK_EA))
		addr &= c->psw_mask & PSW_MASK_BA ? 0x7fffffff : 0xffffff;
	if (fc > 3) {
		/* fc 15 (topology) is user space's, with USER_STSI. */
		if (fc == 15 && v->vm->user_stsi)
			goto user;
		sk_set_cc(c, 3);
		return SK_CONTINUE;
	}
	if ((c->gpr[0] & 0x0fffff00) || (c->gpr[1] & 0xffff0000)) {
		s390_cpu_program_irq(c, PGM_SPECIFICATION, c->icpt.ilen);
		return SK_CONTINUE;
	}
	if (fc == 0) {
		c->gpr[0] = 3ULL << 28;
		sk_set_cc(c, 0);
		return SK_CONTINUE;
	}
	if (addr & 0xfff) {
		s390_cpu_program_irq(c, PGM_SPECIFICATION, c->icpt.ilen);
		return SK_CONTINUE;
	}
	if (fc == 1 && sel1 == 1 && sel2 == 1)
		which = 1;
	else if (fc == 1 && sel1 == 2 && sel2 == 2)
		which = 2;
	else if (fc == 2 && sel1 == 2 && sel2 == 2)
		which = 3;
	else if (fc == 3 && sel1 == 2 && sel2 == 2)
		which = 4;
	else {
		sk_set_cc(c, 3);
		return SK_CONTINUE;
	}
	build_sysib(v->vm, which, buf);
	abs = s390_real_to_abs(c->prefix, addr);
	if (!s390_abs_write(c->mem, abs, buf, sizeof(buf))) {
		s390_cpu_program_irq(c, PGM_ADDRESSING, c->icpt.ilen);
		return SK_CONTINUE;
	}
	pthread_mutex_lock(&v->vm->lock);
	s390_mem_touched(c, abs, sizeof(buf));
	sk_mark_dirty_locked(v->vm, abs, sizeof(buf));
	pthread_mutex_unlock(&v->vm->lock);
	sk_set_cc(c, 0);
	c->gpr[0] = 0;
	if (!v->vm->user_stsi)
		return SK_CONTINUE;
user:
	v->run->exit_reason = KVM_EXIT_S390_STSI;
	v->run->s390_stsi.addr = addr;
	v->run->s390_stsi.ar = (uint8_t)(c->icpt.ipb >> 28);
	v->run->s390_stsi.fc = (uint8_t)fc;
	v->run->s390_stsi.sel1 = (uint8_t)sel1;
	v->run->s390_stsi.sel2 = (uint16_t)sel2;
	return SK_EXIT;
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                 */
/* ------------------------------------------------------------------------ */

/* The channel-subsystem instructions (B230-B23C, B25F, B274, B276). */
static bool is_io_insn(uint16_t ipa)
{
	unsigned op2 = ipa & 0xff;

	if ((ipa >> 8) != 0xb2)
		return false;
	return (op2 >= 0x30 && op2 <= 0x3c) || op2 == 0x5f || op2 == 0x74 ||
	       op2 == 0x76;
}

int sk_handle_intercept(struct sk_vcpu *v)
{
	struct s390_cpu *c = &v->cpu->c;
	uint16_t ipa = c->icpt.ipa;

	switch (ipa >> 8) {
	case 0x83:
		return sk_handle_diag(v);
	case 0xae:
		return sk_handle_sigp(v);
	}
	if (ipa == 0xb27d)
		return handle_stsi(v);
	/* Without CSS support (softkvm offers none) the kernel completes
	 * every channel I/O instruction with CC 3. */
	if (is_io_insn(ipa)) {
		sk_set_cc(c, 3);
		return SK_CONTINUE;
	}
	/* SERVC and anything else the interpreter hands over. */
	sk_exit_sieic(v, 4, ipa, c->icpt.ipb);
	return SK_EXIT;
}
