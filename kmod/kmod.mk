# SPDX-License-Identifier: GPL-2.0
# kmod/: gupbench.ko. `make kmod` builds against the running kernel
# (KDIR=... for another tree; ARCH/CROSS_COMPILE for cross builds).
# make check-kmod (tests/check.mk) builds it against the host's newest
# Debian linux-headers-*-amd64 (KMOD_HEADERS; the host here cannot load
# modules: the module's behaviour is tested in the arm64 VM) and against
# every arm64 kernel the test bed has built, runs checkpatch --strict
# (CHECKPATCH; default: each base's own, 6.12 7.2 7.3 mainline) on it and
# builds the TAP test program.

KMOD_HEADERS ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
CHECKPATCH ?=
KMOD_SRCS := $(TOP)/kmod/main.c $(TOP)/kmod/walk.c $(TOP)/kmod/gupb.h $(TOP)/kmod/uapi/gupbench.h

.PHONY: kmod
kmod:
	$(Q)$(MAKE) -C $(TOP)/kmod $(if $(KDIR),KDIR=$(KDIR))
