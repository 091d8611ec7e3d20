// SPDX-License-Identifier: GPL-2.0
/*
 * wl_alias.c - a correctness check, not a timing: does GUP-fast accept a
 * user address above the run-time VA size, and return another address's
 * pages for it?
 *
 * When an arm64 LPA2 kernel (VA_BITS 52) runs without FEAT_LPA2, the top
 * level is folded at run time and user space has 47 (16K) or 48 (4K) bits,
 * but TASK_SIZE_MAX and access_ok() still allow 52. The 6.12 GUP-fast walk
 * indexes the PGD with the build-time PTRS_PER_PGD and the folded level
 * realigns the pointer to its table page, dropping the bits in between:
 * X | 1 << 47 walks to X's pages (issue 14; configs/patches/0003 fixes
 * it). The hardware faults on such addresses, so only software walks are
 * affected.
 *
 * The check maps 64 KiB MAP_SHARED|MAP_ANONYMOUS at X, fills it with a
 * pattern, and tries every GUP-fast entry point user space can reach at
 * X | 1 << b for b from the run-time VA size to the architecture's largest
 * VA size - 1 (and a bit above), and at X with every bit between the
 * run-time VA size and the largest TASK_SIZE_MAX set (the highest alias
 * just below TASK_SIZE_MAX). The expected answer everywhere is a refusal
 * (EFAULT). Where an entry point accepts, the check looks for X's data:
 * vmsplice returns X's bytes, a shared FUTEX_WAKE wakes a waiter on X, an
 * O_DIRECT / io_uring read lands in X (not with null_blk, which moves no
 * data).
 *
 * The entry points are every registered workload's probe hooks (case.h:
 * a workload with a probe is checked with no edit here). Each first has
 * to accept X itself (baseline: its proof of path), or its refusals
 * would prove nothing. The probes run once, in the probe phase after
 * registration (alias_probe.c),
 * because the verdict goes into the JSON context, which is written before
 * any benchmark runs; each entry point's benchmark (one iteration, manual
 * time = its probes' wall time) carries the counters.
 *
 * kwalk is the module's own copy of the 6.12 walk: it does not call the
 * kernel's gup_fast_permitted(), so a fix there does not change it. It is
 * reported, but not counted in alias_accepted_above_va.
 */
#include <stdio.h>
#include <string.h>

#include "checks/alias.h"
#include "core/case.h"

/* entry: every workload's probe hooks (case.h). */
static const struct gupb_family families[] = {
	GUPB_FAMILY("alias", 0, NULL, GUPB_SWEEP(GUPB_KEY_ENTRY)),
	GUPB_FAMILY_END
};

/* The check's result, from the probe phase. */
static const struct alias_result *R;

/* The outcome of c's entry point. */
static const struct outcome *outcome(const struct gupb_case *c)
{
	static const struct outcome none = { .skipped = 1,
					     .why = "not probed" };
	size_t e;

	for (e = 0; R && e < R->nr_entries; e++)
		if (!strcmp(c->val[0], R->entry[e]->entry))
			return &R->out[e];
	return &none;
}

static enum gupb_verdict check(struct gupb_case *c, char *why, size_t len)
{
	const struct outcome *o = outcome(c);

	snprintf(why, len, "%s", o->why);
	return o->skipped ? GUPB_SKIP : GUPB_RUN;
}

/* The baseline: the entry point accepts X itself. */
static enum gupb_proof prove(struct gupb_case *c, char *why, size_t len)
{
	const struct outcome *o = outcome(c);

	snprintf(why, len, "%s %s", c->val[0], o->why);
	c->iter_seconds = o->seconds > 0 ? o->seconds : 1e-9;
	return o->baseline_ok ? GUPB_PROVEN : GUPB_REFUTED;
}

/* The probes' time, measured once in the probe phase. */
static int op(struct gupb_case *c)
{
	(void)c;
	return 0;
}

