/*
 * The z/Architecture lowcore: the 8 KiB at real address 0, i.e. at each
 * CPU's prefix.  The linker script defines the symbol `lowcore` at 0, so
 * lowcore.field is always the running CPU's own copy.
 */
#ifndef GUEST_LOWCORE_H
#define GUEST_LOWCORE_H

#include "asm-offsets.h"
#include "psw.h"
#include "types.h"

struct lowcore {
	u8	pad_0x0000[0x0080 - 0x0000];
	u32	ext_params;			/* 0x0080 */
	u16	ext_cpu_addr;			/* 0x0084 */
	u16	ext_int_code;			/* 0x0086 */
	u16	svc_ilc;			/* 0x0088 */
	u16	svc_code;			/* 0x008a */
	u16	pgm_ilc;			/* 0x008c */
	u16	pgm_code;			/* 0x008e */
	u32	data_exc_code;			/* 0x0090 */
	u16	mon_class_nr;			/* 0x0094 */
	u8	per_code;			/* 0x0096 */
	u8	per_atmid;			/* 0x0097 */
	u64	per_address;			/* 0x0098 */
	u8	exc_access_id;			/* 0x00a0 */
	u8	per_access_id;			/* 0x00a1 */
	u8	op_access_id;			/* 0x00a2 */
	u8	ar_mode_id;			/* 0x00a3 */
	u8	pad_0x00a4[0x00a8 - 0x00a4];
	u64	trans_exc_code;			/* 0x00a8 */
	u64	monitor_code;			/* 0x00b0 */
	u16	subchannel_id;			/* 0x00b8 */
	u16	subchannel_nr;			/* 0x00ba */
	u32	io_int_parm;			/* 0x00bc */
	u32	io_int_word;			/* 0x00c0 */
	u8	pad_0x00c4[0x00c8 - 0x00c4];
	u32	stfl_fac_list;			/* 0x00c8 */
	u8	pad_0x00cc[0x00e8 - 0x00cc];
	u64	mcck_int_code;			/* 0x00e8 */
	u8	pad_0x00f0[0x00f4 - 0x00f0];
	u32	ext_damage_code;		/* 0x00f4 */
	u64	failing_storage_addr;		/* 0x00f8 */
	u8	pad_0x0100[0x0110 - 0x0100];
	u64	breaking_event_addr;		/* 0x0110 */
	u8	pad_0x0118[0x0120 - 0x0118];
	struct psw old_psw[IRQ_NR_CLASSES];	/* 0x0120 */
	u8	pad_0x0180[0x01a0 - 0x0180];
	struct psw new_psw[IRQ_NR_CLASSES];	/* 0x01a0 */
	/* 0x0200: software area, see asm-offsets.h */
	u64	save_area[IRQ_NR_CLASSES][16];	/* 0x0200 */
	u8	pad_0x0500[0x0e00 - 0x0500];
	u64	cpu;				/* 0x0e00 */
	u64	stack_top;			/* 0x0e08 */
	u8	pad_0x0e10[0x11b0 - 0x0e10];
	u64	mcck_ext_save_area_addr;	/* 0x11b0 */
	u64	ext_params2;			/* 0x11b8 */
	u8	pad_0x11c0[0x1200 - 0x11c0];
	/* 0x1200: store-status and machine-check save area */
	u64	fprs_save_area[16];		/* 0x1200 */
	u64	gprs_save_area[16];		/* 0x1280 */
	struct psw psw_save_area;		/* 0x1300 */
	u8	pad_0x1310[0x1318 - 0x1310];
	u32	prefix_save_area;		/* 0x1318 */
	u32	fpc_save_area;			/* 0x131c */
	u8	pad_0x1320[0x1324 - 0x1320];
	u32	tod_progreg_save_area;		/* 0x1324 */
	u64	cpu_timer_save_area;		/* 0x1328 */
	u64	clock_comp_save_area;		/* 0x1330 */
	u8	pad_0x1338[0x1340 - 0x1338];
	u32	access_regs_save_area[16];	/* 0x1340 */
	u64	ctrl_regs_save_area[16];	/* 0x1380 */
	u8	pad_0x1400[0x2000 - 0x1400];
} __aligned(8192);

_Static_assert(sizeof(struct lowcore) == 0x2000, "lowcore size");
_Static_assert(offsetof(struct lowcore, ext_params) == 0x80, "lc 0x80");
_Static_assert(offsetof(struct lowcore, ext_int_code) == 0x86, "lc 0x86");
_Static_assert(offsetof(struct lowcore, svc_code) == 0x8a, "lc 0x8a");
_Static_assert(offsetof(struct lowcore, pgm_ilc) == 0x8c, "lc 0x8c");
_Static_assert(offsetof(struct lowcore, pgm_code) == 0x8e, "lc 0x8e");
_Static_assert(offsetof(struct lowcore, data_exc_code) == 0x90, "lc 0x90");
_Static_assert(offsetof(struct lowcore, trans_exc_code) == 0xa8, "lc 0xa8");
_Static_assert(offsetof(struct lowcore, io_int_word) == 0xc0, "lc 0xc0");
_Static_assert(offsetof(struct lowcore, mcck_int_code) == 0xe8, "lc 0xe8");
_Static_assert(offsetof(struct lowcore, breaking_event_addr) == 0x110, "lc 0x110");
_Static_assert(offsetof(struct lowcore, old_psw) == LC_OLD_PSW, "old PSWs");
_Static_assert(offsetof(struct lowcore, new_psw) == LC_NEW_PSW, "new PSWs");
_Static_assert(offsetof(struct lowcore, save_area) == LC_SAVE_AREA, "save");
_Static_assert(offsetof(struct lowcore, cpu) == LC_CPU, "lc cpu");
_Static_assert(offsetof(struct lowcore, stack_top) == LC_STACK_TOP, "stack");
_Static_assert(offsetof(struct lowcore, ext_params2) == 0x11b8, "lc 0x11b8");
_Static_assert(offsetof(struct lowcore, psw_save_area) == 0x1300, "lc 0x1300");
_Static_assert(offsetof(struct lowcore, ctrl_regs_save_area) == 0x1380, "crs");

extern struct lowcore lowcore;

/* SET PREFIX / STORE PREFIX. */
static inline u32 prefix_get(void)
{
	u32 p;

	__asm__ __volatile__("stpx %0" : "=Q" (p));
	return p;
}

#endif
