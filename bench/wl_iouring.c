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
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buffers.h"
#include "gupbench.h"
#include "profile.h"
#include "target.h"
#include "vmstat.h"


enum iou_op { IOU_READ, IOU_WRITE, IOU_READ_FIXED, IOU_WRITE_FIXED,
	      IOU_REGISTER };

static const char *const op_names[] = {
	"iouring_read", "iouring_write", "iouring_read_fixed_ctl",
	"iouring_write_fixed_ctl", "iouring_register",
};

struct iou {
	const struct gupb_config *cfg;
	enum iou_op op;
	char backing[16];
	size_t len;	/* per I/O */
	int qd;
	struct io_uring ring;
	struct gupb_buf buf;	/* qd slots of len bytes */
	off_t off;
	int err;
	int state;	/* IOU_NEW, IOU_READY, IOU_SKIP, IOU_ERROR */
	char msg[320];	/* why it skips or fails */
	double pins;	/* measured by the proof */
};

/* One batch: qd I/Os submitted together, all reaped. */
static int batch(void *arg)
{
	struct iou *u = arg;
	struct gupb_target *t = &gupb_odirect_target;
	struct io_uring_cqe *cqe;
	int i, ret;

	for (i = 0; i < u->qd; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
		char *p = u->buf.addr + (size_t)i * u->len;

		if (u->off + (off_t)u->len > t->size)
			u->off = 0;
		switch (u->op) {
		case IOU_READ:
			io_uring_prep_read(sqe, t->fd, p, u->len, u->off);
			break;
		case IOU_WRITE:
			io_uring_prep_write(sqe, t->fd, p, u->len, u->off);
			break;
		case IOU_READ_FIXED:
			io_uring_prep_read_fixed(sqe, t->fd, p, u->len, u->off, 0);
			break;
		default:
			io_uring_prep_write_fixed(sqe, t->fd, p, u->len, u->off, 0);
			break;
		}
		u->off += (off_t)u->len;
	}
	ret = io_uring_submit_and_wait(&u->ring, (unsigned int)u->qd);
	if (ret < 0) {
		u->err = -ret;
		return -1;
	}
	for (i = 0; i < u->qd; i++) {
		ret = io_uring_wait_cqe(&u->ring, &cqe);
		if (ret < 0) {
			u->err = -ret;
			return -1;
		}
		if (cqe->res != (int)u->len) {
			u->err = cqe->res < 0 ? -cqe->res : EIO;
			io_uring_cqe_seen(&u->ring, cqe);
			return -1;
		}
		io_uring_cqe_seen(&u->ring, cqe);
	}
	return 0;
}

static int reg_unreg(void *arg)
{
	struct iou *u = arg;
	struct iovec iov = { u->buf.addr, u->len };
	int ret = io_uring_register_buffers(&u->ring, &iov, 1);

	if (ret) {
		u->err = -ret;
		return -1;
	}
	ret = io_uring_unregister_buffers(&u->ring);
	if (ret) {
		u->err = -ret;
		return -1;
	}
	return 0;
}

static int warm_up(int (*op)(void *), struct iou *u)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (op(u))
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L +
		 (t.tv_nsec - t0.tv_nsec) < 100000000L);
	return 0;
}

/*
 * Set-up, proof and warm-up happen once per benchmark, not once per
 * repetition: the ring, its io-wq workers and the buffer stay until the
 * next benchmark starts (the last one is released at exit).
 */
enum { IOU_NEW, IOU_READY, IOU_SKIP, IOU_ERROR };

static struct iou *live;

static void teardown(struct iou *u)
{
	if (u->state == IOU_READY) {
		gupb_buf_free(&u->buf);
		io_uring_queue_exit(&u->ring);
		u->state = IOU_NEW;	/* set up again if it runs again */
	}
}

static int fail(struct iou *u, int state, const char *fmt, const char *arg)
{
	snprintf(u->msg, sizeof(u->msg), fmt, arg);
	return u->state = state;
}

