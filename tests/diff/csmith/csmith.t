#!/bin/bash
# SPDX-License-Identifier: MIT
# Program-level differential test: csmith programs built as tiny guests
# (guest/lib + tests/diff/csmith/csmith.h) run under qemu-system-s390x
# (TCG) and under the interpreter (runelf); the consoles (csmith's
# checksum and the EXIT line) must be equal. TAP, one line per seed.
#
#   BUILD=build tests/diff/csmith/csmith.t           the seeds in ./seeds
#   CSMITH_LONG=1000 tests/diff/csmith/csmith.t      1000 more (from
#       CSMITH_LONG_FROM, default 1000000), failing seeds reported
#   CSMITH_MARCH="z10 z196"                          compile each for both
#   CSMITH_ZVMM=10                                   the first 10 programs
#       also boot as real guests through `zvmm run --accel soft` (vCPU
#       thread, SCLP console, exit convention): same console as QEMU, and
#       zvmm's exit status the code of the EXIT line (0 turns it off)
#   CSMITH_S390X=50                                  the first 50 programs
#       (all of ./seeds) of at most CSMITH_S390X_MAX (20,000,000) instructions
#       also boot through the s390x build of zvmm (build/s390x/zvmm) under
#       qemu-s390x-static, a big-endian host for the interpreter and
#       softkvm (--seccomp off: qemu-user has no seccomp); 0 turns it off
#
# A program that does not finish within CSMITH_BUDGET instructions on the
# interpreter, or CSMITH_TIMEOUT seconds under QEMU, is skipped (csmith
# programs may loop for a long time), not failed. Builds nothing but the
# programs (make guest, make -f tests/diff/csmith/csmith.mk).
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNELF=$BUILD/tests/diff/runelf/runelf
ZVMM=${ZVMM:-$BUILD/zvmm}
ZVMM_N=${CSMITH_ZVMM:-10}
S390X_ZVMM=${S390X_ZVMM:-$BUILD/s390x/zvmm}
S390X_N=${CSMITH_S390X:-50}
S390X_MAX=${CSMITH_S390X_MAX:-20000000}
QEMU_USER=${QEMU_USER:-qemu-s390x-static}
QEMU=${QEMU:-qemu-system-s390x}
GUEST_CC=${GUEST_CC:-s390x-linux-gnu-gcc}
BUDGET=${CSMITH_BUDGET:-300000000}
TIMEOUT=${CSMITH_TIMEOUT:-10}
MARCH=${CSMITH_MARCH:-z10}
# bounded programs: small, few functions, shallow
CSMITH_OPTS=${CSMITH_OPTS:---no-argc --no-safe-math --max-funcs 6 --max-block-depth 3 --max-expr-complexity 6}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }
command -v csmith >/dev/null || skip_all "csmith not installed"
command -v "$QEMU" >/dev/null || skip_all "$QEMU not installed"
command -v "$GUEST_CC" >/dev/null || skip_all "$GUEST_CC not installed"
[ -x "$RUNELF" ] || skip_all "runelf not built (make -f tests/diff/csmith/csmith.mk runelf-build)"
libs=$(ls "$BUILD"/guest/lib/*.o 2>/dev/null)
[ -n "$libs" ] || skip_all "guest library not built (make guest)"

if [ -n "${CSMITH_LONG:-}" ]; then
	from=${CSMITH_LONG_FROM:-1000000}
	seeds=$(seq "$from" $((from + CSMITH_LONG - 1)))
else
	seeds=$(grep -v '^[[:space:]]*\(#\|$\)' "$HERE/seeds")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# zvmm_check DESC P WHAT SECONDS COMMAND...: the program P.elf booted by
# COMMAND (a zvmm run) against QEMU's console P.qemu; one TAP line.
zvmm_check() {
	local desc=$1 p=$2 what=$3 secs=$4 zrc code
	shift 4
	timeout "$secs" "$@" "$p.elf" </dev/null >"$p.$what" 2>"$p.$what.err"
	zrc=$?
	code=$(sed -n 's/^EXIT: STATUS=\([0-9][0-9]*\)$/\1/p' "$p.qemu" | tail -n 1)
	code=$(( ${code:-0} >> 1 ))
	if [ "$zrc" -eq 124 ]; then
		echo "not ok $n - $desc through $what: timed out after ${secs}s"
		failed="$failed $seed/$march/$what"
	elif ! cmp -s "$p.qemu" "$p.$what"; then
		echo "not ok $n - $desc through $what: consoles differ"
		diff "$p.qemu" "$p.$what" | head -10 | sed 's/^/# /'
		sed 's/^/# /' "$p.$what.err" | head -3
		failed="$failed $seed/$march/$what"
	elif [ "$zrc" -ne "$code" ]; then
		echo "not ok $n - $desc through $what: exit status $zrc, wanted $code"
		sed 's/^/# /' "$p.$what.err" | head -3
		failed="$failed $seed/$march/$what"
	else
		echo "ok $n - $desc through $what: $(grep -m1 '^checksum\|^unexpected' "$p.$what"), status $zrc"
	fi
}
[ "$ZVMM_N" -gt 0 ] && [ ! -x "$ZVMM" ] && ZVMM_N=0 &&
	echo "# $ZVMM not built: no programs through zvmm run"
if [ "$S390X_N" -gt 0 ] &&
   { [ ! -x "$S390X_ZVMM" ] || ! command -v "$QEMU_USER" >/dev/null; }; then
	S390X_N=0
	echo "# $S390X_ZVMM or $QEMU_USER missing: no programs through the s390x build"
fi

n=0
booted=0
s390x_booted=0
failed=""
for seed in $seeds; do
	for march in $MARCH; do
		n=$((n + 1))
		p=$work/s$seed-$march
		desc="seed $seed -march=$march"
		# (csmith writes platform.info into its working directory)
		if ! (cd "$work" && csmith --seed "$seed" $CSMITH_OPTS -o "$p.c") >/dev/null 2>&1 ||
		   ! $GUEST_CC -std=gnu11 -w -O2 -march="$march" -mno-vx -ffreestanding \
			-fno-pic -fno-common -fno-stack-protector \
			-fno-asynchronous-unwind-tables -fno-unwind-tables \
			-I"$HERE" -Iguest/lib -c "$p.c" -o "$p.o" 2>"$p.err" ||
		   ! $GUEST_CC -nostdlib -static -fno-pic -no-pie -Wl,--build-id=none \
			-Wl,-T,guest/guest.ld -o "$p.elf" "$p.o" $libs -lgcc 2>>"$p.err"; then
			echo "not ok $n - $desc: generation or build failed"
			sed 's/^/# /' "$p.err" | head -5
			failed="$failed $seed/$march"
			continue
		fi
		timeout "$TIMEOUT" "$QEMU" -M s390-ccw-virtio -nographic -kernel "$p.elf" \
			</dev/null 2>/dev/null | tr -d '\r' >"$p.qemu"
		qrc=${PIPESTATUS[0]}
		"$RUNELF" -s -b "$BUDGET" "$p.elf" >"$p.interp" 2>"$p.ierr"
		irc=$?
		if [ "$qrc" -eq 124 ] || [ "$irc" -eq 124 ]; then
			echo "ok $n - $desc # SKIP runs too long (qemu $qrc, interpreter $irc)"
			continue
		fi
		if cmp -s "$p.qemu" "$p.interp"; then
			# a program check (csmith code without safe math may
			# divide by zero) counts when both end the same way
			what=$(grep -m1 '^checksum\|^unexpected' "$p.qemu")
			echo "ok $n - $desc: ${what:-no output}"
		else
			echo "not ok $n - $desc: consoles differ"
			diff "$p.qemu" "$p.interp" | head -10 | sed 's/^/# /'
			sed 's/^/# /' "$p.ierr" | head -3
			failed="$failed $seed/$march"
		fi
		if [ "$booted" -lt "$ZVMM_N" ]; then
			booted=$((booted + 1))
			n=$((n + 1))
			zvmm_check "$desc" "$p" "zvmm run" "$TIMEOUT" \
				"$ZVMM" run --quiet --accel soft
		fi
		insns=$(awk '/^runelf: insns/ { print $3 }' "$p.ierr")
		if [ "$s390x_booted" -lt "$S390X_N" ] &&
		   [ "${insns:-$S390X_MAX}" -lt "$S390X_MAX" ]; then
			s390x_booted=$((s390x_booted + 1))
			n=$((n + 1))
			zvmm_check "$desc" "$p" "s390x zvmm" $((TIMEOUT * 12)) \
				"$QEMU_USER" "$S390X_ZVMM" run --quiet --accel soft --seccomp off
		fi
	done
done
echo "1..$n"
if [ -n "$failed" ]; then
	echo "# failing seeds:$failed"
	exit 1
fi
