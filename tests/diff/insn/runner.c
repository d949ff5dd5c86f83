// SPDX-License-Identifier: MIT
/*
 * s390x side of the instruction differential test: runs under
 * qemu-s390x-static. Reads cases (case.h layout) from stdin, executes each
 * instruction once with the given registers, CC, program mask, FPRs,
 * access registers and data bytes, and writes one result per case to
 * stdout.
 *
 * Access registers 0 and 1 hold the thread pointer that glibc's TLS,
 * pointer guard and stack protector read. The trampoline loads all 16
 * from the case all the same (nothing between it and the instruction
 * looks at them), and the signal handler puts the thread pointer back
 * before anything else, after the kernel (QEMU) saved the instruction's
 * access registers in the signal context: so all 16 are compared.
 *
 * Fixed guest addresses: context page 0x10000 (GPRs, FPRs, CC/PM word and
 * the entry trampoline), code 0x11000-0x12fff (the instruction at 0x11800,
 * every other halfword 0x0000 so that wherever execution continues it stops
 * with SIGILL at that address), data 0x20000.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "case.h"

static sigjmp_buf back;
static struct insn_result res;
static uint32_t tp_a0, tp_a1;   /* the thread pointer */

static void on_signal(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	mcontext_t *mc = &uc->uc_mcontext;

	__asm__ __volatile__("sar %%a0,%0\n\tsar %%a1,%1" : : "d"(tp_a0), "d"(tp_a1) : "memory");
	for (int i = 0; i < 16; i++) {
		res.gpr[i] = mc->gregs[i];
		memcpy(&res.fpr[i], &mc->fpregs.fprs[i], 8);
		res.acr[i] = mc->aregs[i];
	}
	res.cc = (mc->psw.mask >> 44) & 3;
	res.pm = (mc->psw.mask >> 40) & 15;
	res.psw_addr = mc->psw.addr;
	res.fault_addr = (uint64_t)(uintptr_t)si->si_addr;
	res.sig = (uint8_t)sig;
	res.si_code = (uint8_t)si->si_code;
	siglongjmp(back, 1);
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

int main(void)
{
	__asm__ __volatile__("ear %0,%%a0\n\tear %1,%%a1" : "=d"(tp_a0), "=d"(tp_a1));
	uint8_t *ctx = mmap((void *)CTX_ADDR, 0x3000, PROT_READ | PROT_WRITE | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	uint8_t *data = mmap((void *)DATA_ADDR, 0x1000, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (ctx == MAP_FAILED || data == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	static uint8_t altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);

	/* trampoline at 0x10200: ly r1,ccpm; spm r1; ldy f0-15; lamy a0,a15;
	 * lmg r0,r15; brcl 15,insn */
	uint8_t *t = ctx + 0x200, *p = t;
	uint32_t d = CTX_CCPM - 0;
	*p++ = 0xE3; *p++ = 0x10; *p++ = (uint8_t)((d >> 8) & 0x0F); *p++ = (uint8_t)d;
	*p++ = (uint8_t)(d >> 12); *p++ = 0x58;
	*p++ = 0x04; *p++ = 0x10;
	for (int i = 0; i < 16; i++) {
		d = CTX_FPR + 8 * i;
		*p++ = 0xED; *p++ = (uint8_t)(i << 4); *p++ = (uint8_t)((d >> 8) & 0x0F);
		*p++ = (uint8_t)d; *p++ = (uint8_t)(d >> 12); *p++ = 0x65;
	}
	d = CTX_ACR;
	*p++ = 0xEB; *p++ = 0x0F; *p++ = (uint8_t)((d >> 8) & 0x0F); *p++ = (uint8_t)d;
	*p++ = (uint8_t)(d >> 12); *p++ = 0x9A;
	d = CTX_GPR;
	*p++ = 0xEB; *p++ = 0x0F; *p++ = (uint8_t)((d >> 8) & 0x0F); *p++ = (uint8_t)d;
	*p++ = (uint8_t)(d >> 12); *p++ = 0x04;
	uint64_t here = CTX_ADDR + (uint64_t)(p - ctx);
	int32_t off = (int32_t)((INSN_ADDR - (int64_t)here) / 2);
	*p++ = 0xC0; *p++ = 0xF4;
	*p++ = (uint8_t)(off >> 24); *p++ = (uint8_t)(off >> 16);
	*p++ = (uint8_t)(off >> 8); *p++ = (uint8_t)off;
	void (*entry)(void) = (void (*)(void))(uintptr_t)(CTX_ADDR + 0x200);

	struct insn_case c;
	uint8_t buf[CASE_BYTES], out[RESULT_BYTES];
	while (fread(buf, 1, CASE_BYTES, stdin) == CASE_BYTES) {
		case_decode(buf, &c);
		memset(ctx + (CODE_ADDR - CTX_ADDR), 0, CODE_SIZE);
		memcpy(ctx + (INSN_ADDR - CTX_ADDR), c.insn, 6 + EXTRA_CODE);
		memcpy(data, c.mem, DATA_SIZE);
		for (int i = 0; i < 16; i++) {
			put64(ctx + (CTX_GPR - CTX_ADDR) + 8 * i, c.gpr[i]);
			put64(ctx + (CTX_FPR - CTX_ADDR) + 8 * i, c.fpr[i]);
			put32(ctx + (CTX_ACR - CTX_ADDR) + 4 * i, c.acr[i]);
		}
		uint32_t ccpm = (uint32_t)c.cc << 28 | (uint32_t)c.pm << 24;
		ctx[CTX_CCPM - CTX_ADDR] = (uint8_t)(ccpm >> 24);
		ctx[CTX_CCPM - CTX_ADDR + 1] = 0;
		ctx[CTX_CCPM - CTX_ADDR + 2] = 0;
		ctx[CTX_CCPM - CTX_ADDR + 3] = 0;
		__builtin___clear_cache((char *)ctx, (char *)ctx + 0x3000);
		memset(&res, 0, sizeof(res));
		if (!sigsetjmp(back, 1))
			entry();
		memcpy(res.mem, data, DATA_SIZE);
		result_encode(&res, out);
		fwrite(out, 1, RESULT_BYTES, stdout);
	}
	return 0;
}
