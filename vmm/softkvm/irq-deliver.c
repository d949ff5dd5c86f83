// SPDX-License-Identifier: MIT
/*
 * Deliverability, priority and delivery into the lowcore (spec 4.4-4.6,
 * 4.9). Runs under both locks, floating before local (irq.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bswap.h"
#include "softkvm/irq.h"
#include "softkvm/irq-internal.h"

/* PSW mask and CR0 bits (spec 6.1, 6.2). */
#define M_PSW_IO 0x0200000000000000ULL
#define M_PSW_EXT 0x0100000000000000ULL
#define M_PSW_MCHK 0x0004000000000000ULL
#define M_PSW_EA 0x0000000100000000ULL
#define M_PSW_BA 0x0000000080000000ULL
#define M_CR0_EMERG 0x4000ULL
#define M_CR0_EXTCALL 0x2000ULL
#define M_CR0_CKC 0x0800ULL
#define M_CR0_CPUTM 0x0400ULL
#define M_CR0_SERVICE 0x0200ULL

/* Lowcore offsets (spec 4.8). */
enum {
	LCO_EXT_PARAMS = 0x080,
	LCO_EXT_CPU_ADDR = 0x084,
	LCO_EXT_INT_CODE = 0x086,
	LCO_PGM_ILC = 0x08C,
	LCO_PGM_CODE = 0x08E,
	LCO_DATA_EXC_CODE = 0x090,
	LCO_MON_CLASS_NR = 0x094,
	LCO_PER_CODE = 0x096,
	LCO_PER_ATMID = 0x097,
	LCO_PER_ADDRESS = 0x098,
	LCO_EXC_ACCESS_ID = 0x0A0,
	LCO_PER_ACCESS_ID = 0x0A1,
	LCO_OP_ACCESS_ID = 0x0A2,
	LCO_AR_MODE_ID = 0x0A3,
	LCO_TRANS_EXC_CODE = 0x0A8,
	LCO_MON_CODE = 0x0B0,
	LCO_SUBCHANNEL_ID = 0x0B8,
	LCO_SUBCHANNEL_NR = 0x0BA,
	LCO_IO_INT_PARM = 0x0BC,
	LCO_IO_INT_WORD = 0x0C0,
	LCO_MCCK_CODE = 0x0E8,
	LCO_EXT_DAMAGE_CODE = 0x0F4,
	LCO_MCCK_FAIL_ADDR = 0x0F8,
	LCO_PGM_LAST_BREAK = 0x110,
	LCO_RESTART_OLD = 0x120,
	LCO_EXT_OLD = 0x130,
	LCO_PGM_OLD = 0x150,
	LCO_MCK_OLD = 0x160,
	LCO_IO_OLD = 0x170,
	LCO_RESTART_NEW = 0x1A0,
	LCO_EXT_NEW = 0x1B0,
	LCO_PGM_NEW = 0x1D0,
	LCO_MCK_NEW = 0x1E0,
	LCO_IO_NEW = 0x1F0,
	LCO_MCESAD = 0x11B0,
	LCO_EXT_PARAMS2 = 0x11B8,
	LCO_FPRS_SAVE = 0x1200,
	LCO_GPRS_SAVE = 0x1280,
	LCO_FIXED_LOGOUT = 0x1300,
	LCO_FPC_SAVE = 0x131C,
	LCO_TODPR_SAVE = 0x1324,
	LCO_CPUTM_SAVE = 0x1328,
	LCO_CKC_SAVE = 0x1330,
	LCO_ARS_SAVE = 0x1340,
	LCO_CRS_SAVE = 0x1380,
	LC_SIZE = 0x2000
};

/* External interruption codes and the subcodes stored at 0x84. */
#define EXT_CODE_CKC 0x1004
#define EXT_CODE_CPUTM 0x1005
#define EXT_CODE_EMERG 0x1201
#define EXT_CODE_EXTCALL 0x1202
#define EXT_CODE_SERVICE 0x2401
#define EXT_CODE_CP_SERVICE 0x2603
#define SUB_PFAULT_INIT 0x0600
#define SUB_PFAULT_DONE 0x0680
#define SUB_VIRTIO 0x0D00

#define SCCB_EVENT_PENDING 0x3u
#define PGM_PER_BIT 0x80

uint64_t skirq_real_to_abs(uint32_t prefix, uint64_t real)
{
	uint64_t p = prefix;

	if (real < LC_SIZE)
		return real + p;
	if (real >= p && real < p + LC_SIZE)
		return real - p;
	return real;
}

