// SPDX-License-Identifier: GPL-2.0
/*
 * kmod.c - the companion module's timed GUP loops (kmod_*) and kwalk (one
 * walk variant's share of an interleaved run), through the module's
 * client (kmod/kmod.h). kwalk_ab is its own workload (kwalk_ab.c).
 *
 * Time is measured in the kernel per call (arch counter, kmod/main.c) and
 * handed to Google Benchmark as manual time: one benchmark iteration is
 * one ioctl of GUPB_BATCH calls and its time is the mean per call. Every
 * call's time comes back as a sample; the percentiles (ns_p50/p90/p99) are
 * computed here once per repetition over all of its samples, never as a
 * mean of the kernel's per-ioctl percentiles (see results/README.md). The
 * walk variants always run interleaved (ABAB...) in one ioctl; each
 * variant's benchmark (kwalk/variant:V) reports its own share of it.
 *
 * The harness's own perf events are off during each ioctl
 * (gupb_kmod_run_paused): the pmu_* counters of these benchmarks cover
 * the harness between ioctls only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "kmod/kmod.h"
#include "sys/vmstat.h"

#define BP	GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_PAGES)
#define ANON_C	GUPB_FIXED(GUPB_KEY_BACKING, "anon"), GUPB_SWEEP(GUPB_KEY_PAGES), \
		GUPB_OVER(GUPB_KEY_CONTENTION, gupb_kmod_contentions)
#define VARIANT	GUPB_OVER(GUPB_KEY_VARIANT, gupb_walk_variants)
#define PINS	GUPB_CTR_PINS_PER_CALL

static const struct gupb_family families[] = {
	GUPB_FAMILY("kmod_gup_fast", GUPB_OP_GUP_FAST, NULL, BP),
	GUPB_FAMILY("kmod_pin_fast", GUPB_OP_PIN_FAST, PINS, BP),
	GUPB_FAMILY("kmod_pin_longterm", GUPB_OP_PIN_LONGTERM, PINS, BP),
	GUPB_FAMILY("kmod_gup_fast_only", GUPB_OP_GUP_FAST_ONLY, NULL, BP),
	GUPB_FAMILY("kwalk", GUPB_OP_WALK, NULL, VARIANT, BP),
	/* Under contention: anon, pin_fast and the walk. */
	GUPB_FAMILY("kmod_pin_fast", GUPB_OP_PIN_FAST, PINS, ANON_C),
	GUPB_FAMILY("kwalk", GUPB_OP_WALK, NULL, VARIANT, ANON_C),
	GUPB_FAMILY_END
};

/* A benchmark's state (c->priv). */
struct km {
	int op;			/* GUPB_OP_* (c->fam->arg) */
	int variant;		/* kwalk's; else GUPB_VARIANT_LIVE */
	int contention;		/* GUPB_WATCH_* */
	size_t pages;
	struct gupb_run r;
	unsigned long long *rows;	/* samples: one row per variant */
	int row;		/* ours */
	double pins;		/* the probe's, pin ops */
	struct churn churn;
	/* This run: */
	int lev;
	struct kpool all, pairs;
	struct gupb_stats sum;
	double ppm_weighted, ppm_ktime, loads;
};

/* Whole pages the module takes per call; walk variants valid here. */
static bool accept(const struct gupb_case *c)
{
	int v = gupb_case_key_index(c, GUPB_KEY_VARIANT, gupb_walk_variants);

	return gupb_kmod_pages_ok(c) &&
	       (v < 0 || c->ctx->kfd < 0 ||
		(c->ctx->kinfo.variants_valid & (1U << v)));
}

static double claim(const struct gupb_case *c)
{
	return (double)(c->bytes / gupb_page_size());
}

struct pin_probe {
	const struct gupb_ctx *ctx;
	struct gupb_run r;
};

