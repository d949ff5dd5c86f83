/* SPDX-License-Identifier: MIT */
/*
 * s390x (z/Architecture) instruction interpreter: the interface softkvm uses.
 *
 * One struct s390_cpu per vCPU. Guest memory (struct s390_mem) is a plain
 * byte array holding big-endian guest data plus one storage key per 4 KiB
 * page; several CPUs may share one s390_mem. s390_cpu_run() executes until
 * something the caller has to look at happens and returns an event.
 *
 * Everything in struct s390_cpu above the "private" marker is architected
 * state the caller may read and write between runs. After writing PSW,
 * prefix, control registers or guest memory behind the interpreter's back,
 * call s390_cpu_flush() (translation and decode caches).
 */
#ifndef ZVMM_SOFTKVM_CPU_H
#define ZVMM_SOFTKVM_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <setjmp.h>

/* PSW mask bits (64-bit psw_mask, spec 6.1). */
#define PSW_MASK_PER   0x4000000000000000ULL
#define PSW_MASK_DAT   0x0400000000000000ULL
#define PSW_MASK_IO    0x0200000000000000ULL
#define PSW_MASK_EXT   0x0100000000000000ULL
#define PSW_MASK_KEY   0x00F0000000000000ULL
#define PSW_MASK_SHORT 0x0008000000000000ULL
#define PSW_MASK_MCHK  0x0004000000000000ULL
#define PSW_MASK_WAIT  0x0002000000000000ULL
#define PSW_MASK_PSTATE 0x0001000000000000ULL
#define PSW_MASK_ASC   0x0000C00000000000ULL
#define PSW_MASK_CC    0x0000300000000000ULL
#define PSW_MASK_PM    0x00000F0000000000ULL
#define PSW_MASK_FO    0x0000080000000000ULL /* fixed-point overflow */
#define PSW_MASK_DO    0x0000040000000000ULL /* decimal overflow */
#define PSW_MASK_EU    0x0000020000000000ULL /* HFP exponent underflow */
#define PSW_MASK_SG    0x0000010000000000ULL /* HFP significance */
#define PSW_MASK_RI    0x0000008000000000ULL
#define PSW_MASK_EA    0x0000000100000000ULL
#define PSW_MASK_BA    0x0000000080000000ULL
#define PSW_MASK_64    (PSW_MASK_EA | PSW_MASK_BA)
#define PSW_SHIFT_CC   44
#define PSW_SHIFT_KEY  52

/* Program-interruption codes (spec 4.7). */
enum s390_pgm {
	PGM_OPERATION = 0x01,
	PGM_PRIVILEGED = 0x02,
	PGM_EXECUTE = 0x03,
	PGM_PROTECTION = 0x04,
	PGM_ADDRESSING = 0x05,
	PGM_SPECIFICATION = 0x06,
	PGM_DATA = 0x07,
	PGM_FIXPT_OVERFLOW = 0x08,
	PGM_FIXPT_DIVIDE = 0x09,
	PGM_SPECIAL_OP = 0x13,
	PGM_OPERAND = 0x15,
};

/* Lowcore offsets the interpreter writes or reads (spec 4.8). */
#define LC_SVC_ILC        0x088
#define LC_SVC_CODE       0x08A
#define LC_PGM_ILC        0x08C
#define LC_PGM_CODE       0x08E
#define LC_DATA_EXC_CODE  0x090
#define LC_EXC_ACCESS_ID  0x0A0
#define LC_OP_ACCESS_ID   0x0A2
#define LC_TRANS_EXC_ID   0x0A8
#define LC_STFL           0x0C8
#define LC_BEA            0x110
#define LC_RESTART_OLD    0x120
#define LC_EXT_OLD        0x130
#define LC_SVC_OLD        0x140
#define LC_PGM_OLD        0x150
#define LC_MCK_OLD        0x160
#define LC_IO_OLD         0x170
#define LC_RESTART_NEW    0x1A0
#define LC_EXT_NEW        0x1B0
#define LC_SVC_NEW        0x1C0
#define LC_PGM_NEW        0x1D0
#define LC_MCK_NEW        0x1E0
#define LC_IO_NEW         0x1F0

