# SPDX-License-Identifier: GPL-2.0
# progress.sh: sourced by the test-bed scripts. progress_start LABEL CMD
# prints, every PROGRESS_EVERY seconds (30) on stderr, the elapsed time and
# what CMD prints (one short line: objects built, the guest's last
# marker); progress_stop ends it. Plain lines, so CI logs stay readable.
progress_start() {
	local label=$1 cmd=$2
	(
		start=$(date +%s)
		while sleep "${PROGRESS_EVERY:-30}"; do
			echo "vm: $label: $(( $(date +%s) - start ))s, $(eval "$cmd" 2>/dev/null)" >&2
		done
	) &
	progress_pid=$!
}

# Safe under set -e: the ticker dies of SIGTERM (wait says 143).
progress_stop() {
	if [ -n "${progress_pid:-}" ]; then
		kill "$progress_pid" 2>/dev/null || true
		wait "$progress_pid" 2>/dev/null || true
	fi
	progress_pid=
	return 0
}
