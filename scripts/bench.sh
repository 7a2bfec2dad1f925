#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks against Debian's dropwatch 1.5.4, side by side in one boot of the rig's 6.1
# kernel (scripts/vm.sh): bursts of UDP drops against our dwdump and Debian's (pcap to
# tmpfs), our dropwatch and Debian's in packet and summary mode (output to a file). For
# each: drops the kernel made (Udp: NoPorts), drops the tool reported, user and system
# CPU seconds, peak RSS; and the ratios ours/theirs. Then the symbol benchmark on this
# machine's /proc/kallsyms and on the rig's (tests/bench-symbols). Last, on this
# machine's own kernel, the tracepoint source (--source trace) against
# `perf record -e skb:kfree_skb -a`, with and without call chains, on the same bursts; and
# the cost of the live prompt: the same run to a terminal with and without it.
# --exporter-only: the Prometheus exporter's CPU beside printing kv lines, on NET_DM in
# the rig and on this machine's tracepoint.
# --counters-only: what reading the kernel's counters for each table costs at -i 1, with
# this machine's links and with 200 veth pairs more.
# --netns-only: the network namespaces' table with 500 namespaces (each with lo and a veth
# whose peer is on the host): its start, a look for namespaces again (once a minute), an
# alert's attribution, and every namespace's counters read inside it.
# --sources-only: the sources side by side on each burst (default 100 000 and 1 000 000): NET_DM in
# summary and packet mode (in the rig), the tracepoint and the eBPF source in both modes,
# with call chains beside perf record -g (this machine); the reader's CPU, and the
# sender's, against a burst with nothing monitoring (scripts/bench-sources.vm).
# --tcp-only: the cost of TCP's tracepoints (dropwatch -m tcp) on a busy connection: a bulk
# transfer between two namespaces through a tbf qdisc that drops (so it retransmits),
# unmonitored, with dropwatch -m tcp, and with perf record of the same tracepoints.
# --journey-only: the cost of following skbs: a UDP burst through a veth pair to a closed
# port, unmonitored, with the tracepoint source (drops only), with --journey, with -m times,
# with the eBPF source without and with --journey, and with perf record of the same
# tracepoints (what perf's netdev-times reads).
# --journey-tcp-only: the cost of following skbs on TCP bulk, in the rig (6.1): both ways
# over a veth pair through a tbf, unmonitored, with --journey and -m times on the
# tracepoint and the eBPF source, by this build and by the build of --before REV (default
# d2e9c3b, the last that ended tracks by their age), three rounds interleaved
# (scripts/bench-journey-tcp.vm).
# --bpf-cost-only: what a drop costs the dropping path: with kernel.bpf_stats_enabled, the
# nanoseconds per drop of each of the eBPF source's programs (summary, packet, packet with
# --journey: the kfree_skb program, the journey's steps and frees) beside a floor program
# that only counts, compiled here (scripts/bench-floor.bpf.c, loaded by bench-floor.c), as
# a ratio to it; the sender's CPU per datagram, unmonitored and with each source; and each
# source's reader with nothing to read, its CPU over ten seconds (--idle-only: that part
# alone). On
# this machine and in the rig (6.1 and 6.12), by this build and the build of --before REV, three
# rounds (scripts/bench-bpf-cost.vm).
#
# --netdm-packet-only: NET_DM packet mode in the rig, 100 000 drops (or --bursts), text and
# kv, this build against the build of --bar REV (default 0ffc41e, the figure to hold) and
# Debian's dropwatch 1.5.4, two rounds interleaved (scripts/bench.vm).
#
# --rules-only: what --rules costs every packet while it traces: a flood of datagrams that the
# rules accept (to a closed port of another namespace over a veth pair), unmonitored, with
# the eBPF source's packet mode (its kernel filter keeps only NETFILTER_DROP), the same with
# --rules, and with nft monitor trace behind the same tracing rule; the sender's CPU per
# datagram (its receive runs in its softirq), the reader's CPU; three rounds, medians.
#
#   scripts/bench.sh [--smoke | --bursts 'N ...'] [--trace-only | --terminal-only |
#                    --exporter-only | --counters-only | --netns-only | --sources-only |
#                    --tcp-only | --journey-only | --journey-tcp-only | --bpf-cost-only |
#                    --idle-only | --netdm-packet-only | --rules-only] [--before REV] [--bar REV]
#                    [--out FILE]
#     --smoke       small bursts (2 000): checks that it runs, measures nothing worth keeping
#     --bursts      the burst sizes (default '100000 1000000')
#     --trace-only  only the parts on this machine's kernel (no rig boot)
#     --terminal-only  only the live prompt's part
#     --out         results file (default bench-results.txt); BENCHMARKS.md is updated by hand
#
# Needs a built tree, Debian's dropwatch package (its dropwatch and dwdump), GNU time,
# and linux-perf for the tracepoint part (installed when missing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/deps.sh"
bursts="100000 1000000"
out=$top/bench-results.txt
trace_only=false
terminal_only=false
exporter_only=false
counters_only=false
netns_only=false
sources_only=false
tcp_only=false
journey_only=false
journey_tcp_only=false
bpf_cost_only=false
netdm_packet_only=false
rules_only=false
idle_only=
before=d2e9c3b
bar=0ffc41e
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) bursts=2000; shift ;;
	--bursts) bursts=$2; shift 2 ;;
	--trace-only) trace_only=true; shift ;;
	--terminal-only) terminal_only=true; shift ;;
	--exporter-only) exporter_only=true; shift ;;
	--counters-only) counters_only=true; shift ;;
	--netns-only) netns_only=true; shift ;;
	--sources-only) sources_only=true; shift ;;
	--tcp-only) tcp_only=true; shift ;;
	--journey-only) journey_only=true; shift ;;
	--journey-tcp-only) journey_tcp_only=true; shift ;;
	--bpf-cost-only) bpf_cost_only=true; shift ;;
	--netdm-packet-only) netdm_packet_only=true; shift ;;
	--rules-only) rules_only=true; shift ;;
	--idle-only) bpf_cost_only=true; idle_only=1; shift ;;
	--bar) bar=$2; shift 2 ;;
	--before) before=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "usage: $0 [--smoke | --bursts 'N ...'] [--trace-only | --terminal-only | --exporter-only | --counters-only | --netns-only | --sources-only | --tcp-only | --journey-only | --journey-tcp-only | --bpf-cost-only | --idle-only | --netdm-packet-only | --rules-only] [--before REV] [--bar REV] [--out FILE]" >&2; exit 2 ;;
	esac
done
dw_install_missing dropwatch time linux-perf bc
for f in src/dropwatch src/dwdump tests/udpsend tests/bench-symbols tests/bench-counters tests/bench-netns tests/ptydrive; do
	[ -x "$top/$f" ] || { echo "bench: build first (make check builds tests/bench-symbols)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dw-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# An awk function, med(s): the median of the numbers in the string s (space separated).
AWK_MED='
function med(s,   n, a, i, j, t) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
	return a[int((n + 1) / 2)]
}
'

