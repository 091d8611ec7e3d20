/* SPDX-License-Identifier: GPL-2.0 */
/* cli.h - gupbench's command line. */
#ifndef GUPB_CLI_H
#define GUPB_CLI_H

#include "core/ctx.h"

#define GUPB_EXIT_USAGE 2
#define GUPB_MAX_ARGS 32

struct gupb_args {
	const char *profile, *out, *out_dir, *filter, *profile_dir, *kmod_why;
	const char *ctx[GUPB_MAX_ARGS];	/* --context K=V */
	const char *gb[GUPB_MAX_ARGS];	/* --benchmark_* passed on */
	int nr_ctx, nr_gb, list;
};

/*
 * Options into a and the run context's cfg (target, tmpdir). -1: go on;
 * else the exit status (0 after --help, --list-workloads).
 */
int gupb_cli_parse(int argc, char **argv, struct gupb_args *a,
		   struct gupb_ctx *c);

#endif /* GUPB_CLI_H */
