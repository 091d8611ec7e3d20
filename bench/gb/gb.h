/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gb.h - the C API over Google Benchmark (libbenchmark 1.7.1 and later).
 *
 * Workloads are plain C; this header is all they see of libbenchmark.
 * The implementation (gb_shim.cc) is the only C++ file in bench/.
 *
 * Its one user is the case driver (core/case.c): workloads write hooks,
 * not benchmark functions. The per-benchmark perf counters (pmu.c) are started by the first
 * gb_keep_running() call, stopped by gb_pause() / restarted by gb_resume(),
 * and read when gb_keep_running() returns false, so they cover exactly the
 * timed region; the shim adds them as counters itself.
 */
#ifndef GUPB_GB_H
#define GUPB_GB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gb_state;	/* wraps benchmark::State, valid during one run */

typedef void (*gb_fn)(struct gb_state *st, void *arg);

/* Per-benchmark options; zero means "Google Benchmark's default". */
struct gb_opts {
	bool manual_time;	/* time comes from gb_set_iteration_time() */
	bool real_time;		/* wall clock instead of CPU time */
	int64_t iterations;	/* fixed iteration count */
	int repetitions;
};

/* Counter flags, mapped onto benchmark::Counter::Flags. */
enum gb_counter_flags {
	GB_COUNTER_DEFAULT = 0,	/* the value as given */
	GB_AVG_ITER = 1,	/* value / iterations */
};

/* Registration: call before gb_run(). name is copied. Returns 0 or -errno. */
int gb_register(const char *name, gb_fn fn, void *arg,
		const struct gb_opts *opts);

/* The state loop. */
bool gb_keep_running(struct gb_state *st);
void gb_pause(struct gb_state *st);	/* PauseTiming() (+ perf counters) */
void gb_resume(struct gb_state *st);	/* ResumeTiming() */
void gb_set_iteration_time(struct gb_state *st, double seconds);
int64_t gb_iterations(const struct gb_state *st);

/* Results. */
void gb_counter(struct gb_state *st, const char *name, double value,
		unsigned int flags);
void gb_set_bytes_processed(struct gb_state *st, int64_t bytes);
void gb_set_items_processed(struct gb_state *st, int64_t items);
void gb_set_label(struct gb_state *st, const char *label);

/*
 * Skip: with libbenchmark >= 1.8 a real SkipWithMessage(reason): the
 * JSON carries "skipped": true and "skip_message": "<reason>". 1.7.1
 * (Debian 12) has no SkipWithMessage, so there a skip is
 * SkipWithError("skipped: <reason>"): "error_occurred": true and
 * "error_message": "skipped: <reason>". gb_error() is for real failures
 * ("error: <msg>", error_occurred, on every version). Both are
 * printf-style. After either, return from the benchmark function without
 * looping.
 */
void gb_skip(struct gb_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gb_error(struct gb_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Custom context entries in the result JSON ("context" object). */
void gb_context(const char *key, const char *value);
void gb_contextf(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Lifecycle. gb_init() consumes --benchmark_* options from argv
 * (benchmark::Initialize) and leaves the rest. gb_run() runs what matches
 * the filter and returns the number of benchmarks run.
 */
void gb_init(int *argc, char **argv);
/*
 * "--benchmark_min_time=<seconds>" as this libbenchmark reads it: a bare
 * number for 1.7.1, with the "s" suffix 1.8 and later want (they warn
 * once per benchmark without it).
 */
void gb_min_time_flag(char *buf, size_t len, double seconds);
/*
 * Whether re compiles as Google Benchmark compiles --benchmark_filter
 * (std::regex, extended; a leading '-' negates): 0, or -1 with why.
 */
int gb_filter_check(const char *re, char *why, size_t len);
int gb_run(void);
void gb_shutdown(void);

#ifdef __cplusplus
}
#endif
#endif /* GUPB_GB_H */
