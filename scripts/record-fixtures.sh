#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Re-records tests/fixtures on the rig's real kernel (see tests/fixtures/README.md).
# Run from a built tree: scripts/record-fixtures.sh [nlmon|dwdump] [OUTDIR]
#   nlmon   (default) summary.pcap, packet.pcap, kallsyms-6.1, recorded.txt
#   dwdump  dwdump-packet.pcap (ours), dwdump15-packet.pcap (Debian's dwdump 1.5,
#           which must be installed: apt-get install dropwatch), recorded-dwdump.txt
#   format  kfree_skb-format-6.1 (the skb:kfree_skb tracepoint's format file) and the
#           TCP tracepoints' (tcp_retransmit_skb-format-6.1...) and the journey's
#           (netif_rx-format-6.1, consume_skb-format-6.1...); with DW_VM_FLAVOR=6.12,
#           the same from the 6.12 kernel
#   journey-tcp  journey-tcp-6.12.cpu0, .cpu1: the journey's events and the kprobes on the
#           frees while TCP runs both ways over a veth pair (tests/test-journey.c); the
#           kernel's version from DW_VM_FLAVOR (6.12: the fixtures' own)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
set=${1:-nlmon}
out=${2:-$top/tests/fixtures}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $set in
nlmon)
	"$top/scripts/vm.sh" run "$top/tests/fixtures/record.vm" --bin "$top/src/dropwatch" \
		--bin "$top/tests/udpsend" --bin "$(command -v tcpdump)" --bin "$(command -v ip)" \
		--file "$top/scripts/trim-kallsyms.sh:trim-kallsyms.sh" \
		--outdir "$tmp" >"$tmp/console" 2>&1 || { cat "$tmp/console"; exit 1; }
	files="summary.pcap packet.pcap kallsyms notes.txt"
	;;
dwdump)
	[ -x /usr/bin/dwdump ] || { echo "record-fixtures: Debian's dwdump 1.5 is not installed" >&2; exit 1; }
	cp /usr/bin/dwdump "$tmp/dwdump-1.5"
	"$top/scripts/vm.sh" run "$top/tests/fixtures/record-dwdump.vm" --bin "$top/src/dropwatch" \
		--bin "$top/src/dwdump" --bin "$tmp/dwdump-1.5" --bin "$top/tests/udpsend" \
		--bin "$(command -v tc)" --bin "$(command -v ip)" \
		--outdir "$tmp" >"$tmp/console" 2>&1 || { cat "$tmp/console"; exit 1; }
	files="dwdump-packet.pcap dwdump15-packet.pcap notes-dwdump.txt"
	;;
format)
	"$top/scripts/vm.sh" run "$top/tests/fixtures/record-format.vm" \
		--outdir "$tmp" >"$tmp/console" 2>&1 || { cat "$tmp/console"; exit 1; }
	files=""
	for e in kfree_skb tcp_retransmit_skb tcp_send_reset tcp_receive_reset netif_rx \
		netif_receive_skb net_dev_queue net_dev_xmit consume_skb skb_copy_datagram_iovec \
		net_dev_start_xmit napi_gro_receive_entry; do
		files="$files $e-format-${DW_VM_FLAVOR:-6.1}"
	done
	;;
journey-tcp)
	"$top/scripts/vm.sh" run "$top/tests/fixtures/record-journey-tcp.vm" \
		--bin "$top/tests/tcptrouble" --bin "$(command -v tc)" --bin "$(command -v ip)" \
		--bin "$(command -v ethtool)" \
		--outdir "$tmp" >"$tmp/console" 2>&1 || { cat "$tmp/console"; exit 1; }
	files="journey-tcp-${DW_VM_FLAVOR:-6.1}.cpu0 journey-tcp-${DW_VM_FLAVOR:-6.1}.cpu1"
	;;
*)
	echo "usage: $0 [nlmon|dwdump|format|journey-tcp] [OUTDIR]" >&2
	exit 2
	;;
esac
for f in $files; do
	[ -s "$tmp/$f" ] || { echo "record-fixtures: $f was not recorded" >&2; cat "$tmp/console"; exit 1; }
done
if [ "$set" = nlmon ]; then
	cp "$tmp/summary.pcap" "$tmp/packet.pcap" "$out/"
	# The guest keeps what the tests need from its symbol table (scripts/trim-kallsyms.sh).
	cp "$tmp/kallsyms" "$out/kallsyms-6.1"
	cp "$tmp/notes.txt" "$out/recorded.txt"
	echo "recorded into $out:"; cat "$out/recorded.txt"
elif [ "$set" = format ] || [ "$set" = journey-tcp ]; then
	for f in $files; do cp "$tmp/$f" "$out/"; echo "recorded $out/$f"; done
else
	cp "$tmp/dwdump-packet.pcap" "$tmp/dwdump15-packet.pcap" "$out/"
	cp "$tmp/notes-dwdump.txt" "$out/recorded-dwdump.txt"
	echo "recorded into $out:"; cat "$out/recorded-dwdump.txt"
fi
