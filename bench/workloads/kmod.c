// SPDX-License-Identifier: GPL-2.0
/*
 * wl_kmod.c - the companion module's timed loops and walk variants
 * (kmod.h says which file does what): the families, set-up, proof and
 * the per-run hooks. The module's fd and INFO, or why
 * it is unavailable, are the run context's.
 *
 * The harness's own user-space perf events (gb_pause) are off during each
 * ioctl: they would share the PMU with the module's counters (multiplexing
 * them) and count the module's work as the harness's. The pmu_* counters
 * of these benchmarks therefore cover the harness between ioctls only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/ctx.h"
#include "kmod/kmod.h"
#include "sys/vmstat.h"

const char *const gupb_kmod_variants[] = {
	[GUPB_VARIANT_LIVE] = "live", [GUPB_VARIANT_STACK] = "stack",
	[GUPB_VARIANT_GENERIC] = "generic", NULL
};
/* Under contention: the neighbour entry churned, by name. */
static const char *const contentions[] = { "pmd", "pgd", NULL };
static const int watch_level[] = { GUPB_WATCH_PMD, GUPB_WATCH_TOP };

#define BP	GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_PAGES)
#define ANON_C	GUPB_FIXED(GUPB_KEY_BACKING, "anon"), GUPB_SWEEP(GUPB_KEY_PAGES), \
		GUPB_OVER(GUPB_KEY_CONTENTION, contentions)
#define VARIANT	GUPB_OVER(GUPB_KEY_VARIANT, gupb_kmod_variants)
#define PINS	GUPB_CTR_PINS_PER_CALL

static const struct gupb_family families[] = {
	GUPB_FAMILY("kmod_gup_fast", GUPB_OP_GUP_FAST, NULL, BP),
	GUPB_FAMILY("kmod_pin_fast", GUPB_OP_PIN_FAST, PINS, BP),
	GUPB_FAMILY("kmod_pin_longterm", GUPB_OP_PIN_LONGTERM, PINS, BP),
	GUPB_FAMILY("kmod_gup_fast_only", GUPB_OP_GUP_FAST_ONLY, NULL, BP),
	GUPB_FAMILY("kwalk", GUPB_OP_WALK, NULL, VARIANT, BP),
	GUPB_FAMILY("kwalk_ab", GUPB_OP_WALK_AB, NULL, BP),
	/* Under contention: anon, pin_fast and the walks. */
	GUPB_FAMILY("kmod_pin_fast", GUPB_OP_PIN_FAST, PINS, ANON_C),
	GUPB_FAMILY("kwalk", GUPB_OP_WALK, NULL, VARIANT, ANON_C),
	GUPB_FAMILY("kwalk_ab", GUPB_OP_WALK_AB, NULL, ANON_C),
	GUPB_FAMILY_END
};

/* The index of value of key in c's name in names, or -1 (no such key). */
static int key_index(const struct gupb_case *c, const char *key,
		     const char *const *names)
{
	int i, j;

	for (i = 0; i < c->nr_keys; i++)
		for (j = 0; !strcmp(c->key[i], key) && names[j]; j++)
			if (!strcmp(c->val[i], names[j]))
				return j;
	return -1;
}

/* Whole pages the module takes per call; walk variants valid here. */
static bool accept(const struct gupb_case *c)
{
	size_t pages = c->bytes / gupb_page_size();
	int v = key_index(c, GUPB_KEY_VARIANT, gupb_kmod_variants);

	return pages && pages <= GUPB_MAX_PAGES_PER_CALL &&
	       (v < 0 || c->ctx->kfd < 0 ||
		(c->ctx->kinfo.variants_valid & (1U << v)));
}

static double claim(const struct gupb_case *c)
{
	return (double)(c->bytes / gupb_page_size());
}

static enum gupb_verdict check(struct gupb_case *c, char *why, size_t len)
{
	return c->fam->arg == GUPB_OP_WALK_AB ? kmod_ab_check(c, why, len) :
	       GUPB_RUN;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct km *k = c->priv;
	int v = key_index(c, GUPB_KEY_VARIANT, gupb_kmod_variants);

	memset(k, 0, sizeof(*k));
	k->op = c->fam->arg;
	k->variant = v < 0 ? GUPB_VARIANT_LIVE : v;
	v = key_index(c, GUPB_KEY_CONTENTION, contentions);
	k->contention = v < 0 ? GUPB_WATCH_NONE : watch_level[v];
	k->pages = c->bytes / gupb_page_size();
	k->r.addr = (unsigned long)c->buf.addr;
	k->r.len = c->bytes;
	k->r.op = (unsigned int)k->op;
	k->r.iterations = GUPB_BATCH;
	return k->op == GUPB_OP_WALK_AB ? kmod_ab_setup(c, why, len) :
	       kmod_ops_setup(c, why, len);
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

	if (k->op == GUPB_OP_WALK_AB)
		kmod_ab_begin(c);
	else
		kmod_ops_begin(c);
	memset(&k->churn, 0, sizeof(k->churn));
	if (!k->contention)
		return GUPB_RUN;
	if (churn_start(&k->churn, c->ctx, &c->buf, k->contention, why, len))
		return GUPB_SKIP;
	k->r.watch_level = (unsigned int)k->contention;
	k->r.watch_addr = (unsigned long)k->churn.addr;
	return GUPB_RUN;
}

int kmod_run_paused(struct gupb_case *c, struct gupb_run *r)
{
	int ret;

	gb_pause(c->st);
	ret = ioctl(c->ctx->kfd, GUPB_IOC_RUN, r) ? -errno : 0;
	gb_resume(c->st);
	return ret;
}

static int op(struct gupb_case *c)
{
	return ((struct km *)c->priv)->op == GUPB_OP_WALK_AB ? kmod_ab_op(c) :
	       kmod_ops_op(c);
}

static void counters(struct gb_state *st, struct gupb_case *c)
{
	struct km *k = c->priv;

	if (k->contention && !churn_end(st, &k->churn))
		return;
	if (k->op == GUPB_OP_WALK_AB)
		kmod_ab_counters(st, c);
	else
		kmod_ops_counters(st, c);
}

/* After counters, or a failed op: no churn left running. */
static void end(struct gupb_case *c)
{
	churn_stop(&((struct km *)c->priv)->churn);
}

static void teardown(struct gupb_case *c)
{
	struct km *k = c->priv;
	int v;

	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		free(k->per[v].v);
		free(k->vs_live[v].v);
	}
	free(k->all.v);
	free(k->pairs.v);
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
	if (ioctl(ctx->kfd, GUPB_IOC_RUN, &r)) {
		io->err = errno;
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

/* Opened in the probe phase (main.c): not run without it. */
static const char *prepare(struct gupb_ctx *ctx)
{
	return ctx->kfd < 0 ? ctx->kmod_why : NULL;
}

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
	.prepare = prepare,
	.accept = accept,
	.claim = claim,
	.check = check,
	.setup = setup,
	.prove = prove,
	.begin = begin,
	.op = op,
	.counters = counters,
	.end = end,
	.teardown = teardown,
};
GUPB_WORKLOAD(gupb_wl_kmod);
