// SPDX-License-Identifier: GPL-2.0
/* ctx.c - the run context and its one cleanup registry. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/ctx.h"
#include "gb/gb.h"
#include "base/schema.h"

#define MAX_CLEANUPS 16

static struct {
	void (*fn)(void *);
	void *arg;
	bool signal_safe;
	volatile sig_atomic_t done;
} cleanups[MAX_CLEANUPS];
static volatile sig_atomic_t nr_cleanups;

int gupb_cleanup_add(void (*fn)(void *), void *arg, bool signal_safe)
{
	int n = nr_cleanups;

	if (n >= MAX_CLEANUPS)
		return -ENOSPC;
	cleanups[n].fn = fn;
	cleanups[n].arg = arg;
	cleanups[n].signal_safe = signal_safe;
	nr_cleanups = n + 1;	/* visible to a handler only when complete */
	return 0;
}

/*
 * Each entry once: a crash in the middle of the exit-time run (a fault in
 * a teardown) still runs, from its handler, the safe entries not yet run.
 */
static void run(bool in_signal)
{
	int i;

	for (i = nr_cleanups - 1; i >= 0; i--) {
		if (cleanups[i].done || (in_signal && !cleanups[i].signal_safe))
			continue;
		cleanups[i].done = 1;
		cleanups[i].fn(cleanups[i].arg);
	}
}

void gupb_cleanup_run(void)
{
	run(false);
}

/* Async-signal-safe: the registry's safe entries, then die of sig. */
static void on_signal(int sig)
{
	run(true);
	signal(sig, SIG_DFL);
	raise(sig);
}

void gupb_cleanup_signals(void)
{
	/* Crashes skip atexit(): a private zram must still go. */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV,
				    SIGBUS, SIGFPE, SIGILL };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigfillset(&sa.sa_mask);	/* one handler at a time */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

void gupb_ctx_init(struct gupb_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg.target = "auto";
	ctx->cfg.kmod_dev = "/dev/gupbench";
	ctx->target.fd = ctx->target.fd_buffered = -1;
	ctx->target.zram_id = -1;
	ctx->kfd = -1;
}

/* Signal-safe: gupb_target_close() uses close/open/write only. */
static void close_target(void *arg)
{
	gupb_target_close(arg);
}

int gupb_ctx_open(struct gupb_ctx *ctx)
{
	struct gupb_target *t = &ctx->target;
	int ret;

	/* Registered first: the zram goes even if hot_add half worked. */
	ret = gupb_cleanup_add(close_target, t, true);
	if (!ret)
		ret = gupb_target_open(ctx->cfg.target, t);
	if (ret)
		return ret;
	if (t->fd >= 0)
		gb_contextf(GUPB_CTX_ODIRECT_TARGET, "%s", t->desc);
	else
		gb_contextf(GUPB_CTX_ODIRECT_TARGET, "none: %s", t->why);
	return 0;
}

enum gupb_verdict gupb_ctx_target_usable(const struct gupb_ctx *ctx,
					 bool write, size_t bytes, char *why,
					 size_t len)
{
	const struct gupb_target *t = &ctx->target;

	if (t->fd < 0)
		snprintf(why, len, "no O_DIRECT target: %s", t->why);
	else if (write && !t->writable)
		snprintf(why, len,
			 "writes only go to private targets (null_blk, zram), not %s",
			 t->desc);
	else if ((off_t)bytes > t->size)
		snprintf(why, len, "target smaller than %zu bytes", bytes);
	else
		return GUPB_RUN;
	return GUPB_SKIP;
}
