// SPDX-License-Identifier: GPL-2.0
/*
 * contract.c - the result contract's names and tables, expanded from
 * contract.def (one line per name: its unit, claim check and meaning):
 * the names schema.h declares, every counter with its unit and how a
 * claim on it is checked, the context keys, the name keys. gupbench
 * --describe writes them, with the workloads' families, as
 * contract/gupbench.json (analysis loads it) and as the tables of
 * results/README.md (make docs); nothing else writes them down.
 */
#include <stddef.h>

#include "base/contract.h"
#include "base/schema.h"

#define GUPB_KEY(id, name) const char GUPB_KEY_##id[] = name;
#define GUPB_CTR(id, name, unit, check, tmpl, doc) \
	const char GUPB_CTR_##id[] = name;
#define GUPB_CTX(id, name, kind, doc) const char GUPB_CTX_##id[] = name;
#include "base/contract.def"

const char *const gupb_walk_variants[] = {
	[GUPB_VARIANT_LIVE] = "live", [GUPB_VARIANT_STACK] = "stack",
	[GUPB_VARIANT_GENERIC] = "generic", NULL
};

const char *const gupb_contract_keys[] = {
#define GUPB_KEY(id, name) GUPB_KEY_##id,
#include "base/contract.def"
	NULL
};

const struct gupb_counter_desc gupb_contract_counters[] = {
#define GUPB_CTR(id, name, unit, check, tmpl, doc) \
	{ GUPB_CTR_##id, unit, GUPB_CHECK_##check, tmpl, doc },
#include "base/contract.def"
	{ NULL }
};

const struct gupb_context_desc gupb_contract_context[] = {
#define GUPB_CTX(id, name, kind, doc) \
	{ GUPB_CTX_##id, GUPB_CTX_CLASS_##kind, doc },
#include "base/contract.def"
	{ NULL }
};
