/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gupbench.h - what the driver (main.c) and the workloads share.
 *
 * Each workload is one file wl_<name>.c defining one
 * `const struct gupb_workload gupb_wl_<name>` and one line in workloads.c.
 * Its register_fn is called once, after options and the profile are
 * parsed, and registers its benchmark instances with gb_register().
 * A workload that cannot run at all here says why in unavailable_fn and
 * is not registered; one that can run but finds, per benchmark, that it
 * cannot (a buffer it cannot map) skips that benchmark with a reason
 * (gb_skip), so the result file says why.
 */
#ifndef GUPB_GUPBENCH_H
#define GUPB_GUPBENCH_H

#include <stddef.h>
#include <stdint.h>
#include "gb.h"

#define GUPB_MAX_LIST 16

/* A benchmark profile (configs/profiles/<name>.conf). */
struct gupb_profile {
	char name[32];
	int repetitions;		/* >= 1 */
	double min_time;		/* seconds per repetition */
	size_t sizes[GUPB_MAX_LIST];	/* buffer sizes in bytes */
	int nr_sizes;
	int qdepths[GUPB_MAX_LIST];	/* io_uring queue depths */
	int nr_qdepths;
	char backings[256];		/* comma list: anon,thp,hugetlb,shmem,file */
	char layouts[128];		/* comma list: inside,cross_pmd,cross_pud */
};

/* Options and environment for one run. */
struct gupb_config {
	struct gupb_profile profile;
	const char *target;	/* O_DIRECT target: auto|nullb|zram|<path> */
	const char *tmpdir;	/* where file-backed buffers live */
	const char *kmod_dev;	/* /dev/gupbench */
};

struct gupb_workload {
	const char *name;	/* "odirect", "iouring", ... */
	const char *summary;	/* one line, for --list-workloads */
	/* Register benchmarks; 0 or -errno (a fatal setup bug, not a skip). */
	int (*register_fn)(const struct gupb_config *cfg);
	/* Release what register_fn / the benchmarks kept; may be NULL. */
	void (*cleanup_fn)(void);
	/*
	 * May be NULL. NULL when the family can run here, else why not for
	 * the whole run (no module, no gup_test): the family is then not
	 * registered and the reason is said once (notrun.h).
	 */
	const char *(*unavailable_fn)(const struct gupb_config *cfg);
};

extern const struct gupb_workload *const gupb_workloads[];
extern const size_t gupb_nr_workloads;

#endif /* GUPB_GUPBENCH_H */