# rig_run SCENARIO OUT ARGS...: scripts/SCENARIO in the rig (scripts/vm.sh run, ARGS its
# --bin, --file and --outdir), its console in OUT; rig_kernel OUT: the kernel it booted.
rig_run() {
	local scen=$1 out=$2
	shift 2
	DW_VM_TIMEOUT=${DW_VM_TIMEOUT:-3600} "$top/scripts/vm.sh" run "$top/scripts/$scen" "$@" \
		>"$out" 2>&1 || true
}
rig_kernel() { sed -n 's/.*=== DW-SCENARIO-BEGIN //p' "$1" | tr -d '\r'; }

noports() { awk '/^Udp:/ { n++; if (n == 2) print $3 }' /proc/net/snmp; }

# trace_run NAME BURST COMMAND...: runs COMMAND (a tracepoint reader) under time(1),
# sends BURST datagrams to a closed port once it is ready, stops it with SIGTERM (a
# background job of a script starts with SIGINT ignored), and
# prints "KERNEL_DROPS USER_S SYS_S MAXRSS_KB SEND_S"; its output is in $tmp/NAME.*.
trace_run() {
	local name=$1 burst=$2 before after t0 t1 pid
	shift 2
	before=$(noports)
	/usr/bin/time -f '%U %S %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	sleep 2	# kallsyms and the rings (ours), perf's set-up
	t0=$(date +%s.%N)
	"$top/tests/udpsend" 127.0.0.1 9 "$burst"
	t1=$(date +%s.%N)
	sleep 1
	pkill -TERM -P $pid	# the reader, not time(1)
	wait $pid || true
	after=$(noports)
	echo "$((after - before)) $(tail -n 1 "$tmp/$name.time") $(echo "$t1 - $t0" | bc -l)"
}

# The tracepoint source on this machine's kernel, beside perf record.
trace_bench() {
	local b g r ours perf n lost
	echo "## Tracepoint source (this machine's kernel, $(uname -r)) against perf record"
	echo
	echo "| reader | call chains | burst | kernel drops | reported | lost | send rate /s | CPU s | drops per CPU s | RSS KiB |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	for b in $bursts; do
		for g in no yes; do
			local gopt="" popt=""
			[ $g = yes ] && gopt=-g && popt=-g
			# ours: packet mode, text to a file
			r=$(trace_run ours $b "$top/src/dropwatch" --source trace -l kas -m packet $gopt -o kv)
			set -- $r
			n=$(grep -c ' reason=NO_SOCKET ' "$tmp/ours.out" || true)
			lost=$(sed -n 's/.*in all, \([0-9]*\) drops were lost.*/\1/p' "$tmp/ours.err")
			printf '| dropwatch --source trace | %s | %s | %s | %s | %s | %.0f | %.2f | %.0f | %s |\n' \
				$g $b $1 $n "${lost:-0}" "$(echo "$b / $5" | bc -l)" "$(echo "$2 + $3" | bc -l)" \
				"$(echo "$n / ($2 + $3 + 0.001)" | bc -l)" $4
			# perf record, system-wide, to tmpfs
			r=$(trace_run perf $b perf record -q -e skb:kfree_skb -a $popt -o "$tmp/perf.data")
			set -- $r
			n=$(perf script -i "$tmp/perf.data" -F event,trace 2>/dev/null | grep -c 'NO_SOCKET' || true)
			lost=$(perf report -i "$tmp/perf.data" --stats 2>/dev/null | awk '/LOST_SAMPLES|LOST events/ { s += $NF } END { print s + 0 }')
			printf '| perf record -a | %s | %s | %s | %s | %s | %.0f | %.2f | %.0f | %s |\n' \
				$g $b $1 $n "${lost:-0}" "$(echo "$b / $5" | bc -l)" "$(echo "$2 + $3" | bc -l)" \
				"$(echo "$n / ($2 + $3 + 0.001)" | bc -l)" $4
			rm -f "$tmp/perf.data"
		done
	done
	echo
	echo "Reported: NO_SOCKET drops the reader delivered (other drops on the machine are left out);"
	echo "kernel drops: the Udp NoPorts delta over the run. perf's CPU excludes perf script,"
	echo "which it needs to print what ours prints as it goes."
}

# The live prompt's cost: the same packet-mode run printed to a terminal (tests/ptydrive),
# once typed at the prompt (which stays during the run, put away and back around each
# batch of alerts) and once from -e (no prompt). Each run lasts 20 s, the burst sent at
# its start; CPU is dropwatch's own (time(1)), the terminal's is not counted.
terminal_run() {
	local name=$1 burst=$2 live=$3 script
	local run="set alertmode packet; set duration 20; set ring 64m; start"
	script=$tmp/$name.script
	{
		if $live; then
			echo "prompt"
			echo "type ${run//; /\\r}\\r"
		fi
		echo "wait monitoring activated"
		echo "run $top/tests/udpsend 127.0.0.1 9 $burst >/dev/null"
		echo "sleep 19000"	# the terminal reads without looking: it keeps up
		echo "wait Duration of"
		$live && echo "prompt" && echo "type exit\\r"
		echo "exit 0"
	} >"$script"
	if $live; then
		set -- /usr/bin/time -f '%U %S %M' -o "$tmp/$name.time" "$top/src/dropwatch" -l kas \
			--source trace -o kv
	else
		set -- /usr/bin/time -f '%U %S %M' -o "$tmp/$name.time" "$top/src/dropwatch" -l kas \
			--source trace -o kv -e "$run"
	fi
	"$top/tests/ptydrive" -t 120 -o "$tmp/$name.screen" -- "$@" <"$script" >/dev/null \
		2>"$tmp/$name.err" ||
		{ echo "bench: $name did not run to its end:" >&2; head -n 5 "$tmp/$name.err" >&2; return 1; }
	# The table's total: the alerts printed.
	echo "$(tail -n 1 "$tmp/$name.time") $(sed -n 's/^type=table .*total=\([0-9]*\).*/\1/p' \
		"$tmp/$name.screen" | tail -n 1)"
}

