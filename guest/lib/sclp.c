/*
 * SCLP requests: SERVICE CALL and its completion interruption, the SCLP
 * lock, READ SCP INFO.
 */
#include "sclp.h"
#include "ctlreg.h"
#include "interrupt.h"
#include "psw.h"
#include "smp.h"
#include "string.h"

struct sclp_info sclp_info;

/* Page 0 for normal requests, page 1 for a request nested in one. */
static u8 sccb_pages[2][SCCB_SIZE] __aligned(SCCB_SIZE);
static volatile int sccb_done[2];

static struct {
	int owner;			/* CPU address + 1, 0 = free */
	int depth;
} sclp_mutex;

/* SERVICE CALL (B220, RRE): R1 = command word, R2 = SCCB real address. */
static inline int servc(u32 command, void *sccb)
{
	int cc;

	__asm__ __volatile__(
		"	.insn	rre, 0xb2200000, %[cmd], %[sccb]\n"
		"	ipm	%[cc]\n"
		"	srl	%[cc], 28\n"
		: [cc] "=d" (cc)
		: [cmd] "d" ((u64)command), [sccb] "a" (sccb)
		: "cc", "memory");
	return cc;
}

/*
 * The interruption parameter is the SCCB address with the low bits
 * telling whether events are waiting to be read; only the address matters
 * to a guest that reads no events.
 */
static void sclp_service_signal(struct irq_frame *f __unused, u16 code __unused,
				u16 cpu_addr __unused, u32 param)
{
	u64 addr = param & ~7U;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sccb_pages); i++)
		if (addr == (u64)sccb_pages[i])
			sccb_done[i] = 1;
}

void sclp_setup(void)
{
	ext_register(EXT_CODE_SERVICE_SIGNAL, sclp_service_signal);
}

void *sclp_lock(void)
{
	int me = stap() + 1, free = 0;

	if (READ_ONCE(sclp_mutex.owner) == me) {
		sclp_mutex.depth++;
		return sccb_pages[1];
	}
	while (!__atomic_compare_exchange_n(&sclp_mutex.owner, &free, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		free = 0;
	sclp_mutex.depth = 1;
	return sccb_pages[0];
}

void sclp_unlock(void)
{
	if (--sclp_mutex.depth == 0)
		__atomic_store_n(&sclp_mutex.owner, 0, __ATOMIC_RELEASE);
}

int sclp_service_call(u32 command, void *sccb)
{
	unsigned int slot = sccb == sccb_pages[1];
	u64 cr0 = ctl_get(0);
	u8 mask = irq_save();
	int cc;

	/*
	 * The service signal is a floating interruption: any CPU enabled for
	 * it may take it.  Only the CPU that waits enables the subclass, and
	 * only it (every other external subclass off), so the completion
	 * comes here and nothing else is handled in the middle of a print.
	 */
	sccb_done[slot] = 0;
	ctl_load(0, (cr0 & ~CR0_EXT_SUBCLASSES) | CR0_SERVICE_SIGNAL);
	for (;;) {
		cc = servc(command, sccb);
		if (cc != 2)
			break;
		/* Busy: let a pending completion in, then try again. */
		ext_enable();
		ext_disable();
	}
	if (cc == 0)
		while (!sccb_done[slot])
			wait_for_ext();
	ctl_load(0, cr0);
	irq_restore(mask);
	return cc;
}

int sclp_service_call_start(u32 command, void *sccb)
{
	int cc;

	do {
		cc = servc(command, sccb);
	} while (cc == 2);
	return cc;
}

int sclp_read_info(void)
{
	struct read_info_sccb *sccb = sclp_lock();
	u32 command = SCLP_CMD_READ_SCP_INFO_FORCED;
	u64 rnmax, rnsize;
	unsigned int i, n;
	int cc;

	for (;;) {
		memset(sccb, 0, SCCB_SIZE);
		sccb->h.length = SCCB_SIZE;
		cc = sclp_service_call(command, sccb);
		if (cc || sccb->h.response_code != SCLP_RC_INVALID_COMMAND ||
		    command == SCLP_CMD_READ_SCP_INFO)
			break;
		command = SCLP_CMD_READ_SCP_INFO;
	}
	sclp_info.command = command;
	sclp_info.response = sccb->h.response_code;
	if (cc || sccb->h.response_code != SCLP_RC_NORMAL_READ) {
		sclp_unlock();
		return -1;
	}

	rnmax = sccb->rnmax ? sccb->rnmax : sccb->rnmax2;
	rnsize = sccb->rnsize ? sccb->rnsize : sccb->rnsize2;
	sclp_info.mem_size = rnmax * rnsize << 20;
	sclp_info.highest_cpu = sccb->highest_cpu;

	n = sccb->entries_cpu;
	if (n > SCLP_MAX_CPUS)
		n = SCLP_MAX_CPUS;
	for (i = 0; i < n; i++) {
		const struct sclp_cpu_entry *e = (const void *)((const u8 *)sccb +
			sccb->offset_cpu + i * sizeof(*e));

		if ((const u8 *)(e + 1) > (const u8 *)sccb + SCCB_SIZE)
			break;
		sclp_info.cpu_addr[i] = e->address;
	}
	sclp_info.nr_cpus = i;
	sclp_info.valid = true;
	sclp_unlock();
	return 0;
}
