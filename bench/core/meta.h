/* SPDX-License-Identifier: GPL-2.0 */
/* meta.h - kernel and host metadata for the result file's context. */
#ifndef GUPB_META_H
#define GUPB_META_H

#include <stddef.h>

/* What the suite needs from a kernel config; "unknown" when absent. */
struct gupb_kconfig {
	char pgtable_levels[16];
	char va_bits[16];
	char page_shift[16];
	char lpa2[16];		/* y / n / unknown */
	char x86_5level[16];	/* y / n / unknown */
};

/* Parse config text (the contents of a .config). Pure; for tests. */
void gupb_parse_kconfig(const char *text, struct gupb_kconfig *kc);
/* Read the running kernel's config; returns its source or "unknown". */
const char *gupb_read_kconfig(struct gupb_kconfig *kc);
/* The "[selected]" word of a sysfs multiple-choice file, or "unknown". */
void gupb_sysfs_choice(const char *text, char *out, size_t len);
/*
 * A release built by `make kernel-deb` ends in -gupb-<state>-<stock|NNNN>
 * or, for a git tree's commit B, -gupb-<state>-g<12 hex digits>: 1 and
 * the <state>-<patch> part in build, the patch ("none" for stock,
 * "B:<digits>" for a commit) in patch; 0 for any other release. Pure.
 */
int gupb_release_build(const char *release, char *build, size_t blen,
		       char *patch, size_t plen);
/* Set every metadata context key (results/README.md). */
void gupb_meta_collect(const char *profile);
/* /proc/loadavg's three load averages "1 5 15", or "unknown: <why>". */
void gupb_loadavg(char *out, size_t len);

#endif /* GUPB_META_H */
