// SPDX-License-Identifier: GPL-2.0
/*
 * gb_shim.cc - the C API of gb.h over Google Benchmark (1.7.1 and later).
 *
 * The only C++ file in bench/. It keeps Google Benchmark's own state loop
 * (State::KeepRunning), so the harness adds one out-of-line call per
 * iteration and nothing else; perf counters (pmu.c) are opened before the
 * timer starts and read after it stops.
 */
#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "base/schema.h"
#include "gb/gb.h"
extern "C" {
#include "sys/pmu.h"
}

/*
 * A skip: libbenchmark 1.8 added State::SkipWithMessage (JSON "skipped":
 * true, "skip_message": the reason); 1.7.1 (Debian 12) has only
 * SkipWithError, so a skip there is the error "skipped: <reason>". The
 * build (bench/bench.mk) compiles a probe to set GB_HAVE_SKIP_WITH_MESSAGE.
 */
#ifndef GB_HAVE_SKIP_WITH_MESSAGE
#define GB_HAVE_SKIP_WITH_MESSAGE 0
#endif
#define SKIP_PREFIX "skipped: "

using Run = benchmark::BenchmarkReporter::Run;

#if GB_HAVE_SKIP_WITH_MESSAGE
static bool state_failed(benchmark::State &s) { return s.skipped(); }
static void state_skip(benchmark::State &s, const std::string &why)
{
	s.SkipWithMessage(why);
}
static bool run_is_skip(const Run &r)
{
	return r.skipped == benchmark::internal::SkippedWithMessage;
}
static std::string run_skip_reason(const Run &r) { return r.skip_message; }
static bool run_is_error(const Run &r)
{
	return r.skipped == benchmark::internal::SkippedWithError;
}
static std::string run_error(const Run &r) { return r.skip_message; }
#else
static bool state_failed(benchmark::State &s) { return s.error_occurred(); }
static void state_skip(benchmark::State &s, const std::string &why)
{
	s.SkipWithError((SKIP_PREFIX + why).c_str());
}
static bool run_is_skip(const Run &r)
{
	return r.error_occurred && r.error_message.rfind(SKIP_PREFIX, 0) == 0;
}
static std::string run_skip_reason(const Run &r)
{
	return r.error_message.substr(sizeof(SKIP_PREFIX) - 1);
}
static bool run_is_error(const Run &r) { return r.error_occurred; }
static std::string run_error(const Run &r) { return r.error_message; }
#endif

struct gb_state {
	benchmark::State *s;
	bool pmu_started;
	bool pmu_stopped;
	struct gupb_pmu pmu;
	std::string message;	/* of gb_skip/gb_error */
	bool skipped;		/* gb_skip, not gb_error */
};

/* Context set before gb_run(); later writes of a key win (--context). */
static std::map<std::string, std::string> &context_map()
{
	static std::map<std::string, std::string> m;
	return m;
}

static void pmu_finish(struct gb_state *st)
{
	struct gupb_pmu_value v[GUPB_PMU_MAX_EVENTS];
	int n;

	if (!st->pmu_started || st->pmu_stopped)
		return;
	st->pmu_stopped = true;
	gupb_pmu_disable(&st->pmu);
	n = gupb_pmu_read(&st->pmu, v, GUPB_PMU_MAX_EVENTS);
	for (int i = 0; i < n; i++)
		st->s->counters[v[i].name] = benchmark::Counter(
			v[i].value, benchmark::Counter::kAvgIterations);
	gupb_pmu_close(&st->pmu);
}

/* One registered benchmark. */
struct gb_bench {
	gb_fn fn;
	void *arg;
	std::string failure;	/* first skip/error message, sticky */
	bool skipped;		/* ... and whether it was a skip */
};

static void run_one(benchmark::State &s, struct gb_bench *b)
{
	struct gb_state st = {};

	st.s = &s;
	/*
	 * libbenchmark 1.7.1 dereferences the first repetition's statistics,
	 * which a failed run lacks (SIGSEGV in ComputeStats), when later
	 * repetitions succeed. So once a benchmark skipped or failed, its
	 * remaining runs report the same: the result says so, consistently.
	 */
	if (!b->failure.empty()) {
		if (b->skipped)
			state_skip(s, b->failure);
		else
			s.SkipWithError(b->failure.c_str());
	} else {
		b->fn(&st, b->arg);
		if (state_failed(s)) {
			b->failure = st.message;
			b->skipped = st.skipped;
		}
	}
	/*
	 * A run that failed before its loop reports 0 iterations, and 1.7.1
	 * aborts when the repetitions disagree on the count: entering the
	 * loop once after the error reports the same count as the others.
	 */
	if (!st.pmu_started && state_failed(s))
		s.KeepRunning();
	/* A benchmark that skipped before its loop never opened counters. */
	pmu_finish(&st);
	if (st.pmu_started && !st.pmu_stopped)
		gupb_pmu_close(&st.pmu);
}

