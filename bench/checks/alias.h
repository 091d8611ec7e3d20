/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alias.h - the alias check's result (bench/wl_alias.c describes the
 * check): the probe addresses, each entry point's outcome. The entry
 * points are every registered workload's probe hooks (case.h).
 */
#ifndef GUPB_ALIAS_H
#define GUPB_ALIAS_H

#include <stddef.h>

#include "core/case.h"
#include "core/ctx.h"

#define ALIAS_LEN	(64 * 1024)
#define ALIAS_MAX_PROBES 24
#define ALIAS_MAX_ENTRIES 32

#if defined(__aarch64__)
#define ALIAS_VA_MAX	52	/* the largest arm64 TASK_SIZE_MAX: 1 << 52 */
#define ALIAS_BIT_MAX	55	/* bits 56..63 are the tag byte (TBI) */
#elif defined(__x86_64__)
#define ALIAS_VA_MAX	56	/* LA57: TASK_SIZE_MAX just below 1 << 56 */
#define ALIAS_BIT_MAX	56
#else
#define ALIAS_VA_MAX	48
#define ALIAS_BIT_MAX	55
#endif

/* One probe address: X | mask; bit >= 0 for 1 << bit, -1 for "top". */
struct probe {
	unsigned long mask;
	int bit;
};

struct outcome {
	int skipped;
	char why[200];		/* skip or baseline failure */
	int baseline_ok;	/* X itself accepted */
	int checkable;		/* an accepted alias could be told by data */
	int accepted[ALIAS_MAX_PROBES];
	int confirmed[ALIAS_MAX_PROBES];
	int err[ALIAS_MAX_PROBES];	/* errno of a refusal, 0 if none */
	double seconds;
};

struct alias_result {
	unsigned int va_bits;
	const char *va_source;
	int kmod_va_bits;	/* -1 without the module */
	struct probe probes[ALIAS_MAX_PROBES];
	int nr_probes;
	/* The entry points (gupb_probes()) and their outcomes, by index. */
	const struct gupb_probe *const *entry;
	size_t nr_entries;
	struct outcome out[ALIAS_MAX_ENTRIES];
};

/* alias_probe.c: the check, once (the probe phase); its result. */
const struct alias_result *alias_run(struct gupb_ctx *ctx);
const char *alias_probe_name(const struct alias_result *r, int i, char *buf,
			     size_t len);
void alias_unmap(void);

#endif /* GUPB_ALIAS_H */
