// SPDX-License-Identifier: GPL-2.0
/*
 * pool.c - the values of one repetition (per-call times, paired
 * differences) for order statistics. Up to POOL_MAX are kept; past that,
 * a uniform random subset of that size (reservoir sampling, algorithm R),
 * so that a long repetition on fast hardware does not take gigabytes.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "kmod/kmod.h"

#define POOL_MAX	(1U << 21)

/*
 * All of it up front (address space only until touched): growing it in
 * the timed loop would mmap, and a new mapping can take the very hole the
 * contention churn keeps mapping and unmapping.
 */
int kpool_reserve(struct kpool *p)
{
	p->v = malloc((size_t)POOL_MAX * sizeof(*p->v));
	p->cap = p->v ? POOL_MAX : 0;
	kpool_reset(p);
	return p->v ? 0 : -ENOMEM;
}

void kpool_reset(struct kpool *p)
{
	p->n = p->seen = 0;
	p->rng = 0;
}

void kpool_free(struct kpool *p)
{
	free(p->v);
	p->v = NULL;
	p->cap = 0;
	kpool_reset(p);
}

/* Never grows (kpool_reserve): past cap, a reservoir sample. */
int kpool_add(struct kpool *p, double x)
{
	if (!p->cap)
		return -ENOMEM;
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

void kpool_sort(struct kpool *p)
{
	qsort(p->v, p->n, sizeof(*p->v), cmp_double);
}

/* Nearest rank, the kernel's formula: sorted[min(n - 1, n * q / 100)]. */
double kpool_pct(const struct kpool *p, unsigned int q)
{
	size_t i = p->n * q / 100;

	return p->v[i < p->n ? i : p->n - 1];
}

double kpool_median(struct kpool *p)
{
	size_t n = p->n;

	kpool_sort(p);
	return n % 2 ? p->v[n / 2] : (p->v[n / 2 - 1] + p->v[n / 2]) / 2;
}

/*
 * Paired differences: sample i of two variants' rows comes from the same
 * round of one ioctl (the module rotates the order per round), so
 * this - live per round cancels drift that hits both. Their median and a
 * distribution-free 95% CI of it (order statistics n/2 -+ 0.98 sqrt(n)).
 */
int kpool_median_ci(struct kpool *d, struct kpool_ci *ci)
{
	double h = 0.98 * sqrt((double)d->n), lo, hi;
	size_t n = d->n;

	if (!n)
		return -1;
	ci->med = kpool_median(d);
	lo = floor(n / 2.0 - h);
	hi = ceil(n / 2.0 + h);
	ci->lo = d->v[lo < 0 ? 0 : (size_t)lo];
	ci->hi = d->v[hi > n - 1 ? n - 1 : (size_t)hi];
	ci->n = n;
	return 0;
}
