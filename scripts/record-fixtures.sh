#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-records tests/fixtures on the rig's real kernel (see tests/fixtures/README.md).
# Run from a built tree: scripts/record-fixtures.sh [OUTDIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/tests/fixtures}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/vm.sh" run "$top/tests/fixtures/record.vm" --bin "$top/src/dropwatch" \
	--bin "$top/tests/udpsend" --bin "$(command -v tcpdump)" --bin "$(command -v ip)" \
	--file "$top/scripts/trim-kallsyms.sh:trim-kallsyms.sh" \
	--outdir "$tmp" >"$tmp/console" 2>&1 || { cat "$tmp/console"; exit 1; }
for f in summary.pcap packet.pcap kallsyms notes.txt; do
	[ -s "$tmp/$f" ] || { echo "record-fixtures: $f was not recorded" >&2; cat "$tmp/console"; exit 1; }
done
cp "$tmp/summary.pcap" "$tmp/packet.pcap" "$out/"
# The guest keeps what the tests need from its symbol table (scripts/trim-kallsyms.sh).
cp "$tmp/kallsyms" "$out/kallsyms-6.1"
cp "$tmp/notes.txt" "$out/recorded.txt"
echo "recorded into $out:"; cat "$out/recorded.txt"
