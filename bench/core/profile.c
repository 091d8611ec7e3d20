// SPDX-License-Identifier: GPL-2.0
/* profile.c - load configs/profiles/<name>.conf ("key = value" lines). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/profile.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* "4096,64k,2M" -> sizes; suffixes k/M/G are binary. */
int gupb_parse_list(const char *v, size_t *out, int *nr)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	*nr = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long long x;

		tok = trim(tok);
		errno = 0;
		x = strtoull(tok, &end, 10);
		if (errno || end == tok)
			return -1;
		switch (*end) {
		case 'k': case 'K': x <<= 10; end++; break;
		case 'm': case 'M': x <<= 20; end++; break;
		case 'g': case 'G': x <<= 30; end++; break;
		}
		if (*end || x == 0 || *nr >= GUPB_MAX_LIST)
			return -1;
		out[(*nr)++] = (size_t)x;
	}
	return *nr ? 0 : -1;
}

static int check_list(const char *v, const char *const *allowed)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *const *a;

		tok = trim(tok);
		for (a = allowed; *a; a++)
			if (!strcmp(*a, tok))
				break;
		if (!*a)
			return -1;
	}
	return 0;
}

/* "a, b ,c" -> "a,b,c" */
static void squeeze(char *dst, size_t len, const char *v)
{
	size_t n = 0;

	for (; *v && n + 1 < len; v++)
		if (!isspace((unsigned char)*v))
			dst[n++] = *v;
	dst[n] = 0;
}

static int add_scoped(struct gupb_profile *p, const char *k, const char *v,
		      int line)
{
	struct gupb_scoped *s;

	if (p->nr_scoped >= GUPB_MAX_SCOPED ||
	    strlen(v) >= sizeof(s->value) || strlen(k) >= sizeof(s->key))
		return -1;
	s = &p->scoped[p->nr_scoped++];
	snprintf(s->key, sizeof(s->key), "%s", k);
	snprintf(s->value, sizeof(s->value), "%s", v);
	s->line = line;
	return 0;
}

const char *gupb_profile_scoped(const struct gupb_profile *p,
				const char *wl, const char *name)
{
	size_t l = strlen(wl);
	int i;

	/* The last line wins, as for every other key. */
	for (i = p->nr_scoped - 1; i >= 0; i--)
		if (!strncmp(p->scoped[i].key, wl, l) &&
		    p->scoped[i].key[l] == '.' &&
		    !strcmp(p->scoped[i].key + l + 1, name))
			return p->scoped[i].value;
	return NULL;
}

const char *const gupb_backing_names[] = {
	"anon", "thp", "hugetlb", "shmem", "file", NULL };
const char *const gupb_layout_names[] = {
	"inside", "cross_pmd", "cross_pud", NULL };

/* One key = value line: 1 good, 0 a bad value, -1 an unknown key. */
static int set_key(struct gupb_profile *p, const char *k, char *v,
		   int lineno)
{
	if (!strcmp(k, "repetitions")) {
		p->repetitions = atoi(v);
		return p->repetitions >= 1 && p->repetitions <= 1000;
	} else if (!strcmp(k, "min_time")) {
		p->min_time = atof(v);
		return p->min_time > 0 && p->min_time <= 60;
	} else if (!strcmp(k, "sizes")) {
		return !gupb_parse_list(v, p->sizes, &p->nr_sizes);
	} else if (!strcmp(k, "backings")) {
		squeeze(p->backings, sizeof(p->backings), v);
		return !check_list(v, gupb_backing_names) &&
		       strlen(v) < sizeof(p->backings);
	} else if (!strcmp(k, "layouts")) {
		squeeze(p->layouts, sizeof(p->layouts), v);
		return !check_list(v, gupb_layout_names) &&
		       strlen(v) < sizeof(p->layouts);
	} else if (strchr(k, '.')) {
		/* A workload's own: checked against its option table. */
		return !add_scoped(p, k, v, lineno);
	}
	return -1;
}

int gupb_profile_parse(FILE *f, const char *name, struct gupb_profile *p,
		       char *err, size_t errlen)
{
	char line[512];
	int lineno = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	while (fgets(line, sizeof(line), f)) {
		char *k, *v, *eq;
		int ok;

		lineno++;
		k = trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected key = value",
				 lineno);
			return -1;
		}
		*eq = 0;
		k = trim(k);
		v = trim(eq + 1);
		ok = set_key(p, k, v, lineno);
		if (ok < 0) {
			snprintf(err, errlen, "line %d: unknown key '%s'",
				 lineno, k);
			return -1;
		}
		if (!ok) {
			snprintf(err, errlen, "line %d: bad value for %s: '%s'",
				 lineno, k, v);
			return -1;
		}
	}
	if (!p->repetitions || !p->min_time || !p->nr_sizes ||
	    !*p->backings || !*p->layouts) {
		snprintf(err, errlen,
			 "incomplete: needs repetitions, min_time, sizes, backings, layouts");
		return -1;
	}
	return 0;
}

int gupb_list_has(const char *list, const char *item)
{
	size_t il = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item))) {
		if ((p == list || p[-1] == ',') && (p[il] == 0 || p[il] == ','))
			return 1;
		p += il;
	}
	return 0;
}

int gupb_profile_load(const char *dir, const char *name,
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
		*strrchr(exe, '/') = 0;
		if (strlen(exe) + 24 < sizeof(exe)) {
			strcat(exe, "/../../configs/profiles");
			dirs[2] = exe;
		}
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
