// SPDX-License-Identifier: GPL-2.0
/*
 * describe_md.c - gupbench --describe=TABLE: the result contract's
 * Markdown tables, from the same C tables as the JSON (contract.def, the
 * workloads' families). scripts/docs.sh splices each into the marked
 * region of results/README.md or bench/WORKLOADS.md (make docs); make
 * check fails while a checked-in region differs (tests/schema/docs.sh).
 */
#include <stdio.h>
#include <string.h>

#include "base/contract.h"
#include "base/schema.h"
#include "core/case.h"
#include "core/describe.h"

/* s in a table cell: a pipe is \|. */
static void cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* `name` in a row's first cell, after a ", " unless it is the first. */
static void name(FILE *f, const char *n, int *i)
{
	fputs((*i)++ ? ", `" : "| `", f);
	cell(f, n);
	fputc('`', f);
}

/*
 * One row per counter with a doc and the counters after it without one;
 * the counters under one template are named once, by their template.
 */
static void counter_table(FILE *f)
{
	const struct gupb_counter_desc *c = gupb_contract_counters, *row;
	int i;

	fputs("| counter | unit | meaning |\n|---|---|---|\n", f);
	while (c->name) {
		row = c;
		i = 0;
		do {
			if (!c->tmpl || c == row || !c[-1].tmpl ||
			    strcmp(c->tmpl, c[-1].tmpl))
				name(f, c->tmpl ? c->tmpl : c->name, &i);
			c++;
		} while (c->name && !c->doc);
		fputs(" | ", f);
		cell(f, row->unit);
		fputs(" | ", f);
		cell(f, row->doc ? row->doc : "");
		fputs(" |\n", f);
	}
}

static void context_table(FILE *f)
{
	const struct gupb_context_desc *c = gupb_contract_context, *row;
	int i;

	fputs("| key | meaning |\n|---|---|\n", f);
	while (c->name) {
		row = c;
		i = 0;
		do
			name(f, (c++)->name, &i);
		while (c->name && !c->doc);
		fputs(" | ", f);
		cell(f, row->doc ? row->doc : "");
		fputs(" |\n", f);
	}
}

/* A family's name pattern: family/key:<key>, key:fixed, key:a|b. */
static void pattern(FILE *f, const struct gupb_family *fam)
{
	const struct gupb_axis *a;
	int i, j;

	fputs("| `", f);
	cell(f, fam->name);
	for (i = 0; i < GUPB_MAX_KEYS && fam->axes[i].key; i++) {
		a = &fam->axes[i];
		fprintf(f, "/%s:", a->key);
		if (a->fixed) {
			cell(f, a->fixed);
		} else if (a->values) {
			for (j = 0; a->values[j]; j++) {
				fputs(j ? "\\|" : "", f);
				cell(f, a->values[j]);
			}
		} else {
			fprintf(f, "<%s>", a->key);
		}
	}
	fputc('`', f);
}

static const struct gupb_counter_desc *counter(const char *n)
{
	const struct gupb_counter_desc *c;

	for (c = gupb_contract_counters; c->name; c++)
		if (!strcmp(c->name, n))
			return c;
	return NULL;
}

static void family_table(FILE *f)
{
	const struct gupb_wl *const *w;
	const struct gupb_counter_desc *c;
	const struct gupb_family *fam;
	size_t n, i;

	fputs("| benchmark | workload | claim (unit, check) |\n|---|---|---|\n",
	      f);
	w = gupb_workloads(&n);
	for (i = 0; i < n; i++) {
		for (fam = w[i]->families; fam && fam->name; fam++) {
			pattern(f, fam);
			fprintf(f, " | `%s` | ", w[i]->name);
			c = fam->claim ? counter(fam->claim) : NULL;
			if (c)
				fprintf(f, "`%s` (%s, %s)", c->name, c->unit,
					c->check == GUPB_CHECK_VMSTAT ?
					"vmstat" : "exact");
			else
				fputs(fam->claim ? fam->claim : "-", f);
			fputs(" |\n", f);
		}
	}
}

static const struct {
	const char *name;
	void (*fn)(FILE *f);
} tables[] = {
	{ "counters", counter_table },
	{ "context", context_table },
	{ "families", family_table },
};

int gupb_describe_table(FILE *f, const char *what)
{
	size_t i;

	if (gupb_describe_consistent())
		return -1;
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (!strcmp(what, tables[i].name)) {
			tables[i].fn(f);
			return fflush(f) || ferror(f) ? -1 : 0;
		}
	}
	fprintf(stderr, "gupbench: --describe=%s: not json, counters, "
		"context or families\n", what);
	return -1;
}
