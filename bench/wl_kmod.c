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
 * variant's benchmark (kwalk/variant:V) reports its own share of that
 * interleaved run.
 *
 * kwalk_ab holds all variants of one run in one benchmark, so that the
 * pairing survives: the module times batches of K walks per variant in
 * one irqs-off round (order rotated per round) with kernel-mode PMU
 * cycles where there are any (the arch counter otherwise, and the result
 * says which: walk_clock, the label); the per-round differences against
 * live are kept here, and their median and CI are the walk_delta_*.
 *
 * The harness's own user-space perf events (gb_pause) are off during each
 * ioctl: they would share the PMU with the module's counters (multiplexing
 * them) and count the module's work as the harness's.
 *
 * Contention variants run the same while a second thread keeps mapping,
 * touching and unmapping a page whose entry (a PMD entry, or a top-level
 * one) shares the 64-byte line of the entry the walk reads: in a range no
 * other mapping shares, so that munmap frees the table below the entry and
 * the kernel writes the entry twice a round (clear, populate). Where a
 * level is folded at run time the walk reads and re-reads top-level entry
 * 0 for every address: that is the entry churned there. The result proves
 * it (churn_same_line, from the entry addresses the module reports; the
 * module's reads of the churned entry that saw it change, churn_seen) and
 * counts the reloads of the top-level entry that differed from the first
 * read (reload_mismatch).
 */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <pthread.h>
#include <time.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buffers.h"
#include "suite.h"
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
	int contention;	/* 0 none, GUPB_WATCH_PMD, GUPB_WATCH_TOP */
};

struct churn {
	char *addr;		/* the neighbour page */
	atomic_int stop;
	atomic_int go;		/* set once addr is chosen */
	atomic_ulong rounds;
	atomic_int err;		/* errno of a failed mmap */
	pthread_t thread;
	unsigned long walked, churned;	/* entries' kernel addresses */
};

static void *churn_fn(void *arg)
{
	struct churn *c = arg;
	size_t page = gupb_page_size();

	while (!atomic_load(&c->go) && !atomic_load(&c->stop))
		sched_yield();
	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		char *p = mmap(c->addr, page, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p != c->addr) {
			atomic_store(&c->err, p == MAP_FAILED ? errno : EEXIST);
			if (p != MAP_FAILED)	/* old kernel: a hint only */
				munmap(p, page);
			break;
		}
		p[0] = 1;	/* allocates the tables: populates the entry */
		munmap(p, page);	/* frees them: clears the entry */
		atomic_fetch_add_explicit(&c->rounds, 1, memory_order_relaxed);
	}
	return NULL;
}

static unsigned long churn_stop(struct churn *c)
{
	atomic_store(&c->stop, 1);
	pthread_join(c->thread, NULL);
	return atomic_load(&c->rounds);
}

/* Kernel addresses of the entries of user address a (GUPB_IOC_ENTRIES). */
static int entries_of(unsigned long a, struct gupb_entries *e)
{
	memset(e, 0, sizeof(*e));
	e->addr = a;
	return ioctl(kfd, GUPB_IOC_ENTRIES, e) ? -errno : 0;
}

/* No mapping at all in [lo, hi) (/proc/self/maps)? */
static int range_free(unsigned long lo, unsigned long hi)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long s, e;
	char line[512];
	int ok = f != NULL;

	while (ok && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s < hi && e > lo)
			ok = 0;
	if (f)
		fclose(f);
	return ok;
}

/*
 * Start the neighbour churn for buffer b at level kind (GUPB_WATCH_*);
 * -1 with why on failure. The churned page is in the middle of the range
 * of an entry that (a) is not the one over the buffer (its tables stay),
 * (b) shares the 64-byte line of the entry the walk reads (by the kernel
 * addresses the module reports), and (c) has no mapping in its whole
 * range, so that munmap frees the table below it and the entry is written
 * again every round.
 */