terminal_bench() {
	local b live r
	echo "## The live prompt (this machine's kernel, $(uname -r)), packet mode to a terminal"
	echo
	echo "| prompt during the run | burst | drops printed | CPU s (user + system) | RSS KiB |"
	echo "|---|---|---|---|---|"
	for b in $bursts; do
		for live in false true; do
			r=$(terminal_run "term-$live" "$b" $live) || continue
			set -- $r
			printf '| %s | %s | %s | %.2f (%.2f + %.2f) | %s |\n' \
				"$($live && echo live || echo 'none (-e)')" "$b" "${4:-?}" \
				"$(echo "$1 + $2" | bc -l)" "$1" "$2" "$3"
		done
	done
	echo
	echo "The same kv lines reach the same terminal (tests/ptydrive, whose own CPU is not"
	echo "counted); the difference is the prompt kept on screen during the run."
}
# exp_trace_run NAME BURST ARGS...: our dropwatch on the tracepoint with ARGS, as exp_run in
# bench.vm: "KERNEL_DROPS REPORTED USER_S SYS_S MAXRSS_KB".
exp_trace_run() {
	local name=$1 burst=$2 before after pid reported port
	shift 2
	before=$(noports)
	/usr/bin/time -f '%U %S %M' -o "$tmp/$name.time" "$top/src/dropwatch" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	sleep 2
	"$top/tests/udpsend" 127.0.0.1 9 "$burst"
	sleep 2
	after=$(noports)
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$tmp/$name.err")
	if [ -n "$port" ]; then
		reported=$(curl -s "http://127.0.0.1:$port/metrics" |
			awk '/^dropwatch_drops_total\{origin="software",reason="NO_SOCKET"/ { n += $2 } END { print n + 0 }')
	else
		reported=$(grep -c ' reason=NO_SOCKET ' "$tmp/$name.out" || true)
	fi
	pkill -TERM -P $pid
	wait $pid || true
	echo "$((after - before)) $reported $(tail -n 1 "$tmp/$name.time")"
}

# One table row per run: "NAME SOURCE BURST KERNEL REPORTED USER SYS RSS".
exp_rows() {
	awk '{ cpu = $6 + $7; printf "| %s | %s | %s | %s | %s | %.2f (%.2f + %.2f) | %.0f | %s |\n",
		$1, $2, $3, $4, $5, cpu, $6, $7, $5 / (cpu + 0.001), $8 }'
}

exporter_bench() {
	local b r rows="$tmp/exp.rows"
	: >"$rows"
	echo "BURSTS=\"$bursts\"" >"$tmp/bench.conf"
	echo "EXPORTER_ONLY=1" >>"$tmp/bench.conf"
	rig_run bench.vm "$tmp/console" --bin "$top/src/dropwatch" --bin "$top/src/dwdump" \
		--bin "$top/tests/udpsend" --bin /usr/bin/time --file "$tmp/bench.conf:bench.conf"
	grep -q '^EXPRESULT' "$tmp/console" ||
		{ echo "bench: the rig produced no results:" >&2; tail -n 40 "$tmp/console" >&2; return 1; }
	awk '/^EXPRESULT/ { print $2, "NET_DM", $3, $4, $5, $6, $7, $8 }' "$tmp/console" | tr -d '\r' >>"$rows"
	if [ "$(id -u)" -eq 0 ]; then
		for b in $bursts; do
			r=$(exp_trace_run kv $b --source trace -l kas -m packet -o kv)
			echo "kv tracepoint $b $r" >>"$rows"
			r=$(exp_trace_run exporter $b --source trace -l kas --metrics 127.0.0.1:0 -q)
			echo "exporter tracepoint $b $r" >>"$rows"
			r=$(exp_trace_run exporter+labels $b --source trace -l kas --metrics 127.0.0.1:0 -q \
				--metrics-labels location)
			echo "exporter+labels tracepoint $b $r" >>"$rows"
		done
	fi
	echo "## The exporter's cost"
	echo
	echo "| run | source | burst | kernel drops | counted | CPU s (user + sys) | drops per CPU s | RSS KiB |"
	echo "|---|---|---|---|---|---|---|---|"
	exp_rows <"$rows"
	echo
	echo "kv: dropwatch -m packet --trunc 64 -o kv to a file (NET_DM), --source trace -m packet -o kv"
	echo "(tracepoint); exporter: --metrics -q (packet mode, --trunc 64 on NET_DM); +labels: with"
	echo "--metrics-labels device,location (NET_DM) or location (tracepoint). Counted: NO_SOCKET"
	echo "drops in the kv lines, or in dropwatch_drops_total read from the endpoint before the stop."
	echo "CPU ratios exporter/kv per source and burst:"
	awk 'BEGIN { n = 0 } { k = $2 " " $3; c = $6 + $7; if ($1 == "kv") kv[k] = c; else { r[n] = $1 " " k; v[n++] = c } }
	     END { for (i = 0; i < n; i++) { split(r[i], f, " "); k = f[2] " " f[3];
		   printf "- %s, %s, %s: %.2f\n", f[1], f[2], f[3], (kv[k] > 0 ? v[i] / kv[k] : 0) } }' "$rows"
	grep '^NOTE' "$tmp/console" | tr -d '\r' | sed 's/^NOTE /- said: /'
}

# counters_bench: what one table's section of the kernel's counters costs, as dropwatch
# builds it at each -i interval (tests/bench-counters: a snapshot of the /proc/net files
# and of the links and qdiscs over rtnetlink, the comparison, the text), with this
# machine's links as they are and with 200 veth pairs more (400 links, 400 qdiscs).
counters_bench() {
	local extra i
	echo "## The kernel's counters at -i 1"
	echo
	echo "On $(uname -r), 2000 tables each; CPU is user + system. At -i 1 a table a second"
	echo "costs the per-table CPU divided by a second."
	echo
	for extra in 0 200; do
		for i in $(seq 1 $extra); do ip link add "dwb${i}a" type veth peer name "dwb${i}b"; done
		echo "- $(ip -o link show | wc -l) links: $("$top/tests/bench-counters" 2000)"
		for i in $(seq 1 $extra); do ip link del "dwb${i}a"; done
	done
}

# The namespaces' table: with the machine as it is, then with N namespaces more.
netns_bench() {
	local n i
	echo "## Network namespaces"
	echo
	echo "On $(uname -r): the table's start, a look again (once a minute), an alert's"
	echo "attribution (1 000 000 lookups: lo, in every namespace, and eth0 settled by an"
	echo "address), and every namespace's counters read inside it (a run's start)."
	echo
	for n in 0 500; do
		for i in $(seq 1 $n); do
			ip netns add "dwb$i"
			ip link add "dwbh$i" type veth peer name eth0 netns "dwb$i"
			ip -n "dwb$i" link set lo up
			ip -n "dwb$i" addr add "10.$((76 + i / 250)).$((i % 250)).2/24" dev eth0
		done
		echo "- $((n + 1)) namespaces:"
		"$top/tests/bench-netns" 1000000 2>/dev/null | sed 's/^/    /'
		for i in $(seq 1 $n); do ip netns del "dwb$i"; done
	done
}

