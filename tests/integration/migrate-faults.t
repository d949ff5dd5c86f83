#!/bin/bash
# A failed migration leaves the source running. One source VM (the
# `migrate-long` guest) is sent, through cutproxy, to more than a hundred
# peers whose connection is cut after each section and at random byte
# offsets, or gets a corrupted byte; after every attempt the source must
# still run and the peer must have exited non-zero without running the
# guest. Then the guest moves for real and must pass its final checks.
# Streams from files: truncated, corrupted, of another version: refused.
#   BUILD=build tests/integration/migrate-faults.t
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/migrate-lib.sh"

PROXY=$BUILD/tests/tools/cutproxy
if [ ! -x "$ZVMM" ] || [ ! -f "$GUEST/migrate-long.elf" ] || [ ! -x "$PROXY" ]; then
	echo "1..0 # SKIP needs $ZVMM, $GUEST/migrate-long.elf and $PROXY"
	exit 0
fi

start_vm src --memory 32M --cpus 2 "$GUEST/migrate-long.elf"
wait_for "$TAP_TMP/src.out" "migrate: cpus=" 10

# attempt MODE N: one migration through the proxy; sets $why on failure.
attempt() {
	local rc
	why=
	rm -f "$TAP_TMP/peer".{out,err} "$TAP_TMP/p.sock"
	# Paused (its TOD stands still) while the peer starts: the guest's
	# 60 s must last through every attempt.
	"$ZVMM" ctl "$TAP_TMP/src.ctl" pause >/dev/null 2>&1
	start_peer peer "unix:$TAP_TMP/p.sock"
	"$PROXY" "$TAP_TMP/x.sock" "$TAP_TMP/p.sock" "$1" "$2" >"$TAP_TMP/proxy.out" 2>&1 &
	MIG_PIDS+=($!)
	local proxy=$!
	wait_for_sock "$TAP_TMP/x.sock"
	"$ZVMM" ctl "$TAP_TMP/src.ctl" resume >/dev/null 2>&1
	migrate src "unix:$TAP_TMP/x.sock"
	rc=$?
	[ "$rc" -eq 1 ] || why="ctl migrate exited $rc"
	wait_exit "$peer_pid" 20
	local prc=$?
	[ "$prc" -ne 0 ] && [ "$prc" -ne 124 ] || why="$why; the peer exited $prc"
	[ ! -s "$TAP_TMP/peer.out" ] || why="$why; the peer ran the guest"
	wait_exit "$proxy" 5 >/dev/null
	"$ZVMM" ctl "$TAP_TMP/src.ctl" status 2>&1 | grep -q '"state":"running"' ||
		why="$why; the source is not running"
}

wait_for_sock() {
	local i
	for i in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.02; done
	return 1
}

# Every section boundary (the header is section 0; a number past the
# last section cuts as END starts), random byte offsets, flipped bytes.
points=()
for n in $(seq 0 40); do points+=("section $n"); done
for _ in $(seq 50); do points+=("cut $(( (RANDOM * 32768 + RANDOM) % 4000000 ))"); done
for n in 0 5 8 13 30 47 60 70 80 100 200 1000 5000 70000 300000 1000000 2000000 3500000 4000000; do
	points+=("flip $n")
done
failed=0
for p in "${points[@]}"; do
	if ! kill -0 "$src_pid" 2>/dev/null; then
		failed=$((failed + 1))
		echo "the source is gone before '$p'" | tap_diag
		break
	fi
	# shellcheck disable=SC2086 # "mode n"
	attempt $p
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		{ echo "$p: $why"; cat "$TAP_TMP/proxy.out"; tail -n 3 "$TAP_TMP/peer.err" "$TAP_TMP/src.migerr" "$TAP_TMP/src.mig"; } | tap_diag
	fi
done
tap_ok $failed "${#points[@]} broken migrations: the source survived each, no peer ran the guest ($failed failed)"
grep -c "^migrate: t=" "$TAP_TMP/src.out" >"$TAP_TMP/ticks"
[ "$(cat "$TAP_TMP/ticks")" -ge 1 ]
tap_ok $? "the source's guest kept going ($(cat "$TAP_TMP/ticks") heartbeat lines)"

# The real move, after all that, and the guest's own verdict.
start_peer final "unix:$TAP_TMP/final.sock"
migrate src "unix:$TAP_TMP/final.sock"
tap_ok $? "then a real migration succeeds"
wait_exit "$final_pid" 120
rc=$?
grep -q "^migrate: ok cpus=2" "$TAP_TMP/final.out"
tap_ok $(( rc != 0 || $? != 0 )) "the guest passes its final checks after it all (exit $rc)"
[ "$rc" -eq 0 ] || diag src final

