// SPDX-License-Identifier: GPL-2.0
/*
 * wl_futex.c - FUTEX_WAKE with no waiters on a shared futex.
 *
 * A shared (non-PRIVATE) futex key is found through get_futex_key() ->
 * get_user_pages_fast(addr, 1): one GUP-fast of one page per call, a
 * reference, not a FOLL_PIN (so nr_foll_pin_* stay still). The control
 * sets FUTEX_PRIVATE_FLAG: the key is (mm, address), no GUP at all.
 * Proof of path: on a PROT_NONE page the shared wake fails with EFAULT
 * (the walk refused the page), the private one returns 0 untouched.
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

/* 1 if this kind of wake walks the page tables (EFAULT on PROT_NONE). */
static int walks_page_tables(int private)
{
	size_t page = gupb_page_size();
	char *p = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	int ret;

	if (p == MAP_FAILED)
		return -1;
	ret = wake(p, private) < 0 && errno == EFAULT;
	munmap(p, page);
	return ret;
}

static void bm_futex(struct gb_state *st, void *arg)
{
	struct fx *f = arg;
	struct gupb_buf b;
	char why[256];
	int walks = walks_page_tables(f->private);

	if (walks != !f->private) {
		gb_error(st, "proof of path failed: a %s wake %s the page tables",
			 f->private ? "private" : "shared",
			 walks ? "walked" : "did not walk");
		return;
	}
	if (gupb_buf_alloc(&b, f->backing, "inside", gupb_page_size(),
			   f->cfg->tmpdir, why, sizeof(why))) {
		gb_skip(st, "%s", why);
		return;
	}
	while (gb_keep_running(st)) {
		if (__builtin_expect(wake(b.addr, f->private) < 0, 0)) {
			gb_error(st, "futex: %s", strerror(errno));
			break;
		}
	}
	/* GUP-fast calls per wake, as proven above (refs, not pins). */
	gb_counter(st, "gup_per_iter", walks, GB_COUNTER_DEFAULT);
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
	static const char *const backings[] = {
		"anon", "thp", "hugetlb", "shmem", "file" };
	int b, ret;

	for (b = 0; b < 5; b++) {
		if (!gupb_list_has(cfg->profile.backings, backings[b]))
			continue;
		ret = add(cfg, backings[b], 0);
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
