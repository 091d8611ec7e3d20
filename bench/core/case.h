/* SPDX-License-Identifier: GPL-2.0 */
/*
 * case.h - the case driver: a workload says what it does, the driver
 * does the rest (fio's ioengine_ops, perf bench's tables).
 *
 * A workload is one file defining one `struct gupb_wl` and registering it
 * with GUPB_WORKLOAD(sym): the descriptor lands in the gupb_wl ELF
 * section, so adding a workload touches no other file. It supplies
 *  - its families: name, the keys of its benchmark names in order (each
 *    swept or fixed), the counter it claims;
 *  - its options: scoped profile keys (`iouring.qdepths = 1, 16`) with
 *    defaults; a list option with .axis sweeps that name key;
 *  - hooks, all optional but op: check (before the buffer), setup (after
 *    it), claim, prove, begin/end (each run), op (the timed operation),
 *    counters, teardown.
 * The driver expands the sweep (sizes x backings x layouts x the
 * workload's keys), names each benchmark from family + key:value pairs,
 * keeps one buffer and one set-up per benchmark (made by its first
 * repetition, released when another benchmark starts: one set-up per
 * benchmark as Google Benchmark runs repetitions back to back; with
 * --benchmark_enable_random_interleaving, one per switch), turns set-up and
 * proof outcomes into skips and errors in one place, runs the timed loop
 * and writes the standard counters: the measured claim counter and its
 * claim_ twin (schema.h, from contract.def).
 */
#ifndef GUPB_CASE_H
#define GUPB_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sys/buffers.h"
#include "gb/gb.h"
#include "base/proof.h"
#include "base/schema.h"

struct gupb_ctx;
struct gupb_profile;

#define GUPB_MAX_KEYS 5

/* One key of a benchmark name. */
struct gupb_axis {
	const char *key;		/* GUPB_KEY_*; NULL ends the list */
	const char *fixed;		/* one value; NULL: swept */
	const char *const *values;	/* swept over these (NULL-terminated) */
};

/*
 * Swept keys without .values: backing, layout and bytes (or pages: the
 * same sizes in pages) come from the profile (a crossing layout needs two
 * pages), entry from every workload's probe hooks (gupb_probe_entries),
 * any other key from the workload's list option with that .axis.
 */
struct gupb_family {
	const char *name;	/* "odirect_read"; NULL ends the table */
	struct gupb_axis axes[GUPB_MAX_KEYS];
	int arg;		/* the workload's own: which operation */
	const char *claim;	/* GUPB_CTR_* claimed and measured, or NULL */
};

/* Table helpers: a family, its keys in name order. */
#define GUPB_FAMILY(n, a, c, ...) \
	{ .name = (n), .arg = (a), .claim = (c), .axes = { __VA_ARGS__ } }
#define GUPB_FAMILY_END { .name = NULL }
#define GUPB_SWEEP(k)		{ .key = (k) }
#define GUPB_FIXED(k, v)	{ .key = (k), .fixed = (v) }
#define GUPB_OVER(k, list)	{ .key = (k), .values = (list) }

/* A scoped profile key, <workload>.<name> = a list of integers. */
struct gupb_opt {
	const char *name;	/* NULL ends the table */
	const char *def;	/* default, written as in a profile */
	long min, max;		/* each element */
	const char *axis;	/* the name key it sweeps, or NULL */
	const char *help;
};

enum gupb_case_state { GUPB_CASE_NEW, GUPB_CASE_READY, GUPB_CASE_SKIP,
		       GUPB_CASE_ERROR };

