// SPDX-License-Identifier: MIT
/*
 * The translator's code buffer, one per CPU (only its own thread writes
 * or runs it). It is mapped writable and executable at the first
 * translation: translations are appended, and the whole buffer is reused
 * when the decoded blocks that point into it are dropped. A full buffer
 * stops translation until then.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "softkvm/cpu/jit.h"

#if S390_JIT_X86
static bool jit_buf_map(struct s390_cpu *cpu)
{
	void *p = mmap(NULL, S390_JIT_BUF_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		/* no executable memory (a hardened host): interpret */
		cpu->jit_after = -1;
		return false;
	}
	cpu->jit_buf = p;
	cpu->jit_size = S390_JIT_BUF_SIZE;
	cpu->jit_used = 0;
	return true;
}
#endif

bool s390_jit_prepare(struct s390_cpu *cpu)
{
#if S390_JIT_X86
	if (cpu->jit_buf)
		return !cpu->jit_full;
	return jit_buf_map(cpu);
#else
	cpu->jit_after = -1;
	return false;
#endif
}

void s390_jit_reset(struct s390_cpu *cpu)
{
	cpu->jit_used = 0;
	cpu->jit_full = false;
}

void s390_jit_free(struct s390_cpu *cpu)
{
	if (cpu->jit_buf)
		munmap(cpu->jit_buf, cpu->jit_size);
	cpu->jit_buf = NULL;
	cpu->jit_size = cpu->jit_used = 0;
}

int s390_jit_parse(const char *s, int *after)
{
	char *end;
	long n;

	if (!strcmp(s, "off")) {
		*after = -1;
		return 0;
	}
	if (!strcmp(s, "on")) {
		*after = S390_JIT_X86 ? S390_JIT_AFTER : -1;
		return 0;
	}
	n = strtol(s, &end, 10);
	if (end == s || *end || n < 0 || n > 0xFFFF)
		return -EINVAL;
	*after = S390_JIT_X86 ? (int)n : -1;
	return 0;
}

#if !S390_JIT_X86
void s390_jit_compile(struct s390_cpu *cpu, struct s390_iblk *b, uint64_t am)
{
	(void)cpu;
	(void)b;
	(void)am;
}
#endif