/* Why s390_cpu_run() returned. */
enum s390_event {
	S390_EV_BUDGET,        /* instruction budget used up */
	S390_EV_INTERCEPT,     /* instruction for softkvm: see cpu->icpt */
	S390_EV_WAIT,          /* enabled wait PSW loaded */
	S390_EV_DISABLED_WAIT, /* wait PSW with EXT, I/O and MCHK off */
	S390_EV_IRQ_WINDOW,    /* PSW/CR0/CR6 may have enabled an interrupt */
	S390_EV_DAT,           /* PSW asks for DAT: not supported yet */
	S390_EV_PGM_LOOP,      /* program-new PSW is invalid (interrupt loop) */
	S390_EV_OPEREXC,       /* operation exception, not delivered: cpu->icpt
				* holds the instruction, the PSW points past it
				* (only with icpt_operation set) */
	S390_EV_STOPPED,       /* cpu->kick was set */
};

/* Guest memory: absolute storage, shared by all CPUs of a VM. */
struct s390_mem {
	uint8_t *ram;     /* size bytes of big-endian guest storage */
	uint64_t size;    /* multiple of 4096 */
	uint8_t *keys;    /* size / 4096 storage keys: ACC(4) F R C x */
	/* size / 4096 code generations: odd while some CPU holds decoded
	 * code of the page; a store into it makes it even (atomic) */
	uint32_t *code;
	/*
	 * Dirty logging (s390_mem_set_log): one bit per 4 KiB page stored
	 * to, host uint64_t order, while log_dirty is set. Bits are set
	 * after the stores they stand for (see s390_cpu_dirty_sync), with
	 * release ordering; take them with s390_mem_take_dirty().
	 */
	uint64_t *dirty;
	bool log_dirty;   /* atomic */
	bool keys_used;   /* ISKE, SSKE or RRBE ran (KVM: mm_uses_skeys); atomic */
};

#define SKEY_ACC  0xF0
#define SKEY_F    0x08
#define SKEY_R    0x04
#define SKEY_C    0x02

/* The intercepted instruction (spec 2.4): PSW already points past it. */
struct s390_icpt {
	uint16_t ipa;  /* first halfword */
	uint32_t ipb;  /* next four bytes, left-aligned */
	uint8_t ilen;  /* 2, 4 or 6 */
};

struct s390_insn;

/* Translation-lookaside entry: logical page -> host pointer. */
struct s390_tlbe {
	uint64_t page;   /* logical page address, or TLB_EMPTY */
	uint8_t *host;   /* host address of that page */
};

#define S390_TLB_SIZE 256
#define S390_DIRTY_PEND 8
#define S390_ICACHE_SIZE 8192   /* decoded instructions per CPU */
#define S390_IBLK_SIZE 2048     /* block slots per CPU (power of 2) */
#define S390_IBLK_MAX 32        /* instructions per block */
#define S390_JIT_AFTER 8        /* default cpu->jit_after */

/* A decoded block: straight-line instructions of one page, in order,
 * followed by an end entry (see exec.c). */
struct s390_iblk {
	uint64_t addr;   /* logical address of the first, TLB_EMPTY if none */
	uint64_t apage;  /* absolute page they were decoded from */
	uint32_t gen;    /* mem->code[] of that page at the time */
	uint32_t n;      /* instructions, without the end entry */
	struct s390_insn *first;
	/* translated code of the first jit_n instructions (jit.h), made
	 * for addressing mode jit_am; NULL when none */
	void *jit;
	uint64_t jit_am;
	uint16_t jit_n;
	uint16_t hot;    /* interpreted runs left before translating it */
};

enum s390_acc { ACC_FETCH = 0, ACC_STORE = 1, ACC_IFETCH = 2, ACC_N = 3 };

