// SPDX-License-Identifier: GPL-2.0
/*
 * case.c - the case driver (case.h): sweep expansion, benchmark names,
 * one set-up per benchmark, proof verdicts, the timed loop, the standard
 * counters.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/case.h"
#include "core/ctx.h"
#include "core/notrun.h"
#include "core/profile.h"
#include "sys/clock.h"
#include "sys/vmstat.h"

enum gupb_verdict gupb_proof_verdict(enum gupb_proof p, const char *why,
				     char *msg, size_t len)
{
	switch (p) {
	case GUPB_PROVEN:
		snprintf(msg, len, "%s", why);
		return GUPB_RUN;
	case GUPB_INCONCLUSIVE:
		snprintf(msg, len, "cannot prove the path on a busy machine: %s",
			 why);
		return GUPB_SKIP;
	case GUPB_OP_FAILED:
		snprintf(msg, len, "%s", why);
		return GUPB_ERROR;
	case GUPB_REFUTED:
	default:
		snprintf(msg, len, "proof of path failed: %s", why);
		return GUPB_ERROR;
	}
}

/* --- expansion and names --- */

struct sweep {
	const struct gupb_wl *wl;
	struct gupb_ctx *ctx;
	int (*fn)(struct gupb_case *c, void *arg);
	void *arg;
	size_t only_bytes;	/* this pass's size */
	struct gupb_case c;
};

static int emit(struct sweep *sw, const struct gupb_family *f)
{
	struct gupb_case *c = &sw->c;
	size_t page = gupb_page_size(), n;
	int i;

	snprintf(c->backing, sizeof(c->backing), "anon");
	snprintf(c->layout, sizeof(c->layout), "inside");
	c->bytes = 0;
	c->qd = 1;
	n = (size_t)snprintf(c->name, sizeof(c->name), "%s", f->name);
	for (i = 0; i < c->nr_keys; i++) {
		const char *k = c->key[i], *v = c->val[i];

		if (!strcmp(k, GUPB_KEY_BACKING))
			snprintf(c->backing, sizeof(c->backing), "%s", v);
		else if (!strcmp(k, GUPB_KEY_LAYOUT))
			snprintf(c->layout, sizeof(c->layout), "%s", v);
		else if (!strcmp(k, GUPB_KEY_BYTES))
			c->bytes = strtoull(v, NULL, 10);
		else if (!strcmp(k, GUPB_KEY_PAGES))
			c->bytes = strtoull(v, NULL, 10) * page;
		else if (!strcmp(k, GUPB_KEY_QD))
			c->qd = strtol(v, NULL, 10);
		if (n < sizeof(c->name))
			n += (size_t)snprintf(c->name + n, sizeof(c->name) - n,
					      "/%s:%s", k, v);
	}
	if (n >= sizeof(c->name))
		return -ENAMETOOLONG;
	/* One page cannot straddle anything. */
	if (strcmp(c->layout, "inside") && c->bytes && c->bytes < 2 * page)
		return 0;
	c->fam = f;
	if (sw->wl->accept && !sw->wl->accept(c))
		return 0;
	return sw->fn(c, sw->arg);
}

static int expand(struct sweep *sw, const struct gupb_family *f, int i);

/* The profile's sizes, in bytes or in pages. */
static bool is_size_key(const char *key)
{
	return !strcmp(key, GUPB_KEY_BYTES) || !strcmp(key, GUPB_KEY_PAGES);
}

static int with(struct sweep *sw, const struct gupb_family *f, int i,
		const char *v)
{
	snprintf(sw->c.val[i], sizeof(sw->c.val[i]), "%s", v);
	return expand(sw, f, i + 1);
}

