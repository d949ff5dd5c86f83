// SPDX-License-Identifier: MIT
/*
 * SERVICE CALL: the checks that end in a program interruption, the ones
 * that end in a response code, READ SCP INFO, READ CPU INFO, the
 * completion and its service signal, and the migration state. The event
 * facility is in sclp-event.c. Facts and their QEMU sources: docs/sclp.md.
 */
#include <errno.h>
#include <string.h>

#include "bswap.h"
#include "sclp.h"

/* SCCB header fields. */
#define H_LENGTH		0
#define H_CONTROL_2		5	/* bit 0x80: variable-length response */
#define H_RESPONSE		6
#define SCCB_VARIABLE_LENGTH	0x80

/* READ SCP INFO. */
#define RI_RNMAX		8
#define RI_RNSIZE		10
#define RI_ENTRIES_CPU		16
#define RI_OFFSET_CPU		18
#define RI_LOADPARM		24
#define RI_FACILITIES		48
#define RI_IBC			76
#define RI_CONF_CHAR		80
#define RI_MHA_POW		99
#define RI_RNSIZE2		100
#define RI_RNMAX2		104
#define RI_CONF_CHAR_EXT	116
#define RI_HIGHEST_CPU		120
#define RI_HMFAI		124
#define RI_FAC134		134
#define RI_SIZE			144	/* fixed part, as QEMU sizes it */
#define RI_FIXED_CPU_OFFSET	128	/* CPU entries without extended length */

/* READ CPU INFO. */
#define RC_NR_CONFIGURED	8
#define RC_OFFSET_CONFIGURED	10
#define RC_NR_STANDBY		12
#define RC_OFFSET_STANDBY	14
#define RC_SIZE			24

/* CPU entry: address, SIE features, type (0 = CP). */
#define CPU_ENTRY_SIZE		16
#define CE_FEATURES		2
#define CE_FEATURES_LEN		6
#define CE_TYPE			14

/* Configure / deconfigure I/O adapter. */
#define IOA_SIZE		16
#define IOA_ATYPE		8

#define SCCB_LOW_BLOCK		0x1fffULL	/* the 8 KiB lowcore block */
#define SCCB_ADDR_BITS		0x7ffffff8ULL	/* 8-aligned, below 2 GiB */
#define PREFIX_MASK		0x7fffe000u
#define PAGE_4K			4096ULL

void sclp_config_default(struct sclp_config *cfg, uint64_t mem_size,
			 unsigned int ncpus, unsigned int max_cpus)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = mem_size;
	cfg->ncpus = ncpus;
	for (unsigned int i = 0; i < ncpus && i < SCLP_MAX_CPUS; i++)
		cfg->cpu_addr[i] = (uint8_t)i;
	cfg->max_cpus = max_cpus;
	cfg->vt220 = true;
	memset(cfg->loadparm, 0x40, sizeof(cfg->loadparm));	/* blanks */
	/* CPU info + I/O adapter reconfiguration, as measured. */
	cfg->facilities = 0x0c00000040000000ULL;
	cfg->conf_char[5] = 0x02;	/* bit 46: ESOP */
	cfg->mha_pow = 47;
	cfg->hmfai = 0x08000000;
}

int sclp_init(struct sclp *s, const struct sclp_config *cfg,
	      sclp_output_fn out, void *opaque)
{
	bool seen[256] = { false };

	if (cfg->mem_size < (1u << 20) || cfg->max_cpus == 0 ||
	    cfg->max_cpus > SCLP_MAX_CPUS || cfg->ncpus == 0 ||
	    cfg->ncpus > cfg->max_cpus)
		return -EINVAL;
	for (unsigned int i = 0; i < cfg->ncpus; i++) {
		if (cfg->cpu_addr[i] >= cfg->max_cpus || seen[cfg->cpu_addr[i]])
			return -EINVAL;
		seen[cfg->cpu_addr[i]] = true;
	}
	s->cfg = *cfg;
	s->out = out;
	s->opaque = opaque;
	sclp_reset(s);
	return 0;
}

void sclp_reset(struct sclp *s)
{
	s->receive_mask = 0;
	s->mask_length = 4;
	s->busy = false;
	s->busy_param = 0;
	s->quiesce = false;
	s->in_len = 0;
}