# tcp_run HOW: one bulk transfer of $tcp_secs s from dwbA to dwbB, HOW none, dropwatch or
# perf monitoring; prints "BYTES RETRANS_SEGS RETRANS_EVENTS MONITOR_CPU".
tcp_run() {
	local how=$1 mon= bytes segs events cpu=0
	NSTAT_HISTORY=$tmp/nstat ip netns exec dwbA nstat -n
	case $how in
	dropwatch)
		/usr/bin/time -f '%U %S' -o "$tmp/tcp.time" "$top/src/dropwatch" -m tcp -l none \
			-o kv -i 3600 >"$tmp/tcp.out" 2>"$tmp/tcp.err" &
		mon=$!
		until grep -q 'Kernel monitoring activated' "$tmp/tcp.err"; do sleep 0.1; done ;;
	perf)
		/usr/bin/time -f '%U %S' -o "$tmp/tcp.time" perf record -q -a -o "$tmp/perf.data" \
			-e tcp:tcp_retransmit_skb -e tcp:tcp_send_reset -e tcp:tcp_receive_reset \
			-e skb:kfree_skb >/dev/null 2>&1 &
		mon=$!
		sleep 1 ;;
	esac
	: >"$tmp/sink.out"
	ip netns exec dwbB "$top/tests/tcptrouble" sink 10.98.0.2 7100 >"$tmp/sink.out" &
	local sink=$!
	until grep -q ready "$tmp/sink.out"; do sleep 0.05; done
	bytes=$(ip netns exec dwbA /usr/bin/time -f '%U %S' -o "$tmp/send.time" \
		"$top/tests/tcptrouble" send 10.98.0.2 7100 "$tcp_secs" | sed -n 's/^sent //p')
	kill $sink; wait $sink 2>/dev/null || true
	segs=$(NSTAT_HISTORY=$tmp/nstat ip netns exec dwbA nstat -s -z TcpRetransSegs |
		awk '$1 == "TcpRetransSegs" { print $2 }')
	events=-
	if [ -n "$mon" ]; then
		# GNU time waits on: the signal goes to the monitor it runs.
		pkill -INT -P $mon; wait $mon 2>/dev/null || true
		# ("Command terminated by signal 2" first, where the monitor ended on it)
		cpu=$(tail -n 1 "$tmp/tcp.time" | awk '{ print $1 + $2 }')
	fi
	if [ "$how" = dropwatch ]; then
		events=$(sed -n 's/^type=table .* total=\([0-9]*\) .*/\1/p' "$tmp/tcp.out" | tail -n 1)
	fi
	echo "$bytes ${segs:-0} ${events:--} $cpu $(tail -n 1 "$tmp/send.time" | awk '{ print $1 + $2 }')"
}

# The cost of TCP's tracepoints on a busy connection, three runs of each, interleaved.
tcp_bench() {
	local i how
	tcp_secs=${TCP_SECS:-5}
	ip netns add dwbA
	ip netns add dwbB
	ip -n dwbA link add dwba type veth peer name dwbb netns dwbB
	ip -n dwbA addr add 10.98.0.1/24 dev dwba
	ip -n dwbB addr add 10.98.0.2/24 dev dwbb
	ip -n dwbA link set dwba up
	ip -n dwbB link set dwbb up
	# 200 Mbit/s with a short queue: it drops, and TCP retransmits.
	tc -n dwbA qdisc add dev dwba root tbf rate 200mbit burst 64kb limit 96kb
	echo "## TCP's tracepoints on a busy connection"
	echo
	echo "On $(uname -r): a ${tcp_secs} s bulk transfer between two namespaces through tbf (200 Mbit/s, a"
	echo "96 KiB queue that drops), unmonitored, with \`dropwatch -m tcp -i 3600\` (counting, its table"
	echo "at the end), and with \`perf record -a\` of the same four tracepoints. Three runs of"
	echo "each, interleaved."
	echo
	echo "| run | monitor | MB sent | / unmonitored | Tcp RetransSegs | events dropwatch read | monitor CPU s | sender CPU s | / unmonitored |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for i in 1 2 3; do
		for how in none dropwatch perf; do
			set -- $(tcp_run $how)
			echo "$i $how $*"
		done
	done | awk '$2 == "none" { base = $3; sbase = $7 }
		{ printf "| %s | %s | %.1f | %.3f | %s | %s | %.2f | %.2f | %.2f |\n", $1, $2, $3 / 1e6,
			base ? $3 / base : 0, $4, $5, $6, $7, sbase ? $7 / sbase : 0 }'
	ip netns del dwbA
	ip netns del dwbB
}

# journey_run HOW BURST: one burst of datagrams from dwjbA to a closed port of dwjbB, watched
# HOW (none, trace, journey, times, bpf, bpf-journey, perf): "kernel-drops reported lost monitor-cpu sender-cpu rss".
journey_run() {
	local how=$1 burst=$2 mon= cpu=0 rep=- lost=- rss=- drops
	NSTAT_HISTORY=$tmp/nstat.j ip netns exec dwjbB nstat -n
	case $how in
	trace|journey|times|bpf|bpf-journey)
		local args="--source trace -m packet"
		[ $how = journey ] && args="--source trace --journey -m packet"
		[ $how = times ] && args="--source trace -m times"
		[ $how = bpf ] && args="--source bpf -m packet"
		[ $how = bpf-journey ] && args="--source bpf --journey -m packet"
		/usr/bin/time -f '%U %S %M' -o "$tmp/j.time" "$top/src/dropwatch" -l none \
			$args -i 3600 -o kv >"$tmp/j.out" 2>"$tmp/j.err" </dev/null &
		mon=$!
		until grep -q 'Kernel monitoring activated' "$tmp/j.err"; do sleep 0.1; done ;;
	perf)
		/usr/bin/time -f '%U %S %M' -o "$tmp/j.time" perf record -q -a -o "$tmp/perf.data" \
			-e net:netif_rx -e net:netif_receive_skb -e net:net_dev_queue -e net:net_dev_xmit \
			-e skb:consume_skb -e skb:skb_copy_datagram_iovec -e skb:kfree_skb \
			>/dev/null 2>"$tmp/perf.err" &
		mon=$!
		sleep 1 ;;
	esac
	ip netns exec dwjbA /usr/bin/time -f '%U %S' -o "$tmp/send.time" \
		"$top/tests/udpsend" 10.97.9.2 9 "$burst"
	sleep 1
	drops=$(NSTAT_HISTORY=$tmp/nstat.j ip netns exec dwjbB nstat -s -z UdpNoPorts |
		awk '$1 == "UdpNoPorts" { print $2 }')
	if [ -n "$mon" ]; then
		pkill -INT -P $mon; wait $mon 2>/dev/null || true
		set -- $(tail -n 1 "$tmp/j.time")
		cpu=$(echo "$1 $2" | awk '{ print $1 + $2 }')
		rss=$3
	fi
	case $how in
	trace|journey|bpf|bpf-journey)
		# The drops of this burst: their journey (or, without one, all NO_SOCKET drops).
		rep=$(sed -n 's/^type=table .* total=\([0-9]*\) .*/\1/p' "$tmp/j.out" | tail -n 1)
		lost=$(sed -n 's/^type=table .* lost=\([0-9]*\) .*/\1/p' "$tmp/j.out" | tail -n 1) ;;
	times)
		rep=$(awk '$1 == "type=rx" && $2 == "dev=dwjbb" { for (i = 3; i <= NF; i++)
			if ($i ~ /^dropped=/) print substr($i, 9) }' "$tmp/j.out")
		# Lost in full rings, and not tracked (the tracker full): "lost+not_tracked".
		lost=$(sed -n 's/^type=times .* lost=\([0-9]*\) not_tracked=\([0-9]*\).*/\1+\2/p' \
			"$tmp/j.out") ;;
	perf)
		rep=$(perf script -i "$tmp/perf.data" 2>/dev/null | grep -c 'skb:kfree_skb' || true)
		lost=$(grep -o 'lost [0-9]* chunks' "$tmp/perf.err" | awk '{ s += $2 } END { print s + 0 }') ;;
	esac
	echo "${drops:-0} ${rep:--} ${lost:--} $cpu $(tail -n 1 "$tmp/send.time" | awk '{ print $1 + $2 }') $rss"
}

