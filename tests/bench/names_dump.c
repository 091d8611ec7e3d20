// SPDX-License-Identifier: GPL-2.0
/*
 * names_dump.c - every benchmark name a profile expands to, whatever this
 * machine has (no module, no gup_test, no hugetlb pages: all listed), with
 * the counter each claims: "<name> claim=<counter|->", in registration
 * order. tests/bench/names.sh compares it with tests/bench/names/.
 */
#include <stdio.h>

#include "core/case.h"
#include "core/ctx.h"
#include "core/profile.h"

static int print(struct gupb_case *c, void *arg)
{
	(void)arg;
	printf("%s claim=%s\n", c->name, c->fam->claim ? c->fam->claim : "-");
	return 0;
}

int main(int argc, char **argv)
{
	const struct gupb_wl *const *w;
	struct gupb_ctx ctx;
	size_t n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PROFILE\n", argv[0]);
		return 2;
	}
	gupb_ctx_init(&ctx);
	if (gupb_profile_load(NULL, argv[1], &ctx.cfg.profile))
		return 2;
	w = gupb_workloads(&n);
	for (i = 0; i < n; i++)
		if (gupb_expand(w[i], &ctx, print, NULL))
			return 1;
	return 0;
}
