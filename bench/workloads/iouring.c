// SPDX-License-Identifier: GPL-2.0
/*
 * wl_iouring.c - io_uring I/O with plain and registered buffers.
 *
 * READ/WRITE with a plain buffer pins it per I/O (the same
 * iov_iter_extract_pages() -> pin_user_pages_fast() chain as O_DIRECT).
 * READ_FIXED/WRITE_FIXED use buffers pinned once at registration, so they
 * are the control: no GUP per I/O. Registration itself
 * (io_sqe_buffer_register -> io_pin_pages) pins with FOLL_LONGTERM: the
 * register/unregister loop measures that.
 *
 * On zram, io_uring I/O is punted to io-wq workers (the target is not
 * nowait-capable): the times then include a thread hand-off, identical for
 * plain and fixed buffers, and the label says so.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>

#include "core/case.h"
#include "core/ctx.h"

enum iou_op { IOU_READ, IOU_WRITE, IOU_READ_FIXED, IOU_WRITE_FIXED,
	      IOU_REGISTER };
#define FIXED(c) ((c)->fam->arg == IOU_READ_FIXED || \
		  (c)->fam->arg == IOU_WRITE_FIXED)

#define PER_IO GUPB_FIXED(GUPB_KEY_BACKING, "anon"), \
	GUPB_SWEEP(GUPB_KEY_BYTES), GUPB_SWEEP(GUPB_KEY_QD)
#define PINS GUPB_CTR_PINS_PER_ITER

static const struct gupb_family families[] = {
	GUPB_FAMILY("iouring_read", IOU_READ, PINS, PER_IO),
	GUPB_FAMILY("iouring_write", IOU_WRITE, PINS, PER_IO),
	GUPB_FAMILY("iouring_read_fixed_ctl", IOU_READ_FIXED, PINS, PER_IO),
	GUPB_FAMILY("iouring_write_fixed_ctl", IOU_WRITE_FIXED, PINS, PER_IO),
	GUPB_FAMILY("iouring_register", IOU_REGISTER, PINS,
		    GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_BYTES)),
	GUPB_FAMILY_END
};

static const struct gupb_opt opts[] = {
	{ .name = "qdepths", .def = "1, 16", .min = 1, .max = 256,
	  .axis = GUPB_KEY_QD,
	  .help = "queue depths: I/Os submitted and reaped per iteration" },
	{ .name = NULL }
};

struct iou {
	struct io_uring ring;
	bool ring_ok;
	off_t off;
};

/* By enum iou_op: what io_uring_prep_{read,write}[_fixed]() use. */
static const int opcodes[] = { IORING_OP_READ, IORING_OP_WRITE,
			       IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED };

/* One batch: qd I/Os submitted together, all reaped. */
static int batch(struct gupb_case *c)
{
	struct iou *u = c->priv;
	struct io_uring_cqe *cqe;
	int i, ret, res;

	for (i = 0; i < c->qd; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

		if (u->off + (off_t)c->bytes > c->ctx->target.size)
			u->off = 0;
		io_uring_prep_rw(opcodes[c->fam->arg], sqe, c->ctx->target.fd,
				 c->buf.addr + i * c->bytes, c->bytes, u->off);
		sqe->buf_index = 0;	/* the one registered buffer, if fixed */
		u->off += (off_t)c->bytes;
	}
	ret = io_uring_submit_and_wait(&u->ring, (unsigned int)c->qd);
	for (i = 0; ret >= 0 && i < c->qd; i++) {
		ret = io_uring_wait_cqe(&u->ring, &cqe);
		if (ret < 0)
			break;
		res = cqe->res;
		io_uring_cqe_seen(&u->ring, cqe);
		if (res != (int)c->bytes)
			ret = res < 0 ? res : -EIO;
	}
	if (__builtin_expect(ret >= 0, 1))
		return 0;
	c->err = -ret;
	return -1;
}

static int reg_unreg(struct gupb_case *c)
{
	struct iou *u = c->priv;
	struct iovec iov = { c->buf.addr, c->bytes };
	int ret = io_uring_register_buffers(&u->ring, &iov, 1);

	if (!ret)
		ret = io_uring_unregister_buffers(&u->ring);
	c->err = -ret;
	return ret ? -1 : 0;
}

static int op(struct gupb_case *c)
{
	return c->fam->arg == IOU_REGISTER ? reg_unreg(c) : batch(c);
}

/* Pins per iteration: pages x qd per batch, pages per registration. */
static double claim(const struct gupb_case *c)
{
	size_t pages = c->bytes / gupb_page_size();

	return FIXED(c) ? 0 : (double)(pages * (size_t)c->qd);
}

static size_t buf_bytes(const struct gupb_case *c)
{
	return c->bytes * (size_t)c->qd;	/* qd slots */
}

static enum gupb_verdict check(struct gupb_case *c, char *why, size_t len)
{
	int w = c->fam->arg == IOU_WRITE || c->fam->arg == IOU_WRITE_FIXED;