/* Full names of the registered benchmarks, as the library names runs. */
static std::vector<std::string> &registered()
{
	static std::vector<std::string> v;
	return v;
}

/* How many registered benchmarks the filter selects (library rules). */
static size_t selected(void)
{
	std::string spec = benchmark::GetBenchmarkFilter();
	bool neg = false;
	size_t n = 0;

	if (spec.empty() || spec == "all")
		spec = ".";
	if (spec[0] == '-') {
		neg = true;
		spec = spec.substr(1);
	}
	try {
		std::regex re(spec, std::regex::extended);

		for (const auto &name : registered())
			n += std::regex_search(name, re) != neg;
	} catch (const std::regex_error &) {
		return 0;
	}
	return n;
}

/*
 * The console: one line per benchmark, "[n/N] name  time", from the
 * median of its repetitions (or its one run); the context, every
 * repetition and the counters are in the result file. A run that skipped
 * says why in the JSON; on the console the skips are counted by reason
 * and printed once at the end ("N skipped: reason x count"). Errors
 * print.
 */
class QuietConsoleReporter : public benchmark::ConsoleReporter {
public:
	explicit QuietConsoleReporter(OutputOptions o)
		: benchmark::ConsoleReporter(o), total_(selected()) {}

	bool ReportContext(const Context &) override
	{
		/* What a reader needs to know the run; all of it in the file. */
		static const char *const keys[] = { GUPB_CTX_KERNEL_RELEASE,
			GUPB_CTX_ARCH, GUPB_CTX_PAGE_SIZE, GUPB_CTX_PROFILE,
			GUPB_CTX_ODIRECT_TARGET, GUPB_CTX_HW_COUNTERS };

		for (const char *k : keys) {
			auto it = context_map().find(k);

			if (it != context_map().end())
				std::printf("%s: %s\n", k, it->second.c_str());
		}
		std::printf("gupbench: %zu benchmarks; one line each, the median "
			    "of its repetitions (all of them in the result file)\n",
			    total_);
		std::fflush(stdout);
		return true;
	}

	void ReportRuns(const std::vector<Run> &runs) override
	{
		for (const Run &r : runs) {
			const std::string name = r.benchmark_name();

			if (seen_.insert(r.run_name.str()).second)
				done_++;
			if (run_is_skip(r)) {
				/* each benchmark once, whichever repetition */
				skips_[run_skip_reason(r)].insert(name);
				continue;
			}
			if (run_is_error(r)) {
				line(r, "error");
				continue;
			}
			if ((r.run_type == Run::RT_Aggregate &&
			     r.aggregate_name == "median") ||
			    (r.run_type == Run::RT_Iteration &&
			     r.repetitions <= 1))
				line(r, nullptr);
		}
	}

	void PrintSkipSummary()
	{
		size_t total = 0;

		for (const auto &kv : skips_)
			total += kv.second.size();
		if (!total)
			return;
		std::printf("%zu benchmarks skipped (reasons in the result file):\n",
			    total);
		for (const auto &kv : skips_)
			std::printf("  %zu x %s\n", kv.second.size(),
				    kv.first.c_str());
		std::fflush(stdout);
	}

private:
	void line(const Run &r, const char *error)
	{
		const char *unit = benchmark::GetTimeUnitString(r.time_unit);
		bool cpu = r.run_name.str().find("/real_time") == std::string::npos &&
			   r.run_name.str().find("/manual_time") == std::string::npos;

		if (error) {
			std::printf("[%zu/%zu] %s  %s\n", done_, total_,
				    r.run_name.str().c_str(),
				    run_error(r).c_str());
		} else {
			double t = cpu ? r.GetAdjustedCPUTime() :
					 r.GetAdjustedRealTime();

			std::printf("[%zu/%zu] %s  %.*f %s %s%s%s\n", done_, total_,
				    r.run_name.str().c_str(), t < 100 ? 2 : 0, t,
				    unit, cpu ? "cpu" : "real",
				    r.report_label.empty() ? "" : "  ",
				    r.report_label.c_str());
		}
		std::fflush(stdout);
	}

	size_t total_, done_ = 0;
	std::set<std::string> seen_;
	std::map<std::string, std::set<std::string>> skips_;
};

