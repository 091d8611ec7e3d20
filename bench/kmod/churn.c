// SPDX-License-Identifier: GPL-2.0
/*
 * churn.c - contention: while the module walks, a second thread
 * keeps mapping, touching and unmapping a page whose entry (a PMD entry,
 * or a top-level one) shares the 64-byte line of the entry the walk
 * reads: in a range no other mapping shares, so that munmap frees the
 * table below the entry and the kernel writes the entry twice a round
 * (clear, populate). Where a level is folded at run time the walk reads
 * and re-reads top-level entry 0 for every address: that is the entry
 * churned there. The result proves it (churn_same_line, from the entry
 * addresses the module reports; the module's reads of the churned entry
 * that saw it change, churn_seen) and counts the reloads of the top-level
 * entry that differed from the first read (reload_mismatch).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/ctx.h"
#include "kmod/kmod.h"
#include "sys/clock.h"

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

void churn_stop(struct churn *c)
{
	if (!c->running)
		return;
	atomic_store(&c->stop, 1);
	pthread_join(c->thread, NULL);
	c->running = false;
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
 * The churned page for the buffer at a (entries ea, each mapping span
 * bytes, up to top): c->addr, c->churned, or c->addr NULL. PMD: the
 * entries of the same table; top: every top-level one.
 */
static void find_neighbour(struct churn *c, const struct gupb_ctx *ctx,
			   unsigned long a, unsigned long span,
			   unsigned long top, bool pmd,
			   const struct gupb_entries *ea)
{
	unsigned long base = a / span * span, n, p;
	long j, first = pmd ? -8 : -(long)(base / span);
	long last = pmd ? 8 : (long)((top - base) / span) - 1;
	struct gupb_entries en;

	for (j = first; j <= last && !c->addr; j++) {
		n = base + j * span;
		if ((j < 0 && (unsigned long)-j * span > base) || n >= top)
			continue;
		p = n + span / 2;
		if (gupb_kmod_entries(ctx, p, &en))
			continue;
		c->churned = pmd ? en.pmd : en.top_own;
		if (!c->churned || !c->walked ||
		    c->churned == (pmd ? ea->pmd : ea->top_own) ||
		    c->churned / 64 != c->walked / 64 ||
		    !range_free(n, n + span))
			continue;
		c->addr = (char *)p;
	}
}

/*
 * Start the neighbour churn for buffer b at level kind (GUPB_WATCH_*);
 * -1 with why on failure. The churned page is in the middle of the range
 * of an entry that (a) is not the one over the buffer (its tables stay),
 * (b) shares the 64-byte line of the entry the walk reads (by the kernel
 * addresses the module reports), and (c) has no mapping in its whole
 * range, so that munmap frees the table below it and the entry is written
 * again every round. The timed loop starts once the churn is going: a
 * short run could end before the thread's first round.
 */
int churn_start(struct churn *c, const struct gupb_ctx *ctx,
		const struct gupb_buf *b, int kind, struct gupb_run *r,
		char *why, size_t wl)
{
	const struct gupb_info *info = &ctx->kinfo;
	unsigned long a = (unsigned long)b->addr, top;
	unsigned int shift = info->page_shift, lv = info->levels_runtime, s;
	bool pmd = kind == GUPB_WATCH_PMD;
	struct gupb_entries ea;
	long j;

	memset(c, 0, sizeof(*c));
	/* The thread first: its stack would land in the range found free. */
	if (pthread_create(&c->thread, NULL, churn_fn, c)) {
		snprintf(why, wl, "pthread_create failed");
		return -1;
	}
	c->running = true;
	s = pmd ? 2 * shift - 3 : shift + (shift - 3) * (lv - 1);
	top = info->va_bits < 64 ? 1UL << info->va_bits : ~0UL;
	if (s >= 63 || gupb_kmod_entries(ctx, a, &ea)) {
		snprintf(why, wl, "no entries of the buffer here (%s)",
			 strerror(errno));
		goto fail;
	}
	c->walked = pmd ? ea.pmd : ea.top_read;
	find_neighbour(c, ctx, a, 1UL << s, top, pmd, &ea);
	if (!c->addr) {
		snprintf(why, wl, "no %s entry in the line of the walked one has a range free of mappings",
			 pmd ? "PMD" : "top-level");
		goto fail;
	}
	atomic_store(&c->go, 1);
	for (j = 0; j < 5000 && !atomic_load(&c->rounds) &&
	     !atomic_load(&c->err); j++)
		usleep(1000);
	if (!atomic_load(&c->rounds)) {
		snprintf(why, wl, "the neighbour churn could not run (mmap at %p: %s)",
			 (void *)c->addr, atomic_load(&c->err) ?
			 strerror(atomic_load(&c->err)) : "no round in 5 s");
		goto fail;
	}
	c->t0 = gupb_now();
	c->c0 = atomic_load(&c->rounds);
	r->watch_level = (unsigned int)kind;
	r->watch_addr = (unsigned long)c->addr;
	return 0;
fail:
	churn_stop(c);
	return -1;
}

/* Sum the watch and reload figures of one ioctl. */
void churn_add(struct churn *c, const struct gupb_run *r)
{
	struct gupb_run *sum = &c->wsum;

	sum->entry_walked = r->entry_walked;
	sum->entry_watched = r->entry_watched;
	sum->watch_reads += r->watch_reads;
	sum->watch_changes += r->watch_changes;
	sum->reload_checks += r->reload_checks;
	sum->reload_mismatch += r->reload_mismatch;
}

int churn_end(struct churn *c, struct kfigure *f, char *why, size_t len)
{
	double secs = gupb_now() - c->t0;
	unsigned long rounds = atomic_load(&c->rounds) - c->c0;
	const struct gupb_run *sum = &c->wsum;
	int n = 0;

	churn_stop(c);
	if (atomic_load(&c->err)) {
		snprintf(why, len, "the neighbour churn stopped (mmap at %p: %s)",
			 (void *)c->addr, strerror(atomic_load(&c->err)));
		return -1;
	}
	/* Per second of wall clock: the manual time is per call or walk. */
	f[n++] = (struct kfigure){ GUPB_CTR_CHURN_ROUNDS,
				   secs > 0 ? rounds / secs : 0 };
	/* Each round writes the entry twice: populate, clear. */
	f[n++] = (struct kfigure){ GUPB_CTR_CHURN_WRITES, 2.0 * rounds };
	f[n++] = (struct kfigure){ GUPB_CTR_CHURN_SAME_LINE,
		sum->entry_walked && sum->entry_watched &&
		sum->entry_walked / 64 == sum->entry_watched / 64 &&
		c->walked == sum->entry_walked };
	/* The module's reads of the churned entry, one per round. */
	f[n++] = (struct kfigure){ GUPB_CTR_CHURN_READS, (double)sum->watch_reads };
	f[n++] = (struct kfigure){ GUPB_CTR_CHURN_SEEN, (double)sum->watch_changes };
	if (sum->reload_checks) {
		f[n++] = (struct kfigure){ GUPB_CTR_RELOAD_CHECKS,
					   (double)sum->reload_checks };
		f[n++] = (struct kfigure){ GUPB_CTR_RELOAD_MISMATCH,
					   (double)sum->reload_mismatch };
	}
	return n;
}
