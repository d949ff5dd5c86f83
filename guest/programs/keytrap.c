/*
 * keytrap: instructions whose privileged or trapping side a user-mode
 * QEMU cannot show: INSERT PSW KEY and SET PSW KEY FROM ADDRESS in the
 * supervisor and the problem state (CR0 bit 36, the PSW-key mask in
 * CR3), compare and trap (data exception, DXC FF), and, so that the
 * machines compare their CPU-determined amounts too, COMPARE DOUBLE AND
 * SWAP (CDSG) and one MOVE LONG EXTENDED that stops at a page boundary.
 */
#include "ctlreg.h"
#include "interrupt.h"
#include "lowcore.h"
#include "printf.h"
#include "psw.h"
#include "setup.h"

#define CR0_EXTRACT_AUTH	0x0000000008000000UL	/* bit 36 */

static unsigned int passed, total;

static void report(const char *what, bool ok)
{
	total++;
	passed += ok;
	printf("keytrap: %-40s %s\n", what, ok ? "ok" : "FAIL");
}

/*
 * Run IPK (R2 preset to 0xAA) or SPKA 0x30 in the supervisor or the
 * problem state and come back in the supervisor state: with SVC 0, or
 * through the program interruption if there is one. Then read the PSW
 * key with EPSW and reset it to 0 before any store. Returns the
 * program-interruption code (0: none); *r2 is R2 after IPK, *key the
 * PSW key after the instruction.
 */
static u16 key_op(bool is_spka, bool problem, u64 *r2_out, u64 *key)
{
	struct psw psw = { .mask = psw_mask_get() | PSW_MASK_PSTATE };
	struct pgm_info info;
	register u64 r2 __asm__("2") = 0xAA;
	u64 psw_hi;

	pgm_expect(0);
	__asm__ __volatile__(
		"	larl	%%r1, 2f\n"
		"	stg	%%r1, 0(%[resume])\n"
		"	larl	%%r1, 0f\n"
		"	cgije	%[spka], 0, 1f\n"
		"	larl	%%r1, 3f\n"
		"1:	cgije	%[prob], 0, 5f\n"
		"	stg	%%r1, 8(%[psw])\n"
		"	lpswe	0(%[psw])\n"
		"5:	br	%%r1\n"
		"0:	ipk\n"
		"	j	4f\n"
		"3:	spka	0x30\n"
		"4:	cgije	%[prob], 0, 2f\n"
		"	svc	0\n"
		"2:	epsw	%[hi], %%r0\n"
		"	spka	0\n"
		: "+d" (r2), [hi] "=&d" (psw_hi)
		: [psw] "a" (&psw), [resume] "a" (pgm_resume_slot()),
		  [spka] "d" ((u64)is_spka), [prob] "d" ((u64)problem)
		: "r0", "r1", "cc", "memory");
	*r2_out = r2 & 0xFF;
	*key = (psw_hi >> 20) & 0xF;
	return pgm_expected_result(&info) ? info.code : 0;
}

static void key_case(const char *what, bool is_spka, bool problem, u16 want_code,
		     u64 want)
{
	u64 r2, key;
	u16 code = key_op(is_spka, problem, &r2, &key);
	u64 got = is_spka ? key : r2;

	if (code)
		printf("keytrap: %-36s code 0x%04x\n", what, code);
	else
		printf("keytrap: %-36s code 0x%04x %s 0x%02lx\n", what, code,
		       is_spka ? "key" : "r2", got);
	report(what, code == want_code && (code || got == want));
}

static void test_psw_key(void)
{
	key_case("ipk, supervisor", false, false, 0, 0x00);
	key_case("spka 3, supervisor", true, false, 0, 3);
	ctl_clear_bits(0, CR0_EXTRACT_AUTH);
	key_case("ipk, problem state, cr0.36=0", false, true, PGM_PRIVILEGED, 0);
	ctl_set_bits(0, CR0_EXTRACT_AUTH);
	key_case("ipk, problem state, cr0.36=1", false, true, 0, 0x00);
	ctl_clear_bits(0, CR0_EXTRACT_AUTH);
	ctl_load(3, 0x80000000UL);		/* PSW-key mask: key 0 only */
	key_case("spka 3, problem state, mask 0x8000", true, true, PGM_PRIVILEGED, 0);
	ctl_load(3, 0x90000000UL);		/* keys 0 and 3 */
	key_case("spka 3, problem state, mask 0x9000", true, true, 0, 3);
	ctl_load(3, 0);
}

