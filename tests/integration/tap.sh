# shellcheck shell=bash
# Minimal TAP helpers for the integration tests (sourced, not run).
# Every check prints one "ok"/"not ok" line; failures add "# " diagnostics.

BUILD=${BUILD:-build}
ZVMM=${ZVMM:-$BUILD/zvmm}
TAP_N=0
TAP_FAILED=0
TAP_TMP=$(mktemp -d)
trap 'rm -rf "$TAP_TMP"' EXIT

tap_ok() {		# tap_ok STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

tap_diag() {
	sed 's/^/# /'
}

# expect RC PATTERN DESCRIPTION -- COMMAND...
# Runs COMMAND; passes if it exits RC and its stderr+stdout match the
# extended regex PATTERN (an empty pattern matches anything).
expect() {
	local rc=$1 pattern=$2 desc=$3 got out
	shift 4
	out="$TAP_TMP/out"
	"$@" >"$out" 2>&1
	got=$?
	if [ "$got" -eq "$rc" ] && { [ -z "$pattern" ] || grep -Eq -- "$pattern" "$out"; }; then
		tap_ok 0 "$desc"
	else
		tap_ok 1 "$desc"
		{ echo "command: $*"; echo "exit $got, wanted $rc; output:"; cat "$out"
		  echo "wanted a match for: $pattern"; } | tap_diag
	fi
}

tap_done() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
