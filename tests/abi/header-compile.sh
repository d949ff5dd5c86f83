#!/usr/bin/env bash
# tests/abi/header-compile.sh OUTDIR 'FLAGS'
#
# Build step of the ABI check (called by tests/abi/abi.mk): compile
# vmm/kvm-abi.h, in both of its branches, with every compiler at hand, with
# FLAGS (abi.mk passes the strict flags, the VMM's warnings and -Wpedantic).
# Writes OUTDIR/header-compile.log with one "ok ..." or "skip ..." line per
# variant (tests/abi/abi.t turns it into TAP).  Any failure prints the compiler's messages, leaves
# OUTDIR/header-compile.log.tmp behind and exits 1, so the build fails.
#
# Compilers come from the environment: HOSTCC, CLANG, MUSL_CC, S390X_GNU_CC,
# S390X_MUSL_CC; S390X_UAPI_INC is the s390x UAPI include directory.
set -u

out=${1:?usage: header-compile.sh OUTDIR 'STRICT FLAGS'}
read -r -a strict <<<"${2:--std=c11 -Wall -Wextra -Werror -Wpedantic}"
HOSTCC=${HOSTCC:-cc}
CLANG=${CLANG:-clang}
MUSL_CC=${MUSL_CC:-musl-gcc}
S390X_GNU_CC=${S390X_GNU_CC:-s390x-linux-gnu-gcc}
S390X_MUSL_CC=${S390X_MUSL_CC:-s390x-linux-musl-gcc}
S390X_UAPI_INC=${S390X_UAPI_INC:-/usr/s390x-linux-gnu/include}

hc=$out/header-compile
mkdir -p "$hc"
log=$out/header-compile.log
tmp=$log.tmp
: >"$tmp"
failed=0

# A translation unit that uses the header the way the VMM does: ioctl
# numbers as case labels, kvm_run exits and sync registers, the bit-field,
# the IRQ-state helpers, and printf formats that rely on the 64-bit fields
# being unsigned long long in both branches.
cat >"$hc/use.c" <<'EOF'
#include "vmm/kvm-abi.h"
#include "vmm/kvm-abi.h" /* include guard */
#include <stdio.h>

unsigned long zvmm_abi_use(unsigned long request, struct kvm_run *run,
			   struct kvm_s390_irq *irq);

unsigned long zvmm_abi_use(unsigned long request, struct kvm_run *run,
			   struct kvm_s390_irq *irq)
{
	struct kvm_s390_irq_state st = {
		.buf = (unsigned long long)(unsigned long)irq,
		.len = (unsigned int)ZVMM_KVM_S390_IRQ_STATE_MAX_LEN,
	};
	struct kvm_device_attr attr = { .group = KVM_S390_VM_MEM_CTRL,
					.attr = KVM_S390_VM_MEM_LIMIT_SIZE };
	unsigned long long limit = KVM_S390_NO_MEM_LIMIT;

	switch (request) {
	case KVM_S390_GET_IRQ_STATE:
	case KVM_S390_SET_IRQ_STATE:
		return st.len + st.flags;
	case KVM_S390_IRQ:
		irq->type = KVM_S390_INT_EMERGENCY;
		irq->u.emerg.code = 1;
		return 0;
	case KVM_RUN:
		if (run->exit_reason == KVM_EXIT_S390_SIEIC)
			printf("icpt %u ipa %x ipb %x psw %016llx %016llx\n",
			       run->s390_sieic.icptcode, run->s390_sieic.ipa,
			       run->s390_sieic.ipb, run->psw_mask, run->psw_addr);
		run->s.regs.bpbc = 1;
		run->kvm_dirty_regs |= KVM_SYNC_PREFIX | KVM_SYNC_CRS;
		printf("prefix %llx gbea %llx etoken %llx\n", run->s.regs.prefix,
		       run->s.regs.gbea, run->s.regs.etoken);
		return run->kvm_valid_regs & KVM_SYNC_S390_VALID_FIELDS;
	case KVM_SET_DEVICE_ATTR:
		attr.addr = (unsigned long long)(unsigned long)&limit;
		return attr.attr;
	case KVM_S390_STORE_STATUS:
		return KVM_S390_STORE_STATUS_NOADDR;
	default:
		return KVM_S390_INT_IO(1, 0, 0, 0) | KVM_S390_MEMOP_ABSOLUTE_CMPXCHG;
	}
}
EOF

# kvm-abi.h first, then the kernel header: must be harmless in both branches.
cat >"$hc/then-kernel.c" <<'EOF'
#include "vmm/kvm-abi.h"
#include <linux/kvm.h>
int zvmm_abi_then_kernel(void);
int zvmm_abi_then_kernel(void) { return (int)sizeof(struct kvm_run); }
EOF