static void set_rc(uint8_t *sccb, uint16_t rc)
{
	put_be16(sccb + H_RESPONSE, rc);
}

/*
 * 0x0300; with the extended-length facility and the variable-length bit
 * the SCCB length field says how much would have been needed.
 */
static void insufficient(const struct sclp *s, uint8_t *sccb,
			 unsigned int required)
{
	if (s->cfg.ext_len_sccb && (sccb[H_CONTROL_2] & SCCB_VARIABLE_LENGTH))
		put_be16(sccb + H_LENGTH, (uint16_t)required);
	set_rc(sccb, SCLP_RC_INSUFFICIENT_LENGTH);
}

static void cpu_entries(const struct sclp *s, uint8_t *e)
{
	for (unsigned int i = 0; i < s->cfg.ncpus; i++, e += CPU_ENTRY_SIZE) {
		e[0] = s->cfg.cpu_addr[i];
		memset(e + CE_FEATURES, 0, CE_FEATURES_LEN);
		e[CE_TYPE] = 0;
	}
}

static void or_bytes(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] |= src[i];
}

/*
 * Memory is described in 1 MiB increments (QEMU since 5.0): rnsize 1 and
 * rnmax the MiB count, or rnmax 0 and the count in rnmax2 from 64 GiB up.
 * Fields QEMU does not write keep the guest's bytes.
 */
static void read_scp_info(const struct sclp *s, uint8_t *sccb)
{
	const struct sclp_config *c = &s->cfg;
	unsigned int required = RI_SIZE + c->max_cpus * CPU_ENTRY_SIZE;
	unsigned int off = c->ext_len_sccb ? RI_SIZE : RI_FIXED_CPU_OFFSET;
	uint64_t mib = c->mem_size >> 20;

	if (get_be16(sccb + H_LENGTH) < required) {
		insufficient(s, sccb, required);
		return;
	}
	cpu_entries(s, sccb + off);
	put_be16(sccb + RI_ENTRIES_CPU, (uint16_t)c->ncpus);
	put_be16(sccb + RI_OFFSET_CPU, (uint16_t)off);
	put_be16(sccb + RI_HIGHEST_CPU, (uint16_t)(c->max_cpus - 1));
	put_be32(sccb + RI_IBC, c->ibc);
	or_bytes(sccb + RI_CONF_CHAR, c->conf_char, sizeof(c->conf_char));
	or_bytes(sccb + RI_CONF_CHAR_EXT, c->conf_char_ext,
		 sizeof(c->conf_char_ext));
	if (c->ext_len_sccb)
		sccb[RI_FAC134] |= c->fac134;
	put_be64(sccb + RI_FACILITIES, c->facilities);
	sccb[RI_MHA_POW] = c->mha_pow;
	put_be32(sccb + RI_HMFAI, c->hmfai);
	sccb[RI_RNSIZE] = 1;
	if (mib < 0x10000) {
		put_be16(sccb + RI_RNMAX, (uint16_t)mib);
	} else {
		put_be16(sccb + RI_RNMAX, 0);
		put_be64(sccb + RI_RNMAX2, mib);
	}
	memcpy(sccb + RI_LOADPARM, c->loadparm, sizeof(c->loadparm));
	set_rc(sccb, SCLP_RC_NORMAL_READ);
}

static void read_cpu_info(const struct sclp *s, uint8_t *sccb)
{
	const struct sclp_config *c = &s->cfg;
	unsigned int required = RC_SIZE + c->max_cpus * CPU_ENTRY_SIZE;

	if (get_be16(sccb + H_LENGTH) < required) {
		insufficient(s, sccb, required);
		return;
	}
	cpu_entries(s, sccb + RC_SIZE);
	put_be16(sccb + RC_NR_CONFIGURED, (uint16_t)c->ncpus);
	put_be16(sccb + RC_OFFSET_CONFIGURED, RC_SIZE);
	put_be16(sccb + RC_NR_STANDBY, 0);
	put_be16(sccb + RC_OFFSET_STANDBY,
		 (uint16_t)(RC_SIZE + c->ncpus * CPU_ENTRY_SIZE));
	set_rc(sccb, SCLP_RC_NORMAL_READ);
}

