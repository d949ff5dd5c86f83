#!/bin/bash
# The guest oracle: every case of tests/oracle/cases under QEMU (TCG), whose
# console output and exit status must equal the expectations that zvmm runs
# are later compared with.  Builds nothing: run `make guest` first.
#   BUILD=build tests/oracle/oracle.t
# shellcheck source=tests/oracle/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v "$QEMU" >/dev/null 2>&1; then
	echo "1..0 # SKIP $QEMU not installed"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

while read -r name prog cpus mem code; do
	check_case qemu "$name" "$prog" "$cpus" "$mem" "$code" "$tmp"
done < <(oracle_cases)

oracle_done
