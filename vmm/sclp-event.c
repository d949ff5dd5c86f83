// SPDX-License-Identifier: MIT
/*
 * The SCLP event facility: WRITE EVENT MASK, WRITE EVENT DATA, READ EVENT
 * DATA, and the event types behind them: the VT220 console (0x1a, output
 * and input), the line-mode console (output of types 0x02 and 0x09), and
 * the two types QEMU always announces and zvmm never sends (signal
 * quiesce 0x1d, configuration-management data 0x04). All of it works on
 * the private SCCB copy that sclp.c hands over, which is at least as long
 * as its header length and never longer than 4 KiB here.
 */
#include <string.h>

#include "bswap.h"
#include "sclp.h"

#define H_LENGTH		0
#define H_FUNCTION		2
#define H_CONTROL_2		5
#define H_RESPONSE		6
#define SCCB_HDR		8
#define SCCB_VARIABLE_LENGTH	0x80

/* Event buffer header: u16 length, u8 type, u8 flags, u16 reserved. */
#define EB_HDR			6
#define EB_TYPE			2
#define EB_FLAGS		3
#define EB_ACCEPTED		0x80

/* WRITE EVENT MASK: u16 reserved, u16 mask length, then four masks. */
#define WEM_MASK_LENGTH		10
#define WEM_MASKS		12
#define MASK_LENGTH_MAX		1021

#define FC_NORMAL_WRITE		0
#define FC_UNCONDITIONAL_READ	0
#define FC_SELECTIVE_READ	1

/* Line mode: message data block header, then objects {u16 len, u16 type}. */
#define MDB_HDR			12
#define MDBO_HDR		4
#define MDBO_MTO		4	/* message text object */
#define MTO_TEXT		10	/* length, type, flags, alarm, reserved */

/* EBCDIC to ASCII, the table QEMU converts line-mode output with. */
static const uint8_t ebcdic_to_ascii[256] = {
	0x00, 0x01, 0x02, 0x03, 0x07, 0x09, 0x07, 0x7f,
	0x07, 0x07, 0x07, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x07, 0x0a, 0x08, 0x07,
	0x18, 0x19, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07,
	0x07, 0x07, 0x1c, 0x07, 0x07, 0x0a, 0x17, 0x1b,
	0x07, 0x07, 0x07, 0x07, 0x07, 0x05, 0x06, 0x07,
	0x07, 0x07, 0x16, 0x07, 0x07, 0x07, 0x07, 0x04,
	0x07, 0x07, 0x07, 0x07, 0x14, 0x15, 0x07, 0x1a,
	0x20, 0xff, 0x83, 0x84, 0x85, 0xa0, 0x07, 0x86,
	0x87, 0xa4, 0x5b, 0x2e, 0x3c, 0x28, 0x2b, 0x21,
	0x26, 0x82, 0x88, 0x89, 0x8a, 0xa1, 0x8c, 0x07,
	0x8d, 0xe1, 0x5d, 0x24, 0x2a, 0x29, 0x3b, 0x5e,
	0x2d, 0x2f, 0x07, 0x8e, 0x07, 0x07, 0x07, 0x8f,
	0x80, 0xa5, 0x07, 0x2c, 0x25, 0x5f, 0x3e, 0x3f,
	0x07, 0x90, 0x07, 0x07, 0x07, 0x07, 0x07, 0x07,
	0x70, 0x60, 0x3a, 0x23, 0x40, 0x27, 0x3d, 0x22,
	0x07, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0xae, 0xaf, 0x07, 0x07, 0x07, 0xf1,
	0xf8, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
	0x71, 0x72, 0xa6, 0xa7, 0x91, 0x07, 0x92, 0x07,
	0xe6, 0x7e, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
	0x79, 0x7a, 0xad, 0xab, 0x07, 0x07, 0x07, 0x07,
	0x9b, 0x9c, 0x9d, 0xfa, 0x07, 0x07, 0x07, 0xac,
	0xab, 0x07, 0xaa, 0x7c, 0x07, 0x07, 0x07, 0x07,
	0x7b, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47,
	0x48, 0x49, 0x07, 0x93, 0x94, 0x95, 0xa2, 0x07,
	0x7d, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
	0x51, 0x52, 0x07, 0x96, 0x81, 0x97, 0xa3, 0x98,
	0x5c, 0xf6, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58,
	0x59, 0x5a, 0xfd, 0x07, 0x99, 0x07, 0x07, 0x07,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x07, 0x07, 0x9a, 0x07, 0x07, 0x07,
};

