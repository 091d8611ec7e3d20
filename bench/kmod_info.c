// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_info.c - the module's INFO (the run context's, ctx->kinfo) as
 * context keys, and why the kmod families are not run here.
 */
#include <stdio.h>

#include "ctx.h"
#include "kmod.h"

static void set_context(const struct gupb_ctx *ctx)
{
	const struct gupb_info *info = &ctx->kinfo;
	char v[64];
	int i, n = 0;

	if (ctx->kfd < 0) {
		gb_contextf("kmod", "unavailable: %s", ctx->kmod_why);
		gb_context("pgtable_l4_enabled", "unknown");
		gb_context("pgtable_l5_enabled", "unknown");
		gb_context("pgtable_levels_runtime", "unknown");
		return;
	}
	gb_contextf("kmod", "loaded (abi %u)", info->abi_version);
	gb_contextf("pgtable_l4_enabled", "%u", info->l4_enabled);
	gb_contextf("pgtable_l5_enabled", "%u", info->l5_enabled);
	gb_contextf("pgtable_levels_runtime", "%u", info->levels_runtime);
	gb_contextf("kmod_va_bits", "%u", info->va_bits);
	gb_contextf("kmod_clock", "%s %llu Hz, %llu ns resolution, %llu ns empty call (in every ns_*)",
		    info->clock, (unsigned long long)info->clock_hz,
		    (unsigned long long)info->clock_res_ns,
		    (unsigned long long)info->clock_overhead_ns);
	for (i = 0; i < GUPB_NR_VARIANTS; i++)
		if (info->variants_valid & (1U << i))
			n += snprintf(v + n, sizeof(v) - n, "%s%s", n ? "," : "",
				      gupb_kmod_variants[i]);
	gb_context("kmod_walk_variants", v);
	gb_context("kmod_variants_differ", info->variants_differ ? "yes" :
		   "no: one walk (live) only, the kernel does not use the folded p4d helper here (5 levels or not arm64)");
	gb_context("kmod_folded_helper", info->folded_helper ? "yes" : "no");
}

/*
 * Without the module (or with one of another ABI) the whole family is
 * left out of the run, said once (notrun.h), not skipped per benchmark.
 */
const char *kmod_unavailable(struct gupb_ctx *ctx)
{
	set_context(ctx);
	return ctx->kfd < 0 ? ctx->kmod_why : NULL;
}
