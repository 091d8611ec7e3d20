/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - where O_DIRECT I/O goes.
 *
 * The pin must not drown in device latency, so: /dev/nullb0 when present
 * (null_blk copies no data), else (root) a private zram device made with
 * zram-control/hot_add and removed afterwards, else a user-chosen block
 * device or fully written file. Holes and unwritten extents are refused:
 * O_DIRECT reads of them are zero-filled without pinning anything.
 */
#ifndef GUPB_TARGET_H
#define GUPB_TARGET_H

#include <sys/types.h>

struct gupb_target {
	int fd;			/* O_DIRECT, -1 when unavailable */
	int fd_buffered;	/* the same target without O_DIRECT */
	off_t size;		/* usable bytes from offset 0 */
	int zram_id;		/* private zram we created, or -1 */
	int writable;		/* writes allowed (private devices only) */
	int punts_iouring;	/* zram: io_uring I/O runs in io-wq */
	char desc[160];		/* for the odirect_target context key */
	char why[256];		/* when fd < 0: why */
};

/*
 * The run's one target is the run context's (ctx.h), opened by main.c.
 * spec: auto | nullb | zram | <path>. Returns 0 (check t->fd: -1 means
 * unavailable, reason in t->why) or -EINVAL for a bad spec (message
 * printed to stderr).
 */
int gupb_target_open(const char *spec, struct gupb_target *t);
/*
 * Registration's check of a spec, opening nothing (stat of a path): 0, or
 * -EINVAL for a bad spec (said on stderr, as gupb_target_open would).
 */
int gupb_target_check(const char *spec);
/* Close and hot_remove a private zram. Async-signal-safe. */
void gupb_target_close(struct gupb_target *t);

#endif /* GUPB_TARGET_H */
