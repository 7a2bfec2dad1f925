#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Test driver for tests/vm/*.vm: boots the rig with the scenario and prints its TAP.
# A scenario names extra host programs it needs in the guest on a "# bins:" line, and
# "# kernel: netdevsim" when it needs the kernel with netdevsim built in, "# kernel: 6.12"
# for Debian's 6.12 cloud kernel (bookworm-backports); "# scenario: NAME.vm" runs that
# scenario instead (its bins and host part too), on the kernel this file names. When
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
# A scenario may be another one run on another kernel: "# scenario: packet.vm".
body=$scenario
base=$(sed -n 's/^# scenario: *//p' "$scenario")
[ -n "$base" ] && body=$(dirname "$scenario")/$base
kernel=$(sed -n 's/^# kernel: *//p' "$scenario")
case $kernel in
netdevsim)
	# The path on stdout; what vm.sh says (a build it starts, or why it cannot) on stderr.
	why=$(mktemp "${TMPDIR:-/tmp}/dw-vmwhy.XXXXXX")
	DW_VM_KERNEL=$("$srcdir/scripts/vm.sh" netdevsim-kernel 2>"$why") ||
		{ msg=$(cat "$why"); rm -f "$why"; skip "$msg"; }
	sed 's/^/# /' "$why"
	rm -f "$why"
	export DW_VM_KERNEL ;;
6.12)
	# bookworm's qemu 7.2 (TCG) corrupts 6.12 guests in about half the boots.
	qv=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version \([0-9]*\).*/\1/p')
	[ "${qv:-0}" -ge 10 ] || skip "the 6.12 kernel needs qemu 10 (bookworm-backports; scripts/test.sh installs it), not $qv"
	DW_VM_FLAVOR=6.12
	export DW_VM_FLAVOR
	ver=$("$srcdir/scripts/vm.sh" fetch 6.12 2>&1) || skip "cannot get Debian's 6.12 cloud kernel: $ver" ;;
*)
	ver=$("$srcdir/scripts/vm.sh" fetch 2>&1) || skip "cannot get Debian's cloud kernel: $ver" ;;
esac

set --
for bin in $(sed -n 's/^# bins://p' "$body"); do
	path=$(command -v "$bin" 2>/dev/null) || skip "$bin is not installed (scripts/test.sh installs it)"
	set -- "$@" --bin "$path"
done

out=$(mktemp -d "${TMPDIR:-/tmp}/dw-vmtest.XXXXXX")
trap 'rm -rf "$out"' EXIT
finished() {
	grep -q '=== DW-SCENARIO-BEGIN' "$out/console" && grep -q '=== DW-SCENARIO-END' "$out/console"
}
# A boot that does not get through the scenario is tried once more, and said; it is never
# counted as a pass or a skip.
for attempt in 1 2; do
	rm -rf "$out/files"
	"$srcdir/scripts/vm.sh" run "$body" --bin "$builddir/src/dropwatch" \
		--bin "$builddir/src/dwdump" --bin "$builddir/tests/udpsend" --bin "$builddir/tests/udpsink" \
		--bin "$builddir/tests/dropzoo" --bin "$builddir/tests/tcptrouble" \
		--bin "$builddir/tests/ptydrive" \
		--bin "$builddir/tests/capdrop" --bin "$builddir/tests/dmstop" \
		--file /lib/terminfo/v/vt100:/lib/terminfo/v/vt100 "$@" \
		--outdir "$out/files" >"$out/console" 2>&1
	status=$?
	finished && break
	if [ $attempt = 1 ]; then
		echo "# boot 1 did not finish the scenario (vm.sh status $status); booting again. Its console ended:"
		tail -n 15 "$out/console" | sed 's/^/#   /'
	fi
done
# The TAP lines of the scenario (its plan is recounted below), then diagnostics.
awk '/=== DW-SCENARIO-BEGIN/ { on = 1; sub(/.*=== DW-SCENARIO-BEGIN */, ""); print "# kernel " $0; next }
     /=== DW-SCENARIO-END/ { on = 0; next }
     on && /^(ok |not ok |# )/ { print; next }' "$out/console" >"$out/tap"
cat "$out/tap"
if ! finished; then
	echo "Bail out! the VM did not finish the scenario twice (vm.sh status $status); console:"
	sed 's/^/# /' "$out/console" | tail -n 60
	exit 1
fi
TESTNO=$(grep -c -E '^(ok|not ok) ' "$out/tap")
host=${body%.vm}.host
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
