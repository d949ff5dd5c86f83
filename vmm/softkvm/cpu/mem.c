// SPDX-License-Identifier: MIT
/*
 * The memory path: logical -> real -> absolute, storage keys, protection,
 * the software TLB and the decode-cache invalidation hook.
 */
#include <stdlib.h>

#include "softkvm/cpu/jit.h"

#define CR0_LAP 0x0000000010000000ULL

uint64_t s390_real_to_abs(uint32_t prefix, uint64_t real)
{
	uint64_t pfx = prefix & 0x7FFFE000u;

	if (real < 0x2000)
		return real + pfx;
	if (real >= pfx && real < pfx + 0x2000)
		return real - pfx;
	return real;
}

bool s390_abs_read(const struct s390_mem *mem, uint64_t abs, void *buf, uint64_t len)
{
	if (abs > mem->size || len > mem->size - abs)
		return false;
	memcpy(buf, mem->ram + abs, len);
	return true;
}

/* ------------------------------------------------------------------ */
/* dirty logging */

static inline bool logging(const struct s390_mem *mem)
{
	return __atomic_load_n(&mem->log_dirty, __ATOMIC_RELAXED);
}

/* Mark [abs, abs+len) dirty; the stores must already be done. */
static void dirty_mark(struct s390_mem *mem, uint64_t abs, uint64_t len)
{
	uint64_t end = abs + len;

	if (!len || !logging(mem))
		return;
	for (uint64_t pg = abs >> 12; pg < mem->size >> 12 && pg << 12 < end; pg++)
		__atomic_fetch_or(&mem->dirty[pg / 64], 1ULL << (pg % 64),
				  __ATOMIC_RELEASE);
}

void s390_mem_set_log(struct s390_mem *mem, bool on)
{
	uint64_t words = ((mem->size >> 12) + 63) / 64;

	if (on && !logging(mem))   /* start from a clean bitmap */
		for (uint64_t i = 0; i < words; i++)
			__atomic_store_n(&mem->dirty[i], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&mem->log_dirty, on, __ATOMIC_RELAXED);
}

void s390_mem_take_dirty(struct s390_mem *mem, uint64_t *out, uint64_t first,
			 uint64_t n)
{
	uint64_t words = ((mem->size >> 12) + 63) / 64;

	for (uint64_t i = first; i < first + n && i < words; i++)
		out[i - first] |= __atomic_exchange_n(&mem->dirty[i], 0,
						      __ATOMIC_ACQUIRE);
}

/* A page stored to without a store-TLB entry: mark it at the next sync,
 * after the store that follows this call. */
static void dirty_note(struct s390_cpu *cpu, uint64_t apage)
{
	if (!logging(cpu->mem))
		return;
	for (unsigned i = 0; i < cpu->n_dirty_pend; i++)
		if (cpu->dirty_pend[i] == apage)
			return;
	if (cpu->n_dirty_pend == S390_DIRTY_PEND) {
		/* the stores to these pages are all done by now */
		for (unsigned i = 0; i < S390_DIRTY_PEND; i++)
			dirty_mark(cpu->mem, cpu->dirty_pend[i], 1);
		cpu->n_dirty_pend = 0;
	}
	cpu->dirty_pend[cpu->n_dirty_pend++] = apage;
}

/* A store-TLB entry goes: its page may have been stored to through it. */
static inline void store_entry_gone(struct s390_cpu *cpu, const struct s390_tlbe *e)
{
	if (e->page != TLB_EMPTY && logging(cpu->mem))
		dirty_mark(cpu->mem, (uint64_t)(e->host - cpu->mem->ram), 1);
}

void s390_cpu_dirty_sync(struct s390_cpu *cpu)
{
	for (int i = 0; i < S390_TLB_SIZE; i++) {
		store_entry_gone(cpu, &cpu->tlb[ACC_STORE][i]);
		cpu->tlb[ACC_STORE][i].page = TLB_EMPTY;
	}
	for (unsigned i = 0; i < cpu->n_dirty_pend; i++)
		dirty_mark(cpu->mem, cpu->dirty_pend[i], 1);
	cpu->n_dirty_pend = 0;
}

bool s390_abs_write(struct s390_mem *mem, uint64_t abs, const void *buf, uint64_t len)
{
	if (abs > mem->size || len > mem->size - abs)
		return false;
	memcpy(mem->ram + abs, buf, len);
	dirty_mark(mem, abs, len);
	return true;
}

