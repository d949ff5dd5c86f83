// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "status.h"

#ifndef ZVMM_VERSION
#define ZVMM_VERSION "unknown"
#endif

int main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (!verb) {
		usage_print(stderr);
		return ZVMM_EXIT_USAGE;
	}
	if (!strcmp(verb, "--help") || !strcmp(verb, "-h") ||
	    !strcmp(verb, "help")) {
		usage_print(stdout);
		return ZVMM_EXIT_OK;
	}
	if (!strcmp(verb, "--version") || !strcmp(verb, "-V")) {
		printf("zvmm %s\n", ZVMM_VERSION);
		return ZVMM_EXIT_OK;
	}
	if (!strcmp(verb, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(verb, "ctl"))
		return cmd_ctl(argc - 1, argv + 1);
	log_error("unknown command '%s' (try zvmm --help)", verb);
	return ZVMM_EXIT_USAGE;
}
