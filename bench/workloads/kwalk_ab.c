// SPDX-License-Identifier: GPL-2.0
/*
 * kwalk_ab.c - kwalk_ab: all walk variants of one run in one benchmark,
 * so that the pairing survives. Per round the module times one batch of
 * K walks per variant in one irqs-off round (order rotated per round),
 * with kernel-mode PMU cycles where there are any (the arch counter
 * otherwise, and the result says which: walk_clock, the label); each
 * non-live variant's batch minus live's of the same round, per walk, is a
 * pair, and their median and CI are the walk_delta_*. Manual time: live's
 * mean batch of the ioctl, in ns (the clock's units over ktime, measured
 * in the module over the same rounds): per batch, not per walk, so that
 * min_time takes tens of ioctls, not thousands; the per-walk figures are
 * counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "kmod/kmod.h"
#include "sys/clock.h"

#define BP	GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_PAGES)
#define ANON_C	GUPB_FIXED(GUPB_KEY_BACKING, "anon"), GUPB_SWEEP(GUPB_KEY_PAGES), \
		GUPB_OVER(GUPB_KEY_CONTENTION, gupb_kmod_contentions)

static const struct gupb_family families[] = {
	GUPB_FAMILY("kwalk_ab", GUPB_OP_WALK_AB, NULL, BP),
	/* Under contention. */
	GUPB_FAMILY("kwalk_ab", GUPB_OP_WALK_AB, NULL, ANON_C),
	GUPB_FAMILY_END
};

/* A benchmark's state (c->priv). */
struct ab {
	int contention;		/* GUPB_WATCH_* */
	size_t pages, nv, K;
	struct gupb_run r;
	unsigned long long *rows;	/* samples: one row per variant */
	int rowv[GUPB_NR_VARIANTS];	/* each variant's row, or -1 */
	struct churn churn;
	/* This run: */
	int lev, clock, no_insns;
	struct kpool per[GUPB_NR_VARIANTS], vs_live[GUPB_NR_VARIANTS];
	double loads[GUPB_NR_VARIANTS], insns[GUPB_NR_VARIANTS];
	unsigned long long walks[GUPB_NR_VARIANTS], dropped;
	double ppm, ppm_n;
};

/* Before the buffer: something to pair, and a batch that fits a round. */
static enum gupb_verdict check(struct gupb_case *c, char *why, size_t len)
{
	unsigned int valid = c->ctx->kinfo.variants_valid;
	size_t pages = c->bytes / gupb_page_size(), nv, K;

	if (!(valid & ~(1U << GUPB_VARIANT_LIVE))) {
		snprintf(why, len, "one walk variant here: nothing to pair");
		return GUPB_SKIP;
	}
	nv = (size_t)__builtin_popcount(valid);
	/* As many walks per batch as one irqs-off round may hold. */
	K = GUPB_MAX_WALK_PAGES / (pages * nv);
	if (!K) {
		snprintf(why, len, "%zu pages x %zu variants exceed one irqs-off round",
			 pages, nv);
		return GUPB_SKIP;
	}
	return GUPB_RUN;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct ab *k = c->priv;
	int v, i;

	memset(k, 0, sizeof(*k));
	k->contention = gupb_kmod_watch(c);
	k->pages = c->bytes / gupb_page_size();
	k->r.addr = (unsigned long)c->buf.addr;
	k->r.len = c->bytes;
	k->r.op = GUPB_OP_WALK_AB;
	k->r.iterations = GUPB_BATCH;
	k->nv = (size_t)__builtin_popcount(c->ctx->kinfo.variants_valid);
	k->K = GUPB_MAX_WALK_PAGES / (k->pages * k->nv);
	k->K = k->K > GUPB_MAX_BATCH ? GUPB_MAX_BATCH : k->K;
	k->r.batch = (unsigned int)k->K;
	k->r.variant_mask = c->ctx->kinfo.variants_valid;
	for (v = 0, i = 0; v < GUPB_NR_VARIANTS; v++)
		k->rowv[v] = (k->r.variant_mask & (1U << v)) ? i++ : -1;
	k->rows = calloc((size_t)GUPB_BATCH * k->nv, sizeof(*k->rows));
	for (v = 0; k->rows && v < GUPB_NR_VARIANTS; v++)
		if (k->rowv[v] >= 0 && (kpool_reserve(&k->per[v]) ||
					(v && kpool_reserve(&k->vs_live[v]))))
			break;
	if (!k->rows || v < GUPB_NR_VARIANTS) {
		snprintf(why, len, "out of memory");
		return GUPB_ERROR;
	}
	return GUPB_RUN;
}

