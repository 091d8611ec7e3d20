/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmod.h - the companion module's client: the only code that talks to
 * /dev/gupbench (the workloads kmod and kwalk_ab, guptest's pairing and
 * the probes go through it). Its files:
 *  - client.c: is the module here (registration), open + INFO into the
 *    run context and its context keys (the probe phase), RUN and ENTRIES,
 *    the walk variants' names, a case's pages and contention level;
 *  - pool.c: per-repetition sample pools, percentiles, the median of
 *    paired deltas and its CI (numbers: the workloads write counters);
 *  - churn.c: the contention churn (a thread mapping and unmapping a page
 *    whose entry shares the walked entry's line) and its figures.
 */
#ifndef GUPB_KMOD_H
#define GUPB_KMOD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/case.h"
#include "core/ctx.h"
#include "base/contract.h"
#include "uapi/gupbench.h"

/* Calls (walk: rounds) per ioctl: one benchmark iteration. */
#define GUPB_BATCH 64

/* --- client.c --- */

/* Under contention: the neighbour entry churned, by name (GUPB_WATCH_*). */
extern const char *const gupb_kmod_contentions[];

/*
 * Registration: why the module is not here (its device node cannot be
 * opened read-write, judged by access()), or NULL. The probe phase: open
 * the module and read INFO into ctx->kfd/kinfo, or say why not in
 * ctx->kmod_why; write the module's context keys either way.
 */
const char *gupb_kmod_absent(const struct gupb_ctx *ctx);
void gupb_kmod_open(struct gupb_ctx *ctx);
/* A module workload's prepare hook: why not (ctx->kmod_why), or NULL. */
const char *gupb_kmod_prepare(struct gupb_ctx *ctx);
/* GUPB_IOC_RUN; 0 or -errno. Paused: the harness's perf events off. */
int gupb_kmod_run(const struct gupb_ctx *ctx, struct gupb_run *r);
int gupb_kmod_run_paused(const struct gupb_ctx *ctx, struct gb_state *st,
			 struct gupb_run *r);
/* GUPB_IOC_ENTRIES of user address addr; 0 or -errno. */
int gupb_kmod_entries(const struct gupb_ctx *ctx, unsigned long addr,
		      struct gupb_entries *e);
/* Whole pages per call within the module's limit (a case's accept). */
bool gupb_kmod_pages_ok(const struct gupb_case *c);
/* The case's walk variant (GUPB_VARIANT_LIVE if none named). */
int gupb_kmod_variant(const struct gupb_case *c);
/* The case's contention level, GUPB_WATCH_* (NONE if none named). */
int gupb_kmod_watch(const struct gupb_case *c);
/* Loads per call: the event's code (0x06, 0x66), or 0: not counted. */
int gupb_kmod_loads_of(const struct gupb_stats *s, double *loads);

/* --- pool.c --- */

struct kpool {
	double *v;
	size_t n, cap, seen;
	unsigned long long rng;
};

/* A median and its distribution-free 95% CI, over n values. */
struct kpool_ci {
	double med, lo, hi;
	size_t n;
};

int kpool_reserve(struct kpool *p);
void kpool_free(struct kpool *p);
void kpool_reset(struct kpool *p);	/* empty, storage kept */
int kpool_add(struct kpool *p, double x);
void kpool_sort(struct kpool *p);
double kpool_pct(const struct kpool *p, unsigned int q);	/* sorted */
double kpool_median(struct kpool *p);
/* Of paired differences: 0, or -1 when there are none. */
int kpool_median_ci(struct kpool *d, struct kpool_ci *ci);

/* --- churn.c --- */

struct churn {
	char *addr;		/* the neighbour page */
	atomic_int stop;
	atomic_int go;		/* set once addr is chosen */
	atomic_ulong rounds;
	atomic_int err;		/* errno of a failed mmap */
	pthread_t thread;
	unsigned long walked, churned;	/* entries' kernel addresses */
	bool running;
	unsigned long c0;	/* rounds when the timed loop started */
	double t0;
	struct gupb_run wsum;	/* the watch figures of the loop's ioctls */
};

/* One figure of a run: its counter name (GUPB_CTR_*) and value. */
struct kfigure {
	const char *name;
	double value;
};

#define CHURN_FIGURES 8

/*
 * Start the churn next to buffer b at level kind (GUPB_WATCH_*) and point
 * r's watch at it: 0, or -1 with why.
 */
int churn_start(struct churn *c, const struct gupb_ctx *ctx,
		const struct gupb_buf *b, int kind, struct gupb_run *r,
		char *why, size_t len);
void churn_stop(struct churn *c);
void churn_add(struct churn *c, const struct gupb_run *r);
/*
 * The end of a timed loop under contention: stop the churn; its figures
 * (up to CHURN_FIGURES) and their number, or -1 with why: the churn died
 * (a skip; a churn that is slow is data).
 */
int churn_end(struct churn *c, struct kfigure *f, char *why, size_t len);

#endif /* GUPB_KMOD_H */
