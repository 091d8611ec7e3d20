# SPDX-License-Identifier: GPL-2.0
# The answer (issue 9): what the live top-level reload costs, per folding
# state, stock vs every patch in configs/patches/ (scripts/answer/), per
# kernel source: ANSWER_KERNELS (default: 6.12 and mainline, side by side;
# KERNEL=... on the command line: that one), each in
# results/answer/<base>/ (7.3, 6.12; git-<A>..<B> for a git tree), every
# number labelled with its exact source.
#   make answer       codegen of the walk for every state x patch (objects
#                     only, cached under $(CACHE)/answer), the identical-code
#                     assertions (codegen-verify), exact counts per boot,
#                     model estimates of their cycles (llvm-mca), the alias
#                     verdicts of the test-bed runs, then the report in
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

# The steps (analysis/gupb/answer/step.py names them, their inputs and
# outputs): each leaves a stamp in its folder, and make's dependencies
# between the stamps are the chain
#   configs, patches -> codegen -> codegen-verify -> counts -> estimate
#   results/vm/<tag>/*/result.json (the VM run step)  -> alias
#   all five -> report
# `make answer-<step>` runs one step now; `make answer-report` builds
# what it needs, reuses every step whose outputs are there (adopted from
# cache when they have no stamp yet) and says which came from cache.
# ANSWER_VM_DIR: the test-bed runs of this source, the alias step's input.
ANSWER_VM_DIR ?= $(RESULTS)/vm/$(notdir $(ANSWER_DIR))
ANSWER_NOW := $(shell date +%s)
ANSWER_CODEGEN_INPUTS = $(wildcard $(foreach s,$(ANSWER_STATES),$(TOP)/configs/kernel/$(s).config) \
	$(TOP)/configs/patches/meta $(TOP)/configs/patches/*.patch $(TOP)/configs/patches/*/*.patch)
# stamp STEP: adopt the step's outputs, or run `make answer-STEP`
answer_stamp = $(GUPB) answer step $(1) --dir $(ANSWER_DIR) || $(MAKE) answer-$(1)

.PHONY: answer answer-one answer-ci answer-codegen answer-codegen-verify answer-counts \
	answer-estimate answer-alias answer-report answer-readme
