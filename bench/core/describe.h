/* SPDX-License-Identifier: GPL-2.0 */
/* describe.h - gupbench --describe: the result contract as JSON. */
#ifndef GUPB_DESCRIBE_H
#define GUPB_DESCRIBE_H

#include <stdio.h>

/* Write it to f; 0, or -1 on a write error. */
int gupb_describe(FILE *f);

#endif /* GUPB_DESCRIBE_H */
