// SPDX-License-Identifier: GPL-2.0
/*
 * test_shim.c - exercises gb.h; check_shim.py reads the JSON it writes.
 * Usage: test_shim --benchmark_out=F --benchmark_out_format=json
 */
#include <stdio.h>
#include "gb/gb.h"

static int token;

static void bm_counter(struct gb_state *st, void *arg)
{
	int64_t n = 0;

	(void)arg;
	while (gb_keep_running(st))
		n++;
	gb_counter(st, "two_per_iter", 2.0 * (double)n, GB_AVG_ITER);
	gb_counter(st, "flat", 7, GB_COUNTER_DEFAULT);
	gb_set_items_processed(st, n);
	gb_set_label(st, "hello");
}

static void bm_skip(struct gb_state *st, void *arg)
{
	(void)arg;
	gb_skip(st, "no %s here", "widget");
}

static void bm_error(struct gb_state *st, void *arg)
{
	(void)arg;
	gb_error(st, "broken %d", 42);
}

static void bm_manual(struct gb_state *st, void *arg)
{
	if (arg != &token) {
		gb_error(st, "arg not passed through");
		return;
	}
	while (gb_keep_running(st)) {
		gb_pause(st);
		gb_resume(st);
		gb_set_iteration_time(st, 0.001);
	}
}

/*
 * Skips in one repetition only (the first, or the second): libbenchmark
 * 1.7.1 must neither abort nor crash, and the skip stays in the result.
 */
static void bm_flaky(struct gb_state *st, void *arg)
{
	static int calls[2];
	int which = arg != NULL;

	if (++calls[which] == 1 + which) {
		gb_skip(st, "second repetition");
		return;
	}
	while (gb_keep_running(st))
		;
}

int main(int argc, char **argv)
{
	struct gb_opts manual = { .manual_time = true, .iterations = 10,
				  .repetitions = 3 };
	struct gb_opts fixed = { .iterations = 1000 };
	struct gb_opts flaky = { .iterations = 100, .repetitions = 3 };

	gb_init(&argc, argv);
	if (gb_register("shim_counter/arg:1", bm_counter, NULL, &fixed) ||
	    gb_register("shim_skip", bm_skip, NULL, NULL) ||
	    gb_register("shim_error", bm_error, NULL, NULL) ||
	    gb_register("shim_manual", bm_manual, &token, &manual) ||
	    gb_register("shim_flaky_first", bm_flaky, NULL, &flaky) ||
	    gb_register("shim_flaky_second", bm_flaky, &token, &flaky) ||
	    gb_register(NULL, bm_skip, NULL, NULL) == 0)
		return 1;
	gb_context("shim_key", "first");
	gb_contextf("shim_key", "second-%d", 2);
	printf("ran %d\n", gb_run());
	gb_shutdown();
	return 0;
}
