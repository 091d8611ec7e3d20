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

.PHONY: vm-test vm-matrix vm-icount
VM_ICOUNT_RUNS ?= arm64-16k-52-lpa2:none:max
# The boots, then the answer for this state (codegen + exact counts),
# which reuses the kernels the boots built.
vm-test:
	$(Q)$(TOP)/scripts/vm/runs.sh $(VM_TEST_RUNS)
	$(Q)$(MAKE) answer-ci

vm-matrix:
	$(Q)$(TOP)/scripts/vm/runs.sh $(VM_MATRIX_RUNS)
	$(Q)$(TOP)/scripts/vm/compare-states.sh

vm-icount:
	$(Q)RESULTS=$(RESULTS)/vm-icount QEMU_EXTRA="-icount shift=0" \
		BOOT_TIMEOUT=$(or $(BOOT_TIMEOUT),2400) \
		$(TOP)/scripts/vm/runs.sh $(VM_ICOUNT_RUNS)