uint32_t skirq_deliverable(const struct skirq_local *li,
			   const struct skirq_float *fi, uint64_t psw_mask,
			   const uint64_t cr[16])
{
	uint32_t m = li->pending | fi->pending;

	if (!m)
		return 0;
	if (!(psw_mask & M_PSW_EXT))
		m &= ~SKIRQ_PEND_EXT_MASK;
	if (!(psw_mask & M_PSW_IO)) {
		m &= ~SKIRQ_PEND_IO_MASK;
	} else {
		for (unsigned isc = 0; isc < 8; isc++)
			if (!(cr[6] & (0x80000000ULL >> isc)))
				m &= ~SKIRQ_BIT(SKIRQ_PEND_IO_ISC(isc));
	}
	if (!(cr[0] & M_CR0_EXTCALL))
		m &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL);
	if (!(cr[0] & M_CR0_EMERG))
		m &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY);
	if (!(cr[0] & M_CR0_CKC))
		m &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP);
	if (!(cr[0] & M_CR0_CPUTM))
		m &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER);
	if (!(cr[0] & M_CR0_SERVICE))
		m &= ~(SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
		       SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV));
	if (!(psw_mask & M_PSW_MCHK))
		m &= ~SKIRQ_PEND_MCHK_MASK;
	/* Repressible: CR14 against the CR14 bits of both kinds. */
	if (!(cr[14] & (fi->mchk.cr14 | li->mchk.cr14)))
		m &= ~SKIRQ_BIT(SKIRQ_PEND_MCHK_REP);
	m &= ~SKIRQ_BIT(SKIRQ_PEND_SIGP_STOP);
	return m;
}

static int highest_bit(uint32_t m)
{
	int b = -1;

	while (m) {
		m >>= 1;
		b++;
	}
	return b;
}

int skirq_next(const struct skirq_local *li, const struct skirq_float *fi,
	       uint64_t psw_mask, const uint64_t cr[16])
{
	return highest_bit(skirq_deliverable(li, fi, psw_mask, cr));
}

bool skirq_vcpu_has_irq(const struct skirq_local *li,
			const struct skirq_float *fi, uint64_t psw_mask,
			const uint64_t cr[16], bool exclude_stop)
{
	if (skirq_deliverable(li, fi, psw_mask, cr))
		return true;
	return !exclude_stop && skirq_stop_pending(li);
}

/* ------------------------------------------------------------------------ */

/* The 8 KiB lowcore at the prefix, or NULL if not inside guest memory. */
static uint8_t *lowcore(const struct skirq_cpu *c)
{
	uint64_t p = c->prefix;

	if (!c->ram || p + LC_SIZE > c->ram_size || p + LC_SIZE < p)
		return NULL;
	return c->ram + p;
}

/* Old PSW -> lc[old], PSW <- lc[new]. */
static void swap_psw(struct skirq_cpu *c, uint8_t *lc, unsigned old,
		     unsigned new_psw)
{
	put_be64(lc + old, c->psw_mask);
	put_be64(lc + old + 8, c->psw_addr);
	c->psw_mask = get_be64(lc + new_psw);
	c->psw_addr = get_be64(lc + new_psw + 8);
}

static int deliver_ext(struct skirq_cpu *c, uint16_t code, uint16_t addr)
{
	uint8_t *lc = lowcore(c);

	if (!lc)
		return -EFAULT;
	put_be16(lc + LCO_EXT_INT_CODE, code);
	put_be16(lc + LCO_EXT_CPU_ADDR, addr);
	swap_psw(c, lc, LCO_EXT_OLD, LCO_EXT_NEW);
	return 0;
}

#define HAS_P1 1u
#define HAS_P2 2u

/* An external interruption that also stores 0x80 and/or 0x11B8. */
static int deliver_ext_params(struct skirq_cpu *c, uint16_t code,
			      uint16_t addr, unsigned which, uint32_t p1,
			      uint64_t p2)
{
	int r = deliver_ext(c, code, addr);

	if (r)
		return r;
	if (which & HAS_P1)
		put_be32(c->ram + c->prefix + LCO_EXT_PARAMS, p1);
	if (which & HAS_P2)
		put_be64(c->ram + c->prefix + LCO_EXT_PARAMS2, p2);
	return 0;
}

static uint64_t rewind(uint64_t mask, uint64_t addr, unsigned ilen)
{
	uint64_t am = (mask & M_PSW_EA) ? ~0ULL :
		      (mask & M_PSW_BA) ? 0x7fffffffULL : 0x00ffffffULL;

	return (addr - ilen) & am;
}

