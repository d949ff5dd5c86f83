#!/bin/bash
# What the build promises: static musl binaries for the host and for s390x,
# the s390x one carrying the PGSTE program header that real s390 KVM needs,
# and the s390x build working under qemu-s390x-static (which has no
# seccomp, so zvmm runs a guest there only with --seccomp off).
. "$(dirname "$0")/tap.sh"

S390X_ZVMM=$BUILD/s390x/zvmm

file -L "$ZVMM" | grep -q "statically linked"
tap_ok $? "build/zvmm is statically linked"
file -L "$S390X_ZVMM" | grep -q "IBM S/390.*statically linked"
tap_ok $? "build/s390x/zvmm is an s390x static binary"
readelf -lW "$S390X_ZVMM" 2>/dev/null | grep -q "S390_PGSTE\|LOOS+0x14000000"
tap_ok $? "build/s390x/zvmm carries the PGSTE program header"
file -L "$BUILD/clang/zvmm" | grep -q "statically linked"
tap_ok $? "make CC=clang builds a static zvmm (warnings are errors)"
! readelf -lW "$ZVMM" | grep -q INTERP
tap_ok $? "build/zvmm has no program interpreter"

if command -v qemu-s390x-static >/dev/null; then
	Q="qemu-s390x-static $S390X_ZVMM"
	expect 0 '^zvmm ' "s390x build runs under qemu-s390x-static" -- $Q --version
	expect 64 "--memory: '3Q' is not a size" "s390x build validates options" -- $Q run --memory 3Q x.elf
	# qemu-user has no seccomp: zvmm refuses unless it is turned off
	expect 69 "the kernel has no seccomp .*--seccomp off" "s390x build under qemu-user refuses to run without seccomp" \
		-- $Q run --accel soft "$BUILD/guest/hello.elf"
	expect 0 "WARNING: seccomp is OFF" "s390x build runs hello with --seccomp off, loudly" \
		-- $Q run --quiet --accel soft --seccomp off "$BUILD/guest/hello.elf"
	expect 0 "loaded .*hello.elf.*accel soft" "s390x build loads the big-endian guest ELF" \
		-- $Q run --accel auto --seccomp off "$BUILD/guest/hello.elf"
	expect 69 "--accel kvm: /dev/kvm is not usable" "s390x build without an s390 /dev/kvm refuses --accel kvm" \
		-- $Q run --accel kvm "$BUILD/guest/hello.elf"
else
	tap_ok 1 "qemu-s390x-static is installed"
fi
tap_done
