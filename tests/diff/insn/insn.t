#!/bin/sh
# SPDX-License-Identifier: MIT
# Instruction-level differential test: interpreter vs qemu-s390x-static.
# Run from the repository root; builds nothing (make diff-insn-build).
# Three passes, one TAP stream: the interpreter built for this host
# (INSN_CASES per opcode, default 600), the same with every block
# translated to host code where there is a translator (ZVMM_JIT=0,
# INSN_CASES_JIT, default 300), and the interpreter built for s390x, i.e.
# on a big-endian host, run under qemu-s390x-static (INSN_CASES_BE,
# default 150).
BUILD=${BUILD:-build}
dir=$BUILD/tests/diff/insn
if [ ! -x "$dir/insn-diff" ] || [ ! -x "$dir/runner" ]; then
	echo "1..0 # SKIP not built (make diff-insn-build)"
	exit 0
fi
if ! command -v qemu-s390x-static >/dev/null 2>&1; then
	echo "1..0 # SKIP qemu-s390x-static not installed"
	exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/le" "$work/jit" "$work/be"
ZVMM_JIT=off "$dir/insn-diff" "$dir/runner" "$work/le" "${INSN_CASES:-600}" > "$work/le.tap"
rc1=$?
ZVMM_JIT=0 "$dir/insn-diff" "$dir/runner" "$work/jit" "${INSN_CASES_JIT:-300}" > "$work/jit.tap"
rc3=$?
rc2=0
if [ -x "$dir/insn-diff.s390x" ]; then
	qemu-s390x-static "$dir/insn-diff.s390x" "$dir/runner" "$work/be" \
		"${INSN_CASES_BE:-150}" > "$work/be.tap"
	rc2=$?
fi
# merge: one plan, renumbered, second pass tagged
awk '
FNR == 1 && FILENAME ~ /jit.tap$/ { tag = " [translated]" }
FNR == 1 && FILENAME ~ /be.tap$/ { tag = " [big-endian host]" }
/^1\.\./ { next }
/^(not )?ok / {
	n++
	sub(/^ok [0-9]+/, "ok " n)
	sub(/^not ok [0-9]+/, "not ok " n)
	print $0 tag
	next
}
{ print }
END { print "1.." n }
' "$work/le.tap" "$work/jit.tap" "$work/be.tap" 2>/dev/null
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ $rc3 -eq 0 ]
