/*
 * SCLP, the service-call logical processor: SERVICE CALL with an SCCB,
 * completion by the service-signal external interruption (0x2401), and
 * READ SCP INFO for the memory size and the CPU list.
 *
 * Requests go one at a time.  SCCBs are 4 KiB pages owned by this file,
 * 8-byte (in fact 4 KiB) aligned and above the first 8 KiB, as the
 * architecture wants.
 */
#ifndef GUEST_SCLP_H
#define GUEST_SCLP_H

#include "types.h"

#define SCCB_SIZE			4096

#define SCLP_CMD_READ_CPU_INFO		0x00010001
#define SCLP_CMD_READ_SCP_INFO		0x00020001
#define SCLP_CMD_READ_SCP_INFO_FORCED	0x00120001
#define SCLP_CMD_WRITE_EVENT_DATA	0x00760005
#define SCLP_CMD_READ_EVENT_DATA	0x00770005
#define SCLP_CMD_WRITE_EVENT_MASK	0x00780005

#define SCLP_RC_NORMAL_READ		0x0010
#define SCLP_RC_NORMAL_COMPLETION	0x0020
#define SCLP_RC_INVALID_COMMAND		0x01f0

struct sccb_header {
	u16 length;
	u8 function_code;
	u8 control_mask[3];
	u16 response_code;
} __packed;

_Static_assert(sizeof(struct sccb_header) == 8, "SCCB header");

/* READ SCP INFO response, the fields this library reads. */
struct read_info_sccb {
	struct sccb_header h;		/* 0 */
	u16 rnmax;			/* 8: storage increments */
	u8 rnsize;			/* 10: increment size, MiB */
	u8 pad_11[16 - 11];
	u16 entries_cpu;		/* 16 */
	u16 offset_cpu;			/* 18 */
	u8 pad_20[100 - 20];
	u32 rnsize2;			/* 100: used when rnsize is 0 */
	u64 rnmax2;			/* 104: used when rnmax is 0 */
	u8 pad_112[120 - 112];
	u16 highest_cpu;		/* 120 */
} __packed;

_Static_assert(offsetof(struct read_info_sccb, entries_cpu) == 16, "cpus");
_Static_assert(offsetof(struct read_info_sccb, rnsize2) == 100, "rnsize2");
_Static_assert(offsetof(struct read_info_sccb, rnmax2) == 104, "rnmax2");
_Static_assert(offsetof(struct read_info_sccb, highest_cpu) == 120, "maxcpu");

struct sclp_cpu_entry {
	u8 address;			/* 0 */
	u8 pad_1[14 - 1];
	u8 type;			/* 14: 0 = CP */
	u8 pad_15;
} __packed;

_Static_assert(sizeof(struct sclp_cpu_entry) == 16, "CPU entry");

#define SCLP_MAX_CPUS	((SCCB_SIZE - 128) / sizeof(struct sclp_cpu_entry))

/* What READ SCP INFO told us. */
struct sclp_info {
	bool valid;
	u32 command;			/* the READ SCP INFO variant that worked */
	u16 response;			/* its response code */
	u64 mem_size;			/* bytes */
	unsigned int nr_cpus;
	u16 highest_cpu;
	u16 cpu_addr[SCLP_MAX_CPUS];
};

extern struct sclp_info sclp_info;

/* Install the service-signal handler. */
void sclp_setup(void);

/*
 * Take the SCLP for one or more requests and get the SCCB page to use.
 * The lock is recursive per CPU (a program check while a request is being
 * built may still print); the nested level gets a page of its own.
 */
void *sclp_lock(void);
void sclp_unlock(void);

/*
 * Issue one command with an SCCB from sclp_lock() and wait for its
 * completion.  Returns the SERVICE CALL condition code (0 = done); the
 * result is in the SCCB's response code.
 */
int sclp_service_call(u32 command, void *sccb);

/*
 * Issue one command and return at once, without waiting for (or enabling)
 * its completion: the service signal, with the SCCB address as parameter,
 * stays pending until some CPU enables the service-signal subclass and
 * external interruptions, and the caller's own service-signal handler
 * must recognise it (the library's ignores SCCBs it does not own).  The
 * SCCB is the caller's, and no other request may be started (no printing)
 * until the completion arrived.  Retried while the answer is CC 2 (busy);
 * returns the condition code.
 */
int sclp_service_call_start(u32 command, void *sccb);

/* READ SCP INFO into sclp_info; returns 0 or -1. */
int sclp_read_info(void);

#endif