static enum gupb_verdict begin(struct gupb_case *c, char *why, size_t len)
{
	struct ab *k = c->priv;
	int v;

	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		kpool_reset(&k->per[v]);
		kpool_reset(&k->vs_live[v]);
		k->loads[v] = k->insns[v] = 0;
		k->walks[v] = 0;
	}
	k->dropped = 0;
	k->ppm = k->ppm_n = 0;
	k->lev = 0;
	k->clock = -1;
	k->no_insns = 0;
	memset(&k->churn, 0, sizeof(k->churn));
	if (k->contention &&
	    churn_start(&k->churn, c->ctx, &c->buf, k->contention, &k->r, why, len))
		return GUPB_SKIP;
	return GUPB_RUN;
}

/* One variant's rows of this ioctl into its pools and sums; 0 or -errno. */
static int add_variant(struct ab *k, int v, const unsigned long long *live)
{
	const struct gupb_stats *s = &k->r.stats[v];
	const unsigned long long *mine = k->rows + (size_t)k->rowv[v] * GUPB_BATCH;
	double l, K = (double)k->K;
	int i, e, ret = 0;

	for (i = 0; !ret && i < (int)k->r.samples_written; i++) {
		ret = kpool_add(&k->per[v], (double)mine[i] / K);
		/* This variant against live, round by round. */
		if (!ret && v != GUPB_VARIANT_LIVE)
			ret = kpool_add(&k->vs_live[v],
					((double)mine[i] - (double)live[i]) / K);
	}
	e = gupb_kmod_loads_of(s, &l);
	if (!e || (k->lev && e != k->lev))
		k->lev = -1;
	if (k->lev >= 0) {
		k->lev = e;
		k->loads[v] += l;
	}
	/* Instructions: exact on hardware, and under TCG -icount. */
	if (!(s->pmu_valid & (1U << GUPB_PMU_INSTRUCTIONS)) ||
	    !s->pmu[GUPB_PMU_INSTRUCTIONS])
		k->no_insns = 1;
	k->insns[v] += (double)s->pmu[GUPB_PMU_INSTRUCTIONS];
	k->walks[v] += (unsigned long long)GUPB_BATCH * k->K;
	return ret;
}

static int op(struct gupb_case *c)
{
	struct ab *k = c->priv;
	struct gupb_run *r = &k->r;
	const unsigned long long *live;
	double scale, w0, w1, live_ns = 0;
	int ret, v, i;

	memset(r->stats, 0, sizeof(r->stats));
	r->samples = (unsigned long)k->rows;
	r->samples_cap = GUPB_BATCH;
	w0 = gupb_now();
	ret = gupb_kmod_run_paused(c->ctx, c->st, r);
	w1 = gupb_now();
	if (ret || (k->clock >= 0 && (int)r->clock != k->clock)) {
		c->err = ret ? -ret : EIO;	/* EIO: the batch clock changed */
		return -1;
	}
	k->clock = (int)r->clock;
	k->dropped += r->rounds_dropped;
	live = k->rows + (size_t)k->rowv[GUPB_VARIANT_LIVE] * GUPB_BATCH;
	/* Clock units per ns over these rounds (same for every row). */
	scale = r->stats[GUPB_VARIANT_LIVE].clock_vs_ktime_ppm * 1e-6;
	if (scale > 0 && r->samples_written) {
		/* Live's mean batch (walk_batch walks), in ns. */
		for (i = 0; i < (int)r->samples_written; i++)
			live_ns += (double)live[i];
		c->iter_seconds = live_ns / r->samples_written / scale * 1e-9;
		k->ppm += scale * r->samples_written;
		k->ppm_n += r->samples_written;
	} else {
		/* Nothing kept: the ioctl's wall time, so the loop ends. */
		c->iter_seconds = w1 - w0;
	}
	for (v = 0; !ret && v < GUPB_NR_VARIANTS; v++)
		if (k->rowv[v] >= 0)
			ret = add_variant(k, v, live);
	if (ret) {
		c->err = -ret;
		return -1;
	}
	churn_add(&k->churn, r);
	return 0;
}

/* The counters' names, by variant (GUPB_VARIANT_*); live has no delta. */
static const char *const walk_ctr[] = {
	GUPB_CTR_WALK_LIVE, GUPB_CTR_WALK_STACK, GUPB_CTR_WALK_GENERIC };
static const char *const insns_ctr[][2] = {
	{ GUPB_CTR_WALK_INSNS_LIVE, NULL },
	{ GUPB_CTR_WALK_INSNS_STACK, GUPB_CTR_WALK_INSNS_DELTA_STACK_VS_LIVE },
	{ GUPB_CTR_WALK_INSNS_GENERIC, GUPB_CTR_WALK_INSNS_DELTA_GENERIC_VS_LIVE } };
static const char *const loads_ctr[][2] = {
	{ GUPB_CTR_WALK_LOADS_LIVE, NULL },
	{ GUPB_CTR_WALK_LOADS_STACK, GUPB_CTR_WALK_LOADS_DELTA_STACK_VS_LIVE },
	{ GUPB_CTR_WALK_LOADS_GENERIC, GUPB_CTR_WALK_LOADS_DELTA_GENERIC_VS_LIVE } };
