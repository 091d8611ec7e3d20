# SPDX-License-Identifier: GPL-2.0
#
# gupbench top-level Makefile. Quiet by default; `make V=1` shows commands.
# Each part keeps its rules in its own fragment, included below:
#   bench/bench.mk       all, bench, perf-record
#   kmod/kmod.mk         kmod
#   analysis/analysis.mk compare, plots, aa, peers
#   scripts/vm.mk        vm-test, vm-matrix
#   scripts/answer.mk    answer, answer-ci and the answer's steps
#   analysis/gupb/       the Python side, one package: python3 -m gupb -h
#   scripts/deps.mk      deps, deps-test
#   scripts/fleet.mk     kernel-deb, lava-jobs, lava-collect
#   scripts/submission.mk submission
#   tests/check.mk       check and every check-*: TAP test files run by prove

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
# Every Python tool: the package analysis/gupb/ (python3 -m gupb -h).
# PYTHONPATH is set here, for the one command, never by the code.
GUPB = env PYTHONPATH=$(TOP)/analysis $(SYSPYTHON) -m gupb
# The kernel source every kernel build uses (scripts/kernel/source.sh):
# 7.3, 7.2, 6.12 (Debian's linux-source-X.Y, fetched when missing),
# mainline (the newest one in Debian's archive) or /path/to/a/git/tree
# with A=<commit> (default B~1; an upstream branch means the merge base)
# and B=<commit> (default HEAD). KERNEL_GIVEN: set by the user (make
# answer then covers that source only, else 6.12 and mainline).
KERNEL_GIVEN := $(filter-out undefined default,$(origin KERNEL))
KERNEL ?= mainline
ifneq ($(filter /% ./% ../% ~%,$(KERNEL)),)
# ~/linux reaches make unexpanded from sh (dash) or when quoted, and
# abspath would make it $(CURDIR)/~/linux
override KERNEL := $(abspath $(patsubst ~/%,$(HOME)/%,$(KERNEL:~=~/)))
KERNEL_IS_GIT := 1
endif
KERNEL_A ?= $(A)
KERNEL_B ?= $(B)
export TOP RESULTS PROFILE CACHE SYSPYTHON KERNEL KERNEL_A KERNEL_B

.DEFAULT_GOAL := all
.PHONY: all bench check clean clean-kmod contract docs help

include $(TOP)/scripts/deps.mk
include $(TOP)/bench/bench.mk
include $(TOP)/kmod/kmod.mk
include $(TOP)/analysis/analysis.mk
include $(TOP)/scripts/vm.mk
include $(TOP)/scripts/fleet.mk
include $(TOP)/scripts/answer.mk
include $(TOP)/scripts/submission.mk
# Every check-* and check itself (uses the variables above).
include $(TOP)/tests/check.mk