void s390_lowcore_stored(struct s390_cpu *cpu, uint64_t abs, uint64_t len)
{
	dirty_note(cpu, abs & PAGE_MASK_4K);
	if (((abs + len - 1) & PAGE_MASK_4K) != (abs & PAGE_MASK_4K))
		dirty_note(cpu, (abs + len - 1) & PAGE_MASK_4K);
}

void s390_tlb_flush(struct s390_cpu *cpu)
{
	for (int i = 0; i < S390_TLB_SIZE; i++)
		store_entry_gone(cpu, &cpu->tlb[ACC_STORE][i]);
	for (int a = 0; a < ACC_N; a++)
		for (int i = 0; i < S390_TLB_SIZE; i++)
			cpu->tlb[a][i].page = TLB_EMPTY;
}

void s390_icache_flush(struct s390_cpu *cpu)
{
	if (!cpu->iblk)
		return;
	if (cpu->icache_used < S390_IBLK_SIZE) {
		/* few decoded: a slot in use holds a block of the pool, so
		 * drop just those (softkvm flushes on every KVM_RUN) */
		for (unsigned i = 0; i < cpu->icache_used; i++) {
			const struct s390_insn *e = &cpu->icache[i];
			struct s390_iblk *b = &cpu->iblk[(e->addr >> 1) & (S390_IBLK_SIZE - 1)];

			if (b->first == e)
				b->addr = TLB_EMPTY;
		}
	} else {
		for (int i = 0; i < S390_IBLK_SIZE; i++)
			cpu->iblk[i].addr = TLB_EMPTY;
	}
	cpu->icache_used = 0;
	s390_jit_reset(cpu);
	/* the pool is free again: the executing block must not go on */
	s390_block_break(cpu);
}

/*
 * The code generations and the storage keys belong to the memory that all
 * vCPUs share, and every vCPU thread reads and writes them: each access is
 * atomic, so concurrent vCPUs are defined behaviour (and
 * ThreadSanitizer-clean). A block records the generation of its page and
 * is used only while it is unchanged, so a store that reaches the fill
 * path drops every vCPU's blocks of that page. A store through a
 * store-TLB entry that another vCPU filled before the page became code
 * still goes unnoticed (docs/interpreter.md, gaps).
 */
/* Step the page's generation until its parity is `parity` (another vCPU
 * may step it meanwhile); returns the generation reached. */
