#!/bin/bash
# Every oracle case booted by zvmm on softkvm: the console output must be
# the oracle's expected file, the EXIT line the expected code, and zvmm's
# exit status the guest's code itself (tests/oracle/README.md, "Running
# the same cases under another runner"); smp with 16 CPUs against QEMU in
# the same run; then small guests assembled here for a re-IPL, SIGP
# condition codes and status bits, and a crash.
#   BUILD=build tests/integration/boot.t
# shellcheck source=tests/oracle/lib.sh disable=SC1091
. "$(dirname "$0")/../oracle/lib.sh"

ZVMM=${ZVMM:-$BUILD/zvmm}
export ZVMM

zvmm_run() {		# zvmm_run ELF CPUS MEMORY_MIB
	"$ZVMM" run --quiet --accel soft --cpus "$2" --memory "$3M" "$1" </dev/null
}

zvmm_status() {		# zvmm exits with the guest's code
	echo "$1"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$ZVMM" ]; then
	echo "1..0 # SKIP $ZVMM not built"
	exit 0
fi

while read -r name prog cpus mem code; do
	check_case zvmm "$name" "$prog" "$cpus" "$mem" "$code" "$tmp"
done < <(oracle_cases)

# smp with 16 CPUs: no expected file holds it, so QEMU (the oracle)
# produces the expectation in the same run.
if command -v "$QEMU" >/dev/null 2>&1 && [ -f "$BUILD/guest/smp.elf" ]; then
	mkdir -p "$tmp/exp"
	run_guest qemu smp 16 128 "$tmp/exp/smp-16.out"
	qrc=$?
	out=$tmp/zvmm-smp-16
	run_guest zvmm smp 16 128 "$out"
	rc=$?
	diff -u "$tmp/exp/smp-16.out" "$out" >"$out.diff" 2>&1
	d=$?
	oracle_ok $(( qrc != 0 || d != 0 )) "zvmm smp (smp, 16 cpus, 128 MiB): output as under QEMU"
	[ "$d" -eq 0 ] || oracle_diag <"$out.diff"
	oracle_ok $(( rc != 0 )) "zvmm smp (smp, 16 cpus, 128 MiB): zvmm exit status 0"
	[ "$rc" -eq 0 ] || oracle_diag <"$out.err"
fi

# --name / --uuid are accepted with a running guest and do not change
# its console.
out=$tmp/named
timeout "$ORACLE_TIMEOUT" "$ZVMM" run --quiet --accel soft --name test-vm \
	--uuid 12345678-9abc-def0-1234-56789abcdef0 "$BUILD/guest/hello.elf" \
	</dev/null >"$out" 2>"$out.err"
rc=$?
diff -q "$out" "$ORACLE_DIR/expected/hello.out" >/dev/null
oracle_ok $(( rc != 0 || $? != 0 )) "zvmm hello with --name and --uuid"

# --- small guests built here: a re-IPL, SIGP answers, a crash ------------
# Each is a few instructions of s390x assembly linked at 0x20000 like the
# guest programs; skipped without the s390x cross compiler.
GUEST_CC=${GUEST_CC:-s390x-linux-gnu-gcc}

mkguest() {		# mkguest NAME [CPPFLAGS...] < source
	local name=$1
	shift
	cat >"$tmp/$name.S"
	"$GUEST_CC" -nostdlib -static -Wl,-Ttext=0x20000 -Wl,--build-id=none \
		"$@" -o "$tmp/$name.elf" "$tmp/$name.S" 2>"$tmp/$name.cc-err"
}

# status_of DESCRIPTION WANT ELF [ZVMM OPTIONS...]: zvmm's exit status
status_of() {
	local desc=$1 want=$2 elf=$3 rc
	shift 3
	timeout 20 "$ZVMM" run --quiet --accel soft "$@" "$elf" </dev/null \
		>"$elf.out" 2>"$elf.err"
	rc=$?
	oracle_ok $(( rc != want )) "$desc: exit status $want"
	[ "$rc" -eq "$want" ] || { echo "exit status $rc"; cat "$elf.err"; } | oracle_diag
}

if command -v "$GUEST_CC" >/dev/null 2>&1; then
	# DIAG 308 subcode 4 (load normal): the machine re-IPLs with memory
	# kept, so the second run sees its mark at 0x10000 and exits 42.
	mkguest reset <<'EOF'
	.text
	.globl _start
_start:
	lgfi	%r1, 0x10000
	cli	0(%r1), 0x5a
	je	done
	mvi	0(%r1), 0x5a
	lghi	%r4, 4
	diag	%r2, %r4, 0x308
	j	.
done:
	larl	%r1, waitpsw
	lpswe	0(%r1)
	.align	8
waitpsw:
	.quad	0x0002000180000000, 0x2aeee
EOF
	status_of "re-IPL by DIAG 308 load normal keeps memory" 42 "$tmp/reset.elf"

	# One SIGP (parameter and status in r1); the exit code is
	# (cc << 4) | INVALID PARAMETER 1 | INCORRECT STATE 2 | INVALID ORDER 8.
	sigp_src='
	.text
	.globl _start
_start:
	lgfi	%r1, PARAM
	lghi	%r3, ADDR
	sigp	%r1, %r3, ORDER
	ipm	%r2
	srl	%r2, 28
	sll	%r2, 4
	lr	%r4, %r1
	srl	%r4, 8
	nill	%r4, 3
	or	%r2, %r4
	lr	%r4, %r1
	nill	%r4, 2
	sll	%r4, 2
	or	%r2, %r4
	sllg	%r2, %r2, 12
	oill	%r2, 0xeee
	larl	%r5, waitpsw
	stg	%r2, 8(%r5)
	lpswe	0(%r5)
	.data
	.align	8
waitpsw:
	.quad	0x0002000180000000, 0'
	n=0
	while read -r desc addr order param want; do
		n=$((n + 1))
		echo "$sigp_src" | mkguest "sigp$n" -DADDR="$addr" -DORDER="$order" -DPARAM="$param"
		status_of "SIGP $desc" "$want" "$tmp/sigp$n.elf" --cpus 2
	done <<'EOF'
SET-PREFIX-to-CPU-300:cc3 300 13 0 48
SET-PREFIX-to-itself:cc1-incorrect-state 0 13 0x20000 18
SET-PREFIX-beyond-memory:cc1-invalid-parameter 1 13 0x7fffe000 17
SET-ARCHITECTURE-with-CPU-1-stopped:cc1-invalid-parameter 0 0x12 0 17
unknown-order-0x77:cc1-invalid-order 1 0x77 0 24
STORE-STATUS-AT-ADDRESS-of-itself:cc1-incorrect-state 0 14 0x30000 18
EOF

	# A disabled wait at an address that is no exit code: a crash.
	mkguest crash <<'EOF'
	.text
	.globl _start
_start:
	larl	%r1, waitpsw
	lpswe	0(%r1)
	.align	8
waitpsw:
	.quad	0x0002000180000000, 0x1234
EOF
	status_of "disabled wait at 0x1234 is a crash" 76 "$tmp/crash.elf"
	grep -q "cpu0: guest crashed: disabled wait, PSW 0002000180000000 0000000000001234" \
		"$tmp/crash.elf.err"
	oracle_ok $? "the crash message names the CPU and the PSW"
fi

oracle_done
