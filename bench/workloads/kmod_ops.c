// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_ops.c - kmod_* (the module's timed GUP loops) and kwalk (one walk
 * variant's share of an interleaved run).
 *
 * Time is measured in the kernel per call (arch counter, kmod/main.c) and
 * handed to Google Benchmark as manual time: one benchmark iteration is
 * one ioctl of GUPB_BATCH calls and its time is the mean per call. Every
 * call's time comes back as a sample; the percentiles (ns_p50/p90/p99) are
 * computed here once per repetition over all of its samples, never as a
 * mean of the kernel's per-ioctl percentiles (see results/README.md). The
 * walk variants always run interleaved (ABAB...) in one ioctl; each
 * variant's benchmark (kwalk/variant:V) reports its own share of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/ctx.h"
#include "kmod/kmod.h"
#include "sys/vmstat.h"

struct probe {
	int kfd;
	struct gupb_run r;
};

static int probe_op(void *arg)
{
	struct probe *p = arg;

	return ioctl(p->kfd, GUPB_IOC_RUN, &p->r) ? -1 : 0;
}

enum gupb_verdict kmod_ops_setup(struct gupb_case *c, char *why, size_t len)
{
	struct km *k = c->priv;
	struct gupb_run *r = &k->r;

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
		struct probe p = { .kfd = c->ctx->kfd, .r = *r };

		k->pins = gupb_pins_per_op(probe_op, &p, 2);
		if (k->pins == -2) {
			snprintf(why, len, "%s refused: %s", c->fam->name,
				 strerror(errno));
			return GUPB_SKIP;
		}
	}
	return GUPB_RUN;
}

void kmod_ops_begin(struct gupb_case *c)
{
	struct km *k = c->priv;

	kpool_reset(&k->all);
	kpool_reset(&k->pairs);
	memset(&k->sum, 0, sizeof(k->sum));
	k->ppm_weighted = k->ppm_ktime = k->loads = 0;
	k->lev = 0;
}

int kmod_ops_op(struct gupb_case *c)
{
	struct km *k = c->priv;
	struct gupb_run *r = &k->r;
	struct gupb_stats *s = &r->stats[k->variant], *sum = &k->sum;
	const unsigned long long *mine = k->rows + (size_t)k->row * GUPB_BATCH;
	double l;
	int ret, i;

	r->samples = (unsigned long)k->rows;
	r->samples_cap = GUPB_BATCH;
	ret = kmod_run_paused(c, r);
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
	for (i = 0; !ret && i < (int)r->samples_written; i++) {
		ret = kpool_add(&k->all, (double)mine[i]);
		/* Per-call ns against live's call of the same round. */
		if (!ret && k->op == GUPB_OP_WALK &&
		    k->variant != GUPB_VARIANT_LIVE &&
		    (r->variant_mask & (1U << GUPB_VARIANT_LIVE)))
			ret = kpool_add(&k->pairs, (double)mine[i] -
					(double)k->rows[i]);
	}
	churn_add(&k->churn, r);
	/* Loads only if every ioctl counted them, with one event. */
	i = kmod_loads_of(s, &l);
	if (!i || (k->lev && i != k->lev))
		k->lev = -1;
	if (k->lev >= 0) {
		k->lev = i;
		k->loads += l;
	}
	if (ret) {
		c->err = -ret;
		return -1;
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
	return 0;
}

/* Over every call of this repetition, from the samples. */
void kmod_ops_counters(struct gb_state *st, struct gupb_case *c)
{
	static const char *const pmu[] = {
		[GUPB_PMU_CYCLES] = GUPB_CTR_KPMU_CYCLES,
		[GUPB_PMU_INSTRUCTIONS] = GUPB_CTR_KPMU_INSTRUCTIONS,
		[GUPB_PMU_L1D_MISSES] = GUPB_CTR_KPMU_L1D_MISSES,
		[GUPB_PMU_DTLB_MISSES] = GUPB_CTR_KPMU_DTLB_MISSES,
	};
	struct km *k = c->priv;
	const struct gupb_stats *sum = &k->sum;
	double calls = (double)sum->calls;
	size_t i;

	if (!sum->calls || !k->all.n)
		return;
	kpool_sort(&k->all);
	gb_counter(st, GUPB_CTR_NS_MIN, (double)sum->ns_min, 0);
	gb_counter(st, GUPB_CTR_NS_P50, kpool_pct(&k->all, 50), 0);
	gb_counter(st, GUPB_CTR_NS_P90, kpool_pct(&k->all, 90), 0);
	gb_counter(st, GUPB_CTR_NS_P99, kpool_pct(&k->all, 99), 0);
	gb_counter(st, GUPB_CTR_NS_MAX, (double)sum->ns_max, 0);
	kpool_deltas(st, &k->pairs, GUPB_CTR_WALK_DELTA_VS_LIVE_NS,
		     GUPB_CTR_WALK_DELTA_CI95_LO_NS,
		     GUPB_CTR_WALK_DELTA_CI95_HI_NS);
	gb_counter(st, GUPB_CTR_CALLS, calls, 0);
	gb_counter(st, GUPB_CTR_PAGES_PER_CALL, (double)sum->pages / calls, 0);
	gb_counter(st, GUPB_CTR_SHORT_RETURNS, (double)sum->short_returns, 0);
	/* The arch counter against ktime, same two points: 1 +- 1%. */
	if (k->ppm_ktime > 0)
		gb_counter(st, GUPB_CTR_CLOCK_VS_KTIME,
			   k->ppm_weighted / k->ppm_ktime * 1e-6, 0);
	/* The load events (GUPB_PMU_LD_RETIRED on) are kpmu_loads. */
	for (i = 0; i < sizeof(pmu) / sizeof(pmu[0]); i++)
		if (sum->pmu_valid & (1U << i))
			gb_counter(st, pmu[i], (double)sum->pmu[i] / calls, 0);
	if (k->lev > 0) {
		gb_counter(st, GUPB_CTR_KPMU_LOADS, k->loads / calls, 0);
		gb_counter(st, GUPB_CTR_KPMU_LOADS_EVENT, k->lev, 0);
	}
}
