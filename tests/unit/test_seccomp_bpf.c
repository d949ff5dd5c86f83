// SPDX-License-Identifier: MIT
/*
 * The s390x seccomp programs that tools/seccomp-gen builds on an x86_64
 * host (libseccomp exports them big-endian, seccomp-gen turns them into
 * C initialisers): no kernel here can load them, so a small classic-BPF
 * evaluator runs them over seccomp_data laid out as an s390x kernel lays
 * it out. Every s390x syscall number below 512 must be allowed exactly
 * when its name is on the list (vmm/seccomp-lists.h) and trapped
 * otherwise, socketcall() must follow the socket calls on the list, and
 * another architecture must be killed. Runs on both builds of the tests.
 */
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "bswap.h"
#include "seccomp-lists.h"
#include "s390x/seccomp-bpf.h"

#define AUDIT_ARCH_S390X_ 0x80000016u
#define AUDIT_ARCH_X86_64_ 0xc000003eu
#define RET_ALLOW 0x7fff0000u
#define RET_TRAP 0x00030000u
#define RET_KILL 0x00000000u
#define SOCKETCALL_NR 102	/* s390x */

/* struct seccomp_data as the s390x kernel hands it to the filter. */
static void data_fill(uint8_t d[64], uint32_t nr, uint32_t arch,
		      uint64_t arg0)
{
	memset(d, 0, 64);
	put_be32(d, nr);
	put_be32(d + 4, arch);
	put_be64(d + 16, arg0);
}

/* Run prog over d; the value of its RET, or ~0 for anything it should
 * not contain (unknown opcode, a jump or load out of range). */
static uint32_t bpf_run(const struct sock_filter *prog, size_t len,
			const uint8_t d[64])
{
	uint32_t a = 0;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];

		switch (f->code) {
		case 0x20:	/* BPF_LD | BPF_W | BPF_ABS */
			if (f->k > 60 || f->k % 4)
				return ~0u;
			a = get_be32(d + f->k);
			break;
		case 0x06:	/* BPF_RET | BPF_K */
			return f->k;
		case 0x15:	/* BPF_JMP | BPF_JEQ | BPF_K */
			pc += a == f->k ? f->jt : f->jf;
			break;
		case 0x25:	/* BPF_JMP | BPF_JGT | BPF_K */
			pc += a > f->k ? f->jt : f->jf;
			break;
		case 0x35:	/* BPF_JMP | BPF_JGE | BPF_K */
			pc += a >= f->k ? f->jt : f->jf;
			break;
		case 0x05:	/* BPF_JMP | BPF_JA */
			pc += f->k;
			break;
		default:
			return ~0u;
		}
	}
	return ~0u;
}

static bool listed(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

static void check_numbers(const struct sock_filter *prog, size_t len,
			  const char *const *list, size_t n)
{
	unsigned allowed = 0;
	uint8_t d[64];

	for (uint32_t nr = 0; nr < SECCOMP_NAMED_NRS; nr++) {
		const char *name = seccomp_name_off[nr] ?
			seccomp_names + seccomp_name_off[nr] - 1 : NULL;
		uint32_t want = name && listed(list, n, name) ? RET_ALLOW :
								RET_TRAP;

		if (nr == SOCKETCALL_NR)
			continue;
		data_fill(d, nr, AUDIT_ARCH_S390X_, 0);
		if (bpf_run(prog, len, d) != want)
			fail_msg("s390x syscall %u (%s): got 0x%x, want 0x%x",
				 nr, name ? name : "?", bpf_run(prog, len, d),
				 want);
		allowed += want == RET_ALLOW;
	}
	/* the names s390x has, but socket calls are not numbered there */
	assert_true(allowed + 16 >= n);
	data_fill(d, 1, AUDIT_ARCH_X86_64_, 0);
	assert_int_equal(bpf_run(prog, len, d), RET_KILL);
}

/* What prog does with socketcall(call, ...) on s390x. */
static uint32_t socketcall_ret(const struct sock_filter *prog, size_t len,
			       uint64_t call)
{
	uint8_t d[64];

	data_fill(d, SOCKETCALL_NR, AUDIT_ARCH_S390X_, call);
	return bpf_run(prog, len, d);
}

static void test_main_list(void **state)
{
	const struct sock_filter *p = seccomp_main_insns;
	size_t n = ARRAY_SIZE(seccomp_main_insns);

	(void)state;
	check_numbers(p, n, seccomp_main_allowed,
		      ARRAY_SIZE(seccomp_main_allowed));
	/* socketcall(SYS_SOCKET) as socket() is allowed, SYS_LISTEN not */
	assert_int_equal(socketcall_ret(p, n, 1), RET_ALLOW);
	assert_int_equal(socketcall_ret(p, n, 4), RET_TRAP);
}

static void test_vcpu_list(void **state)
{
	const struct sock_filter *p = seccomp_vcpu_insns;
	size_t n = ARRAY_SIZE(seccomp_vcpu_insns);

	(void)state;
	check_numbers(p, n, seccomp_vcpu_allowed,
		      ARRAY_SIZE(seccomp_vcpu_allowed));
	assert_int_equal(socketcall_ret(p, n, 1), RET_TRAP);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(SECCOMP_GEN_ARCH, "s390x");
	assert_int_equal(seccomp_name_off[3], 1 + strlen("exit") + 1 +
				strlen("fork") + 1);	/* 1 exit, 2 fork, 3 read */
	assert_string_equal(seccomp_names + seccomp_name_off[3] - 1, "read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_list),
		cmocka_unit_test(test_vcpu_list),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