static int churn_start(struct churn *c, const struct gupb_buf *b, int kind,
		       char *why, size_t wl)
{
	unsigned long a = (unsigned long)b->addr, span, top, base, n, p;
	unsigned int shift = info.page_shift, lv = info.levels_runtime, s;
	struct gupb_entries ea, en;
	long j, first, last;

	memset(c, 0, sizeof(*c));
	/*
	 * The thread first: its stack is mapped top-down and would land in
	 * the very range the search below finds free.
	 */
	if (pthread_create(&c->thread, NULL, churn_fn, c)) {
		snprintf(why, wl, "pthread_create failed");
		return -1;
	}
	s = kind == GUPB_WATCH_PMD ? 2 * shift - 3 : shift + (shift - 3) * (lv - 1);
	top = info.va_bits < 64 ? 1UL << info.va_bits : ~0UL;
	if (s >= 63 || entries_of(a, &ea)) {
		snprintf(why, wl, "no entries of the buffer here (%s)",
			 strerror(errno));
		goto fail;
	}
	span = 1UL << s;
	c->walked = kind == GUPB_WATCH_PMD ? ea.pmd : ea.top_read;
	/* PMD: the entries of the same table; top: every top-level one. */
	base = a / span * span;
	first = kind == GUPB_WATCH_PMD ? -8 : -(long)(base / span);
	last = kind == GUPB_WATCH_PMD ? 8 : (long)((top - base) / span) - 1;
	for (j = first; j <= last && !c->addr; j++) {
		n = base + j * span;
		if ((j < 0 && (unsigned long)-j * span > base) || n >= top)
			continue;
		p = n + span / 2;
		if (entries_of(p, &en))
			continue;
		c->churned = kind == GUPB_WATCH_PMD ? en.pmd : en.top_own;
		if (!c->churned || !c->walked ||
		    c->churned == (kind == GUPB_WATCH_PMD ? ea.pmd : ea.top_own) ||
		    c->churned / 64 != c->walked / 64 ||
		    !range_free(n, n + span))
			continue;
		c->addr = (char *)p;
	}
	if (!c->addr) {
		snprintf(why, wl, "no %s entry in the line of the walked one has a range free of mappings",
			 kind == GUPB_WATCH_PMD ? "PMD" : "top-level");
		goto fail;
	}
	atomic_store(&c->go, 1);
	/*
	 * The timed loop starts once the churn is going: a short run (the
	 * iteration estimate of Google Benchmark is one ioctl) could end
	 * before the thread's first round.
	 */
	for (j = 0; j < 5000 && !atomic_load(&c->rounds) &&
	     !atomic_load(&c->err); j++)
		usleep(1000);
	if (!atomic_load(&c->rounds)) {
		snprintf(why, wl, "the neighbour churn could not run (mmap at %p: %s)",
			 (void *)c->addr, atomic_load(&c->err) ?
			 strerror(atomic_load(&c->err)) : "no round in 5 s");
		goto fail;
	}
	return 0;
fail:
	churn_stop(c);
	return -1;
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

static double pool_median(struct pool *p)
{
	size_t n = p->n;

	qsort(p->v, n, sizeof(*p->v), cmp_double);
	return n % 2 ? p->v[n / 2] : (p->v[n / 2 - 1] + p->v[n / 2]) / 2;
}

/*
 * Paired differences: sample i of two variants' rows comes from the same
 * round of one ioctl (the module rotates the order per round), so
 * this - live per round cancels drift that hits both. Their median and a
 * distribution-free 95% CI of it (order statistics n/2 -+ 0.98 sqrt(n)),
 * as walk_delta_<name>, _ci95_lo, _ci95_hi.
 */
static void deltas_counters(struct gb_state *st, struct pool *d,
			    const char *med_key, const char *lo_key,
			    const char *hi_key)
{
	double h = 0.98 * sqrt((double)d->n), lo, hi, med;
	size_t n = d->n;

	if (!n)
		return;
	med = pool_median(d);
	lo = floor(n / 2.0 - h);
	hi = ceil(n / 2.0 + h);
	gb_counter(st, med_key, med, 0);
	gb_counter(st, lo_key, d->v[lo < 0 ? 0 : (size_t)lo], 0);
	gb_counter(st, hi_key, d->v[hi > n - 1 ? n - 1 : (size_t)hi], 0);
	gb_counter(st, "walk_delta_pairs", (double)n, 0);
}

static void deltas_report(struct gb_state *st, const char *name,
			  struct pool *d)
{
	char med[96], lo[96], hi[96];

	snprintf(med, sizeof(med), "walk_delta_%s", name);
	snprintf(lo, sizeof(lo), "walk_delta_%s_ci95_lo", name);
	snprintf(hi, sizeof(hi), "walk_delta_%s_ci95_hi", name);
	deltas_counters(st, d, med, lo, hi);
}

/*
 * The ioctl with the harness's own perf events off (gb_pause): they are
 * user-space events of this benchmark and would share the PMU with the
 * module's in-kernel counters. The pmu_* counters of these benchmarks
 * therefore cover the harness between ioctls only.
 */
static int run_ioctl_paused(struct gb_state *st, struct gupb_run *r)
{
	int ret;

	gb_pause(st);
	ret = ioctl(kfd, GUPB_IOC_RUN, r) ? -errno : 0;
	gb_resume(st);
	return ret;
}

/* Loads per call: LD_RETIRED, else MEM_ACCESS_RD; zero is "not counted". */
static int loads_of(const struct gupb_stats *s, double *loads)
{
	static const int ev[] = { GUPB_PMU_LD_RETIRED, GUPB_PMU_MEM_ACCESS_RD };
	static const int code[] = { 0x06, 0x66 };
	size_t i;

	for (i = 0; i < 2; i++)
		if ((s->pmu_valid & (1U << ev[i])) && s->pmu[ev[i]]) {
			*loads = (double)s->pmu[ev[i]];
			return code[i];
		}
	return 0;
}

/* Contention: what the churn did during the timed loop, and the proof. */
static void churn_report(struct gb_state *st, const struct churn *c,
			 unsigned long rounds, double secs,
			 const struct gupb_run *sum)
{
	/*
	 * Per second of the timed loop's wall clock: GB_RATE would divide
	 * by the manual time, which is a per-call or per-walk figure here.
	 */
	gb_counter(st, "churn_rounds", secs > 0 ? rounds / secs : 0, 0);
	/* Each round writes the entry twice: populate, clear. */
	gb_counter(st, "churn_writes", 2.0 * rounds, 0);
	gb_counter(st, "churn_same_line",
		   sum->entry_walked && sum->entry_watched &&
		   sum->entry_walked / 64 == sum->entry_watched / 64 &&
		   c->walked == sum->entry_walked, 0);
	/* The module's reads of the churned entry, one per round. */
	gb_counter(st, "churn_reads", (double)sum->watch_reads, 0);
	gb_counter(st, "churn_seen", (double)sum->watch_changes, 0);
	if (sum->reload_checks) {
		gb_counter(st, "reload_checks", (double)sum->reload_checks, 0);
		gb_counter(st, "reload_mismatch",
			   (double)sum->reload_mismatch, 0);
	}
}

/* Sum the watch and reload figures of one ioctl into *sum. */
static void watch_add(struct gupb_run *sum, const struct gupb_run *r)
{
	sum->entry_walked = r->entry_walked;
	sum->entry_watched = r->entry_watched;
	sum->watch_reads += r->watch_reads;
	sum->watch_changes += r->watch_changes;
	sum->reload_checks += r->reload_checks;
	sum->reload_mismatch += r->reload_mismatch;
}

static int run_ioctl(struct gupb_run *r)
{
	return ioctl(kfd, GUPB_IOC_RUN, r) ? -errno : 0;
}

/* The churn's rounds, and the wall clock, at one end of the loop. */
static unsigned long churn_now(struct churn *c, int on, double *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	*t = ts.tv_sec + ts.tv_nsec * 1e-9;
	return on ? atomic_load(&c->rounds) : 0;
}

/*
 * The end of a timed loop under contention: stop the churn, then report
 * what it did (true), or not (false: the loop failed, or the churn died,
 * which is a skip; a churn that is slow is data).
 */
static bool churn_end(struct gb_state *st, struct churn *c, int ret,
		      unsigned long c0, double t0, const struct gupb_run *wsum)
{
	double t1;
	unsigned long c1 = churn_now(c, 1, &t1);

	churn_stop(c);
	if (ret)
		return false;
	if (atomic_load(&c->err)) {
		gb_skip(st, "the neighbour churn stopped (mmap at %p: %s)",
			(void *)c->addr, strerror(atomic_load(&c->err)));
		return false;
	}
	churn_report(st, c, c1 - c0, t1 - t0, wsum);
	return true;
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
	struct gupb_run wsum = { 0 };
	unsigned long long *rows = NULL;
	unsigned long c0 = 0;
	double t0 = 0;
	double ppm_weighted = 0, ppm_ktime = 0, loads = 0, l;
	char why[256];
	int ret = 0, v, i, row = 0, lev = 0;

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
		/* The claim next to it (the result contract, schema.h). */
		gb_counter(st, "claim_pins_per_call", (double)k->pages,
			   GB_COUNTER_DEFAULT);
	}
	if (k->contention && churn_start(&churn, &b, k->contention, why,
					 sizeof(why))) {
		gb_skip(st, "%s", why);
		goto out;
	}
	if (k->contention) {
		r.watch_level = (unsigned int)k->contention;
		r.watch_addr = (unsigned long)churn.addr;
	}
	c0 = churn_now(&churn, k->contention, &t0);
	while (gb_keep_running(st)) {
		r.samples = (unsigned long)rows;
		r.samples_cap = GUPB_BATCH;
		ret = run_ioctl_paused(st, &r);
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
			/* Per-call ns against live's call of the same round. */
			if (!ret && k->op == GUPB_OP_WALK &&
			    v != GUPB_VARIANT_LIVE &&
			    (r.variant_mask & (1U << GUPB_VARIANT_LIVE)))
				ret = pool_add(&pairs, (double)mine[i] -
					       (double)rows[i]);
		}
		watch_add(&wsum, &r);
		/* Loads only if every ioctl counted them, with one event. */
		i = loads_of(s, &l);
		if (!i || (lev && i != lev))
			lev = -1;
		if (lev >= 0) {
			lev = i;
			loads += l;
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
	if (k->contention && !churn_end(st, &churn, ret, c0, t0, &wsum))
		goto out;
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
		deltas_counters(st, &pairs, "walk_delta_vs_live_ns",
				"walk_delta_ci95_lo_ns", "walk_delta_ci95_hi_ns");
		gb_counter(st, "calls", (double)sum.calls, 0);
		gb_counter(st, "pages_per_call",
			   (double)sum.pages / sum.calls, 0);
		gb_counter(st, "short_returns", (double)sum.short_returns, 0);
		/* The arch counter against ktime, same two points: 1 +- 1%. */
		if (ppm_ktime > 0)
			gb_counter(st, "clock_vs_ktime",
				   ppm_weighted / ppm_ktime * 1e-6, 0);
		/* The load events (GUPB_PMU_LD_RETIRED on) are kpmu_loads. */
		for (i = 0; i < (int)(sizeof(pmu) / sizeof(pmu[0])); i++)
			if (sum.pmu_valid & (1U << i))
				gb_counter(st, pmu[i],
					   (double)sum.pmu[i] / sum.calls, 0);
		if (lev > 0) {
			gb_counter(st, "kpmu_loads", loads / sum.calls, 0);
			gb_counter(st, "kpmu_loads_event", lev, 0);
		}
	}
out:
	free(pairs.v);
	free(all.v);
	free(rows);
	gupb_buf_free(&b);
}