static void set_rc(uint8_t *sccb, uint16_t rc)
{
	put_be16(sccb + H_RESPONSE, rc);
}

uint64_t sclp_event_host_receive_mask(const struct sclp *s)
{
	uint64_t m = 0;

	if (s->cfg.vt220)
		m |= SCLP_EV_BIT(SCLP_EV_VT220);
	if (s->cfg.line_mode)
		m |= SCLP_EV_BIT(SCLP_EV_MESSAGE) |
		     SCLP_EV_BIT(SCLP_EV_PRIORITY_MSG_CMD);
	return m;
}

uint64_t sclp_event_host_send_mask(const struct sclp *s)
{
	uint64_t m = SCLP_EV_BIT(SCLP_EV_SIGNAL_QUIESCE) |
		     SCLP_EV_BIT(SCLP_EV_CONFIG_MGT_DATA);

	if (s->cfg.vt220)
		m |= SCLP_EV_BIT(SCLP_EV_VT220);
	if (s->cfg.line_mode)
		m |= SCLP_EV_BIT(SCLP_EV_OPERATOR_COMMAND) |
		     SCLP_EV_BIT(SCLP_EV_PRIORITY_MSG_CMD);
	return m;
}

bool sclp_event_pending(const struct sclp *s)
{
	return (s->in_len && (s->receive_mask & SCLP_EV_BIT(SCLP_EV_VT220))) ||
	       (s->quiesce &&
		(s->receive_mask & SCLP_EV_BIT(SCLP_EV_SIGNAL_QUIESCE)));
}

/* A mask of `len` bytes as a 64-bit number: bytes past 8 are dropped. */
static uint64_t mask_get(const uint8_t *p, unsigned int len)
{
	uint64_t m = 0;

	for (unsigned int i = 0; i < 8; i++)
		m = m << 8 | (i < len ? p[i] : 0);
	return m;
}

static void mask_put(uint8_t *p, unsigned int len, uint64_t m)
{
	for (unsigned int i = 0; i < len; i++)
		p[i] = i < 8 ? (uint8_t)(m >> (56 - 8 * i)) : 0;
}

/*
 * Masks in order: CP receive (what the guest reads), CP send (what it
 * writes), SCLP receive, SCLP send. Only the first is kept, as QEMU does.
 */
void sclp_event_write_mask(struct sclp *s, uint8_t *sccb)
{
	unsigned int len = get_be16(sccb + H_LENGTH);
	unsigned int ml = get_be16(sccb + WEM_MASK_LENGTH);
	uint8_t *masks = sccb + WEM_MASKS;

	if (ml == 0 || ml > MASK_LENGTH_MAX) {
		set_rc(sccb, SCLP_RC_INVALID_MASK_LENGTH);
		return;
	}
	if (len < WEM_MASKS + 4 * ml) {
		set_rc(sccb, SCLP_RC_INSUFFICIENT_LENGTH);
		return;
	}
	s->receive_mask = mask_get(masks, ml);
	mask_put(masks + 2 * ml, ml, sclp_event_host_receive_mask(s));
	mask_put(masks + 3 * ml, ml, sclp_event_host_send_mask(s));
	s->mask_length = (uint16_t)ml;
	set_rc(sccb, SCLP_RC_NORMAL_COMPLETION);
}

/* Every buffer at least a header long and the last one ending the SCCB. */
static uint16_t write_length_check(const uint8_t *sccb)
{
	unsigned int left = get_be16(sccb + H_LENGTH) - SCCB_HDR;
	const uint8_t *eb = sccb + SCCB_HDR;

	while (left > 0) {
		unsigned int elen = left >= 2 ? get_be16(eb) : 0;

		if (elen < EB_HDR || elen > left)
			return SCLP_RC_EVENT_SYNTAX;
		left -= elen;
		eb += elen;
	}
	return SCLP_RC_NORMAL_COMPLETION;
}

static uint16_t vt220_write(struct sclp *s, uint8_t *eb, unsigned int elen)
{
	unsigned int n = elen - EB_HDR;

	eb[EB_FLAGS] |= EB_ACCEPTED;
	if (n && s->out && s->out(s->opaque, (const char *)eb + EB_HDR, n) < 0) {
		eb[EB_FLAGS] &= (uint8_t)~EB_ACCEPTED;
		return SCLP_RC_EQUIPMENT_CHECK;
	}
	return SCLP_RC_NORMAL_COMPLETION;
}