static int deliver_prog(struct skirq_local *li, struct skirq_cpu *c)
{
	struct kvm_s390_pgm_info p = li->pgm;
	bool nullifying = false;
	unsigned ilen;
	uint8_t *lc;

	li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_PROG);
	memset(&li->pgm, 0, sizeof(li->pgm));
	lc = lowcore(c);
	if (!lc)
		return -EFAULT;
	ilen = p.flags & KVM_S390_PGM_FLAGS_ILC_MASK;

	switch (p.code & ~PGM_PER_BIT) {
	case 0x20: case 0x21: case 0x22: case 0x23: /* AFX ASX LX EX */
	case 0x24: case 0x25:                       /* primary/secondary auth */
	case 0x26: case 0x27: case 0x2e:            /* LFX LSX LSTE sequence */
		nullifying = true;
		/* fall through */
	case 0x1c:                                  /* space switch */
		put_be64(lc + LCO_TRANS_EXC_CODE, p.trans_exc_code);
		break;
	case 0x29: case 0x2a: case 0x2b: case 0x2c: /* ALEN ALE ASTE... */
	case 0x2d: case 0x2f:                       /* ext. authority, ASTE inst. */
		lc[LCO_EXC_ACCESS_ID] = p.exc_access_id;
		nullifying = true;
		break;
	case 0x10: case 0x11: case 0x38:            /* segment page ASCE */
	case 0x39: case 0x3a: case 0x3b:            /* region 1st/2nd/3rd */
		put_be64(lc + LCO_TRANS_EXC_CODE, p.trans_exc_code);
		lc[LCO_EXC_ACCESS_ID] = p.exc_access_id;
		lc[LCO_OP_ACCESS_ID] = p.op_access_id;
		nullifying = true;
		break;
	case 0x40:                                  /* monitor event */
		put_be16(lc + LCO_MON_CLASS_NR, p.mon_class_nr);
		put_be64(lc + LCO_MON_CODE, p.mon_code);
		break;
	case 0x07: case 0x1b:                       /* data, vector processing */
		put_be32(lc + LCO_DATA_EXC_CODE, p.data_exc_code);
		break;
	case 0x04:                                  /* protection */
		put_be64(lc + LCO_TRANS_EXC_CODE, p.trans_exc_code);
		lc[LCO_EXC_ACCESS_ID] = p.exc_access_id;
		break;
	case 0x30: case 0x31: case 0x32: case 0x33: /* stack classes */
	case 0x34: case 0x16: case 0x119:           /* trace table, crypto op */
		nullifying = true;
		break;
	default:
		break;
	}
	if (p.code & PGM_PER_BIT) {
		lc[LCO_PER_CODE] = p.per_code;
		lc[LCO_PER_ATMID] = p.per_atmid;
		put_be64(lc + LCO_PER_ADDRESS, p.per_address);
		lc[LCO_PER_ACCESS_ID] = p.per_access_id;
	}
	if (nullifying && !(p.flags & KVM_S390_PGM_FLAGS_NO_REWIND))
		c->psw_addr = rewind(c->psw_mask, c->psw_addr, ilen);
	put_be16(lc + LCO_PGM_ILC, (uint16_t)ilen);
	put_be64(lc + LCO_PGM_LAST_BREAK, c->gbea);
	put_be16(lc + LCO_PGM_CODE, p.code);
	swap_psw(c, lc, LCO_PGM_OLD, LCO_PGM_NEW);
	return 0;
}

static void put_regs64(uint8_t *dst, const uint64_t *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		put_be64(dst + 8 * i, r ? r[i] : 0);
}

static int deliver_mchk(struct skirq_local *li, struct skirq_float *fi,
			struct skirq_cpu *c)
{
	struct kvm_s390_mchk_info m;
	uint64_t mcic, sa;
	uint8_t *lc;

	memset(&m, 0, sizeof(m));
	if (li->pending & SKIRQ_PEND_MCHK_MASK) {
		/* Repressible conditions travel with an exigent one. */
		m = li->mchk;
		li->pending &= ~SKIRQ_PEND_MCHK_MASK;
		memset(&li->mchk, 0, sizeof(li->mchk));
	}
	if (fi->pending & SKIRQ_BIT(SKIRQ_PEND_MCHK_REP)) {
		fi->pending &= ~SKIRQ_BIT(SKIRQ_PEND_MCHK_REP);
		m.mcic |= fi->mchk.mcic;
		m.cr14 |= fi->mchk.cr14;
		memset(&fi->mchk, 0, sizeof(fi->mchk));
	}
	lc = lowcore(c);
	if (!lc)
		return -EFAULT;

