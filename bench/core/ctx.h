/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx.h - the run context, owned by main.c: the profile and options, the
 * O_DIRECT target (opened once, for every workload), the module's fd and
 * INFO or why it is unavailable, and the one cleanup registry that exit,
 * SIGINT/SIGTERM/SIGHUP and crashes (SIGSEGV, SIGABRT, ...) all run.
 */
#ifndef GUPB_CTX_H
#define GUPB_CTX_H

#include <stdbool.h>

#include "core/suite.h"
#include "base/proof.h"
#include "sys/target.h"
#include "uapi/gupbench.h"

struct gupb_ctx {
	struct gupb_config cfg;		/* profile, target spec, tmpdir, kmod_dev */
	struct gupb_target target;	/* fd -1: unavailable, target.why */
	int kfd;			/* the module, -1 when unavailable */
	struct gupb_info kinfo;		/* its GUPB_IOC_INFO */
	char kmod_why[320];		/* when kfd < 0 */
};

void gupb_ctx_init(struct gupb_ctx *ctx);
/*
 * The probe phase: open the target (cfg.target; a private zram is made
 * here) and write its context key. 0, or -EINVAL for a bad --target
 * (said on stderr). The module is the kmod client's (kmod.h).
 */
int gupb_ctx_open(struct gupb_ctx *ctx);

/*
 * Can a benchmark do I/O of bytes (a write: write) to the run's target?
 * GUPB_RUN, or GUPB_SKIP with why: no target, writes only to private
 * devices, a target smaller than one I/O.
 */
enum gupb_verdict gupb_ctx_target_usable(const struct gupb_ctx *ctx,
					 bool write, size_t bytes, char *why,
					 size_t len);

/*
 * The cleanup registry: fn(arg) runs once, last registered first, at
 * exit or on a fatal signal. At signal time only the entries registered
 * signal_safe run (async-signal-safe calls only: close, unlink, write);
 * the others are left to the kernel's process teardown. 0 or -ENOSPC.
 */
int gupb_cleanup_add(void (*fn)(void *), void *arg, bool signal_safe);
/* Run the registry now (normal exit); later calls do nothing. */
void gupb_cleanup_run(void);
/* Install the handlers: INT/TERM/HUP and the crash signals. */
void gupb_cleanup_signals(void);

#endif /* GUPB_CTX_H */