# Streams from a file: take a snapshot, then break copies of it.
start_vm snap --memory 32M --cpus 2 "$GUEST/migrate.elf"
wait_for "$TAP_TMP/snap.out" "migrate: cpus=" 10
"$ZVMM" ctl "$TAP_TMP/snap.ctl" snapshot "$TAP_TMP/s.bin" >/dev/null 2>&1
tap_ok $? "a snapshot to break"
"$ZVMM" ctl "$TAP_TMP/snap.ctl" quit >/dev/null 2>&1
size=$(stat -c %s "$TAP_TMP/s.bin")

# restore_fails FILE: `run --incoming file:FILE` exits 65 and runs nothing.
restore_fails() {
	local rc
	"$ZVMM" run --accel soft --incoming "file:$1" >"$TAP_TMP/r.out" 2>"$TAP_TMP/r.err" </dev/null
	rc=$?
	[ "$rc" -eq 65 ] && [ ! -s "$TAP_TMP/r.out" ] && grep -q "refused" "$TAP_TMP/r.err"
}

failed=0
for cut in 0 1 7 8 12 30 51 52 60 100 4096 65536 $((size / 2)) $((size - 100)) $((size - 5)) $((size - 1)); do
	head -c "$cut" "$TAP_TMP/s.bin" >"$TAP_TMP/t.bin"
	restore_fails "$TAP_TMP/t.bin" || { failed=$((failed + 1)); echo "truncated at $cut" | tap_diag; cat "$TAP_TMP/r.err" | tap_diag; }
done
tap_ok $failed "16 truncated streams are refused with a message, nothing runs"

failed=0
for off in 0 9 13 17 21 30 44 50 60 70 200 5000 $((size / 3)) $((size - 30)) $((size - 3)); do
	cp "$TAP_TMP/s.bin" "$TAP_TMP/c.bin"
	printf '\x5a' | dd of="$TAP_TMP/c.bin" bs=1 seek="$off" conv=notrunc status=none
	cmp -s "$TAP_TMP/s.bin" "$TAP_TMP/c.bin" && printf '\xa5' |
		dd of="$TAP_TMP/c.bin" bs=1 seek="$off" conv=notrunc status=none
	restore_fails "$TAP_TMP/c.bin" || { failed=$((failed + 1)); echo "corrupted at $off" | tap_diag; cat "$TAP_TMP/r.err" | tap_diag; }
done
tap_ok $failed "15 streams with a corrupted byte are refused, nothing runs"

cp "$TAP_TMP/s.bin" "$TAP_TMP/v.bin"
printf '\x00\x00\x00\x02' | dd of="$TAP_TMP/v.bin" bs=1 seek=8 conv=notrunc status=none
expect 65 "version 2" "a stream of another format version is refused, naming the version" \
	-- "$ZVMM" run --accel soft --incoming "file:$TAP_TMP/v.bin"

# A stream of another version over a socket: the source hears why.
start_vm src2 --memory 32M --cpus 1 "$GUEST/migrate.elf"
wait_for "$TAP_TMP/src2.out" "migrate: cpus=" 10
"$ZVMM" ctl "$TAP_TMP/src2.ctl" snapshot "$TAP_TMP/s2.bin" >/dev/null 2>&1
perl -MIO::Socket::UNIX -e '
	my $l = IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die;
	my $c = $l->accept; my $hdr; read($c, $hdr, 12);
	my $msg = "stream format version 9 is not supported";
	print $c pack("NNN", 0x5A4D5347, 4, length $msg), $msg; close $c;' \
	"$TAP_TMP/refuser.sock" &
MIG_PIDS+=($!)
wait_for_sock "$TAP_TMP/refuser.sock"
migrate src2 "unix:$TAP_TMP/refuser.sock"
rc=$?
grep -q "the peer refused: stream format version 9" "$TAP_TMP/src2.mig"
tap_ok $(( rc != 1 || $? != 0 )) "a peer's refusal reaches the user with its reason (exit $rc)"
expect 0 '"state":"running"' "and that source runs on" -- "$ZVMM" ctl "$TAP_TMP/src2.ctl" status
"$ZVMM" ctl "$TAP_TMP/src2.ctl" quit >/dev/null 2>&1

tap_done
