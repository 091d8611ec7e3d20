# SPDX-License-Identifier: GPL-2.0
# The answer (issue 9): what the live top-level reload costs, per folding
# state, stock vs every patch in configs/patches/ (scripts/answer/), per
# kernel source: ANSWER_KERNELS (default: 6.12 and mainline, side by side;
# KERNEL=... on the command line: that one), each in
# results/answer/<base>/ (7.3, 6.12; git-<A>..<B> for a git tree), every
# number labelled with its exact source.
#   make answer       codegen of the walk for every state x patch (objects
#                     only, cached under $(CACHE)/answer), the identical-code
#                     assertions, exact counts per boot (if
#                     scripts/answer/counts.sh exists), model estimates of
#                     their cycles (llvm-mca), then the report in
#                     results/answer/ (report.txt, report.md, answer.png,
#                     answer.json). HW_A=a.json HW_B=b.json adds hardware
#                     timings with their CI.
#   make answer-ci    the same for 16K/52 LPA2 only (ANSWER=ci), counts for
#                     stock, 0001 and 0003, on KERNEL; part of make vm-test
#   ANSWER_STATES=arm64-4k-48 ANSWER_PATCHES=0001   subsets
# Builds run one after the other with JOBS (default 2); ccache is used when
# installed (ANSWER_CCACHE=0 turns it off).
ANSWER_KERNELS ?= $(if $(KERNEL_GIVEN),$(KERNEL),6.12 mainline)
# The source's folder, resolved once per make (fetching the source if
# needed): only where a recipe needs it.
ANSWER_DIR = $(RESULTS)/answer/$(or $(ANSWER_TAG),$(error answer: cannot resolve KERNEL=$(KERNEL), see above))
# (make 4.3 does not export variables to $(shell): pass them)
ANSWER_TAG = $(eval ANSWER_TAG := $(shell TOP='$(TOP)' CACHE='$(CACHE)' KERNEL='$(KERNEL)' \
	KERNEL_A='$(KERNEL_A)' KERNEL_B='$(KERNEL_B)' $(TOP)/scripts/kernel/tag.sh))$(ANSWER_TAG)
ANSWER_ALL_STATES := $(filter-out base-arm64,$(basename $(notdir $(wildcard $(TOP)/configs/kernel/arm64-*.config))))
ifeq ($(ANSWER),ci)
# CI (make vm-test): 16K/52, codegen of every patch (objects only), counts
# for the kernels vm-test has built anyway (stock, 0001, 0003).
ANSWER_STATES ?= arm64-16k-52-lpa2
ANSWER_RUNS ?= $(foreach p,$(VM_TEST_PATCHES),$(foreach c,max neoverse-n1,arm64-16k-52-lpa2:$(p):$(c)))
endif
ANSWER_STATES ?= $(ANSWER_ALL_STATES)
# lists by spaces or commas (ANSWER_STATES=arm64-16k-52-lpa2,arm64-4k-48)
answer_comma := ,
answer_space := $(subst ,, )
override ANSWER_STATES := $(subst $(answer_comma), ,$(ANSWER_STATES))
# a git tree: commit B against commit A
ANSWER_PATCHES ?= $(if $(KERNEL_IS_GIT),B,$(filter-out none,$(VM_PATCHES)))
override ANSWER_PATCHES := $(subst $(answer_comma), ,$(ANSWER_PATCHES))
override ANSWER_KERNELS := $(subst $(answer_comma), ,$(ANSWER_KERNELS))
# LPA2 kernels have two run-time states: with FEAT_LPA2 (-cpu max) and
# folded without it (-cpu neoverse-n1).
answer_cpus = $(if $(shell grep -l '^CONFIG_ARM64_LPA2=y' $(TOP)/configs/kernel/$(1).config 2>/dev/null),max neoverse-n1,max)
ANSWER_RUNS ?= $(foreach s,$(ANSWER_STATES),$(foreach p,none $(ANSWER_PATCHES),$(foreach c,$(call answer_cpus,$(s)),$(s):$(p):$(c))))
ANSWER_ENV = TOP=$(TOP) RESULTS=$(RESULTS) CACHE=$(CACHE) SYSPYTHON=$(SYSPYTHON) JOBS=$(or $(JOBS),2) ANSWER_DIR=$(ANSWER_DIR) $(if $(ANSWER_CCACHE),ANSWER_CCACHE=$(ANSWER_CCACHE))

