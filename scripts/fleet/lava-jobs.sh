#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lava-jobs.sh: what `make lava-jobs` runs. For each state x {stock,
# patches} x device type (x QEMU CPU), build (cached) the kernel and the
# suite's initramfs (the test bed's: scripts/vm/initramfs.sh), put them in
# $RESULTS/lava/artifacts/<source tag>/<state>-<patch>-<cpu>/ (upload that folder to
# where the lab can fetch it: LAVA_ARTIFACT_URL) and write the job
# definitions to $RESULTS/lava/jobs/. Submit them with
# `lavacli jobs submit <file>`, then `make lava-collect`.
#
#   LAVA_STATES        fragments (default: every arm64 state in configs/kernel/)
#   LAVA_PATCHES       none and patch numbers (default: none + every patch;
#                      a git tree: none B)
#   KERNEL             the source (scripts/kernel/source.sh; default mainline)
#   LAVA_DEVICE_TYPES  default: qemu (configs/lava/device-types.yaml)
#   LAVA_ARTIFACT_URL  default: file://$RESULTS/lava/artifacts/<tag> (a local
#                      dispatcher); a lab needs http(s)://...
#   LAVA_BUILD=0       write the jobs only (artifacts built elsewhere)
set -euo pipefail
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
RESULTS=${RESULTS:-$TOP/results}
PY=${SYSPYTHON:-/usr/bin/python3}
# one folder per source: artifacts of another KERNEL are never reused
tag=$("$TOP/scripts/kernel/tag.sh") || exit
art=$RESULTS/lava/artifacts/$tag
url=${LAVA_ARTIFACT_URL:-file://$art}
states=${LAVA_STATES:-$(cd "$TOP/configs/kernel" && ls arm64-*.config | sed 's/\.config$//')}
if [ -d "${KERNEL:-mainline}" ]; then
	patches=${LAVA_PATCHES:-none B}
else
	# shellcheck source=../vm/kernel.sh
	patches=${LAVA_PATCHES:-$(. "$TOP/scripts/vm/kernel.sh"; kern_patch_list | tr '\n' ' ')}
fi
types=${LAVA_DEVICE_TYPES:-qemu}

runs=()
for s in $states; do
	s=$(basename "$s" .config)
	[ -f "$TOP/configs/kernel/$s.config" ] || { echo "lava-jobs: no state $s in configs/kernel/" >&2; exit 2; }
	for p in $patches; do
		# the run spec (the patch per base) is kern_run's, in initramfs.sh
		case $p in
		none|B|[0-9][0-9][0-9][0-9]) ;;
		*) echo "lava-jobs: bad patch $p: none, B or a number in configs/patches/" >&2; exit 2 ;;
		esac
		pid=$([ "$p" = none ] && echo stock || echo "$p")
		for t in $types; do
			cpus=$("$PY" -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]]["cpus"]))' \
				"$TOP/configs/lava/device-types.yaml" "$t") ||
				{ echo "lava-jobs: unknown device type $t" >&2; exit 2; }
			for c in $cpus; do
				# without LPA2 the CPU changes nothing: one QEMU CPU is enough
				if [ "$c" = neoverse-n1 ] && ! grep -q '^CONFIG_ARM64_LPA2=y' "$TOP/configs/kernel/$s.config"; then
					continue
				fi
				runs+=("$s:$pid:$t:$c")
				d=$art/$s-$pid-$c
				if [ "${LAVA_BUILD:-1}" = 1 ] && [ ! -f "$d/.complete" ]; then
					read -r kernel work < <(INITRAMFS_NAME=lava-$s-$pid-$c \
						"$TOP/scripts/vm/initramfs.sh" "$TOP/configs/kernel/$s.config" "$p" "$c" || echo FAIL)
					[ "$kernel" != FAIL ] || exit 1
					rm -rf "$d" && mkdir -p "$d"
					cp "$kernel/arch/arm64/boot/Image" "$work/initramfs.cpio.gz" "$d/"
					touch "$d/.complete"
				fi
			done
		done
	done
done
PYTHONPATH=$TOP/analysis "$PY" -m gupb lava jobs --out "$RESULTS/lava/jobs" --artifacts "$url" "${runs[@]}"