static uint32_t code_step(struct s390_mem *mem, uint64_t abs, uint32_t parity)
{
	uint32_t *g = &mem->code[abs >> 12];
	uint32_t v = __atomic_load_n(g, __ATOMIC_RELAXED);

	while ((v & 1) != parity)
		if (__atomic_compare_exchange_n(g, &v, v + 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return v + 1;
	return v;
}

static void store_entry_drop(struct s390_cpu *cpu, struct s390_tlbe *e,
			     uint64_t apage)
{
	if (e->page != TLB_EMPTY && e->host == cpu->mem->ram + apage) {
		store_entry_gone(cpu, e);
		e->page = TLB_EMPTY;
	}
}

uint32_t s390_code_mark(struct s390_cpu *cpu, uint64_t la, uint64_t apage)
{
	struct s390_mem *mem = cpu->mem;
	uint32_t v = s390_code_gen(mem, apage);

	if (v & 1) {
		/* marked by another CPU, this one may still hold the page
		 * in its store TLB under la (logical = real, one alias) */
		store_entry_drop(cpu, &cpu->tlb[ACC_STORE][(la >> 12) & (S390_TLB_SIZE - 1)],
				 apage);
		return v;
	}
	v = code_step(mem, apage, 1);
	/* no store may bypass the fill path for this page now */
	for (int i = 0; i < S390_TLB_SIZE; i++)
		store_entry_drop(cpu, &cpu->tlb[ACC_STORE][i], apage);
	return v;
}

/*
 * Everything behind the interpreter's back: the TLBs and the decoded
 * blocks. The code generations stay: an odd one without blocks only sends
 * the next store into its page through the fill path once.
 */
void s390_cpu_flush(struct s390_cpu *cpu)
{
	s390_tlb_flush(cpu);
	s390_icache_flush(cpu);
}

/* A store hit a page that holds decoded instructions: a new generation
 * drops its blocks (on every vCPU, at their next block entry). */
static void code_page_written(struct s390_cpu *cpu, uint64_t abs_page)
{
	code_step(cpu->mem, abs_page, 0);
	if (cpu->cur_in && cpu->blk_apage == abs_page)
		s390_block_break(cpu);
}

void s390_mem_touched(struct s390_cpu *cpu, uint64_t abs, uint64_t len)
{
	uint64_t end = abs + len;

	for (uint64_t pg = abs & PAGE_MASK_4K; pg < end && pg < cpu->mem->size; pg += 4096)
		if (s390_code_gen(cpu->mem, pg) & 1)
			code_page_written(cpu, pg);
}

/*
 * Translate one logical address for an access and, where allowed, remember
 * the page in the TLB. Raises the program interruption on failure.
 */
uint8_t *s390_tlb_fill(struct s390_cpu *cpu, uint64_t la, enum s390_acc acc)
{
	struct s390_mem *mem = cpu->mem;
	uint64_t page = la & PAGE_MASK_4K;
	/* DAT is refused at PSW load time (S390_EV_DAT): logical == real */
	uint64_t abs = s390_real_to_abs(cpu->prefix, la);
	bool cacheable = true;

	if (abs >= mem->size)
		s390_pgm(cpu, PGM_ADDRESSING);

	uint64_t apage = abs & PAGE_MASK_4K;
	uint8_t *key = &mem->keys[abs >> 12];
	uint8_t kv = __atomic_load_n(key, __ATOMIC_RELAXED);
	unsigned pswkey = (unsigned)(cpu->psw_mask >> PSW_SHIFT_KEY) & 0xF;

	if (acc == ACC_STORE) {
		if ((cpu->cr[0] & CR0_LAP) &&
		    ((la & 0xFFFFFFFFFFFFFE00ULL) == 0 ||
		     (la & 0xFFFFFFFFFFFFFE00ULL) == 0x1000)) {
			s390_pgm(cpu, PGM_PROTECTION);
		}
		if ((cpu->cr[0] & CR0_LAP) && (page == 0 || page == 0x1000))
			cacheable = false;
		if (pswkey && pswkey != (unsigned)(kv >> 4))
			s390_pgm(cpu, PGM_PROTECTION);
		__atomic_fetch_or(key, SKEY_R | SKEY_C, __ATOMIC_RELAXED);
		if (cacheable)
			store_entry_gone(cpu, &cpu->tlb[ACC_STORE][(la >> 12) & (S390_TLB_SIZE - 1)]);
		else
			dirty_note(cpu, apage);
		if (s390_code_gen(mem, abs) & 1) {
			code_page_written(cpu, apage);
			/* stays uncached in the store TLB only while code is there;
			 * after the invalidation it may be cached again */
		}
	} else {
		if (pswkey && (kv & SKEY_F) && pswkey != (unsigned)(kv >> 4))
			s390_pgm(cpu, PGM_PROTECTION);
		__atomic_fetch_or(key, SKEY_R, __ATOMIC_RELAXED);
	}

	if (cacheable) {
		struct s390_tlbe *e = &cpu->tlb[acc][(la >> 12) & (S390_TLB_SIZE - 1)];
		e->page = page;
		e->host = mem->ram + apage;
	}
	return mem->ram + abs;
}

/*
 * Check that [la, la+len) is accessible (both ends of every page), before
 * an instruction modifies anything: access exceptions suppress.
 */
void s390_probe(struct s390_cpu *cpu, uint64_t la, uint64_t len, enum s390_acc acc)
{
	uint64_t am = amode_mask(cpu->psw_mask);

	if (!len)
		return;
	la &= am;
	for (;;) {
		(void)tlb_host(cpu, la, acc);
		uint64_t room = 0x1000 - (la & 0xFFF);
		if (room >= len)
			break;
		len -= room;
		la = (la + room) & am;
	}
}

uint64_t s390_ld_slow(struct s390_cpu *cpu, uint64_t la, unsigned len)
{
	uint64_t am = amode_mask(cpu->psw_mask);
	uint64_t v = 0;

	s390_probe(cpu, la, len, ACC_FETCH);
	for (unsigned i = 0; i < len; i++)
		v = v << 8 | *tlb_host(cpu, (la + i) & am, ACC_FETCH);
	return v;
}

void s390_st_slow(struct s390_cpu *cpu, uint64_t la, uint64_t v, unsigned len)
{
	uint64_t am = amode_mask(cpu->psw_mask);

	s390_probe(cpu, la, len, ACC_STORE);
	for (unsigned i = 0; i < len; i++)
		*tlb_host(cpu, (la + i) & am, ACC_STORE) =
			(uint8_t)(v >> (8 * (len - 1 - i)));
}