static int expand(struct sweep *sw, const struct gupb_family *f, int i)
{
	const struct gupb_profile *p = &sw->ctx->cfg.profile;
	const struct gupb_axis *a = &f->axes[i];
	const char *const *names = NULL;
	long v[GUPB_MAX_LIST];
	char num[32];
	int j, n, ret = 0;

	if (i >= GUPB_MAX_KEYS || !a->key) {
		sw->c.nr_keys = i;
		return emit(sw, f);
	}
	sw->c.key[i] = a->key;
	if (a->fixed)
		return with(sw, f, i, a->fixed);
	if (a->values || !strcmp(a->key, GUPB_KEY_BACKING) ||
	    !strcmp(a->key, GUPB_KEY_LAYOUT) || !strcmp(a->key, GUPB_KEY_ENTRY)) {
		const char *list = NULL;

		if (a->values)
			names = a->values;
		else if (!strcmp(a->key, GUPB_KEY_ENTRY))
			names = gupb_probe_entries();
		else if (!strcmp(a->key, GUPB_KEY_BACKING))
			names = gupb_backing_names, list = p->backings;
		else
			names = gupb_layout_names, list = p->layouts;
		for (j = 0; !ret && names[j]; j++)
			if (!list || gupb_list_has(list, names[j]))
				ret = with(sw, f, i, names[j]);
		return ret;
	}
	if (is_size_key(a->key)) {
		if (sw->only_bytes % gupb_page_size())
			return 0;
		snprintf(num, sizeof(num), "%zu", strcmp(a->key, GUPB_KEY_PAGES) ?
			 sw->only_bytes : sw->only_bytes / gupb_page_size());
		return with(sw, f, i, num);
	}
	n = gupb_opt_get(sw->ctx, sw->wl, a->key, v, GUPB_MAX_LIST);
	if (n < 0)
		return -EINVAL;
	for (j = 0; !ret && j < n; j++) {
		snprintf(num, sizeof(num), "%ld", v[j]);
		ret = with(sw, f, i, num);
	}
	return ret;
}

static bool sweeps_bytes(const struct gupb_family *f)
{
	int i;

	for (i = 0; i < GUPB_MAX_KEYS && f->axes[i].key; i++)
		if (is_size_key(f->axes[i].key))
			return !f->axes[i].fixed && !f->axes[i].values;
	return false;
}

/* Size-major, as the suite always ran: one size's families together. */
int gupb_expand(const struct gupb_wl *wl, struct gupb_ctx *ctx,
		int (*fn)(struct gupb_case *c, void *arg), void *arg)
{
	const struct gupb_profile *p = &ctx->cfg.profile;
	struct sweep sw = { .wl = wl, .ctx = ctx, .fn = fn, .arg = arg };
	const struct gupb_family *f;
	int s, ret = 0;

	sw.c.wl = wl;
	sw.c.ctx = ctx;
	for (s = 0; !ret && s < p->nr_sizes; s++) {
		sw.only_bytes = p->sizes[s];
		for (f = wl->families; !ret && f->name; f++)
			if (sweeps_bytes(f))
				ret = expand(&sw, f, 0);
	}
	for (f = wl->families; !ret && f->name; f++)
		if (!sweeps_bytes(f))
			ret = expand(&sw, f, 0);
	return ret;
}

/* --- one benchmark: set-up once, proof, loop, counters --- */

/* The benchmark whose set-up is kept: released when the next starts. */
static struct gupb_case *live;

static void release(struct gupb_case *c)
{
	if (c->state != GUPB_CASE_READY)
		return;
	if (c->wl->teardown)
		c->wl->teardown(c);
	if (!c->wl->no_buffer)
		gupb_buf_free(&c->buf);
	c->state = GUPB_CASE_NEW;	/* set up again if it runs again */
}

void gupb_case_release(void *unused)
{
	(void)unused;
	if (live)
		release(live);
	live = NULL;
}

static void fail(struct gupb_case *c, enum gupb_verdict v, const char *msg)
{
	release(c);
	c->state = v == GUPB_SKIP ? GUPB_CASE_SKIP : GUPB_CASE_ERROR;
	snprintf(c->msg, sizeof(c->msg), "%s", msg);
}

