/* SPDX-License-Identifier: MIT */
#ifndef ZVMM_LOG_H
#define ZVMM_LOG_H

#include <stdbool.h>

/*
 * Messages go to stderr prefixed with "zvmm: ". Errors are logged once, by
 * the code that knows the context (file name, option, guest address).
 */
void log_set_quiet(bool quiet);
bool log_is_quiet(void);

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
