/*
 * tests/abi: what vmm/kvm-abi.h defines beyond the s390x 6.1 UAPI.
 *
 * X-macro list, no include guard: ABI_X(expr, expected) with the value each
 * entry must have.  These are checked in every build of the "ours" side
 * (vendored and, on s390x, the kernel-header branch), because the 6.1 header
 * cannot serve as the reference for them.
 *
 *   - KVM_S390_NO_MEM_LIMIT: the UAPI spells it with the in-kernel U64_MAX;
 *     kvm-abi.h makes it usable from user space (all ones).
 *   - MEM_OP additions of kernel 6.3 (absolute compare-and-exchange and the
 *     bits of the KVM_CAP_S390_MEM_OP_EXTENSION answer).
 *   - zvmm's own helpers for sizing IRQ-state buffers (spec 5.4: 72 bytes
 *     times (KVM_MAX_VCPUS + 32) = 20664 with KVM_MAX_VCPUS 255).
 */
ABI_X(KVM_S390_NO_MEM_LIMIT, 0xffffffffffffffffULL)
ABI_X(KVM_S390_MEMOP_ABSOLUTE_CMPXCHG, 6)
ABI_X(KVM_S390_MEMOP_EXTENSION_CAP_BASE, 1)
ABI_X(KVM_S390_MEMOP_EXTENSION_CAP_CMPXCHG, 2)
ABI_X(ZVMM_KVM_S390_MAX_VCPUS, 255)
ABI_X(ZVMM_KVM_S390_IRQ_STATE_MAX_ENTRIES, 287)
ABI_X(ZVMM_KVM_S390_IRQ_STATE_MAX_LEN, 20664)
