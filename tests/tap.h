/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - kselftest-style TAP for the C test programs: ok(), skip(), and
 * tap_done() for the plan and the exit status. One program per include.
 */
#ifndef GUPB_TEST_TAP_H
#define GUPB_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_nr, tap_failed;

__attribute__((format(printf, 2, 3)))
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	tap_failed += !cond;
}

__attribute__((format(printf, 1, 2), unused))
static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("ok %d # SKIP ", ++tap_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Print the plan; the exit status for main(). */
static int tap_done(void)
{
	printf("1..%d\n", tap_nr);
	return tap_failed ? 1 : 0;
}

#endif /* GUPB_TEST_TAP_H */
