# SPDX-License-Identifier: GPL-2.0
# Kernels and jobs for real arm64 hardware (scripts/fleet/):
#   make kernel-deb [STATE=<fragment>] [PATCH=<patch>|none] [KCONFIG=...]
#        installable Debian packages of one state and patch (bindeb-pkg)
#   make lava-jobs [LAVA_DEVICE_TYPES=...] [LAVA_URL=...]
#        one LAVA job definition per state x {stock, patches} x device type
#   make lava-collect LAVA_URL=... LAVA_JOBS="..."
#        fetch finished jobs' results into results/lava/<job>/
.PHONY: kernel-deb lava-jobs lava-collect
kernel-deb:
	$(Q)STATE="$(STATE)" PATCH="$(or $(PATCH),none)" $(if $(KCONFIG),KCONFIG="$(KCONFIG)") \
		$(TOP)/scripts/fleet/kernel-deb.sh

lava-jobs:
	$(Q)$(TOP)/scripts/fleet/lava-jobs.sh

lava-collect:
	$(Q)test -n "$(LAVA_URL)" -a -n "$(LAVA_JOBS)" || { echo "usage: make lava-collect LAVA_URL=https://lab LAVA_JOBS=\"id ...\" [LAVA_TOKEN=...]" >&2; exit 2; }
	$(Q)$(GUPB) lava collect --url "$(LAVA_URL)" --out $(RESULTS)/lava $(LAVA_JOBS)
