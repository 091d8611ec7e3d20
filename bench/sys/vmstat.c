// SPDX-License-Identifier: GPL-2.0
/* vmstat.c - FOLL_PIN accounting from /proc/vmstat. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/contract.h"
#include "sys/vmstat.h"

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

/* 1 if the last read folded the per-CPU deltas in (root), else 0. */
static int exact;

int gupb_pins_read(struct gupb_pins *p)
{
	static char buf[16384];
	ssize_t n;
	int fd;

	/*
	 * Node counters are batched per CPU; stat_refresh (root only) folds
	 * the per-CPU deltas in so that the read is exact.
	 */
	exact = 0;
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		exact = write(fd, "1", 1) == 1;
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

/*
 * Pins a batched (non-root) read may miss: each CPU holds up to its
 * "vm stats threshold" (/proc/zoneinfo) plus half of it in overstep.
 */
static long long batch_slack(void)
{
	char line[256];
	long t, max = 125;	/* the kernel's upper bound */
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (f) {
		max = 0;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, " vm stats threshold: %ld", &t) == 1 &&
			    t > max)
				max = t;
		fclose(f);
		if (!max)
			max = 125;
	}
	return (long long)(cpus > 0 ? cpus : 1) * (max + max / 2 + 1);
}

static int run(int (*op)(void *), void *arg, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (op(arg))
			return -1;
	return 0;
}

/*
 * One round: pins per call over n calls with exact counters (root:
 * stat_refresh); with batched ones (not root) it runs on until the delta
 * dwarfs what the per-CPU batches can hide (2.5%), or a control has shown
 * nothing for 256 n calls. *a is the reading the round starts from and
 * becomes the one it ends with. -1: counters unreadable, -2: op failed.
 */
static double round_pins(int (*op)(void *), void *arg, int n,
			 struct gupb_pins *a, long long slack)
{
	struct gupb_pins b;
	long long ops = 0;
	double v;

	do {
		if (run(op, arg, n))
			return -2;
		ops += n;
		if (gupb_pins_read(&b))
			return -1;
	} while (b.acquired - a->acquired < 40 * slack && ops < 256LL * n);
	v = (double)(b.acquired - a->acquired) / (double)ops;
	*a = b;
	return v;
}

/*
 * The counters are global: other pinning on the machine only adds, so
 * the least of several rounds is the best value.
 */
double gupb_pins_per_op(int (*op)(void *), void *arg, int n)
{
	struct gupb_pins a;
	long long slack;
	double best = -1, v;
	int round;

	if (n <= 0 || !op || gupb_pins_read(&a))
		return -1;
	slack = exact ? 0 : batch_slack();
	for (round = 0; round < 3; round++) {
		v = round_pins(op, arg, n, &a, slack);
		if (v < 0)
			return v;
		if (best < 0 || v < best)
			best = v;
	}
	return best;
}

enum gupb_proof gupb_pins_prove(int (*op)(void *), void *arg, int n, double want,
		    double *got, char *why, size_t len)
{
	struct gupb_pins a, b;
	long long slack;
	double v;
	int round;

	*got = -1;
	if (n <= 0 || !op || gupb_pins_read(&a)) {
		snprintf(why, len, "cannot read nr_foll_pin_* from /proc/vmstat");
		return GUPB_REFUTED;
	}
	slack = exact ? 0 : batch_slack();
	/* A busy machine adds pins: try more rounds before giving up. */
	for (round = 0; round < 16; round++) {
		v = round_pins(op, arg, n, &a, slack);
		if (v == -2)
			return GUPB_OP_FAILED;
		if (v < 0)
			break;
		if (*got < 0 || v < *got)
			*got = v;
		/* Stop early only on a tight match: noise only adds. */
		if (*got <= want * 1.05 + 0.25 &&
		    gupb_pins_match(*got, want, why, len))
			return GUPB_PROVEN;
	}
	/*
	 * Too few pins is a workload that missed GUP, whatever else runs.
	 * Too many on a machine where others pin meanwhile proves nothing
	 * either way: inconclusive, and the reason says how busy it was.
	 * On a quiet machine the looser gupb_pins_match() decides.
	 */
	snprintf(why, len, "measured %.2f pins per operation, expected %.0f",
		 *got, want);
	if (*got >= 0 && *got > want && gupb_pins_read(&a) == 0) {
		usleep(20000);
		if (gupb_pins_read(&b) == 0 && b.acquired > a.acquired) {
			size_t l = strlen(why);

			snprintf(why + l, len - l,
				 " with %lld pins/s elsewhere on the machine meanwhile: rerun on a quiet one",
				 (b.acquired - a.acquired) * 50);
			return GUPB_INCONCLUSIVE;
		}
	}
	return gupb_pins_match(*got, want, why, len) ? GUPB_PROVEN :
						       GUPB_REFUTED;
}

int gupb_pins_match(double got, double want, char *why, size_t len)
{
	if (got < 0) {
		snprintf(why, len, "cannot read nr_foll_pin_* from /proc/vmstat");
		return 0;
	}
	if (want == 0 ? got < GUPB_PIN_ZERO_BELOW :
	    got >= GUPB_PIN_LO * want && got <= GUPB_PIN_HI * want + GUPB_PIN_HI_ADD)
		return 1;
	snprintf(why, len, "measured %.2f pins per operation, expected %.0f",
		 got, want);
	return 0;
}
