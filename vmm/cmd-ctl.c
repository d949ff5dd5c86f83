// SPDX-License-Identifier: MIT
/* `zvmm ctl SOCKET COMMAND [ARGS]`: talk to a running zvmm. */
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "status.h"

static const struct {
	const char *name;
	int nargs;
} ctl_commands[] = {
	{ "status", 0 },
	{ "pause", 0 },
	{ "resume", 0 },
	{ "quit", 0 },
	{ "migrate", 1 },
};

int cmd_ctl(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage_print(stdout);
		return ZVMM_EXIT_OK;
	}
	if (argc < 3) {
		log_error("usage: zvmm ctl SOCKET COMMAND [ARGS]");
		return ZVMM_EXIT_USAGE;
	}
	for (unsigned i = 0; i < sizeof(ctl_commands) / sizeof(ctl_commands[0]);
	     i++) {
		if (strcmp(argv[2], ctl_commands[i].name))
			continue;
		if (argc - 3 != ctl_commands[i].nargs) {
			log_error("ctl %s takes %d argument(s)",
				  ctl_commands[i].name, ctl_commands[i].nargs);
			return ZVMM_EXIT_USAGE;
		}
		log_error("ctl: the control socket is not available yet");
		return ZVMM_EXIT_UNAVAILABLE;
	}
	log_error("ctl: unknown command '%s' (status, pause, resume, quit, migrate URI)",
		  argv[2]);
	return ZVMM_EXIT_USAGE;
}
