#!/bin/bash
# The control socket: a guest that loops forever is watched, paused,
# resumed and stopped with `zvmm ctl`; bad requests and bad clients get an
# error reply or are dropped and the VM goes on; --control refuses a path
# that is not a socket; ctl without a socket fails clearly.
#   BUILD=build tests/integration/control.t
. "$(dirname "$0")/tap.sh"

GUEST_CC=${GUEST_CC:-s390x-linux-gnu-gcc}
if [ ! -x "$ZVMM" ] || ! command -v "$GUEST_CC" >/dev/null 2>&1; then
	echo "1..0 # SKIP needs $ZVMM and $GUEST_CC"
	exit 0
fi

# A guest that never ends: a branch to itself.
printf '\t.text\n\t.globl _start\n_start:\n\tj\t.\n' >"$TAP_TMP/loop.S"
"$GUEST_CC" -nostdlib -static -Wl,-Ttext=0x20000 -Wl,--build-id=none \
	-o "$TAP_TMP/loop.elf" "$TAP_TMP/loop.S"

sock=$TAP_TMP/zvmm.sock
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$TAP_TMP"; }
trap cleanup EXIT

ctl() { "$ZVMM" ctl "$sock" "$@"; }

# raw FORMAT [SHUTDOWN]: send the bytes of a printf format (then shut the
# sending side unless SHUTDOWN is 0), print the reply line or "(closed)".
raw() {
	# shellcheck disable=SC2059 # the format is the request
	printf "$1" >"$TAP_TMP/req"
	perl -MIO::Socket::UNIX -e '
		my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";
		open(my $f, "<", $ARGV[1]) or die; local $/; my $m = <$f>;
		print $s $m; $s->flush; shutdown($s, 1) if $ARGV[2];
		$/ = "\n"; my $l = <$s>; print defined $l ? $l : "(closed)\n";' \
		"$sock" "$TAP_TMP/req" "${2:-1}"
}

cputicks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }

"$ZVMM" run --quiet --accel soft --cpus 2 --control "$sock" "$TAP_TMP/loop.elf" \
	</dev/null >"$TAP_TMP/run.out" 2>"$TAP_TMP/run.err" &
pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ]
tap_ok $? "--control creates the socket"
[ "$(stat -c %a "$sock")" = 600 ]
tap_ok $? "the socket is mode 0600"

expect 0 '^\{"ok":true,"state":"running","cpus":2,"cpu":\["operating","stopped"\]\}$' "status of a running VM" -- ctl status
expect 0 '^\{"ok":true,"state":"paused","pause_us":[0-9.]+\}$' "pause (with how long it took)" -- ctl pause
expect 0 '"state":"paused","cpus":2' "status says paused" -- ctl status
a=$(cputicks); sleep 0.3; b=$(cputicks)
[ $((b - a)) -le 3 ]
tap_ok $? "no CPU time used while paused ($((b - a)) ticks in 0.3 s)"
expect 0 '^\{"ok":true,"state":"paused"\}$' "pause again is fine" -- ctl pause
expect 0 '^\{"ok":true,"state":"running"\}$' "resume" -- ctl resume
a=$(cputicks); sleep 0.3; b=$(cputicks)
[ $((b - a)) -ge 5 ]
tap_ok $? "the guest runs again after resume ($((b - a)) ticks in 0.3 s)"
expect 0 '^\{"ok":true,"state":"running"\}$' "resume again is fine" -- ctl resume
expect 1 '^\{"ok":false,"error":"cannot reach unix:' "migrate to nobody fails clearly" -- ctl migrate "unix:$TAP_TMP/nobody.sock"
expect 0 '"state":"running"' "the VM still runs after the failed migrate" -- ctl status

# Bad requests and bad clients: an error reply or a drop, never the VM.
expect 0 '"error":"unknown command .dance.' "unknown command" -- raw 'dance\n'
expect 0 '"error":"status takes no argument' "argument where none is taken" -- raw 'status now\n'
expect 0 '"error":"request line too long' "over-long line" -- raw "$(printf '%0400d' 0)\n"
expect 0 '"error":"the request is not printable' "binary garbage" -- raw 'st\001\377tus\n'
expect 0 '"error":"the request is not printable' "a NUL in the line" -- raw 'status\000x\n'
expect 0 '"state":"running"' "CRLF line ending" -- raw 'status\r\n'
expect 0 '^\(closed\)$' "a client that disconnects mid-line is dropped" -- raw 'stat'
start=$(date +%s%N)
expect 0 '^\(closed\)$' "a client that says nothing is dropped after the timeout" -- raw '' 0
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$took" -lt 5000 ]
tap_ok $? "the silent client was dropped in ${took} ms"
many=()
for i in $(seq 20); do ctl status >"$TAP_TMP/many.$i" 2>&1 & many+=($!); done
wait "${many[@]}"
bad=0
for i in $(seq 20); do grep -q '"state":"running"' "$TAP_TMP/many.$i" || bad=1; done
tap_ok $bad "20 clients at once all get their reply"
expect 0 '"state":"running","cpus":2' "the VM still runs after all that" -- ctl status

expect 0 '^\{"ok":true,"state":"quitting"\}$' "quit" -- ctl quit
rc=0
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
wait "$pid"
rc=$?
pid=
tap_ok $(( rc != 0 )) "zvmm exits 0 after quit (got $rc)"
[ ! -e "$sock" ]
tap_ok $? "the socket is removed at exit"
expect 66 "no such socket" "ctl on a missing socket" -- ctl status

# quit of a paused VM.
"$ZVMM" run --quiet --accel soft --cpus 4 --control "$sock" "$TAP_TMP/loop.elf" \
	</dev/null >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
expect 0 '"state":"paused"' "pause a 4-CPU VM" -- ctl pause
expect 0 '"state":"quitting"' "quit while paused" -- ctl quit
wait "$pid"
rc=$?
pid=
tap_ok $(( rc != 0 )) "zvmm exits 0 after quit while paused (got $rc)"

# --control on an existing path that is not a socket.
: >"$TAP_TMP/plain"
expect 64 "exists and is not a socket" "--control on a regular file" \
	-- "$ZVMM" run --quiet --accel soft --control "$TAP_TMP/plain" "$TAP_TMP/loop.elf"
[ -f "$TAP_TMP/plain" ]
tap_ok $? "the regular file is left alone"

tap_done
