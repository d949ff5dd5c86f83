#!/usr/bin/env bash
# tests/abi/abi.t: is vmm/kvm-abi.h the kernel's s390 KVM ABI?  (TAP)
#
# Run from the repository root after "make abi-check-build" (this script
# builds nothing).  Environment: BUILD (default "build"), QEMU_S390X (default
# qemu-s390x-static; not used on an s390x host).
#
# 1. header-compile.log: vmm/kvm-abi.h compiled by every available compiler,
#    both branches (written by the build).
# 2. abi-check-s390x: every size, alignment, offset, member width and type,
#    constant (value and C type) and ioctl number of vmm/kvm-abi.h equals the
#    real s390x <linux/kvm.h>, both compiled by s390x-linux-gnu-gcc.
# 3. abi-check-host[-clang]: the same list compiled by the host compiler(s)
#    against the vendored header (what softkvm uses) equals the kernel's s390x
#    values read from "abi-check-s390x --dump".
# 4. negative checks: a corrupted or truncated dump makes the host check fail.
set -u

BUILD=${BUILD:-build}
dir=$BUILD/tests/abi
QEMU_S390X=${QEMU_S390X:-qemu-s390x-static}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zvmm-abi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
lines=$tmp/lines
: >"$lines"
n=0
failed=0

emit() { # emit OK(0|1) DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 1 ]; then
		echo "ok $n - $2" >>"$lines"
	else
		echo "not ok $n - $2" >>"$lines"
		failed=$((failed + 1))
	fi
}
diag() { printf '# %s\n' "$*" >>"$lines"; }

bail() {
	echo "Bail out! $*"
	exit 1
}

for f in abi-check-s390x abi-check-host header-compile.log; do
	[ -e "$dir/$f" ] || bail "$dir/$f missing: run 'make abi-check-build' first (BUILD=$BUILD)"
done

if [ "$(uname -m)" = s390x ]; then
	s390x_runner=()
else
	command -v "$QEMU_S390X" >/dev/null 2>&1 ||
		bail "$QEMU_S390X not found (install qemu-user-static or set QEMU_S390X)"
	s390x_runner=("$QEMU_S390X")
fi
run_s390x() { "${s390x_runner[@]}" "$dir/abi-check-s390x" "$@"; }

# Fold one checker's TAP into ours: renumber its test lines, keep its
# diagnostics, and check that it ran to its plan and exited as it reported.
fold() { # fold LABEL RC FILE
	local label=$1 rc=$2 file=$3 plan count notok line
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$file" | tail -n 1)
	count=$(grep -cE '^(not )?ok [0-9]+' "$file")
	notok=$(grep -cE '^not ok [0-9]+' "$file")
	while IFS= read -r line; do
		case $line in
		"not ok "*) emit 0 "${line#not ok * - }" ;;
		"ok "*) emit 1 "${line#ok * - }" ;;
		"#"*) echo "$line" >>"$lines" ;;
		"1.."*) ;;
		*) diag "$label: $line" ;;
		esac
	done <"$file"
	emit "$([ -n "$plan" ] && [ "$plan" -eq "$count" ] && echo 1 || echo 0)" \
		"$label: ran to completion (plan ${plan:-missing}, $count results)"
	emit "$([ "$rc" -eq 0 ] && [ "$notok" -eq 0 ] || { [ "$rc" -ne 0 ] && [ "$notok" -gt 0 ]; } && echo 1 || echo 0)" \
		"$label: exit status $rc agrees with its $notok failure(s)"
}

# ---- 1. the header with every compiler --------------------------------
while IFS= read -r line; do
	case $line in
	"ok "*) emit 1 "header compiles: ${line#ok }" ;;
	"not ok "*) emit 0 "header compiles: ${line#not ok }" ;;
	"skip "*) n=$((n + 1)); echo "ok $n - header compiles: ${line#skip } # SKIP" >>"$lines" ;;
	esac
done <"$dir/header-compile.log"