static int setup(struct iou *u)
{
	struct gupb_target *t = &gupb_odirect_target;
	int (*op)(void *) = u->op == IOU_REGISTER ? reg_unreg : batch;
	int fixed = u->op == IOU_READ_FIXED || u->op == IOU_WRITE_FIXED;
	size_t pages = u->len / gupb_page_size();
	char why[256];
	double want;
	int ret;

	if (u->op != IOU_REGISTER && t->fd < 0)
		return fail(u, IOU_SKIP, "no O_DIRECT target: %s", t->why);
	if ((u->op == IOU_WRITE || u->op == IOU_WRITE_FIXED) && !t->writable)
		return fail(u, IOU_SKIP,
			    "writes only go to private targets, not %s",
			    t->desc);
	ret = io_uring_queue_init((unsigned int)u->qd, &u->ring, 0);
	if (ret)
		return fail(u, IOU_SKIP,
			    "io_uring unavailable: %s (see /proc/sys/kernel/io_uring_disabled)",
			    strerror(-ret));
	if (gupb_buf_alloc(&u->buf, u->backing, "inside", u->len * u->qd,
			   u->cfg->tmpdir, why, sizeof(why))) {
		io_uring_queue_exit(&u->ring);
		return fail(u, IOU_SKIP, "%s", why);
	}
	u->state = IOU_READY;	/* from here, teardown() releases */
	if (fixed) {
		struct iovec iov = { u->buf.addr, u->len * u->qd };

		ret = io_uring_register_buffers(&u->ring, &iov, 1);
		if (ret) {
			snprintf(why, sizeof(why), "%s buffer: %s", u->backing,
				 strerror(-ret));
			teardown(u);
			return fail(u, IOU_SKIP, "cannot register a %s", why);
		}
	}
	want = fixed ? 0 : (double)(pages * (u->op == IOU_REGISTER ? 1 : u->qd));
	ret = gupb_pins_prove(op, u, 16, want, &u->pins, why, sizeof(why));
	if (ret == -2) {
		teardown(u);
		if (u->op == IOU_REGISTER && u->err == EFAULT &&
		    !strcmp(u->backing, "file"))
			return fail(u, IOU_SKIP, "%s",
				    "FOLL_LONGTERM registration of file memory refused (EFAULT): the kernel does not long-term pin file-backed shared pages");
		snprintf(why, sizeof(why), "%s", strerror(u->err));
		if (u->op == IOU_REGISTER)
			return fail(u, IOU_SKIP,
				    "FOLL_LONGTERM registration refused: %s",
				    why);
		return fail(u, IOU_ERROR, "io_uring I/O failed: %s", why);
	}
	if (ret != 1) {
		teardown(u);
		if (ret == -3)
			return fail(u, IOU_SKIP,
				    "cannot prove the path on a busy machine: %s",
				    why);
		return fail(u, IOU_ERROR, "proof of path failed: %s", why);
	}
	/*
	 * Warm up for 100 ms: punted I/O starts io-wq workers on demand, and
	 * the first milliseconds measure their creation, not GUP.
	 */
	if (u->op != IOU_REGISTER && warm_up(op, u)) {
		teardown(u);
		return fail(u, IOU_ERROR, "io_uring warm-up: %s",
			    strerror(u->err));
	}
	return IOU_READY;
}

static void bm_iouring(struct gb_state *st, void *arg)
{
	struct iou *u = arg;
	int (*op)(void *) = u->op == IOU_REGISTER ? reg_unreg : batch;

	if (live != u) {
		if (live)
			teardown(live);
		live = u;
		if (u->state == IOU_NEW)
			setup(u);
	}
	if (u->state == IOU_SKIP) {
		gb_skip(st, "%s", u->msg);
		return;
	}
	if (u->state == IOU_ERROR) {
		gb_error(st, "%s", u->msg);
		return;
	}
	while (gb_keep_running(st)) {
		if (__builtin_expect(op(u), 0)) {
			gb_error(st, "io_uring: %s", strerror(u->err));
			teardown(u);
			fail(u, IOU_ERROR, "io_uring: %s", strerror(u->err));
			return;
		}
	}
	gb_counter(st, "pins_per_iter", u->pins, GB_COUNTER_DEFAULT);
	if (u->op != IOU_REGISTER) {
		gb_set_items_processed(st, gb_iterations(st) * u->qd);
		gb_set_bytes_processed(st, gb_iterations(st) * u->qd *
					   (int64_t)u->len);
		if (gupb_odirect_target.punts_iouring)
			gb_set_label(st, "zram: I/O punted to io-wq");
	}
}

static int add(const struct gupb_config *cfg, enum iou_op op,
	       const char *backing, size_t len, int qd)
{
	struct gb_opts opts = { .real_time = true };
	struct iou *u = calloc(1, sizeof(*u));
	char name[160];

	if (!u)
		return -ENOMEM;
	u->cfg = cfg;
	u->op = op;
	u->len = len;
	u->qd = qd;
	snprintf(u->backing, sizeof(u->backing), "%s", backing);
	if (op == IOU_REGISTER)
		snprintf(name, sizeof(name), "%s/backing:%s/bytes:%zu",
			 op_names[op], backing, len);
	else
		snprintf(name, sizeof(name), "%s/backing:%s/bytes:%zu/qd:%d",
			 op_names[op], backing, len, qd);
	return gb_register(name, bm_iouring, u, &opts);
}

static int reg(const struct gupb_config *cfg)
{
	const struct gupb_profile *p = &cfg->profile;
	int s, q, o, b, ret;

	for (s = 0; s < p->nr_sizes; s++) {
		size_t len = p->sizes[s];

		if (len % gupb_page_size())
			continue;
		/* Per-I/O pins vs fixed buffers: anon, every queue depth. */
		for (o = IOU_READ; o <= IOU_WRITE_FIXED; o++)
			for (q = 0; q < p->nr_qdepths; q++) {
				ret = add(cfg, o, "anon", len, p->qdepths[q]);
				if (ret)
					return ret;
			}
		for (b = 0; gupb_backing_names[b]; b++) {
			if (!gupb_list_has(p->backings, gupb_backing_names[b]))
				continue;
			ret = add(cfg, IOU_REGISTER, gupb_backing_names[b], len, 1);
			if (ret)
				return ret;
		}
	}
	return 0;
}

const struct gupb_workload gupb_wl_iouring = {
	.name = "iouring",
	.summary = "io_uring READ/WRITE (pin per I/O), fixed-buffer controls, buffer registration",
	.register_fn = reg,
};
