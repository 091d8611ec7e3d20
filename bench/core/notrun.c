// SPDX-License-Identifier: GPL-2.0
/* notrun.c - families and backings left out of a run, with the reason. */
#include <stdio.h>
#include <string.h>

#include "core/notrun.h"
#include "base/schema.h"
#include "core/profile.h"

static char not_run[2048];

void gupb_not_run(const char *what, const char *why)
{
	size_t n = strlen(not_run);

	fprintf(stderr, "gupbench: %s: not run: %s\n", what, why);
	snprintf(not_run + n, sizeof(not_run) - n, "%s%s: %s",
		 n ? "; " : "", what, why);
}

/* HugePages_Total of the default size, or -1 when unknown. */
static long hugetlb_total(void)
{
	char line[128];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "HugePages_Total: %ld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* Remove one word from a comma list in place. */
static void list_remove(char *list, const char *item)
{
	char out[256] = "", *save = NULL, *tok, copy[256];

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, item))
			continue;
		if (*out)
			strncat(out, ",", sizeof(out) - strlen(out) - 1);
		strncat(out, tok, sizeof(out) - strlen(out) - 1);
	}
	strcpy(list, out);
}

void gupb_drop_unavailable_backings(struct gupb_profile *p)
{
	long total;

	if (!gupb_list_has(p->backings, "hugetlb"))
		return;
	total = hugetlb_total();
	if (total == 0 || total == -1) {
		list_remove(p->backings, "hugetlb");
		gupb_not_run("backing:hugetlb", total ?
			     "no hugetlb support (no HugePages_Total in /proc/meminfo)" :
			     "no hugetlb pages reserved (echo 8 > /proc/sys/vm/nr_hugepages)");
	}
}

void gupb_not_run_context(void)
{
	if (not_run[0])
		gb_context(GUPB_CTX_NOT_RUN, not_run);
}