/* Run op for c->warmup_ms: lazily started workers (io-wq) get going. */
static int warm_up(struct gupb_case *c)
{
	double t0 = gupb_now();

	do {
		if (c->wl->op(c))
			return -1;
	} while ((gupb_now() - t0) * 1000 < c->warmup_ms);
	return 0;
}

static int op_arg(void *arg)
{
	struct gupb_case *c = arg;

	return c->wl->op(c);
}

/* The default proof: op pins what the case claims (/proc/vmstat). */
static enum gupb_proof prove_pins(struct gupb_case *c, char *why, size_t len)
{
	enum gupb_proof p = gupb_pins_prove(op_arg, c, c->wl->pin_rounds,
					    c->claim, &c->measured, why, len);

	if (p == GUPB_OP_FAILED)
		snprintf(why, len, "%s: %s", c->wl->op_name, strerror(c->err));
	return p;
}

static void set_up(struct gupb_case *c)
{
	const struct gupb_wl *wl = c->wl;
	enum gupb_verdict v = GUPB_RUN;
	char why[256] = "", msg[320];
	size_t len = wl->buf_bytes ? wl->buf_bytes(c) : c->bytes;

	if (wl->check)
		v = wl->check(c, why, sizeof(why));
	if (v == GUPB_RUN && !wl->no_buffer &&
	    gupb_buf_alloc(&c->buf, c->backing, c->layout, len,
			   c->ctx->cfg.tmpdir, why, sizeof(why)))
		v = GUPB_SKIP;
	if (v != GUPB_RUN) {
		fail(c, v, why);
		return;
	}
	c->state = GUPB_CASE_READY;	/* from here, release() undoes */
	if (wl->setup)
		v = wl->setup(c, why, sizeof(why));
	snprintf(msg, sizeof(msg), "%s", why);
	if (v == GUPB_RUN && (wl->prove || wl->pin_rounds))
		v = gupb_proof_verdict(wl->prove ? wl->prove(c, why, sizeof(why)) :
				       prove_pins(c, why, sizeof(why)), why,
				       msg, sizeof(msg));
	if (v == GUPB_RUN && c->warmup_ms && warm_up(c)) {
		snprintf(msg, sizeof(msg), "warm-up: %s: %s", wl->op_name,
			 strerror(c->err));
		v = GUPB_ERROR;
	}
	if (v != GUPB_RUN)
		fail(c, v, msg);
}

static void counters(struct gb_state *st, struct gupb_case *c)
{
	int64_t n = gb_iterations(st);
	char name[64];

	if (c->fam->claim) {
		gb_counter(st, c->fam->claim, c->measured, GB_COUNTER_DEFAULT);
		snprintf(name, sizeof(name), GUPB_CLAIM_PREFIX "%s",
			 c->fam->claim);
		gb_counter(st, name, c->claim, GB_COUNTER_DEFAULT);
	}
	if (c->bytes_per_op)
		gb_set_bytes_processed(st, n * c->bytes_per_op);
	if (c->items_per_op)
		gb_set_items_processed(st, n * c->items_per_op);
	if (c->wl->counters)
		c->wl->counters(st, c);
}

/* A run that cannot start skips or fails alone: the next may. 0: go. */
static int begin(struct gb_state *st, struct gupb_case *c)
{
	char why[256] = "";
	enum gupb_verdict v = c->wl->begin(c, why, sizeof(why));

	if (v == GUPB_SKIP)
		gb_skip(st, "%s", why);
	else if (v == GUPB_ERROR)
		gb_error(st, "%s", why);
	return v != GUPB_RUN;
}

