/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_MIGRATE_H
#define ZVMM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config.h"
#include "kvm-abi.h"
#include "mig-stream.h"
#include "sclp.h"

/*
 * Migration (docs/migration.md): the source side (migrate-save.c) streams
 * a paused VM's state, read through hv_ioctl, to a peer or a file; the
 * peer side (migrate-load.c) reads it, checks all of it, and builds the
 * VM from it in the order of spec 5.7. migrate-state.c moves the state
 * between the hypervisor and the plain structs below, and between those
 * structs and the stream's big-endian payloads.
 *
 * Everything here runs on the main thread, with every vCPU thread parked
 * (source) or not yet started (peer).
 */

/* GET_IRQ_STATE buffer: (max vCPUs + 32) entries (spec 5.4). */
#define MIG_IRQ_BUF_ENTRIES	(MIG_MAX_CPUS + 32)
#define MIG_FLIC_MAX_IRQS	4096

struct vm;

/* One vCPU's architected state plus the VMM's view of it. */
struct mig_vcpu {
	uint64_t psw_mask, psw_addr;
	uint64_t gprs[16];
	uint32_t acrs[16];
	uint64_t crs[16];
	uint64_t fprs[16];
	uint32_t fpc;
	uint32_t prefix;
	uint32_t todpr;
	uint32_t mp_state;		/* KVM_MP_STATE_* */
	uint64_t cputm, ckc, pft, pfs, pfc, pp, gbea;
	/* VMM state (struct vcpu). */
	bool stopped, disabled_wait;
	uint8_t sigp_order;
	/* The KVM_S390_GET_IRQ_STATE entries, in the kernel's order. */
	uint32_t nirqs;
	struct kvm_s390_irq *irqs;
};

/* The VM-wide state besides memory. */
struct mig_machine {
	uint8_t tod_epoch_idx;
	uint64_t tod;
	bool skeys_used;
	uint8_t *skeys;			/* one byte per 4 KiB page */
	uint32_t nflic;
	struct kvm_s390_irq *flic;
	/* Devices (DEVICES section). */
	uint32_t sclp_len;
	uint8_t sclp[SCLP_STATE_MAX];
	bool wdt_enabled;
	uint64_t wdt_left_ns;		/* UINT64_MAX: no deadline */
	int32_t exit_line_code;
	uint32_t line_len;
	bool line_long;
	char line[64];
	/* MACHINE section. */
	char name[ZVMM_NAME_MAX + 1];
	uint8_t uuid[16];
	bool has_uuid;
	char kernel[ZVMM_PATH_MAX];
	char append[ZVMM_APPEND_MAX + 1];
};

/* What a migration did; filled as it goes (progress) and at its end. */
struct mig_stats {
	uint64_t start_ns, pause_ns, end_ns;
	uint64_t bytes;			/* stream bytes written or read */
	uint64_t mem_bytes;		/* guest memory in the stream */
	uint64_t pages_sent, zero_pages;
	unsigned rounds;
	unsigned irqs_local, irqs_floating;
	uint64_t mem_size;
};

typedef void (*mig_progress_fn)(void *opaque, const struct mig_stats *st);

enum mig_mode {
	MIG_MODE_MIGRATE,		/* the source ends once the peer runs */
	MIG_MODE_SNAPSHOT_RUN,		/* write a file, keep running */
	MIG_MODE_SNAPSHOT_PAUSE,	/* write a file, stay paused */
};

/*
 * The source side: send the VM to `uri` (unix:, tcp:, file:). On success
 * for MIG_MODE_MIGRATE the VM has ended (vm_end with status 0); on any
 * failure the VM runs as before. 0 or -errno; err says why.
 */
int migrate_out(struct vm *vm, const char *uri, enum mig_mode mode,
		mig_progress_fn progress, void *opaque, struct mig_stats *st,
		char *err, size_t errlen);

struct zvmm_config;
/*
 * `zvmm run --incoming URI`: wait for a stream, restore the VM, run it
 * to its end. Returns zvmm's exit status.
 */
int migrate_in_run(struct zvmm_config *cfg, int seccomp_mode);

/* migrate-state.c: hypervisor <-> structs (VM paused / not started). */
int mig_vcpu_get(struct vm *vm, unsigned id, struct mig_vcpu *s);
int mig_vcpu_put(struct vm *vm, unsigned id, const struct mig_vcpu *s);
int mig_machine_get(struct vm *vm, struct mig_machine *m);
int mig_machine_put_clock_keys(struct vm *vm, const struct mig_machine *m);
int mig_machine_put_flic_devices(struct vm *vm, const struct mig_machine *m);
int mig_tod_get(struct vm *vm, uint8_t *idx, uint64_t *tod);
int mig_tod_set(struct vm *vm, uint8_t idx, uint64_t tod);
void mig_vcpu_free(struct mig_vcpu *s);
void mig_machine_free(struct mig_machine *m);

/* Architecture checks of a restored vCPU: NULL or what is wrong. */
const char *mig_vcpu_check(const struct mig_vcpu *s, unsigned ncpus,
			   uint64_t mem_size);

/* Payload encodings (big-endian; docs/migration.md). Encoders return the
 * length or -ENOSPC; decoders 0 or -EPROTO with err set. */
ssize_t mig_vcpu_encode(const struct mig_vcpu *s, uint8_t *buf, size_t len);
int mig_vcpu_decode(const uint8_t *buf, size_t len, struct mig_vcpu *s,
		    char *err, size_t errlen);
ssize_t mig_machine_encode(const struct mig_machine *m, uint8_t *buf,
			   size_t len);
int mig_machine_decode(const uint8_t *buf, size_t len, struct mig_machine *m,
		       char *err, size_t errlen);
ssize_t mig_devices_encode(const struct mig_machine *m, uint8_t *buf,
			   size_t len);
int mig_devices_decode(const uint8_t *buf, size_t len, struct mig_machine *m,
		       char *err, size_t errlen);
ssize_t mig_irqs_encode(const struct kvm_s390_irq *irqs, uint32_t n,
			uint8_t *buf, size_t len);
int mig_irqs_decode(const uint8_t *buf, size_t len, uint32_t n,
		    struct kvm_s390_irq *irqs, char *err, size_t errlen);

#endif