# kmod/'s Kbuild products, without a kernel tree (make -C kmod clean
# needs one): what Kbuild writes next to the sources. bench/bench.mk's
# clean removes build/.
clean: clean-kmod
clean-kmod:
	$(Q)cd $(TOP)/kmod && rm -rf *.o *.ko *.mod *.mod.c .*.cmd .*.d \
		modules.order Module.symvers .tmp_versions .cache.mk build.log \
		uapi/*.o uapi/.*.cmd

# The result contract from its C table (bench/base/contract.def, the
# workloads' families) by gupbench --describe, checked in: the JSON
# analysis loads and the docs' generated tables. make check fails while
# either differs (tests/schema/contract_json.sh, docs.sh).
contract: $(GUPBENCH) docs
	$(Q)$(GUPBENCH) --describe >$(TOP)/contract/gupbench.json.tmp && \
		mv $(TOP)/contract/gupbench.json.tmp $(TOP)/contract/gupbench.json
docs: $(GUPBENCH)
	$(Q)GUPBENCH=$(GUPBENCH) $(TOP)/scripts/docs.sh

# One line per target a user can call, each starting "make <target>";
# tests/schema/help.py checks that every .PHONY or rule target is here.
help:
	@echo "Build and run"
	@echo "make [all]        build the user-space suite (bench/) -> build/<arch>/gupbench"
	@echo "make bench        run the suite -> results/<kernel>-<host>-<profile>-<time>.json"
	@echo "                  PROFILE=quick|full|smoke  TARGET=auto|nullb|zram|PATH  FILTER=<regex>"
	@echo "                  RUNS=N: N independent runs -> results/runs-<profile>-<time>/"
	@echo "make perf-record BENCH=<regex>  perf record -g the chosen benchmarks, top kernel symbols as text"
	@echo "make kmod         build kmod/gupbench.ko (KDIR=..., ARCH, CROSS_COMPILE)"
	@echo "make contract     contract/gupbench.json and the docs' tables from bench/base/contract.def"
	@echo "make docs         the generated tables of results/README.md, bench/WORKLOADS.md only"
	@echo "                  kernel builds below take KERNEL=mainline (default: the newest"
	@echo "                  linux-source in Debian's archive, 7.3-rc today)|7.2|6.12|X.Y, or"
	@echo "                  KERNEL=/path/to/git/tree [A=<commit>] [B=<commit>] (your commits)"
	@echo "make clean        remove build/ and kmod/'s build products (no kernel tree needed)"
	@echo "make clean-kmod   kmod/'s build products only"
	@echo "Compare"
	@echo "make compare A=<a.json ...|dir> B=<b.json ...|dir> [OUT=dir] [NOISE=0.02] [NOISE_FILE=...]"
	@echo "                  summary.txt, table.txt/.md, comparison.json, plots -> results/compare-<a>-vs-<b>/"
	@echo "make plots        the same as compare (plots are written with the table)"
	@echo "                  NOISE_FILE=results/aa/noise.json: per-workload floors from make aa"
	@echo "make aa           AA_RUNS (3) runs of PROFILE under this kernel, compared pairwise:"
	@echo "                  this machine's noise floors -> results/aa/ (aa.txt, noise.json)"
	@echo "make peers        harness vs fio and perf bench, side by side (root; PEERS_ROUNDS=3)"
	@echo "Tests"
	@echo "make check        every check-* below but check-fleet: TAP test files, one prove"
	@echo "                  run (each file once; V=1 every TAP line); a check-* runs one suite"
	@echo "make check-bench  bench/ unit tests, the shim, the command line, a smoke result"
	@echo "make check-example  adding a workload is one file: gupbench with tests/bench/wl_example.c"
	@echo "make check-layers   bench/'s layer rule (includes, nm, no cycle), recorded names, function lengths"
	@echo "make check-shim-paths  bench/gb/gb_shim.cc builds on both sides of libbenchmark 1.8"
	@echo "make check-workloads  buffers, targets, a smoke run of every workload with its proofs"
	@echo "make check-kmod   the module against the host's linux-headers, checkpatch, its TAP test program"
	@echo "make check-analysis   analysis/ on saved results (statistics, table, plots);"
	@echo "                  pyflakes over analysis/ and tests/"
	@echo "make check-schema the result contract: names, claims, generated JSON and docs, make help"
	@echo "make check-configs    configs/: fragments well formed, every patch applies to every base"
	@echo "                  (CONFIG_BASES: 6.12 7.2 7.3), profiles parse"
	@echo "make check-answer     the answer's codegen, report and run-list logic on fixtures"
	@echo "make check-answer-counts  exact-count boots, host side, on fixtures"
	@echo "make check-fleet-unit LAVA job writer and collector, host side"
	@echo "make check-submission  make submission against the installed base: git am, checkpatch,"
	@echo "                  the kselftest on this host; the test bed's kselftest verdict"
	@echo "make check-fleet  not in check: a packaged kernel holds its walk; a real lava-run job"
	@echo "QEMU test bed and the answer (long: kernel builds)"
	@echo "make vm-test      arm64 QEMU test bed: 16K/52 LPA2, stock, 0001, 0003, then answer-ci,"
	@echo "                  on KERNEL (default mainline); a git tree: commits A and B"
	@echo "make vm-matrix    every folding state, stock and patched"
	@echo "make vm-icount    the module's walk delta as exact instructions (QEMU -icount) against"
	@echo "                  the kernels' codegen diff (16K/52 stock, ~20 min) -> results/vm-icount/"
	@echo "make answer       codegen + exact per-call counts of the walk, every state x patch,"
	@echo "                  on 6.12 and mainline (or KERNEL=...) -> results/answer/<base>/"
	@echo "                  (HW_A= HW_B= add hardware timings; ANSWER_STATES=, ANSWER_PATCHES="
	@echo "                  subsets; ANSWER_KERNELS=\"6.12 mainline\")"
	@echo "make answer-ci    the same for 16K/52 only (part of vm-test)"
	@echo "make answer-one   the answer for one source (KERNEL), what make answer runs per source"
	@echo "make vm-thp       issue 23: THP migration by a FOLL_LONGTERM pin vs a zap, on the"
	@echo "                  debug kernel (KASAN, lockdep, DEBUG_VM) -> results/vm-thp/"
	@echo "make vm-test DEBUG=1   the test bed on the debug kernel -> results/vm-debug/"
	@echo "The answer's steps (python3 -m gupb answer -h), each one now:"
	@echo "make answer-codegen  the walk's code, stock vs each patch"
	@echo "make answer-codegen-verify  the identical-code assertions on it"
	@echo "make answer-counts   exact counts per boot"
	@echo "make answer-estimate model estimates (llvm-mca) of each counted call, per core"
	@echo "make answer-alias    the alias verdicts of this source's test-bed runs"
	@echo "make answer-report   results/answer/<base>/report.txt, .md, .png, .json: builds or"
	@echo "                  reuses each step above and says which came from cache"
	@echo "                  (ANSWER_DIR=: another answer folder; ANSWER_ALIAS=0: no alias)"
	@echo "make answer-readme   save results/answer/<base>/answer.json (+ its command) in"
	@echo "                  results/examples/answer/ (merged by state into a saved answer of"
	@echo "                  the same exact source) and regenerate README's answer tables"
	@echo "Real hardware"
	@echo "make kernel-deb [STATE=<fragment>] [PATCH=<patch>|none] [KCONFIG=<config>|testbed]"
	@echo "                  Debian packages of an arm64 kernel for a real host; its release ends"
	@echo "                  in -gupb-<state>-<patch>, and results from it carry kernel_build"
	@echo "make lava-jobs    LAVA job definitions (+ artifacts) per state x patch x device type"
	@echo "make lava-collect LAVA_URL=... LAVA_JOBS=\"id ...\"  fetch finished jobs' results"
	@echo "Upstream"
	@echo "make submission PATCH=0003 [KERNEL=mainline|X.Y|/path/to/git/tree]"
	@echo "                  a git format-patch series against that source -> outgoing/: the"
	@echo "                  patch (your git identity signs off), its kselftest, a cover letter"
	@echo "                  from the test bed and the answer; checkpatch, get_maintainer"
	@echo "                  (PATCH=0001: an RFC with the answer's table; OUT=, RFC=auto|yes|no)"
	@echo "Dependencies (apt-get)"
	@echo "make deps         install build/run dependencies"
	@echo "make deps-test    install test dependencies too"
	@echo "make deps-fleet   what kernel-deb and the LAVA jobs need"
	@echo "make help         this list"
