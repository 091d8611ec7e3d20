// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - gupbench: options, the run context, the workloads, the run,
 * in three phases: registration (names only: --list stops here), the
 * probe phase (devices, the module, checks, context keys), the runs.
 *
 * Google Benchmark writes the JSON to a temporary file next to the final
 * one (output.c); only a completed run is renamed into place. Exit,
 * SIGINT/SIGTERM/SIGHUP and crashes run the one cleanup registry (ctx.c):
 * the temporary file goes, a private zram device is hot-removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case.h"
#include "core/cli.h"
#include "core/ctx.h"
#include "kmod/kmod.h"
#include "core/meta.h"
#include "core/notrun.h"
#include "core/output.h"
#include "core/profile.h"

/* benchmark::Initialize's argv: our flags first, the user's win. */
static int gb_setup(char *argv0, struct gupb_args *a, const struct gupb_ctx *c,
		    const struct gupb_output *o)
{
	static char out[PATH_MAX + 32], reps[64], mt[64], filter[1100];
	static char *v[GUPB_MAX_ARGS + 8];
	int n = 0, i;

	v[n++] = argv0;
	if (a->list) {
		v[n++] = "--benchmark_list_tests=true";
	} else {
		snprintf(out, sizeof(out), "--benchmark_out=%s", o->tmp);
		v[n++] = out;
		v[n++] = "--benchmark_out_format=json";
	}
	/* Global, not per benchmark: keeps the names free of suffixes. */
	snprintf(reps, sizeof(reps), "--benchmark_repetitions=%d",
		 c->cfg.profile.repetitions);
	v[n++] = reps;
	gb_min_time_flag(mt, sizeof(mt), c->cfg.profile.min_time);
	v[n++] = mt;
	if (a->filter) {
		char why[200];

		/* Else the library says so and runs nothing: "no match". */
		if (gb_filter_check(a->filter, why, sizeof(why))) {
			fprintf(stderr,
				"gupbench: --filter '%s' is not a valid regular expression: %s\n",
				a->filter, why);
			return -1;
		}
		snprintf(filter, sizeof(filter), "--benchmark_filter=%s",
			 a->filter);
		v[n++] = filter;
	}
	for (i = 0; i < a->nr_gb; i++)
		v[n++] = (char *)a->gb[i];
	v[n] = NULL;
	gb_init(&n, v);
	if (n > 1) {
		fprintf(stderr, "gupbench: unknown option '%s'\n", v[1]);
		return -1;
	}
	return 0;
}

/*
 * Registration: every workload's benchmark names, or why not here. Path
 * checks only (stat, access, /proc/meminfo): no device is opened, no
 * module ioctl, no GUP; --list ends after it.
 */
static int register_all(struct gupb_ctx *c)
{
	const struct gupb_wl *const *w;
	char err[320];
	size_t n, i;
	int ret;

	if (gupb_profile_check(&c->cfg.profile, err, sizeof(err))) {
		fprintf(stderr, "gupbench: profile %s: %s\n",
			c->cfg.profile.name, err);
		return GUPB_EXIT_USAGE;
	}
	gupb_drop_unavailable_backings(&c->cfg.profile);
	if (gupb_target_check(c->cfg.target))
		return GUPB_EXIT_USAGE;	/* a bad --target, said why */
	gupb_cleanup_add(gupb_case_release, NULL, false);
	w = gupb_workloads(&n);
	for (i = 0; i < n; i++) {
		ret = gupb_register_wl(w[i], c);
		if (ret == -EINVAL)
			return GUPB_EXIT_USAGE;	/* the workload said why */
		if (ret) {
			fprintf(stderr, "gupbench: workload %s: %s\n",
				gupb_wl_name(w[i]), strerror(-ret));
			return 1;
		}
	}
	return 0;
}

/*
 * The probe phase, between registration and the timed runs: host and
 * kernel metadata, the target (a private zram), the module and its INFO,
 * each workload's prepare hook (the alias check); then --context, which
 * wins.
 */
static int probe_all(struct gupb_ctx *c, const struct gupb_args *a)
{
	char key[128];
	int j;

	gupb_meta_collect(c->cfg.profile.name);
	if (gupb_ctx_open(c))
		return GUPB_EXIT_USAGE;
	gupb_kmod_open(c);
	gupb_prepare_all(c);
	gupb_not_run_context();
	for (j = 0; j < a->nr_ctx; j++) {
		const char *eq = strchr(a->ctx[j], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - a->ctx[j]), a->ctx[j]);
		gb_context(key, eq + 1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct gupb_args a = { .profile = "quick", .out_dir = "results" };
	struct gupb_output out = { 0 };
	struct gupb_ctx ctx;
	int ret, ran;

	gupb_ctx_init(&ctx);
	if (getenv("GUPB_TARGET"))
		ctx.cfg.target = getenv("GUPB_TARGET");
	gupb_cleanup_signals();
	atexit(gupb_cleanup_run);
	ret = gupb_cli_parse(argc, argv, &a, &ctx);
	if (ret >= 0)
		return ret;
	if (gupb_profile_load(a.profile_dir, a.profile, &ctx.cfg.profile) ||
	    (!a.list && gupb_output_prepare(&out, a.out, a.out_dir, a.profile)))
		return GUPB_EXIT_USAGE;
	if (!ctx.cfg.tmpdir)
		ctx.cfg.tmpdir = a.list ? "/tmp" : out.dir;
	if (gb_setup(argv[0], &a, &ctx, &out))
		return GUPB_EXIT_USAGE;
	ctx.cfg.kmod_reason = a.kmod_why;
	ret = register_all(&ctx);
	if (!ret && !a.list)
		ret = probe_all(&ctx, &a);
	if (!ret && gupb_publish())
		ret = 1;
	if (ret)
		return ret;
	ran = gb_run();
	gb_shutdown();
	if (a.list)
		return 0;
	if (ran == 0) {
		fprintf(stderr, "gupbench: no benchmark matched%s%s\n",
			a.filter ? " the filter " : "", a.filter ? a.filter : "");
		return GUPB_EXIT_USAGE;
	}
	if (gupb_output_commit(&out))
		return 1;
	printf("gupbench: %d benchmarks, result in %s\n", ran, out.path);
	return 0;
}
