#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what is missing (build and test rig), builds, and runs make check: the unit
# tests and the real-kernel scenarios under qemu. Prints "N passed, N failed, N skipped".
set -e
cd "$(dirname "$0")/.."
. scripts/deps.sh
dw_install_missing $DW_BUILD_PKGS $DW_TEST_PKGS
# The rig downloads Debian's cloud kernel with apt-get download: the package lists must exist.
if [ -z "$(ls /var/lib/apt/lists/*_Packages 2>/dev/null | head -n1)" ]; then
	apt-get update -q >/dev/null
fi
dw_build >/dev/null
status=0
make -j"$(nproc)" check || status=$?
for log in test-suite.log; do
	[ -f "$log" ] || continue
	awk '/^# PASS:/ { p = $3 } /^# (FAIL|ERROR|XPASS):/ { f += $3 } /^# SKIP:/ { s = $3 }
	     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
done
exit $status
