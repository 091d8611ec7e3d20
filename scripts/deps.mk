# SPDX-License-Identifier: GPL-2.0
.PHONY: deps deps-test deps-fleet
deps:
	$(Q)$(TOP)/scripts/deps.sh run
deps-test:
	$(Q)$(TOP)/scripts/deps.sh test
deps-fleet:
	$(Q)$(TOP)/scripts/deps.sh fleet
