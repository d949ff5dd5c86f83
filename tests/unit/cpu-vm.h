/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the interpreter's unit tests: 64 KiB of guest memory,
 * one CPU in the 64-bit mode at CODE, and a program-new PSW that is a
 * disabled wait at PGM_WAIT_ADDR, so that a program interruption ends
 * s390_cpu_run() with the old PSW and the code in the lowcore.
 */
#ifndef ZVMM_TESTS_UNIT_CPU_VM_H
#define ZVMM_TESTS_UNIT_CPU_VM_H

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "softkvm/cpu/internal.h"

#define RAM (64 * 1024)
#define CODE 0x2000
#define PGM_WAIT_ADDR 0xDEAD0

struct vm {
	struct s390_mem mem;
	struct s390_cpu cpu;
	uint8_t *ram;
};

static inline void vm_init(struct vm *vm)
{
	vm->ram = calloc(1, RAM);
	assert_int_equal(s390_mem_init(&vm->mem, vm->ram, RAM), 0);
	assert_int_equal(s390_cpu_init(&vm->cpu, &vm->mem), 0);
	put_be64(vm->ram + LC_PGM_NEW, PSW_MASK_WAIT | PSW_MASK_64);
	put_be64(vm->ram + LC_PGM_NEW + 8, PGM_WAIT_ADDR);
	vm->cpu.psw_mask = PSW_MASK_64;
	vm->cpu.psw_addr = CODE;
}

static inline int setup(void **state)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	vm_init(vm);
	*state = vm;
	return 0;
}

static inline int teardown(void **state)
{
	struct vm *vm = *state;
	s390_cpu_destroy(&vm->cpu);
	s390_mem_destroy(&vm->mem);
	free(vm->ram);
	free(vm);
	return 0;
}

/* the instructions b[0..n) at CODE, the PSW pointing at them */
static inline void code(struct vm *vm, const uint8_t *b, size_t n)
{
	memcpy(vm->ram + CODE, b, n);
	s390_mem_touched(&vm->cpu, CODE, n);
	vm->cpu.psw_addr = CODE;
}

static inline unsigned cc(const struct vm *vm)
{
	return (unsigned)(vm->cpu.psw_mask >> PSW_SHIFT_CC) & 3;
}

/* run and expect a program interruption with code, ILC and old PSW address */
static inline void expect_pgm(struct vm *vm, uint16_t pcode, unsigned ilc, uint64_t old_addr)
{
	assert_int_equal(s390_cpu_run(&vm->cpu, 10), S390_EV_DISABLED_WAIT);
	assert_int_equal(vm->cpu.psw_addr, PGM_WAIT_ADDR);
	assert_int_equal(get_be16(vm->ram + LC_PGM_CODE), pcode);
	assert_int_equal(get_be16(vm->ram + LC_PGM_ILC), ilc);
	assert_int_equal(get_be64(vm->ram + LC_PGM_OLD + 8), old_addr);
}

#endif