/* One benchmark. */
struct gupb_case {
	const struct gupb_wl *wl;
	const struct gupb_family *fam;
	struct gupb_ctx *ctx;
	char name[192];
	const char *key[GUPB_MAX_KEYS];
	char val[GUPB_MAX_KEYS][32];
	int nr_keys;
	/* From the name (bytes: or pages:), or the defaults: anon, inside, 0, 1. */
	char backing[16], layout[16];
	size_t bytes;
	long qd;
	struct gupb_buf buf;	/* when the workload has a buffer */
	void *priv;		/* wl->priv_size bytes, zeroed, the workload's */
	enum gupb_case_state state;
	char msg[320];		/* why it skips or fails */
	double claim;		/* of fam->claim */
	double measured;	/* set by prove */
	int64_t bytes_per_op, items_per_op;	/* for the rates; 0: none */
	double iter_seconds;	/* manual time: set by op */
	long warmup_ms;		/* set by setup: op runs this long after the proof */
	int err;		/* errno of a failed op */
	/* This run's, from begin to end: gb_pause() around part of an op. */
	struct gb_state *st;
};

/*
 * A probe hook: one GUP through the workload's entry point at addr (a
 * page), for the checks (the alias check tries every registered
 * workload's probes at addresses above the run-time VA size). Called in
 * the probe phase with the run context opened.
 */
struct gupb_probe_io {
	char *x;		/* the check's mapping X, holding its pattern */
	size_t len;		/* bytes at addr a probe may use: one page */
	bool baseline;		/* addr is X itself */
	/* Out: */
	int err;		/* errno of a refusal */
	bool confirmed;		/* accepted, and X's data came through */
	char got[64];		/* bytes read back through addr, got_len */
	size_t got_len;
	char why[200];		/* GUPB_PROBE_SKIP: why not here */
};

enum gupb_probe_ret {
	GUPB_PROBE_SKIP = -2,		/* cannot here (io->why) */
	GUPB_PROBE_FAILED = -1,		/* its set-up failed */
	GUPB_PROBE_REFUSED = 0,		/* io->err */
	GUPB_PROBE_ACCEPTED = 1,
};

/* A read from the run's O_DIRECT target into addr: X's data is the target's. */
#define GUPB_PROBE_READS_TARGET	0x1
/* Always tells an alias from X (a waiter on X is woken): checkable. */
#define GUPB_PROBE_WAKES	0x2
/* Not a kernel GUP entry point (the module's copy of the walk): reported, not counted. */
#define GUPB_PROBE_OWN_WALK	0x4

struct gupb_probe {
	const char *entry;	/* the check's entry:<name>; NULL ends */
	/*
	 * Its place among every workload's entries: the checks' names keep
	 * the order they were first published in.
	 */
	int order;
	unsigned int flags;	/* GUPB_PROBE_* */
	enum gupb_probe_ret (*fn)(struct gupb_ctx *ctx, char *addr,
				  struct gupb_probe_io *io);
};

struct gupb_wl {
	const char *name;	/* "odirect": profile keys odirect.* */
	const char *summary;	/* one line, for --list-workloads */
	int order;		/* registration order, low first */
	const struct gupb_family *families;
	const struct gupb_opt *opts;	/* may be NULL */
	struct gb_opts gb;	/* real_time, manual_time, ... */
	bool no_buffer;		/* the driver maps no buffer */
	size_t priv_size;
	const char *op_name;	/* "I/O failed": prefix of a failed op */
	/*
	 * With no prove hook: prove from /proc/vmstat that op pins c->claim
	 * pages (gupb_pins_prove), rounds of this many ops.
	 */
	int pin_rounds;

