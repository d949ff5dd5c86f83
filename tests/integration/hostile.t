#!/bin/bash
# Hostile guests (issue 5): each ends or recovers as the architecture and
# the docs say, and zvmm never crashes or hangs (every run under timeout).
#
#   hostile-sclp, hostile-sigp, hostile-diag   wild SCCBs, SIGPs to CPUs
#       that do not exist and with bad orders and parameters, unknown and
#       misused DIAGs: the guest survives and prints what happened. They
#       are oracle cases (tests/oracle/cases), so oracle.t checks QEMU and
#       boot.t zvmm against the expected files; here they run once more in
#       another geometry, against QEMU in the same run.
#   hostile-pgmloop   invalid program-new PSW: status 76, CPU and PSW named.
#   hostile-oploop    program-new PSW at opcode 0: status 76 too, as the
#       kernel's loop check for operation exceptions (intercept 0x2c) and
#       QEMU on KVM make it (QEMU TCG spins for ever).
#   spin              never ends: `zvmm ctl status` and `quit` still work.
# A guest that never ends and is stopped by `zvmm ctl quit` (also while
# paused) is in control.t; a disabled wait at a non-exit address and the
# SIGP condition codes of small assembled guests are in boot.t.
#   BUILD=build tests/integration/hostile.t
. "$(dirname "$0")/tap.sh"

QEMU=${QEMU:-qemu-system-s390x}
G=$BUILD/guest
if [ ! -x "$ZVMM" ] || [ ! -f "$G/hostile-sclp.elf" ]; then
	echo "1..0 # SKIP needs $ZVMM and the guests (make guest)"
	exit 0
fi

pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$TAP_TMP"; }
trap cleanup EXIT

zrun() {		# zrun OUT ELF [OPTIONS...]: zvmm's status
	local out=$1 elf=$2
	shift 2
	timeout 60 "$ZVMM" run --accel soft "$@" "$elf" </dev/null \
		>"$out" 2>"$out.err"
}

# --- the oracle programs in another geometry, against QEMU -----------------
# same NAME PROGRAM CPUS MIB: zvmm's output and status (0) equal QEMU's.
same() {
	local name=$1 prog=$2 cpus=$3 mib=$4 z=$TAP_TMP/$1.zvmm q=$TAP_TMP/$1.qemu rc
	zrun "$z" "$G/$prog.elf" --quiet --cpus "$cpus" --memory "${mib}M"
	rc=$?
	tap_ok $(( rc != 0 )) "$name: zvmm exit status 0 (got $rc)"
	[ "$rc" -eq 0 ] || tap_diag <"$z.err"
	grep -q "^$prog: done\$" "$z"
	tap_ok $? "$name: the guest recovered from every probe"
	if ! command -v "$QEMU" >/dev/null 2>&1; then
		tap_ok 0 "$name: output as under QEMU # SKIP no $QEMU"
		return
	fi
	timeout 60 "$QEMU" -M s390-ccw-virtio -nographic -action panic=exit-failure \
		-smp "$cpus" -m "$mib" -kernel "$G/$prog.elf" </dev/null 2>"$q.err" |
		tr -d '\r' >"$q"
	diff -u "$q" "$z" >"$z.diff"
	tap_ok $? "$name: output as under QEMU"
	tap_diag <"$z.diff"
}

same "hostile-sclp 1 cpu 512 MiB" hostile-sclp 1 512
same "hostile-diag 2 cpus 1 GiB" hostile-diag 2 1024

# --- program-check loops --------------------------------------------------
out=$TAP_TMP/pgmloop
zrun "$out" "$G/hostile-pgmloop.elf"
rc=$?
tap_ok $(( rc != 76 )) "hostile-pgmloop: status 76 (got $rc)"
# The guest faults with an operation exception; its program-new PSW both
# is invalid and points at the faulting instruction, so the hypervisor's
# operation-exception loop check (0x2c) or the invalid-PSW check (0x08)
# ends it, whichever comes first.
grep -Eq '^zvmm: error: cpu0: (program interruption|operation-exception) loop .*PSW 0008000180000000 [0-9a-f]{16}$' "$out.err"
tap_ok $? "hostile-pgmloop: the message names the CPU, the loop and the PSW"
[ "$rc" -eq 76 ] || tap_diag <"$out.err"
grep -q '^hostile-pgmloop: program-new PSW invalid' "$out"
tap_ok $? "hostile-pgmloop: the console line came out before the end"

out=$TAP_TMP/oploop
timeout 5 "$ZVMM" run --accel soft "$G/hostile-oploop.elf" </dev/null >"$out" 2>"$out.err"
rc=$?
[ "$rc" -eq 76 ] && grep -q "operation-exception loop (intercept 0x2c)" "$out.err"
tap_ok $? "hostile-oploop: status 76, the loop named (got $rc)"

# The spinning guest does not stop zvmm from serving its control socket.
sock=$TAP_TMP/zvmm.sock
"$ZVMM" run --quiet --accel soft --cpus 2 --control "$sock" "$G/spin.elf" \
	</dev/null >"$out.quit" 2>"$out.quit.err" &
pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
sleep 0.3
expect 0 '"state":"running"' "spin: status while it spins" -- \
	timeout 10 "$ZVMM" ctl "$sock" status
expect 0 '"state":"quitting"' "spin: ctl quit" -- \
	timeout 10 "$ZVMM" ctl "$sock" quit
for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$pid" 2>/dev/null; then
	tap_ok 1 "spin: zvmm exits within 10 s of quit"
else
	wait "$pid"
	rc=$?
	tap_ok $(( rc != 0 )) "spin: zvmm exits 0 after quit (got $rc)"
fi
pid=

tap_done
