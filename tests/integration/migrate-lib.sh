# shellcheck shell=bash
# Helpers for the migration tests (sourced after tap.sh): start sources
# and peers in the background, wait for them, migrate between them.
# Every process started here is killed when the test ends.

GUEST=${GUEST:-$BUILD/guest}
MIG_PIDS=()

mig_cleanup() {
	local p
	for p in "${MIG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TAP_TMP"
}
trap mig_cleanup EXIT

# wait_for FILE PATTERN [SECONDS]: until FILE has a line matching PATTERN.
wait_for() {
	local i
	for i in $(seq $((${3:-20} * 20))); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# start_vm NAME ARGS...: `zvmm run --accel soft --control $TAP_TMP/NAME.ctl
# ARGS` in the background; its pid in NAME_pid (a variable), output in
# $TAP_TMP/NAME.out and .err.
start_vm() {
	local name=$1
	shift
	"$ZVMM" run --accel soft --control "$TAP_TMP/$name.ctl" "$@" \
		</dev/null >"$TAP_TMP/$name.out" 2>"$TAP_TMP/$name.err" &
	MIG_PIDS+=($!)
	printf -v "${name}_pid" %s $!
}

# start_peer NAME URI: a zvmm waiting for a migration on URI.
start_peer() {
	start_vm "$1" --incoming "$2"
	wait_for "$TAP_TMP/$1.err" "waiting for a migration|error" 10
}

# migrate FROM URI: `zvmm ctl --json FROM.ctl migrate URI`; the reply
# (last line) in $TAP_TMP/FROM.mig; returns ctl's status.
migrate() {
	"$ZVMM" ctl --json "$TAP_TMP/$1.ctl" migrate "$2" >"$TAP_TMP/$1.mig" \
		2>"$TAP_TMP/$1.migerr"
}

# wait_exit PID [SECONDS]: its exit status, or 124 after the timeout
# (the process is killed then).
wait_exit() {
	local i
	for i in $(seq $((${2:-60} * 10))); do
		kill -0 "$1" 2>/dev/null || { wait "$1"; return $?; }
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 124
}

# json_num FILE KEY: a number member of the last JSON line of FILE.
json_num() {
	tail -n 1 "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p"
}

# diag NAME...: the output files of these processes as TAP diagnostics.
diag() {
	local n
	for n in "$@"; do
		for f in "$TAP_TMP/$n".{out,err,mig,migerr}; do
			[ -s "$f" ] && { echo "== $f"; tail -n 15 "$f"; } | tap_diag
		done
	done
}