# The cost of journeys: each way of watching on the same bursts, three runs, interleaved.
journey_bench() {
	local i how b
	ip netns add dwjbA
	ip netns add dwjbB
	ip -n dwjbA link add dwjba type veth peer name dwjbb netns dwjbB
	ip -n dwjbA addr add 10.97.9.1/24 dev dwjba
	ip -n dwjbB addr add 10.97.9.2/24 dev dwjbb
	ip -n dwjbA link set dwjba up
	ip -n dwjbB link set dwjbb up
	ip -n dwjbA neigh replace 10.97.9.2 dev dwjba nud permanent \
		lladdr "$(ip -n dwjbB link show dwjbb | awk '/link\/ether/ { print $2 }')"
	echo "## Following skbs: journeys and times"
	echo
	echo "On $(uname -r): bursts of UDP datagrams from one namespace to a closed port of another over"
	echo "a veth pair (each dropped at __udp4_lib_rcv after queue, xmit, backlog, rx), unmonitored,"
	echo "with the tracepoint source (\`--source trace -m packet -q\`: drops only), with \`--journey\`,"
	echo "with \`-m times\`, the eBPF source without and with \`--journey\` (tracked in the kernel),"
	echo "and with \`perf record -a\` of the same seven tracepoints (what perf's"
	echo "netdev-times script reads; its report, a Python pass over the file, is not counted)."
	echo "Three runs of each, interleaved. Reported: drops in the table (trace, journey), drops"
	echo "counted on dwjbb (times), kfree_skb samples in perf.data (every drop of the machine)."
	echo
	echo "| burst | run | monitor | kernel drops | reported | lost | monitor CPU s | / trace | RSS KiB | sender CPU s | / unmonitored |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|"
	for b in $bursts; do
		for i in 1 2 3; do
			for how in none trace journey times bpf bpf-journey perf; do
				set -- $(journey_run $how $b)
				echo "$b $i $how $*"
			done
		done
	done | awk '$3 == "none" { sbase = $8 } $3 == "trace" { tbase = $7 }
		{ printf "| %s | %s | %s | %s | %s | %s | %.2f | %s | %s | %.2f | %s |\n", $1, $2, $3, $4,
			$5, $6, $7, ($3 != "none" && tbase > 0) ? sprintf("%.2f", $7 / tbase) : "-", $9,
			$8, (sbase > 0) ? sprintf("%.2f", $8 / sbase) : "-" }'
	ip netns del dwjbA
	ip netns del dwjbB
}

# rules_run HOW BURST: a burst from dwrbA to a closed port of dwrbB (whose input chain accepts
# it by a rule), watched HOW (none, bpf, rules, nft): "sender-cpu-s monitor-cpu-s".
rules_run() {
	local how=$1 burst=$2 mon= cpu=0
	case $how in
	bpf|rules)
		local args="--source bpf -m packet -f reason=NETFILTER_DROP"
		[ $how = rules ] && args="$args --rules"
		ip netns exec dwrbB /usr/bin/time -f '%U %S' -o "$tmp/r.time" "$top/src/dropwatch" \
			-l none $args -o kv >"$tmp/r.out" 2>"$tmp/r.err" </dev/null &
		mon=$!
		until grep -q 'Kernel monitoring activated' "$tmp/r.err"; do sleep 0.1; done ;;
	nft)
		printf '%s\n' 'table inet dwrbtrace {' \
			'	chain pre { type filter hook prerouting priority -2147483648; meta nftrace set 1; }' \
			'	chain out { type filter hook output priority -2147483648; meta nftrace set 1; }' \
			'}' | ip netns exec dwrbB nft -f -
		ip netns exec dwrbB /usr/bin/time -f '%U %S' -o "$tmp/r.time" nft monitor trace \
			>/dev/null 2>&1 &
		mon=$!
		sleep 1 ;;
	esac
	ip netns exec dwrbA /usr/bin/time -f '%U %S' -o "$tmp/rs.time" \
		"$top/tests/udpsend" 10.98.0.2 9 "$burst"
	sleep 1
	if [ -n "$mon" ]; then
		# (A background job of a script starts with SIGINT ignored: nft keeps it so.)
		pkill -TERM -P $mon; wait $mon 2>/dev/null || true
		cpu=$(tail -n 1 "$tmp/r.time" | awk '{ print $1 + $2 }')
	fi
	[ $how = nft ] && ip netns exec dwrbB nft delete table inet dwrbtrace
	echo "$(tail -n 1 "$tmp/rs.time" | awk '{ print $1 + $2 }') $cpu"
}

# The cost of --rules on a flood the rules accept, beside nft monitor trace.
rules_bench() {
	local i how b
	ip netns add dwrbA
	ip netns add dwrbB
	ip -n dwrbA link add dwrba type veth peer name dwrbb netns dwrbB
	ip -n dwrbA addr add 10.98.0.1/24 dev dwrba
	ip -n dwrbB addr add 10.98.0.2/24 dev dwrbb
	ip -n dwrbA link set dwrba up
	ip -n dwrbB link set dwrbb up
	ip -n dwrbA neigh replace 10.98.0.2 dev dwrba nud permanent \
		lladdr "$(ip -n dwrbB link show dwrbb | awk '/link\/ether/ { print $2 }')"
	printf '%s\n' 'table inet filter {' '	chain input {' \
		'		type filter hook input priority 0; policy accept;' \
		'		ip saddr 10.98.0.1 counter accept' '	}' '}' | ip netns exec dwrbB nft -f -
	echo "## What --rules costs: a flood the rules accept"
	echo
	echo "On $(uname -r), commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown): bursts of UDP datagrams from one"
	echo "namespace to a closed port of another over a veth pair, accepted there by a rule (then"
	echo "dropped as NO_SOCKET, which the eBPF program's reason filter leaves out in the kernel),"
	echo "unmonitored, with \`--source bpf -m packet -f reason=NETFILTER_DROP\`, the same with"
	echo "\`--rules\` (every packet traced), and with \`nft monitor trace\` behind the same tracing"
	echo "chains. The sender's CPU (user + system: the receive runs in its softirq) and the"
	echo "reader's; three rounds, interleaved, medians."
	echo
	echo "| burst | monitor | sender CPU s | sender ns per datagram | / unmonitored | reader CPU s |"
	echo "|---|---|---|---|---|---|"
	for b in $bursts; do
		for i in 1 2 3; do
			for how in none bpf rules nft; do
				echo "$b $how $(rules_run $how $b)"
			done
		done
	done | awk "$AWK_MED"'
		{ k = $1 " " $2; if (!(k in s)) order[n++] = k; s[k] = s[k] " " $3; r[k] = r[k] " " $4 }
		END {
			for (i = 0; i < n; i++) { split(order[i], f, " "); if (f[2] == "none") base[f[1]] = med(s[order[i]]) }
			for (i = 0; i < n; i++) {
				split(order[i], f, " "); m = med(s[order[i]])
				ratio = (base[f[1]] > 0) ? m / base[f[1]] : 0
				rd = (f[2] == "none") ? "-" : sprintf("%.2f", med(r[order[i]]))
				printf "| %s | %s | %.2f | %.0f | %.2f | %s |\n", f[1], f[2], m, m * 1e9 / f[1], ratio, rd
			}
		}'
	ip netns del dwrbA
	ip netns del dwrbB
}

