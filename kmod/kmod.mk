# SPDX-License-Identifier: GPL-2.0
# kmod/: gupbench.ko. `make kmod` builds against the running kernel
# (KDIR=... for another tree; ARCH/CROSS_COMPILE for cross builds).
# make check-kmod (tests/check.mk) builds it against Debian's
# linux-headers-6.12 (KMOD_HEADERS; the host here cannot load modules: the
# module's behaviour is tested in the arm64 VM), runs checkpatch --strict
# (CHECKPATCH) on it and builds the TAP test program.

KMOD_HEADERS ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64)))
CHECKPATCH ?= $(firstword $(wildcard $(CACHE)/src/linux-source-6.12/scripts/checkpatch.pl))
KMOD_SRCS := $(TOP)/kmod/main.c $(TOP)/kmod/walk.c $(TOP)/kmod/gupb.h $(TOP)/kmod/uapi/gupbench.h

.PHONY: kmod
kmod:
	$(Q)$(MAKE) -C $(TOP)/kmod $(if $(KDIR),KDIR=$(KDIR))