/* No zPCI: every adapter type is unknown. */
static void configure_ioa(uint8_t *sccb)
{
	if (get_be16(sccb + H_LENGTH) < IOA_SIZE)
		set_rc(sccb, SCLP_RC_INSUFFICIENT_LENGTH);
	else
		set_rc(sccb, SCLP_RC_ADAPTER_TYPE);
}

static bool command_known(uint32_t command)
{
	switch (command & SCLP_CMD_MASK) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
	case SCLP_CMD_READ_CPU_INFO:
	case SCLP_CMD_CONFIGURE_IOA:
	case SCLP_CMD_DECONFIGURE_IOA:
	case SCLP_CMD_READ_EVENT_DATA:
	case SCLP_CMD_WRITE_EVENT_DATA:
	case SCLP_CMD_WRITE_EVENT_MASK:
		return true;
	}
	return false;
}

/*
 * An SCCB stays inside its 4 KiB page, except that the extended-length
 * facility lets READ SCP INFO and READ CPU INFO use a longer one.
 */
static bool boundary_ok(const struct sclp *s, uint64_t sccb, uint16_t len,
			uint32_t command)
{
	switch (command & SCLP_CMD_MASK) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
	case SCLP_CMD_READ_CPU_INFO:
		if (s->cfg.ext_len_sccb)
			return true;
		break;
	}
	return sccb + len - 1 < (sccb & ~(PAGE_4K - 1)) + PAGE_4K;
}

static void execute(struct sclp *s, uint8_t *sccb, uint32_t command)
{
	switch (command & SCLP_CMD_MASK) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
		read_scp_info(s, sccb);
		break;
	case SCLP_CMD_READ_CPU_INFO:
		read_cpu_info(s, sccb);
		break;
	case SCLP_CMD_CONFIGURE_IOA:
	case SCLP_CMD_DECONFIGURE_IOA:
		configure_ioa(sccb);
		break;
	case SCLP_CMD_READ_EVENT_DATA:
		sclp_event_read_data(s, sccb);
		break;
	case SCLP_CMD_WRITE_EVENT_DATA:
		sclp_event_write_data(s, sccb);
		break;
	case SCLP_CMD_WRITE_EVENT_MASK:
		sclp_event_write_mask(s, sccb);
		break;
	}
}

/* The program-interruption code the SCCB address and length call for. */
static uint16_t check_sccb(const uint8_t *mem, uint64_t mem_size,
			   uint64_t sccb, uint32_t prefix, uint16_t *len)
{
	if (sccb >= mem_size)
		return SCLP_PGM_ADDRESSING;
	if ((sccb & ~SCCB_LOW_BLOCK) == 0 ||
	    (sccb & ~SCCB_LOW_BLOCK) == (prefix & PREFIX_MASK) ||
	    (sccb & ~SCCB_ADDR_BITS) != 0)
		return SCLP_PGM_SPECIFICATION;
	if (mem_size - sccb < 8)
		return SCLP_PGM_ADDRESSING;
	*len = get_be16(mem + sccb + H_LENGTH);
	if (*len < 8)
		return SCLP_PGM_SPECIFICATION;
	return 0;
}

/*
 * QEMU's order (sclp_service_call): privileged operation; an SCCB address
 * outside memory (addressing, before the specification checks); in the
 * first 8 KiB, in the prefix area, not 8-byte aligned or from 2 GiB up
 * (specification); header length below 8 (specification). zvmm then
 * answers CC 2 while busy. The unknown-command and 4 KiB-boundary checks
 * end in response codes. An SCCB whose end lies past memory is no
 * exception (measured on QEMU 7.2): QEMU reads and writes back only the
 * part inside memory, and as memory ends on a page boundary such an SCCB
 * crosses a page, so it ends in 0x01f0 or 0x0100.
 */
