// SPDX-License-Identifier: GPL-2.0
/*
 * client.c - the module in the run context: is it there (a path check,
 * for registration), open it and read its INFO (the probe phase: ctx->kfd,
 * ctx->kinfo), INFO as context keys; its RUN and ENTRIES ioctls; what a
 * case's name says for the module (pages, variant, contention).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/schema.h"
#include "core/ctx.h"
#include "gb/gb.h"
#include "kmod/kmod.h"

const char *const gupb_kmod_contentions[] = { "pmd", "pgd", NULL };
static const int watch_level[] = { GUPB_WATCH_PMD, GUPB_WATCH_TOP };

static void set_context(const struct gupb_ctx *ctx)
{
	const struct gupb_info *info = &ctx->kinfo;
	char v[64];
	int i, n = 0;

	if (ctx->kfd < 0) {
		gb_contextf(GUPB_CTX_KMOD, "unavailable: %s", ctx->kmod_why);
		gb_context(GUPB_CTX_PGTABLE_L4_ENABLED, "unknown");
		gb_context(GUPB_CTX_PGTABLE_L5_ENABLED, "unknown");
		gb_context(GUPB_CTX_PGTABLE_LEVELS_RUNTIME, "unknown");
		return;
	}
	gb_contextf(GUPB_CTX_KMOD, "loaded (abi %u)", info->abi_version);
	gb_contextf(GUPB_CTX_PGTABLE_L4_ENABLED, "%u", info->l4_enabled);
	gb_contextf(GUPB_CTX_PGTABLE_L5_ENABLED, "%u", info->l5_enabled);
	gb_contextf(GUPB_CTX_PGTABLE_LEVELS_RUNTIME, "%u", info->levels_runtime);
	gb_contextf(GUPB_CTX_KMOD_VA_BITS, "%u", info->va_bits);
	gb_contextf(GUPB_CTX_KMOD_CLOCK, "%s %llu Hz, %llu ns resolution, %llu ns empty call (in every ns_*)",
		    info->clock, (unsigned long long)info->clock_hz,
		    (unsigned long long)info->clock_res_ns,
		    (unsigned long long)info->clock_overhead_ns);
	for (i = 0; i < GUPB_NR_VARIANTS; i++)
		if (info->variants_valid & (1U << i))
			n += snprintf(v + n, sizeof(v) - n, "%s%s", n ? "," : "",
				      gupb_walk_variants[i]);
	gb_context(GUPB_CTX_KMOD_WALK_VARIANTS, v);
	gb_context(GUPB_CTX_KMOD_VARIANTS_DIFFER, info->variants_differ ? "yes" :
		   "no: one walk (live) only, the kernel does not use the folded p4d helper here (5 levels or not arm64)");
	gb_context(GUPB_CTX_KMOD_FOLDED_HELPER, info->folded_helper ? "yes" : "no");
}

/* "<dev>: <errno>[; <-K reason>]" into ctx->kmod_why. */
static const char *why_not(struct gupb_ctx *ctx, int err)
{
	const char *r = ctx->cfg.kmod_reason;

	snprintf(ctx->kmod_why, sizeof(ctx->kmod_why), "%s: %s%s%s",
		 ctx->cfg.kmod_dev, strerror(err), r ? "; " : "", r ? r : "");
	return ctx->kmod_why;
}

const char *gupb_kmod_absent(const struct gupb_ctx *ctx)
{
	static struct gupb_ctx c;

	if (!access(ctx->cfg.kmod_dev, R_OK | W_OK))
		return NULL;
	c.cfg = ctx->cfg;
	return why_not(&c, errno);
}

/* Opened in the probe phase (main.c): not run without it. */
const char *gupb_kmod_prepare(struct gupb_ctx *ctx)
{
	return ctx->kfd < 0 ? ctx->kmod_why : NULL;
}

static void close_kmod(void *arg)
{
	int *fd = arg;

	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void gupb_kmod_open(struct gupb_ctx *ctx)
{
	ctx->kfd = open(ctx->cfg.kmod_dev, O_RDWR | O_CLOEXEC);
	if (ctx->kfd < 0) {
		why_not(ctx, errno);
	} else if (ioctl(ctx->kfd, GUPB_IOC_INFO, &ctx->kinfo) ||
		   ctx->kinfo.abi_version != GUPB_ABI_VERSION) {
		snprintf(ctx->kmod_why, sizeof(ctx->kmod_why),
			 "module ABI %u, this build expects %u",
			 ctx->kinfo.abi_version, GUPB_ABI_VERSION);
		close(ctx->kfd);
		ctx->kfd = -1;
	}
	gupb_cleanup_add(close_kmod, &ctx->kfd, true);
	set_context(ctx);
}

int gupb_kmod_run(const struct gupb_ctx *ctx, struct gupb_run *r)
{
	return ioctl(ctx->kfd, GUPB_IOC_RUN, r) ? -errno : 0;
}

/*
 * The harness's own user-space perf events (gb_pause) are off during the
 * ioctl: they would share the PMU with the module's counters
 * (multiplexing them) and count the module's work as the harness's.
 */
int gupb_kmod_run_paused(const struct gupb_ctx *ctx, struct gb_state *st,
			 struct gupb_run *r)
{
	int ret;

	gb_pause(st);
	ret = gupb_kmod_run(ctx, r);
	gb_resume(st);
	return ret;
}

int gupb_kmod_entries(const struct gupb_ctx *ctx, unsigned long addr,
		      struct gupb_entries *e)
{
	memset(e, 0, sizeof(*e));
	e->addr = addr;
	return ioctl(ctx->kfd, GUPB_IOC_ENTRIES, e) ? -errno : 0;
}

bool gupb_kmod_pages_ok(const struct gupb_case *c)
{
	size_t pages = c->bytes / gupb_page_size();

	return pages && pages <= GUPB_MAX_PAGES_PER_CALL;
}

int gupb_kmod_variant(const struct gupb_case *c)
{
	int v = gupb_case_key_index(c, GUPB_KEY_VARIANT, gupb_walk_variants);

	return v < 0 ? GUPB_VARIANT_LIVE : v;
}

int gupb_kmod_watch(const struct gupb_case *c)
{
	int v = gupb_case_key_index(c, GUPB_KEY_CONTENTION,
				    gupb_kmod_contentions);

	return v < 0 ? GUPB_WATCH_NONE : watch_level[v];
}

/* Loads per call: LD_RETIRED, else MEM_ACCESS_RD; zero is "not counted". */
int gupb_kmod_loads_of(const struct gupb_stats *s, double *loads)
{
	static const int ev[] = { GUPB_PMU_LD_RETIRED, GUPB_PMU_MEM_ACCESS_RD };
	static const int code[] = { 0x06, 0x66 };
	size_t i;

	for (i = 0; i < 2; i++)
		if ((s->pmu_valid & (1U << ev[i])) && s->pmu[ev[i]]) {
			*loads = (double)s->pmu[ev[i]];
			return code[i];
		}
	return 0;
}