	/*
	 * Registration (--list too): why the whole workload cannot run
	 * here, judged from the file system only (stat/access: no open of a
	 * device, no ioctl, no GUP), or NULL. Not registered when set.
	 */
	const char *(*absent)(const struct gupb_ctx *ctx);
	/*
	 * The probe phase: after registration, before any run, never with
	 * --list. Opens what it needs, runs checks, writes context keys.
	 * NULL, or why the workload is not run here (its benchmarks are
	 * left out, said once).
	 */
	const char *(*prepare)(struct gupb_ctx *ctx);
	/*
	 * Is this combination a benchmark? (NULL: all are) Asked at
	 * registration and again after the probe phase (it may then use
	 * what the probes found: the module's INFO).
	 */
	bool (*accept)(const struct gupb_case *c);
	/* Buffer length (NULL: c->bytes). */
	size_t (*buf_bytes)(const struct gupb_case *c);
	/* The value of fam->claim (NULL: 0). */
	double (*claim)(const struct gupb_case *c);
	/* Before / after the buffer: GUPB_RUN, or a verdict with why. */
	enum gupb_verdict (*check)(struct gupb_case *c, char *why, size_t len);
	enum gupb_verdict (*setup)(struct gupb_case *c, char *why, size_t len);
	/* Sets c->measured; why says what was found. */
	enum gupb_proof (*prove)(struct gupb_case *c, char *why, size_t len);
	/*
	 * Each run (repetition), around the timed loop: begin (GUPB_RUN, or
	 * this run skips/fails with why), end after counters (also after a
	 * failed op). For per-run state: sample pools, a helper thread.
	 */
	enum gupb_verdict (*begin)(struct gupb_case *c, char *why, size_t len);
	void (*end)(struct gupb_case *c);
	/* The timed operation: 0, or -1 with c->err. */
	int (*op)(struct gupb_case *c);
	void (*counters)(struct gb_state *st, struct gupb_case *c);
	void (*teardown)(struct gupb_case *c);
	void (*fini)(void);	/* at exit, not from a signal */
	/* Its entry points for the checks (case.h: struct gupb_probe). */
	const struct gupb_probe *probes;
};

#define GUPB_WORKLOAD(sym)						\
	static const struct gupb_wl *const gupb_wl_ptr_##sym		\
	__attribute__((used, section("gupb_wl"))) = &(sym)

/* Every registered workload, in order; *n set. */
const struct gupb_wl *const *gupb_workloads(size_t *n);
const struct gupb_wl *gupb_workload_find(const char *name);
/*
 * Every workload's probe hooks, by .order; *n set. The entry names, in
 * the same order, NULL-terminated (the checks' entry:<name> key).
 */
const struct gupb_probe *const *gupb_probes(size_t *n);
const char *const *gupb_probe_entries(void);
/* Its name. */
const char *gupb_wl_name(const struct gupb_wl *wl);
/*
 * Check the profile's scoped keys against the workloads' option tables:
 * 0, or -1 with "line N: ..." in err (unknown workload or option, bad
 * value).
 */
int gupb_profile_check(const struct gupb_profile *p, char *err, size_t len);

/* Expand wl's sweep into cases; fn(c, arg) per case. 0 or -errno. */
int gupb_expand(const struct gupb_wl *wl, struct gupb_ctx *ctx,
		int (*fn)(struct gupb_case *c, void *arg), void *arg);
/*
 * Registration: name wl's benchmarks (nothing else: no device, module or
 * GUP call), or say once why the workload is not run here (notrun.h).
 * 0 or -errno (-EINVAL: said why).
 */
int gupb_register_wl(const struct gupb_wl *wl, struct gupb_ctx *ctx);
/*
 * The probe phase (not with --list): each registered workload's prepare
 * hook, in order; a workload that is not run here is said once.
 */
void gupb_prepare_all(struct gupb_ctx *ctx);
/*
 * Hand the registered benchmarks, less those of workloads the probe
 * phase left out and those accept() now refuses, to Google Benchmark.
 * 0 or -errno.
 */
int gupb_publish(void);
/* The index of c's value of key in names, or -1 (no such key or value). */
int gupb_case_key_index(const struct gupb_case *c, const char *key,
			const char *const *names);
/* Release the set-up kept for the last benchmark (at exit). */
void gupb_case_release(void *unused);

/*
 * Option values: the profile's <wl>.<name>, else the default. Returns the
 * number of values, or -1 with a message in err.
 */
int gupb_opt_values(const struct gupb_wl *wl, const struct gupb_opt *o,
		    const char *text, long *out, int max, char *err,
		    size_t errlen);
int gupb_opt_get(const struct gupb_ctx *ctx, const struct gupb_wl *wl,
		 const char *name, long *out, int max);

#endif /* GUPB_CASE_H */
