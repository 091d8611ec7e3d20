// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the gupbench driver: options, profile, workloads, atomic output.
 *
 * Google Benchmark writes the JSON to a temporary file next to the final
 * one; only a completed run is renamed into place, and SIGINT/SIGTERM/
 * SIGHUP remove the temporary file and run the workloads' cleanups (e.g.
 * a private zram device is hot-removed) before exiting.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "gupbench.h"
#include "meta.h"
#include "notrun.h"
#include "profile.h"

#define EXIT_USAGE 2
#define MAX_CTX 32

static char tmp_path[PATH_MAX];
static volatile sig_atomic_t cleaned;

static void run_cleanups(void)
{
	size_t i;

	if (cleaned)
		return;
	cleaned = 1;
	for (i = 0; i < gupb_nr_workloads; i++)
		if (gupb_workloads[i]->cleanup_fn)
			gupb_workloads[i]->cleanup_fn();
}

static void on_signal(int sig)
{
	if (tmp_path[0])
		unlink(tmp_path);
	run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
"usage: %s [options] [--benchmark_* options of Google Benchmark]\n"
"  -p, --profile NAME     quick (default), full or smoke\n"
"  -o, --out FILE         result file (default: DIR/<kernel>-<host>-<profile>-<time>.json)\n"
"  -d, --out-dir DIR      directory for the result file (default: results)\n"
"  -t, --target T         O_DIRECT target: auto (default), nullb, zram or a\n"
"                         path to a block device or a regular file\n"
"  -f, --filter REGEX     run only benchmarks matching REGEX\n"
"  -c, --context K=V      add or override a context entry (repeatable)\n"
"  -T, --tmpdir DIR       where file-backed buffers live (default: results dir)\n"
"  -P, --profile-dir DIR  where <profile>.conf files are\n"
"  -l, --list             list the benchmarks and exit\n"
"  -w, --list-workloads   list the workloads and exit\n"
"  -h, --help\n"
"Environment: GUPB_TARGET, GUPB_PROFILE_DIR.\n", argv0);
}

static int load_profile(const char *dir, const char *name,
			struct gupb_profile *p)
{
	char path[PATH_MAX], exe[PATH_MAX], err[256];
	const char *dirs[4] = { dir, getenv("GUPB_PROFILE_DIR"), NULL,
				"configs/profiles" };
	ssize_t n;
	FILE *f = NULL;
	int i, ret;

