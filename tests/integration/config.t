#!/bin/bash
# Config files through the real binary: every error names FILE:LINE, and
# the command line overrides the file, which overrides the defaults.
. "$(dirname "$0")/tap.sh"

ELF=$BUILD/guest/hello.elf
ini() {			# ini NAME CONTENT -> path
	printf '%b' "$2" >"$TAP_TMP/$1.ini"
	echo "$TAP_TMP/$1.ini"
}

f=$(ini size '[machine]\nmemory = 12X\n')
expect 64 "$f:2: \[machine\] memory: '12X' is not a size" "bad size names file and line" \
	-- "$ZVMM" run --config "$f" "$ELF"
f=$(ini mib '; odd\n[machine]\n\nmemory = 1000K\n')
expect 64 "$f:4: .*multiple of 1 MiB" "size not a multiple of 1 MiB" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini cpus '[machine]\ncpus = 4x\n')
expect 64 "$f:2: \[machine\] cpus: '4x' is not a CPU count" "bad number" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini key '[machine]\ncpus = 2\nturbo = on\n')
expect 64 "$f:3: unknown key 'turbo' in section \[machine\]" "unknown key" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini section '[machine]\ncpus = 2\n[network]\nnic = virtio\n')
expect 64 "$f:4: unknown section \[network\]" "unknown section" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini syntax '[machine\ncpus = 2\n')
expect 64 "$f:1: syntax error" "syntax error" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini nosect 'cpus = 2\n')
expect 64 "$f:1: key 'cpus' is outside any section" "key outside a section" -- "$ZVMM" run --config "$f" "$ELF"
f=$(ini long "[boot]\nappend = $(printf '%0250d' 0)\n")
expect 64 "$f:2: line longer than" "over-long line" -- "$ZVMM" run --config "$f" "$ELF"
expect 64 "config $TAP_TMP/missing.ini: No such file or directory" "missing file" \
	-- "$ZVMM" run --config "$TAP_TMP/missing.ini" "$ELF"
expect 64 "config $TAP_TMP: not a regular file" "directory as config" -- "$ZVMM" run --config "$TAP_TMP" "$ELF"

# The shipped configs must load (and reach the not-yet-bootable stage).
for c in configs/*.ini; do
	expect 0 "loaded " "$c loads" -- "$ZVMM" run --config "$c" "$ELF"
done

# Precedence: defaults < file < command line, observed in the load report.
expect 0 "128 MiB, 1 vCPU" "defaults: 128 MiB, 1 vCPU" -- "$ZVMM" run "$ELF"
f=$(ini layers "[machine]\nmemory = 256M\ncpus = 3\n[boot]\nkernel = $ELF\n")
expect 0 "256 MiB, 3 vCPU" "file overrides defaults" -- "$ZVMM" run --config "$f"
expect 0 "512 MiB, 3 vCPU" "command line overrides file" -- "$ZVMM" run --memory 512M --config "$f"
expect 0 "256 MiB, 8 vCPU" "command line cpus over file" -- "$ZVMM" run --config "$f" --cpus 8
f=$(ini quiet "[log]\nquiet = true\n")
expect 0 "" "quiet from file" -- "$ZVMM" run --config "$f" "$ELF"
if grep -q "loaded" "$TAP_TMP/out"; then tap_ok 1 "quiet suppresses the load report"; else tap_ok 0 "quiet suppresses the load report"; fi
tap_done