# The host's <linux/kvm.h> first, then the vendored header: must be refused.
cat >"$hc/kernel-first.c" <<'EOF'
#include <linux/kvm.h>
#include "vmm/kvm-abi.h"
int zvmm_abi_kernel_first(void);
int zvmm_abi_kernel_first(void) { return 0; }
EOF

# The C library's <sys/ioctl.h> before and after kvm-abi.h, using ioctl
# numbers and the _IOW macro: musl defines _IOC & co. itself.
cat >"$hc/ioctl-first.c" <<'EOF'
#include <sys/ioctl.h>
#include "vmm/kvm-abi.h"
int zvmm_abi_ioctl_first(int fd);
int zvmm_abi_ioctl_first(int fd)
{
	return ioctl(fd, KVM_S390_GET_IRQ_STATE, 0) +
	       ioctl(fd, _IOW(KVMIO, 0xb6, struct kvm_s390_irq_state), 0);
}
EOF
cat >"$hc/ioctl-after.c" <<'EOF'
#include "vmm/kvm-abi.h"
#include <sys/ioctl.h>
int zvmm_abi_ioctl_after(int fd);
int zvmm_abi_ioctl_after(int fd)
{
	return ioctl(fd, KVM_S390_GET_IRQ_STATE, 0) +
	       ioctl(fd, _IOW(KVMIO, 0xb6, struct kvm_s390_irq_state), 0);
}
EOF

# An include directory holding only the s390x UAPI (linux, asm, asm-generic),
# given with -I like the top Makefile's sysinc: the kernel headers are then
# not system headers and every diagnostic in them counts (except -Wpedantic,
# which the 6.1 UAPI itself does not pass: named variadic macros).
uapi=$hc/uapi
mkdir -p "$uapi"
for d in linux asm asm-generic; do
	ln -sfn "$S390X_UAPI_INC/$d" "$uapi/$d"
done

have() { command -v "$1" >/dev/null 2>&1; }

# compile DESCRIPTION FILE "COMPILER [WORDS]" [ARGS...]
# (ARGS go after the flags, so that they can relax them)
compile() {
	local desc=$1 file=$2 ccw
	read -r -a ccw <<<"$3"
	shift 3
	if "${ccw[@]}" "${strict[@]}" "$@" -fsyntax-only -I. "$file" \
		>"$hc/last.err" 2>&1; then
		echo "ok $desc" >>"$tmp"
	else
		echo "not ok $desc" >>"$tmp"
		echo "header-compile: FAILED: $desc: ${ccw[*]} $* $file" >&2
		cat "$hc/last.err" >&2
		failed=1
	fi
}

skip() { echo "skip $1 ($2)" >>"$tmp"; }

# the host compiler's word on which branch it takes
if have "${HOSTCC%% *}"; then
	read -r -a hostcc <<<"$HOSTCC"
	compile "$HOSTCC: vmm/kvm-abi.h (default branch for this host)" \
		"$hc/use.c" "$HOSTCC"
	compile "$HOSTCC: vmm/kvm-abi.h with ZVMM_VENDORED_KVM_ABI" \
		"$hc/use.c" "$HOSTCC" -DZVMM_VENDORED_KVM_ABI
	if echo '#include <linux/kvm.h>' | "${hostcc[@]}" -E -x c - >/dev/null 2>&1; then
		compile "$HOSTCC: <linux/kvm.h> after vmm/kvm-abi.h is harmless" \
			"$hc/then-kernel.c" "$HOSTCC"
		if ! "${hostcc[@]}" -dM -E -x c /dev/null 2>/dev/null | grep -q '__s390x__'; then
			if "${hostcc[@]}" "${strict[@]}" -fsyntax-only -I. "$hc/kernel-first.c" \
				>"$hc/last.err" 2>&1; then
				echo "not ok $HOSTCC: host <linux/kvm.h> before vmm/kvm-abi.h is refused" >>"$tmp"
				echo "header-compile: FAILED: host <linux/kvm.h> first was accepted" >&2
				failed=1
			elif grep -q 'already included' "$hc/last.err"; then
				echo "ok $HOSTCC: host <linux/kvm.h> before vmm/kvm-abi.h is refused with a clear #error" >>"$tmp"
			else
				echo "not ok $HOSTCC: host <linux/kvm.h> before vmm/kvm-abi.h is refused with a clear #error" >>"$tmp"
				cat "$hc/last.err" >&2
				failed=1
			fi
		fi
	else
		skip "$HOSTCC: <linux/kvm.h> order tests" "no host <linux/kvm.h>"
	fi
else
	skip "$HOSTCC" "not installed"
fi