static int pin_probe_op(void *arg)
{
	struct pin_probe *p = arg;

	return gupb_kmod_run(p->ctx, &p->r) ? -1 : 0;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct km *k = c->priv;
	struct gupb_run *r = &k->r;

	memset(k, 0, sizeof(*k));
	k->op = c->fam->arg;
	k->variant = gupb_kmod_variant(c);
	k->contention = gupb_kmod_watch(c);
	k->pages = c->bytes / gupb_page_size();
	r->addr = (unsigned long)c->buf.addr;
	r->len = c->bytes;
	r->op = (unsigned int)k->op;
	r->iterations = GUPB_BATCH;
	if (k->op == GUPB_OP_WALK) {
		/* Interleave with every variant that is safe here. */
		r->variant_mask = c->ctx->kinfo.variants_valid;
	} else {
		r->nr_pages = (unsigned int)k->pages;
		r->flags = GUPB_F_WRITE;
	}
	/* One row per selected variant; ours is its rank in the mask. */
	k->row = __builtin_popcount(r->variant_mask & ((1U << k->variant) - 1));
	k->rows = calloc((size_t)GUPB_BATCH *
			 (__builtin_popcount(r->variant_mask) + 1),
			 sizeof(*k->rows));
	if (!k->rows || kpool_reserve(&k->all) || kpool_reserve(&k->pairs)) {
		snprintf(why, len, "out of memory");
		return GUPB_ERROR;
	}
	if (k->op == GUPB_OP_PIN_FAST || k->op == GUPB_OP_PIN_LONGTERM) {
		/* The probe's results are not kept. */
		struct pin_probe p = { .ctx = c->ctx, .r = *r };

		k->pins = gupb_pins_per_op(pin_probe_op, &p, 2);
		if (k->pins == -2) {
			snprintf(why, len, "%s refused: %s", c->fam->name,
				 strerror(errno));
			return GUPB_SKIP;
		}
	}
	return GUPB_RUN;
}

/* The pin ops: the probe of setup pinned the pages claimed per call. */
static enum gupb_proof prove(struct gupb_case *c, char *why, size_t len)
{
	struct km *k = c->priv;

	if (k->op != GUPB_OP_PIN_FAST && k->op != GUPB_OP_PIN_LONGTERM)
		return GUPB_PROVEN;
	c->measured = k->pins / GUPB_BATCH;
	return gupb_pins_match(k->pins, (double)(GUPB_BATCH * k->pages), why,
			       len) ? GUPB_PROVEN : GUPB_REFUTED;
}

static enum gupb_verdict begin(struct gupb_case *c, char *why, size_t len)
{
	struct km *k = c->priv;

	kpool_reset(&k->all);
	kpool_reset(&k->pairs);
	memset(&k->sum, 0, sizeof(k->sum));
	k->ppm_weighted = k->ppm_ktime = k->loads = 0;
	k->lev = 0;
	memset(&k->churn, 0, sizeof(k->churn));
	if (k->contention &&
	    churn_start(&k->churn, c->ctx, &c->buf, k->contention, &k->r, why, len))
		return GUPB_SKIP;
	return GUPB_RUN;
}

/* This ioctl's figures into the run's sums; 0 or -errno. */
static int add_stats(struct km *k, const struct gupb_stats *s)
{
	const unsigned long long *mine = k->rows + (size_t)k->row * GUPB_BATCH;
	struct gupb_stats *sum = &k->sum;
	const struct gupb_run *r = &k->r;
	int ret = 0, i;
	double l;

	for (i = 0; !ret && i < (int)r->samples_written; i++) {
		ret = kpool_add(&k->all, (double)mine[i]);
		/* Per-call ns against live's call of the same round. */
		if (!ret && k->op == GUPB_OP_WALK &&
		    k->variant != GUPB_VARIANT_LIVE &&
		    (r->variant_mask & (1U << GUPB_VARIANT_LIVE)))
			ret = kpool_add(&k->pairs, (double)mine[i] -
					(double)k->rows[i]);
	}
	/* Loads only if every ioctl counted them, with one event. */
	i = gupb_kmod_loads_of(s, &l);
	if (!i || (k->lev && i != k->lev))
		k->lev = -1;
	if (k->lev >= 0) {
		k->lev = i;
		k->loads += l;
	}
	/* Same two points for both clocks: weight by the region. */
	k->ppm_weighted += (double)s->clock_vs_ktime_ppm * s->ktime_ns;
	k->ppm_ktime += (double)s->ktime_ns;
	sum->total_ns += s->total_ns;
	sum->ktime_ns += s->ktime_ns;
	for (i = 0; i < GUPB_NR_PMU; i++)
		if (s->pmu_valid & (1U << i))
			sum->pmu[i] += s->pmu[i];
	sum->pmu_valid = s->pmu_valid;
	return ret;
}

