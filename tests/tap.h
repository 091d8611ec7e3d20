/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - kselftest-style TAP for the C test programs: ok(), skip(), and
 * tap_done() for the plan and the exit status. One program per include.
 *
 * A test of several facts checks each with an EXPECT_*() macro, which
 * says on a mismatch what it got and wanted, with file:line, and ends
 * with one ok() of them all:
 *	bool good = true;
 *	good &= EXPECT_EQ(n_setup, 1);
 *	good &= EXPECT_STREQ(msg, "x");
 *	ok(good, "set-up once");
 */
#ifndef GUPB_TEST_TAP_H
#define GUPB_TEST_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

/* A TAP diagnostic line before the ok() it belongs to. */
__attribute__((unused))
static bool tap_expect(bool good, const char *file, int line,
		       const char *what, const char *got, const char *want)
{
	if (!good)
		printf("#   %s:%d: %s is %s, want %s\n", file, line, what, got,
		       want);
	return good;
}

__attribute__((unused))
static bool tap_expect_ll(const char *file, int line, const char *what,
			  long long got, long long want)
{
	char g[32], w[32];

	snprintf(g, sizeof(g), "%lld", got);
	snprintf(w, sizeof(w), "%lld", want);
	return tap_expect(got == want, file, line, what, g, w);
}

__attribute__((unused))
static bool tap_expect_str(const char *file, int line, const char *what,
			   const char *got, const char *want)
{
	return tap_expect(got && want && !strcmp(got, want), file, line, what,
			  got ? got : "NULL", want ? want : "NULL");
}

__attribute__((unused))
static bool tap_expect_has(const char *file, int line, const char *what,
			   const char *hay, const char *needle)
{
	return tap_expect(hay && strstr(hay, needle), file, line, what,
			  "without it", needle);
}

/* Integers (any integer type), strings, a substring, a condition. */
#define EXPECT_EQ(got, want) \
	tap_expect_ll(__FILE__, __LINE__, #got, (long long)(got), (long long)(want))
#define EXPECT_STREQ(got, want) \
	tap_expect_str(__FILE__, __LINE__, #got, (got), (want))
#define EXPECT_HAS(hay, needle) \
	tap_expect_has(__FILE__, __LINE__, #hay, (hay), (needle))
#define EXPECT_TRUE(cond) \
	tap_expect(!!(cond), __FILE__, __LINE__, #cond, "false", "true")

/* Print the plan; the exit status for main(). */
static int tap_done(void)
{
	printf("1..%d\n", tap_nr);
	return tap_failed ? 1 : 0;
}

#endif /* GUPB_TEST_TAP_H */
