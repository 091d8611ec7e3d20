# SPDX-License-Identifier: GPL-2.0
# tests/workloads/: buffers, targets and a smoke run of every workload with
# its proof-of-path counters checked (make check-workloads). Included by the
# top Makefile after bench/bench.mk, whose variables it uses.

# The one C unit-test program of bench/ (tests/bench/test_units.c).
WL_TEST := $(BUILDDIR)/tests/test_units

$(WL_TEST): $(TOP)/tests/bench/test_units.c $(BUILDDIR)/libgupb.a $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $(notdir $@)")
	$(Q)$(BCC) $(BENCH_CFLAGS) -o $@ $< $(BUILDDIR)/libgupb.a $(BENCH_LDLIBS) -lstdc++

.PHONY: check-workloads
CHECKS += check-workloads
check-workloads: $(GUPBENCH) $(WL_TEST)
	$(Q)GUPBENCH=$(GUPBENCH) WL_TEST=$(WL_TEST) $(TOP)/tests/workloads/run.sh