static const char *const delta_ctr[][3] = {
	{ NULL, NULL, NULL },
	{ GUPB_CTR_WALK_DELTA_STACK_VS_LIVE, GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_LO,
	  GUPB_CTR_WALK_DELTA_STACK_VS_LIVE_CI95_HI },
	{ GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE, GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_LO,
	  GUPB_CTR_WALK_DELTA_GENERIC_VS_LIVE_CI95_HI } };

/* x per walk as name[0], minus live's as name[1] (when counted). */
static void per_walk(struct gb_state *st, const struct ab *k,
		     const char *const *name, const double *x, int v)
{
	const int L = GUPB_VARIANT_LIVE;

	gb_counter(st, name[0], x[v] / k->walks[v], 0);
	if (v == L || !k->walks[L])
		return;
	gb_counter(st, name[1], x[v] / k->walks[v] - x[L] / k->walks[L], 0);
}

/* A variant's paired deltas vs live: walk_delta_<v>_vs_live{,_ci95_lo,_ci95_hi}. */
static void deltas(struct gb_state *st, int v, struct kpool *d)
{
	struct kpool_ci ci;

	if (kpool_median_ci(d, &ci))
		return;
	gb_counter(st, delta_ctr[v][0], ci.med, 0);
	gb_counter(st, delta_ctr[v][1], ci.lo, 0);
	gb_counter(st, delta_ctr[v][2], ci.hi, 0);
	gb_counter(st, GUPB_CTR_WALK_DELTA_PAIRS, (double)ci.n, 0);
}

static void ab_counters(struct gb_state *st, struct ab *k)
{
	bool pmu = k->clock == GUPB_CLOCK_PMU_CYCLES;
	int v;

	gb_set_label(st, pmu ? "walk clock: PMU cycles (kernel mode)" :
		     "walk clock: arch counter ticks (no PMU cycle counter)");
	gb_counter(st, GUPB_CTR_WALK_CLOCK_PMU_CYCLES, pmu, 0);
	gb_counter(st, GUPB_CTR_WALK_BATCH, (double)k->K, 0);
	gb_counter(st, GUPB_CTR_WALK_ROUNDS_DROPPED, (double)k->dropped, 0);
	if (k->ppm_n)
		gb_counter(st, GUPB_CTR_WALK_CLOCK_PER_NS, k->ppm / k->ppm_n, 0);
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (k->rowv[v] < 0)
			continue;
		gb_counter(st, walk_ctr[v], kpool_median(&k->per[v]), 0);
		if (k->lev > 0 && k->walks[v])
			per_walk(st, k, loads_ctr[v], k->loads, v);
		if (!k->no_insns && k->walks[v])
			per_walk(st, k, insns_ctr[v], k->insns, v);
		if (v != GUPB_VARIANT_LIVE)
			deltas(st, v, &k->vs_live[v]);
	}
	if (k->lev > 0)
		gb_counter(st, GUPB_CTR_KPMU_LOADS_EVENT, k->lev, 0);
}

static void counters(struct gb_state *st, struct gupb_case *c)
{
	struct ab *k = c->priv;
	struct kfigure f[CHURN_FIGURES];
	char why[256];
	int i, n;

	if (k->contention) {
		n = churn_end(&k->churn, f, why, sizeof(why));
		if (n < 0) {
			gb_skip(st, "%s", why);
			return;
		}
		for (i = 0; i < n; i++)
			gb_counter(st, f[i].name, f[i].value, 0);
	}
	if (k->per[GUPB_VARIANT_LIVE].n)
		ab_counters(st, k);
}

/* After counters, or a failed op: no churn left running. */
static void end(struct gupb_case *c)
{
	churn_stop(&((struct ab *)c->priv)->churn);
}

static void teardown(struct gupb_case *c)
{
	struct ab *k = c->priv;
	int v;

	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		kpool_free(&k->per[v]);
		kpool_free(&k->vs_live[v]);
	}
	free(k->rows);
	memset(k, 0, sizeof(*k));
}

/* Not static: tests/bench/test_units.c expands its sweep. */
const struct gupb_wl gupb_wl_kwalk_ab = {
	.name = "kwalk_ab",
	.summary = "gupbench.ko: every walk variant paired in one benchmark",
	.order = 55,
	.families = families,
	.gb = { .manual_time = true },
	.priv_size = sizeof(struct ab),
	.op_name = "GUPB_IOC_RUN",
	.absent = gupb_kmod_absent,
	.prepare = gupb_kmod_prepare,
	.accept = gupb_kmod_pages_ok,
	.check = check,
	.setup = setup,
	.begin = begin,
	.op = op,
	.counters = counters,
	.end = end,
	.teardown = teardown,
};
GUPB_WORKLOAD(gupb_wl_kwalk_ab);
