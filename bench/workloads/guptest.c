// SPDX-License-Identifier: GPL-2.0
/*
 * wl_guptest.c - the same sweep through the kernel's own gup_test
 * (/sys/kernel/debug/gup_test, CONFIG_GUP_TEST), to cross-check the
 * module: gup_test times a whole range in microseconds (per call to a few
 * percent, the range being large); with the module open, each run times
 * the same calls through it too (gup_test_vs_kmod, 1.0 = identical). No
 * claim: the two are each other's check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/case.h"
#include "core/ctx.h"
#include "kmod/kmod.h"
#include "uapi/gupbench.h"

/* From mm/gup_test.h (not exported to user space), same layout. */
struct gupb_gup_test {
	__u64 get_delta_usec, put_delta_usec, addr, size;
	__u32 nr_pages_per_call, gup_flags, test_flags, which_pages[8];
};
#define GUPB_GT_GUP_FAST	_IOWR('g', 1, struct gupb_gup_test)
#define GUPB_GT_PIN_FAST	_IOWR('g', 2, struct gupb_gup_test)
#define GUPB_GT_FOLL_WRITE	0x1
#define GUPB_GT_PATH		"/sys/kernel/debug/gup_test"
#define GUPB_GT_BYTES		(64UL << 20)
#define GUPB_GT_KMOD_RUNS	32

enum { GT_GUP, GT_PIN };

#define ANON_PAGES GUPB_FIXED(GUPB_KEY_BACKING, "anon"), GUPB_SWEEP(GUPB_KEY_PAGES)

static const struct gupb_family families[] = {
	GUPB_FAMILY("gup_test_gup_fast", GT_GUP, NULL, ANON_PAGES),
	GUPB_FAMILY("gup_test_pin_fast", GT_PIN, NULL, ANON_PAGES),
	GUPB_FAMILY_END
};

struct gt {
	int fd;
	struct gupb_gup_test t;
	struct gupb_run r;		/* the module on the same calls */
	size_t calls;			/* per sweep */
	int paired;			/* this run's module sweeps */
	double best_ns, kmod_ns;	/* this run's best, each side */
};

/* Why gup_test does not open (errno of the open). */
static const char *no_gup_test(void)
{
	static char why[256];

	snprintf(why, sizeof(why),
		 "%s: %s (needs CONFIG_GUP_TEST and debugfs, as root)",
		 GUPB_GT_PATH, strerror(errno));
	return why;
}

/*
 * No gup_test here: the family is left out, said why once (notrun.h).
 * Registration opens nothing: access() tells what open(O_RDWR) would.
 */
static const char *absent(const struct gupb_ctx *ctx)
{
	(void)ctx;
	return access(GUPB_GT_PATH, R_OK | W_OK) ? no_gup_test() : NULL;
}

/* Pages per call that the module takes too, within the range. */
static bool accept(const struct gupb_case *c)
{
	size_t pages = c->bytes / gupb_page_size();

	return pages && pages <= GUPB_MAX_PAGES_PER_CALL &&
	       GUPB_GT_BYTES / gupb_page_size() >= pages;
}

static size_t buf_bytes(const struct gupb_case *c)
{
	(void)c;
	return GUPB_GT_BYTES;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct gt *g = c->priv;
	__u32 pages = (__u32)(c->bytes / gupb_page_size());

	memset(g, 0, sizeof(*g));
	g->fd = open(GUPB_GT_PATH, O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		snprintf(why, len, "%s", no_gup_test());
		return GUPB_SKIP;
	}
	g->calls = GUPB_GT_BYTES / gupb_page_size() / pages;
	g->t.addr = (unsigned long)c->buf.addr;
	g->t.nr_pages_per_call = pages;
	g->t.gup_flags = GUPB_GT_FOLL_WRITE;
	g->r.addr = g->t.addr;
	g->r.len = GUPB_GT_BYTES;
	g->r.op = c->fam->arg == GT_PIN ? GUPB_OP_PIN_FAST : GUPB_OP_GUP_FAST;
	g->r.flags = GUPB_F_WRITE;
	g->r.nr_pages = pages;
	g->r.iterations = (__u32)g->calls;
	return GUPB_RUN;
}

/*
 * The module on the same calls, untimed: each side's best of as many
 * sweeps, in turns (a best of N depends on N; a TCG guest stalls), less
 * the module's empty timed call (clock_overhead_ns), absent in gup_test.
 */
static void pair(struct gupb_case *c, struct gt *g, double per_call_ns)
{
	const struct gupb_ctx *ctx = c->ctx;
	const struct gupb_stats *s = &g->r.stats[0];
	double ns;

	if (ctx->kfd < 0 || g->paired >= GUPB_GT_KMOD_RUNS)
		return;
	memset(g->r.stats, 0, sizeof(g->r.stats));
	if (gupb_kmod_run(ctx, &g->r) || !s->calls)
		return;
	ns = (double)s->total_ns / (double)s->calls -
	     (double)ctx->kinfo.clock_overhead_ns;
	if (ns <= 0)
		return;
	g->paired++;
	if (!g->kmod_ns || ns < g->kmod_ns)
		g->kmod_ns = ns;
	if (!g->best_ns || per_call_ns < g->best_ns)
		g->best_ns = per_call_ns;
}

static int op(struct gupb_case *c)
{
	struct gt *g = c->priv;
	double per_call_ns;
	int ret;

	/* gup_test writes back the size it got through: reset both. */
	g->t.get_delta_usec = 0;
	g->t.size = GUPB_GT_BYTES;
	ret = ioctl(g->fd, c->fam->arg == GT_PIN ? GUPB_GT_PIN_FAST :
		    GUPB_GT_GUP_FAST, &g->t);
	if (__builtin_expect(ret || g->t.size != GUPB_GT_BYTES, 0)) {
		/* A short sweep (not the whole range): a page it could not get. */
		c->err = ret ? errno : EFAULT;
		return -1;
	}
	per_call_ns = (double)g->t.get_delta_usec * 1000.0 / (double)g->calls;
	c->iter_seconds = per_call_ns * 1e-9;
	pair(c, g, per_call_ns);
	return 0;
}

/* The counters of this run; the next pairs afresh. */
static void counters(struct gb_state *st, struct gupb_case *c)
{
	struct gt *g = c->priv;

	gb_counter(st, GUPB_CTR_CALLS_PER_ITER, (double)g->calls, 0);
	if (g->kmod_ns > 0 && g->best_ns > 0) {
		gb_counter(st, GUPB_CTR_GUP_TEST_VS_KMOD, g->best_ns / g->kmod_ns, 0);
		gb_counter(st, GUPB_CTR_GUP_TEST_VS_KMOD_SWEEPS, g->paired, 0);
	}
	g->paired = 0;
	g->best_ns = g->kmod_ns = 0;
}

static void teardown(struct gupb_case *c)
{
	struct gt *g = c->priv;

	if (g->fd >= 0)
		close(g->fd);
}

/* Not static: tests/bench/test_units.c expands its sweep. */
const struct gupb_wl gupb_wl_guptest = {
	.name = "guptest",
	.summary = "the kernel's gup_test (debugfs) on the same sweep, cross-checked with the module",
	.order = 60,
	.families = families,
	.gb = { .manual_time = true },
	.priv_size = sizeof(struct gt),
	.op_name = "gup_test ioctl",
	.absent = absent,
	.accept = accept,
	.buf_bytes = buf_bytes,
	.setup = setup,
	.op = op,
	.counters = counters,
	.teardown = teardown,
};
GUPB_WORKLOAD(gupb_wl_guptest);
