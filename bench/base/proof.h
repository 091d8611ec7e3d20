/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proof.h - the outcome of a proof of path, and the one place it becomes
 * a skip or an error (gupb_proof_verdict, case.c).
 */
#ifndef GUPB_PROOF_H
#define GUPB_PROOF_H

#include <stddef.h>

/* What running the operation outside the timed loop showed. */
enum gupb_proof {
	GUPB_PROVEN,		/* the claim holds: run the benchmark */
	GUPB_REFUTED,		/* it does not: an error (a bug, not a result) */
	GUPB_OP_FAILED,		/* the operation itself failed: an error */
	GUPB_INCONCLUSIVE,	/* others pinned meanwhile: a skip */
};

/* What a benchmark does after its set-up and proof. */
enum gupb_verdict { GUPB_RUN, GUPB_SKIP, GUPB_ERROR };

/*
 * The verdict of a proof outcome, and its message in msg: "proof of path
 * failed: <why>", "cannot prove the path on a busy machine: <why>", or
 * why itself for a failed operation. why says what the proof found.
 */
enum gupb_verdict gupb_proof_verdict(enum gupb_proof p, const char *why,
				     char *msg, size_t len);

#endif /* GUPB_PROOF_H */