# sources_table TITLE CONSOLE: bench-sources.vm's RESULT lines as a table, each reader's
# CPU against the tracepoint source's in the same mode (perf record -g: against the
# tracepoint source with -g), each sender's against nothing monitoring.
sources_table() {
	echo "## The sources on one burst: $1"
	echo
	echo "| source | mode | call chains | burst | kernel drops | reported | lost | reader CPU s | CPU / trace, same mode | RSS KiB | sender CPU s | sender / unmonitored |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
	awk 'BEGIN { n = 0 }
	/^RESULT/ {
		k = $5; cpu = $9 + $10; snd = $12 + $13
		if ($2 == "none") { base[k] = snd; next }
		if ($2 == "trace") tp[$3 "," $4 "," k] = cpu
		row[n] = $0; c[n] = cpu; sd[n] = snd; n++
	}
	END {
		for (i = 0; i < n; i++) {
			split(row[i], f, " ")
			m = (f[3] == "-") ? "packet" : f[3]
			t = tp[m "," f[4] "," f[5]]
			printf "| %s | %s | %s | %s | %s | %s | %s | %.2f (%.2f + %.2f) | %s | %s | %.2f | %s |\n",
				f[2], f[3], f[4], f[5], f[6], f[7], f[8], c[i], f[9], f[10],
				(t > 0) ? sprintf("%.2f", c[i] / t) : "-", f[11], sd[i],
				(base[f[5]] > 0) ? sprintf("%.2f", sd[i] / base[f[5]]) : "-"
		}
		for (k in base) printf "\nNothing monitoring, a burst of %s: the sender took %.2f CPU s.\n", k, base[k]
	}' "$2"
	if grep -q '^NOTE' "$2"; then
		echo
		echo "What the readers said about losses:"
		grep '^NOTE' "$2" | tr -d '\r' | sed 's/^NOTE /- /'
	fi
}

sources_bench() {
	# Every burst size: summary mode's reader CPU must not grow with it.
	local b=$bursts
	# This machine's kernel.
	(
		cd "$tmp" && DW_LIB=$top/tests/vm/lib.sh TIME=/usr/bin/time BURSTS=$b \
			PATH=$top/src:$top/tests:$PATH bash "$top/scripts/bench-sources.vm"
	) >"$tmp/sources-host" 2>&1
	sources_table "this machine ($(uname -r))" "$tmp/sources-host"
	echo
	# The rig's 6.1: NET_DM beside the others.
	echo "BURSTS='$b'" >"$tmp/bench.conf"
	rig_run bench-sources.vm "$tmp/sources-rig" --bin "$top/src/dropwatch" \
		--bin "$top/tests/udpsend" --bin /usr/bin/time --file "$tmp/bench.conf:bench.conf"
	sources_table "the rig ($(rig_kernel "$tmp/sources-rig"), qemu/TCG)" "$tmp/sources-rig"
}

# The build of $before as $tmp/dropwatch-before: 0, or 1 when it failed (said).
# build_rev REV NAME: the dropwatch of commit REV, built in a worktree, as $tmp/NAME.
build_rev() {
	[ -n "$1" ] || return 1
	[ -x "$tmp/$2" ] && return 0
	git -C "$top" worktree add -f "$tmp/$2.tree" "$1" >/dev/null 2>&1 &&
		(cd "$tmp/$2.tree" && autoreconf -fi && ./configure -q && make -j"$(nproc)") \
		>"$tmp/$2.log" 2>&1 &&
		cp "$tmp/$2.tree/src/dropwatch" "$tmp/$2"
	local st=$?
	git -C "$top" worktree remove -f "$tmp/$2.tree" >/dev/null 2>&1 || true
	[ $st = 0 ] || echo "(the build of $1 failed: see $tmp/$2.log; this build alone)" >&2
	return $st
}

build_before() { build_rev "$before" dropwatch-before; }

# The cost of following skbs on TCP bulk in the rig: this build, and the one of $before.
journey_tcp_bench() {
	local bins=(--bin "$top/src/dropwatch")

	build_before && bins+=(--bin "$tmp/dropwatch-before")
	rig_run bench-journey-tcp.vm "$tmp/journey-tcp" "${bins[@]}" --bin "$top/tests/tcptrouble" \
		--bin /usr/bin/time --bin "$(command -v ip)" --bin "$(command -v tc)"
	echo "## Following skbs on TCP bulk"
	echo
	echo "In the rig ($(rig_kernel "$tmp/journey-tcp"), qemu/TCG): two"
	echo "connections, one each way over a veth pair through a tbf (200 Mbit/s) that drops, for 3 s;"
	echo "this build (after) and the one of $before (before). Medians of three interleaved runs;"
	echo "the monitor's CPU is user + system, its ratio is after / before, the bytes' ratio is"
	echo "against nothing monitoring."
	echo
	echo "| watched by | build | bytes sent | / unmonitored | monitor CPU s | after / before | RSS KiB | sender CPU s | lost or forgotten |"
	echo "|---|---|---|---|---|---|---|---|---|"
	awk "$AWK_MED"'
	/^RESULT/ {
		k = $2 " " $3
		if (!(k in seen)) { seen[k] = 1; order[n++] = k }
		by[k] = by[k] " " $5; cpu[k] = cpu[k] " " ($6 + $7); rss[k] = rss[k] " " $8
		snd[k] = snd[k] " " ($9 + $10); lost[k] = lost[k] " " $11
	}
	END {
		base = med(by["none -"])
		for (i = 0; i < n; i++) {
			k = order[i]; split(k, f, " ")
			c = med(cpu[k]); b = med(cpu[f[1] " before"])
			ratio = (base > 0) ? med(by[k]) / base : 0
			cs = (f[1] == "none") ? "-" : sprintf("%.2f", c)
			cr = (f[2] == "after" && b > 0) ? sprintf("%.2f", c / b) : "-"
			rs = (f[1] == "none") ? "-" : med(rss[k])
			ls = (f[1] == "none") ? "-" : med(lost[k])
			printf "| %s | %s | %d | %.2f | %s | %s | %s | %.2f | %s |\n", f[1], f[2], med(by[k]),
				ratio, cs, cr, rs, med(snd[k]), ls
		}
	}' "$tmp/journey-tcp"
	echo
	echo "The runs (RESULT HOW BUILD ROUND BYTES MON_USER MON_SYS MON_RSS SEND_USER SEND_SYS LOST):"
	echo
	grep '^RESULT' "$tmp/journey-tcp" | tr -d '\r' | sed 's/^/    /'
	if grep -q '^NOTE' "$tmp/journey-tcp"; then
		echo
		echo "What the monitors said (first lines):"
		grep '^NOTE' "$tmp/journey-tcp" | tr -d '\r' | sort -u | head -n 20 | sed 's/^NOTE /- /'
	fi
}