/* One line per message text object, after a newline, as QEMU prints. */
static void mto_print(struct sclp *s, const uint8_t *obj, unsigned int olen)
{
	char line[1 + SCLP_SCCB_SIZE];
	unsigned int n = olen > MTO_TEXT ? olen - MTO_TEXT : 0;

	line[0] = '\n';
	for (unsigned int i = 0; i < n; i++)
		line[1 + i] = (char)ebcdic_to_ascii[obj[MTO_TEXT + i]];
	/* QEMU counts write errors here and completes normally. */
	if (s->out)
		(void)s->out(s->opaque, line, 1 + n);
}

/*
 * A message: the event header, an MDB header whose length covers the
 * objects, then the objects. Where QEMU would read past the event buffer
 * (an MDB or object length field outside it) zvmm answers 0x72f0.
 */
static uint16_t line_mode_write(struct sclp *s, uint8_t *eb, unsigned int elen)
{
	const uint8_t *mdb = eb + EB_HDR, *obj;
	unsigned int room = elen - EB_HDR, mlen, left;

	if (room < 2)
		return SCLP_RC_INCONSISTENT_LENGTHS;
	mlen = get_be16(mdb);
	if (mlen < MDB_HDR || mlen > room)
		return SCLP_RC_INCONSISTENT_LENGTHS;
	for (left = mlen - MDB_HDR, obj = mdb + MDB_HDR; left > 0;) {
		unsigned int olen = left >= 2 ? get_be16(obj) : 0;

		if (olen == 0 || olen > left)
			return SCLP_RC_INCONSISTENT_LENGTHS;
		left -= olen;
		obj += olen;
	}
	for (left = mlen - MDB_HDR, obj = mdb + MDB_HDR; left > 0;) {
		unsigned int olen = get_be16(obj);

		if (olen >= MDBO_HDR && get_be16(obj + 2) == MDBO_MTO)
			mto_print(s, obj, olen);
		left -= olen;
		obj += olen;
	}
	eb[EB_FLAGS] = EB_ACCEPTED;
	return SCLP_RC_NORMAL_COMPLETION;
}

static uint16_t write_one(struct sclp *s, uint8_t *eb, unsigned int elen)
{
	switch (eb[EB_TYPE]) {
	case SCLP_EV_VT220:
		if (s->cfg.vt220)
			return vt220_write(s, eb, elen);
		break;
	case SCLP_EV_MESSAGE:
	case SCLP_EV_PRIORITY_MSG_CMD:
		if (s->cfg.line_mode)
			return line_mode_write(s, eb, elen);
		break;
	}
	return SCLP_RC_INVALID_FUNCTION;
}

/*
 * Buffers are handled in order until one fails; the ones after it lose
 * their accepted flag. The guest's CP send mask is not consulted (QEMU).
 */
void sclp_event_write_data(struct sclp *s, uint8_t *sccb)
{
	unsigned int left = get_be16(sccb + H_LENGTH) - SCCB_HDR;
	uint8_t *eb = sccb + SCCB_HDR;
	uint16_t rc;

	if (sccb[H_FUNCTION] != FC_NORMAL_WRITE) {
		set_rc(sccb, SCLP_RC_INVALID_FUNCTION);
		return;
	}
	rc = write_length_check(sccb);
	while (rc == SCLP_RC_NORMAL_COMPLETION && left > 0) {
		unsigned int elen = get_be16(eb);

		rc = write_one(s, eb, elen);
		left -= elen;
		eb += elen;
	}
	if (rc != SCLP_RC_EVENT_SYNTAX) {
		while (left > 0) {
			unsigned int elen = get_be16(eb);

			eb[EB_FLAGS] &= (uint8_t)~EB_ACCEPTED;
			left -= elen;
			eb += elen;
		}
	}
	set_rc(sccb, rc);
}

/*
 * VT220 input: a 0x00 byte ("ASCII data follows") and the characters, as
 * many as fit; `*left` is the room in the SCCB and shrinks by what was
 * stored.
 */
