#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what is missing, builds, and runs dropwatch (default: dropwatch -l kas).
#   scripts/run.sh [DROPWATCH ARGUMENTS]
set -e
cd "$(dirname "$0")/.."
. scripts/deps.sh
dw_install_missing $DW_BUILD_PKGS
dw_build >/dev/null
[ $# -gt 0 ] || set -- -l kas
exec ./src/dropwatch "$@"
