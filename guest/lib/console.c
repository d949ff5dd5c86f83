/*
 * SCLP VT220 console output.
 */
#include "console.h"
#include "sclp.h"
#include "string.h"

struct event_buffer_header {
	u16 length;
	u8 type;
	u8 flags;
	u16 reserved;
} __packed;

struct write_event_mask_sccb {
	struct sccb_header h;
	u16 reserved;
	u16 mask_length;
	u32 cp_receive_mask;		/* events the guest reads */
	u32 cp_send_mask;		/* events the guest writes */
	u32 sclp_receive_mask;		/* events the SCLP accepts */
	u32 sclp_send_mask;		/* events the SCLP can send */
} __packed;

struct write_event_data_sccb {
	struct sccb_header h;
	struct event_buffer_header ebh;
	char data[];
} __packed;

_Static_assert(sizeof(struct write_event_mask_sccb) == 28, "WEM SCCB");
_Static_assert(sizeof(struct write_event_data_sccb) == 14, "WED SCCB");

/* Leave the SCCB well inside its page. */
#define VT220_CHUNK	(SCCB_SIZE - 256)

static bool console_ok;

int console_setup(void)
{
	struct write_event_mask_sccb *sccb = sclp_lock();
	int cc;

	memset(sccb, 0, SCCB_SIZE);
	sccb->h.length = sizeof(*sccb);
	sccb->mask_length = sizeof(u32);
	sccb->cp_send_mask = EVENT_MASK(EVENT_TYPE_VT220);
	cc = sclp_service_call(SCLP_CMD_WRITE_EVENT_MASK, sccb);
	console_ok = cc == 0 &&
		     sccb->h.response_code == SCLP_RC_NORMAL_COMPLETION &&
		     (sccb->sclp_receive_mask & EVENT_MASK(EVENT_TYPE_VT220));
	sclp_unlock();
	return console_ok ? 0 : -1;
}

size_t console_build_write(void *page, const char *buf, size_t len)
{
	struct write_event_data_sccb *sccb = page;
	size_t n = len < VT220_CHUNK ? len : VT220_CHUNK;

	memset(sccb, 0, sizeof(*sccb));
	sccb->h.length = (u16)(sizeof(*sccb) + n);
	sccb->ebh.length = (u16)(sizeof(sccb->ebh) + n);
	sccb->ebh.type = EVENT_TYPE_VT220;
	memcpy(sccb->data, buf, n);
	return n;
}

void console_write(const char *buf, size_t len)
{
	void *sccb;
	size_t n;

	if (!console_ok)
		return;
	sccb = sclp_lock();
	while (len) {
		n = console_build_write(sccb, buf, len);
		/* Nothing useful to do with an error: there is no other output. */
		(void)sclp_service_call(SCLP_CMD_WRITE_EVENT_DATA, sccb);
		buf += n;
		len -= n;
	}
	sclp_unlock();
}

void console_lock(void)
{
	(void)sclp_lock();
}

void console_unlock(void)
{
	sclp_unlock();
}
