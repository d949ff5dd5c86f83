/* SPDX-License-Identifier: MIT */
/* Common includes for the cmocka unit tests (cmocka needs these first). */
#ifndef ZVMM_UNIT_H
#define ZVMM_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
