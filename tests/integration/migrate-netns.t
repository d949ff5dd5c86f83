#!/bin/bash
# Across hosts, as far as one machine allows: two network namespaces
# joined by a veth pair, the source in one, the peer in the other, the
# migration over tcp between their addresses (10.231.7.1 -> 10.231.7.2).
# Needs root and iproute2; everything is removed at the end.
#   BUILD=build tests/integration/migrate-netns.t
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/migrate-lib.sh"

if [ ! -x "$ZVMM" ] || [ ! -f "$GUEST/migrate.elf" ]; then
	echo "1..0 # SKIP needs $ZVMM and $GUEST/migrate.elf"
	exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and ip (iproute2)"
	exit 0
fi

NS_A=zvmm-mig-a-$$
NS_B=zvmm-mig-b-$$
VETH_A=zva$$
VETH_B=zvb$$
netns_cleanup() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	mig_cleanup
}
trap netns_cleanup EXIT

if ! ip netns add "$NS_A" 2>"$TAP_TMP/ns.err" || ! ip netns add "$NS_B" 2>>"$TAP_TMP/ns.err"; then
	echo "1..0 # SKIP cannot create network namespaces: $(head -n 1 "$TAP_TMP/ns.err")"
	exit 0
fi
ip link add "$VETH_A" netns "$NS_A" type veth peer name "$VETH_B" netns "$NS_B" &&
	ip -n "$NS_A" addr add 10.231.7.1/24 dev "$VETH_A" &&
	ip -n "$NS_B" addr add 10.231.7.2/24 dev "$VETH_B" &&
	ip -n "$NS_A" link set "$VETH_A" up && ip -n "$NS_B" link set "$VETH_B" up &&
	ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up
tap_ok $? "two namespaces joined by a veth pair"

# The namespaces share the filesystem: the control sockets work from here.
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

in_ns "$NS_A" "$ZVMM" run --accel soft --memory 64M --cpus 2 --control "$TAP_TMP/a.ctl" \
	"$GUEST/migrate.elf" </dev/null >"$TAP_TMP/a.out" 2>"$TAP_TMP/a.err" &
a_pid=$!
MIG_PIDS+=("$a_pid")
wait_for "$TAP_TMP/a.out" "migrate: cpus=" 10
in_ns "$NS_B" "$ZVMM" run --accel soft --incoming tcp:10.231.7.2:7707 --control "$TAP_TMP/b.ctl" \
	</dev/null >"$TAP_TMP/b.out" 2>"$TAP_TMP/b.err" &
b_pid=$!
MIG_PIDS+=("$b_pid")
wait_for "$TAP_TMP/b.err" "waiting for a migration" 10

# The connection is made by the source process, inside namespace A.
in_ns "$NS_A" "$ZVMM" ctl --json "$TAP_TMP/a.ctl" migrate tcp:10.231.7.2:7707 >"$TAP_TMP/a.mig" 2>&1
rc=$?
tap_ok $rc "migrate from namespace A to 10.231.7.2 in namespace B"
[ "$rc" -eq 0 ] || diag a b
wait_exit "$a_pid" 10
tap_ok $? "the source exits 0"
wait_exit "$b_pid" 90
rc=$?
grep -q "^migrate: ok cpus=2" "$TAP_TMP/b.out"
tap_ok $(( rc != 0 || $? != 0 )) "the guest passes its checks in namespace B (exit $rc)"
[ "$rc" -eq 0 ] || diag a b

tap_done