static void vt220_read(struct sclp *s, uint8_t *eb, unsigned int *left)
{
	unsigned int avail = *left - EB_HDR - 1;
	unsigned int n = s->in_len < avail ? s->in_len : avail;

	eb[EB_HDR] = 0;
	memcpy(eb + EB_HDR + 1, s->in_buf, n);
	memmove(s->in_buf, s->in_buf + n, s->in_len - n);
	s->in_len = (uint16_t)(s->in_len - n);
	put_be16(eb, (uint16_t)(EB_HDR + 1 + n));
	eb[EB_TYPE] = SCLP_EV_VT220;
	eb[EB_FLAGS] |= EB_ACCEPTED;
	*left -= EB_HDR + 1 + n;
}

/* Signal quiesce: no timeout (u16 @6) and unit (u8 @8), as QEMU. */
#define QUIESCE_LEN		9

static void quiesce_read(struct sclp *s, uint8_t *eb, unsigned int *left)
{
	put_be16(eb, QUIESCE_LEN);
	eb[EB_TYPE] = SCLP_EV_SIGNAL_QUIESCE;
	eb[EB_FLAGS] |= EB_ACCEPTED;
	put_be16(eb + EB_HDR, 0);
	eb[EB_HDR + 2] = 0;
	s->quiesce = false;
	*left -= QUIESCE_LEN;
}

/* In QEMU's order: the console first, then signal quiesce. */
static uint16_t read_events(struct sclp *s, uint8_t *sccb, uint64_t mask)
{
	unsigned int left = SCLP_SCCB_SIZE - SCCB_HDR;
	uint8_t *eb = sccb + SCCB_HDR;
	uint16_t rc = SCLP_RC_NO_EVENT_BUFFERS;

	put_be16(eb, 0);
	if ((mask & SCLP_EV_BIT(SCLP_EV_VT220)) && s->cfg.vt220 && s->in_len) {
		vt220_read(s, eb, &left);
		eb += get_be16(eb);
		rc = SCLP_RC_NORMAL_COMPLETION;
	}
	if ((mask & SCLP_EV_BIT(SCLP_EV_SIGNAL_QUIESCE)) && s->quiesce &&
	    left >= QUIESCE_LEN) {
		quiesce_read(s, eb, &left);
		rc = SCLP_RC_NORMAL_COMPLETION;
	}
	if (sccb[H_CONTROL_2] & SCCB_VARIABLE_LENGTH) {
		sccb[H_CONTROL_2] &= (uint8_t)~SCCB_VARIABLE_LENGTH;
		put_be16(sccb + H_LENGTH, (uint16_t)(SCLP_SCCB_SIZE - left));
	}
	return rc;
}

/*
 * Unconditional read: every type in the guest's receive mask. Selective
 * read: the mask after the header (as long as the last WRITE EVENT MASK's
 * masks) must be within the receive mask.
 */
void sclp_event_read_data(struct sclp *s, uint8_t *sccb)
{
	uint64_t sel;

	if (get_be16(sccb + H_LENGTH) != SCLP_SCCB_SIZE) {
		set_rc(sccb, SCLP_RC_INSUFFICIENT_LENGTH);
		return;
	}
	switch (sccb[H_FUNCTION]) {
	case FC_UNCONDITIONAL_READ:
		set_rc(sccb, read_events(s, sccb, s->receive_mask));
		break;
	case FC_SELECTIVE_READ:
		sel = mask_get(sccb + SCCB_HDR, s->mask_length);
		if (!s->receive_mask || (sel & ~s->receive_mask))
			set_rc(sccb, SCLP_RC_INVALID_SELECTION);
		else
			set_rc(sccb, read_events(s, sccb, sel));
		break;
	default:
		set_rc(sccb, SCLP_RC_INVALID_FUNCTION);
	}
}

void sclp_request_quiesce(struct sclp *s, struct sclp_result *res)
{
	memset(res, 0, sizeof(*res));
	res->action = SCLP_SET_CC;
	s->quiesce = true;
	if (sclp_event_pending(s)) {
		res->raise = true;
		res->param = SCLP_PARAM_EVENT_PENDING;
	}
}

size_t sclp_console_input(struct sclp *s, const void *buf, size_t len,
			  struct sclp_result *res)
{
	size_t room = SCLP_VT220_BUF - s->in_len;
	size_t n = len < room ? len : room;

	memset(res, 0, sizeof(*res));
	res->action = SCLP_SET_CC;
	if (!s->cfg.vt220 || n == 0)
		return 0;
	memcpy(s->in_buf + s->in_len, buf, n);
	s->in_len = (uint16_t)(s->in_len + n);
	if (sclp_event_pending(s)) {
		res->raise = true;
		res->param = SCLP_PARAM_EVENT_PENDING;
	}
	return n;
}