# cost_table TITLE FILE: bench-bpf-cost.vm's lines as tables: each program's ns per drop
# against the floor's of the same round (medians of the rounds), and the sender's CPU.
cost_table() {
	echo "### $1"
	echo
	grep -q '^SEND' "$2" && {
	echo "| watched by | build | program | runs per drop | ns per run | / floor |"
	echo "|---|---|---|---|---|---|"
	awk "$AWK_MED"'
	/^SEND/ { n[$4] = $5; next }
	/^PROG/ && $7 > 0 && $6 > 0 {
		k = $2 " " $3 " " $5
		if (!(k in seen)) { seen[k] = 1; order[m++] = k }
		ns = $7 / $6
		per[k] = per[k] " " ns; runs[k] = runs[k] " " ($6 / n[$4])
		if ($2 == "floor") fl = fl " " ns
	}
	END {
		f = med(fl)
		for (i = 0; i < m; i++) {
			split(order[i], x, " ")
			r = med(per[order[i]])
			q = (f > 0) ? sprintf("%.2f", r / f) : "-"
			printf "| %s | %s | %s | %.2f | %.0f | %s |\n", x[1], x[2], x[3], med(runs[order[i]]), r, q
		}
	}' "$2"
	echo
	echo "| watched by | build | sender CPU ns per datagram | / unmonitored |"
	echo "|---|---|---|---|"
	awk "$AWK_MED"'
	/^SEND/ {
		k = $2 " " $3
		if (!(k in seen)) { seen[k] = 1; order[m++] = k }
		v[k] = v[k] " " (($6 + $7) * 1e9 / $5)
	}
	END {
		b = med(v["none -"])
		for (i = 0; i < m; i++) {
			split(order[i], x, " ")
			r = med(v[order[i]])
			q = (b > 0) ? sprintf("%.2f", r / b) : "-"
			printf "| %s | %s | %.0f | %s |\n", x[1], x[2], r, q
		}
	}' "$2"
	echo
	}
	if grep -q '^IDLE' "$2"; then
		echo "| reader with nothing to read | build | CPU seconds over the window |"
		echo "|---|---|---|"
		awk "$AWK_MED"'
		/^IDLE/ && NF >= 7 {
			k = $2 " " $3
			if (!(k in seen)) { seen[k] = 1; order[m++] = k }
			v[k] = v[k] " " ($6 + $7); secs = $5
		}
		END {
			for (i = 0; i < m; i++) {
				split(order[i], x, " ")
				printf "| %s (%s s) | %s | %.3f |\n", x[1], secs, x[2], med(v[order[i]])
			}
		}' "$2"
		echo
	fi
	if grep -q '^REFUSED' "$2"; then
		echo
		echo "Refused to start (no rows above):"
		echo
		grep '^REFUSED' "$2" | tr -d '\r' | awk '{ k = $2 " " $3 } !(k in s) { s[k] = 1; print }' |
			sed 's/^REFUSED /- /'
	fi
	echo
	echo "The runs:"
	echo
	grep -E '^(PROG|SEND|IDLE)' "$2" | tr -d '\r' | sed 's/^/    /'
}

# What a drop costs, with the floor program compiled here: this machine, then the rig.
bpf_cost_bench() {
	local bins=(--bin "$top/src/dropwatch") mult
	mult=$(gcc -print-multiarch 2>/dev/null || true)

	clang -O2 -g -target bpf ${mult:+-idirafter /usr/include/$mult} \
		-c "$top/scripts/bench-floor.bpf.c" -o "$tmp/floor.o" &&
		gcc -O2 "$top/scripts/bench-floor.c" -lbpf -o "$tmp/bench-floor" &&
		gcc -O2 "$top/scripts/bench-cputime.c" -o "$tmp/bench-cputime" ||
		{ echo "bench.sh: cannot build the floor program (clang, libbpf-dev)" >&2; return 1; }
	build_before && bins+=(--bin "$tmp/dropwatch-before")
	echo "## What a drop costs: the eBPF source's programs beside a floor"
	echo
	echo "\`scripts/bench.sh --bpf-cost-only\`: 300 000 datagrams to a closed port on loopback per"
	echo "run, with \`kernel.bpf_stats_enabled\`; ns per run of each program is its run time over"
	echo "its run count, the floor a \`tp_btf/kfree_skb\` program that increments one per-CPU"
	echo "counter (scripts/bench-floor.bpf.c); medians of three rounds; this build (after) and the"
	echo "one of $before (before)."
	echo
	(
		cd "$tmp" && DW_LIB=$top/tests/vm/lib.sh TIME=/usr/bin/time FLOOR_OBJ=$tmp/floor.o \
			IDLE_ONLY=$idle_only PATH=$tmp:$top/src:$top/tests:$PATH \
			bash "$top/scripts/bench-bpf-cost.vm"
	) >"$tmp/cost-host" 2>&1
	cost_table "This machine ($(uname -r))" "$tmp/cost-host"
	echo
	printf "SOURCES='trace bpf netdm'\nIDLE_ONLY=%s\n" "$idle_only" >"$tmp/bench.conf"
	for flavor in 6.1 6.12; do
		DW_VM_FLAVOR=$flavor rig_run bench-bpf-cost.vm "$tmp/cost-rig" "${bins[@]}" \
			--bin "$top/tests/udpsend" --bin "$tmp/bench-floor" --bin "$tmp/bench-cputime" \
			--bin /usr/bin/time --bin "$(PATH=$PATH:/usr/sbin command -v bpftool)" \
			--file "$tmp/floor.o:floor.o" --file "$tmp/bench.conf:bench.conf"
		cost_table "The rig ($(rig_kernel "$tmp/cost-rig"), qemu/TCG)" "$tmp/cost-rig"
		echo
	done
}

