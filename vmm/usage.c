// SPDX-License-Identifier: MIT
#include <stdio.h>

#include "cmd.h"
#include "config.h"

/* The one place that documents the command line; README quotes it. */
void usage_print(FILE *out)
{
	fprintf(out,
"Usage: zvmm run [OPTIONS] KERNEL.elf     boot an s390x guest\n"
"       zvmm ctl SOCKET COMMAND [ARGS]    talk to a running zvmm\n"
"       zvmm --help | --version\n"
"\n"
"zvmm is a minimal s390x virtual machine monitor. It runs guests on real\n"
"KVM on s390x hosts and on softkvm, its user-space KVM, everywhere else.\n"
"\n"
"Options for run (each also a key of the config file, [section] key):\n"
"  -m, --memory SIZE     guest memory, a multiple of 1 MiB: 128M, 1G\n"
"                        (default 128M, at most 1T)        [machine] memory\n"
"  -c, --cpus N          number of vCPUs, 1..%d (default 1) [machine] cpus\n"
"  -a, --append STRING   kernel command line, placed at 0x10480 for a Linux\n"
"                        image as QEMU's -append does          [boot] append\n"
"      --name NAME       VM name reported by STSI 3.2.2, printable ASCII,\n"
"                        up to %d characters                 [machine] name\n"
"      --uuid UUID       VM UUID reported by STSI 3.2.2     [machine] uuid\n"
"      --config FILE     read an INI config file first; the command line\n"
"                        overrides it (see configs/default.ini)\n"
"      --accel KIND      auto (default): KVM on an s390x host with a usable\n"
"                        /dev/kvm, softkvm elsewhere; kvm: real KVM only;\n"
"                        soft: softkvm only               [machine] accel\n"
"      --control PATH    serve the control socket at PATH (mode 0600; see\n"
"                        zvmm ctl)                        [control] socket\n"
"      --seccomp MODE    the syscall allow-list: auto (default: on, only a\n"
"                        warning where the kernel has none), on (refuse to\n"
"                        run without it), off (for debugging)\n"
"                                                       [machine] seccomp\n"
"      --incoming URI    wait for a migrating VM on unix:PATH, tcp:HOST:PORT\n"
"                        or file:PATH                 [migration] incoming\n"
"      --trace LIST      comma-separated: exit, sclp, sigp, diag, irq, stsi,\n"
"                        migrate, control, all (only exit prints today)\n"
"                                                              [log] trace\n"
"  -q, --quiet           print only errors and the guest's console\n"
"                                                              [log] quiet\n"
"  -h, --help            this text\n"
"\n"
"ctl commands: status, pause, resume, quit, migrate URI (not yet). ctl exits\n"
"0 on an \"ok\" reply, 1 on an \"error\" reply, 66 when there is no socket,\n"
"69 when nobody serves it, 70 without a reply.\n"
"\n"
"Exit status: the guest's exit code once a guest has run (see\n"
"docs/guest-abi.md); otherwise 64 bad command line or config, 65 bad guest\n"
"image, 66 unreadable file, 69 accelerator or feature not available,\n"
"70 internal error or hypervisor failure, 71 host resource failure,\n"
"76 the guest crashed (disabled wait at a non-exit address, interruption\n"
"loop); 0 after `zvmm ctl quit`. Killed by SIGSYS: a syscall outside the\n"
"seccomp allow-list (named on stderr).\n",
		ZVMM_MAX_CPUS, ZVMM_NAME_MAX);
}
