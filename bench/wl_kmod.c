// SPDX-License-Identifier: GPL-2.0
/*
 * wl_kmod.c - the companion module's timed loops and walk variants.
 *
 * Time is measured in the kernel per call (arch counter, kmod/main.c) and
 * handed to Google Benchmark as manual time: one benchmark iteration is
 * one ioctl of GUPB_BATCH calls and its time is the mean per call. The
 * walk variants always run interleaved (ABAB...) in one ioctl; each
 * variant's benchmark reports its own share of that interleaved run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "profile.h"
#include "uapi/gupbench.h"
#include "vmstat.h"

#define GUPB_BATCH 64

static const char *const op_names[] = {
	"kmod_gup_fast", "kmod_pin_fast", "kmod_pin_longterm",
	"kmod_gup_fast_only",
};
static const char *const variant_names[] = { "live", "stack", "generic" };

static int kfd = -1;
static struct gupb_info info;
static char why_not[256];

struct kb {
	const struct gupb_config *cfg;
	char backing[16];
	int op;		/* GUPB_OP_* */
	int variant;	/* for GUPB_OP_WALK */
	size_t pages;	/* per call (walk: the whole buffer) */
};

static int run_ioctl(struct gupb_run *r)
{
	return ioctl(kfd, GUPB_IOC_RUN, r) ? -errno : 0;
}

struct pin_probe {
	struct gupb_run r;
};

static int probe_op(void *arg)
{
	struct pin_probe *p = arg;

	return run_ioctl(&p->r) ? -1 : 0;
}

