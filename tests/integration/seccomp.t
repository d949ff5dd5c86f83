#!/bin/bash
# seccomp: oracle guests boot with the allow-list on and print what they
# print under QEMU; a running zvmm (a looping guest held by the control
# socket) is in filter mode 2 on every thread; --seccomp off really is
# off; bad values are refused. That a refused syscall kills zvmm with its
# number is tests/unit/test_seccomp.c (the filter in a forked child).
#   BUILD=build tests/integration/seccomp.t
. "$(dirname "$0")/tap.sh"

ORACLE_DIR=$(cd "$(dirname "$0")/../oracle" && pwd)
GUEST_CC=${GUEST_CC:-s390x-linux-gnu-gcc}
if [ ! -x "$ZVMM" ] || ! command -v "$GUEST_CC" >/dev/null 2>&1; then
	echo "1..0 # SKIP needs $ZVMM and $GUEST_CC"
	exit 0
fi
if ! grep -q '^Seccomp:' /proc/self/status; then
	echo "1..0 # SKIP the kernel has no seccomp"
	exit 0
fi

# name program cpus: the output must be expected/<name>.out, status 0.
while read -r name prog cpus; do
	out=$TAP_TMP/$name
	timeout 60 "$ZVMM" run --quiet --accel soft --seccomp on --cpus "$cpus" \
		"$BUILD/guest/$prog.elf" </dev/null >"$out" 2>"$out.err"
	rc=$?
	diff -u "$ORACLE_DIR/expected/$name.out" "$out" >"$out.diff"
	tap_ok $(( rc != 0 || $? != 0 )) "$name ($cpus cpus) with --seccomp on: oracle output, status 0"
	[ "$rc" -eq 0 ] || { echo "exit $rc"; cat "$out.err" "$out.diff"; } | tap_diag
done <<'EOF'
hello hello 1
smp smp 4
smp-8 smp 8
timers timers 1
pgm pgm 1
bench bench 1
EOF

printf '\t.text\n\t.globl _start\n_start:\n\tj\t.\n' >"$TAP_TMP/loop.S"
"$GUEST_CC" -nostdlib -static -Wl,-Ttext=0x20000 -Wl,--build-id=none \
	-o "$TAP_TMP/loop.elf" "$TAP_TMP/loop.S"
sock=$TAP_TMP/zvmm.sock
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$TAP_TMP"; }
trap cleanup EXIT

# start_loop [OPTIONS...]: a looping 2-CPU guest with a control socket.
start_loop() {
	rm -f "$sock"
	"$ZVMM" run --quiet --accel soft --cpus 2 --control "$sock" "$@" \
		"$TAP_TMP/loop.elf" </dev/null >"$TAP_TMP/loop.out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
	# the vCPU threads run once the guest answers
	"$ZVMM" ctl "$sock" status >/dev/null 2>&1
}

# modes: the Seccomp: field of every thread of $pid, sorted, unique.
modes() {
	cat /proc/"$pid"/task/*/status 2>/dev/null |
		awk '$1 == "Seccomp:" { print $2 }' | sort -u | tr '\n' ' '
}

stop_loop() {
	local rc
	"$ZVMM" ctl "$sock" quit >/dev/null 2>&1
	wait "$pid"
	rc=$?
	pid=
	return $rc
}

start_loop
m=$(modes)
threads=$(find /proc/"$pid"/task -mindepth 1 -maxdepth 1 | wc -l)
[ "$m" = "2 " ] && [ "$threads" -ge 3 ]
tap_ok $? "a running zvmm: Seccomp: 2 on all $threads threads (got '$m')"
expect 0 '"state":"paused"' "pause under seccomp" -- "$ZVMM" ctl "$sock" pause
expect 0 '"state":"running"' "resume under seccomp" -- "$ZVMM" ctl "$sock" resume
stop_loop
tap_ok $? "quit under seccomp: zvmm exits 0"
grep -q "seccomp" "$TAP_TMP/loop.out"
tap_ok $(( $? == 0 )) "no seccomp message by default"

start_loop --seccomp off
m=$(modes)
[ "$m" = "0 " ]
tap_ok $? "--seccomp off: Seccomp: 0 (got '$m')"
stop_loop
tap_ok $? "quit with --seccomp off"

expect 64 "--seccomp: 'maybe' is not one of auto, on, off" "--seccomp maybe is refused" \
	-- "$ZVMM" run --seccomp maybe "$BUILD/guest/hello.elf"
expect 64 "--seccomp needs a value" "--seccomp needs a value" \
	-- "$ZVMM" run "$BUILD/guest/hello.elf" --seccomp

tap_done
