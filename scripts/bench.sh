#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks against Debian's dropwatch 1.5.4, side by side in one boot of the rig's 6.1
# kernel (scripts/vm.sh): bursts of UDP drops against our dwdump and Debian's (pcap to
# tmpfs), our dropwatch and Debian's in packet and summary mode (output to a file). For
# each: drops the kernel made (Udp: NoPorts), drops the tool reported, user and system
# CPU seconds, peak RSS; and the ratios ours/theirs. Then the symbol benchmark on this
# machine's /proc/kallsyms and on the rig's (tests/bench-symbols).
#
#   scripts/bench.sh [--smoke] [--out FILE]
#     --smoke   small bursts (2 000): checks that it runs, measures nothing worth keeping
#     --out     results file (default bench-results.txt); BENCHMARKS.md is updated by hand
#
# Needs a built tree, Debian's dropwatch package (its dropwatch and dwdump) and GNU time.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
bursts="100000 1000000"
out=$top/bench-results.txt
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) bursts=2000; shift ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: $0 [--smoke] [--out FILE]" >&2; exit 2 ;;
	esac
done
dw_install_missing dropwatch time
for f in src/dropwatch src/dwdump tests/udpsend tests/bench-symbols; do
	[ -x "$top/$f" ] || { echo "bench: build first (make check builds tests/bench-symbols)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dw-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp /usr/bin/dropwatch "$tmp/dropwatch-1.5"
cp /usr/bin/dwdump "$tmp/dwdump-1.5"
echo "BURSTS=\"$bursts\"" >"$tmp/bench.conf"
DW_VM_TIMEOUT=${DW_VM_TIMEOUT:-3600} "$top/scripts/vm.sh" run "$top/scripts/bench.vm" \
	--bin "$top/src/dropwatch" --bin "$top/src/dwdump" --bin "$top/tests/udpsend" \
	--bin "$tmp/dropwatch-1.5" --bin "$tmp/dwdump-1.5" --bin /usr/bin/time \
	--file "$tmp/bench.conf:bench.conf" --outdir "$tmp/files" >"$tmp/console" 2>&1 || true
grep -q '^RESULT' "$tmp/console" || { echo "bench: the rig produced no results:" >&2; tail -n 40 "$tmp/console" >&2; exit 1; }
kernel=$(sed -n 's/.*=== DW-SCENARIO-BEGIN //p' "$tmp/console" | tr -d '\r')

{
	echo "# dropwatch benchmark, commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%d)"
	echo "# rig kernel $kernel under qemu/TCG; host $(uname -r); Debian dropwatch $(dpkg-query -W -f='${Version}' dropwatch)"
	echo
	echo "| tool | mode | burst | kernel drops | ours reported | 1.5 reported | ours CPU s | 1.5 CPU s | CPU ours/1.5 | ours RSS KiB | 1.5 RSS KiB |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	awk '/^RESULT/ {
		key = $2 " " $4 " " $5
		if (!(key in seen)) { order[n++] = key; seen[key] = 1 }
		kern[key, $3] = $6; rep[key, $3] = $7; cpu[key, $3] = $8 + $9; rss[key, $3] = $10
	}
	END {
		for (i = 0; i < n; i++) {
			k = order[i]; split(k, f, " ")
			ko = kern[k, "ours"]; kd = kern[k, "debian"]
			po = ko ? 100 * rep[k, "ours"] / ko : 0; pd = kd ? 100 * rep[k, "debian"] / kd : 0
			ratio = cpu[k, "debian"] > 0 ? sprintf("%.2f", cpu[k, "ours"] / cpu[k, "debian"]) : "-"
			printf "| %s | %s | %s | %s / %s | %s (%.1f%%) | %s (%.1f%%) | %.2f | %.2f | %s | %s | %s |\n",
				f[1], f[2], f[3], ko, kd, rep[k, "ours"], po, rep[k, "debian"], pd,
				cpu[k, "ours"], cpu[k, "debian"], ratio, rss[k, "ours"], rss[k, "debian"]
		}
	}' "$tmp/console"
	echo
	echo "Kernel drops are counted per run (ours / 1.5); CPU is user + system seconds of the whole run."
	echo
	echo "## Symbols"
	echo
	for ks in /proc/kallsyms "$tmp/files/kallsyms-rig"; do
		[ -f "$ks" ] || continue
		"$top/tests/bench-symbols" "$ks" 1000000 ${BENCH_RESCANS:-300} |
			sed "s|$tmp/files/kallsyms-rig|rig kallsyms ($kernel)|; s|^|    |"
		echo
	done
} | tee "$out"
echo "results in $out"
