/* SPDX-License-Identifier: GPL-2.0 */
/*
 * describe.h - gupbench --describe[=TABLE]: the result contract as JSON
 * (describe.c), or one of its Markdown tables (describe_md.c).
 */
#ifndef GUPB_DESCRIBE_H
#define GUPB_DESCRIBE_H

#include <stdio.h>

/*
 * 0 when contract.def's counters under one template or in one docs row
 * share their unit and check, else -1 (said on stderr).
 */
int gupb_describe_consistent(void);
/* Write it to f; 0, or -1 on a write error or an inconsistent table. */
int gupb_describe(FILE *f);
/* Table what (counters, context, families) to f; 0, or -1 (said). */
int gupb_describe_table(FILE *f, const char *what);

#endif /* GUPB_DESCRIBE_H */