/*
 * kwalk_ab: all walk variants of one run in one benchmark. Per round the
 * module times one batch of K walks per variant (irqs off for the round);
 * here each non-live variant's batch minus live's of the same round, per
 * walk, is a pair. Manual time: live's mean batch of the ioctl, in ns
 * (the clock's units over ktime, measured in the module over the same
 * rounds): per batch, not per walk, so that min_time takes tens of
 * ioctls, not thousands; the per-walk figures are counters.
 */
static void bm_kwalk_ab(struct gb_state *st, void *arg)
{
	struct kb *k = arg;
	struct gupb_run r;
	struct gupb_buf b;
	size_t len = k->pages * gupb_page_size(), nv, K;
	struct churn churn;
	struct pool per[GUPB_NR_VARIANTS] = { 0 }, pairs[GUPB_NR_VARIANTS] = { 0 };
	struct gupb_run wsum = { 0 };
	unsigned long long *rows = NULL, dropped = 0;
	unsigned long c0 = 0;
	double t0 = 0;
	double ppm = 0, ppm_n = 0, loads[GUPB_NR_VARIANTS] = { 0 }, l;
	double insns[GUPB_NR_VARIANTS] = { 0 };
	unsigned long long walks[GUPB_NR_VARIANTS] = { 0 };
	int ret = 0, v, i, lev = 0, e, clock = -1, rowv[GUPB_NR_VARIANTS];
	int no_insns = 0;
	char why[256], key[96];

	if (kfd < 0) {
		gb_skip(st, "module not available: %s", why_not);
		return;
	}
	if (!(info.variants_valid & ~(1U << GUPB_VARIANT_LIVE))) {
		gb_skip(st, "one walk variant here: nothing to pair");
		return;
	}
	if (gupb_buf_alloc(&b, k->backing, "inside", len, k->cfg->tmpdir,
			   why, sizeof(why))) {
		gb_skip(st, "%s", why);
		return;
	}
	nv = (size_t)__builtin_popcount(info.variants_valid);
	/* As many walks per batch as one irqs-off round may hold. */
	K = GUPB_MAX_WALK_PAGES / (k->pages * nv);
	K = K > GUPB_MAX_BATCH ? GUPB_MAX_BATCH : K;
	if (!K) {
		gb_skip(st, "%zu pages x %zu variants exceed one irqs-off round",
			k->pages, nv);
		goto out;
	}
	memset(&r, 0, sizeof(r));
	r.addr = (unsigned long)b.addr;
	r.len = len;
	r.op = GUPB_OP_WALK_AB;
	r.iterations = GUPB_BATCH;
	r.batch = (unsigned int)K;
	r.variant_mask = info.variants_valid;
	for (v = 0, i = 0; v < GUPB_NR_VARIANTS; v++)
		rowv[v] = (r.variant_mask & (1U << v)) ? i++ : -1;
	rows = calloc((size_t)GUPB_BATCH * nv, sizeof(*rows));
	for (v = 0; rows && v < GUPB_NR_VARIANTS; v++)
		if (rowv[v] >= 0 && (pool_reserve(&per[v]) ||
				     (v && pool_reserve(&pairs[v]))))
			break;
	if (!rows || v < GUPB_NR_VARIANTS) {
		gb_error(st, "out of memory");
		goto out;
	}
	if (k->contention && churn_start(&churn, &b, k->contention, why,
					 sizeof(why))) {
		gb_skip(st, "%s", why);
		goto out;
	}
	if (k->contention) {
		r.watch_level = (unsigned int)k->contention;
		r.watch_addr = (unsigned long)churn.addr;
	}
	c0 = churn_now(&churn, k->contention, &t0);
	while (gb_keep_running(st)) {
		const unsigned long long *live;
		double scale;

		double w0, w1;

		memset(r.stats, 0, sizeof(r.stats));
		r.samples = (unsigned long)rows;
		r.samples_cap = GUPB_BATCH;
		churn_now(&churn, 0, &w0);
		ret = run_ioctl_paused(st, &r);
		churn_now(&churn, 0, &w1);
		if (ret) {
			gb_error(st, "GUPB_IOC_RUN: %s", strerror(-ret));
			break;
		}
		if (clock >= 0 && (int)r.clock != clock) {
			gb_error(st, "the batch clock changed between ioctls");
			ret = -EIO;
			break;
		}
		clock = (int)r.clock;
		dropped += r.rounds_dropped;
		live = rows + (size_t)rowv[GUPB_VARIANT_LIVE] * GUPB_BATCH;
		/* Clock units per ns over these rounds (same for every row). */
		scale = r.stats[GUPB_VARIANT_LIVE].clock_vs_ktime_ppm * 1e-6;
		if (scale > 0 && r.samples_written) {
			double live_ns = 0;

			/* Live's mean batch (walk_batch walks), in ns. */
			for (i = 0; i < (int)r.samples_written; i++)
				live_ns += (double)live[i];
			gb_set_iteration_time(st, live_ns / r.samples_written /
					      scale * 1e-9);
			ppm += scale * r.samples_written;
			ppm_n += r.samples_written;
		} else {
			/* Nothing kept: the ioctl's wall time, so the loop ends. */
			gb_set_iteration_time(st, w1 - w0);
		}
		for (v = 0; !ret && v < GUPB_NR_VARIANTS; v++) {
			const unsigned long long *mine;

			if (rowv[v] < 0)
				continue;
			mine = rows + (size_t)rowv[v] * GUPB_BATCH;
			for (i = 0; !ret && i < (int)r.samples_written; i++) {
				ret = pool_add(&per[v], (double)mine[i] / K);
				/* This variant against live, round by round. */
				if (!ret && v != GUPB_VARIANT_LIVE)
					ret = pool_add(&pairs[v],
						       ((double)mine[i] -
							(double)live[i]) / K);
			}
			e = loads_of(&r.stats[v], &l);
			if (!e || (lev && e != lev))
				lev = -1;
			if (lev >= 0) {
				lev = e;
				loads[v] += l;
			}
			/* Instructions: exact on hardware, and under TCG -icount. */
			if (!(r.stats[v].pmu_valid & (1U << GUPB_PMU_INSTRUCTIONS)) ||
			    !r.stats[v].pmu[GUPB_PMU_INSTRUCTIONS])
				no_insns = 1;
			insns[v] += (double)r.stats[v].pmu[GUPB_PMU_INSTRUCTIONS];
			walks[v] += (unsigned long long)GUPB_BATCH * K;
		}
		if (ret) {
			gb_error(st, "out of memory");
			break;
		}
		watch_add(&wsum, &r);
	}
	if (k->contention && !churn_end(st, &churn, ret, c0, t0, &wsum))
		goto out;
	if (ret || !per[GUPB_VARIANT_LIVE].n)
		goto out;
	gb_set_label(st, clock == GUPB_CLOCK_PMU_CYCLES ?
		     "walk clock: PMU cycles (kernel mode)" :
		     "walk clock: arch counter ticks (no PMU cycle counter)");
	gb_counter(st, "walk_clock_pmu_cycles", clock == GUPB_CLOCK_PMU_CYCLES, 0);
	gb_counter(st, "walk_batch", (double)K, 0);
	gb_counter(st, "walk_rounds_dropped", (double)dropped, 0);
	if (ppm_n)
		gb_counter(st, "walk_clock_per_ns", ppm / ppm_n, 0);
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (rowv[v] < 0)
			continue;
		snprintf(key, sizeof(key), "walk_%s", variant_names[v]);
		gb_counter(st, key, pool_median(&per[v]), 0);
		if (lev > 0 && walks[v]) {
			snprintf(key, sizeof(key), "walk_loads_%s",
				 variant_names[v]);
			gb_counter(st, key, loads[v] / walks[v], 0);
		}
		if (!no_insns && walks[v]) {
			snprintf(key, sizeof(key), "walk_insns_%s",
				 variant_names[v]);
			gb_counter(st, key, insns[v] / walks[v], 0);
		}
		if (v == GUPB_VARIANT_LIVE)
			continue;
		snprintf(key, sizeof(key), "%s_vs_live", variant_names[v]);
		deltas_report(st, key, &pairs[v]);
		if (lev > 0 && walks[v] && walks[GUPB_VARIANT_LIVE]) {
			snprintf(key, sizeof(key), "walk_loads_delta_%s_vs_live",
				 variant_names[v]);
			gb_counter(st, key, loads[v] / walks[v] -
				   loads[GUPB_VARIANT_LIVE] /
				   walks[GUPB_VARIANT_LIVE], 0);
		}
		if (!no_insns && walks[v] && walks[GUPB_VARIANT_LIVE]) {
			snprintf(key, sizeof(key), "walk_insns_delta_%s_vs_live",
				 variant_names[v]);
			gb_counter(st, key, insns[v] / walks[v] -
				   insns[GUPB_VARIANT_LIVE] /
				   walks[GUPB_VARIANT_LIVE], 0);
		}
	}
	if (lev > 0)
		gb_counter(st, "kpmu_loads_event", lev, 0);
