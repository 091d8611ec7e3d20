// SPDX-License-Identifier: GPL-2.0
/*
 * describe.c - gupbench --describe: the result contract as JSON, from the
 * C tables (base/contract.def: counters, units, context keys, the pin
 * tolerance; each workload's families with their keys and claim counter;
 * the probe entries). contract/gupbench.json is this output, checked in
 * (make contract writes it; make check fails on a difference), and
 * analysis/gupb/schema.py loads it.
 */
#include <stdio.h>
#include <string.h>

#include "base/contract.h"
#include "base/schema.h"
#include "core/case.h"
#include "core/describe.h"

/* s as a JSON string (the tables hold printable ASCII). */
static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A NULL-terminated list as a JSON array on one line. */
static void list(FILE *f, const char *const *v)
{
	int i;

	fputc('[', f);
	for (i = 0; v && v[i]; i++) {
		fputs(i ? ", " : "", f);
		str(f, v[i]);
	}
	fputc(']', f);
}

/* Under a template ending in "_<u|k>" a counter is name_u and name_k. */
static int per_mode(const char *tmpl)
{
	size_t n = strlen(tmpl);

	return n > 6 && !strcmp(tmpl + n - 6, "_<u|k>");
}

/* The counters from c up to the next that is not under c's template. */
static const struct gupb_counter_desc *
template_names(FILE *f, const struct gupb_counter_desc *c)
{
	const char *tmpl = c->tmpl;
	int i = 0;

	fputc('[', f);
	for (; c->name && c->tmpl && !strcmp(c->tmpl, tmpl); c++) {
		fprintf(f, per_mode(tmpl) ? "%s\"%s_u\", \"%s_k\"" : "%s\"%s\"",
			i++ ? ", " : "", c->name, c->name);
	}
	fputc(']', f);
	return c;
}

/*
 * A template's counters, and a docs row's, share one unit and check:
 * the contract and the table state it once. 0, or -1 (said).
 */
int gupb_describe_consistent(void)
{
	const struct gupb_counter_desc *c;
	int bad = 0;

	for (c = gupb_contract_counters + 1; c->name; c++) {
		if ((!c->doc || (c->tmpl && c[-1].tmpl &&
				 !strcmp(c->tmpl, c[-1].tmpl))) &&
		    (strcmp(c->unit, c[-1].unit) || c->check != c[-1].check)) {
			fprintf(stderr, "gupbench: contract.def: %s: unit or "
				"check differs from %s's, in its row or "
				"template\n", c->name, c[-1].name);
			bad = -1;
		}
	}
	return bad;
}

static void counters(FILE *f)
{
	const struct gupb_counter_desc *c = gupb_contract_counters, *next;

	fputs("  \"counters\": {\n", f);
	while (c->name) {
		fputs("    ", f);
		str(f, c->tmpl ? c->tmpl : c->name);
		fputs(": {\"unit\": ", f);
		str(f, c->unit);
		fprintf(f, ", \"check\": \"%s\"",
			c->check == GUPB_CHECK_VMSTAT ? "vmstat" : "exact");
		next = c + 1;
		if (c->tmpl) {
			fputs(", \"names\": ", f);
			next = template_names(f, c);
		}
		fputs(next->name ? "},\n" : "}\n", f);
		c = next;
	}
	fputs("  },\n", f);
}

/* The context keys of one class as a JSON array. */
static void context(FILE *f, enum gupb_ctx_class kind)
{
	const struct gupb_context_desc *c;
	int i = 0;

	fputc('[', f);
	for (c = gupb_contract_context; c->name; c++) {
		if (c->kind != kind)
			continue;
		fputs(i++ ? ", " : "", f);
		str(f, c->name);
	}
	fputc(']', f);
}

/* One key of a family: its name and where its values come from. */
static void axis(FILE *f, const struct gupb_axis *a)
{
	fputs("{\"key\": ", f);
	str(f, a->key);
	if (a->fixed) {
		fputs(", \"fixed\": ", f);
		str(f, a->fixed);
	} else if (a->values) {
		fputs(", \"values\": ", f);
		list(f, a->values);
	}
	fputc('}', f);
}

static void families(FILE *f, const struct gupb_wl *wl, int *first)
{
	const struct gupb_family *fam;
	int i;

	for (fam = wl->families; fam && fam->name; fam++) {
		fputs(*first ? "    {\"family\": " : ",\n    {\"family\": ", f);
		*first = 0;
		str(f, fam->name);
		fputs(", \"workload\": ", f);
		str(f, wl->name);
		fputs(", \"claim\": ", f);
		if (fam->claim)
			str(f, fam->claim);
		else
			fputs("null", f);
		fputs(", \"keys\": [", f);
		for (i = 0; i < GUPB_MAX_KEYS && fam->axes[i].key; i++) {
			fputs(i ? ", " : "", f);
			axis(f, &fam->axes[i]);
		}
		fputs("]}", f);
	}
}

static void workloads(FILE *f)
{
	const struct gupb_wl *const *w;
	size_t n, i;
	int first = 1;

	w = gupb_workloads(&n);
	fputs("  \"workloads\": [\n", f);
	for (i = 0; i < n; i++) {
		fputs("    {\"name\": ", f);
		str(f, w[i]->name);
		fputs(", \"summary\": ", f);
		str(f, w[i]->summary);
		fputs(i + 1 < n ? "},\n" : "}\n", f);
	}
	fputs("  ],\n  \"families\": [\n", f);
	for (i = 0; i < n; i++)
		families(f, w[i], &first);
	fputs("\n  ],\n  \"probe_entries\": ", f);
	list(f, gupb_probe_entries());
	fputs(",\n", f);
}

int gupb_describe(FILE *f)
{
	if (gupb_describe_consistent())
		return -1;
	fputs("{\n  \"schema_version\": \"" GUPB_SCHEMA_VERSION "\",\n", f);
	fputs("  \"claim_prefix\": \"" GUPB_CLAIM_PREFIX "\",\n", f);
	fputs("  \"keys\": ", f);
	list(f, gupb_contract_keys);
	fputs(",\n  \"walk_variants\": ", f);
	list(f, gupb_walk_variants);
	fprintf(f, ",\n  \"pin_tolerance\": {\"zero_below\": %g, \"lo\": %g, \"hi\": %g, \"hi_add\": %g},\n",
		GUPB_PIN_ZERO_BELOW, GUPB_PIN_LO, GUPB_PIN_HI, GUPB_PIN_HI_ADD);
	counters(f);
	fputs("  \"context\": {\n    \"required\": ", f);
	context(f, GUPB_CTX_CLASS_REQUIRED);
	fputs(",\n    \"optional\": ", f);
	context(f, GUPB_CTX_CLASS_OPTIONAL);
	fputs(",\n    \"testbed\": ", f);
	context(f, GUPB_CTX_CLASS_TESTBED);
	fputs("\n  },\n", f);
	workloads(f);
	fputs("  \"generator\": \"gupbench --describe (bench/base/contract.def, the workloads' family tables)\"\n}\n", f);
	return fflush(f) || ferror(f) ? -1 : 0;
}