static void counters(struct gb_state *st, struct gupb_case *c)
{
	const struct outcome *o = outcome(c);
	int i, n = 0, conf = 0, lo = -1, hi = -1, top = 0;
	char label[256], nb[16];
	size_t l = 0;

	l += snprintf(label + l, sizeof(label) - l, "accepted:");
	for (i = 0; i < R->nr_probes; i++) {
		if (!o->accepted[i])
			continue;
		n++;
		conf |= o->confirmed[i];
		if (R->probes[i].bit < 0) {
			top = 1;
		} else {
			hi = R->probes[i].bit;
			if (lo < 0)
				lo = R->probes[i].bit;
		}
		if (l < sizeof(label))
			l += snprintf(label + l, sizeof(label) - l, " %s%s",
				      alias_probe_name(R, i, nb, sizeof(nb)),
				      o->confirmed[i] ? "(alias)" : "");
	}
	if (!n)
		snprintf(label, sizeof(label), "all %d refused (%s)", R->nr_probes,
			 R->nr_probes ? strerror(o->err[0]) : "nothing to probe");
	gb_set_label(st, label);
	gb_counter(st, GUPB_CTR_VA_BITS, R->va_bits, 0);
	gb_counter(st, GUPB_CTR_PROBES, R->nr_probes, 0);
	gb_counter(st, GUPB_CTR_ACCEPTED, n, 0);
	gb_counter(st, GUPB_CTR_ACCEPTED_MIN_BIT, lo, 0);
	gb_counter(st, GUPB_CTR_ACCEPTED_MAX_BIT, hi, 0);
	gb_counter(st, GUPB_CTR_ACCEPTED_TOP, top, 0);
	gb_counter(st, GUPB_CTR_ALIAS_CHECKABLE, o->checkable, 0);
	gb_counter(st, GUPB_CTR_ALIAS_CONFIRMED, conf, 0);
	gb_counter(st, GUPB_CTR_BASELINE_OK, o->baseline_ok, 0);
}

/* The verdict per run, in the context (written before any run). */
static void set_context(void)
{
	char acc[256] = "", conf[128] = "", skip[256] = "", bits[160] = "";
	char kw[8] = "n/a", nb[16];
	size_t la = 0, lc = 0, ls = 0, lb = 0, e;
	int i;

	for (i = 0; i < R->nr_probes; i++)
		lb += snprintf(bits + lb, sizeof(bits) - lb, "%s%s", i ? "," : "",
			       alias_probe_name(R, i, nb, sizeof(nb)));
	for (e = 0; e < R->nr_entries; e++) {
		const struct outcome *o = &R->out[e];
		const char *name = R->entry[e]->entry;
		int any = 0, c = 0;

		if (o->skipped || !o->baseline_ok) {
			if (ls < sizeof(skip))
				ls += snprintf(skip + ls, sizeof(skip) - ls, "%s%s",
					       ls ? "," : "", name);
			continue;
		}
		for (i = 0; i < R->nr_probes; i++) {
			any |= o->accepted[i];
			c |= o->confirmed[i];
		}
		if (R->entry[e]->flags & GUPB_PROBE_OWN_WALK) {
			snprintf(kw, sizeof(kw), "%s", any ? "yes" : "no");
			continue;
		}
		if (any && la < sizeof(acc))
			la += snprintf(acc + la, sizeof(acc) - la, "%s%s",
				       la ? "," : "", name);
		if (c && lc < sizeof(conf))
			lc += snprintf(conf + lc, sizeof(conf) - lc, "%s%s",
				       lc ? "," : "", name);
	}
	gb_contextf(GUPB_CTX_ALIAS_VA_BITS_RUNTIME, "%u", R->va_bits);
	gb_contextf(GUPB_CTX_ALIAS_VA_BITS_SOURCE, "%s", R->va_source);
	if (R->kmod_va_bits >= 0)
		gb_contextf(GUPB_CTX_ALIAS_VA_BITS_KMOD, "%d", R->kmod_va_bits);
	gb_contextf(GUPB_CTX_ALIAS_PROBE_BITS, "%s", R->nr_probes ? bits : "none");
	gb_context(GUPB_CTX_ALIAS_ACCEPTED_ABOVE_VA, la ? "yes" : "no");
	gb_context(GUPB_CTX_ALIAS_ENTRY_POINTS_ACCEPTED, la ? acc : "none");
	gb_context(GUPB_CTX_ALIAS_CONFIRMED, lc ? "yes" : "no");
	gb_context(GUPB_CTX_ALIAS_CONFIRMED_BY, lc ? conf : "none");
	gb_context(GUPB_CTX_ALIAS_KWALK_ACCEPTED, kw);
	gb_context(GUPB_CTX_ALIAS_ENTRY_POINTS_NOT_CHECKED, ls ? skip : "none");
}

/* The probe phase: the check runs here, once. */
static const char *prepare(struct gupb_ctx *ctx)
{
	R = alias_run(ctx);
	set_context();
	return NULL;
}

static const struct gupb_wl alias = {
	.name = "alias",
	.summary = "correctness: GUP-fast must refuse user addresses above the run-time VA size",
	.order = 70,
	.families = families,
	.gb = { .manual_time = true, .iterations = 1, .repetitions = 1 },
	.no_buffer = true,
	.op_name = "alias",
	.prepare = prepare,
	.check = check,
	.prove = prove,
	.op = op,
	.counters = counters,
	.fini = alias_unmap,
};
GUPB_WORKLOAD(alias);