out:
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		free(per[v].v);
		free(pairs[v].v);
	}
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
	if (op == GUPB_OP_WALK_AB)
		snprintf(name, sizeof(name), "kwalk_ab/backing:%s/pages:%zu",
			 backing, pages);
	else if (op == GUPB_OP_WALK)
		snprintf(name, sizeof(name), "kwalk/variant:%s/backing:%s/pages:%zu",
			 variant_names[variant], backing, pages);
	else
		snprintf(name, sizeof(name), "%s/backing:%s/pages:%zu",
			 op_names[op], backing, pages);
	if (contention)
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
			 "/contention:%s", contention_names[contention]);
	return gb_register(name, op == GUPB_OP_WALK_AB ? bm_kwalk_ab : bm_kmod,
			   k, &opts);
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
	for (i = 0; i < GUPB_NR_VARIANTS; i++)
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
			/* The GUP ops: every op below the walks. */
			for (op = GUPB_OP_GUP_FAST; op < GUPB_OP_WALK; op++) {
				ret = add(cfg, op, 0, gupb_backing_names[b], pages, 0);
				if (ret)
					return ret;
			}
			for (v = 0; v < GUPB_NR_VARIANTS; v++) {
				if (kfd >= 0 && !(info.variants_valid & (1U << v)))
					continue;
				ret = add(cfg, GUPB_OP_WALK, v, gupb_backing_names[b],
					  pages, 0);
				if (ret)
					return ret;
			}
			ret = add(cfg, GUPB_OP_WALK_AB, 0, gupb_backing_names[b],
				  pages, 0);
			if (ret)
				return ret;
		}
		/* Under contention: anon, the walk variants and pin_fast. */
		for (c = 1; c <= 2; c++) {
			ret = add(cfg, GUPB_OP_PIN_FAST, 0, "anon", pages, c);
			for (v = 0; !ret && v < GUPB_NR_VARIANTS; v++)
				if (kfd < 0 || (info.variants_valid & (1U << v)))
					ret = add(cfg, GUPB_OP_WALK, v, "anon",
						  pages, c);
			if (!ret)
				ret = add(cfg, GUPB_OP_WALK_AB, 0, "anon", pages, c);
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
