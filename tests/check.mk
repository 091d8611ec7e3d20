# SPDX-License-Identifier: GPL-2.0
# tests/check.mk: every check-* target, in one place. Included by the top
# Makefile after the parts' fragments, whose variables it uses.
#
# A suite is a list of executable TAP test files (TESTS_<suite>, paths
# from the top; shell scripts, Python checkers, unittest suites, the C test
# programs) and what make builds for them first (NEEDS_<suite>).
# `make check-<suite>` runs one suite through prove; `make check` runs every
# suite of CHECK_SUITES through one prove, each file once. tests/tap-exec
# is how prove runs a file (Python with SYSPYTHON, unittest suites as TAP
# through tests/tap.py, exit 4 a skip: KSFT_SKIP). V=1: every TAP line.
# Two lanes side by side (J=1: one): the files that run gupbench
# (tests/bench/, tests/workloads/, the unit program, configs/' profiles:
# zram devices, timed proofs) one after the other, and the rest one after
# the other.
PROVE ?= prove
J ?= 2
PROVE_FLAGS ?= --timer $(if $(filter 1,$(V)),-v) -j$(J) \
	--rules='seq={tests/bench/*,tests/workloads/*,**/test_units,tests/wrap/configs.sh}' \
	--rules='seq=**'
# What the test files read from the environment (defaults: build/<arch>/).
# PYTHONPATH: the package (analysis/gupb) and tests/tap.py, for every
# Python test and the programs they run.
TEST_ENV = PYTHONPATH=$(TOP)/analysis:$(TOP)/tests GUPBENCH=$(GUPBENCH) BUILDDIR=$(BUILDDIR) BCC="$(BCC)" BCXX="$(BCXX)" \
	BENCH_CFLAGS="$(BENCH_CFLAGS)" BENCH_CXXFLAGS="$(BENCH_CXXFLAGS)" \
	BENCH_LDFLAGS="$(BENCH_LDFLAGS)" BENCH_LDLIBS="$(BENCH_LDLIBS)" \
	KMOD_HEADERS="$(KMOD_HEADERS)" CHECKPATCH="$(CHECKPATCH)"
# prove FILES: one prove over FILES, from the top.
run_prove = command -v $(PROVE) >/dev/null || \
	{ echo "make check: no prove (apt-get install perl, or make deps-test)" >&2; exit 1; }; \
	cd $(TOP) && $(TEST_ENV) $(PROVE) --exec $(TOP)/tests/tap-exec $(PROVE_FLAGS) $(1)
# Each word once, first place kept.
uniq = $(if $(1),$(firstword $(1)) $(call uniq,$(filter-out $(firstword $(1)),$(1))))
# A path from the top when under it (prove prints it).
top_rel = $(patsubst $(TOP)/%,%,$(1))

# The C test programs of bench/: test_units (one behaviour per test, TAP)
# and test_shim (Google Benchmark through bench/gb/gb_shim.cc).
TEST_UNITS := $(BUILDDIR)/tests/test_units
TEST_SHIM := $(BUILDDIR)/tests/test_shim
$(TEST_UNITS) $(TEST_SHIM): $(BUILDDIR)/tests/%: $(TOP)/tests/bench/%.c $(BUILDDIR)/libgupb.a $(BENCH_HDRS) $(TOP)/tests/tap.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $(notdir $@)")
	$(Q)$(BCC) $(BENCH_CFLAGS) -o $@ $< $(BUILDDIR)/libgupb.a $(BENCH_LDLIBS) -lstdc++

# bench/: the unit program, the shim, the command line, the interrupted
# run, and the smoke run's result against the result contract.
NEEDS_bench := $(GUPBENCH) $(TEST_UNITS) $(TEST_SHIM)
TESTS_bench := $(call top_rel,$(TEST_UNITS)) tests/bench/shim.sh tests/bench/cli.sh \
	tests/bench/list_quiet.sh \
	tests/bench/interrupt.sh tests/workloads/smoke.sh
