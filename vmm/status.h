/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_STATUS_H
#define ZVMM_STATUS_H

/*
 * zvmm's own exit statuses. Once a guest runs, zvmm exits with the guest's
 * exit code instead (docs/guest-abi.md); these follow sysexits(3) so that
 * they stay apart from the small codes guests normally use.
 */
enum zvmm_status {
	ZVMM_EXIT_OK = 0,
	ZVMM_EXIT_USAGE = 64,		/* bad command line or config file */
	ZVMM_EXIT_DATAERR = 65,		/* bad guest image (ELF) */
	ZVMM_EXIT_NOINPUT = 66,		/* a named file cannot be read */
	ZVMM_EXIT_UNAVAILABLE = 69,	/* accelerator or feature not available */
	ZVMM_EXIT_SOFTWARE = 70,	/* internal error */
	ZVMM_EXIT_HV_FAILURE = 70,	/* KVM_RUN failed or an unknown exit */
	ZVMM_EXIT_OSERR = 71,		/* host resource failure (memory, threads) */
	ZVMM_EXIT_GUEST_CRASH = 76,	/* disabled wait at a non-exit address,
					   interruption loop */
};

#endif
