#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test driver for tests/vm/*.vm: boots the rig with the scenario and prints its TAP.
# A scenario names extra host programs it needs in the guest on a "# bins:" line, and
# "# kernel: netdevsim" when it needs the kernel with netdevsim built in. When
# tests/vm/NAME.host exists, it runs afterwards on the host with the files the guest
# exported (in $FILES) and continues the TAP numbering.
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
if grep -q '^# kernel: netdevsim' "$scenario"; then
	DW_VM_KERNEL=$("$srcdir/scripts/vm.sh" netdevsim-kernel 2>&1) || skip "$DW_VM_KERNEL"
	export DW_VM_KERNEL
else
	ver=$("$srcdir/scripts/vm.sh" fetch 2>&1) || skip "cannot get Debian's cloud kernel: $ver"
fi

set --
for bin in $(sed -n 's/^# bins://p' "$scenario"); do
	path=$(command -v "$bin" 2>/dev/null) || skip "$bin is not installed (scripts/test.sh installs it)"
	set -- "$@" --bin "$path"
done

out=$(mktemp -d "${TMPDIR:-/tmp}/dw-vmtest.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$srcdir/scripts/vm.sh" run "$scenario" --bin "$builddir/src/dropwatch" \
	--bin "$builddir/src/dwdump" --bin "$builddir/tests/udpsend" --bin "$builddir/tests/ptydrive" \
	--file /lib/terminfo/v/vt100:/lib/terminfo/v/vt100 "$@" \
	--outdir "$out/files" >"$out/console" 2>&1
status=$?
# The TAP lines of the scenario (its plan is recounted below), then diagnostics.
awk '/=== DW-SCENARIO-BEGIN/ { on = 1; sub(/.*=== DW-SCENARIO-BEGIN */, ""); print "# kernel " $0; next }
     /=== DW-SCENARIO-END/ { on = 0; next }
     on && /^(ok |not ok |# )/ { print; next }' "$out/console" >"$out/tap"
cat "$out/tap"
if ! grep -q '=== DW-SCENARIO-BEGIN' "$out/console" || ! grep -q '=== DW-SCENARIO-END' "$out/console"; then
	echo "Bail out! the VM did not finish the scenario (vm.sh status $status); console:"
	sed 's/^/# /' "$out/console" | tail -n 60
	exit 1
fi
TESTNO=$(grep -c -E '^(ok|not ok) ' "$out/tap")
host=${scenario%.vm}.host
if [ -f "$host" ]; then
	FILES=$out/files
	export FILES
	. "$srcdir/tests/vm/lib.sh"
	. "$host"
fi
echo "1..$TESTNO"
if [ -n "${DW_VM_KEEP:-}" ]; then
	mkdir -p "$DW_VM_KEEP" && cp -r "$out"/. "$DW_VM_KEEP"/
fi
exit 0