# NET_DM packet mode, text and kv: this build, the one of $bar and 1.5.4, in one boot.
netdm_packet_bench() {
	local bins=(--bin "$top/src/dropwatch" --bin "$tmp/dropwatch-1.5")

	cp /usr/bin/dropwatch "$tmp/dropwatch-1.5"
	build_rev "$bar" dropwatch-bar && bins+=(--bin "$tmp/dropwatch-bar")
	printf 'BURSTS="%s"\nNETDM_PACKET_ONLY=1\nROUNDS=2\n' "$1" >"$tmp/bench.conf"
	rig_run bench.vm "$tmp/netdm-packet" "${bins[@]}" --bin "$top/src/dwdump" \
		--bin "$top/tests/udpsend" --bin /usr/bin/time --file "$tmp/bench.conf:bench.conf"
	echo "## NET_DM packet mode: this build, $bar's and 1.5.4's"
	echo
	echo "In the rig ($(rig_kernel "$tmp/netdm-packet"), qemu/TCG): a"
	echo "burst to a closed port, \`dropwatch -l kas\` with \`set alertmode packet\`, the output to a file."
	echo "CPU is user + system seconds of the whole run, the median of the rounds; the ratios are"
	echo "this build's CPU against $bar's (the bar: no dearer) and against 1.5.4's (text)."
	echo
	echo "| build | output | burst | kernel drops | reported | CPU s | output MB | / $bar | / 1.5.4 |"
	echo "|---|---|---|---|---|---|---|---|---|"
	awk "$AWK_MED"'
	/^RESULT dropwatch / {
		k = $3 " " $4 " " $5
		if (!(k in seen)) { seen[k] = 1; order[m++] = k }
		cpu[k] = cpu[k] " " ($8 + $9); kern[k] = kern[k] " " $6; rep[k] = rep[k] " " $7
		mb[k] = mb[k] " " ($11 / 1e6)
	}
	END {
		for (i = 0; i < m; i++) {
			split(order[i], x, " ")
			c = med(cpu[order[i]])
			b = med(cpu["bar " x[2] " " x[3]]); d = med(cpu["debian packet " x[3]])
			out = (x[2] == "packet") ? "text" : "kv"
			rb = (b > 0) ? sprintf("%.2f", c / b) : "-"
			rd = (d > 0) ? sprintf("%.2f", c / d) : "-"
			printf "| %s | %s | %s | %s | %s | %.2f | %.1f | %s | %s |\n", x[1], out, x[3],
				med(kern[order[i]]), med(rep[order[i]]), c, med(mb[order[i]]), rb, rd
		}
	}' "$tmp/netdm-packet"
	echo
	echo "The runs (RESULT TOOL BUILD MODE BURST KERNEL_DROPS REPORTED USER_S SYS_S RSS_KB BYTES):"
	echo
	grep -E '^(RESULT|NOTE)' "$tmp/netdm-packet" | tr -d '\r' | sed 's/^/    /'
}

if $netdm_packet_only; then
	nb=$bursts
	[ "$nb" = "100000 1000000" ] && nb=100000	# the issue's burst, not the default pair
	netdm_packet_bench "$nb" | tee "$out"
	echo "results in $out"
	exit 0
fi
if $bpf_cost_only; then
	bpf_cost_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $rules_only; then
	rules_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $journey_tcp_only; then
	journey_tcp_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $journey_only; then
	journey_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $tcp_only; then
	tcp_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $sources_only; then
	sources_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $netns_only; then
	netns_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $counters_only; then
	counters_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $exporter_only; then
	exporter_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $terminal_only; then
	terminal_bench | tee "$out"
	echo "results in $out"
	exit 0
fi
if $trace_only; then
	{ trace_bench; echo; terminal_bench; } | tee "$out"
	echo "results in $out"
	exit 0
fi

cp /usr/bin/dropwatch "$tmp/dropwatch-1.5"
cp /usr/bin/dwdump "$tmp/dwdump-1.5"
echo "BURSTS=\"$bursts\"" >"$tmp/bench.conf"
rig_run bench.vm "$tmp/console" --bin "$top/src/dropwatch" --bin "$top/src/dwdump" \
	--bin "$top/tests/udpsend" --bin "$tmp/dropwatch-1.5" --bin "$tmp/dwdump-1.5" --bin /usr/bin/time \
	--file "$tmp/bench.conf:bench.conf" --outdir "$tmp/files"
grep -q '^RESULT' "$tmp/console" || { echo "bench: the rig produced no results:" >&2; tail -n 40 "$tmp/console" >&2; exit 1; }
kernel=$(rig_kernel "$tmp/console")

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
		split_[key, $3] = sprintf("%.2f (%.2f + %.2f)", $8 + $9, $8, $9)
	}
	END {
		for (i = 0; i < n; i++) {
			k = order[i]; split(k, f, " ")
			ko = kern[k, "ours"]; kd = kern[k, "debian"]
			po = ko ? 100 * rep[k, "ours"] / ko : 0; pd = kd ? 100 * rep[k, "debian"] / kd : 0
			ratio = cpu[k, "debian"] > 0 ? sprintf("%.2f", cpu[k, "ours"] / cpu[k, "debian"]) : "-"
			printf "| %s | %s | %s | %s / %s | %s (%.1f%%) | %s (%.1f%%) | %s | %s | %s | %s | %s |\n",
				f[1], f[2], f[3], ko, kd, rep[k, "ours"], po, rep[k, "debian"], pd,
				split_[k, "ours"], split_[k, "debian"], ratio, rss[k, "ours"], rss[k, "debian"]
		}
	}' "$tmp/console"
	echo
	echo "Kernel drops are counted per run (ours / 1.5); CPU is user + system seconds of the whole"
	echo "run, (user + system) in parentheses."
	if grep -q '^NOTE' "$tmp/console"; then
		echo
		echo "What the tools said about losses on standard error:"
		grep '^NOTE' "$tmp/console" | tr -d '\r' | sed 's/^NOTE /- /'
	fi
	echo
	echo "## Symbols"
	echo
	for ks in /proc/kallsyms "$tmp/files/kallsyms-rig"; do
		[ -f "$ks" ] || continue
		"$top/tests/bench-symbols" "$ks" 1000000 ${BENCH_RESCANS:-300} |
			sed "s|$tmp/files/kallsyms-rig|rig kallsyms ($kernel)|; s|^|    |"
		echo
	done
	# root, on a kernel with tracefs (dropwatch mounts it when it is not mounted)
	if [ "$(id -u)" -eq 0 ] && [ -d /sys/kernel/tracing ]; then
		trace_bench
		echo
		terminal_bench
	fi
	echo
	exporter_bench
	if [ "$(id -u)" -eq 0 ] && [ -d /sys/kernel/tracing ]; then
		echo
		counters_bench
	fi
} | tee "$out"
echo "results in $out"
