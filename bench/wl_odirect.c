// SPDX-License-Identifier: GPL-2.0
/*
 * wl_odirect.c - O_DIRECT pread/pwrite into user buffers.
 *
 * Block-device O_DIRECT pins the user buffer through
 * bio_iov_iter_get_pages() -> iov_iter_extract_pages() ->
 * pin_user_pages_fast(): one pin per page per I/O. The control is the same
 * pread on the same target without O_DIRECT (a page-cache copy: no GUP).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "profile.h"
#include "target.h"
#include "vmstat.h"

struct odio {
	const struct gupb_config *cfg;
	char backing[16];
	char layout[16];
	size_t len;
	int write;
	int ctl;	/* buffered: no GUP */
	struct gupb_buf buf;
	off_t off;
	int state;	/* see setup() */
	char msg[320];
	double pins;	/* measured by the proof */
};

struct gupb_target gupb_odirect_target;

static int one_io(void *arg)
{
	struct odio *o = arg;
	int fd = o->ctl ? gupb_odirect_target.fd_buffered : gupb_odirect_target.fd;
	ssize_t n;

	if (o->off + (off_t)o->len > gupb_odirect_target.size)
		o->off = 0;
	n = o->write ? pwrite(fd, o->buf.addr, o->len, o->off) :
		       pread(fd, o->buf.addr, o->len, o->off);
	o->off += (off_t)o->len;
	return n == (ssize_t)o->len ? 0 : -1;
}

/*
 * The buffer and the proof are made once per benchmark, not once per
 * repetition (THP and file buffers take a while to build); the buffer
 * stays until the next benchmark starts. state: 0 new, 1 ready, 2 skip,
 * 3 error, msg says why.
 */
static struct odio *live;

static void teardown(struct odio *o)
{
	if (o->state == 1) {
		gupb_buf_free(&o->buf);
		o->state = 0;
	}
}

static void setup(struct odio *o)
{
	struct gupb_target *t = &gupb_odirect_target;
	char why[256];
	int ret;

	o->state = 2;
	if (t->fd < 0) {
		snprintf(o->msg, sizeof(o->msg), "no O_DIRECT target: %s", t->why);
		return;
	}
	if (o->write && !t->writable) {
		snprintf(o->msg, sizeof(o->msg),
			 "writes only go to private targets (null_blk, zram), not %s",
			 t->desc);
		return;
	}
	if ((off_t)o->len > t->size) {
		snprintf(o->msg, sizeof(o->msg), "target smaller than %zu bytes",
			 o->len);
		return;
	}
	if (gupb_buf_alloc(&o->buf, o->backing, o->layout, o->len,
			   o->cfg->tmpdir, why, sizeof(why))) {
		snprintf(o->msg, sizeof(o->msg), "%s", why);
		return;
	}
	o->state = 1;
	/* Proof of path, outside the timed loop. */
	ret = gupb_pins_prove(one_io, o, 32,
			      o->ctl ? 0 : (double)(o->len / gupb_page_size()),
			      &o->pins, why, sizeof(why));
	if (ret == 1)
		return;
	if (ret == -2)
		snprintf(why, sizeof(why), "%s: %s",
			 o->write ? "pwrite" : "pread", strerror(errno));
	teardown(o);
	o->state = ret == -3 ? 2 : 3;
	snprintf(o->msg, sizeof(o->msg), "%s%s",
		 ret == -3 ? "cannot prove the path on a busy machine: " :
		 ret == 0 ? "proof of path failed: " : "", why);
}

static void bm_odirect(struct gb_state *st, void *arg)
{
	struct odio *o = arg;
	int64_t n = 0;

	if (live != o) {
		if (live)
			teardown(live);
		live = o;
		if (o->state == 0)
			setup(o);
	}
	if (o->state == 2) {
		gb_skip(st, "%s", o->msg);
		return;
	}
	if (o->state == 3) {
		gb_error(st, "%s", o->msg);
		return;
	}
	while (gb_keep_running(st)) {
		if (__builtin_expect(one_io(o), 0)) {
			gb_error(st, "I/O failed: %s", strerror(errno));
			teardown(o);
			o->state = 3;
			snprintf(o->msg, sizeof(o->msg), "I/O failed");
			return;
		}
		n++;
	}
	gb_counter(st, "pins_per_iter", o->pins, GB_COUNTER_DEFAULT);
	gb_set_bytes_processed(st, n * (int64_t)o->len);
}

static int add(const struct gupb_config *cfg, const char *backing,
	       const char *layout, size_t len, int write, int ctl)
{
	struct gb_opts opts = {
		.real_time = true,
	};
	struct odio *o = calloc(1, sizeof(*o));
	char name[160];

	if (!o)
		return -ENOMEM;
	o->cfg = cfg;
	snprintf(o->backing, sizeof(o->backing), "%s", backing);
	snprintf(o->layout, sizeof(o->layout), "%s", layout);
	o->len = len;
	o->write = write;
	o->ctl = ctl;
	snprintf(name, sizeof(name), "odirect_%s%s/backing:%s/layout:%s/bytes:%zu",
		 write ? "write" : "read", ctl ? "_buffered_ctl" : "",
		 backing, layout, len);
	return gb_register(name, bm_odirect, o, &opts);
}

static int reg(const struct gupb_config *cfg)
{
	const struct gupb_profile *p = &cfg->profile;
	int ret, s, b, l, w;

	ret = gupb_target_open(cfg->target, &gupb_odirect_target);
	if (ret)
		return ret;
	if (gupb_odirect_target.fd >= 0)
		gb_contextf("odirect_target", "%s", gupb_odirect_target.desc);
	else
		gb_contextf("odirect_target", "none: %s", gupb_odirect_target.why);
	for (s = 0; s < p->nr_sizes; s++) {
		if (p->sizes[s] % gupb_page_size())
			continue;
		for (w = 0; w < 2; w++) {
			for (b = 0; gupb_backing_names[b]; b++) {
				if (!gupb_list_has(p->backings, gupb_backing_names[b]))
					continue;
				for (l = 0; gupb_layout_names[l]; l++) {
					/* One page cannot straddle anything. */
					if (!gupb_list_has(p->layouts, gupb_layout_names[l]) ||
					    (l && p->sizes[s] < 2 * gupb_page_size()))
						continue;
					ret = add(cfg, gupb_backing_names[b], gupb_layout_names[l],
						  p->sizes[s], w, 0);
					if (ret)
						return ret;
				}
			}
			ret = add(cfg, "anon", "inside", p->sizes[s], w, 1);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static void cleanup(void)
{
	gupb_target_close(&gupb_odirect_target);
}

const struct gupb_workload gupb_wl_odirect = {
	.name = "odirect",
	.summary = "O_DIRECT pread/pwrite: pin_user_pages_fast() per I/O",
	.register_fn = reg,
	.cleanup_fn = cleanup,
};
