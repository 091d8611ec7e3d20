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
#include <string.h>
#include <unistd.h>

#include "core/case.h"
#include "core/ctx.h"

enum { OD_READ, OD_WRITE, OD_READ_CTL, OD_WRITE_CTL };

#define SWEPT GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_LAYOUT), \
	GUPB_SWEEP(GUPB_KEY_BYTES)
#define ANON_INSIDE GUPB_FIXED(GUPB_KEY_BACKING, "anon"), \
	GUPB_FIXED(GUPB_KEY_LAYOUT, "inside"), GUPB_SWEEP(GUPB_KEY_BYTES)
#define PINS GUPB_CTR_PINS_PER_ITER

static const struct gupb_family families[] = {
	GUPB_FAMILY("odirect_read", OD_READ, PINS, SWEPT),
	GUPB_FAMILY("odirect_write", OD_WRITE, PINS, SWEPT),
	GUPB_FAMILY("odirect_read_buffered_ctl", OD_READ_CTL, PINS, ANON_INSIDE),
	GUPB_FAMILY("odirect_write_buffered_ctl", OD_WRITE_CTL, PINS,
		    ANON_INSIDE),
	GUPB_FAMILY_END
};

struct odio {
	off_t off;
};

static bool is_write(const struct gupb_case *c)
{
	return c->fam->arg == OD_WRITE || c->fam->arg == OD_WRITE_CTL;
}

static bool is_ctl(const struct gupb_case *c)
{
	return c->fam->arg >= OD_READ_CTL;
}

static int one_io(struct gupb_case *c)
{
	const struct gupb_target *t = &c->ctx->target;
	struct odio *o = c->priv;
	int fd = is_ctl(c) ? t->fd_buffered : t->fd;
	ssize_t n;

	if (o->off + (off_t)c->bytes > t->size)
		o->off = 0;
	n = is_write(c) ? pwrite(fd, c->buf.addr, c->bytes, o->off) :
			  pread(fd, c->buf.addr, c->bytes, o->off);
	o->off += (off_t)c->bytes;
	if (__builtin_expect(n == (ssize_t)c->bytes, 1))
		return 0;
	c->err = n < 0 ? errno : EIO;
	return -1;
}

/* A control pins nothing; otherwise one pin per page per I/O. */
static double claim(const struct gupb_case *c)
{
	return is_ctl(c) ? 0 : (double)(c->bytes / gupb_page_size());
}

static enum gupb_verdict check(struct gupb_case *c, char *why, size_t len)
{
	c->bytes_per_op = (int64_t)c->bytes;
	return gupb_ctx_target_usable(c->ctx, is_write(c), c->bytes, why, len);
}

/* The checks' probe: one O_DIRECT pread of a page into addr. */
static enum gupb_probe_ret probe(struct gupb_ctx *ctx, char *addr,
				 struct gupb_probe_io *io)
{
	const struct gupb_target *t = &ctx->target;
	ssize_t n;

	if (t->fd < 0) {
		snprintf(io->why, sizeof(io->why), "no O_DIRECT target: %s", t->why);
		return GUPB_PROBE_SKIP;
	}
	if ((size_t)t->size < io->len) {
		snprintf(io->why, sizeof(io->why), "O_DIRECT target smaller than a page");
		return GUPB_PROBE_SKIP;
	}
	n = pread(t->fd, addr, io->len, 0);
	io->err = n < 0 ? errno : 0;
	return n > 0 ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

static const struct gupb_probe probes[] = {
	{ .entry = "odirect", .order = 2, .flags = GUPB_PROBE_READS_TARGET,
	  .fn = probe },
	{ .entry = NULL }
};

static const struct gupb_wl odirect = {
	.name = "odirect",
	.summary = "O_DIRECT pread/pwrite: pin_user_pages_fast() per I/O",
	.order = 10,
	.probes = probes,
	.families = families,
	.gb = { .real_time = true },
	.priv_size = sizeof(struct odio),
	.op_name = "I/O failed",
	.claim = claim,
	.check = check,
	.pin_rounds = 32,
	.op = one_io,
};
GUPB_WORKLOAD(odirect);