static void bm_case(struct gb_state *st, void *arg)
{
	struct gupb_case *c = arg;
	const struct gupb_wl *wl = c->wl;

	if (live != c) {
		if (live)
			release(live);
		live = c;
		if (c->state == GUPB_CASE_NEW)
			set_up(c);
	}
	if (c->state == GUPB_CASE_SKIP) {
		gb_skip(st, "%s", c->msg);
		return;
	}
	if (c->state == GUPB_CASE_ERROR) {
		gb_error(st, "%s", c->msg);
		return;
	}
	c->st = st;
	if (wl->begin && begin(st, c))
		return;
	while (gb_keep_running(st)) {
		if (__builtin_expect(wl->op(c), 0)) {
			char msg[320];

			snprintf(msg, sizeof(msg), "%s: %s", wl->op_name,
				 strerror(c->err));
			gb_error(st, "%s", msg);
			if (wl->end)
				wl->end(c);
			fail(c, GUPB_ERROR, msg);
			return;
		}
		if (wl->gb.manual_time)
			gb_set_iteration_time(st, c->iter_seconds);
	}
	counters(st, c);
	if (wl->end)
		wl->end(c);
}

/* The registered benchmarks, in order: named, not yet published. */
static struct gupb_case **cases;
static size_t nr_cases, cap_cases;
/* The registered workloads; dropped: the probe phase left it out. */
static struct {
	const struct gupb_wl *wl;
	bool dropped;
} regd[64];
static size_t nr_regd;

static int register_case(struct gupb_case *tmpl, void *arg)
{
	struct gupb_case *c = malloc(sizeof(*c)), **n;

	(void)arg;
	if (!c)
		return -ENOMEM;
	if (nr_cases == cap_cases) {
		cap_cases = cap_cases ? 2 * cap_cases : 256;
		n = realloc(cases, cap_cases * sizeof(*cases));
		if (!n) {
			free(c);
			return -ENOMEM;
		}
		cases = n;
	}
	*c = *tmpl;
	c->state = GUPB_CASE_NEW;
	c->priv = c->wl->priv_size ? calloc(1, c->wl->priv_size) : NULL;
	if (c->wl->priv_size && !c->priv)
		return -ENOMEM;
	c->claim = c->wl->claim ? c->wl->claim(c) : 0;
	/* Lives as long as the registration: until the process exits. */
	cases[nr_cases++] = c;
	return 0;
}

int gupb_case_key_index(const struct gupb_case *c, const char *key,
			const char *const *names)
{
	int i, j;

	for (i = 0; i < c->nr_keys; i++)
		for (j = 0; !strcmp(c->key[i], key) && names[j]; j++)
			if (!strcmp(c->val[i], names[j]))
				return j;
	return -1;
}

static void run_fini(void *arg)
{
	const struct gupb_wl *wl = arg;

	wl->fini();
}

int gupb_register_wl(const struct gupb_wl *wl, struct gupb_ctx *ctx)
{
	const char *why;

	why = wl->absent ? wl->absent(ctx) : NULL;
	if (why) {
		gupb_not_run(wl->name, why);
		return 0;
	}
	if (nr_regd == sizeof(regd) / sizeof(regd[0]))
		return -ENOSPC;
	regd[nr_regd].wl = wl;
	regd[nr_regd++].dropped = false;
	return gupb_expand(wl, ctx, register_case, NULL);
}

void gupb_prepare_all(struct gupb_ctx *ctx)
{
	const struct gupb_wl *wl;
	const char *why;
	size_t i;

	for (i = 0; i < nr_regd; i++) {
		wl = regd[i].wl;
		if (wl->fini)
			gupb_cleanup_add(run_fini, (void *)wl, false);
		why = wl->prepare ? wl->prepare(ctx) : NULL;
		if (why) {
			gupb_not_run(wl->name, why);
			regd[i].dropped = true;
		}
	}
}

static bool dropped(const struct gupb_wl *wl)
{
	size_t i;

	for (i = 0; i < nr_regd; i++)
		if (regd[i].wl == wl)
			return regd[i].dropped;
	return true;
}

int gupb_publish(void)
{
	struct gupb_case *c;
	size_t i;
	int ret;

	for (i = 0; i < nr_cases; i++) {
		c = cases[i];
		if (dropped(c->wl) || (c->wl->accept && !c->wl->accept(c)))
			continue;
		ret = gb_register(c->name, bm_case, c, &c->wl->gb);
		if (ret)
			return ret;
	}
	return 0;
}
