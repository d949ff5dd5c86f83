/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_SCLP_H
#define ZVMM_SCLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The SCLP behind SERVICE CALL (B220): READ SCP/CPU INFO and the event
 * facility with the VT220 and line-mode consoles, as QEMU 7.2 answers them
 * (docs/sclp.md). No threads and no KVM calls: the vCPU loop decodes the
 * intercept, calls sclp_servc() with guest memory, and carries out the
 * returned action (set a condition code, inject a program interruption,
 * raise the service-signal external interruption). One caller at a time:
 * serialise the calls with a lock.
 */

/* Command words, compared after masking with SCLP_CMD_MASK. */
#define SCLP_CMD_MASK			0xffff00ffu
#define SCLP_CMD_READ_CPU_INFO		0x00010001u
#define SCLP_CMD_READ_SCP_INFO		0x00020001u
#define SCLP_CMD_READ_SCP_INFO_FORCED	0x00120001u
#define SCLP_CMD_CONFIGURE_IOA		0x001a0001u
#define SCLP_CMD_DECONFIGURE_IOA	0x001b0001u
#define SCLP_CMD_WRITE_EVENT_DATA	0x00760005u
#define SCLP_CMD_READ_EVENT_DATA	0x00770005u
#define SCLP_CMD_WRITE_EVENT_MASK	0x00780005u

/* Response codes (SCCB bytes 6-7). */
#define SCLP_RC_NORMAL_READ		0x0010
#define SCLP_RC_NORMAL_COMPLETION	0x0020
#define SCLP_RC_BOUNDARY_VIOLATION	0x0100
#define SCLP_RC_INVALID_COMMAND		0x01f0
#define SCLP_RC_INSUFFICIENT_LENGTH	0x0300
#define SCLP_RC_EQUIPMENT_CHECK		0x0340
#define SCLP_RC_ADAPTER_TYPE		0x06f0
#define SCLP_RC_INVALID_FUNCTION	0x40f0
#define SCLP_RC_NO_EVENT_BUFFERS	0x60f0
#define SCLP_RC_INVALID_SELECTION	0x70f0
#define SCLP_RC_INCONSISTENT_LENGTHS	0x72f0
#define SCLP_RC_EVENT_SYNTAX		0x73f0
#define SCLP_RC_INVALID_MASK_LENGTH	0x74f0

/* Event types. */
#define SCLP_EV_OPERATOR_COMMAND	0x01
#define SCLP_EV_MESSAGE			0x02
#define SCLP_EV_CONFIG_MGT_DATA		0x04
#define SCLP_EV_PRIORITY_MSG_CMD	0x09
#define SCLP_EV_VT220			0x1a
#define SCLP_EV_SIGNAL_QUIESCE		0x1d

/* An event mask as a 64-bit number: type T is bit T counted from the MSB. */
#define SCLP_EV_BIT(type)		(1ull << (64 - (type)))

#define SCLP_SCCB_SIZE			4096
#define SCLP_MAX_CPUS			248	/* QEMU's S390_MAX_CPUS */
#define SCLP_VT220_BUF			4080	/* QEMU's input buffer */
#define SCLP_PARAM_EVENT_PENDING	0x1u

/* Program-interruption codes sclp_servc() may ask for. */
#define SCLP_PGM_PRIVILEGED		0x02
#define SCLP_PGM_ADDRESSING		0x05
#define SCLP_PGM_SPECIFICATION		0x06

/*
 * What the machine looks like to READ SCP INFO and READ CPU INFO.
 * sclp_config_default() fills it the way QEMU 7.2 TCG with its "qemu" CPU
 * model answers (measured); the CPU-model fields can then be changed to
 * match another model.
 */
struct sclp_config {
	uint64_t mem_size;		/* bytes; reported in whole MiB */
	unsigned int ncpus;		/* configured CPUs, listed in order */
	uint8_t cpu_addr[SCLP_MAX_CPUS];
	unsigned int max_cpus;		/* highest CPU address + 1 */
	bool ext_len_sccb;		/* extended-length-SCCB facility (140) */
	bool vt220;			/* a VT220 console (event type 0x1a) */
	bool line_mode;			/* a line-mode console (types 1, 2, 9) */
	uint8_t loadparm[8];		/* EBCDIC */
	uint64_t facilities;		/* SCLP facilities @48 */
	uint32_t ibc;			/* @76 */
	uint8_t conf_char[19];		/* @80, OR-ed into the SCCB */
	uint8_t mha_pow;		/* @99 */
	uint8_t conf_char_ext[4];	/* @116, OR-ed */
	uint32_t hmfai;			/* @124 */
	uint8_t fac134;			/* @134, only with ext_len_sccb, OR-ed */
};

