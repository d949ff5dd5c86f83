#!/bin/bash
# --trace on real boots of hello (and smp for SIGP): each class prints its
# own lines and only those, every line has the "[ms] thread " prefix even
# with several vCPU threads, no trace without --trace, an unknown class is
# refused; and every line quoted in docs/tour.md's ```trace blocks appears
# in a traced boot of hello, so the tour cannot rot.
#   BUILD=build tests/integration/trace.t
. "$(dirname "$0")/tap.sh"

TOUR=${TOUR:-$(dirname "$0")/../../docs/tour.md}
HELLO=$BUILD/guest/hello.elf
SMP=$BUILD/guest/smp.elf
PREFIX='^\[ *[0-9]+\.[0-9]{3}\] (main|cpu[0-9]+) '

if [ ! -x "$ZVMM" ] || [ ! -f "$HELLO" ]; then
	echo "1..0 # SKIP $ZVMM or $HELLO not built"
	exit 0
fi

# traced NAME CLASSES [ARGS...]: boot hello (or ARGS' guest) with --trace;
# $TAP_TMP/NAME.err is stderr, NAME.lines the lines without the time
# and with fd numbers as "fd N" (they depend on the fds zvmm inherits).
traced() {
	local name=$1 classes=$2 rc
	shift 2
	[ $# -gt 0 ] || set -- "$HELLO"
	timeout 120 "$ZVMM" run --quiet --accel soft --trace "$classes" "$@" \
		</dev/null >"$TAP_TMP/$name.out" 2>"$TAP_TMP/$name.err"
	rc=$?
	strip <"$TAP_TMP/$name.err" >"$TAP_TMP/$name.lines"
	return $rc
}

strip() {
	sed -E 's/^\[ *[0-9]+\.[0-9]{3}\] //; s/fd [0-9]+/fd N/g'
}

# has NAME ERE DESCRIPTION: some line of NAME matches
has() {
	grep -Eq -- "$2" "$TAP_TMP/$1.lines"
	local st=$?
	tap_ok $st "$3"
	[ $st -eq 0 ] ||
		{ echo "no line matches: $2"; head -40 "$TAP_TMP/$1.err"; } | tap_diag
}

# only NAME ERE DESCRIPTION: every line of NAME matches, and there is one
only() {
	[ -s "$TAP_TMP/$1.lines" ] && ! grep -Evq -- "$2" "$TAP_TMP/$1.lines"
	local bad=$?
	tap_ok $bad "$3"
	[ $bad -eq 0 ] ||
		{ echo "lines not matching: $2"; grep -Ev -- "$2" "$TAP_TMP/$1.lines" | head -20; } | tap_diag
}

# --- all -------------------------------------------------------------
traced all all
tap_ok $? "hello with --trace all exits 0"
cmp -s "$TAP_TMP/all.out" "$(dirname "$0")/../oracle/expected/hello.out"
tap_ok $? "--trace all leaves the guest's console output (stdout) as it was"
grep -Evq -- "$PREFIX" "$TAP_TMP/all.err"
tap_ok $(( ! $? )) "every stderr line starts with [ms] and the thread"
has all '^main softkvm_open -> fd N \(kvm\)$' "the system fd is opened"
has all '^main kvm: KVM_GET_API_VERSION -> 12$' "KVM_GET_API_VERSION -> 12"
has all '^main kvm: KVM_CREATE_VM type=0 -> fd N \(vm\)$' "KVM_CREATE_VM names the vm fd"
has all '^main vm: KVM_ENABLE_CAP cap=106 \(S390_USER_SIGP\) -> 0$' "KVM_ENABLE_CAP by name"
has all '^main vm: KVM_SET_USER_MEMORY_REGION slot=0 guest=0x0 size=128 MiB flags=0x0 -> 0$' \
	"KVM_SET_USER_MEMORY_REGION decoded"
has all '^main vm: KVM_CREATE_DEVICE type=FLIC -> fd N \(flic\)$' "KVM_CREATE_DEVICE FLIC"
has all '^main vm: KVM_CREATE_VCPU id=0 -> fd N \(cpu0\)$' "KVM_CREATE_VCPU names cpu0"
has all '^main cpu0: KVM_SET_MP_STATE OPERATING -> 0$' "KVM_SET_MP_STATE by name"
has all '^cpu0 cpu0: KVM_RUN -> 0$' "KVM_RUN, tersely, on the vCPU thread"
has all '^cpu0 exit S390_SIEIC icpt=0x04 \(instruction\) ipa=0xb220 ipb=0x[0-9a-f]{8} at 0x[0-9a-f]+: SERVC READ SCP INFO( FORCED)? sccb=0x[0-9a-f]+$' \
	"the SERVC exit decoded"
has all '^cpu0 sclp WRITE EVENT MASK sccb=0x[0-9a-f]+ -> cc=0 rc=0x0020 \(normal completion\), service signal parm=0x[0-9a-f]{8}$' \
	"sclp WRITE EVENT MASK with its response code"
has all '^cpu0 sclp WRITE EVENT DATA sccb=0x[0-9a-f]+ event=0x1a \(VT220\) text="zvmm guest: hello\\n" -> cc=0 rc=0x0020 ' \
	"sclp WRITE EVENT DATA shows the console text"
has all '^cpu0 irq inject SERVICE parm=0x[0-9a-f]{8} \(floating\) -> 0$' "irq: the service signal"
has all '^cpu0 exit S390_SIEIC icpt=0x1c \(wait state\) psw=[0-9a-f]{16}\.[0-9a-f]{16}: disabled wait, guest exit code 0$' \
	"the final disabled wait"

# --- each class alone ---------------------------------------------------
traced exits exits
only exits '^cpu0 exit ' "--trace exits: only exit lines"
traced exit exit
only exit '^cpu0 exit ' "--trace exit (the old name) still works"
traced ioctls ioctls
only ioctls '^(main|cpu0) ([a-z]+[0-9]*: (KVM_|close )|softkvm_open )' "--trace ioctls: only ioctl lines"
traced sclp sclp
only sclp '^cpu0 sclp [A-Z ]+ sccb=' "--trace sclp: only sclp lines"
traced irq irq
only irq '^cpu0 irq inject ' "--trace irq: only irq lines"
traced sigp sigp
tap_ok $(( $? != 0 || $(wc -c <"$TAP_TMP/sigp.err") != 0 )) \
	"--trace sigp: hello (one CPU, no SIGP) prints nothing"
traced mix exits,sclp
only mix '^cpu0 (exit|sclp) ' "--trace exits,sclp: the two classes"
has mix '^cpu0 sclp ' "--trace exits,sclp: sclp lines too"

if [ -f "$SMP" ]; then
	traced smp sigp --cpus 2 "$SMP"
	tap_ok $? "smp with --trace sigp exits 0"
	only smp '^cpu[0-9]+ SIGP cpu[0-9]+ -> cpu[0-9]+ [A-Z ]+ param=0x[0-9a-f]+ -> cc=[0-3] \([a-z ]+\)' \
		"--trace sigp: only SIGP lines"
	has smp '^cpu0 SIGP cpu0 -> cpu1 RESTART param=0x0 -> cc=0 \(accepted\)$' \
		"SIGP RESTART of cpu1 accepted"
	traced smp4 all --cpus 4 "$SMP"
	tap_ok $? "smp on 4 vCPUs with --trace all exits 0"
	grep -Evq -- "$PREFIX" "$TAP_TMP/smp4.err"
	tap_ok $(( ! $? )) "4 vCPU threads tracing: no line broken or mixed"
	grep -Ev -- "$PREFIX" "$TAP_TMP/smp4.err" | head -5 | tap_diag
	has smp4 '^cpu3 cpu3: KVM_RUN -> ' "the cpu3 thread names itself"
fi

# --- config file, off, refused --------------------------------------------
printf '[log]\ntrace = sclp\n' >"$TAP_TMP/t.ini"
timeout 120 "$ZVMM" run --quiet --accel soft --config "$TAP_TMP/t.ini" "$HELLO" \
	</dev/null >/dev/null 2>"$TAP_TMP/ini.err"
strip <"$TAP_TMP/ini.err" >"$TAP_TMP/ini.lines"
only ini '^cpu0 sclp ' "[log] trace = sclp in a config file"

timeout 120 "$ZVMM" run --quiet --accel soft "$HELLO" </dev/null >/dev/null 2>"$TAP_TMP/off.err"
tap_ok $(( $? != 0 || $(wc -c <"$TAP_TMP/off.err") != 0 )) "without --trace (and --quiet) stderr is empty"
timeout 120 "$ZVMM" run --accel soft "$HELLO" </dev/null >/dev/null 2>"$TAP_TMP/off2.err"
grep -Eq -- "$PREFIX" "$TAP_TMP/off2.err"
tap_ok $(( ! $? )) "without --trace no trace line"
expect 64 "unknown trace category 'bogus' \(known: exits, ioctls, sclp, sigp, irq" \
	"an unknown class is refused with exit 64" -- "$ZVMM" run --trace exits,bogus "$HELLO"
expect 64 "unknown trace category ''" "an empty class is refused" -- \
	"$ZVMM" run --trace exits, "$HELLO"

# --- docs/tour.md ---------------------------------------------------------
# Every line of a ```trace block, without its time, must be a line of a
# `--trace all` boot of hello.
awk '/^```trace$/ { on = 1; next } /^```/ { on = 0 } on && NF' "$TOUR" |
	strip >"$TAP_TMP/tour.lines"
n=$(wc -l <"$TAP_TMP/tour.lines")
tap_ok $(( n < 20 )) "docs/tour.md quotes trace lines ($n)"
missing=0
while IFS= read -r line; do
	if ! grep -Fxq -- "$line" "$TAP_TMP/all.lines"; then
		missing=$((missing + 1))
		echo "not in the trace: $line"
	fi
done <"$TAP_TMP/tour.lines" >"$TAP_TMP/tour.missing"
tap_ok $missing "every trace line quoted in docs/tour.md appears in a real run"
[ $missing -eq 0 ] || { cat "$TAP_TMP/tour.missing"
	echo "regenerate: $ZVMM run --quiet --accel soft --trace all $HELLO"; } | tap_diag

tap_done