struct s390_cpu {
	/* architected state */
	uint64_t gpr[16];
	uint64_t psw_mask;   /* CC bits valid whenever run() is not active */
	uint64_t psw_addr;
	uint64_t cr[16];
	uint32_t acr[16];
	uint64_t fpr[16];    /* bit patterns; only loads/stores/moves so far */
	uint32_t fpc;
	uint32_t prefix;
	uint32_t todpr;
	uint64_t ckc;
	int64_t cputm;       /* CPU timer value as of the last sync */
	uint64_t bea;        /* breaking-event address */
	uint16_t cpu_addr;   /* CPU address (STAP, SIGP) */
	uint64_t cpuid;      /* STIDP value */
	/* The facility list STFL and STFLE report: n_fac doublewords; NULL
	 * for s390_facilities (what this interpreter implements) */
	const uint64_t *fac;
	unsigned n_fac;

	/* The TOD clock. With tod_read set (softkvm: host TOD + VM epoch) the
	 * interpreter asks it, and SCK calls tod_set; without, the TOD is
	 * host CLOCK_MONOTONIC + tod_epoch (TOD units) and SCK moves
	 * tod_epoch. */
	uint64_t (*tod_read)(void *opaque);
	void (*tod_set)(void *opaque, uint64_t tod);
	void *tod_opaque;
	int64_t tod_epoch;

	struct s390_mem *mem;
	volatile int kick;   /* set from another thread: run() returns STOPPED */
	struct s390_icpt icpt;
	/* Hand operation exceptions to the caller (S390_EV_OPEREXC) instead
	 * of delivering them, as SIE does with ICTL_OPEREXC. */
	bool icpt_operation;
	/* Translate a block to host code (jit.h) after it ran this many
	 * times interpreted; 0: as soon as it is decoded; -1: never.
	 * s390_cpu_init() sets S390_JIT_AFTER where there is a translator. */
	int jit_after;

	/* --- private to the interpreter --- */
	uint32_t cc_op;
	uint64_t cc_a, cc_b;
	uint64_t cputm_ref;  /* TOD when cputm was last synced */
	uint64_t cur_addr;   /* address of the instruction being executed */
	uint8_t cur_ilen;    /* its length (for ILC) */
	int64_t budget;
	/* inside run(): the decoded instruction being executed (NULL between
	 * blocks), its block's first entry, absolute page and the budget
	 * when the block began; cur_addr, cur_ilen and budget follow from
	 * them (s390_cur_sync) */
	const struct s390_insn *cur_in;
	const struct s390_insn *blk_first;
	uint64_t blk_apage;
	int64_t blk_left;
	const void *end_h;   /* run_loop()'s end-of-block handler */
	jmp_buf *exc;
	uint16_t pgm_code;   /* pending program interruption */
	uint8_t pgm_ilc;     /* instruction length stored with it (0 = early) */
	uint64_t pgm_old_addr;
	struct s390_tlbe tlb[ACC_N][S390_TLB_SIZE];
	/* decode cache: blocks of decoded instructions in a pool
	 * (S390_ICACHE_SIZE entries and a scratch block after them), found
	 * through S390_IBLK_SIZE direct-mapped slots */
	struct s390_insn *icache;
	struct s390_iblk *iblk;
	unsigned icache_used;
	/* pages stored to without a store-TLB entry (uncached fills,
	 * lowcore), marked dirty at the next s390_cpu_dirty_sync() */
	uint64_t dirty_pend[S390_DIRTY_PEND];
	unsigned n_dirty_pend;
	/* the translator's code buffer (jit.c): used bytes of size; full
	 * until the next s390_icache_flush() */
	uint8_t *jit_buf;
	uint32_t jit_size, jit_used;
	bool jit_full;
	uint8_t jit_bail;    /* set by translated code that bailed out */
	uint64_t stat_insns;
	uint64_t stat_icache_miss;
	uint64_t stat_jit_blocks;   /* translations made */
	uint64_t stat_jit_insns;    /* instructions run translated */
};

