/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_CMD_H
#define ZVMM_CMD_H

#include <stdio.h>

/* One function per command verb; each returns zvmm's exit status. */
int cmd_run(int argc, char **argv);
int cmd_ctl(int argc, char **argv);

void usage_print(FILE *out);

#endif
