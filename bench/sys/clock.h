/* SPDX-License-Identifier: GPL-2.0 */
/* clock.h - the harness's wall clock (CLOCK_MONOTONIC), in seconds. */
#ifndef GUPB_CLOCK_H
#define GUPB_CLOCK_H

double gupb_now(void);

#endif /* GUPB_CLOCK_H */
