#!/bin/bash
# seccomp: oracle guests boot with the allow-lists on and print what they
# print under QEMU; a running zvmm (a looping guest held by the control
# socket) is in filter mode 2 on every thread, one filter on the main
# thread and two (the vCPU list stacked) on each vCPU thread; the test
# hook ZVMM_DEBUG_VCPU_SYSCALL=1 makes cpu0 call socket(), which the main
# thread may (migration) but a vCPU thread may not: zvmm dies of SIGSYS
# naming it; --seccomp off really is off and says so even under --quiet;
# bad values are refused. tests/unit/test_seccomp.c has the lists in
# forked children.
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

# filters: "main:N" and each vCPU thread's "N" (Seccomp_filters:), sorted.
filters() {
	local t n
	for t in /proc/"$pid"/task/*; do
		n=$(awk '$1 == "Seccomp_filters:" { print $2 }' "$t/status" 2>/dev/null)
		if [ "${t##*/}" = "$pid" ]; then echo "main:$n"; else echo "$n"; fi
	done | sort | tr '\n' ' '
}

start_loop
m=$(modes)
threads=$(find /proc/"$pid"/task -mindepth 1 -maxdepth 1 | wc -l)
[ "$m" = "2 " ] && [ "$threads" -ge 3 ]
tap_ok $? "a running zvmm: Seccomp: 2 on all $threads threads (got '$m')"
if grep -q '^Seccomp_filters:' /proc/self/status; then
	f=$(filters)
	[ "$f" = "2 2 main:1 " ]
	tap_ok $? "one filter on the main thread, two on each vCPU thread (got '$f')"
else
	tap_ok 0 "# SKIP the kernel has no Seccomp_filters: field"
fi
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
grep -q "WARNING: seccomp is OFF" "$TAP_TMP/loop.out"
tap_ok $? "--seccomp off says so, even with --quiet"

# The hook: cpu0 calls socket() right after its filter, before the guest.
# No core file (SIGSYS dumps one where the limit allows), and no "Bad
# system call" from bash.
hook=$TAP_TMP/hook
{ (ulimit -c 0; ZVMM_DEBUG_VCPU_SYSCALL=1 exec "$ZVMM" run --accel soft --cpus 2 \
	"$BUILD/guest/hello.elf" </dev/null >"$hook.out" 2>"$hook.err"); } 2>/dev/null
rc=$?
[ "$rc" -eq 159 ]
tap_ok $? "ZVMM_DEBUG_VCPU_SYSCALL=1: zvmm is killed by SIGSYS (shell status $rc)"
grep -Eqx "zvmm: seccomp: refused syscall [0-9]+ \(socket\) on cpu0; killing zvmm" "$hook.err"
tap_ok $? "the message names the syscall (socket) and the vCPU"
[ "$rc" -eq 159 ] || { echo "exit $rc"; cat "$hook.err"; } | tap_diag
[ ! -s "$hook.out" ]
tap_ok $? "the guest never ran"
(ZVMM_DEBUG_VCPU_SYSCALL=1 exec "$ZVMM" run --quiet --accel soft --seccomp off \
	"$BUILD/guest/hello.elf" </dev/null >"$hook.out" 2>"$hook.err")
tap_ok $? "the hook does nothing with --seccomp off: hello runs"

expect 64 "--seccomp: 'maybe' is not one of auto, on, off" "--seccomp maybe is refused" \
	-- "$ZVMM" run --seccomp maybe "$BUILD/guest/hello.elf"
expect 64 "--seccomp needs a value" "--seccomp needs a value" \
	-- "$ZVMM" run "$BUILD/guest/hello.elf" --seccomp

tap_done
