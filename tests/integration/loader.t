#!/bin/bash
# Malformed guest images through the real binary: exit 65 and a reason.
. "$(dirname "$0")/tap.sh"

ELF=$BUILD/guest/hello.elf
mk() {			# mk NAME -> copy of the good ELF to patch
	cp "$ELF" "$TAP_TMP/$1.elf"
	echo "$TAP_TMP/$1.elf"
}
poke() {		# poke FILE OFFSET HEXBYTES
	printf "$(echo "$3" | sed 's/../\\x&/g')" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

expect 0 "loaded .*hello.elf" "the good image loads" -- "$ZVMM" run "$ELF"

f=$(mk trunc); head -c 40 "$ELF" >"$f"
expect 65 "$f: truncated ELF header" "truncated header" -- "$ZVMM" run "$f"
f=$(mk magic); poke "$f" 0 00
expect 65 "$f: not an ELF file" "bad magic" -- "$ZVMM" run "$f"
f=$(mk class); poke "$f" 4 01
expect 65 "$f: not a 64-bit ELF" "32-bit class" -- "$ZVMM" run "$f"
f=$(mk endian); poke "$f" 5 01
expect 65 "$f: not a big-endian ELF" "little-endian" -- "$ZVMM" run "$f"
f=$(mk machine); poke "$f" 18 003e
expect 65 "$f: not an s390x ELF \(machine 62\)" "x86-64 machine" -- "$ZVMM" run "$f"
f=$(mk phnum); poke "$f" 56 ffff
expect 65 "$f: 65535 program headers" "absurd program header count" -- "$ZVMM" run "$f"
f=$(mk phoff); poke "$f" 32 7fffffffffffff00
expect 65 "$f: truncated program headers" "program headers beyond the file" -- "$ZVMM" run "$f"
be64() { od -An -tx8 --endian=big -j"$2" -N8 "$1" | tr -d ' '; }
be16() { od -An -tx2 --endian=big -j"$2" -N2 "$1" | tr -d ' '; }
phoff=$((16#$(be64 "$ELF" 32)))
phnum=$((16#$(be16 "$ELF" 56)))
f=$(mk cut); head -c $((phoff + phnum * 56)) "$ELF" >"$f"
expect 65 "$f: segment .*beyond the end of the file" "segment data cut off" -- "$ZVMM" run "$f"
f=$(mk far); poke "$f" $((phoff + 24)) 000000007fff0000
expect 65 "$f: segment 0x7fff0000-.* lies outside guest memory \(128 MiB\)" "segment beyond guest memory" \
	-- "$ZVMM" run "$f"
expect 65 "not a big-endian ELF" "a host binary is refused" -- "$ZVMM" run "$ZVMM"
expect 66 "No such file or directory" "missing image" -- "$ZVMM" run "$TAP_TMP/none.elf"
expect 65 "not a regular file" "directory as image" -- "$ZVMM" run "$TAP_TMP"
tap_done
