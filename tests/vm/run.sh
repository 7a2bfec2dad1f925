#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test driver for tests/vm/*.vm: boots the rig with the scenario and prints its TAP.
# Skips (TAP "1..0 # SKIP") when the rig cannot run here, except under CI=true,
# where a kernel test that cannot run is a failure.
scenario=$1
srcdir=${srcdir:-.}
builddir=${top_builddir:-.}

skip() {
	if [ "${CI:-}" = true ]; then
		echo "Bail out! kernel test cannot run in CI: $*"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 0
}

command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "qemu-system-x86_64 not installed (scripts/test.sh installs it)"
command -v busybox >/dev/null 2>&1 || skip "busybox-static not installed (scripts/test.sh installs it)"
[ -e /dev/kvm ] || [ -w /tmp ] || skip "no writable /tmp"
ver=$("$srcdir/scripts/vm.sh" fetch 2>&1) || skip "cannot get Debian's cloud kernel: $ver"

out=$(mktemp -d "${TMPDIR:-/tmp}/dw-vmtest.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$srcdir/scripts/vm.sh" run "$scenario" --bin "$builddir/src/dropwatch" \
	--bin "$builddir/tests/udpsend" --outdir "$out/files" >"$out/console" 2>&1
status=$?
# The TAP lines of the scenario, then everything else as diagnostics.
awk '/=== DW-SCENARIO-BEGIN/ { on = 1; sub(/.*=== DW-SCENARIO-BEGIN */, ""); print "# kernel " $0; next }
     /=== DW-SCENARIO-END/ { on = 0; next }
     on && /^(ok |not ok |1\.\.|# )/ { print; next }' "$out/console"
if ! grep -q '=== DW-SCENARIO-BEGIN' "$out/console" || ! grep -q '=== DW-SCENARIO-END' "$out/console"; then
	echo "Bail out! the VM did not finish the scenario (vm.sh status $status); console:"
	sed 's/^/# /' "$out/console" | tail -n 60
	exit 1
fi
if [ -n "${DW_VM_KEEP:-}" ]; then
	mkdir -p "$DW_VM_KEEP" && cp -r "$out"/. "$DW_VM_KEEP"/
fi
exit 0
