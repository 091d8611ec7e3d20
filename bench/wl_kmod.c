// SPDX-License-Identifier: GPL-2.0
/*
 * wl_kmod.c - the companion module's timed loops and walk variants.
 *
 * Time is measured in the kernel per call (arch counter, kmod/main.c) and
 * handed to Google Benchmark as manual time: one benchmark iteration is
 * one ioctl of GUPB_BATCH calls and its time is the mean per call. Every
 * call's time comes back as a sample; the percentiles (ns_p50/p90/p99) are
 * computed here once per repetition over all of its samples, never as a
 * mean of the kernel's per-ioctl percentiles (see results/README.md). The
 * walk variants always run interleaved (ABAB...) in one ioctl; each
 * variant's benchmark reports its own share of that interleaved run.
 *
 * Contention variants run the same while a second thread keeps mapping,
 * touching and unmapping a page whose upper-level entry is the neighbour
 * of the walked one (next PMD entry, or next top-level entry): the kernel
 * keeps writing page-table entries in the cache line the walk reads, which
 * is where re-reading the live top-level entry could cost.
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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
static const char *const contention_names[] = { "none", "pmd", "pgd" };

static int kfd = -1;
static struct gupb_info info;
static char why_not[256];

struct kb {
	const struct gupb_config *cfg;
	char backing[16];
	int op;		/* GUPB_OP_* */
	int variant;	/* for GUPB_OP_WALK */
	size_t pages;	/* per call (walk: the whole buffer) */
	int contention;	/* 0 none, 1 neighbouring PMD entry, 2 top level */
};

struct churn {
	char *addr;		/* the neighbour page */
	int fixed;		/* inside our own reservation: MAP_FIXED */
	atomic_int stop;
	atomic_int go;		/* set once addr is chosen */
	unsigned long rounds;
	pthread_t thread;
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	size_t page = gupb_page_size();

	while (!atomic_load(&c->go) && !atomic_load(&c->stop))
		sched_yield();
	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		char *p = mmap(c->addr, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS |
			       (c->fixed ? MAP_FIXED : MAP_FIXED_NOREPLACE),
			       -1, 0);

		if (p == MAP_FAILED)
			break;
		p[0] = 1;	/* allocates the tables, writes the entries */
		munmap(p, page);	/* frees them again */
		c->rounds++;
	}
	return NULL;
}

static unsigned long churn_stop(struct churn *c)
{
	atomic_store(&c->stop, 1);
	pthread_join(c->thread, NULL);
	return c->rounds;
}

/* Start the neighbour churn for buffer b; NULL with why on failure. */
static int churn_start(struct churn *c, const struct gupb_buf *b, int kind,
		       char *why, size_t wl)
{
	size_t page = gupb_page_size(), span;
	unsigned long a = (unsigned long)b->addr, n;
	unsigned int shift = info.page_shift, lv = info.levels_runtime;
	int i;

	memset(c, 0, sizeof(*c));
	/*
	 * The thread first: its stack is mapped top-down and would land in
	 * the very hole the probe below finds free.
	 */
	if (pthread_create(&c->thread, NULL, churn_fn, c)) {
		snprintf(why, wl, "pthread_create failed");
		return -1;
	}
	if (kind == 1) {
		span = gupb_pmd_size();
	} else {
		/* Top level: page_shift + (page_shift - 3) * (levels - 1). */
		unsigned int s = shift + (shift - 3) * (lv - 1);

		if (s >= 63) {
			snprintf(why, wl, "no top-level neighbour here");
			return -1;
		}
		span = 1UL << s;
	}
	/*
	 * The first page of the next entry's range, or else (top of the
	 * address space, or taken) the last page of the previous one: either
	 * is a neighbour of the walked entry in the same table.
	 */
	c->addr = NULL;
	for (i = 0; i < 2 && !c->addr; i++) {
		char *p;

		n = i == 0 ? (a + b->len + span - 1) / span * span :
			     a / span * span - page;
		if (i == 1 && a / span * span < page)
			break;
		if (info.va_bits < 64 && n + page > (1UL << info.va_bits))
			continue;
		if (n >= (unsigned long)b->resv &&
		    n + page <= (unsigned long)b->resv + b->resv_len) {
			c->fixed = 1;	/* our own reservation */
			c->addr = (char *)n;
			break;
		}
		p = mmap((void *)n, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
			 MAP_FIXED_NOREPLACE, -1, 0);
		if (p == (char *)n) {
			munmap(p, page);
			c->addr = p;
		} else if (p != MAP_FAILED) {
			munmap(p, page);	/* old kernel: a hint only */
		}
	}
	if (!c->addr) {
		snprintf(why, wl, "no free neighbour of the %s entry (both taken or outside the %u-bit address space)",
			 kind == 1 ? "PMD" : "top-level", info.va_bits);
		churn_stop(c);
		return -1;
	}
	atomic_store(&c->go, 1);
	return 0;
}


