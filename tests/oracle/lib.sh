# shellcheck shell=bash
# The oracle's shared part: the case table, running a guest under a runner,
# normalising its console output, and checking it against the expectations.
# Sourced by tests/oracle/oracle.t (runner "qemu") and by any later test
# that runs the same guests under another runner (zvmm).
#
# A runner NAME is two shell functions:
#   NAME_run ELF CPUS MEMORY_MIB   run the guest, console on stdout
#   NAME_status CODE               the runner's exit status for exit(CODE)
# run_guest and check_case do the rest.  NAME_run runs in a child bash
# under timeout(1): run_guest exports it, but any variable it uses must be
# exported by the test that defines it.

ORACLE_DIR=${ORACLE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
BUILD=${BUILD:-build}
ORACLE_TIMEOUT=${ORACLE_TIMEOUT:-60}

ORACLE_N=0
ORACLE_FAILED=0

oracle_ok() {		# oracle_ok STATUS DESCRIPTION
	ORACLE_N=$((ORACLE_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $ORACLE_N - $2"
	else
		echo "not ok $ORACLE_N - $2"
		ORACLE_FAILED=$((ORACLE_FAILED + 1))
	fi
}

oracle_diag() {
	sed 's/^/# /'
}

# The cases, one "name program cpus memory code" line each.
oracle_cases() {
	grep -v '^[[:space:]]*\(#\|$\)' "$ORACLE_DIR/cases"
}

# --- QEMU: the reference runner ---------------------------------------------

QEMU=${QEMU:-qemu-system-s390x}

qemu_run() {		# qemu_run ELF CPUS MEMORY_MIB
	# -action panic=exit-failure: a disabled wait whose address is not
	# 0x...fff is a guest panic, and QEMU then exits with status 1.
	"$QEMU" -M s390-ccw-virtio -nographic -action panic=exit-failure \
		-smp "$2" -m "$3" -kernel "$1" </dev/null
}

qemu_status() {		# QEMU cannot carry the code itself: 0 or 1
	if [ "$1" -eq 0 ]; then echo 0; else echo 1; fi
}

# --- running and checking ---------------------------------------------------

# Console output as the expected files hold it: no CRs.  QEMU 7.2 prints
# no banner on stdout with -nographic (its messages go to stderr); a runner
# that does print something of its own strips it in NAME_run.
oracle_normalise() {
	tr -d '\r'
}

# run_guest RUNNER PROGRAM CPUS MEMORY OUT
# Runs one guest; OUT gets the normalised console output, OUT.err the
# runner's stderr.  Returns the runner's exit status (124: timeout).
run_guest() {
	local runner=$1 prog=$2 cpus=$3 mem=$4 out=$5 rc

	export -f "${runner}_run"
	# shellcheck disable=SC2016
	timeout "$ORACLE_TIMEOUT" bash -c '"$@"' run_guest "${runner}_run" \
		"$BUILD/guest/$prog.elf" "$cpus" "$mem" >"$out.raw" 2>"$out.err"
	rc=$?
	oracle_normalise <"$out.raw" >"$out"
	rm -f "$out.raw"
	return $rc
}
export QEMU

# The expected file and code of a case for a runner: the runner's own
# deviation if there is one, else the architecture's.
expected_out() {	# expected_out RUNNER NAME
	if [ -f "$ORACLE_DIR/expected/$1/$2.out" ]; then
		echo "$ORACLE_DIR/expected/$1/$2.out"
	else
		echo "$ORACLE_DIR/expected/$2.out"
	fi
}

expected_code() {	# expected_code RUNNER NAME DEFAULT
	if [ -f "$ORACLE_DIR/expected/$1/$2.code" ]; then
		cat "$ORACLE_DIR/expected/$1/$2.code"
	else
		echo "$3"
	fi
}

# check_case RUNNER NAME PROGRAM CPUS MEMORY CODE TMPDIR
# Three TAP results: the console output, the EXIT line, the exit status.
check_case() {
	local runner=$1 name=$2 prog=$3 cpus=$4 mem=$5 code=$6 tmp=$7
	local out="$tmp/$runner-$name" exp rc want_rc status want_status desc

	desc="$runner $name ($prog, $cpus cpus, $mem MiB)"
	exp=$(expected_out "$runner" "$name")
	code=$(expected_code "$runner" "$name" "$code")

	if [ ! -f "$BUILD/guest/$prog.elf" ]; then
		for what in output "EXIT line" "exit status"; do
			oracle_ok 1 "$desc: $what"
		done
		echo "$BUILD/guest/$prog.elf is missing: make guest first" | oracle_diag
		return
	fi

	run_guest "$runner" "$prog" "$cpus" "$mem" "$out"
	rc=$?

	if diff -u "$exp" "$out" >"$out.diff" 2>&1; then
		oracle_ok 0 "$desc: output"
	else
		oracle_ok 1 "$desc: output"
		{ echo "expected ${exp#"$PWD/"}, got (diff -u):"; cat "$out.diff"
		  if [ -s "$out.err" ]; then echo "stderr:"; cat "$out.err"; fi
		} | oracle_diag
	fi

	status=$(sed -n 's/^EXIT: STATUS=\([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
	want_status=$(((code << 1) | 1))
	if [ "$status" = "$want_status" ]; then
		oracle_ok 0 "$desc: EXIT: STATUS=$want_status"
	else
		oracle_ok 1 "$desc: EXIT: STATUS=$want_status"
		echo "EXIT line status: '${status:-none}', wanted $want_status" | oracle_diag
	fi

	want_rc=$("${runner}_status" "$code")
	if [ "$rc" -eq "$want_rc" ]; then
		oracle_ok 0 "$desc: $runner exit status $want_rc"
	else
		oracle_ok 1 "$desc: $runner exit status $want_rc"
		{ echo "exit status $rc, wanted $want_rc$([ "$rc" -eq 124 ] && echo " (timed out after ${ORACLE_TIMEOUT}s)")"
		  if [ -s "$out.err" ]; then echo "stderr:"; cat "$out.err"; fi
		} | oracle_diag
	fi
}

oracle_done() {
	echo "1..$ORACLE_N"
	[ "$ORACLE_FAILED" -eq 0 ]
}