	if (strchr(name, '/') || !*name) {
		fprintf(stderr, "gupbench: bad profile name '%s'\n", name);
		return -1;
	}
	/* <bin>/../../configs/profiles: build/<arch>/gupbench in the tree. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		snprintf(path, sizeof(path), "%s", exe);
		*strrchr(path, '/') = 0;
		snprintf(exe, sizeof(exe), "%s/../../configs/profiles", path);
		dirs[2] = exe;
	}
	for (i = 0; i < 4 && !f; i++) {
		if (!dirs[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s.conf", dirs[i], name);
		f = fopen(path, "r");
	}
	if (!f) {
		fprintf(stderr,
			"gupbench: unknown profile '%s' (no %s.conf in --profile-dir, $GUPB_PROFILE_DIR or configs/profiles)\n",
			name, name);
		return -1;
	}
	ret = gupb_profile_parse(f, name, p, err, sizeof(err));
	fclose(f);
	if (ret)
		fprintf(stderr, "gupbench: profile %s: %s\n", path, err);
	return ret;
}

static void sanitize(char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == '+'))
			*s = '_';
}

static void default_name(char *out, size_t len, const char *dir,
			 const char *profile)
{
	struct utsname u;
	char rel[65], host[65], ts[32];
	time_t t = time(NULL);

	uname(&u);
	snprintf(rel, sizeof(rel), "%s", u.release);
	snprintf(host, sizeof(host), "%s", u.nodename);
	sanitize(rel);
	sanitize(host);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%S", gmtime(&t));
	snprintf(out, len, "%s/%s-%s-%s-%s.json", dir, rel, host, profile, ts);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "out-dir", required_argument, NULL, 'd' },
		{ "target", required_argument, NULL, 't' },
		{ "filter", required_argument, NULL, 'f' },
		{ "context", required_argument, NULL, 'c' },
		{ "tmpdir", required_argument, NULL, 'T' },
		{ "profile-dir", required_argument, NULL, 'P' },
		{ "list", no_argument, NULL, 'l' },
		{ "list-workloads", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *profile = "quick", *out = NULL, *out_dir = "results";
	const char *filter = NULL, *profile_dir = NULL, *ctx[MAX_CTX];
	char out_path[PATH_MAX], *gb_argv[24], *user_gb[8], arg_out[PATH_MAX + 32];
	char arg_filter[1100], arg_reps[64], arg_mt[64];
	struct gupb_config cfg = { 0 };
	int nr_ctx = 0, list = 0, c, i, gb_argc = 0, ran;
	size_t w;

	cfg.target = getenv("GUPB_TARGET") ? getenv("GUPB_TARGET") : "auto";
	cfg.kmod_dev = "/dev/gupbench";
	/* Google Benchmark's own flags are ours to pass; reject the rest. */
	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--benchmark_out", 15)) {
			fprintf(stderr, "gupbench: use --out, not %s\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:o:d:t:f:c:T:P:lwh", opts,
				NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'o': out = optarg; break;
		case 'd': out_dir = optarg; break;
		case 't': cfg.target = optarg; break;
		case 'f': filter = optarg; break;
		case 'T': cfg.tmpdir = optarg; break;
		case 'P': profile_dir = optarg; break;
		case 'l': list = 1; break;
		case 'c':
			if (!strchr(optarg, '=') || *optarg == '=' ||
			    nr_ctx >= MAX_CTX) {
				fprintf(stderr, "gupbench: bad --context '%s' (KEY=VALUE)\n",
					optarg);
				return EXIT_USAGE;
			}
			ctx[nr_ctx++] = optarg;
			break;
		case 'w':
			for (w = 0; w < gupb_nr_workloads; w++)
				printf("%-10s %s\n", gupb_workloads[w]->name,
				       gupb_workloads[w]->summary);
			return 0;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			if (optopt == 0 && !strncmp(argv[optind - 1],
						    "--benchmark_", 12)) {
				if (gb_argc < 8) {
					user_gb[gb_argc++] = argv[optind - 1];
					continue;
				}
			}
			fprintf(stderr, "gupbench: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			usage(stderr, argv[0]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gupbench: unexpected argument '%s'\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (load_profile(profile_dir, profile, &cfg.profile))
		return EXIT_USAGE;
	if (!list) {
		if (out) {
			snprintf(out_path, sizeof(out_path), "%s", out);
		} else {
			mkdir(out_dir, 0755);
			default_name(out_path, sizeof(out_path), out_dir,
				     profile);
		}
		{
			char *slash, dir[PATH_MAX];

			snprintf(dir, sizeof(dir), "%s", out_path);
			slash = strrchr(dir, '/');
			if (slash)
				*slash = 0;
			else
				snprintf(dir, sizeof(dir), ".");
			snprintf(tmp_path, sizeof(tmp_path), "%s/.gupbench-%d.json.tmp",
				 dir, (int)getpid());
			if (!cfg.tmpdir)
				cfg.tmpdir = strdup(dir);
			if (access(dir, W_OK)) {
				fprintf(stderr, "gupbench: cannot write to %s: %s\n",
					dir, strerror(errno));
				return EXIT_USAGE;
			}
		}
	}
	if (!cfg.tmpdir)
		cfg.tmpdir = "/tmp";

	/* argv for benchmark::Initialize: our output flags, then the user's. */
	gb_argv[0] = argv[0];
	i = 1;
	if (list) {
		gb_argv[i++] = "--benchmark_list_tests=true";
	} else {
		snprintf(arg_out, sizeof(arg_out), "--benchmark_out=%s", tmp_path);
		gb_argv[i++] = arg_out;
		gb_argv[i++] = "--benchmark_out_format=json";
	}
	/* Global, not per benchmark: keeps the names free of suffixes. */
	snprintf(arg_reps, sizeof(arg_reps), "--benchmark_repetitions=%d",
		 cfg.profile.repetitions);
	gb_argv[i++] = arg_reps;
	snprintf(arg_mt, sizeof(arg_mt), "--benchmark_min_time=%g",
		 cfg.profile.min_time);
	gb_argv[i++] = arg_mt;
	if (filter) {
		snprintf(arg_filter, sizeof(arg_filter), "--benchmark_filter=%s",
			 filter);
		gb_argv[i++] = arg_filter;
	}
	for (c = 0; c < gb_argc; c++)
		gb_argv[i++] = user_gb[c];	/* the user's flags win */
	gb_argv[i] = NULL;
	gb_argc = i;
	gb_init(&gb_argc, gb_argv);
	if (gb_argc > 1) {
		fprintf(stderr, "gupbench: unknown option '%s'\n", gb_argv[1]);
		return EXIT_USAGE;
	}

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	atexit(run_cleanups);

	gupb_meta_collect(profile);
	gupb_drop_unavailable_backings(&cfg.profile);
	for (w = 0; w < gupb_nr_workloads; w++) {
		const struct gupb_workload *wl = gupb_workloads[w];
		const char *why = wl->unavailable_fn ?
				  wl->unavailable_fn(&cfg) : NULL;
		int ret;

		if (why) {
			gupb_not_run(wl->name, why);
			continue;
		}
		ret = wl->register_fn(&cfg);

		if (ret == -EINVAL)
			return EXIT_USAGE;	/* the workload said why */
		if (ret) {
			fprintf(stderr, "gupbench: workload %s: %s\n",
				gupb_workloads[w]->name, strerror(-ret));
			return 1;
		}
	}
	gupb_not_run_context();
	/* Later --context wins over what meta and workloads set. */
	for (i = 0; i < nr_ctx; i++) {
		char key[128];
		const char *eq = strchr(ctx[i], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - ctx[i]), ctx[i]);
		gb_context(key, eq + 1);
	}
	ran = gb_run();
	gb_shutdown();
	run_cleanups();
	if (list)
		return 0;
	if (ran == 0) {
		unlink(tmp_path);
		fprintf(stderr, "gupbench: no benchmark matched%s%s\n",
			filter ? " the filter " : "", filter ? filter : "");
		return EXIT_USAGE;
	}
	if (rename(tmp_path, out_path)) {
		fprintf(stderr, "gupbench: rename %s -> %s: %s\n", tmp_path,
			out_path, strerror(errno));
		unlink(tmp_path);
		return 1;
	}
	tmp_path[0] = 0;
	printf("gupbench: %d benchmarks, result in %s\n", ran, out_path);
	return 0;
}
