// SPDX-License-Identifier: GPL-2.0
/*
 * wl_futex.c - FUTEX_WAKE with no waiters on a shared futex.
 *
 * A shared (non-PRIVATE) futex key is found through get_futex_key() ->
 * get_user_pages_fast(addr, 1): one GUP-fast of one page per call, a
 * reference, not a FOLL_PIN (so nr_foll_pin_* stay still). The control
 * sets FUTEX_PRIVATE_FLAG: the key is (mm, address), no GUP at all.
 * Proof of path, on the benchmark's own page: made PROT_NONE for a moment,
 * the shared wake fails with EFAULT (the walk refused the page), the
 * private one returns 0 untouched.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/case.h"

enum { FX_SHARED, FX_PRIVATE };

static const struct gupb_family families[] = {
	GUPB_FAMILY("futex_wake_shared", FX_SHARED, GUPB_CTR_GUP_PER_ITER,
		    GUPB_SWEEP(GUPB_KEY_BACKING)),
	GUPB_FAMILY("futex_wake_private_ctl", FX_PRIVATE, GUPB_CTR_GUP_PER_ITER,
		    GUPB_FIXED(GUPB_KEY_BACKING, "anon")),
	GUPB_FAMILY_END
};

static long wake(struct gupb_case *c)
{
	return syscall(SYS_futex, c->buf.addr, FUTEX_WAKE |
		       (c->fam->arg == FX_PRIVATE ? FUTEX_PRIVATE_FLAG : 0),
		       1, NULL, NULL, 0);
}

static int op(struct gupb_case *c)
{
	if (__builtin_expect(wake(c) >= 0, 1))
		return 0;
	c->err = errno;
	return -1;
}

/* GUP-fast calls per wake: one for a shared futex, none for a private. */
static double claim(const struct gupb_case *c)
{
	return c->fam->arg == FX_SHARED;
}

static size_t buf_bytes(const struct gupb_case *c)
{
	(void)c;
	return gupb_page_size();
}

/*
 * Does this kind of wake walk the page tables of the futex word? Made
 * PROT_NONE, the page is refused by GUP-fast and the slow path (EFAULT);
 * a private wake never looks at it. The proof runs on the benchmark's own
 * page, then the protection comes back (the page stays present).
 */
static enum gupb_proof prove(struct gupb_case *c, char *why, size_t len)
{
	int huge = !strcmp(c->backing, "thp") || !strcmp(c->backing, "hugetlb");
	size_t bytes = huge ? gupb_pmd_size() : gupb_page_size();
	char *addr = c->buf.addr;

	/*
	 * Whole huge pages: a 4K mprotect would split a THP's PMD mapping
	 * (and is refused on hugetlb); the buffer starts on a PMD boundary.
	 */
	if (mprotect(addr, bytes, PROT_NONE)) {
		bytes = gupb_pmd_size();
		if (mprotect(addr, bytes, PROT_NONE))
			goto fail;
	}
	c->measured = wake(c) < 0 && errno == EFAULT;
	if (mprotect(addr, bytes, PROT_READ | PROT_WRITE))
		goto fail;
	snprintf(why, len, "a %s wake %s the page tables",
		 c->fam->arg == FX_PRIVATE ? "private" : "shared",
		 c->measured ? "walked" : "did not walk");
	return c->measured == c->claim ? GUPB_PROVEN : GUPB_REFUTED;
fail:
	snprintf(why, len, "mprotect: %s", strerror(errno));
	return GUPB_OP_FAILED;
}

/* --- the checks' probe: a shared FUTEX_WAKE at addr --- */

static long futex_call(void *addr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

struct waiter {
	atomic_int started;
	char *x;
};

static void *wait_on_x(void *arg)
{
	struct waiter *w = arg;
	struct timespec ts = { 2, 0 };

	atomic_store(&w->started, 1);
	futex_call(w->x, FUTEX_WAIT, *(volatile int *)w->x, &ts);
	return NULL;
}

/*
 * A shared wake at an accepted addr: does it wake a waiter on X? Retried
 * while the waiter may not have queued yet.
 */
static bool wakes_x(char *addr, char *x)
{
	struct waiter w = { .x = x };
	pthread_t t;
	int i, woke = 0;

	if (pthread_create(&t, NULL, wait_on_x, &w))
		return false;
	while (!atomic_load(&w.started))
		sched_yield();
	for (i = 0; i < 200 && !woke; i++) {
		woke = futex_call(addr, FUTEX_WAKE, 1, NULL) == 1;
		if (!woke)
			usleep(5000);
	}
	if (!woke)
		futex_call(x, FUTEX_WAKE, 1, NULL);	/* let it go */
	pthread_join(t, NULL);
	return woke;
}

static enum gupb_probe_ret probe(struct gupb_ctx *ctx, char *addr,
				 struct gupb_probe_io *io)
{
	long r = futex_call(addr, FUTEX_WAKE, 1, NULL);

	(void)ctx;
	io->err = r < 0 ? errno : 0;
	if (r >= 0 && !io->baseline)
		io->confirmed = wakes_x(addr, io->x);
	return r >= 0 ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

static const struct gupb_probe probes[] = {
	{ .entry = "futex", .order = 1, .flags = GUPB_PROBE_WAKES, .fn = probe },
	{ .entry = NULL }
};

static const struct gupb_wl futex = {
	.name = "futex",
	.summary = "shared FUTEX_WAKE: get_user_pages_fast() of one page",
	.order = 30,
	.probes = probes,
	.families = families,
	.gb = { .real_time = false },
	.op_name = "futex",
	.claim = claim,
	.buf_bytes = buf_bytes,
	.prove = prove,
	.op = op,
};
GUPB_WORKLOAD(futex);