	mcic = m.mcic;
	/* Extended save area: without guarded storage, 1 KiB aligned. */
	sa = get_be64(lc + LCO_MCESAD) & ~0x3ffULL;
	if ((mcic & SKIRQ_MCIC_VR) && sa && c->vrs &&
	    sa + 512 <= c->ram_size && sa + 512 > sa)
		memcpy(c->ram + sa, c->vrs, 512);
	else
		mcic &= ~SKIRQ_MCIC_VR;
	mcic &= ~SKIRQ_MCIC_GS;

	lc[LCO_AR_MODE_ID] = 1;
	swap_psw(c, lc, LCO_MCK_OLD, LCO_MCK_NEW);
	put_be64(lc + LCO_MCCK_CODE, mcic);
	put_regs64(lc + LCO_FPRS_SAVE, c->fpr, 16);
	put_regs64(lc + LCO_GPRS_SAVE, c->gpr, 16);
	put_be32(lc + LCO_FPC_SAVE, c->fpc);
	put_be32(lc + LCO_TODPR_SAVE, c->todpr);
	put_be64(lc + LCO_CPUTM_SAVE, c->cputm);
	put_be64(lc + LCO_CKC_SAVE, c->ckc >> 8);
	for (unsigned i = 0; i < 16; i++)
		put_be32(lc + LCO_ARS_SAVE + 4 * i, c->acr ? c->acr[i] : 0);
	put_regs64(lc + LCO_CRS_SAVE, c->cr, 16);
	put_be32(lc + LCO_EXT_DAMAGE_CODE, m.ext_damage_code);
	put_be64(lc + LCO_MCCK_FAIL_ADDR, m.failing_storage_address);
	memcpy(lc + LCO_FIXED_LOGOUT, m.fixed_logout, sizeof(m.fixed_logout));
	return 0;
}

static int deliver_emergency(struct skirq_local *li, struct skirq_cpu *c)
{
	unsigned id = 0;
	bool empty = true;

	while (id < SKIRQ_MAX_VCPUS && !((li->emerg[id / 64] >> (id % 64)) & 1))
		id++;
	if (id < SKIRQ_MAX_VCPUS)
		li->emerg[id / 64] &= ~(1ULL << (id % 64));
	for (unsigned w = 0; w < SKIRQ_EMERG_WORDS; w++)
		if (li->emerg[w])
			empty = false;
	if (empty)
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_EMERGENCY);
	return deliver_ext(c, EXT_CODE_EMERG, (uint16_t)id);
}

static int deliver_service(struct skirq_float *fi, struct skirq_cpu *c,
			   bool event_only)
{
	uint32_t parm;

	if (event_only) {
		/* The event part: parameter 3, the SCCB part stays. */
		fi->srv.ext_params &= ~SCCB_EVENT_PENDING;
		fi->pending &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV);
		parm = SCCB_EVENT_PENDING;
	} else {
		parm = fi->srv.ext_params;
		memset(&fi->srv, 0, sizeof(fi->srv));
		fi->pending &= ~(SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE) |
				 SKIRQ_BIT(SKIRQ_PEND_EXT_SERVICE_EV));
	}
	return deliver_ext_params(c, EXT_CODE_SERVICE, 0, HAS_P1, parm, 0);
}

/* Pop the oldest entry of a floating list, clearing its bit when empty. */
static struct skirq_fnode *float_pop(struct skirq_float *fi, unsigned list,
				     uint32_t *count, unsigned bit)
{
	struct skirq_fnode *n = skirq_flist_pop(&fi->lists[list]);

	if (n)
		(*count)--;
	if (!fi->lists[list].head)
		fi->pending &= ~SKIRQ_BIT(bit);
	return n;
}

static int deliver_float_ext(struct skirq_float *fi, struct skirq_cpu *c,
			     bool virtio)
{
	struct skirq_fnode *n;
	int r;

	if (virtio)
		n = float_pop(fi, SKIRQ_FLIST_VIRTIO, &fi->nr_virtio,
			      SKIRQ_PEND_VIRTIO);
	else
		n = float_pop(fi, SKIRQ_FLIST_PFAULT, &fi->nr_pfault,
			      SKIRQ_PEND_PFAULT_DONE);
	if (!n)
		return 0;
	if (virtio)
		r = deliver_ext_params(c, EXT_CODE_CP_SERVICE, SUB_VIRTIO,
				       HAS_P1 | HAS_P2, n->u.ext.ext_params,
				       n->u.ext.ext_params2);
	else
		r = deliver_ext_params(c, EXT_CODE_CP_SERVICE,
				       SUB_PFAULT_DONE, HAS_P2, 0,
				       n->u.ext.ext_params2);
	free(n);
	return r;
}

