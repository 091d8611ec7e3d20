# SPDX-License-Identifier: GPL-2.0
# tests/schema/: the result contract (analysis/gupb_schema.py) against
# real results, bench/schema.h, results/README.md, bench/WORKLOADS.md,
# and make help against the Makefiles. TAP, run by prove when it is
# installed (perl), else one after the other.
SCHEMA_TESTS := contract.py schema_h.py docs.py help.py

.PHONY: check-schema
CHECKS += check-schema
check-schema:
	$(Q)cd $(TOP)/tests/schema && if command -v prove >/dev/null; then \
		prove $(if $(filter 1,$(V)),-v) --exec $(SYSPYTHON) $(SCHEMA_TESTS); \
	else rc=0; for t in $(SCHEMA_TESTS); do \
		$(SYSPYTHON) $$t || rc=1; done; exit $$rc; fi
