# SPDX-License-Identifier: GPL-2.0
# tests/fleet/: the LAVA job writer and collector, host side, in make check.
# The real runs (kernel packages, a dispatcher run) are make check-fleet.
.PHONY: check-fleet-unit
CHECKS += check-fleet-unit
check-fleet-unit:
	$(Q)cd $(TOP) && $(SYSPYTHON) -m unittest tests/fleet/test_lava.py 2>&1 | tail -3 | \
		{ out=$$(cat); echo "$$out"; echo "$$out" | grep -q '^OK'; }
