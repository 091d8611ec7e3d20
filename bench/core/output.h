/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - the result file: its default name, and the temporary file
 * Google Benchmark writes next to it, renamed into place only when the
 * run completes (removed by the cleanup registry otherwise).
 */
#ifndef GUPB_OUTPUT_H
#define GUPB_OUTPUT_H

#include <limits.h>

struct gupb_output {
	char path[PATH_MAX];	/* the result file */
	char dir[PATH_MAX];	/* its directory */
	char tmp[PATH_MAX];	/* .gupbench-<pid>.json.tmp in dir */
};

/*
 * out, or DIR/<kernel>-<host>-<profile>-<time>.json; the directory must
 * be writable. 0, or -1 (said on stderr). Registers the temporary file's
 * removal with the cleanup registry.
 */
int gupb_output_prepare(struct gupb_output *o, const char *out,
			const char *out_dir, const char *profile);
/* Rename the temporary file into place; 0 or -1 (said on stderr). */
int gupb_output_commit(struct gupb_output *o);

#endif /* GUPB_OUTPUT_H */