# ---- 2. s390x: kernel header vs kvm-abi.h --------------------------------
run_s390x >"$tmp/s390x.tap" 2>"$tmp/s390x.err"
rc=$?
fold "abi-check-s390x" "$rc" "$tmp/s390x.tap"
[ -s "$tmp/s390x.err" ] && while IFS= read -r l; do diag "stderr: $l"; done <"$tmp/s390x.err"

# ---- 3. host: vendored kvm-abi.h vs the kernel's s390x values -------------
run_s390x --dump >"$tmp/dump" 2>>"$tmp/s390x.err"
rc=$?
entries=$(grep -c '^C	' "$tmp/dump")
emit "$([ "$rc" -eq 0 ] && [ "$entries" -gt 0 ] && grep -q '^@end ' "$tmp/dump" && echo 1 || echo 0)" \
	"abi-check-s390x --dump: $entries kernel entries (exit $rc)"

hosts=(abi-check-host)
if [ -x "$dir/abi-check-host-clang" ]; then
	hosts+=(abi-check-host-clang)
else
	n=$((n + 1))
	echo "ok $n - abi-check-host-clang # SKIP not built (no clang)" >>"$lines"
fi
for h in "${hosts[@]}"; do
	label="host $(uname -m)"
	[ "$h" = abi-check-host-clang ] && label="$label clang"
	"$dir/$h" "$tmp/dump" "$label" >"$tmp/$h.tap" 2>"$tmp/$h.err"
	rc=$?
	fold "$h" "$rc" "$tmp/$h.tap"
done

# ---- 4. the comparison catches differences -------------------------------
# The 2014 documentation's 16-byte kvm_s390_irq_state, planted in the dump.
awk -F '\t' 'BEGIN { OFS = "\t" }
	$1 == "C" && $2 == "sizeof(struct kvm_s390_irq_state)" { $3 = 16 } { print }' \
	"$tmp/dump" >"$tmp/dump.bad"
"$dir/abi-check-host" "$tmp/dump.bad" "negative" >"$tmp/neg.tap" 2>&1
rc=$?
# (the self-tests, which take the dump as the reference, may fail as well)
bad=$(grep -cE '^not ok [0-9]+ - negative: ' "$tmp/neg.tap")
hit=$(grep -cE '^not ok [0-9]+ - negative: sizeof\(struct kvm_s390_irq_state\): kernel 16, ours 32$' "$tmp/neg.tap")
emit "$([ "$rc" -ne 0 ] && [ "$bad" -eq 1 ] && [ "$hit" -eq 1 ] && echo 1 || echo 0)" \
	"negative: a dump with a 16-byte kvm_s390_irq_state fails exactly that entry (exit $rc, $bad failure(s))"

# A wrong C type (1U instead of 1UL) for KVM_SYNC_PREFIX.
awk -F '\t' 'BEGIN { OFS = "\t" }
	$1 == "C" && $2 == "KVM_SYNC_PREFIX" { $4 = 8 } { print }' \
	"$tmp/dump" >"$tmp/dump.bad2"
"$dir/abi-check-host" "$tmp/dump.bad2" "negative" >"$tmp/neg2.tap" 2>&1
rc=$?
hit=$(grep -cE '^not ok [0-9]+ - negative: KVM_SYNC_PREFIX = 1: C type differs' "$tmp/neg2.tap")
emit "$([ "$rc" -ne 0 ] && [ "$hit" -eq 1 ] && echo 1 || echo 0)" \
	"negative: a constant of another C type is reported (exit $rc)"

# A truncated dump (no end marker) is refused.
head -n 100 "$tmp/dump" >"$tmp/dump.short"
"$dir/abi-check-host" "$tmp/dump.short" "negative" >"$tmp/neg3.tap" 2>&1
rc=$?
emit "$([ "$rc" -ne 0 ] && grep -q '^Bail out!' "$tmp/neg3.tap" && echo 1 || echo 0)" \
	"negative: a truncated dump is refused (exit $rc)"

# ---- report --------------------------------------------------------------
echo "1..$n"
cat "$lines"
if [ "$failed" -ne 0 ]; then
	echo "# $failed of $n failed"
	exit 1
fi
echo "# all $n passed"
exit 0
