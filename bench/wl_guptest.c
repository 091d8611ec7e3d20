// SPDX-License-Identifier: GPL-2.0
/*
 * wl_guptest.c - the same sweep through the kernel's own gup_test
 * (/sys/kernel/debug/gup_test, CONFIG_GUP_TEST), to cross-check the
 * module. gup_test times a whole range in microseconds; with a large
 * enough range that is still a per-call figure to a few percent. When the
 * module is loaded too, each run also times the same calls through it and
 * records how far the two agree (gup_test_vs_kmod: 1.0 = identical; the
 * module's time less its empty-call overhead, clock_overhead_ns). Both
 * sides are the best of the same number of sweeps (up to GUPB_GT_KMOD_RUNS,
 * taken in turns), so that a stall of a TCG guest on a busy host does not
 * decide the ratio.
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

/* From mm/gup_test.h (not exported to user space). */
struct gupb_gup_test {
	__u64 get_delta_usec;
	__u64 put_delta_usec;
	__u64 addr;
	__u64 size;
	__u32 nr_pages_per_call;
	__u32 gup_flags;
	__u32 test_flags;
	__u32 which_pages[8];
};
#define GUPB_GT_GUP_FAST	_IOWR('g', 1, struct gupb_gup_test)
#define GUPB_GT_PIN_FAST	_IOWR('g', 2, struct gupb_gup_test)
#define GUPB_GT_FOLL_WRITE	0x1
#define GUPB_GT_PATH		"/sys/kernel/debug/gup_test"
#define GUPB_GT_BYTES		(64UL << 20)
#define GUPB_GT_KMOD_RUNS	32

struct gt {
	const struct gupb_config *cfg;
	int pin;
	size_t pages;
};

/* One module sweep over the same calls: mean ns per call, or 0. */
static double kmod_sweep(int kfd, struct gupb_run *r, __u64 overhead_ns)
{
	memset(r->stats, 0, sizeof(r->stats));
	if (ioctl(kfd, GUPB_IOC_RUN, r) || !r->stats[0].calls)
		return 0;
	return (double)r->stats[0].total_ns / (double)r->stats[0].calls -
	       (double)overhead_ns;
}

static void bm_guptest(struct gb_state *st, void *arg)
{
	struct gt *g = arg;
	struct gupb_gup_test t;
	struct gupb_info info = { 0 };
	struct gupb_run r;
	struct gupb_buf b;
	size_t page = gupb_page_size(), calls;
	char why[256];
	double per_call_ns = 0, best_ns = 0, kmod_ns = 0, ns;
	int fd, kfd, paired = 0;

	fd = open(GUPB_GT_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		gb_skip(st, "%s: %s (needs CONFIG_GUP_TEST and debugfs, as root)",
			GUPB_GT_PATH, strerror(errno));
		return;
	}
	if (gupb_buf_alloc(&b, "anon", "inside", GUPB_GT_BYTES, g->cfg->tmpdir,
			   why, sizeof(why))) {
		gb_skip(st, "%s", why);
		close(fd);
		return;
	}
	calls = GUPB_GT_BYTES / page / g->pages;
	memset(&t, 0, sizeof(t));
	t.addr = (unsigned long)b.addr;
	t.size = GUPB_GT_BYTES;
	t.nr_pages_per_call = (__u32)g->pages;
	t.gup_flags = GUPB_GT_FOLL_WRITE;
	/*
	 * The module on the same calls, to see how far the two agree: each
	 * of the module's per-call times includes one empty timed call (the
	 * counter reads), which gup_test's loop does not have.
	 */
	kfd = open(g->cfg->kmod_dev, O_RDWR | O_CLOEXEC);
	if (kfd >= 0 && ioctl(kfd, GUPB_IOC_INFO, &info)) {
		close(kfd);
		kfd = -1;
	}
	memset(&r, 0, sizeof(r));
	r.addr = t.addr;
	r.len = GUPB_GT_BYTES;
	r.op = g->pin ? GUPB_OP_PIN_FAST : GUPB_OP_GUP_FAST;
	r.flags = GUPB_F_WRITE;
	r.nr_pages = (__u32)g->pages;
	r.iterations = (__u32)calls;
	while (gb_keep_running(st)) {
		/* gup_test writes back the size it got through: reset both. */
		t.get_delta_usec = 0;
		t.size = GUPB_GT_BYTES;
		if (ioctl(fd, g->pin ? GUPB_GT_PIN_FAST : GUPB_GT_GUP_FAST, &t)) {
			gb_error(st, "gup_test ioctl: %s", strerror(errno));
			goto out;
		}
		if (t.size != GUPB_GT_BYTES) {
			gb_error(st, "gup_test got %llu of %lu bytes: not a full sweep",
				 (unsigned long long)t.size, GUPB_GT_BYTES);
			goto out;
		}
		per_call_ns = (double)t.get_delta_usec * 1000.0 / (double)calls;
		gb_set_iteration_time(st, per_call_ns * 1e-9);
		/*
		 * Best of the same number of sweeps on both sides, taken in
		 * turns (a best of N depends on N on a noisy host), untimed.
		 */
		if (kfd < 0 || paired >= GUPB_GT_KMOD_RUNS)
			continue;
		ns = kmod_sweep(kfd, &r, info.clock_overhead_ns);
		if (ns <= 0)
			continue;
		paired++;
		if (!kmod_ns || ns < kmod_ns)
			kmod_ns = ns;
		if (!best_ns || per_call_ns < best_ns)
			best_ns = per_call_ns;
	}
	gb_counter(st, "calls_per_iter", (double)calls, 0);
	if (kmod_ns > 0 && best_ns > 0) {
		gb_counter(st, "gup_test_vs_kmod", best_ns / kmod_ns, 0);
		gb_counter(st, "gup_test_vs_kmod_sweeps", paired, 0);
	}
out:
	if (kfd >= 0)
		close(kfd);
	gupb_buf_free(&b);
	close(fd);
}

static int reg(const struct gupb_config *cfg)
{
	const struct gupb_profile *p = &cfg->profile;
	struct gb_opts opts = { .manual_time = true };
	int s, pin, ret;

	for (s = 0; s < p->nr_sizes; s++) {
		size_t pages = p->sizes[s] / gupb_page_size();
		char name[128];
		struct gt *g;

		if (!pages || pages > GUPB_MAX_PAGES_PER_CALL ||
		    GUPB_GT_BYTES / gupb_page_size() < pages)
			continue;
		for (pin = 0; pin < 2; pin++) {
			g = calloc(1, sizeof(*g));
			if (!g)
				return -ENOMEM;
			g->cfg = cfg;
			g->pin = pin;
			g->pages = pages;
			snprintf(name, sizeof(name), "gup_test_%s/backing:anon/pages:%zu",
				 pin ? "pin_fast" : "gup_fast", pages);
			ret = gb_register(name, bm_guptest, g, &opts);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* No gup_test here (CONFIG_GUP_TEST, debugfs, root): the family is left out. */
static const char *unavailable(const struct gupb_config *cfg)
{
	static char why[256];
	int fd = open(GUPB_GT_PATH, O_RDWR | O_CLOEXEC);

	(void)cfg;
	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	snprintf(why, sizeof(why),
		 "%s: %s (needs CONFIG_GUP_TEST and debugfs, as root)",
		 GUPB_GT_PATH, strerror(errno));
	return why;
}

const struct gupb_workload gupb_wl_guptest = {
	.name = "guptest",
	.summary = "the kernel's gup_test (debugfs) on the same sweep, cross-checked with the module",
	.register_fn = reg,
	.unavailable_fn = unavailable,
};