if have "$MUSL_CC"; then
	compile "$MUSL_CC: vmm/kvm-abi.h (vendored)" "$hc/use.c" "$MUSL_CC"
	compile "$MUSL_CC: <sys/ioctl.h> before vmm/kvm-abi.h" "$hc/ioctl-first.c" "$MUSL_CC"
	compile "$MUSL_CC: <sys/ioctl.h> after vmm/kvm-abi.h" "$hc/ioctl-after.c" "$MUSL_CC"
else
	skip "$MUSL_CC" "not installed"
fi

if have "$CLANG"; then
	compile "$CLANG: vmm/kvm-abi.h (default branch for this host)" \
		"$hc/use.c" "$CLANG"
	compile "$CLANG --target=s390x-linux-gnu: vmm/kvm-abi.h with ZVMM_VENDORED_KVM_ABI" \
		"$hc/use.c" "$CLANG" --target=s390x-linux-gnu -DZVMM_VENDORED_KVM_ABI \
		-idirafter "$S390X_UAPI_INC"
	compile "$CLANG --target=s390x-linux-gnu: vmm/kvm-abi.h <linux/kvm.h> branch" \
		"$hc/use.c" "$CLANG" --target=s390x-linux-gnu -idirafter "$S390X_UAPI_INC"
else
	skip "$CLANG" "not installed"
fi

if have "$S390X_GNU_CC"; then
	compile "$S390X_GNU_CC: vmm/kvm-abi.h <linux/kvm.h> branch" \
		"$hc/use.c" "$S390X_GNU_CC"
	compile "$S390X_GNU_CC: vmm/kvm-abi.h with ZVMM_VENDORED_KVM_ABI" \
		"$hc/use.c" "$S390X_GNU_CC" -DZVMM_VENDORED_KVM_ABI
	compile "$S390X_GNU_CC: <linux/kvm.h> after vmm/kvm-abi.h is harmless" \
		"$hc/then-kernel.c" "$S390X_GNU_CC"
	compile "$S390X_GNU_CC: <linux/kvm.h> after vendored vmm/kvm-abi.h is harmless" \
		"$hc/then-kernel.c" "$S390X_GNU_CC" -DZVMM_VENDORED_KVM_ABI
	compile "$S390X_GNU_CC: <linux/kvm.h> before vmm/kvm-abi.h (<linux/kvm.h> branch)" \
		"$hc/kernel-first.c" "$S390X_GNU_CC"
	compile "$S390X_GNU_CC: <sys/ioctl.h> before vmm/kvm-abi.h" \
		"$hc/ioctl-first.c" "$S390X_GNU_CC"
	compile "$S390X_GNU_CC: <sys/ioctl.h> after vmm/kvm-abi.h" \
		"$hc/ioctl-after.c" "$S390X_GNU_CC"
else
	skip "$S390X_GNU_CC" "not installed"
fi

if have "$S390X_MUSL_CC"; then
	compile "$S390X_MUSL_CC: vmm/kvm-abi.h with ZVMM_VENDORED_KVM_ABI" \
		"$hc/use.c" "$S390X_MUSL_CC" -DZVMM_VENDORED_KVM_ABI
	if [ -r "$S390X_UAPI_INC/linux/kvm.h" ]; then
		compile "$S390X_MUSL_CC -idirafter $S390X_UAPI_INC: vmm/kvm-abi.h <linux/kvm.h> branch" \
			"$hc/use.c" "$S390X_MUSL_CC" -idirafter "$S390X_UAPI_INC"
		compile "$S390X_MUSL_CC -I (UAPI only): <sys/ioctl.h> before vmm/kvm-abi.h (<linux/kvm.h> branch)" \
			"$hc/ioctl-first.c" "$S390X_MUSL_CC" -I "$uapi" -Wno-pedantic
		compile "$S390X_MUSL_CC -I (UAPI only): <sys/ioctl.h> after vmm/kvm-abi.h (<linux/kvm.h> branch)" \
			"$hc/ioctl-after.c" "$S390X_MUSL_CC" -I "$uapi" -Wno-pedantic
		compile "$S390X_MUSL_CC -I (UAPI only): <sys/ioctl.h> before vendored vmm/kvm-abi.h" \
			"$hc/ioctl-first.c" "$S390X_MUSL_CC" -I "$uapi" -DZVMM_VENDORED_KVM_ABI
	else
		skip "$S390X_MUSL_CC: <linux/kvm.h> branch" "no $S390X_UAPI_INC/linux/kvm.h"
	fi
else
	skip "$S390X_MUSL_CC" "not installed"
fi

if [ "$failed" -ne 0 ]; then
	echo "header-compile: see $tmp" >&2
	exit 1
fi
mv "$tmp" "$log"
