/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmstat.h - proof of path: did an operation really pin pages?
 *
 * /proc/vmstat nr_foll_pin_acquired counts every FOLL_PIN page reference
 * (pin_user_pages*(), so O_DIRECT, io_uring I/O and registration). The
 * counters are global, so a probe runs the operation several times outside
 * the timed loop and divides; other pinning on the machine only adds.
 */
#ifndef GUPB_VMSTAT_H
#define GUPB_VMSTAT_H

#include <stddef.h>

#include "base/proof.h"

struct gupb_pins {
	long long acquired;
	long long released;
};

/* Parse the two counters from /proc/vmstat text; 0 or -1. Pure. */
int gupb_pins_parse(const char *text, struct gupb_pins *p);
/* Read them now; 0 or -1 (no such counters: kernel too old). */
int gupb_pins_read(struct gupb_pins *p);

/*
 * Run op(arg) in rounds of n calls and return pins acquired per call (a
 * real number), the least of three rounds, since other pinning on the
 * machine only adds. Exact counters (root, stat_refresh) need n calls a
 * round; batched ones (not root) run on until the per-CPU batches cannot
 * hide more than 2.5%. -1 if the counters cannot be read, -2 if op
 * failed (errno kept).
 */
double gupb_pins_per_op(int (*op)(void *), void *arg, int n);

/*
 * Prove that op pins want pages per call: rounds as above until the least
 * matches (gupb_pins_match), at most 16. *got is the measured value.
 * GUPB_REFUTED: why says what was measured; GUPB_OP_FAILED: errno kept;
 * GUPB_INCONCLUSIVE: more pins than claimed while other processes pinned
 * too (why says how many).
 */
enum gupb_proof gupb_pins_prove(int (*op)(void *), void *arg, int n, double want,
		    double *got, char *why, size_t len);

/*
 * Does a measured pins-per-op value match the claim, within the
 * contract's one pin tolerance (base/contract.h GUPB_PIN_*: the low side
 * for batched counters when not root, the high side because other
 * pinning on the machine only adds)? 1 = matches, 0 = not (why filled).
 */
int gupb_pins_match(double got, double want, char *why, size_t len);
#endif /* GUPB_VMSTAT_H */