/*
 * Values of one repetition (per-call times, paired differences), for
 * order statistics. Up to POOL_MAX are kept; past that, a uniform random
 * subset of that size (reservoir sampling, algorithm R), so that a long
 * repetition on fast hardware does not take gigabytes.
 */
#define POOL_MAX	(1U << 21)

struct pool {
	double *v;
	size_t n, cap, seen;
	unsigned long long rng;
};

/*
 * All of it up front (address space only until touched): growing it in
 * the timed loop would mmap, and a new mapping can take the very hole the
 * contention churn keeps mapping and unmapping.
 */
static int pool_reserve(struct pool *p)
{
	p->v = malloc((size_t)POOL_MAX * sizeof(*p->v));
	p->cap = p->v ? POOL_MAX : 0;
	return p->v ? 0 : -ENOMEM;
}

static int pool_add(struct pool *p, double x)
{
	if (p->n == p->cap && p->cap < POOL_MAX) {
		size_t cap = p->cap ? p->cap * 2 : 4096;
		double *nv = realloc(p->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		p->v = nv;
		p->cap = cap;
	}
	p->seen++;
	if (p->n < p->cap) {
		p->v[p->n++] = x;
		return 0;
	}
	/* xorshift64: fixed seed, so a run is reproducible. */
	p->rng = p->rng ? p->rng : 0x9e3779b97f4a7c15ULL;
	p->rng ^= p->rng << 13;
	p->rng ^= p->rng >> 7;
	p->rng ^= p->rng << 17;
	if (p->rng % p->seen < p->n)
		p->v[p->rng % p->seen] = x;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, the kernel's formula: sorted[min(n - 1, n * q / 100)]. */
static double pool_pct(const struct pool *p, unsigned int q)
{
	size_t i = p->n * q / 100;

	return p->v[i < p->n ? i : p->n - 1];
}

/*
 * Paired differences: sample i of two variants' rows comes from the same
 * round of one ioctl (the module rotates the order per round), so
 * this - live per round cancels drift that hits both. Their median and a
 * distribution-free 95% CI of it (order statistics n/2 -+ 0.98 sqrt(n)).
 */
static void deltas_report(struct gb_state *st, struct pool *d)
{
	double h = 0.98 * sqrt((double)d->n), lo, hi;
	size_t n = d->n;

	if (!n)
		return;
	qsort(d->v, n, sizeof(*d->v), cmp_double);
	lo = floor(n / 2.0 - h);
	hi = ceil(n / 2.0 + h);
	gb_counter(st, "walk_delta_vs_live_ns", n % 2 ? d->v[n / 2] :
		   (d->v[n / 2 - 1] + d->v[n / 2]) / 2, 0);
	gb_counter(st, "walk_delta_ci95_lo_ns", d->v[lo < 0 ? 0 : (size_t)lo], 0);
	gb_counter(st, "walk_delta_ci95_hi_ns",
		   d->v[hi > n - 1 ? n - 1 : (size_t)hi], 0);
	gb_counter(st, "walk_delta_pairs", (double)n, 0);
}

static int run_ioctl(struct gupb_run *r)
{
	return ioctl(kfd, GUPB_IOC_RUN, r) ? -errno : 0;
}

static int probe_op(void *arg)
{
	return run_ioctl(arg) ? -1 : 0;
}

static void bm_kmod(struct gb_state *st, void *arg)
{
	struct kb *k = arg;
	struct gupb_run r;
	struct gupb_stats *s, sum = { 0 };
	struct gupb_buf b;
	size_t len = k->pages * gupb_page_size();
	struct churn churn;
	struct pool all = { 0 }, pairs = { 0 };
	unsigned long long *rows = NULL;
	double ppm_weighted = 0, ppm_ktime = 0;
	char why[256];
	int ret = 0, v, i, row = 0;

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
	/* One row per selected variant; ours is its rank in the mask. */
	row = __builtin_popcount(r.variant_mask & ((1U << v) - 1));
	rows = calloc((size_t)GUPB_BATCH * (__builtin_popcount(r.variant_mask) + 1),
		      sizeof(*rows));
	if (!rows || pool_reserve(&all) || pool_reserve(&pairs)) {
		gb_error(st, "out of memory");
		goto out;
	}
	if (k->op == GUPB_OP_PIN_FAST || k->op == GUPB_OP_PIN_LONGTERM) {
		struct gupb_run probe = r;	/* the probe's results are not kept */
		double pins = gupb_pins_per_op(probe_op, &probe, 2);

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
	if (k->contention && churn_start(&churn, &b, k->contention, why,
					 sizeof(why))) {
		gb_skip(st, "%s", why);
		goto out;
	}
	while (gb_keep_running(st)) {
		r.samples = (unsigned long)rows;
		r.samples_cap = GUPB_BATCH;
		ret = run_ioctl(&r);
		if (ret) {
			gb_error(st, "GUPB_IOC_RUN: %s", strerror(-ret));
			break;
		}
		s = &r.stats[v];
		gb_set_iteration_time(st, (double)s->total_ns / s->calls * 1e-9);
		sum.calls += s->calls;
		sum.pages += s->pages;
		sum.short_returns += s->short_returns;
		sum.ns_min = sum.calls == s->calls || s->ns_min < sum.ns_min ?
			     s->ns_min : sum.ns_min;
		sum.ns_max = s->ns_max > sum.ns_max ? s->ns_max : sum.ns_max;
		if (r.samples_written != s->calls) {
			gb_error(st, "samples: %u written for %llu calls",
				 r.samples_written,
				 (unsigned long long)s->calls);
			ret = -EIO;
			break;
		}
		for (i = 0; !ret && i < (int)r.samples_written; i++) {
			unsigned long long *mine = rows + (size_t)row * GUPB_BATCH;

			ret = pool_add(&all, (double)mine[i]);
			/* This variant against live, round by round. */
			if (!ret && k->op == GUPB_OP_WALK &&
			    v != GUPB_VARIANT_LIVE &&
			    (r.variant_mask & (1U << GUPB_VARIANT_LIVE)))
				ret = pool_add(&pairs, (double)mine[i] -
					       (double)rows[i]);
		}
		if (ret) {
			gb_error(st, "out of memory");
			break;
		}
		/* Same two points for both clocks: weight by the region. */
		ppm_weighted += (double)s->clock_vs_ktime_ppm * s->ktime_ns;
		ppm_ktime += (double)s->ktime_ns;
		sum.total_ns += s->total_ns;
		sum.ktime_ns += s->ktime_ns;
		for (i = 0; i < GUPB_NR_PMU; i++)
			if (s->pmu_valid & (1U << i))
				sum.pmu[i] += s->pmu[i];
		sum.pmu_valid = s->pmu_valid;
	}
	if (k->contention) {
		unsigned long rounds = churn_stop(&churn);

		if (ret)
			goto out;
		if (!rounds) {
			/* Something else took the address: nothing measured. */
			gb_skip(st, "the neighbour churn could not run (mmap at %p refused)",
				(void *)churn.addr);
			goto out;
		}
		gb_counter(st, "churn_rounds", (double)rounds, GB_RATE);
	}
	if (ret)
		goto out;
	if (sum.calls && all.n) {
		static const char *const pmu[] = {
			"kpmu_cycles", "kpmu_instructions", "kpmu_l1d_misses",
			"kpmu_dtlb_misses" };

		/* Over every call of this repetition, from the samples. */
		qsort(all.v, all.n, sizeof(*all.v), cmp_double);
		gb_counter(st, "ns_min", (double)sum.ns_min, 0);
		gb_counter(st, "ns_p50", pool_pct(&all, 50), 0);
		gb_counter(st, "ns_p90", pool_pct(&all, 90), 0);
		gb_counter(st, "ns_p99", pool_pct(&all, 99), 0);
		gb_counter(st, "ns_max", (double)sum.ns_max, 0);
		deltas_report(st, &pairs);
		gb_counter(st, "calls", (double)sum.calls, 0);
		gb_counter(st, "pages_per_call",
			   (double)sum.pages / sum.calls, 0);
		gb_counter(st, "short_returns", (double)sum.short_returns, 0);
		/* The arch counter against ktime, same two points: 1 +- 1%. */
		if (ppm_ktime > 0)
			gb_counter(st, "clock_vs_ktime",
				   ppm_weighted / ppm_ktime * 1e-6, 0);
		for (i = 0; i < GUPB_NR_PMU; i++)
			if (sum.pmu_valid & (1U << i))
				gb_counter(st, pmu[i],
					   (double)sum.pmu[i] / sum.calls, 0);
	}
out:
	free(pairs.v);
	free(all.v);
	free(rows);
	gupb_buf_free(&b);
}

static int add(const struct gupb_config *cfg, int op, int variant,
	       const char *backing, size_t pages, int contention)
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
	k->contention = contention;
	snprintf(k->backing, sizeof(k->backing), "%s", backing);
	if (op == GUPB_OP_WALK)
		snprintf(name, sizeof(name), "kwalk/variant:%s/backing:%s/pages:%zu",
			 variant_names[variant], backing, pages);
	else
		snprintf(name, sizeof(name), "%s/backing:%s/pages:%zu",
			 op_names[op], backing, pages);
	if (contention)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 "/contention:%s", contention_names[contention]);
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
	gb_contextf("kmod_clock", "%s %llu Hz, %llu ns resolution, %llu ns empty call (in every ns_*)",
		    info.clock, (unsigned long long)info.clock_hz,
		    (unsigned long long)info.clock_res_ns,
		    (unsigned long long)info.clock_overhead_ns);
	for (i = 0; i < 3; i++)
		if (info.variants_valid & (1U << i))
			n += snprintf(v + n, sizeof(v) - n, "%s%s", n ? "," : "",
				      variant_names[i]);
	gb_context("kmod_walk_variants", v);
	gb_context("kmod_variants_differ", info.variants_differ ? "yes" :
		   "no: one walk (live) only, the kernel does not use the folded p4d helper here (5 levels or not arm64)");
	gb_context("kmod_folded_helper", info.folded_helper ? "yes" : "no");
}

/*
 * Without the module (or with one of another ABI) the whole family is
 * left out of the run, said once (notrun.h), not skipped per benchmark.
 */
static const char *unavailable(const struct gupb_config *cfg)
{
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
	return kfd < 0 ? why_not : NULL;
}

static int reg(const struct gupb_config *cfg)
{
	const struct gupb_profile *p = &cfg->profile;
	int s, b, op, v, c, ret;

	for (s = 0; s < p->nr_sizes; s++) {
		size_t pages = p->sizes[s] / gupb_page_size();

		if (!pages || pages > GUPB_MAX_PAGES_PER_CALL)
			continue;
		for (b = 0; gupb_backing_names[b]; b++) {
			if (!gupb_list_has(p->backings, gupb_backing_names[b]))
				continue;
			for (op = 0; op < 4; op++) {
				ret = add(cfg, op, 0, gupb_backing_names[b], pages, 0);
				if (ret)
					return ret;
			}
			for (v = 0; v < 3; v++) {
				if (kfd >= 0 && !(info.variants_valid & (1U << v)))
					continue;
				ret = add(cfg, GUPB_OP_WALK, v, gupb_backing_names[b],
					  pages, 0);
				if (ret)
					return ret;
			}
		}
		/* Under contention: anon, the walk variants and pin_fast. */
		for (c = 1; c <= 2; c++) {
			ret = add(cfg, GUPB_OP_PIN_FAST, 0, "anon", pages, c);
			for (v = 0; !ret && v < 3; v++)
				if (kfd < 0 || (info.variants_valid & (1U << v)))
					ret = add(cfg, GUPB_OP_WALK, v, "anon",
						  pages, c);
			if (ret)
				return ret;
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
	.unavailable_fn = unavailable,
};
