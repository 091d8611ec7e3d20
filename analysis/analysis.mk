# SPDX-License-Identifier: GPL-2.0
# analysis/: make compare A=a.json B=b.json [OUT=dir] [NOISE=0.02]
#            make plots  (the same, plots only refreshed: alias of compare)
COMPARE := $(SYSPYTHON) $(TOP)/analysis/gupbench_compare.py

.PHONY: compare plots check-analysis
compare:
	$(Q)test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=<a.json> B=<b.json> [OUT=dir] [NOISE=0.02]" >&2; exit 2; }
	$(Q)$(COMPARE) $(A) $(B) $(if $(OUT),-o $(OUT)) $(if $(NOISE),--noise $(NOISE))

plots: compare

CHECKS += check-analysis
check-analysis:
	$(Q)cd $(TOP) && log=$$(mktemp) && \
		{ $(SYSPYTHON) -m unittest -v tests/analysis/test_analysis.py >$$log 2>&1; rc=$$?; } ; \
		grep -E '(ok|FAIL|ERROR)$$|^Ran|^OK|^FAILED' $$log; \
		[ $$rc = 0 ] || sed -n '/^=\{10\}/,$$p' $$log; rm -f $$log; exit $$rc
