# SPDX-License-Identifier: GPL-2.0
# analysis/: make compare A=<runs> B=<runs> [OUT=dir] [NOISE=0.02]
#                         [NOISE_FILE=results/aa/noise.json]
#            a side is one result file, several ("a1.json a2.json") or a
#            folder of runs (make bench RUNS=N writes one); INJECT_B=1.10:
#            a self-check, B's times multiplied by 1.10
#            make plots  (the same, plots only refreshed: alias of compare)
#            make aa     AA_RUNS (3) runs of PROFILE under this kernel, every
#                        pair compared: the machine's noise floors
#            make peers  the harness against fio and perf bench, side by side
COMPARE = $(GUPB) compare

.PHONY: compare plots aa peers
compare:
	$(Q)test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=<a.json ...|dir> B=<b.json ...|dir> [OUT=dir] [NOISE=0.02] [NOISE_FILE=results/aa/noise.json]" >&2; exit 2; }
	$(Q)$(COMPARE) $(foreach f,$(A),-A $(f)) $(foreach f,$(B),-B $(f)) \
		$(if $(OUT),-o $(OUT)) $(if $(NOISE),--noise $(NOISE)) \
		$(if $(NOISE_FILE),--noise-file $(NOISE_FILE)) \
		$(if $(INJECT_B),--inject-b $(INJECT_B))

plots: compare

AA_RUNS ?= 3
aa: all
	$(Q)case "$(AA_RUNS)" in [2-9]|[1-9][0-9]) ;; *) echo "aa: AA_RUNS must be 2-99, not '$(AA_RUNS)'" >&2; exit 2;; esac; \
	dir=$(RESULTS)/aa/runs-$$(date +%Y%m%dT%H%M%S) && mkdir -p $$dir && \
	for i in $$(seq 1 $(AA_RUNS)); do \
		echo "aa: run $$i/$(AA_RUNS) -> $$dir/$$i"; \
		RESULTS=$$dir/$$i GUPBENCH=$(GUPBENCH) $(TOP)/scripts/bench.sh >$$dir/$$i.log 2>&1 || \
			{ tail -20 $$dir/$$i.log >&2; echo "aa: run $$i failed (log: $$dir/$$i.log)" >&2; exit 1; }; \
	done && \
	$(GUPB) aa $$dir/*/*.json -o $(RESULTS)/aa

peers: all
	$(Q)GUPBENCH=$(GUPBENCH) $(TOP)/scripts/peers.sh $(PEERS_ROUNDS)
