// SPDX-License-Identifier: GPL-2.0
/* cli.c - gupbench's command line (getopt_long), cli.h. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/case.h"
#include "core/cli.h"
#include "core/describe.h"

static const char usage_text[] =
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
"  -K, --kmod-unavailable REASON  why the module is not loaded (said with it)\n"
"  -l, --list             list the benchmarks and exit\n"
"  -w, --list-workloads   list the workloads and their profile keys, and exit\n"
"  -D, --describe[=WHAT]  print the result contract as JSON (contract/gupbench.json),\n"
"                         or WHAT: counters, context, families as Markdown tables, and exit\n"
"  -h, --help\n"
"Environment: GUPB_TARGET, GUPB_PROFILE_DIR.\n";

static void list_workloads(void)
{
	const struct gupb_wl *const *w;
	const struct gupb_opt *o;
	size_t n, i;

	w = gupb_workloads(&n);
	for (i = 0; i < n; i++) {
		printf("%-10s %s\n", gupb_wl_name(w[i]), w[i]->summary);
		for (o = w[i]->opts; o && o->name; o++)
			printf("  %s.%s = %s: %s\n", w[i]->name, o->name,
			       o->def, o->help);
	}
}

/* Google Benchmark's own flags are passed on; 0, or -1 (said why). */
static int pass_on(struct gupb_args *a, const char *arg, const char *argv0)
{
	if (!strncmp(arg, "--benchmark_out", 15)) {
		fprintf(stderr, "gupbench: use --out, not %s\n", arg);
		return -1;
	}
	if (optopt == 0 && !strncmp(arg, "--benchmark_", 12) &&
	    a->nr_gb < GUPB_MAX_ARGS - 8) {
		a->gb[a->nr_gb++] = arg;
		return 0;
	}
	fprintf(stderr, "gupbench: unknown or incomplete option '%s'\n", arg);
	fprintf(stderr, usage_text, argv0);
	return -1;
}

/* --describe[=WHAT]: the contract as JSON, or one of its tables. */
static int describe(const char *what)
{
	if (!what || !strcmp(what, "json"))
		return gupb_describe(stdout) ? 1 : 0;
	return gupb_describe_table(stdout, what) ? 1 : 0;
}

int gupb_cli_parse(int argc, char **argv, struct gupb_args *a,
		   struct gupb_ctx *c)
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
		{ "kmod-unavailable", required_argument, NULL, 'K' },
		{ "list", no_argument, NULL, 'l' },
		{ "list-workloads", no_argument, NULL, 'w' },
		{ "describe", optional_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "p:o:d:t:f:c:T:P:K:lwDh", opts,
				 NULL)) != -1) {
		const char *arg = argv[optind - 1];

		switch (ch) {
		case 'p': a->profile = optarg; break;
		case 'o': a->out = optarg; break;
		case 'd': a->out_dir = optarg; break;
		case 't': c->cfg.target = optarg; break;
		case 'f': a->filter = optarg; break;
		case 'T': c->cfg.tmpdir = optarg; break;
		case 'P': a->profile_dir = optarg; break;
		case 'K': a->kmod_why = optarg; break;
		case 'l': a->list = 1; break;
		case 'w': list_workloads(); return 0;
		case 'D': return describe(optarg);
		case 'h': printf(usage_text, argv[0]); return 0;
		case 'c':
			if (!strchr(optarg, '=') || *optarg == '=' ||
			    a->nr_ctx >= GUPB_MAX_ARGS) {
				fprintf(stderr, "gupbench: bad --context '%s' (KEY=VALUE)\n",
					optarg);
				return GUPB_EXIT_USAGE;
			}
			a->ctx[a->nr_ctx++] = optarg;
			break;
		default:
			if (pass_on(a, arg, argv[0]))
				return GUPB_EXIT_USAGE;
			break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gupbench: unexpected argument '%s'\n",
			argv[optind]);
		return GUPB_EXIT_USAGE;
	}
	return -1;
}

