// SPDX-License-Identifier: GPL-2.0
/* vmstat.c - FOLL_PIN accounting from /proc/vmstat. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmstat.h"

int gupb_pins_parse(const char *text, struct gupb_pins *p)
{
	const char *a = strstr(text, "nr_foll_pin_acquired ");
	const char *r = strstr(text, "nr_foll_pin_released ");

	if (!a || !r)
		return -1;
	if (sscanf(a, "nr_foll_pin_acquired %lld", &p->acquired) != 1 ||
	    sscanf(r, "nr_foll_pin_released %lld", &p->released) != 1)
		return -1;
	return 0;
}

int gupb_pins_read(struct gupb_pins *p)
{
	static char buf[16384];
	ssize_t n;
	int fd;

	/*
	 * Node counters are batched per CPU; stat_refresh (root only) folds
	 * the per-CPU deltas in so that the read is exact.
	 */
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			(void)0;	/* non-root or busy: batched read */
		close(fd);
	}
	fd = open("/proc/vmstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return gupb_pins_parse(buf, p);
}

double gupb_pins_per_op(int (*op)(void *), void *arg, int n)
{
	struct gupb_pins a, b;
	int i;

	if (n <= 0 || gupb_pins_read(&a))
		return -1;
	for (i = 0; i < n; i++)
		if (op(arg))
			return -2;
	if (gupb_pins_read(&b))
		return -1;
	return (double)(b.acquired - a.acquired) / n;
}

int gupb_pins_match(double got, double want, char *why, size_t len)
{
	if (got < 0) {
		snprintf(why, len, "cannot read nr_foll_pin_* from /proc/vmstat");
		return 0;
	}
	if (want == 0 ? got < 0.5 :
	    got >= 0.95 * want && got <= 1.5 * want + 1)
		return 1;
	snprintf(why, len, "measured %.2f pins per operation, expected %.0f",
		 got, want);
	return 0;
}
