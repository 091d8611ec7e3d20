# SPDX-License-Identifier: GPL-2.0
# make submission: a configs/patches/ patch as a git format-patch series
# for upstream, against the chosen kernel source (scripts/submission/).
#   PATCH   one or more patch numbers (0003: the alias fix, with its
#           kselftest; 0001/0002: an RFC with the answer's per-state table)
#   KERNEL  mainline (default), X.Y, or /path/to/a/git/tree (its commit B)
#   OUT     the series' directory (default outgoing/, replaced atomically)
#   RFC     auto (default: RFC unless the series holds the alias fix), yes, no
.PHONY: submission
submission:
	$(if $(PATCH),,$(error make submission needs PATCH=NNNN, e.g. PATCH=0003))
	$(Q)KERNEL="$(or $(KERNEL),mainline)" OUT="$(or $(OUT),$(TOP)/outgoing)" \
		RFC="$(or $(RFC),auto)" $(TOP)/scripts/submission/submission.sh $(PATCH)
