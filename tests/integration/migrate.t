#!/bin/bash
# Migration end to end through the real binary: the `migrate` guest (all
# vCPUs exchanging signals, a ticking clock comparator, a memory pattern
# with a checksum, TOD checks) is moved mid-run several times, over unix
# and tcp, with 1, 2, 4 and 16 vCPUs, and through snapshot files; it must
# finish with "migrate: ok" every time. `irqpend` holds interrupts
# pending across a move and checks each arrives exactly once.
#   BUILD=build tests/integration/migrate.t
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/migrate-lib.sh"

if [ ! -x "$ZVMM" ] || [ ! -f "$GUEST/migrate.elf" ]; then
	echo "1..0 # SKIP needs $ZVMM and $GUEST/migrate.elf"
	exit 0
fi

PORT=$((20000 + RANDOM % 20000))

uri_for() {		# uri_for TRANSPORT N
	case $1 in
	unix) echo "unix:$TAP_TMP/peer$2.sock" ;;
	tcp) echo "tcp:127.0.0.1:$((PORT + $2))" ;;
	esac
}

MIGRATE_SECONDS=6	# guest/programs/migrate.c

# ended_before_move FROM: FROM's guest was over before this move: the
# migration was refused because the guest was ending, as the source must
# (migrate-save.c), or FROM had already exited. Only a busy host makes
# the guest's seconds run out before the last move; the verdict below
# still needs FROM's "migrate: ok" and exit status 0.
ended_before_move() {
	local pid=${1}_pid
	grep -q "resetting or ending" "$TAP_TMP/$1.mig" "$TAP_TMP/$1.migerr" \
		2>/dev/null || ! kill -0 "${!pid}" 2>/dev/null
}

# chain TRANSPORT CPUS MOVES: run migrate.elf and move it MOVES times,
# about a second apart; the last process to run it must see the guest
# pass. A move refused because the guest was ending ends the chain early.
chain() {
	local tr=$1 cpus=$2 moves=$3 from=vm0 i uri bad=0 rc what
	what="$cpus vCPU(s), $moves moves over $tr"
	PORT=$((PORT + moves + 1))
	start_vm vm0 --memory 32M --cpus "$cpus" "$GUEST/migrate.elf"
	wait_for "$TAP_TMP/vm0.out" "migrate: cpus=" 10
	for i in $(seq "$moves"); do
		sleep 0.5
		uri=$(uri_for "$tr" "$i")
		start_peer "vm$i" "$uri"
		if ! migrate "$from" "$uri"; then
			if ended_before_move "$from"; then
				echo "move $i of $moves not made: the guest was ending (its ${MIGRATE_SECONDS}s ran out on a slow host)" | tap_diag
				local peer_pid=vm${i}_pid
				kill -9 "${!peer_pid}" 2>/dev/null
				break
			fi
			bad=1
			diag "$from" "vm$i"
			break
		fi
		local from_pid=${from}_pid
		wait_exit "${!from_pid}" 10
		rc=$?
		[ "$rc" -eq 0 ] || { bad=1; echo "source $from exited $rc" | tap_diag; }
		from=vm$i
	done
	tap_ok $bad "migrate: $what, each move confirmed and each source exited 0"
	local last_pid=${from}_pid
	wait_exit "${!last_pid}" 90
	rc=$?
	# The verdict is printed by whichever process ran the guest's last
	# second: normally the last peer, the one before if the guest ended
	# just as it moved (a busy host, 16 vCPUs).
	cat "$TAP_TMP"/vm*.out >"$TAP_TMP/all.out"
	grep -q "^migrate: ok cpus=$cpus" "$TAP_TMP/all.out" &&
		! grep -q "FAIL" "$TAP_TMP/all.out"
	local ok=$?
	[ "$rc" -eq 0 ] && [ "$ok" -eq 0 ]
	tap_ok $? "migrate: the guest passes its checks after $what (exit $rc)"
	[ "$rc" -eq 0 ] && [ "$ok" -eq 0 ] || diag vm0 "$from"
	rm -f "$TAP_TMP"/vm*.{out,err,mig,migerr}
}

chain unix 1 3
chain unix 2 3
chain unix 4 2
chain unix 16 2
chain tcp 2 3
chain tcp 4 2

