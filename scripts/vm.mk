# SPDX-License-Identifier: GPL-2.0
# The arm64 QEMU test bed (scripts/vm/); configs/ checks: make check-configs
# (tests/check.mk).
#   make vm-test    LPA2 16K/52: stock, 0001, 0003 (the alias fix); -cpu max
#                   (4 levels) and -cpu neoverse-n1 (3 levels, folded at run
#                   time); then make answer-ci (scripts/answer.mk)
#   make vm-matrix  every arm64 folding state, stock and patched, plus a
#                   stock-vs-patched comparison per state
#   make vm-icount  the module's live-vs-stack walk delta checked, as exact
#                   instructions (QEMU -icount), against the kernels' codegen
#                   diff: VM_ICOUNT_RUNS (16K/52 stock, -cpu max), ~20 min
#                   a boot, results in results/vm-icount/
#   make vm-thp     issue 23: the THP-migration reproducer alone
#                   (tests/vm/thp_pin_race.c) on the debug kernel with
#                   ZONE_MOVABLE, VM_THP_RUNS; results in results/vm-thp/,
#                   the report draft in results/vm-thp/report.txt
#   DEBUG=1         vm-test/vm-matrix on the debug profile
#                   (configs/kernel/base-debug.config: KASAN, lockdep,
#                   DEBUG_VM) with ZONE_MOVABLE (the THP check runs);
#                   results in results/vm-debug/, no answer-ci
# Every run is on KERNEL's source (Makefile; default mainline): results in
# results/vm/<base or git-A..B>/<fragment>-<patch>-<cpu>/.
# Runs are FRAGMENT:PATCH:CPU, PATCH "none", a number in configs/patches/
# (its port in configs/patches/<base>/ where there is one) or, for a git
# tree (KERNEL=/path A= B=), "B": stock is then commit A, B commit B.
VM_TEST_PATCHES := $(if $(KERNEL_IS_GIT),none B,none 0001 0003)
VM_TEST_RUNS := $(foreach p,$(VM_TEST_PATCHES),\
	arm64-16k-52-lpa2:$(p):max arm64-16k-52-lpa2:$(p):neoverse-n1)
VM_PATCHES := $(if $(KERNEL_IS_GIT),none B,none $(sort $(foreach f,$(wildcard $(TOP)/configs/patches/0*.patch $(TOP)/configs/patches/*/0*.patch),$(firstword $(subst -, ,$(notdir $(f)))))))
VM_MATRIX_RUNS := $(foreach p,$(VM_PATCHES),\
	$(foreach f,arm64-64k-42 arm64-4k-39 arm64-4k-48 arm64-16k-48,$(if $(wildcard $(TOP)/configs/kernel/$(f).config),$(f):$(p):max)) \
	arm64-16k-52-lpa2:$(p):max arm64-16k-52-lpa2:$(p):neoverse-n1 \
	arm64-4k-52-lpa2:$(p):max arm64-4k-52-lpa2:$(p):neoverse-n1)

.PHONY: vm-test vm-matrix vm-icount vm-thp
VM_ICOUNT_RUNS ?= arm64-16k-52-lpa2:none:max
VM_THP_RUNS ?= arm64-16k-52-lpa2:none:max
# ZONE_MOVABLE for the THP check: its THPs are faulted there, so a
# FOLL_LONGTERM pin must migrate them.
VM_THP_APPEND ?= movablecore=384M
VM_DEBUG_ENV = VM_DEBUG=1 VM_APPEND="$(VM_THP_APPEND)" \
	RESULTS=$(RESULTS)/vm-debug BOOT_TIMEOUT=$(or $(BOOT_TIMEOUT),3600)
# The boots, then the answer for this state (codegen + exact counts),
# which reuses the kernels the boots built.
vm-test:
ifeq ($(DEBUG),1)
	$(Q)$(VM_DEBUG_ENV) $(TOP)/scripts/vm/runs.sh $(VM_TEST_RUNS)
else
	$(Q)$(TOP)/scripts/vm/runs.sh $(VM_TEST_RUNS)
	$(Q)$(MAKE) answer-ci
endif

vm-matrix:
ifeq ($(DEBUG),1)
	$(Q)$(VM_DEBUG_ENV) $(TOP)/scripts/vm/runs.sh $(VM_MATRIX_RUNS)
else
	$(Q)$(TOP)/scripts/vm/runs.sh $(VM_MATRIX_RUNS)
	$(Q)$(TOP)/scripts/vm/compare-states.sh
endif

# The bug is fixed in mainline (7.3 has 3bac01168982): 6.12 unless KERNEL
# is given.
vm-thp:
	$(Q)KERNEL=$(if $(KERNEL_GIVEN),$(KERNEL),6.12) VM_DEBUG=1 VM_APPEND="$(VM_THP_APPEND) gupb.thp_only" \
		RESULTS=$(RESULTS)/vm-thp BOOT_TIMEOUT=$(or $(BOOT_TIMEOUT),1800) \
		$(TOP)/scripts/vm/runs.sh $(VM_THP_RUNS); rc=$$?; \
		$(GUPB) thp $(RESULTS)/vm-thp; exit $$rc

vm-icount:
	$(Q)RESULTS=$(RESULTS)/vm-icount QEMU_EXTRA="-icount shift=0" \
		BOOT_TIMEOUT=$(or $(BOOT_TIMEOUT),2400) \
		$(TOP)/scripts/vm/runs.sh $(VM_ICOUNT_RUNS)
