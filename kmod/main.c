// SPDX-License-Identifier: GPL-2.0
/*
 * Timed GUP-fast loops and an in-boot A/B of the lockless
 * walk variants, through a root-only misc device (/dev/gupbench).
 *
 * Like mm/gup_test.c, one struct carries input and output; arguments are
 * checked first, only the calls are timed, and releasing the pages happens
 * outside the timed region. Unlike it: per-call times in ns from the arch
 * counter, a histogram and percentiles, raw samples on request, in-kernel
 * perf counters, and a loadable module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/math64.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include "gupb.h"

/* 7.2 and 7.3 have kzalloc_obj(); 6.12 gets its one-object form here. */
#ifndef kzalloc_obj
#define kzalloc_obj(obj) kzalloc(sizeof(obj), GFP_KERNEL)
#endif

#ifdef CONFIG_ARM64
#include <asm/arch_timer.h>
#endif
#ifdef CONFIG_X86
#include <asm/tsc.h>
#endif

u64 gupb_clock(void)
{
#if defined(CONFIG_ARM64) || defined(CONFIG_X86)
	return get_cycles();
#else
	return ktime_get_ns();
#endif
}

static u64 gupb_clock_hz(void)
{
#if defined(CONFIG_ARM64)
	return arch_timer_get_cntfrq();
#elif defined(CONFIG_X86)
	return (u64)tsc_khz * 1000;
#else
	return NSEC_PER_SEC;
#endif
}

u64 gupb_clock_ns(u64 delta)
{
	u64 hz = gupb_clock_hz();

	return hz ? mul_u64_u64_div_u64(delta, NSEC_PER_SEC, hz) : delta;
}

/*
 * What one timed call costs with nothing in it: the least of many empty
 * back-to-back reads, irqs off. Every per-call time includes it once.
 */
static u64 gupb_clock_overhead_ns(void)
{
	u64 t0, best = U64_MAX;
	unsigned long flags;
	int i;

	for (i = 0; i < 256; i++) {
		local_irq_save(flags);
		t0 = gupb_clock();
		best = min(best, gupb_clock() - t0);
		local_irq_restore(flags);
	}
	return gupb_clock_ns(best);
}

void gupb_clock_info(struct gupb_info *info)
{
	info->clock_overhead_ns = gupb_clock_overhead_ns();
	info->clock_hz = gupb_clock_hz();
	info->clock_res_ns = info->clock_hz ?
		max_t(u64, 1, div64_u64(NSEC_PER_SEC, info->clock_hz)) : 1;
#if defined(CONFIG_ARM64)
	strscpy(info->clock, "cntvct", sizeof(info->clock));
#elif defined(CONFIG_X86)
	strscpy(info->clock, "tsc", sizeof(info->clock));
#else
	strscpy(info->clock, "ktime", sizeof(info->clock));
#endif
}

static void gupb_fill_info(struct gupb_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi_version = GUPB_ABI_VERSION;
	info->page_shift = PAGE_SHIFT;
	info->pgtable_levels = CONFIG_PGTABLE_LEVELS;
	info->levels_runtime = gupb_levels_runtime();
#ifdef CONFIG_ARM64
	info->va_bits = vabits_actual;
	info->l4_enabled = pgtable_l4_enabled();
	info->lpa2 = IS_ENABLED(CONFIG_ARM64_LPA2);
#else
	info->va_bits = pgtable_l5_enabled() ? 57 : 48;
	info->l4_enabled = 1;
#endif
	info->l5_enabled = pgtable_l5_enabled();
	info->variants_valid = gupb_variants_valid();
	info->variants_differ = gupb_variants_differ();
	info->folded_helper = gupb_folded_helper();
	info->gup_fast_only = 1;
	gupb_clock_info(info);
	strscpy(info->release, utsname()->release, sizeof(info->release));
	strscpy(info->arch, utsname()->machine, sizeof(info->arch));
}