static int op(struct gupb_case *c)
{
	struct km *k = c->priv;
	struct gupb_run *r = &k->r;
	struct gupb_stats *s = &r->stats[k->variant], *sum = &k->sum;
	int ret;

	r->samples = (unsigned long)k->rows;
	r->samples_cap = GUPB_BATCH;
	ret = gupb_kmod_run_paused(c->ctx, c->st, r);
	if (ret) {
		c->err = -ret;
		return -1;
	}
	c->iter_seconds = (double)s->total_ns / s->calls * 1e-9;
	sum->calls += s->calls;
	sum->pages += s->pages;
	sum->short_returns += s->short_returns;
	sum->ns_min = sum->calls == s->calls || s->ns_min < sum->ns_min ?
		      s->ns_min : sum->ns_min;
	sum->ns_max = s->ns_max > sum->ns_max ? s->ns_max : sum->ns_max;
	if (r->samples_written != s->calls) {
		c->err = EIO;	/* samples: fewer written than calls */
		return -1;
	}
	churn_add(&k->churn, r);
	ret = add_stats(k, s);
	if (ret) {
		c->err = -ret;
		return -1;
	}
	return 0;
}

static void pmu_counters(struct gb_state *st, const struct km *k)
{
	static const char *const pmu[] = {
		[GUPB_PMU_CYCLES] = GUPB_CTR_KPMU_CYCLES,
		[GUPB_PMU_INSTRUCTIONS] = GUPB_CTR_KPMU_INSTRUCTIONS,
		[GUPB_PMU_L1D_MISSES] = GUPB_CTR_KPMU_L1D_MISSES,
		[GUPB_PMU_DTLB_MISSES] = GUPB_CTR_KPMU_DTLB_MISSES,
	};
	const struct gupb_stats *sum = &k->sum;
	double calls = (double)sum->calls;
	size_t i;

	/* The load events (GUPB_PMU_LD_RETIRED on) are kpmu_loads. */
	for (i = 0; i < sizeof(pmu) / sizeof(pmu[0]); i++)
		if (sum->pmu_valid & (1U << i))
			gb_counter(st, pmu[i], (double)sum->pmu[i] / calls, 0);
	if (k->lev > 0) {
		gb_counter(st, GUPB_CTR_KPMU_LOADS, k->loads / calls, 0);
		gb_counter(st, GUPB_CTR_KPMU_LOADS_EVENT, k->lev, 0);
	}
}

/* Over every call of this repetition, from the samples. */
static void counters(struct gb_state *st, struct gupb_case *c)
{
	struct km *k = c->priv;
	const struct gupb_stats *sum = &k->sum;
	double calls = (double)sum->calls;
	struct kfigure f[CHURN_FIGURES];
	struct kpool_ci ci;
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
	if (!sum->calls || !k->all.n)
		return;
	kpool_sort(&k->all);
	gb_counter(st, GUPB_CTR_NS_MIN, (double)sum->ns_min, 0);
	gb_counter(st, GUPB_CTR_NS_P50, kpool_pct(&k->all, 50), 0);
	gb_counter(st, GUPB_CTR_NS_P90, kpool_pct(&k->all, 90), 0);
	gb_counter(st, GUPB_CTR_NS_P99, kpool_pct(&k->all, 99), 0);
	gb_counter(st, GUPB_CTR_NS_MAX, (double)sum->ns_max, 0);
	if (!kpool_median_ci(&k->pairs, &ci)) {
		gb_counter(st, GUPB_CTR_WALK_DELTA_VS_LIVE_NS, ci.med, 0);
		gb_counter(st, GUPB_CTR_WALK_DELTA_CI95_LO_NS, ci.lo, 0);
		gb_counter(st, GUPB_CTR_WALK_DELTA_CI95_HI_NS, ci.hi, 0);
		gb_counter(st, GUPB_CTR_WALK_DELTA_PAIRS, (double)ci.n, 0);
	}
	gb_counter(st, GUPB_CTR_CALLS, calls, 0);
	gb_counter(st, GUPB_CTR_PAGES_PER_CALL, (double)sum->pages / calls, 0);
	gb_counter(st, GUPB_CTR_SHORT_RETURNS, (double)sum->short_returns, 0);
	/* The arch counter against ktime, same two points: 1 +- 1%. */
	if (k->ppm_ktime > 0)
		gb_counter(st, GUPB_CTR_CLOCK_VS_KTIME,
			   k->ppm_weighted / k->ppm_ktime * 1e-6, 0);
	pmu_counters(st, k);
}