static void test_trap(void)
{
	struct pgm_info info;
	u64 next;
	bool seen;

	/* cit %r2,5,8: equal traps */
	pgm_expect(0);
	__asm__ __volatile__(
		"	larl	%%r1, 1f\n"
		"	stg	%%r1, 0(%[resume])\n"
		"	stg	%%r1, %[next]\n"
		"	lghi	%%r2, 5\n"
		"	cit	%%r2, 5, 8\n"
		"1:\n"
		: [next] "=m" (next)
		: [resume] "a" (pgm_resume_slot())
		: "r1", "r2", "cc", "memory");
	seen = pgm_expected_result(&info);
	printf("keytrap: cit equal: code 0x%04x ilen %u dxc 0x%02x psw %s\n",
	       seen ? info.code : 0, info.ilen, info.dxc,
	       info.old_psw.addr == next ? "next" : "elsewhere");
	report("cit equal: data exception, dxc ff", seen && info.code == PGM_DATA &&
	       info.ilen == 6 && info.dxc == 0xFF && info.old_psw.addr == next);

	/* clgrt %r2,%r3,2 with r2 < r3: no trap */
	pgm_expect(0);
	__asm__ __volatile__(
		"	lghi	%%r2, 1\n"
		"	lghi	%%r3, 2\n"
		"	clgrt	%%r2, %%r3, 2\n"
		: : : "r2", "r3", "cc", "memory");
	report("clgrt low with mask high: no trap", !pgm_expected_result(&info));
}

static u8 page_pair[2 * 4096] __attribute__((aligned(4096)));
static struct { u64 hi, lo; } quad __attribute__((aligned(16)));

/*
 * MVCLE of the 200 bytes at page_pair + 6000 to 100 bytes before the page
 * boundary: once, or (loop) again while CC 3. Returns the CC; *left1 and
 * *left3 get the lengths left in R3 and R5.
 */
static unsigned int mvcle_pages(bool loop, u64 *left1, u64 *left3)
{
	register u64 r2 __asm__("2") = (u64)&page_pair[4096 - 100];
	register u64 r3 __asm__("3") = 200;
	register u64 r4 __asm__("4") = (u64)&page_pair[6000];
	register u64 r5 __asm__("5") = 200;
	unsigned int cc;

	/* CGIJ leaves the CC alone */
	__asm__ __volatile__("0:	mvcle	%%r2, %%r4, 0\n"
			     "	ipm	%[cc]\n"
			     "	jno	1f\n"
			     "	cgijne	%[loop], 0, 0b\n"
			     "1:	srl	%[cc], 28\n"
			     : [cc] "=&d" (cc), "+d" (r2), "+d" (r3), "+d" (r4), "+d" (r5)
			     : [loop] "d" ((u64)loop)
			     : "cc", "memory");
	*left1 = r3;
	*left3 = r5;
	return cc;
}

static void test_cdsg_mvcle(void)
{
	register u64 r2 __asm__("2"), r3 __asm__("3"), r4 __asm__("4"), r5 __asm__("5");
	unsigned int cc;

	quad.hi = 1;
	quad.lo = 2;
	r2 = 1; r3 = 2; r4 = 0x1111; r5 = 0x2222;
	__asm__ __volatile__("cdsg %%r2, %%r4, %[q]\n ipm %[cc]\n srl %[cc], 28"
			     : [cc] "=d" (cc), "+d" (r2), "+d" (r3), [q] "+QS" (quad)
			     : "d" (r4), "d" (r5) : "cc", "memory");
	report("cdsg equal: swapped, cc 0", cc == 0 && quad.hi == 0x1111 && quad.lo == 0x2222);
	r2 = 1; r3 = 2;
	__asm__ __volatile__("cdsg %%r2, %%r4, %[q]\n ipm %[cc]\n srl %[cc], 28"
			     : [cc] "=d" (cc), "+d" (r2), "+d" (r3), [q] "+QS" (quad)
			     : "d" (r4), "d" (r5) : "cc", "memory");
	report("cdsg unequal: loaded, cc 1", cc == 1 && r2 == 0x1111 && r3 == 0x2222);

	/* 200 bytes to 100 before a page boundary: one execution moves 100 */
	for (unsigned int i = 0; i < 200; i++)
		page_pair[6000 + i] = (u8)i;
	u64 len1, len3;
	cc = mvcle_pages(false, &len1, &len3);
	printf("keytrap: mvcle across a page: cc %u left %lu and %lu\n", cc, len1, len3);
	report("mvcle: cc 3 at the page boundary", cc == 3 && len1 == 100 && len3 == 100);
	cc = mvcle_pages(true, &len1, &len3);
	report("mvcle: repeated until cc 0, bytes equal", cc == 0 && len1 == 0 &&
	       page_pair[4096 - 100 + 199] == 199 && page_pair[4096 - 100] == 0);
}

int main(void)
{
	puts("keytrap: PSW key, compare and trap, CDSG, MVCLE");
	test_psw_key();
	test_trap();
	test_cdsg_mvcle();
	printf("keytrap: %u of %u passed\n", passed, total);
	return passed == total ? 0 : 1;
}
