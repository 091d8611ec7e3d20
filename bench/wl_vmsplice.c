// SPDX-License-Identifier: GPL-2.0
/*
 * wl_vmsplice.c - vmsplice() of user pages into a pipe, drained each
 * iteration.
 *
 * vmsplice to a pipe takes page references through iov_iter_get_pages2()
 * -> get_user_pages_fast() (FOLL_GET, not FOLL_PIN). The control write()s
 * the same bytes into the same pipe: a copy, no GUP. Both drain the pipe
 * by splice() into /dev/null, which drops the pages without copying them.
 * Proof of path: after vmsplice the pipe holds the user page itself (a
 * change to the page after the call shows up in the pipe), after write()
 * it holds a copy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "profile.h"

struct vs {
	const struct gupb_config *cfg;
	char backing[16];
	char layout[16];
	size_t len;
	int ctl;
	int pipe[2];
	int devnull;
	struct gupb_buf buf;
};

static int fill(struct vs *v)
{
	struct iovec iov = { v->buf.addr, v->len };
	size_t done = 0;

	while (done < v->len) {
		ssize_t n;

		iov.iov_base = v->buf.addr + done;
		iov.iov_len = v->len - done;
		n = v->ctl ? write(v->pipe[1], iov.iov_base, iov.iov_len) :
			     vmsplice(v->pipe[1], &iov, 1, 0);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Empty len bytes out of the pipe into /dev/null: no copy. */
static int drain(struct vs *v, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = splice(v->pipe[0], NULL, v->devnull, NULL,
				   len - done, SPLICE_F_MOVE);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/*
 * 1 if the pipe references the user page itself (GUP), 0 if it holds a
 * copy: change the page after filling the pipe and look at what comes
 * out of it. -1 on error.
 */
static int pipe_shares_page(struct vs *v)
{
	char first[1];
	int shared;

	v->buf.addr[0] = 'A';
	if (fill(v))
		return -1;
	v->buf.addr[0] = 'B';
	if (read(v->pipe[0], first, 1) != 1)
		return -1;
	shared = first[0] == 'B';
	if (drain(v, v->len - 1))
		return -1;
	return shared;
}

static void bm_vmsplice(struct gb_state *st, void *arg)
{
	struct vs *v = arg;
	char why[256];
	int shared;

	v->devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (pipe2(v->pipe, O_CLOEXEC) || v->devnull < 0) {
		gb_error(st, "pipe: %s", strerror(errno));
		return;
	}
	if (fcntl(v->pipe[1], F_SETPIPE_SZ, (int)v->len) < (int)v->len) {
		gb_skip(st, "pipe cannot hold %zu bytes (F_SETPIPE_SZ: %s; see /proc/sys/fs/pipe-max-size)",
			v->len, strerror(errno));
		goto out_pipe;
	}
	if (gupb_buf_alloc(&v->buf, v->backing, v->layout, v->len,
			   v->cfg->tmpdir, why, sizeof(why))) {
		gb_skip(st, "%s", why);
		goto out_pipe;
	}
	shared = pipe_shares_page(v);
	if (shared < 0) {
		gb_error(st, "%s: %s", v->ctl ? "write" : "vmsplice",
			 strerror(errno));
		goto out;
	}
	if (shared == v->ctl) {
		gb_error(st, "proof of path failed: the pipe %s the user page",
			 shared ? "shares" : "does not share");
		goto out;
	}
	while (gb_keep_running(st)) {
		if (__builtin_expect(fill(v) || drain(v, v->len), 0)) {
			gb_error(st, "pipe I/O: %s", strerror(errno));
			break;
		}
	}
	gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)v->len);
	/* Proven above: the pipe holds the user pages themselves. */
	gb_counter(st, "zero_copy", shared, GB_COUNTER_DEFAULT);
out:
	gupb_buf_free(&v->buf);
out_pipe:
	close(v->pipe[0]);
	close(v->pipe[1]);
	if (v->devnull >= 0)
		close(v->devnull);
}

static int add(const struct gupb_config *cfg, const char *backing,
	       const char *layout, size_t len, int ctl)
{
	struct gb_opts opts = { .real_time = false };
	struct vs *v = calloc(1, sizeof(*v));
	char name[160];

	if (!v)
		return -ENOMEM;
	v->cfg = cfg;
	v->len = len;
	v->ctl = ctl;
	snprintf(v->backing, sizeof(v->backing), "%s", backing);
	snprintf(v->layout, sizeof(v->layout), "%s", layout);
	snprintf(name, sizeof(name), "%s/backing:%s/layout:%s/bytes:%zu",
		 ctl ? "vmsplice_write_ctl" : "vmsplice", backing, layout, len);
	return gb_register(name, bm_vmsplice, v, &opts);
}

static int reg(const struct gupb_config *cfg)
{
	const struct gupb_profile *p = &cfg->profile;
	int s, b, l, ret;

	/* vmsplice only: a pipe holds at most pipe-max-size (1 MiB). */
	for (s = 0; s < p->nr_sizes; s++) {
		if (p->sizes[s] > (1 << 20) || p->sizes[s] % gupb_page_size())
			continue;
		for (b = 0; gupb_backing_names[b]; b++) {
			if (!gupb_list_has(p->backings, gupb_backing_names[b]))
				continue;
			for (l = 0; gupb_layout_names[l]; l++) {
				if (!gupb_list_has(p->layouts, gupb_layout_names[l]) ||
				    (l && p->sizes[s] < 2 * gupb_page_size()))
					continue;
				ret = add(cfg, gupb_backing_names[b], gupb_layout_names[l],
					  p->sizes[s], 0);
				if (ret)
					return ret;
			}
		}
		ret = add(cfg, "anon", "inside", p->sizes[s], 1);
		if (ret)
			return ret;
	}
	return 0;
}

const struct gupb_workload gupb_wl_vmsplice = {
	.name = "vmsplice",
	.summary = "vmsplice() to a pipe: get_user_pages_fast() per call",
	.register_fn = reg,
};
