// SPDX-License-Identifier: GPL-2.0
/* clock.c - the harness's wall clock (clock.h). */
#include <time.h>

#include "sys/clock.h"

double gupb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}
