/* SPDX-License-Identifier: GPL-2.0 */
/*
 * alias.h - the alias check's shared state (bench/wl_alias.c describes
 * the check): the probe addresses, each entry point's outcome.
 */
#ifndef GUPB_ALIAS_H
#define GUPB_ALIAS_H

#include <liburing.h>
#include <stddef.h>

#include "ctx.h"

#define ALIAS_LEN	(64 * 1024)
#define ALIAS_MAX_PROBES 24

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

enum entry {
	E_VMSPLICE, E_FUTEX, E_ODIRECT, E_IOURING,
	E_KGUP_FAST, E_KPIN_FAST, E_KPIN_LONGTERM, E_KGUP_FAST_ONLY, E_KWALK,
	E_NR
};

extern const char *const gupb_alias_entry_names[E_NR + 1];

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

struct alias_state {
	int done;
	unsigned int va_bits;
	const char *va_source;
	int kmod_va_bits;	/* -1 without the module */
	struct probe probes[ALIAS_MAX_PROBES];
	int nr_probes;
	struct outcome out[E_NR];
	char *x;
	size_t page;
	int kfd;			/* the run context's module fd */
	struct gupb_info info;
	const char *kmod_why;
	const struct gupb_target *t;	/* the run context's target */
	struct io_uring ring;
	int ring_ok;
};

/* The one check per run (wl_alias.c registers, alias_probe.c fills). */
extern struct alias_state A;

/* alias_entries.c: 1 accepted, 0 refused (errno in *err), -1 set-up failed. */
int alias_try_entry(int e, char *a, int *err, int *confirmed, int baseline);
void alias_fill_x(void);
double alias_now(void);
/* alias_probe.c */
void alias_probe_all(struct gupb_ctx *ctx);
const char *alias_probe_name(int i, char *buf, size_t len);
void alias_unmap(void);


#endif /* GUPB_ALIAS_H */
