#!/bin/bash
# The command line of the real binary: help, version, usage errors and the
# options that are validated now but whose feature arrives later.
. "$(dirname "$0")/tap.sh"

help=$("$ZVMM" --help)
tap_ok $? "--help exits 0"
for opt in --memory --cpus --append --name --uuid --config --accel --seccomp \
	   --control --incoming --trace --quiet --help "zvmm ctl" "--version"; do
	grep -q -- "$opt" <<<"$help"
	tap_ok $? "--help documents $opt"
done
grep -q "1\.\.248" <<<"$help"
tap_ok $? "--help gives the CPU maximum"
expect 0 '^zvmm ' "--version prints the version" -- "$ZVMM" --version
expect 0 'Usage: zvmm run' "run --help prints the usage" -- "$ZVMM" run --help
expect 64 'Usage' "no command prints usage, exit 64" -- "$ZVMM"
expect 64 "unknown command 'boot'" "unknown command" -- "$ZVMM" boot
expect 64 'no kernel given' "run without a kernel" -- "$ZVMM" run
expect 64 'unknown option --bogus' "unknown option" -- "$ZVMM" run --bogus x.elf
expect 64 'option --memory needs a value' "option without value" -- "$ZVMM" run --memory
expect 64 "unexpected argument 'b.elf'" "two kernels" -- "$ZVMM" run a.elf b.elf

for m in 12X 1.5G 0 1000K 100000T -1; do
	expect 64 "--memory: '?$m'? " "--memory $m rejected" -- "$ZVMM" run --memory "$m" x.elf
done
for c in 0 249 many -1 ""; do
	expect 64 "--cpus: " "--cpus '$c' rejected" -- "$ZVMM" run --cpus "$c" x.elf
done
expect 64 "--uuid: 'abc' is not a UUID" "bad --uuid" -- "$ZVMM" run --uuid abc x.elf
expect 64 "--name: contains" "non-printable --name" -- "$ZVMM" run --name "$(printf 'a\tb')" x.elf
expect 64 "--name: too long" "over-long --name" -- "$ZVMM" run --name "$(printf '%0257d' 0)" x.elf
expect 64 "--accel: 'tcg' is not one of" "bad --accel" -- "$ZVMM" run --accel tcg x.elf
expect 64 "--seccomp: 'maybe' is not one of auto, on, off" "bad --seccomp" -- "$ZVMM" run --seccomp maybe x.elf
expect 64 "unknown trace category 'fast'" "bad --trace" -- "$ZVMM" run --trace sclp,fast x.elf
expect 64 "--incoming: 'ftp:x' is not" "bad --incoming URI" -- "$ZVMM" run --incoming ftp:x x.elf
expect 64 "--incoming: tcp: needs HOST:PORT" "bad --incoming port" -- "$ZVMM" run --incoming tcp:h:99999 x.elf
expect 64 "--control: a socket path" "over-long --control path" -- "$ZVMM" run --control "/tmp/$(printf '%0120d' 0)" x.elf

expect 64 "the guest comes from the stream; give no kernel" "--incoming with a kernel is a usage error" \
	-- "$ZVMM" run --incoming unix:/tmp/zvmm-mig.sock x.elf
expect 66 "x.elf" "--control is accepted; the missing kernel is the error" \
	-- "$ZVMM" run --control "$TAP_TMP/zvmm.sock" "$TAP_TMP/x.elf"
expect 64 "usage: zvmm ctl" "ctl without command" -- "$ZVMM" ctl /tmp/zvmm.sock
expect 64 "unknown command 'dance'" "ctl unknown command" -- "$ZVMM" ctl /tmp/zvmm.sock dance
expect 64 "ctl migrate takes 1" "ctl migrate needs a URI" -- "$ZVMM" ctl /tmp/zvmm.sock migrate
expect 66 "no such socket" "ctl status without a socket" -- "$ZVMM" ctl "$TAP_TMP/none.sock" status
expect 64 "control characters" "ctl migrate URI with a newline" \
	-- "$ZVMM" ctl "$TAP_TMP/none.sock" migrate "$(printf 'unix:/x\nquit')"

# --accel kvm on a host that is not s390x: a clear refusal naming both.
arch=$(uname -m)
if [ "$arch" != s390x ]; then
	if [ -e /dev/kvm ]; then
		detail="/dev/kvm is that architecture's KVM"
	else
		detail="/dev/kvm does not exist"
	fi
	expect 69 "--accel kvm: this host is $arch, and $detail.*needs s390 KVM on an s390x host" \
		"--accel kvm refused on $arch" -- "$ZVMM" run --accel kvm x.elf
fi
tap_done