.PHONY: answer answer-one answer-ci answer-codegen answer-counts answer-estimate answer-report \
	answer-readme
answer:
	$(Q)for k in $(ANSWER_KERNELS); do \
		echo "answer: KERNEL=$$k"; \
		$(MAKE) answer-one KERNEL=$$k || exit 1; \
	done
	$(Q)$(if $(word 2,$(ANSWER_KERNELS)),$(SYSPYTHON) $(TOP)/analysis/answer_versions.py \
		--out $(RESULTS)/answer/versions.txt $(RESULTS)/answer/*/answer.json)

# one source (KERNEL)
answer-one:
	$(Q)$(MAKE) answer-codegen
	$(Q)$(MAKE) answer-counts
	$(Q)$(MAKE) answer-estimate
	$(Q)$(MAKE) answer-report

answer-ci:
	$(Q)$(MAKE) answer-one ANSWER=ci

answer-codegen:
	$(Q)for s in $(ANSWER_STATES); do \
		$(ANSWER_ENV) $(TOP)/scripts/answer/codegen.sh $$s $(ANSWER_PATCHES) || exit 1; \
	done
	$(Q)$(SYSPYTHON) $(TOP)/tests/answer/check_noop.py $(ANSWER_DIR)/codegen || [ $$? = 4 ]

# Patch runs whose code is identical to stock (codegen effect "none")
# count what stock counts: skipped unless ANSWER_SKIP_SAME=0.
ANSWER_SKIP_SAME ?= 1
answer-counts:
	$(Q)if [ -x $(TOP)/scripts/answer/counts.sh ]; then \
		runs="$(ANSWER_RUNS)"; \
		if [ "$(ANSWER_SKIP_SAME)" = 1 ]; then \
			runs=$$($(SYSPYTHON) $(TOP)/scripts/answer/runs.py $(ANSWER_DIR)/codegen $$runs) || exit 1; \
		fi; \
		for r in $$runs; do \
			f=$${r%%:*}; c=$${r##*:}; p=$${r#*:}; p=$${p%%:*}; \
			$(ANSWER_ENV) $(TOP)/scripts/answer/counts.sh $$f $$p $$c || exit 1; \
		done; \
	else echo "answer: no scripts/answer/counts.sh: per-call counts not measured"; fi

# Model estimates (llvm-mca, scripts/answer/mca.py) of each counted call:
# cycles per call on ANSWER_CORES, never a measurement.
ANSWER_CORES ?= neoverse-n1,neoverse-n2,neoverse-v1,neoverse-v2
answer-estimate:
	$(Q)$(SYSPYTHON) $(TOP)/scripts/answer/mca.py estimate \
		--counts $(ANSWER_DIR)/counts --out $(ANSWER_DIR)/estimate \
		--cores $(ANSWER_CORES)

answer-report:
	$(Q)$(SYSPYTHON) $(TOP)/analysis/answer.py --dir $(ANSWER_DIR) \
		$(if $(HW_A),--hw-a $(HW_A)) $(if $(HW_B),--hw-b $(HW_B))
	$(Q)printf '%s\n' "make answer KERNEL=$(KERNEL)$(if $(filter ci,$(ANSWER)), ANSWER=ci) ANSWER_STATES=$(subst $(answer_space),$(answer_comma),$(strip $(ANSWER_STATES))) ANSWER_PATCHES=$(subst $(answer_space),$(answer_comma),$(strip $(ANSWER_PATCHES)))$(if $(KERNEL_IS_GIT), A=$(KERNEL_A) B=$(KERNEL_B))" \
		>$(ANSWER_DIR)/command.txt

# README's answer tables (analysis/answer_readme.py): save every
# results/answer/<tag>/answer.json, with the command that made it, under
# results/examples/answer/<tag>/ (committed), then regenerate README's
# marked blocks from those saved files; make check fails when they differ.
answer-readme:
	$(Q)$(SYSPYTHON) $(TOP)/analysis/answer_readme.py --save $(RESULTS)/answer \
		--snapshot $(TOP)/results/examples/answer --readme $(TOP)/README.md