/*
 * Console output: VT220 bytes as the guest wrote them, line-mode text
 * converted to ASCII with a newline before each line (as QEMU prints it).
 * A negative return is a host I/O error: the VT220 buffer is then not
 * accepted and the request ends with 0x0340; line mode ignores it.
 */
typedef int (*sclp_output_fn)(void *opaque, const char *buf, size_t len);

/* Largest SCCB copy: the header length is 16 bits. */
#define SCLP_WORK_SIZE			65536

struct sclp {
	struct sclp_config cfg;
	sclp_output_fn out;
	void *opaque;
	/* Event facility: the guest's receive mask (first 8 bytes). */
	uint64_t receive_mask;
	uint16_t mask_length;
	/* A completion raised and not yet reported delivered. */
	bool busy;
	uint32_t busy_param;
	/* A signal-quiesce event (shutdown request) not yet read. */
	bool quiesce;
	/* VT220 input not yet read by the guest. */
	uint16_t in_len;
	uint8_t in_buf[SCLP_VT220_BUF];
	/* Private copy of the SCCB being handled. */
	uint8_t work[SCLP_WORK_SIZE];
};

/* What the vCPU loop must do after sclp_servc() or an input push. */
enum sclp_action {
	SCLP_SET_CC,		/* set condition code `cc`, re-enter */
	SCLP_PROGRAM,		/* inject program interruption `pgm_code` */
};

struct sclp_result {
	enum sclp_action action;
	uint8_t cc;
	uint16_t pgm_code;
	bool raise;		/* inject a service signal with `param` */
	uint32_t param;
};

void sclp_config_default(struct sclp_config *cfg, uint64_t mem_size,
			 unsigned int ncpus, unsigned int max_cpus);

/* Returns 0 or -EINVAL for a config QEMU could not describe. */
int sclp_init(struct sclp *s, const struct sclp_config *cfg,
	      sclp_output_fn out, void *opaque);

/* Back to the state after sclp_init() (a machine reset). */
void sclp_reset(struct sclp *s);

/*
 * SERVICE CALL: `sccb` is the R2 operand (a real address), `command` the
 * low word of R1, `prefix` the CPU's prefix register, `problem_state` the
 * PSW P bit. Guest memory is `mem` with `mem_size` bytes from absolute 0.
 * The response is written into guest memory before this returns.
 */
void sclp_servc(struct sclp *s, uint8_t *mem, uint64_t mem_size,
		uint64_t sccb, uint32_t command, uint32_t prefix,
		bool problem_state, struct sclp_result *res);

/*
 * The service signal raised by the last completion has been delivered to
 * the guest (or is known to be no longer pending): the next SERVICE CALL
 * is accepted again instead of getting CC 2.
 */
void sclp_signal_delivered(struct sclp *s);
bool sclp_busy(const struct sclp *s);

/*
 * Queue console input for READ EVENT DATA (VT220). Returns how many bytes
 * were taken (the buffer holds SCLP_VT220_BUF); res->raise asks for an
 * event-only service signal (parameter SCLP_PARAM_EVENT_PENDING), which
 * does not make the SCLP busy.
 */
size_t sclp_console_input(struct sclp *s, const void *buf, size_t len,
			  struct sclp_result *res);

/*
 * Ask the guest to shut down: a signal-quiesce event (0x1d) for READ
 * EVENT DATA, announced like console input.
 */
void sclp_request_quiesce(struct sclp *s, struct sclp_result *res);

/* Whether an event waits for the guest (the service-signal bit 0x1). */
bool sclp_event_pending(const struct sclp *s);

/*
 * Migration: the state above (not the config) in a fixed big-endian
 * format. sclp_save() returns the length written, or -ENOSPC when `size`
 * is below that; SCLP_STATE_MAX always suffices. sclp_load() checks
 * everything first and returns -EINVAL, leaving `s` untouched, on any
 * malformed input.
 */
#define SCLP_STATE_HDR			24
#define SCLP_STATE_MAX			(SCLP_STATE_HDR + SCLP_VT220_BUF)
ssize_t sclp_save(const struct sclp *s, uint8_t *buf, size_t size);
int sclp_load(struct sclp *s, const uint8_t *buf, size_t len);

/* Event facility (sclp-event.c), called by sclp.c on the work copy. */
void sclp_event_write_mask(struct sclp *s, uint8_t *sccb);
void sclp_event_write_data(struct sclp *s, uint8_t *sccb);
void sclp_event_read_data(struct sclp *s, uint8_t *sccb);
uint64_t sclp_event_host_receive_mask(const struct sclp *s);
uint64_t sclp_event_host_send_mask(const struct sclp *s);

#endif