/*
 * In-kernel counters around the whole loop (kernel mode only), created
 * disabled and switched on and off right around it. They cannot be one
 * group: perf_event_create_kernel_counter() (6.12) takes no group leader,
 * and the group_fd of perf_event_open() has no in-kernel counterpart. So
 * each is enabled and disabled on its own, right around the loop, and
 * each must have run the whole time it was enabled: a multiplexed count
 * (running < enabled) or one that never ran is not marked valid.
 */
struct gupb_kpmu {
	struct perf_event *ev[GUPB_NR_PMU];
};

static void gupb_pmu_start(struct gupb_kpmu *p)
{
	static const struct { u32 type; u64 config; } evs[GUPB_NR_PMU] = {
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
		{ PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
		{ PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_L1D |
		  (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
		{ PERF_TYPE_HW_CACHE, PERF_COUNT_HW_CACHE_DTLB |
		  (PERF_COUNT_HW_CACHE_OP_READ << 8) |
		  (PERF_COUNT_HW_CACHE_RESULT_MISS << 16) },
#ifdef CONFIG_ARM64
		/* PMUv3 LD_RETIRED and MEM_ACCESS_RD: whichever counts. */
		{ PERF_TYPE_RAW, 0x06 },
		{ PERF_TYPE_RAW, 0x66 },
#else
		{ PERF_TYPE_MAX, 0 },
		{ PERF_TYPE_MAX, 0 },
#endif
	};
	int i;

	for (i = 0; i < GUPB_NR_PMU; i++) {
		struct perf_event_attr attr = {
			.type = evs[i].type,
			.size = sizeof(attr),
			.config = evs[i].config,
			.exclude_user = 1,
			.exclude_hv = 1,
			.disabled = 1,
		};

		p->ev[i] = NULL;
		if (evs[i].type == PERF_TYPE_MAX)
			continue;
		p->ev[i] = perf_event_create_kernel_counter(&attr, -1, current,
							    NULL, NULL);
		if (IS_ERR(p->ev[i]))
			p->ev[i] = NULL;
	}
}

static void gupb_pmu_on(struct gupb_kpmu *p, bool on)
{
	int i;

	for (i = 0; i < GUPB_NR_PMU; i++) {
		if (!p->ev[i])
			continue;
		if (on)
			perf_event_enable(p->ev[i]);
		else
			perf_event_disable(p->ev[i]);
	}
}

static void gupb_pmu_stop(struct gupb_kpmu *p, struct gupb_stats *st)
{
	u64 enabled, running;
	int i;

	for (i = 0; i < GUPB_NR_PMU; i++) {
		if (!p->ev[i])
			continue;
		st->pmu[i] = perf_event_read_value(p->ev[i], &enabled,
						   &running);
		/* Never scheduled, or multiplexed: not marked valid. */
		if (running && running == enabled)
			st->pmu_valid |= BIT(i);
		perf_event_release_kernel(p->ev[i]);
	}
}

/* The per-call clock and ktime, read at the same two points. */
struct gupb_region {
	u64 c0, k0;
};

/*
 * ktime is read between two counter reads, irqs off, and paired with
 * their midpoint: whatever the read of ktime costs (a cold path in a TCG
 * guest costs microseconds), both clocks then stand for the same instant.
 */
static void gupb_clock_pair(u64 *c, u64 *k)
{
	u64 c0, c1, kt, best = U64_MAX;
	unsigned long flags;
	int i;

	/* The tightest of a few tries: a host can stall a guest anywhere. */
	for (i = 0; i < 4; i++) {
		local_irq_save(flags);
		c0 = gupb_clock();
		kt = ktime_get_ns();
		c1 = gupb_clock();
		local_irq_restore(flags);
		if (c1 - c0 < best) {
			best = c1 - c0;
			*c = c0 + (c1 - c0) / 2;
			*k = kt;
		}
	}
}

static void gupb_region_start(struct gupb_region *g)
{
	gupb_clock_pair(&g->c0, &g->k0);
}

static void gupb_region_stop(struct gupb_region *g, struct gupb_stats *st)
{
	u64 c1, k1;

	gupb_clock_pair(&c1, &k1);

	st->ktime_ns = k1 - g->k0;
	st->clock_vs_ktime_ppm = st->ktime_ns ?
		min_t(u64, U32_MAX, div64_u64(gupb_clock_ns(c1 - g->c0) * 1000000,
					      st->ktime_ns)) : 0;
}

static int gupb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void gupb_account(struct gupb_stats *st, u64 ns, u64 *samples)
{
	int b = ns ? ilog2(ns) : 0;

	if (samples)
		samples[st->calls] = ns;
	st->calls++;
	st->total_ns += ns;
	st->hist[min(b, GUPB_HIST_BUCKETS - 1)]++;
	if (st->calls == 1 || ns < st->ns_min)
		st->ns_min = ns;
	st->ns_max = max(st->ns_max, ns);
}

static void gupb_percentiles(struct gupb_stats *st, u64 *samples)
{
	u64 n = st->calls;

	if (!n || !samples)
		return;
	sort(samples, n, sizeof(u64), gupb_cmp_u64, NULL);
	st->ns_p50 = samples[div64_u64(n * 50, 100)];
	st->ns_p90 = samples[min_t(u64, n - 1, div64_u64(n * 90, 100))];
	st->ns_p99 = samples[min_t(u64, n - 1, div64_u64(n * 99, 100))];
}

static bool gupb_op_walks(u32 op)
{
	return op == GUPB_OP_WALK || op == GUPB_OP_WALK_AB;
}

/* Contention: where the walked and the watched entries are. */
static void gupb_watch_start(struct gupb_run *r)
{
	struct gupb_entries e = { .addr = r->addr };

	if (!r->watch_level)
		return;
	gupb_entries(current->mm, &e);
	r->entry_walked = r->watch_level == GUPB_WATCH_PMD ? e.pmd : e.top_read;
}

/*
 * Once per round, outside the timed calls: has the watched entry changed
 * since the last read? A change seen is a write the run overlapped.
 */
static void gupb_watch(struct gupb_run *r, u64 *last)
{
	u64 val;

	if (!r->watch_level)
		return;
	val = gupb_entry_read(current->mm, r->watch_addr, r->watch_level,
			      &r->entry_watched);
	if (r->watch_reads++ && val != *last)
		r->watch_changes++;
	*last = val;
}

/*
 * The reload check under contention: the live walk once more, untimed,
 * as often as the timed pass walked, counting how often the re-read
 * top-level entry differed from the first read.
 */
static int gupb_reload_pass(struct gupb_run *r, u64 walks)
{
	unsigned long start = r->addr, end = r->addr + r->len;
	long ret;
	u64 i;

	if (!r->watch_level || !gupb_folded_helper())
		return 0;
	for (i = 0; i < walks; i++) {
		ret = gupb_walk_reload_check(current->mm, start, end,
					     &r->reload_checks,
					     &r->reload_mismatch);
		/* -EAGAIN: an entry changed under the walk; not an error here. */
		if (ret < 0 && ret != -EAGAIN)
			return ret;
		if (fatal_signal_pending(current)) {
			r->interrupted = 1;
			return 0;
		}
		cond_resched();
	}
	return 0;
}

static int gupb_check_run(struct gupb_run *r)
{
	u64 end, per_call, work;
	u32 valid;

	if (r->reserved_in[0] || r->reserved_in[1] || r->op >= GUPB_NR_OPS ||
	    (r->flags & ~GUPB_F_WRITE))
		return -EINVAL;
	if (!r->len || r->len > GUPB_MAX_LEN ||
	    !PAGE_ALIGNED(r->addr) || !PAGE_ALIGNED(r->len) ||
	    check_add_overflow(r->addr, r->len, &end))
		return -EINVAL;
	if (!r->iterations || r->iterations > GUPB_MAX_ITERATIONS)
		return -EINVAL;
	if (r->samples_cap > r->iterations)
		return -EINVAL;
	if (r->watch_level > GUPB_WATCH_TOP || !r->watch_level != !r->watch_addr)
		return -EINVAL;
	if (r->watch_level && (!PAGE_ALIGNED(r->watch_addr) ||
			       !access_ok(u64_to_user_ptr(untagged_addr(r->watch_addr)),
					  PAGE_SIZE)))
		return -EFAULT;
	if (r->op != GUPB_OP_WALK_AB && r->batch)
		return -EINVAL;
	if (gupb_op_walks(r->op)) {
		valid = gupb_variants_valid();
		if (!r->variant_mask ||
		    (r->variant_mask & ~GENMASK(GUPB_NR_VARIANTS - 1, 0)))
			return -EINVAL;
		/* The original bug: &pgd into a run-time folded level. */
		if (r->variant_mask & ~valid)
			return -EOPNOTSUPP;
		if (r->nr_pages || r->flags)
			return -EINVAL;
		/* One walk keeps irqs off for its whole range. */
		per_call = r->len >> PAGE_SHIFT;
		if (per_call > GUPB_MAX_WALK_PAGES)
			return -EINVAL;
		if (r->op == GUPB_OP_WALK_AB) {
			if (!r->batch || r->batch > GUPB_MAX_BATCH)
				return -EINVAL;
			/* A round keeps irqs off for all of its batches. */
			per_call *= r->batch;
			if (per_call * hweight32(r->variant_mask) >
			    GUPB_MAX_WALK_PAGES)
				return -EINVAL;
		}
		per_call *= hweight32(r->variant_mask);
	} else {
		if (!r->nr_pages || r->nr_pages > GUPB_MAX_PAGES_PER_CALL ||
		    r->nr_pages > (r->len >> PAGE_SHIFT) || r->variant_mask)
			return -EINVAL;
		per_call = r->nr_pages;
	}
	/* Bounds the run's time (each pass of a WALK does this much). */
	work = per_call * r->iterations;
	if (work > GUPB_MAX_WORK)
		return -EINVAL;
	/* Like gup_fast_fallback(): the untagged address must be a user one. */
	if (!access_ok(u64_to_user_ptr(untagged_addr(r->addr)), r->len))
		return -EFAULT;
	return 0;
}

/* One GUP call; returns pages got (released here, untimed) or -errno. */
static long gupb_one_call(struct gupb_run *r, unsigned long addr,
			  struct page **pages, u64 *ns)
{
	unsigned int gup = (r->flags & GUPB_F_WRITE) ? FOLL_WRITE : 0;
	int nr = r->nr_pages;
	u64 t0, t1;
	long got;

	t0 = gupb_clock();
	switch (r->op) {
	case GUPB_OP_GUP_FAST:
		got = get_user_pages_fast(addr, nr, gup, pages);
		break;
	case GUPB_OP_PIN_FAST:
		got = pin_user_pages_fast(addr, nr, gup, pages);
		break;
	case GUPB_OP_PIN_LONGTERM:
		got = pin_user_pages_fast(addr, nr, gup | FOLL_LONGTERM, pages);
		break;
	default:
		got = get_user_pages_fast_only(addr, nr, gup, pages);
		break;
	}
	t1 = gupb_clock();
	*ns = gupb_clock_ns(t1 - t0);
	if (got <= 0)
		return got;
	if (r->op == GUPB_OP_PIN_FAST || r->op == GUPB_OP_PIN_LONGTERM)
		unpin_user_pages(pages, got);
	else
		release_pages(pages, got);
	return got;
}

static int gupb_run_gup(struct gupb_run *r, u64 *samples)
{
	struct gupb_stats *st = &r->stats[0];
	unsigned long chunk = (unsigned long)r->nr_pages << PAGE_SHIFT;
	unsigned long nchunks = r->len / chunk, addr;
	struct page **pages;
	struct gupb_kpmu pmu;
	struct gupb_region reg;
	long got = 0;
	u64 ns, last = 0;
	u32 i;

	pages = kvcalloc(r->nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	gupb_watch_start(r);
	gupb_pmu_start(&pmu);
	gupb_pmu_on(&pmu, true);
	gupb_region_start(&reg);
	for (i = 0; i < r->iterations; i++) {
		gupb_watch(r, &last);
		addr = r->addr + (i % nchunks) * chunk;
		got = gupb_one_call(r, addr, pages, &ns);
		if (got < 0)
			break;
		gupb_account(st, ns, samples);
		st->pages += got;
		if (got < r->nr_pages)
			st->short_returns++;
		if (fatal_signal_pending(current)) {
			r->interrupted = 1;
			break;
		}
		cond_resched();
	}
	gupb_region_stop(&reg, st);
	gupb_pmu_on(&pmu, false);
	gupb_pmu_stop(&pmu, st);
	kvfree(pages);
	return got < 0 ? got : 0;
}

/* Counters, per variant, in a pass of their own so they don't mix. */
static void gupb_counter_pass(struct gupb_run *r, u64 walks)
{
	unsigned long start = r->addr, end = r->addr + r->len;
	struct gupb_kpmu pmu;
	struct gupb_region reg;
	u64 i;
	int v;

	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (!(r->variant_mask & BIT(v)))
			continue;
		gupb_pmu_start(&pmu);
		gupb_pmu_on(&pmu, true);
		gupb_region_start(&reg);
		for (i = 0; i < walks; i++) {
			if (gupb_walk(current->mm, start, end, v) < 0)
				break;
			if (fatal_signal_pending(current))
				break;
			cond_resched();
		}
		gupb_region_stop(&reg, &r->stats[v]);
		gupb_pmu_on(&pmu, false);
		gupb_pmu_stop(&pmu, &r->stats[v]);
		/* ktime_ns and pmu cover this pass: same number of calls. */
		if (fatal_signal_pending(current)) {
			r->interrupted = 1;
			return;
		}
	}
}

static int gupb_run_walk(struct gupb_run *r, u64 **samples)
{
	unsigned long start = r->addr, end = r->addr + r->len;
	u64 want = r->len >> PAGE_SHIFT;
	u64 t0, ns, last = 0;
	long found;
	u32 i;
	int v, k;

	/*
	 * Every round runs each selected variant once, the order rotated by
	 * one per round (ABC, BCA, CAB, ...) so that no variant always runs
	 * first, with cold caches, or right after another one. Sample i of
	 * every variant's row is from round i: the rows are paired.
	 */
	gupb_watch_start(r);
	for (i = 0; i < r->iterations; i++) {
		gupb_watch(r, &last);
		for (k = 0; k < GUPB_NR_VARIANTS; k++) {
			struct gupb_stats *st;

			v = (k + i) % GUPB_NR_VARIANTS;
			if (!(r->variant_mask & BIT(v)))
				continue;
			st = &r->stats[v];
			t0 = gupb_clock();
			found = gupb_walk(current->mm, start, end, v);
			ns = gupb_clock_ns(gupb_clock() - t0);
			if (found < 0)
				return found;
			/* Every page must be found: no silent fast path. */
			if (found != want)
				return -EFAULT;
			gupb_account(st, ns, samples[v]);
			st->pages += found;
		}
		if (fatal_signal_pending(current)) {
			r->interrupted = 1;
			return 0;
		}
		cond_resched();
	}
	gupb_counter_pass(r, r->iterations);
	if (r->interrupted)
		return 0;
	return gupb_reload_pass(r, r->iterations);
}

/*
 * The batch clock of WALK_AB: kernel-mode CPU cycles of a pinned per-task
 * perf event, read with irqs off the way perf_event_read_local() (not
 * exported) does: pmu->read() of the event while it is active on this
 * CPU. Without a cycle event, the per-call clock.
 */
static struct perf_event *gupb_cycles_open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.exclude_user = 1,
		.exclude_hv = 1,
		.pinned = 1,
		.disabled = 1,
	};
	struct perf_event *ev;

	ev = perf_event_create_kernel_counter(&attr, -1, current, NULL, NULL);
	if (IS_ERR(ev))
		return NULL;
	perf_event_enable(ev);
	return ev;
}

/* Irqs off: the event counts on this CPU (not scheduled out). */
static bool gupb_cycles_live(struct perf_event *ev)
{
	return READ_ONCE(ev->state) == PERF_EVENT_STATE_ACTIVE &&
	       READ_ONCE(ev->oncpu) == smp_processor_id();
}

static u64 gupb_batch_clock(struct perf_event *ev)
{
	if (!ev)
		return gupb_clock();
	ev->pmu->read(ev);
	return local64_read(&ev->count);
}

/*
 * WALK_AB. A round is one irqs-off region (bounded: batch x pages x
 * variants <= GUPB_MAX_WALK_PAGES) in which every selected variant walks
 * the range `batch` times, timed as one batch, in an order rotated by one
 * per round; sample i of every row is from round i, so the rows pair.
 * A round in which the cycle event is not on this CPU is dropped whole.
 */
static int gupb_run_walk_ab(struct gupb_run *r, u64 **samples)
{
	unsigned long start = r->addr, end = r->addr + r->len, flags;
	u64 want = r->len >> PAGE_SHIFT, t0, t1, c0, k0, cyc = 0, kns = 0;
	u64 last = 0;
	struct perf_event *ev = gupb_cycles_open();
	long found = want;
	u32 i, j;
	int v, k;

	r->clock = ev ? GUPB_CLOCK_PMU_CYCLES : GUPB_CLOCK_COUNTER;
	gupb_watch_start(r);
	for (i = 0; i < r->iterations; i++) {
		gupb_watch(r, &last);
		local_irq_save(flags);
		if (ev && !gupb_cycles_live(ev)) {
			local_irq_restore(flags);
			r->rounds_dropped++;
			goto next;
		}
		k0 = ktime_get_ns();
		c0 = gupb_batch_clock(ev);
		for (k = 0; k < GUPB_NR_VARIANTS && found == want; k++) {
			v = (k + i) % GUPB_NR_VARIANTS;
			if (!(r->variant_mask & BIT(v)))
				continue;
			t0 = gupb_batch_clock(ev);
			for (j = 0; j < r->batch && found == want; j++)
				found = gupb_walk(current->mm, start, end, v);
			t1 = gupb_batch_clock(ev);
			gupb_account(&r->stats[v], t1 - t0, samples[v]);
			r->stats[v].pages += (u64)r->batch * want;
		}
		cyc += gupb_batch_clock(ev) - c0;
		kns += ktime_get_ns() - k0;
		local_irq_restore(flags);
		/* Every page, every walk: no silent fast path. */
		if (found != want) {
			if (ev)
				perf_event_release_kernel(ev);
			return found < 0 ? found : -EFAULT;
		}
next:
		if (fatal_signal_pending(current)) {
			r->interrupted = 1;
			break;
		}
		cond_resched();
	}
	if (ev)
		perf_event_release_kernel(ev);
	if (r->interrupted)
		return 0;
	gupb_counter_pass(r, (u64)r->iterations * r->batch);
	/* Clock units per ktime ns over the rounds, in ppm (after the pass). */
	if (!ev)
		cyc = gupb_clock_ns(cyc);
	for (v = 0; v < GUPB_NR_VARIANTS; v++)
		r->stats[v].clock_vs_ktime_ppm = kns ?
			min_t(u64, U32_MAX, div64_u64(cyc * 1000000, kns)) : 0;
	if (r->interrupted)
		return 0;
	return gupb_reload_pass(r, (u64)r->iterations * r->batch);
}

static long gupb_ioctl_run(struct gupb_run __user *arg)
{
	u64 *samples[GUPB_NR_VARIANTS] = { NULL };
	struct gupb_run *r;
	long ret;
	int v, nv = 0, row;

	/* 0600 is not enough: the fd can be handed to anyone. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	r = kzalloc_obj(*r);
	if (!r)
		return -ENOMEM;
	if (copy_from_user(r, arg, offsetof(struct gupb_run, stats))) {
		ret = -EFAULT;
		goto out;
	}
	ret = gupb_check_run(r);
	if (ret)
		goto out;
	/* Samples for the percentiles; capped like the iterations. */
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (gupb_op_walks(r->op) ? !(r->variant_mask & BIT(v)) : v)
			continue;
		samples[v] = kvmalloc_array(r->iterations, sizeof(u64),
					    GFP_KERNEL);
		if (!samples[v]) {
			ret = -ENOMEM;
			goto out;
		}
		nv++;
	}
	if (r->op == GUPB_OP_WALK_AB)
		ret = gupb_run_walk_ab(r, samples);
	else if (r->op == GUPB_OP_WALK)
		ret = gupb_run_walk(r, samples);
	else
		ret = gupb_run_gup(r, samples[0]);
	/* The task is dying: nobody will read the results, don't sort them. */
	if (!ret && r->interrupted)
		ret = -EINTR;
	if (ret)
		goto out;
	/* Raw samples in call order, before sorting for the percentiles. */
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		u64 n = min_t(u64, r->samples_cap, r->stats[v].calls);
		u64 __user *dst;

		if (!samples[v])
			continue;
		row = hweight32(r->variant_mask & (BIT(v) - 1));
		if (r->samples && n) {
			/* Row: the variant's rank among the selected ones. */
			dst = (u64 __user *)u64_to_user_ptr(r->samples) +
			      (size_t)row * r->samples_cap;
			if (copy_to_user(dst, samples[v], n * sizeof(u64))) {
				ret = -EFAULT;
				goto out;
			}
			r->samples_written = n;
		}
		gupb_percentiles(&r->stats[v], samples[v]);
	}
	if (copy_to_user(arg, r, sizeof(*r)))
		ret = -EFAULT;