/* After counters, or a failed op: no churn left running. */
static void end(struct gupb_case *c)
{
	churn_stop(&((struct km *)c->priv)->churn);
}

static void teardown(struct gupb_case *c)
{
	struct km *k = c->priv;

	kpool_free(&k->all);
	kpool_free(&k->pairs);
	free(k->rows);
	memset(k, 0, sizeof(*k));
}

/*
 * The checks' probes: one call of op on one page at addr through the
 * module (kwalk: every valid variant); 0 pages is a refusal too
 * (gup_fast_only's).
 */
static enum gupb_probe_ret probe_op(struct gupb_ctx *ctx, char *addr,
				    struct gupb_probe_io *io, unsigned int op)
{
	struct gupb_run r;
	unsigned int v;
	__u64 pages = 0;
	int ret;

	if (ctx->kfd < 0) {
		snprintf(io->why, sizeof(io->why), "module not available: %s",
			 ctx->kmod_why);
		return GUPB_PROBE_SKIP;
	}
	memset(&r, 0, sizeof(r));
	r.addr = (unsigned long)addr;
	r.len = io->len;
	r.iterations = 1;
	r.op = op;
	if (op == GUPB_OP_WALK)
		r.variant_mask = ctx->kinfo.variants_valid;
	else
		r.nr_pages = 1;
	ret = gupb_kmod_run(ctx, &r);
	if (ret) {
		io->err = -ret;
		return GUPB_PROBE_REFUSED;
	}
	for (v = 0; v < GUPB_NR_VARIANTS; v++)
		pages += r.stats[v].pages;
	io->err = pages ? 0 : EFAULT;
	return pages ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

#define PROBE_OP(fn, op)						\
static enum gupb_probe_ret fn(struct gupb_ctx *ctx, char *addr,		\
			      struct gupb_probe_io *io)			\
{									\
	return probe_op(ctx, addr, io, op);				\
}
PROBE_OP(probe_gup_fast, GUPB_OP_GUP_FAST)
PROBE_OP(probe_pin_fast, GUPB_OP_PIN_FAST)
PROBE_OP(probe_pin_longterm, GUPB_OP_PIN_LONGTERM)
PROBE_OP(probe_gup_fast_only, GUPB_OP_GUP_FAST_ONLY)
PROBE_OP(probe_walk, GUPB_OP_WALK)

static const struct gupb_probe probes[] = {
	{ .entry = "kmod_gup_fast", .order = 4, .fn = probe_gup_fast },
	{ .entry = "kmod_pin_fast", .order = 5, .fn = probe_pin_fast },
	{ .entry = "kmod_pin_longterm", .order = 6, .fn = probe_pin_longterm },
	{ .entry = "kmod_gup_fast_only", .order = 7, .fn = probe_gup_fast_only },
	{ .entry = "kwalk", .order = 8, .flags = GUPB_PROBE_OWN_WALK,
	  .fn = probe_walk },
	{ .entry = NULL }
};

/* Not static: tests/bench/test_units.c expands its sweep. */
const struct gupb_wl gupb_wl_kmod = {
	.name = "kmod",
	.summary = "gupbench.ko: in-kernel timed GUP loops and walk variants",
	.order = 50,
	.probes = probes,
	.families = families,
	.gb = { .manual_time = true },
	.priv_size = sizeof(struct km),
	.op_name = "GUPB_IOC_RUN",
	.absent = gupb_kmod_absent,
	.prepare = gupb_kmod_prepare,
	.accept = accept,
	.claim = claim,
	.setup = setup,
	.prove = prove,
	.begin = begin,
	.op = op,
	.counters = counters,
	.end = end,
	.teardown = teardown,
};
GUPB_WORKLOAD(gupb_wl_kmod);