# Interrupts surely pending at the cut: irqpend masks them on every CPU,
# says so, and checks after the move that each arrived exactly once.
for cpus in 1 2; do
	# The peer first: the guest holds its interrupts pending for 3 s of
	# TOD only, and a busy host must not eat that window.
	start_peer dst "unix:$TAP_TMP/irq.sock"
	start_vm src --cpus "$cpus" "$GUEST/irqpend.elf"
	wait_for "$TAP_TMP/src.out" "^irqpend: pending" 20
	migrate src "unix:$TAP_TMP/irq.sock"
	tap_ok $? "irqpend ($cpus CPU): migrated while interrupts are pending"
	local_n=$(json_num "$TAP_TMP/src.mig" irqs_local)
	float_n=$(json_num "$TAP_TMP/src.mig" irqs_floating)
	want_local=$((cpus == 1 ? 0 : 2))
	[ "${local_n:-0}" -ge "$want_local" ] && [ "${float_n:-0}" -ge 1 ]
	tap_ok $? "irqpend ($cpus CPU): the stream carried $local_n local and $float_n floating interrupt(s)"
	wait_exit "$dst_pid" 60
	rc=$?
	grep -q "^irqpend: ok" "$TAP_TMP/dst.out"
	tap_ok $(( rc != 0 || $? != 0 )) "irqpend ($cpus CPU): each interrupt delivered exactly once after the move (exit $rc)"
	[ "$rc" -eq 0 ] || diag src dst
	wait_exit "$src_pid" 5 >/dev/null
done

# Snapshots: --paused leaves the source paused; the file restores into a
# new zvmm whose guest passes. A running snapshot leaves the source going.
start_vm snap --cpus 2 "$GUEST/migrate.elf"
wait_for "$TAP_TMP/snap.out" "migrate: t=1s" 20
"$ZVMM" ctl --json "$TAP_TMP/snap.ctl" snapshot --paused "$TAP_TMP/snap.bin" >"$TAP_TMP/snap.mig" 2>&1
tap_ok $? "snapshot --paused writes the stream to a file"
expect 0 '"state":"paused"' "the source is paused after snapshot --paused" \
	-- "$ZVMM" ctl "$TAP_TMP/snap.ctl" status
"$ZVMM" ctl "$TAP_TMP/snap.ctl" quit >/dev/null
wait_exit "$snap_pid" 10 >/dev/null
start_vm restored --incoming "file:$TAP_TMP/snap.bin"
wait_exit "$restored_pid" 90
rc=$?
grep -q "^migrate: ok cpus=2" "$TAP_TMP/restored.out"
tap_ok $(( rc != 0 || $? != 0 )) "a guest restored from the snapshot file passes (exit $rc)"
[ "$rc" -eq 0 ] || diag restored

start_vm snap2 --cpus 2 "$GUEST/migrate.elf"
wait_for "$TAP_TMP/snap2.out" "migrate: t=1s" 20
"$ZVMM" ctl --json "$TAP_TMP/snap2.ctl" snapshot "$TAP_TMP/snap2.bin" >"$TAP_TMP/snap2.mig" 2>&1
tap_ok $? "snapshot of a running VM"
grep -q '"state":"running"' "$TAP_TMP/snap2.mig"
tap_ok $? "the source keeps running after a plain snapshot"
start_vm restored2 --incoming "file:$TAP_TMP/snap2.bin"
wait_exit "$snap2_pid" 90
rc1=$?
wait_exit "$restored2_pid" 90
rc2=$?
grep -q "^migrate: ok" "$TAP_TMP/snap2.out" && grep -q "^migrate: ok" "$TAP_TMP/restored2.out"
tap_ok $(( rc1 != 0 || rc2 != 0 || $? != 0 )) "both the source and the restored copy pass (exit $rc1, $rc2)"

# `migrate file:` moves the VM into the file: the source ends.
start_vm mf --cpus 1 "$GUEST/migrate.elf"
wait_for "$TAP_TMP/mf.out" "migrate: cpus=" 10
migrate mf "file:$TAP_TMP/mf.bin"
tap_ok $? "migrate file:PATH"
wait_exit "$mf_pid" 10
tap_ok $? "the source exits 0 after migrating into a file"
start_vm mf2 --incoming "file:$TAP_TMP/mf.bin"
wait_exit "$mf2_pid" 90
rc=$?
grep -q "^migrate: ok" "$TAP_TMP/mf2.out"
tap_ok $(( rc != 0 || $? != 0 )) "... and the guest passes after the restore (exit $rc)"

# Usage errors.
expect 64 "give no kernel" "--incoming with a kernel is refused" \
	-- "$ZVMM" run --incoming "unix:$TAP_TMP/x.sock" "$GUEST/hello.elf"
expect 64 "unix:|tcp:|file:" "--incoming with an unknown transport" \
	-- "$ZVMM" run --incoming "carrier-pigeon:x"
expect 66 "" "--incoming file: that does not exist" \
	-- "$ZVMM" run --incoming "file:$TAP_TMP/none.bin"

tap_done
