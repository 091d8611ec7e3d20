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

void gupb_clock_info(struct gupb_info *info)
{
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
	info->folded_helper = CONFIG_PGTABLE_LEVELS <= 4;
#else
	info->va_bits = pgtable_l5_enabled() ? 57 : 48;
	info->l4_enabled = 1;
#endif
	info->l5_enabled = pgtable_l5_enabled();
	info->variants_valid = gupb_variants_valid();
	info->variants_differ = gupb_variants_differ();
	info->gup_fast_only = 1;
	gupb_clock_info(info);
	strscpy(info->release, utsname()->release, sizeof(info->release));
	strscpy(info->arch, utsname()->machine, sizeof(info->arch));
}

/* In-kernel counters around the whole loop (kernel mode only). */
struct gupb_pmu {
	struct perf_event *ev[GUPB_NR_PMU];
};

static void gupb_pmu_start(struct gupb_pmu *p)
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
	};
	int i;

	for (i = 0; i < GUPB_NR_PMU; i++) {
		struct perf_event_attr attr = {
			.type = evs[i].type,
			.size = sizeof(attr),
			.config = evs[i].config,
			.exclude_user = 1,
			.exclude_hv = 1,
		};

		p->ev[i] = perf_event_create_kernel_counter(&attr, -1, current,
							    NULL, NULL);
		if (IS_ERR(p->ev[i]))
			p->ev[i] = NULL;
	}
}

static void gupb_pmu_stop(struct gupb_pmu *p, struct gupb_stats *st)
{
	u64 enabled, running;
	int i;

	for (i = 0; i < GUPB_NR_PMU; i++) {
		if (!p->ev[i])
			continue;
		st->pmu[i] = perf_event_read_value(p->ev[i], &enabled,
						   &running);
		/* Never scheduled: unmeasured, so not marked valid. */
		if (running)
			st->pmu_valid |= BIT(i);
		perf_event_release_kernel(p->ev[i]);
	}
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

static int gupb_check_run(struct gupb_run *r)
{
	u64 end;
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
	if (r->op == GUPB_OP_WALK) {
		valid = gupb_variants_valid();
		if (!r->variant_mask ||
		    (r->variant_mask & ~GENMASK(GUPB_NR_VARIANTS - 1, 0)))
			return -EINVAL;
		/* The original bug: &pgd into a run-time folded level. */
		if (r->variant_mask & ~valid)
			return -EOPNOTSUPP;
		if (r->nr_pages || r->flags)
			return -EINVAL;
	} else {
		if (!r->nr_pages || r->nr_pages > GUPB_MAX_PAGES_PER_CALL ||
		    r->nr_pages > (r->len >> PAGE_SHIFT) || r->variant_mask)
			return -EINVAL;
	}
	if (!access_ok(u64_to_user_ptr(r->addr), r->len))
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
	struct gupb_pmu pmu;
	u64 ns, k0;
	long got = 0;
	u32 i;

	pages = kvcalloc(r->nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	gupb_pmu_start(&pmu);
	k0 = ktime_get_ns();
	for (i = 0; i < r->iterations; i++) {
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
	st->ktime_ns = ktime_get_ns() - k0;
	gupb_pmu_stop(&pmu, st);
	kvfree(pages);
	return got < 0 ? got : 0;
}

static int gupb_run_walk(struct gupb_run *r, u64 **samples)
{
	unsigned long start = r->addr, end = r->addr + r->len;
	u64 want = r->len >> PAGE_SHIFT, k0[GUPB_NR_VARIANTS] = { 0 };
	struct gupb_pmu pmu[GUPB_NR_VARIANTS];
	u64 t0, ns;
	long found;
	u32 i;
	int v;

	/* ABAB...: every round runs each selected variant once. */
	for (i = 0; i < r->iterations; i++) {
		for (v = 0; v < GUPB_NR_VARIANTS; v++) {
			struct gupb_stats *st = &r->stats[v];

			if (!(r->variant_mask & BIT(v)))
				continue;
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
	/* Counters, per variant, in a second pass so they don't mix. */
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		if (!(r->variant_mask & BIT(v)))
			continue;
		gupb_pmu_start(&pmu[v]);
		k0[v] = ktime_get_ns();
		for (i = 0; i < r->iterations; i++)
			if (gupb_walk(current->mm, start, end, v) < 0)
				break;
		r->stats[v].ktime_ns = ktime_get_ns() - k0[v];
		gupb_pmu_stop(&pmu[v], &r->stats[v]);
		/* ktime_ns and pmu cover this pass: same number of calls. */
		cond_resched();
	}
	return 0;
}

static long gupb_ioctl_run(struct gupb_run __user *arg)
{
	u64 *samples[GUPB_NR_VARIANTS] = { NULL };
	struct gupb_run *r;
	long ret;
	int v, nv = 0;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
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
		if (r->op == GUPB_OP_WALK ? !(r->variant_mask & BIT(v)) : v)
			continue;
		samples[v] = kvmalloc_array(r->iterations, sizeof(u64),
					    GFP_KERNEL);
		if (!samples[v]) {
			ret = -ENOMEM;
			goto out;
		}
		nv++;
	}
	if (r->op == GUPB_OP_WALK)
		ret = gupb_run_walk(r, samples);
	else
		ret = gupb_run_gup(r, samples[0]);
	if (ret)
		goto out;
	/* Raw samples in call order, before sorting for the percentiles. */
	for (v = 0; v < GUPB_NR_VARIANTS; v++) {
		u64 n = min_t(u64, r->samples_cap, r->stats[v].calls);
		u64 __user *dst;

		if (!samples[v])
			continue;
		if (r->samples && n) {
			dst = u64_to_user_ptr(r->samples) +
			      (size_t)v * r->samples_cap;
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
	else if (r->interrupted)
		ret = -EINTR;	/* partial results were copied out */
out:
	for (v = 0; v < GUPB_NR_VARIANTS; v++)
		kvfree(samples[v]);
	kfree(r);
	return ret;
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
