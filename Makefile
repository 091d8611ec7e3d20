# SPDX-License-Identifier: GPL-2.0
#
# gupbench top-level Makefile. Quiet by default; `make V=1` shows commands.
# Each part keeps its rules in its own fragment, included below:
#   bench/bench.mk       all, bench, perf-record, check-bench
#   kmod/kmod.mk         kmod, check-kmod
#   analysis/analysis.mk compare, plots, check-analysis
#   scripts/vm.mk        vm-test, vm-matrix, check-configs
#   scripts/answer.mk    answer, answer-ci, check-answer
#   scripts/deps.mk      deps, deps-test
#   scripts/fleet.mk     kernel-deb, lava-jobs, lava-collect

V ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif
export V Q

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
RESULTS ?= $(TOP)/results
PROFILE ?= quick
CACHE ?= $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)/gupbench
SYSPYTHON ?= /usr/bin/python3
export TOP RESULTS PROFILE CACHE SYSPYTHON

.DEFAULT_GOAL := all
.PHONY: all bench check clean help

# Check targets each part adds to; `make check` runs them all.
CHECKS :=

include $(TOP)/scripts/deps.mk
include $(TOP)/bench/bench.mk
include $(TOP)/kmod/kmod.mk
include $(TOP)/analysis/analysis.mk
include $(TOP)/scripts/vm.mk
include $(TOP)/scripts/fleet.mk
include $(TOP)/scripts/answer.mk
# Test suites that live under tests/<part>/ may add their own fragment.
-include $(wildcard $(TOP)/tests/*/*.mk)

check: $(CHECKS)
	@echo "make check: all suites passed ($(CHECKS))"

help:
	@echo "make [all]        build the user-space suite (bench/)"
	@echo "make bench        run the suite (PROFILE=quick|full|smoke) -> results/"
	@echo "make perf-record BENCH=<regex>  perf record the chosen benchmarks"
	@echo "make kmod         build kmod/gupbench.ko (KDIR=..., ARCH, CROSS_COMPILE)"
	@echo "make compare A=<a.json> B=<b.json>  table + plots"
	@echo "make plots        plots only, for the last comparison"
	@echo "make check        unit tests and smoke runs"
	@echo "make vm-test      arm64 QEMU test bed: 16K/52 LPA2, stock, 0001, 0003, then answer-ci"
	@echo "make vm-matrix    every folding state, stock and patched"
	@echo "make answer       codegen + exact per-call counts of the walk, every state x patch"
	@echo "                  -> results/answer/ (HW_A= HW_B= add hardware timings)"
	@echo "make answer-ci    the same for 16K/52 only (part of vm-test)"
	@echo "make lava-jobs    LAVA job definitions (+ artifacts) per state x patch x device type"
	@echo "make lava-collect LAVA_URL=... LAVA_JOBS=\"id ...\"  fetch finished jobs' results"
	@echo "make deps-fleet   what kernel-deb and the LAVA jobs need"
	@echo "make check-fleet  a packaged kernel holds its walk; a real lava-run job"
	@echo "make kernel-deb [STATE=<fragment>] [PATCH=<patch>|none] [KCONFIG=<config>|testbed]"
	@echo "                  Debian packages of an arm64 kernel for a real host"
	@echo "make deps         install build/run dependencies (apt-get)"
	@echo "make deps-test    install test dependencies too"
