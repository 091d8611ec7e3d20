# SPDX-License-Identifier: GPL-2.0
# tests/answer/: host-side logic of the exact-count boots (symbol ranges,
# plugin output -> JSON, refusals) on saved fixtures; no boot. The boot
# test (determinism) is tests/answer/counts-determinism.sh, run by the
# answer pipeline.
.PHONY: check-answer-counts
CHECKS += check-answer-counts
check-answer-counts:
	$(Q)$(SYSPYTHON) $(TOP)/tests/answer/test_counts.py