	if (c->fam->arg == IOU_REGISTER)
		return GUPB_RUN;	/* no I/O */
	return gupb_ctx_target_usable(c->ctx, w, c->bytes, why, len);
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct iou *u = c->priv;
	struct iovec iov = { c->buf.addr, buf_bytes(c) };
	int ret = io_uring_queue_init((unsigned int)c->qd, &u->ring, 0);

	if (ret) {
		snprintf(why, len, "io_uring unavailable: %s (see /proc/sys/kernel/io_uring_disabled)",
			 strerror(-ret));
		return GUPB_SKIP;
	}
	u->ring_ok = true;
	/* A registration the kernel refuses is a skip, not a failed proof. */
	if (c->fam->arg == IOU_REGISTER && reg_unreg(c)) {
		if (c->err == EFAULT && !strcmp(c->backing, "file"))
			snprintf(why, len, "FOLL_LONGTERM registration of file memory refused (EFAULT): the kernel does not long-term pin file-backed shared pages");
		else
			snprintf(why, len, "FOLL_LONGTERM registration refused: %s",
				 strerror(c->err));
		return GUPB_SKIP;
	}
	ret = FIXED(c) ? io_uring_register_buffers(&u->ring, &iov, 1) : 0;
	if (ret) {
		snprintf(why, len, "cannot register a %s buffer: %s", c->backing,
			 strerror(-ret));
		return GUPB_SKIP;
	}
	/* 100 ms warm-up: io-wq workers start on demand; not GUP's time. */
	if (c->fam->arg != IOU_REGISTER) {
		c->items_per_op = c->qd;
		c->warmup_ms = 100;
	}
	c->bytes_per_op = c->items_per_op * (int64_t)c->bytes;
	return GUPB_RUN;
}

static void counters(struct gb_state *st, struct gupb_case *c)
{
	if (c->fam->arg != IOU_REGISTER && c->ctx->target.punts_iouring)
		gb_set_label(st, "zram: I/O punted to io-wq");
}

static void teardown(struct gupb_case *c)
{
	struct iou *u = c->priv;

	if (u->ring_ok)
		io_uring_queue_exit(&u->ring);
	u->ring_ok = false;
}

/* --- the checks' probe: one IORING_OP_READ of a page into addr --- */

static struct io_uring probe_ring;
static int probe_ring_state;	/* 0 not yet, 1 up, -1 failed */

static enum gupb_probe_ret probe(struct gupb_ctx *ctx, char *addr,
				 struct gupb_probe_io *io)
{
	const struct gupb_target *t = &ctx->target;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int res;

	if (t->fd < 0) {
		snprintf(io->why, sizeof(io->why), "no O_DIRECT target: %s", t->why);
		return GUPB_PROBE_SKIP;
	}
	if ((size_t)t->size < io->len) {
		snprintf(io->why, sizeof(io->why), "O_DIRECT target smaller than a page");
		return GUPB_PROBE_SKIP;
	}
	if (!probe_ring_state)
		probe_ring_state = io_uring_queue_init(4, &probe_ring, 0) ? -1 : 1;
	if (probe_ring_state < 0) {
		snprintf(io->why, sizeof(io->why), "io_uring_queue_init failed");
		return GUPB_PROBE_SKIP;
	}
	sqe = io_uring_get_sqe(&probe_ring);
	if (!sqe)
		return GUPB_PROBE_FAILED;
	io_uring_prep_read(sqe, t->fd, addr, (unsigned int)io->len, 0);
	if (io_uring_submit(&probe_ring) != 1 ||
	    io_uring_wait_cqe(&probe_ring, &cqe))
		return GUPB_PROBE_FAILED;
	res = cqe->res;
	io_uring_cqe_seen(&probe_ring, cqe);
	io->err = res < 0 ? -res : 0;
	return res > 0 ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

static void fini(void)
{
	if (probe_ring_state > 0)
		io_uring_queue_exit(&probe_ring);
	probe_ring_state = 0;
}

static const struct gupb_probe probes[] = {
	{ .entry = "iouring", .order = 3, .flags = GUPB_PROBE_READS_TARGET,
	  .fn = probe },
	{ .entry = NULL }
};

static const struct gupb_wl iouring = {
	.name = "iouring",
	.summary = "io_uring READ/WRITE (pin per I/O), fixed-buffer controls, buffer registration",
	.order = 20,
	.probes = probes,
	.fini = fini,
	.families = families,
	.opts = opts,
	.gb = { .real_time = true },
	.priv_size = sizeof(struct iou),
	.op_name = "io_uring I/O failed",
	.pin_rounds = 16,
	.claim = claim,
	.buf_bytes = buf_bytes,
	.check = check,
	.setup = setup,
	.op = op,
	.counters = counters,
	.teardown = teardown,
};
GUPB_WORKLOAD(iouring);