static void bm_kmod(struct gb_state *st, void *arg)
{
	struct kb *k = arg;
	struct gupb_run r;
	struct gupb_stats *s, sum = { 0 };
	struct gupb_buf b;
	size_t len = k->pages * gupb_page_size();
	char why[256];
	int ret, v;

	if (kfd < 0) {
		gb_skip(st, "module not available: %s", why_not);
		return;
	}
	if (gupb_buf_alloc(&b, k->backing, "inside", len, k->cfg->tmpdir,
			   why, sizeof(why))) {
		gb_skip(st, "%s", why);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.addr = (unsigned long)b.addr;
	r.len = len;
	r.op = (unsigned int)k->op;
	r.iterations = GUPB_BATCH;
	if (k->op == GUPB_OP_WALK) {
		/* Interleave with every variant that is safe here. */
		r.variant_mask = info.variants_valid;
		v = k->variant;
	} else {
		r.nr_pages = (unsigned int)k->pages;
		r.flags = GUPB_F_WRITE;
		v = 0;
	}
	if (k->op == GUPB_OP_PIN_FAST || k->op == GUPB_OP_PIN_LONGTERM) {
		struct pin_probe p = { .r = r };
		double pins = gupb_pins_per_op(probe_op, &p, 2);

		if (pins == -2) {
			gb_skip(st, "%s refused: %s", op_names[k->op],
				strerror(errno));
			goto out;
		}
		if (!gupb_pins_match(pins, (double)(GUPB_BATCH * k->pages),
				     why, sizeof(why))) {
			gb_error(st, "proof of path failed: %s", why);
			goto out;
		}
		gb_counter(st, "pins_per_call", pins / GUPB_BATCH,
			   GB_COUNTER_DEFAULT);
	}
	while (gb_keep_running(st)) {
		ret = run_ioctl(&r);
		if (ret) {
			gb_error(st, "GUPB_IOC_RUN: %s", strerror(-ret));
			goto out;
		}
		s = &r.stats[v];
		gb_set_iteration_time(st, (double)s->total_ns / s->calls * 1e-9);
		sum.calls += s->calls;
		sum.pages += s->pages;
		sum.short_returns += s->short_returns;
		sum.ns_min = sum.calls == s->calls || s->ns_min < sum.ns_min ?
			     s->ns_min : sum.ns_min;
		sum.ns_max = s->ns_max > sum.ns_max ? s->ns_max : sum.ns_max;
		/* Percentiles: mean over batches of each batch's value. */
		sum.ns_p50 += s->ns_p50;
		sum.ns_p90 += s->ns_p90;
		sum.ns_p99 += s->ns_p99;
		sum.total_ns += s->total_ns;
		sum.ktime_ns += s->ktime_ns;
		for (ret = 0; ret < GUPB_NR_PMU; ret++)
			if (s->pmu_valid & (1U << ret))
				sum.pmu[ret] += s->pmu[ret];
		sum.pmu_valid = s->pmu_valid;
	}
	if (sum.calls) {
		static const char *const pmu[] = {
			"kpmu_cycles", "kpmu_instructions", "kpmu_l1d_misses",
			"kpmu_dtlb_misses" };
		double batches = (double)sum.calls / GUPB_BATCH;

		gb_counter(st, "ns_min", (double)sum.ns_min, 0);
		gb_counter(st, "ns_p50", sum.ns_p50 / batches, 0);
		gb_counter(st, "ns_p90", sum.ns_p90 / batches, 0);
		gb_counter(st, "ns_p99", sum.ns_p99 / batches, 0);
		gb_counter(st, "ns_max", (double)sum.ns_max, 0);
		gb_counter(st, "calls", (double)sum.calls, 0);
		gb_counter(st, "pages_per_call",
			   (double)sum.pages / sum.calls, 0);
		gb_counter(st, "short_returns", (double)sum.short_returns, 0);
		/* The arch counter against ktime over the same calls. */
		if (k->op != GUPB_OP_WALK)
			gb_counter(st, "clock_vs_ktime",
				   (double)sum.total_ns / sum.ktime_ns, 0);
		for (ret = 0; ret < GUPB_NR_PMU; ret++)
			if (sum.pmu_valid & (1U << ret))
				gb_counter(st, pmu[ret],
					   (double)sum.pmu[ret] / sum.calls, 0);
	}
out:
	gupb_buf_free(&b);
}

static int add(const struct gupb_config *cfg, int op, int variant,
	       const char *backing, size_t pages)
{
	struct gb_opts opts = { .manual_time = true };
	struct kb *k = calloc(1, sizeof(*k));
	char name[160];

	if (!k)
		return -ENOMEM;
	k->cfg = cfg;
	k->op = op;
	k->variant = variant;
	k->pages = pages;
	snprintf(k->backing, sizeof(k->backing), "%s", backing);
	if (op == GUPB_OP_WALK)
		snprintf(name, sizeof(name), "kwalk/variant:%s/backing:%s/pages:%zu",
			 variant_names[variant], backing, pages);
	else
		snprintf(name, sizeof(name), "%s/backing:%s/pages:%zu",
			 op_names[op], backing, pages);
	return gb_register(name, bm_kmod, k, &opts);
}

static void set_context(void)
{
	char v[64];
	int i, n = 0;

	if (kfd < 0) {
		gb_contextf("kmod", "unavailable: %s", why_not);
		gb_context("pgtable_l4_enabled", "unknown");
		gb_context("pgtable_l5_enabled", "unknown");
		gb_context("pgtable_levels_runtime", "unknown");
		return;
	}
	gb_contextf("kmod", "loaded (abi %u)", info.abi_version);
	gb_contextf("pgtable_l4_enabled", "%u", info.l4_enabled);
	gb_contextf("pgtable_l5_enabled", "%u", info.l5_enabled);
	gb_contextf("pgtable_levels_runtime", "%u", info.levels_runtime);
	gb_contextf("kmod_va_bits", "%u", info.va_bits);
	gb_contextf("kmod_clock", "%s %llu Hz, %llu ns resolution", info.clock,
		    (unsigned long long)info.clock_hz,
		    (unsigned long long)info.clock_res_ns);
	for (i = 0; i < 3; i++)
		if (info.variants_valid & (1U << i))
			n += snprintf(v + n, sizeof(v) - n, "%s%s", n ? "," : "",
				      variant_names[i]);
	gb_context("kmod_walk_variants", v);
	gb_context("kmod_variants_differ", info.variants_differ ? "yes" :
		   "no: live, stack and generic are the same walk here");
	gb_context("kmod_folded_helper", info.folded_helper ? "yes" : "no");
}

static int reg(const struct gupb_config *cfg)
{
	static const char *const backings[] = {
		"anon", "thp", "hugetlb", "shmem", "file" };
	const struct gupb_profile *p = &cfg->profile;
	int s, b, op, v, ret;

	kfd = open(cfg->kmod_dev, O_RDWR | O_CLOEXEC);
	if (kfd < 0) {
		const char *env = getenv("GUPB_KMOD_WHY");

		snprintf(why_not, sizeof(why_not), "%s: %s%s%s", cfg->kmod_dev,
			 strerror(errno), env ? "; " : "", env ? env : "");
	} else if (ioctl(kfd, GUPB_IOC_INFO, &info) ||
		   info.abi_version != GUPB_ABI_VERSION) {
		snprintf(why_not, sizeof(why_not),
			 "module ABI %u, this build expects %u",
			 info.abi_version, GUPB_ABI_VERSION);
		close(kfd);
		kfd = -1;
	}
	set_context();
	for (s = 0; s < p->nr_sizes; s++) {
		size_t pages = p->sizes[s] / gupb_page_size();

		if (!pages || pages > GUPB_MAX_PAGES_PER_CALL)
			continue;
		for (b = 0; b < 5; b++) {
			if (!gupb_list_has(p->backings, backings[b]))
				continue;
			for (op = 0; op < 4; op++) {
				ret = add(cfg, op, 0, backings[b], pages);
				if (ret)
					return ret;
			}
			for (v = 0; v < 3; v++) {
				if (kfd >= 0 && !(info.variants_valid & (1U << v)))
					continue;
				ret = add(cfg, GUPB_OP_WALK, v, backings[b],
					  pages);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

static void cleanup(void)
{
	if (kfd >= 0)
		close(kfd);
	kfd = -1;
}

const struct gupb_workload gupb_wl_kmod = {
	.name = "kmod",
	.summary = "gupbench.ko: in-kernel timed GUP loops and walk variants",
	.register_fn = reg,
	.cleanup_fn = cleanup,
};