/* The library's run name for a registration (benchmark_register.cc). */
static std::string run_name(const char *name, const struct gb_opts *o)
{
	std::string n = name;

	if (!o)
		return n;
	if (o->iterations > 0)
		n += "/iterations:" + std::to_string(o->iterations);
	if (o->repetitions > 0)
		n += "/repeats:" + std::to_string(o->repetitions);
	if (o->manual_time)
		n += "/manual_time";
	else if (o->real_time)
		n += "/real_time";
	return n;
}

extern "C" {

int gb_register(const char *name, gb_fn fn, void *arg,
		const struct gb_opts *o)
{
	benchmark::internal::Benchmark *b;
	struct gb_bench *gb;

	if (!name || !fn)
		return -EINVAL;
	/* Lives as long as the registration: until the process exits. */
	gb = new gb_bench{ fn, arg, std::string(), false };
	b = benchmark::RegisterBenchmark(name, [gb](benchmark::State &s) {
		run_one(s, gb);
	});
	if (!b)
		return -ENOMEM;
	registered().push_back(run_name(name, o));
	if (!o)
		return 0;
	if (o->manual_time)
		b->UseManualTime();
	else if (o->real_time)
		b->UseRealTime();
	if (o->iterations > 0)
		b->Iterations(o->iterations);
	if (o->repetitions > 0)
		b->Repetitions(o->repetitions);
	return 0;
}

bool gb_keep_running(struct gb_state *st)
{
	if (__builtin_expect(!st->pmu_started, 0)) {
		st->pmu_started = true;
		/* Opened before KeepRunning() starts the timer. */
		if (gupb_pmu_open(&st->pmu) == 0)
			gupb_pmu_enable(&st->pmu);
	}
	if (__builtin_expect(st->s->KeepRunning(), 1))
		return true;
	pmu_finish(st);
	return false;
}

void gb_pause(struct gb_state *st)
{
	if (st->pmu_started && !st->pmu_stopped)
		gupb_pmu_disable(&st->pmu);
	st->s->PauseTiming();
}

void gb_resume(struct gb_state *st)
{
	st->s->ResumeTiming();
	if (st->pmu_started && !st->pmu_stopped)
		gupb_pmu_enable(&st->pmu);
}

void gb_set_iteration_time(struct gb_state *st, double seconds)
{
	st->s->SetIterationTime(seconds);
}

int64_t gb_iterations(const struct gb_state *st)
{
	return (int64_t)st->s->iterations();
}

void gb_counter(struct gb_state *st, const char *name, double value,
		unsigned int flags)
{
	int f = benchmark::Counter::kDefaults;

	if (flags & GB_AVG_ITER)
		f |= benchmark::Counter::kAvgIterations;
	st->s->counters[name] = benchmark::Counter(
		value, static_cast<benchmark::Counter::Flags>(f));
}

void gb_set_bytes_processed(struct gb_state *st, int64_t bytes)
{
	st->s->SetBytesProcessed(bytes);
}

void gb_set_items_processed(struct gb_state *st, int64_t items)
{
	st->s->SetItemsProcessed(items);
}

void gb_set_label(struct gb_state *st, const char *label)
{
	st->s->SetLabel(label);
}

void gb_skip(struct gb_state *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->message = msg;
	st->skipped = true;
	state_skip(*st->s, st->message);	/* QuietConsoleReporter */
}

void gb_error(struct gb_state *st, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n = snprintf(msg, sizeof(msg), "error: ");

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	st->message = msg;
	st->skipped = false;
	st->s->SkipWithError(msg);
}

void gb_context(const char *key, const char *value)
{
	context_map()[key] = value ? value : "";
}

void gb_contextf(const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gb_context(key, buf);
}

void gb_min_time_flag(char *buf, size_t len, double seconds)
{
	snprintf(buf, len, "--benchmark_min_time=%g%s", seconds,
		 GB_HAVE_SKIP_WITH_MESSAGE ? "s" : "");	/* both came in 1.8 */
}

int gb_filter_check(const char *re, char *why, size_t len)
{
	try {
		std::regex r(re[0] == '-' ? re + 1 : re, std::regex::extended);
	} catch (const std::regex_error &e) {
		snprintf(why, len, "%s", e.what());
		return -1;
	}
	return 0;
}

void gb_init(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
}

int gb_run(void)
{
	QuietConsoleReporter display(isatty(STDOUT_FILENO) ?
				     benchmark::ConsoleReporter::OO_Color :
				     benchmark::ConsoleReporter::OO_None);
	size_t ran;

	for (const auto &kv : context_map())
		benchmark::AddCustomContext(kv.first, kv.second);
	/* The JSON file reporter (--benchmark_out) still gets every run. */
	ran = benchmark::RunSpecifiedBenchmarks(&display);
	display.PrintSkipSummary();
	return (int)ran;
}

void gb_shutdown(void)
{
	benchmark::Shutdown();
}

} /* extern "C" */