/* Set up guest memory over ram[0, size): allocates keys and code flags. */
int s390_mem_init(struct s390_mem *mem, uint8_t *ram, uint64_t size);
void s390_mem_destroy(struct s390_mem *mem);

/* Initialise (zero registers, reset-like CR values, empty caches). */
int s390_cpu_init(struct s390_cpu *cpu, struct s390_mem *mem);
void s390_cpu_destroy(struct s390_cpu *cpu);

/* Execute up to budget instructions (interrupts count as one). */
enum s390_event s390_cpu_run(struct s390_cpu *cpu, int64_t budget);

/*
 * Dirty logging. While it is on, a page a CPU stores to is marked in
 * mem->dirty no later than that CPU's next s390_cpu_dirty_sync(), and
 * always after the store: a store made through a cached store-TLB entry is
 * marked when the entry goes (replaced, flushed or synced). So whoever
 * harvests the bitmap while CPUs run must first have every running CPU
 * call s390_cpu_dirty_sync() on its own thread (softkvm: run.c).
 */
void s390_mem_set_log(struct s390_mem *mem, bool on);
/* Move the bits of words [first, first+n) into out (OR), clearing them. */
void s390_mem_take_dirty(struct s390_mem *mem, uint64_t *out, uint64_t first,
			 uint64_t n);
/* Mark every page this CPU stored to since its last sync and empty its
 * store TLB, so that the next store to any page is seen again. */
void s390_cpu_dirty_sync(struct s390_cpu *cpu);

/* cpu->jit_after from a setting: "off", "on" or a count of interpreted
 * runs; -EINVAL if it is none of these. Hosts without a translator get -1. */
int s390_jit_parse(const char *s, int *after);

/* Forget cached translations and decoded code (after external changes). */
void s390_cpu_flush(struct s390_cpu *cpu);
/* Guest memory [abs, abs+len) changed outside the interpreter. */
void s390_mem_touched(struct s390_cpu *cpu, uint64_t abs, uint64_t len);

/* Deliver a program interruption as the architecture does (for softkvm's
 * own intercept handlers: e.g. a bad SCCB address). ilen is the ILC to
 * store; the PSW must already point past the instruction. */
/* Deliver a program interruption now; false when the program-new PSW
 * it loaded is invalid (an interruption loop). */
bool s390_cpu_program_irq(struct s390_cpu *cpu, uint16_t code, unsigned ilen);
/* Store the current PSW at old, load a new one from new (real addresses). */
void s390_cpu_psw_swap(struct s390_cpu *cpu, uint32_t old, uint32_t new_);

/* Real address -> absolute address (prefixing, spec 4.9). */
uint64_t s390_real_to_abs(uint32_t prefix, uint64_t real);

/* Big-endian accessors on absolute storage; false if out of range. */
bool s390_abs_read(const struct s390_mem *mem, uint64_t abs, void *buf, uint64_t len);
bool s390_abs_write(struct s390_mem *mem, uint64_t abs, const void *buf, uint64_t len);

/* TOD clock (host monotonic time in TOD units + epoch). */
uint64_t s390_tod_now(const struct s390_cpu *cpu);
int64_t s390_cpu_get_cputm(const struct s390_cpu *cpu);
void s390_cpu_set_cputm(struct s390_cpu *cpu, int64_t v);

/* Is a 16-byte PSW valid for loading (spec 6.1)? */
bool s390_psw_valid(uint64_t mask, uint64_t addr);

/* Instruction length from the first opcode byte. */
static inline unsigned s390_insn_len(uint8_t op0)
{
	return op0 < 0x40 ? 2 : op0 < 0xC0 ? 4 : 6;
}

/* The facilities this interpreter implements: the default STFL/STFLE
 * list (MSB-0 bit numbers, as STFLE stores them). */
#define S390_FAC_DW 2
extern const uint64_t s390_facilities[S390_FAC_DW];
/* The default STIDP value: version FF, machine type 2098. */
#define S390_DEFAULT_CPUID 0xFF00000020980000ULL

#endif