answer:
	$(Q)for k in $(ANSWER_KERNELS); do \
		echo "answer: KERNEL=$$k"; \
		$(MAKE) answer-one KERNEL=$$k || exit 1; \
	done
	$(Q)$(if $(word 2,$(ANSWER_KERNELS)),$(GUPB) answer versions \
		--out $(RESULTS)/answer/versions.txt $(RESULTS)/answer/*/answer.json)

# one source (KERNEL): every step now, in the chain's order, but the
# alias step first: it takes seconds, and without test-bed runs it stops
# the answer before the hours of builds rather than after them.
answer-one:
	$(Q)$(if $(filter 0,$(ANSWER_ALIAS)),,$(MAKE) answer-alias)
	$(Q)$(MAKE) answer-codegen
	$(Q)$(MAKE) answer-codegen-verify
	$(Q)$(MAKE) answer-counts
	$(Q)$(MAKE) answer-estimate
	$(Q)$(MAKE) answer-report

answer-ci:
	$(Q)$(MAKE) answer-one ANSWER=ci

answer-codegen:
	$(Q)for s in $(ANSWER_STATES); do \
		$(ANSWER_ENV) $(TOP)/scripts/answer/codegen.sh $$s $(ANSWER_PATCHES) || exit 1; \
	done
	$(Q)$(GUPB) answer step codegen --dir $(ANSWER_DIR) --made

# The identical-code assertions (analysis/gupb/answer/verify.py): a step,
# before anything counts or reports on the code.
answer-codegen-verify:
	$(Q)$(GUPB) answer codegen --verify $(ANSWER_DIR)/codegen
	$(Q)$(GUPB) answer step codegen-verify --dir $(ANSWER_DIR) --made

# Patch runs whose code is identical to stock (codegen effect "none")
# count what stock counts: skipped unless ANSWER_SKIP_SAME=0.
ANSWER_SKIP_SAME ?= 1
answer-counts:
	$(Q)runs="$(ANSWER_RUNS)"; \
	if [ "$(ANSWER_SKIP_SAME)" = 1 ]; then \
		runs=$$($(GUPB) answer runs $(ANSWER_DIR)/codegen $$runs) || exit 1; \
	fi; \
	for r in $$runs; do \
		f=$${r%%:*}; c=$${r##*:}; p=$${r#*:}; p=$${p%%:*}; \
		$(ANSWER_ENV) $(TOP)/scripts/answer/counts.sh $$f $$p $$c || exit 1; \
	done
	$(Q)$(GUPB) answer step counts --dir $(ANSWER_DIR) --made

# Model estimates (llvm-mca, analysis/gupb/answer/mca.py) of each counted
# call: cycles per call on ANSWER_CORES, never a measurement.
ANSWER_CORES ?= neoverse-n1,neoverse-n2,neoverse-v1,neoverse-v2
answer-estimate:
	$(Q)$(GUPB) answer estimate \
		--counts $(ANSWER_DIR)/counts --out $(ANSWER_DIR)/estimate \
		--cores $(ANSWER_CORES)
	$(Q)$(GUPB) answer step estimate --dir $(ANSWER_DIR) --made

# The alias verdicts of this source's test-bed runs (written by the VM run
# step, scripts/vm/run.sh; this collects them again when missing).
# ANSWER_ALIAS=0: a report without them, said in the report's inputs.
answer-alias:
	$(Q)$(GUPB) answer alias --vm $(ANSWER_VM_DIR) --dir $(ANSWER_DIR)
	$(Q)$(GUPB) answer step alias --dir $(ANSWER_DIR) --made

# (only where an answer target is asked for: naming the folder resolves
# KERNEL's source)
ifneq ($(filter answer-%,$(MAKECMDGOALS)),)
$(ANSWER_DIR)/codegen/.step: $(ANSWER_CODEGEN_INPUTS)
	$(Q)$(call answer_stamp,codegen)
$(ANSWER_DIR)/codegen/.verified: $(ANSWER_DIR)/codegen/.step
	$(Q)$(MAKE) answer-codegen-verify
$(ANSWER_DIR)/counts/.step: $(ANSWER_DIR)/codegen/.verified
	$(Q)$(call answer_stamp,counts)
$(ANSWER_DIR)/estimate/.step: $(ANSWER_DIR)/counts/.step
	$(Q)$(call answer_stamp,estimate)
$(ANSWER_DIR)/alias/.step: $(wildcard $(ANSWER_VM_DIR)/*/result.json)
	$(Q)$(call answer_stamp,alias)

ANSWER_INPUTS = $(addprefix $(ANSWER_DIR)/,codegen/.verified counts/.step estimate/.step \
	$(if $(filter 0,$(ANSWER_ALIAS)),,alias/.step))
endif

answer-report: $(ANSWER_INPUTS)
	$(Q)$(GUPB) answer report --dir $(ANSWER_DIR) --since $(ANSWER_NOW) \
		--states $(subst $(answer_space),$(answer_comma),$(strip $(ANSWER_STATES))) \
		$(if $(filter 0,$(ANSWER_ALIAS)),--no-alias) \
		$(if $(HW_A),--hw-a $(HW_A)) $(if $(HW_B),--hw-b $(HW_B))
	$(Q)printf '%s\n' "make answer KERNEL=$(KERNEL)$(if $(filter ci,$(ANSWER)), ANSWER=ci) ANSWER_STATES=$(subst $(answer_space),$(answer_comma),$(strip $(ANSWER_STATES))) ANSWER_PATCHES=$(subst $(answer_space),$(answer_comma),$(strip $(ANSWER_PATCHES)))$(if $(KERNEL_IS_GIT), A=$(KERNEL_A) B=$(KERNEL_B))$(if $(filter 0,$(ANSWER_ALIAS)), ANSWER_ALIAS=0)" \
		>$(ANSWER_DIR)/command.txt

# README's answer tables (gupb answer readme): save every
# results/answer/<tag>/answer.json, with the command that made it, under
# results/examples/answer/<tag>/ (committed; merged by state into a saved
# answer of the same exact source, else replacing it), then regenerate
# README's marked blocks from those saved files; make check fails when
# they differ.
answer-readme:
	$(Q)$(GUPB) answer readme --save $(RESULTS)/answer \
		--snapshot $(TOP)/results/examples/answer --readme $(TOP)/README.md
