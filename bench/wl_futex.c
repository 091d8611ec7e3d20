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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "profile.h"

struct fx {
	const struct gupb_config *cfg;
	char backing[16];
	int private;
};

static long wake(void *addr, int private)
{
	return syscall(SYS_futex, addr,
		       FUTEX_WAKE | (private ? FUTEX_PRIVATE_FLAG : 0), 1,
		       NULL, NULL, 0);
}

/*
 * 1 if this kind of wake walks the page tables of the futex word: made
 * PROT_NONE, the page is refused by GUP-fast and the slow path (EFAULT);
 * a private wake never looks at it (0). The proof runs on the benchmark's
 * own page, then the protection comes back (the page stays present).
 * -1: mprotect failed.
 */
static int walks_page_tables(char *addr, const char *backing, int private)
{
	int huge = !strcmp(backing, "thp") || !strcmp(backing, "hugetlb");
	size_t len = huge ? gupb_pmd_size() : gupb_page_size();
	int ret;

	/*
	 * Whole huge pages: a 4K mprotect would split a THP's PMD mapping
	 * (and is refused on hugetlb); the buffer starts on a PMD boundary.
	 */
	if (mprotect(addr, len, PROT_NONE)) {
		len = gupb_pmd_size();
		if (mprotect(addr, len, PROT_NONE))
			return -1;
	}
	ret = wake(addr, private) < 0 && errno == EFAULT;
	if (mprotect(addr, len, PROT_READ | PROT_WRITE))
		return -1;
	return ret;
}

static void bm_futex(struct gb_state *st, void *arg)
{
	struct fx *f = arg;
	struct gupb_buf b;
	char why[256];
	int walks;

	if (gupb_buf_alloc(&b, f->backing, "inside", gupb_page_size(),
			   f->cfg->tmpdir, why, sizeof(why))) {
		gb_skip(st, "%s", why);
		return;
	}
	walks = walks_page_tables(b.addr, f->backing, f->private);
	if (walks < 0) {
		gb_error(st, "mprotect: %s", strerror(errno));
		goto out;
	}
	if (walks != !f->private) {
		gb_error(st, "proof of path failed: a %s wake %s the page tables",
			 f->private ? "private" : "shared",
			 walks ? "walked" : "did not walk");
		goto out;
	}
	while (gb_keep_running(st)) {
		if (__builtin_expect(wake(b.addr, f->private) < 0, 0)) {
			gb_error(st, "futex: %s", strerror(errno));
			break;
		}
	}
	/* GUP-fast calls per wake, as proven above (refs, not pins). */
	gb_counter(st, "gup_per_iter", walks, GB_COUNTER_DEFAULT);
out:
	gupb_buf_free(&b);
}

static int add(const struct gupb_config *cfg, const char *backing,
	       int private)
{
	struct gb_opts opts = { .real_time = false };
	struct fx *f = calloc(1, sizeof(*f));
	char name[128];

	if (!f)
		return -ENOMEM;
	f->cfg = cfg;
	f->private = private;
	snprintf(f->backing, sizeof(f->backing), "%s", backing);
	snprintf(name, sizeof(name), "%s/backing:%s",
		 private ? "futex_wake_private_ctl" : "futex_wake_shared",
		 backing);
	return gb_register(name, bm_futex, f, &opts);
}

static int reg(const struct gupb_config *cfg)
{
	int b, ret;

	for (b = 0; gupb_backing_names[b]; b++) {
		if (!gupb_list_has(cfg->profile.backings, gupb_backing_names[b]))
			continue;
		ret = add(cfg, gupb_backing_names[b], 0);
		if (ret)
			return ret;
	}
	return add(cfg, "anon", 1);
}

const struct gupb_workload gupb_wl_futex = {
	.name = "futex",
	.summary = "shared FUTEX_WAKE: get_user_pages_fast() of one page",
	.register_fn = reg,
};