out:
	for (v = 0; v < GUPB_NR_VARIANTS; v++)
		kvfree(samples[v]);
	kfree(r);
	return ret;
}

/* Kernel addresses of page-table entries: root only, like RUN. */
static long gupb_ioctl_entries(struct gupb_entries __user *arg)
{
	struct gupb_entries e;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&e, arg, sizeof(e)))
		return -EFAULT;
	if (e.reserved32 || memchr_inv(e.reserved, 0, sizeof(e.reserved)))
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(untagged_addr(e.addr)), 1))
		return -EFAULT;
	gupb_entries(current->mm, &e);
	return copy_to_user(arg, &e, sizeof(e)) ? -EFAULT : 0;
}

static long gupb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct gupb_info info;

	switch (cmd) {
	case GUPB_IOC_INFO:
		gupb_fill_info(&info);
		return copy_to_user((void __user *)arg, &info, sizeof(info)) ?
			-EFAULT : 0;
	case GUPB_IOC_RUN:
		return gupb_ioctl_run((struct gupb_run __user *)arg);
	case GUPB_IOC_ENTRIES:
		return gupb_ioctl_entries((struct gupb_entries __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}

static const struct file_operations gupb_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = gupb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice gupb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "gupbench",
	.fops = &gupb_fops,
	.mode = 0600,
};

module_misc_device(gupb_misc);

MODULE_DESCRIPTION("gupbench: timed GUP-fast loops and lockless walk variants");
MODULE_AUTHOR("gupbench");
MODULE_LICENSE("GPL");
