/* SPDX-License-Identifier: GPL-2.0 */
/*
 * schema.h - the result contract's names: counters (GUPB_CTR_*), context
 * keys (GUPB_CTX_*), name keys (GUPB_KEY_*), declared from the one table
 * of them, contract.def, where each name sits on one line with its unit,
 * claim check and meaning (contract.c defines them). Writers use these,
 * never a literal (tests/schema/names.sh).
 *
 * A benchmark that claims a value for a counter writes it next to the
 * measured one as GUPB_CLAIM_PREFIX + counter (claim_pins_per_iter), so a
 * checker compares measured against claimed with no table of its own.
 *
 * Benchmark names: family "/" key ":" value ["/" key ":" value ...], keys
 * from GUPB_KEY_* in the order the workload declares (bench/core/case.c).
 */
#ifndef GUPB_SCHEMA_H
#define GUPB_SCHEMA_H

#define GUPB_SCHEMA_VERSION "1"
#define GUPB_CLAIM_PREFIX "claim_"

#ifdef __cplusplus
extern "C" {
#endif
#define GUPB_KEY(id, name) extern const char GUPB_KEY_##id[];
#define GUPB_CTR(id, name, unit, check, tmpl, doc) \
	extern const char GUPB_CTR_##id[];
#define GUPB_CTX(id, name, kind, doc) extern const char GUPB_CTX_##id[];
#include "base/contract.def"
#ifdef __cplusplus
}
#endif

#endif /* GUPB_SCHEMA_H */
