# SPDX-License-Identifier: GPL-2.0
# bench/: the user-space suite. Every bench/*.c, bench/*/*.c and
# bench/gb/gb_shim.cc go into build/<arch>/gupbench; cross builds take CROSS_COMPILE and SYSROOT
# (an arm64 sysroot unpacked with dpkg -x, see scripts/vm/).

CROSS_COMPILE ?=
SYSROOT ?=
BENCH_ARCH := $(if $(CROSS_COMPILE),$(patsubst %-linux-gnu-,%,$(CROSS_COMPILE)),$(shell uname -m))
BUILDDIR ?= $(TOP)/build/$(BENCH_ARCH)
BCC := $(CROSS_COMPILE)gcc
BCXX := $(CROSS_COMPILE)g++
GUPB_VERSION := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)

BENCH_CFLAGS := -O2 -g -Wall -Wextra -Werror -Wno-format-truncation -D_GNU_SOURCE -std=gnu11 \
	-I$(TOP)/bench -I$(TOP)/kmod -DGUPB_VERSION='"$(GUPB_VERSION)"'
BENCH_CXXFLAGS := -O2 -g -Wall -Wextra -Werror -std=c++17 -I$(TOP)/bench
BENCH_LDLIBS := -lbenchmark -luring -lpthread -lm
ifneq ($(SYSROOT),)
BENCH_CFLAGS += -idirafter $(SYSROOT)/usr/include
BENCH_CXXFLAGS += -idirafter $(SYSROOT)/usr/include
BENCH_LDFLAGS += -L$(SYSROOT)/usr/lib/aarch64-linux-gnu \
	-Wl,-rpath-link,$(SYSROOT)/usr/lib/aarch64-linux-gnu \
	-Wl,-rpath-link,$(SYSROOT)/lib/aarch64-linux-gnu
endif

# libbenchmark >= 1.8 has State::SkipWithMessage (a real skip); 1.7.1
# (Debian 12) has not, and the shim keeps its SkipWithError workaround.
# A compile probe decides, for the library this build uses (sysroot too);
# `make ... GB_HAVE_SKIP_WITH_MESSAGE=0|1` overrides it. Recursive (=):
# the probe runs only when gb/gb_shim.o is built.
GB_SKIP_PROBE = printf '\043include <benchmark/benchmark.h>\nvoid f(benchmark::State &s) { s.SkipWithMessage("x"); }\n' | \
	$(BCXX) $(BENCH_CXXFLAGS) -fsyntax-only -x c++ - >/dev/null 2>&1 && echo 1 || echo 0
GB_HAVE_SKIP_WITH_MESSAGE ?= $(shell $(GB_SKIP_PROBE))

BENCH_SRCS := $(sort $(wildcard $(TOP)/bench/*.c $(TOP)/bench/*/*.c))
BENCH_OBJS := $(patsubst $(TOP)/bench/%.c,$(BUILDDIR)/obj/%.o,$(BENCH_SRCS)) \
	$(BUILDDIR)/obj/gb/gb_shim.o
BENCH_LIB_OBJS := $(filter-out $(BUILDDIR)/obj/main.o,$(BENCH_OBJS))
BENCH_HDRS := $(wildcard $(TOP)/bench/*/*.h $(TOP)/bench/*/*.def $(TOP)/kmod/uapi/*.h)
GUPBENCH := $(BUILDDIR)/gupbench

.PHONY: bench perf-record
all: $(GUPBENCH)

$(BUILDDIR)/obj/%.o: $(TOP)/bench/%.c $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $(notdir $@)")
	$(Q)$(BCC) $(BENCH_CFLAGS) -c -o $@ $<

$(BUILDDIR)/obj/gb/gb_shim.o: $(TOP)/bench/gb/gb_shim.cc $(BENCH_HDRS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $(notdir $@)")
	$(Q)$(BCXX) $(BENCH_CXXFLAGS) \
		-DGB_HAVE_SKIP_WITH_MESSAGE=$(GB_HAVE_SKIP_WITH_MESSAGE) -c -o $@ $<

$(GUPBENCH): $(BENCH_OBJS)
	@$(if $(Q),echo "  LINK    $(notdir $@)")
	$(Q)$(BCXX) $(BENCH_LDFLAGS) -o $@ $^ $(BENCH_LDLIBS)

# The objects without main(), for tests that link the suite's code
# (tests/check.mk: the test programs, check-example).
$(BUILDDIR)/libgupb.a: $(BENCH_LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# make bench [RUNS=N]: N independent runs (scripts/bench.sh), one folder.
bench: all
	$(Q)GUPBENCH=$(GUPBENCH) $(TOP)/scripts/bench.sh

perf-record: all
	$(Q)GUPBENCH=$(GUPBENCH) $(TOP)/scripts/perf-record.sh "$(BENCH)"

clean:
	$(Q)rm -rf $(TOP)/build
