// SPDX-License-Identifier: GPL-2.0
/* output.c - the result file's name and its atomic write (output.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/schema.h"
#include "core/ctx.h"
#include "core/meta.h"
#include "core/output.h"

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

/* Signal-safe: the path was made before any signal could come. */
static void remove_tmp(void *arg)
{
	char *tmp = arg;

	if (tmp[0])
		unlink(tmp);
}

int gupb_output_prepare(struct gupb_output *o, const char *out,
			const char *out_dir, const char *profile)
{
	char *slash;

	if (out) {
		snprintf(o->path, sizeof(o->path), "%s", out);
	} else {
		mkdir(out_dir, 0755);
		default_name(o->path, sizeof(o->path), out_dir, profile);
	}
	snprintf(o->dir, sizeof(o->dir), "%s", o->path);
	slash = strrchr(o->dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(o->dir, sizeof(o->dir), ".");
	/* AT_EACCESS: as the run will write, with its capabilities. */
	if (faccessat(AT_FDCWD, o->dir, W_OK, AT_EACCESS)) {
		fprintf(stderr, "gupbench: cannot write to %s: %s\n", o->dir,
			strerror(errno));
		return -1;
	}
	snprintf(o->tmp, sizeof(o->tmp), "%s/.gupbench-%d.json.tmp", o->dir,
		 (int)getpid());
	return gupb_cleanup_add(remove_tmp, o->tmp, true);
}

/*
 * The context key host_loadavg_end, written into the finished file as its
 * first context key: Google Benchmark writes the context before the runs.
 * The file is still the temporary one, so a failure leaves no half file.
 * 0, 1 when the file has no context to add it to (it stays as it was), or
 * -1 when rewriting it failed.
 */
static int add_end_load(const char *tmp)
{
	static const char opener[] = "  \"context\": {\n";
	char la[64], *text = NULL, *at;
	size_t len = 0, n;
	FILE *f;
	int ret = 1;

	f = fopen(tmp, "r");
	if (!f)
		return 1;
	if (getdelim(&text, &len, 0, f) < 0)
		text = NULL;
	fclose(f);
	at = text ? strstr(text, opener) : NULL;
	if (!at)
		goto out;
	at += sizeof(opener) - 1;
	gupb_loadavg(la, sizeof(la));
	ret = -1;
	f = fopen(tmp, "w");
	if (!f)
		goto out;
	n = at - text;
	if (fwrite(text, 1, n, f) == n &&
	    fprintf(f, "    \"%s\": \"%s\",\n", GUPB_CTX_HOST_LOADAVG_END,
		    la) > 0 &&
	    fputs(at, f) >= 0)
		ret = 0;
	if (fclose(f))
		ret = -1;
out:
	free(text);
	return ret;
}

int gupb_output_commit(struct gupb_output *o)
{
	switch (add_end_load(o->tmp)) {
	case 1:
		fprintf(stderr, "gupbench: no context in %s for %s\n",
			o->tmp, GUPB_CTX_HOST_LOADAVG_END);
		break;
	case -1:
		fprintf(stderr, "gupbench: rewriting %s: %s\n", o->tmp,
			strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	if (rename(o->tmp, o->path)) {
		fprintf(stderr, "gupbench: rename %s -> %s: %s\n", o->tmp,
			o->path, strerror(errno));
		unlink(o->tmp);
		return -1;
	}
	o->tmp[0] = 0;
	return 0;
}
