// SPDX-License-Identifier: GPL-2.0
/*
 * wl_example.c - the smallest workload, and the proof that adding one
 * touches one new file: this file, linked into gupbench, is a workload
 * (tests/bench/example.sh builds and checks it). No table line, no
 * checker table: the driver names, sweeps, proves and writes the claim.
 *
 * write() of a user buffer to /dev/null: the kernel neither copies nor
 * pins it, so it claims 0 pins per iteration (no claim hook: 0), proven
 * from /proc/vmstat by the driver (pin_rounds).
 * example.writes (a scoped profile key, default 1) sweeps the writes per
 * iteration.
 * Its probe hook (one call through it at an address) puts it in the alias
 * check (alias/entry:example) with no edit there: write() of addr to
 * /dev/null, where only access_ok() looks at the address.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/case.h"

static const struct gupb_family families[] = {
	GUPB_FAMILY("example_write_devnull", 0, GUPB_CTR_PINS_PER_ITER,
		    GUPB_SWEEP(GUPB_KEY_BACKING), GUPB_SWEEP(GUPB_KEY_BYTES),
		    GUPB_SWEEP("writes")),
	GUPB_FAMILY_END
};

static const struct gupb_opt opts[] = {
	{ .name = "writes", .def = "1", .min = 1, .max = 4, .axis = "writes",
	  .help = "write() calls per iteration" },
	{ .name = NULL }
};

struct ex {
	int fd;
	long writes;
};

static int op(struct gupb_case *c)
{
	struct ex *e = c->priv;
	long i;

	for (i = 0; i < e->writes; i++) {
		if (write(e->fd, c->buf.addr, c->bytes) != (ssize_t)c->bytes) {
			c->err = errno ? errno : EIO;
			return -1;
		}
	}
	return 0;
}

static enum gupb_verdict setup(struct gupb_case *c, char *why, size_t len)
{
	struct ex *e = c->priv;

	e->writes = strtol(c->val[2], NULL, 10);
	e->fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (e->fd >= 0)
		return GUPB_RUN;
	snprintf(why, len, "/dev/null: %s", strerror(errno));
	return GUPB_ERROR;
}

static void teardown(struct gupb_case *c)
{
	struct ex *e = c->priv;

	close(e->fd);
}

static enum gupb_probe_ret probe(struct gupb_ctx *ctx, char *addr,
				 struct gupb_probe_io *io)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	(void)ctx;
	if (fd < 0)
		return GUPB_PROBE_FAILED;
	n = write(fd, addr, io->len);
	io->err = n < 0 ? errno : 0;
	close(fd);
	return n > 0 ? GUPB_PROBE_ACCEPTED : GUPB_PROBE_REFUSED;
}

static const struct gupb_probe probes[] = {
	{ .entry = "example", .order = 90, .fn = probe },
	{ .entry = NULL }
};

static const struct gupb_wl example = {
	.name = "example",
	.summary = "write() to /dev/null: no GUP (the test workload)",
	.order = 90,
	.families = families,
	.opts = opts,
	.gb = { .real_time = true },
	.priv_size = sizeof(struct ex),
	.op_name = "write",
	.setup = setup,
	.pin_rounds = 16,
	.op = op,
	.teardown = teardown,
	.probes = probes,
};
GUPB_WORKLOAD(example);