void sclp_servc(struct sclp *s, uint8_t *mem, uint64_t mem_size,
		uint64_t sccb, uint32_t command, uint32_t prefix,
		bool problem_state, struct sclp_result *res)
{
	uint16_t len = 0, avail, pgm;

	memset(res, 0, sizeof(*res));
	res->action = SCLP_SET_CC;
	pgm = problem_state ? SCLP_PGM_PRIVILEGED :
			      check_sccb(mem, mem_size, sccb, prefix, &len);
	if (pgm) {
		res->action = SCLP_PROGRAM;
		res->pgm_code = pgm;
		return;
	}
	if (s->busy) {
		res->cc = 2;
		return;
	}

	/* Work on a copy: other vCPUs may change the SCCB meanwhile. */
	avail = mem_size - sccb < len ? (uint16_t)(mem_size - sccb) : len;
	memcpy(s->work, mem + sccb, avail);
	memset(s->work + avail, 0, len - avail);
	if (!command_known(command))
		set_rc(s->work, SCLP_RC_INVALID_COMMAND);
	else if (!boundary_ok(s, sccb, len, command))
		set_rc(s->work, SCLP_RC_BOUNDARY_VIOLATION);
	else
		execute(s, s->work, command);
	memcpy(mem + sccb, s->work, avail);

	res->raise = true;
	res->param = (uint32_t)(sccb & ~3ULL) |
		     (sclp_event_pending(s) ? SCLP_PARAM_EVENT_PENDING : 0);
	s->busy = true;
	s->busy_param = res->param;
}

void sclp_signal_delivered(struct sclp *s)
{
	s->busy = false;
	s->busy_param = 0;
}

bool sclp_busy(const struct sclp *s)
{
	return s->busy;
}

/*
 * State format, big-endian:
 *   0 "SCLP", 4 u16 version (1), 6 u16 flags (bit 0: busy, bit 1:
 *   signal quiesce pending),
 *   8 u32 parameter of the undelivered completion (0 when not busy),
 *   12 u16 event mask length, 14 u16 VT220 input length n,
 *   16 u64 guest receive mask, 24 n input bytes.
 */
#define ST_VERSION		1
#define ST_FLAG_BUSY		0x0001
#define ST_FLAG_QUIESCE		0x0002

ssize_t sclp_save(const struct sclp *s, uint8_t *buf, size_t size)
{
	size_t len = SCLP_STATE_HDR + s->in_len;

	if (size < len)
		return -ENOSPC;
	memcpy(buf, "SCLP", 4);
	put_be16(buf + 4, ST_VERSION);
	put_be16(buf + 6, (s->busy ? ST_FLAG_BUSY : 0) |
			  (s->quiesce ? ST_FLAG_QUIESCE : 0));
	put_be32(buf + 8, s->busy_param);
	put_be16(buf + 12, s->mask_length);
	put_be16(buf + 14, s->in_len);
	put_be64(buf + 16, s->receive_mask);
	memcpy(buf + SCLP_STATE_HDR, s->in_buf, s->in_len);
	return (ssize_t)len;
}

/* A completion parameter: an SCCB address SERVICE CALL accepts, bit 0. */
static bool param_ok(uint32_t param)
{
	uint32_t addr = param & ~3u;

	return (param & 2) == 0 && (addr & 7) == 0 && addr >= 0x2000 &&
	       addr < 0x80000000u;
}

int sclp_load(struct sclp *s, const uint8_t *buf, size_t len)
{
	uint16_t flags, mask_length, in_len;
	uint32_t param;

	if (len < SCLP_STATE_HDR || memcmp(buf, "SCLP", 4) != 0 ||
	    get_be16(buf + 4) != ST_VERSION)
		return -EINVAL;
	flags = get_be16(buf + 6);
	param = get_be32(buf + 8);
	mask_length = get_be16(buf + 12);
	in_len = get_be16(buf + 14);
	if (flags & ~(ST_FLAG_BUSY | ST_FLAG_QUIESCE))
		return -EINVAL;
	if ((flags & ST_FLAG_BUSY) ? !param_ok(param) : param != 0)
		return -EINVAL;
	if (mask_length == 0 || mask_length > 1021)
		return -EINVAL;
	if (in_len > SCLP_VT220_BUF || (in_len && !s->cfg.vt220) ||
	    len != SCLP_STATE_HDR + (size_t)in_len)
		return -EINVAL;

	s->busy = flags & ST_FLAG_BUSY;
	s->quiesce = flags & ST_FLAG_QUIESCE;
	s->busy_param = param;
	s->mask_length = mask_length;
	s->receive_mask = get_be64(buf + 16);
	s->in_len = in_len;
	memcpy(s->in_buf, buf + SCLP_STATE_HDR, in_len);
	return 0;
}
