// SPDX-License-Identifier: GPL-2.0
/*
 * wlreg.c - the workload registry (the gupb_wl ELF section that
 * GUPB_WORKLOAD() fills) and the workloads' scoped profile options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/case.h"
#include "core/ctx.h"
#include "core/profile.h"

#define MAX_WL 32

/* Set by the linker; weak: a program may link no workload at all. */
extern const struct gupb_wl *const __start_gupb_wl[] __attribute__((weak));
extern const struct gupb_wl *const __stop_gupb_wl[] __attribute__((weak));

const char *gupb_wl_name(const struct gupb_wl *wl)
{
	return wl->name;
}

static int by_order(const void *a, const void *b)
{
	const struct gupb_wl *x = *(const struct gupb_wl *const *)a;
	const struct gupb_wl *y = *(const struct gupb_wl *const *)b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(gupb_wl_name(x), gupb_wl_name(y));
}

const struct gupb_wl *const *gupb_workloads(size_t *n)
{
	static const struct gupb_wl *sorted[MAX_WL];
	static size_t nr;
	const struct gupb_wl *const *p;

	if (!nr && __start_gupb_wl) {
		for (p = __start_gupb_wl; p < __stop_gupb_wl && nr < MAX_WL; p++)
			sorted[nr++] = *p;
		qsort(sorted, nr, sizeof(sorted[0]), by_order);
	}
	*n = nr;
	return sorted;
}

const struct gupb_wl *gupb_workload_find(const char *name)
{
	const struct gupb_wl *const *w;
	size_t n, i;

	w = gupb_workloads(&n);
	for (i = 0; i < n; i++)
		if (!strcmp(gupb_wl_name(w[i]), name))
			return w[i];
	return NULL;
}

#define MAX_PROBES 32

static int by_probe_order(const void *a, const void *b)
{
	const struct gupb_probe *x = *(const struct gupb_probe *const *)a;
	const struct gupb_probe *y = *(const struct gupb_probe *const *)b;

	return x->order != y->order ? (x->order < y->order ? -1 : 1) :
	       strcmp(x->entry, y->entry);
}

static const struct gupb_probe *probes[MAX_PROBES];
static const char *entries[MAX_PROBES + 1];
static size_t nr_probes;

static void collect_probes(void)
{
	const struct gupb_wl *const *w;
	const struct gupb_probe *p;
	size_t n, i;

	if (nr_probes)
		return;
	w = gupb_workloads(&n);
	for (i = 0; i < n; i++)
		for (p = w[i]->probes; p && p->entry && nr_probes < MAX_PROBES; p++)
			probes[nr_probes++] = p;
	qsort(probes, nr_probes, sizeof(probes[0]), by_probe_order);
	for (i = 0; i < nr_probes; i++)
		entries[i] = probes[i]->entry;
}

const struct gupb_probe *const *gupb_probes(size_t *n)
{
	collect_probes();
	*n = nr_probes;
	return probes;
}

const char *const *gupb_probe_entries(void)
{
	collect_probes();
	return entries;
}

static const struct gupb_opt *find_opt(const struct gupb_wl *wl,
				       const char *name)
{
	const struct gupb_opt *o;

	for (o = wl->opts; o && o->name; o++)
		if (!strcmp(o->name, name) || (o->axis && !strcmp(o->axis, name)))
			return o;
	return NULL;
}

int gupb_opt_values(const struct gupb_wl *wl, const struct gupb_opt *o,
		    const char *text, long *out, int max, char *err,
		    size_t errlen)
{
	size_t v[GUPB_MAX_LIST];
	int n, i;

	if (!text)
		text = o->def;
	if (gupb_parse_list(text, v, &n) || n > max)
		n = -1;
	for (i = 0; i < n; i++) {
		if ((long)v[i] < o->min || (long)v[i] > o->max)
			n = -1;
		else
			out[i] = (long)v[i];
	}
	if (n < 0)
		snprintf(err, errlen,
			 "bad value for %s.%s: '%s' (a list of numbers, each %ld..%ld)",
			 wl->name, o->name, text, o->min, o->max);
	return n;
}

int gupb_opt_get(const struct gupb_ctx *ctx, const struct gupb_wl *wl,
		 const char *name, long *out, int max)
{
	const struct gupb_opt *o = find_opt(wl, name);
	char err[256];
	int n;

	if (!o) {
		fprintf(stderr, "gupbench: workload %s has no option %s\n",
			wl->name, name);
		return -1;
	}
	n = gupb_opt_values(wl, o, gupb_profile_scoped(&ctx->cfg.profile,
						       wl->name, o->name),
			    out, max, err, sizeof(err));
	if (n < 0)
		fprintf(stderr, "gupbench: profile %s: %s\n",
			ctx->cfg.profile.name, err);
	return n;
}

/* "qdepths, ..." for a message. */
static void opt_names(const struct gupb_wl *wl, char *buf, size_t len)
{
	const struct gupb_opt *o;
	size_t n = 0;

	buf[0] = 0;
	for (o = wl->opts; o && o->name && n < len; o++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s.%s",
				      n ? ", " : "", wl->name, o->name);
	if (!n)
		snprintf(buf, len, "none");
}

int gupb_profile_check(const struct gupb_profile *p, char *err, size_t len)
{
	int i;

	for (i = 0; i < p->nr_scoped; i++) {
		const struct gupb_scoped *s = &p->scoped[i];
		const char *dot = strchr(s->key, '.');
		const struct gupb_wl *wl = NULL;
		const struct gupb_opt *o = NULL;
		char name[64], names[256], why[256];
		long v[GUPB_MAX_LIST];

		snprintf(name, sizeof(name), "%.*s",
			 dot ? (int)(dot - s->key) : 0, s->key);
		if (dot)
			wl = gupb_workload_find(name);
		if (wl)
			o = wl->opts ? find_opt(wl, dot + 1) : NULL;
		if (!wl) {
			snprintf(err, len,
				 "line %d: unknown key '%s' (no workload '%s' with options; --list-workloads lists them)",
				 s->line, s->key, name);
			return -1;
		}
		if (!o || strcmp(o->name, dot + 1)) {
			opt_names(wl, names, sizeof(names));
			snprintf(err, len,
				 "line %d: unknown key '%s' (workload %s has: %s)",
				 s->line, s->key, name, names);
			return -1;
		}
		if (gupb_opt_values(wl, o, s->value, v, GUPB_MAX_LIST, why,
				    sizeof(why)) < 0) {
			snprintf(err, len, "line %d: %s", s->line, why);
			return -1;
		}
	}
	return 0;
}