# Adding a workload touches one new file: gupbench with tests/bench/wl_example.c.
NEEDS_example := $(GUPBENCH) $(BUILDDIR)/libgupb.a
TESTS_example := tests/bench/example.sh
# bench/'s layers (include graph and nm), the recorded benchmark names,
# no function over 60 lines.
NEEDS_layers := $(GUPBENCH) $(BUILDDIR)/libgupb.a
TESTS_layers := tests/bench/layers.py tests/bench/names.sh tests/bench/fnlen.sh
# gb_shim.cc on both sides of libbenchmark 1.8 (GB_OTHER_INCLUDE: the
# other's headers; GB_OTHER_LIB: its libbenchmark.a, to run test_shim on it).
TESTS_shim-paths := tests/bench/shim_paths.sh
# The workloads: the unit program (buffers, targets, zram pins), the one
# smoke run with every workload's proofs, signals, bad targets, not root,
# the alias check.
NEEDS_workloads := $(GUPBENCH) $(TEST_UNITS)
TESTS_workloads := $(call top_rel,$(TEST_UNITS)) tests/workloads/smoke.sh \
	tests/workloads/signals.sh tests/workloads/targets.sh tests/workloads/user.sh \
	tests/workloads/alias.sh
# kmod/: builds against the host headers and the test bed's kernels, checkpatch of every base, its TAP test program
# (the module's behaviour is tested in the arm64 VM).
TESTS_kmod := tests/wrap/kmod.sh
# analysis/gupb's comparison, A/A floors and peers table; pyflakes over
# every Python file of analysis/ and tests/.
TESTS_analysis := tests/analysis/test_stats.py tests/analysis/test_report.py \
	tests/analysis/test_plots.py tests/analysis/test_compare.py tests/analysis/test_aa.py \
	tests/analysis/test_peers.py tests/analysis/pyflakes.sh
# The result contract (analysis/gupb/schema.py) against real results;
# contract/gupbench.json and the docs' tables generated from
# bench/base/contract.def and checked in, its names used by the writers;
# bench/WORKLOADS.md's kernel paths; make help.
NEEDS_schema := $(GUPBENCH)
TESTS_schema := tests/schema/contract.py tests/schema/names.sh \
	tests/schema/contract_json.sh tests/schema/docs.sh tests/schema/docs.py \
	tests/schema/help.py
NEEDS_configs := $(GUPBENCH)
TESTS_configs := tests/wrap/configs.sh tests/vm/test_thp_check.py tests/vm/test_patches.py
TESTS_answer := tests/answer/test_codegen.py tests/answer/test_report.py tests/answer/test_versions.py \
	tests/answer/test_mca.py tests/answer/test_estimate.py tests/answer/test_step.py \
	tests/answer/test_verify.py tests/answer/test_objdump.py tests/answer/test_readme.py \
	tests/answer/test_runs.py tests/answer/test_scripts.sh
# Host-side logic of the exact-count boots on saved fixtures; no boot (the
# boot test is tests/answer/counts-determinism.sh FRAGMENT PATCH CPU, run by
# hand: two boots of one kernel must give the same integers).
TESTS_answer-counts := tests/answer/test_counts.py
# The LAVA job writer and collector, host side.
TESTS_fleet-unit := tests/fleet/test_lava.py
# Not in make check: a packaged kernel holds its walk, and a real LAVA
# dispatcher run of one job (make deps-fleet).
TESTS_fleet := tests/fleet/check-kernel-deb.sh tests/fleet/check-lava.sh

# make submission (scripts/submission/): the series against the installed
# base, git am onto it, checkpatch, the kselftest on this host; check.py's
# verdict on the kselftest in the test bed.
TESTS_submission := tests/submission/series.sh tests/submission/vm_check.sh

CHECK_SUITES := bench example layers shim-paths workloads kmod analysis schema configs \
	answer answer-counts fleet-unit submission
SUITES := $(CHECK_SUITES) fleet
CHECKS := $(addprefix check-,$(CHECK_SUITES))

.PHONY: $(addprefix check-,$(SUITES))
define suite_rule
check-$(1): $$(NEEDS_$(1))
	$$(Q)$$(call run_prove,$$(TESTS_$(1)))
endef
$(foreach s,$(SUITES),$(eval $(call suite_rule,$(s))))

check: $(sort $(foreach s,$(CHECK_SUITES),$(NEEDS_$(s))))
	$(Q)$(call run_prove,$(call uniq,$(foreach s,$(CHECK_SUITES),$(TESTS_$(s)))))
