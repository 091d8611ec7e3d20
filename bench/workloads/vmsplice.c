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
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "core/case.h"

enum { VS_SPLICE, VS_WRITE };

static const struct gupb_family families[] = {
	GUPB_FAMILY("vmsplice", VS_SPLICE, GUPB_CTR_ZERO_COPY,
		    GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_LAYOUT),
		    GUPB_SWEEP(GUPB_KEY_BYTES)),
	GUPB_FAMILY("vmsplice_write_ctl", VS_WRITE, GUPB_CTR_ZERO_COPY,
		    GUPB_FIXED(GUPB_KEY_BACKING, "anon"),
		    GUPB_FIXED(GUPB_KEY_LAYOUT, "inside"),
		    GUPB_SWEEP(GUPB_KEY_BYTES)),
	GUPB_FAMILY_END
};

struct vs {
	int pipe[2];
	int devnull;
	bool open;
};

static int fill(struct gupb_case *c)
{
	struct vs *v = c->priv;
	struct iovec iov;
	size_t done = 0;

	while (done < c->bytes) {
		ssize_t n;

		iov.iov_base = c->buf.addr + done;
		iov.iov_len = c->bytes - done;
		n = c->fam->arg == VS_WRITE ?
		    write(v->pipe[1], iov.iov_base, iov.iov_len) :
		    vmsplice(v->pipe[1], &iov, 1, 0);
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* Empty len bytes out of the pipe into /dev/null: no copy. */
static int drain(struct gupb_case *c, size_t len)
{
	struct vs *v = c->priv;
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

static int op(struct gupb_case *c)
{
	if (__builtin_expect(!fill(c) && !drain(c, c->bytes), 1))
		return 0;
	c->err = errno;
	return -1;
}

/* vmsplice only: a pipe holds at most pipe-max-size (1 MiB). */
static bool accept(const struct gupb_case *c)
{
	return c->bytes <= (1 << 20);
}

/* The pipe shares the user page (vmsplice) or holds a copy (write). */
static double claim(const struct gupb_case *c)
{
	return c->fam->arg == VS_SPLICE;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct vs *v = c->priv;

	v->devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (v->devnull < 0 || pipe2(v->pipe, O_CLOEXEC)) {
		snprintf(why, len, "pipe: %s", strerror(errno));
		if (v->devnull >= 0)
			close(v->devnull);
		return GUPB_ERROR;
	}
	v->open = true;
	c->bytes_per_op = (int64_t)c->bytes;
	if (fcntl(v->pipe[1], F_SETPIPE_SZ, (int)c->bytes) < (int)c->bytes) {
		snprintf(why, len, "pipe cannot hold %zu bytes (F_SETPIPE_SZ: %s; see /proc/sys/fs/pipe-max-size)",
			 c->bytes, strerror(errno));
		return GUPB_SKIP;
	}
	return GUPB_RUN;
}

/* Change the page after filling the pipe; look at what comes out. */
static enum gupb_proof prove(struct gupb_case *c, char *why, size_t len)
{
	struct vs *v = c->priv;
	const char *what = c->fam->arg == VS_WRITE ? "write" : "vmsplice";
	char first[1];

	c->buf.addr[0] = 'A';
	if (fill(c))
		goto fail;
	c->buf.addr[0] = 'B';
	if (read(v->pipe[0], first, 1) != 1)
		goto fail;
	c->measured = first[0] == 'B';
	if (drain(c, c->bytes - 1))
		goto fail;
	snprintf(why, len, "the pipe %s the user page",
		 c->measured ? "shares" : "does not share");
	return c->measured == c->claim ? GUPB_PROVEN : GUPB_REFUTED;
fail:
	snprintf(why, len, "%s: %s", what, strerror(errno));
	return GUPB_OP_FAILED;
}

static void teardown(struct gupb_case *c)
{
	struct vs *v = c->priv;

	if (!v->open)
		return;
	close(v->pipe[0]);
	close(v->pipe[1]);
	close(v->devnull);
	v->open = false;
}

/* The checks' probe: vmsplice of addr, X's bytes back through the pipe. */
static enum gupb_probe_ret probe(struct gupb_ctx *ctx, char *addr,
				 struct gupb_probe_io *io)
{
	struct iovec iov = { addr, sizeof(io->got) };
	int p[2];
	ssize_t n;

	(void)ctx;
	if (pipe2(p, O_CLOEXEC))
		return GUPB_PROBE_FAILED;
	n = vmsplice(p[1], &iov, 1, 0);
	io->err = n < 0 ? errno : 0;
	if (n > 0 && read(p[0], io->got, (size_t)n) == n)
		io->got_len = (size_t)n;
	close(p[0]);
	close(p[1]);
	return n > 0 ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

static const struct gupb_probe probes[] = {
	{ .entry = "vmsplice", .order = 0, .fn = probe },
	{ .entry = NULL }
};

static const struct gupb_wl vmsplice_wl = {
	.name = "vmsplice",
	.summary = "vmsplice() to a pipe: get_user_pages_fast() per call",
	.order = 40,
	.probes = probes,
	.families = families,
	.gb = { .real_time = false },
	.priv_size = sizeof(struct vs),
	.op_name = "pipe I/O",
	.accept = accept,
	.claim = claim,
	.setup = setup,
	.prove = prove,
	.op = op,
	.teardown = teardown,
};
GUPB_WORKLOAD(vmsplice_wl);
