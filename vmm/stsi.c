// SPDX-License-Identifier: MIT
/*
 * KVM_EXIT_S390_STSI (with KVM_CAP_S390_USER_STSI): the kernel has stored
 * the block and set CC 0; user space may rewrite it. zvmm rewrites 3.2.2
 * with the VM's name and UUID (spec 3.4), as QEMU does.
 */
#include <string.h>

#include "bswap.h"
#include "hv.h"
#include "log.h"
#include "stsi.h"
#include "vm.h"

/* EBCDIC of ASCII 0x20..0x7f (QEMU's table, code page 037 style). */
static const uint8_t ebcdic_of_printable[96] = {
	0x40, 0x5a, 0x7f, 0x7b, 0x5b, 0x6c, 0x50, 0x7d,	/*  !"#$%&' */
	0x4d, 0x5d, 0x5c, 0x4e, 0x6b, 0x60, 0x4b, 0x61,	/* ()*+,-./ */
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,	/* 01234567 */
	0xf8, 0xf9, 0x7a, 0x5e, 0x4c, 0x7e, 0x6e, 0x6f,	/* 89:;<=>? */
	0x7c, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,	/* @ABCDEFG */
	0xc8, 0xc9, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,	/* HIJKLMNO */
	0xd7, 0xd8, 0xd9, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6,	/* PQRSTUVW */
	0xe7, 0xe8, 0xe9, 0xba, 0xe0, 0xbb, 0xb0, 0x6d,	/* XYZ[\]^_ */
	0x79, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,	/* `abcdefg */
	0x88, 0x89, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96,	/* hijklmno */
	0x97, 0x98, 0x99, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,	/* pqrstuvw */
	0xa7, 0xa8, 0xa9, 0xc0, 0x4f, 0xd0, 0xa1, 0x07,	/* xyz{|}~  */
};

uint8_t ascii_to_ebcdic(uint8_t c)
{
	if (c >= 0x20 && c < 0x80)
		return ebcdic_of_printable[c - 0x20];
	return 0x3f;	/* QEMU maps the rest (names are printable) */
}

void stsi_fill_322(uint8_t *sysib, const char *name, const uint8_t uuid[16],
		   unsigned conf_cpus, unsigned reserved_cpus)
{
	unsigned count = sysib[SYSIB322_COUNT], del;
	uint8_t *vm0 = sysib + SYSIB322_VM0;
	uint8_t *ext = sysib + SYSIB322_EXT_NAMES;
	size_t len;

	if (count < 1 || count > SYSIB322_MAX_LEVELS)
		return;
	/* Make room for our level's extended name. */
	memmove(ext + SYSIB322_EXT_NAME_SIZE, ext,
		SYSIB322_EXT_NAME_SIZE * (count - 1));
	/* The first lower level without extended names ends the stack. */
	for (del = 1; del < count; del++) {
		const uint8_t *lvl = vm0 + del * SYSIB322_VM_SIZE;

		if (!lvl[SYSIB322_VM_EXT_ENC] ||
		    !ext[del * SYSIB322_EXT_NAME_SIZE])
			break;
	}
	if (del < count)
		memset(ext + del * SYSIB322_EXT_NAME_SIZE, 0,
		       SYSIB322_EXT_NAME_SIZE * (count - del));

	put_be16(vm0 + SYSIB322_VM_TOTAL, (uint16_t)(conf_cpus + reserved_cpus));
	put_be16(vm0 + SYSIB322_VM_CONF, (uint16_t)conf_cpus);
	put_be16(vm0 + SYSIB322_VM_RESERVED, (uint16_t)reserved_cpus);

	if (name && name[0]) {
		len = strlen(name);
		memset(vm0 + SYSIB322_VM_NAME, 0x40, 8);
		for (size_t i = 0; i < len && i < 8; i++)
			vm0[SYSIB322_VM_NAME + i] = ascii_to_ebcdic((uint8_t)name[i]);
	}
	vm0[SYSIB322_VM_EXT_ENC] = 2;	/* UTF-8 */
	if (!name || !name[0])
		name = "KVMguest";
	len = strlen(name);
	if (len > SYSIB322_EXT_NAME_SIZE)
		len = SYSIB322_EXT_NAME_SIZE;
	memset(ext, 0, SYSIB322_EXT_NAME_SIZE);
	memcpy(ext, name, len);
	memcpy(vm0 + SYSIB322_VM_UUID, uuid, 16);
}

static int mem_op(struct vcpu *cpu, uint32_t op, uint64_t addr, uint8_t ar,
		  void *buf)
{
	struct kvm_s390_mem_op mo;

	memset(&mo, 0, sizeof(mo));
	mo.gaddr = addr;
	mo.size = STSI_SYSIB_SIZE;
	mo.op = op;
	mo.buf = (uint64_t)(uintptr_t)buf;
	mo.ar = ar;
	return hv_ioctl(cpu->fd, KVM_S390_MEM_OP, (unsigned long)&mo);
}

int stsi_handle(struct vcpu *cpu)
{
	struct kvm_run *run = cpu->run;
	static const uint8_t zero_uuid[16];
	const struct zvmm_config *cfg = cpu->vm->cfg;
	uint8_t sysib[STSI_SYSIB_SIZE];
	uint64_t addr = run->s390_stsi.addr;
	uint8_t ar = run->s390_stsi.ar;

	if (run->s390_stsi.fc != 3 || run->s390_stsi.sel1 != 2 ||
	    run->s390_stsi.sel2 != 2)
		return 0;	/* 1.1.1, 1.2.x, 2.2.2: the kernel's answer */
	/* Logical addresses, as the instruction used them; a failure
	 * leaves the kernel's block (QEMU does the same). */
	if (mem_op(cpu, KVM_S390_MEMOP_LOGICAL_READ, addr, ar, sysib))
		return 0;
	stsi_fill_322(sysib, cfg->name, cfg->have_uuid ? cfg->uuid : zero_uuid,
		      cpu->vm->ncpus, 0);
	if (mem_op(cpu, KVM_S390_MEMOP_LOGICAL_WRITE, addr, ar, sysib))
		log_warn("cpu%u: STSI 3.2.2: cannot write the block back",
			 cpu->id);
	return 0;
}
