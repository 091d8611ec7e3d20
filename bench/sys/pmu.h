/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pmu.h - per-benchmark perf counters for the calling thread.
 *
 * Hardware events are opened once per event and privilege level (user and
 * kernel separately, so the GUP share in the kernel can be read off);
 * software events always. Events the PMU does not offer are left out:
 * an unmeasured counter is absent from the result, never zero.
 */
#ifndef GUPB_PMU_H
#define GUPB_PMU_H

#include <stdint.h>

#define GUPB_PMU_MAX_EVENTS 24

struct gupb_pmu {
	int fd[GUPB_PMU_MAX_EVENTS];
	const char *name[GUPB_PMU_MAX_EVENTS];
	int nr;
};

struct gupb_pmu_value {
	const char *name;	/* pmu_cycles_k, sw_page_faults, ... */
	double value;		/* scaled for multiplexing */
};

/* Probe once: which events work here. Returns the number usable. */
int gupb_pmu_probe(void);
/* "available", "unavailable: <reason>" or "partial: <list>". */
const char *gupb_pmu_status(void);

int gupb_pmu_open(struct gupb_pmu *p);
void gupb_pmu_enable(struct gupb_pmu *p);
void gupb_pmu_disable(struct gupb_pmu *p);
int gupb_pmu_read(struct gupb_pmu *p, struct gupb_pmu_value *v, int max);
void gupb_pmu_close(struct gupb_pmu *p);

#endif /* GUPB_PMU_H */
