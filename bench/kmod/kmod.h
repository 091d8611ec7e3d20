/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmod.h - the companion module's workload (wl_kmod.c), split by
 * responsibility:
 *  - kmod_pool.c: per-repetition sample pools, percentiles, paired
 *    deltas and their CI (order statistics), the loads of an ioctl;
 *  - kmod_churn.c: the contention churn (a thread mapping and unmapping
 *    a page whose entry shares the walked entry's line) and its proof;
 *  - kmod_ops.c: kmod_* (the GUP ops) and kwalk (one walk variant);
 *  - kmod_ab.c: kwalk_ab (all variants paired, one benchmark);
 *  - kmod_info.c: the module's INFO as context keys, or why not here;
 *  - wl_kmod.c: the families, set-up, proof and the per-run hooks.
 * The module's fd and INFO are the run context's (ctx->kfd, ctx->kinfo).
 */
#ifndef GUPB_KMOD_H
#define GUPB_KMOD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/case.h"
#include "uapi/gupbench.h"

/* Calls (walk: rounds) per ioctl: one benchmark iteration. */
#define GUPB_BATCH 64

extern const char *const gupb_kmod_variants[];	/* by GUPB_VARIANT_* */

/*
 * kmod_info.c. Registration: why the module is not here (its device node
 * cannot be opened read-write, judged by access()), or NULL. The probe
 * phase: open the module and read INFO into ctx->kfd/kinfo, or say why
 * not in ctx->kmod_why; write the module's context keys either way.
 */
const char *gupb_kmod_absent(const struct gupb_ctx *ctx);
void gupb_kmod_open(struct gupb_ctx *ctx);

/* --- kmod_pool.c --- */

struct kpool {
	double *v;
	size_t n, cap, seen;
	unsigned long long rng;
};

int kpool_reserve(struct kpool *p);
void kpool_reset(struct kpool *p);	/* empty, storage kept */
int kpool_add(struct kpool *p, double x);
void kpool_sort(struct kpool *p);
double kpool_pct(const struct kpool *p, unsigned int q);	/* sorted */
double kpool_median(struct kpool *p);
void kpool_deltas(struct gb_state *st, struct kpool *d, const char *med_key,
		  const char *lo_key, const char *hi_key);
void kpool_deltas_named(struct gb_state *st, const char *name,
			struct kpool *d);
/* Loads per call: the event's code (0x06, 0x66), or 0: not counted. */
int kmod_loads_of(const struct gupb_stats *s, double *loads);

/* --- kmod_churn.c --- */

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

int churn_start(struct churn *c, const struct gupb_ctx *ctx,
		const struct gupb_buf *b, int kind, char *why, size_t wl);
void churn_stop(struct churn *c);
double churn_clock(void);
void churn_add(struct churn *c, const struct gupb_run *r);
bool churn_end(struct gb_state *st, struct churn *c);

/* --- the benchmark's state (c->priv) --- */

struct km {
	int op;			/* GUPB_OP_* (c->fam->arg) */
	int variant;		/* kwalk's; else GUPB_VARIANT_LIVE */
	int contention;		/* GUPB_WATCH_* */
	size_t pages;
	struct gupb_run r;
	unsigned long long *rows;	/* samples: one row per variant */
	double pins;		/* the probe's, pin ops */
	struct churn churn;
	/* kmod_*, kwalk: this run */
	int row, lev;
	struct kpool all, pairs;
	struct gupb_stats sum;
	double ppm_weighted, ppm_ktime, loads;
	/* kwalk_ab */
	size_t nv, K;
	int rowv[GUPB_NR_VARIANTS], clock, no_insns;
	struct kpool per[GUPB_NR_VARIANTS], vs_live[GUPB_NR_VARIANTS];
	double ab_loads[GUPB_NR_VARIANTS], insns[GUPB_NR_VARIANTS];
	unsigned long long walks[GUPB_NR_VARIANTS], dropped;
	double ppm, ppm_n;
};

/* The ioctl with the harness's perf events off; 0 or -errno. */
int kmod_run_paused(struct gupb_case *c, struct gupb_run *r);

/* kmod_ops.c: kmod_* and kwalk. */
enum gupb_verdict kmod_ops_setup(struct gupb_case *c, char *why, size_t len);
void kmod_ops_begin(struct gupb_case *c);
int kmod_ops_op(struct gupb_case *c);
void kmod_ops_counters(struct gb_state *st, struct gupb_case *c);

/* kmod_ab.c: kwalk_ab. */
enum gupb_verdict kmod_ab_check(struct gupb_case *c, char *why, size_t len);
enum gupb_verdict kmod_ab_setup(struct gupb_case *c, char *why, size_t len);
void kmod_ab_begin(struct gupb_case *c);
int kmod_ab_op(struct gupb_case *c);
void kmod_ab_counters(struct gb_state *st, struct gupb_case *c);

#endif /* GUPB_KMOD_H */