static int deliver_io(struct skirq_float *fi, struct skirq_cpu *c,
		      unsigned isc)
{
	struct skirq_fnode *n = float_pop(fi, SKIRQ_FLIST_IO_ISC_0 + isc,
					  &fi->nr_io, SKIRQ_PEND_IO_ISC(isc));
	uint8_t *lc;
	int r = 0;

	if (!n)
		return 0;
	lc = lowcore(c);
	if (!lc) {
		r = -EFAULT;
	} else {
		put_be16(lc + LCO_SUBCHANNEL_ID, n->u.io.subchannel_id);
		put_be16(lc + LCO_SUBCHANNEL_NR, n->u.io.subchannel_nr);
		put_be32(lc + LCO_IO_INT_PARM, n->u.io.io_int_parm);
		put_be32(lc + LCO_IO_INT_WORD, n->u.io.io_int_word);
		swap_psw(c, lc, LCO_IO_OLD, LCO_IO_NEW);
	}
	free(n);
	return r;
}

int skirq_deliver_one(struct skirq_local *li, struct skirq_float *fi,
		      struct skirq_cpu *c)
{
	int t = skirq_next(li, fi, c->psw_mask, c->cr);
	uint8_t *lc;
	uint64_t token;
	int r;

	switch (t) {
	case -1:
		return -1;
	case SKIRQ_PEND_MCHK_EX:
	case SKIRQ_PEND_MCHK_REP:
		r = deliver_mchk(li, fi, c);
		break;
	case SKIRQ_PEND_PROG:
		r = deliver_prog(li, c);
		break;
	case SKIRQ_PEND_EXT_EMERGENCY:
		r = deliver_emergency(li, c);
		break;
	case SKIRQ_PEND_EXT_EXTERNAL: {
		uint16_t src = li->extcall.code;

		li->extcall.code = 0;
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_EXTERNAL);
		r = deliver_ext(c, EXT_CODE_EXTCALL, src);
		break;
	}
	case SKIRQ_PEND_EXT_CLOCK_COMP:
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_CLOCK_COMP);
		r = deliver_ext(c, EXT_CODE_CKC, 0);
		break;
	case SKIRQ_PEND_EXT_CPU_TIMER:
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_EXT_CPU_TIMER);
		r = deliver_ext(c, EXT_CODE_CPUTM, 0);
		break;
	case SKIRQ_PEND_EXT_SERVICE_EV:
		r = deliver_service(fi, c, true);
		break;
	case SKIRQ_PEND_EXT_SERVICE:
		r = deliver_service(fi, c, false);
		break;
	case SKIRQ_PEND_PFAULT_INIT:
		token = li->ext.ext_params2;
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_PFAULT_INIT);
		li->ext.ext_params2 = 0;
		r = deliver_ext_params(c, EXT_CODE_CP_SERVICE,
				       SUB_PFAULT_INIT, HAS_P2, 0, token);
		break;
	case SKIRQ_PEND_PFAULT_DONE:
		r = deliver_float_ext(fi, c, false);
		break;
	case SKIRQ_PEND_VIRTIO:
		r = deliver_float_ext(fi, c, true);
		break;
	case SKIRQ_PEND_RESTART:
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_RESTART);
		lc = lowcore(c);
		if (!lc) {
			r = -EFAULT;
			break;
		}
		swap_psw(c, lc, LCO_RESTART_OLD, LCO_RESTART_NEW);
		r = 0;
		break;
	case SKIRQ_PEND_SET_PREFIX:
		c->prefix = li->prefix.address & 0x7fffe000u;
		c->prefix_changed = true;
		li->prefix.address = 0;
		li->pending &= ~SKIRQ_BIT(SKIRQ_PEND_SET_PREFIX);
		r = 0;
		break;
	default:
		if (t >= SKIRQ_PEND_IO_ISC_7 && t <= SKIRQ_PEND_IO_ISC_0) {
			r = deliver_io(fi, c, (unsigned)(SKIRQ_PEND_IO_ISC_0 - t));
		} else {
			/* a bit nobody sets: drop it, as the kernel does */
			li->pending &= ~SKIRQ_BIT(t);
			fi->pending &= ~SKIRQ_BIT(t);
			r = 0;
		}
		break;
	}
	return r ? r : t;
}

int skirq_deliver_all(struct skirq_local *li, struct skirq_float *fi,
		      struct skirq_cpu *c)
{
	int r;

	while ((r = skirq_deliver_one(li, fi, c)) >= 0)
		;
	return r == -1 ? 0 : r;
}
