# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by the scenarios that run inside the test VM (busybox sh). They print TAP;
# tests/vm/run.sh passes it to automake's tap-driver.

TESTNO=${TESTNO:-0}
export TZ=UTC

ok() { TESTNO=$((TESTNO + 1)); echo "ok $TESTNO - $*"; }
not_ok() { TESTNO=$((TESTNO + 1)); echo "not ok $TESTNO - $*"; }
diag() { sed 's/^/# /' "$@"; }
done_testing() { echo "1..$TESTNO"; }

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESCRIPTION GOT EXPECTED
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else not_ok "$1: got '$2', expected '$3'"; fi
}

# The kernel's own count of UDP datagrams to closed ports (Udp: NoPorts).
noports() { awk '/^Udp: / { if (seen) { print $3; exit } seen = 1 }' /proc/net/snmp; }

# wait_for FILE PATTERN [TENTHS]: wait until FILE holds a line matching PATTERN.
wait_for() {
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -ge "${3:-300}" ] && return 1
		sleep 0.1
	done
	return 0
}

# count FILE PATTERN...: the lines of FILE matching every PATTERN (fixed strings).
count() {
	f=$1
	shift
	cp "$f" sel 2>/dev/null || : >sel
	for p in "$@"; do grep -F -- "$p" sel >sel2; mv sel2 sel; done
	wc -l <sel | tr -d ' '
}

# wait_count FILE N PATTERN...: until FILE has N lines matching every PATTERN (30 s at most).
wait_count() {
	f=$1
	want=$2
	shift 2
	i=0
	while [ "$(count "$f" "$@")" -lt "$want" ]; do
		i=$((i + 1))
		[ "$i" -ge 300 ] && return 1
		sleep 0.1
	done
	return 0
}

# wait_exit PID [TENTHS]: wait for a background job to end; its status in $EXIT.
# A job still running then is killed (after WAIT_EXIT_HOOK, if set, looked at it).
wait_exit() {
	n=0
	while kill -0 "$1" 2>/dev/null; do
		n=$((n + 1))
		if [ "$n" -ge "${2:-300}" ]; then
			[ -n "${WAIT_EXIT_HOOK:-}" ] && $WAIT_EXIT_HOOK "$1"
			kill -9 "$1"
			wait "$1"
			EXIT=timeout
			return 1
		fi
		sleep 0.1
	done
	wait "$1"
	EXIT=$?
	return 0
}

# A second client's view: the kernel accepts a CONFIG only while nobody monitors.
monitor_is_off() { printf 'set queue 1000\n' | dropwatch -l none >/dev/null 2>&1; }

# Prints a file base64-encoded between markers; vm.sh --outdir writes it on the host.
vm_export() {
	echo "=== DW-FILE-BEGIN $1"
	base64 "$2"
	echo "=== DW-FILE-END"
}

# A witness of how the machine kept time for its programs: witness_start samples the
# guest's clock every 0.1 s in the background; witness_stop ends it and sets
# $WITNESS_GAP to the longest wait between two samples (seconds). A check whose count
# depends on wake-ups being on time holds its strict form only when that gap was short:
# a starved machine wakes everything late, and that is not the program's fault.
witness_start() {
	( while :; do cut -d' ' -f1 /proc/uptime; sleep 0.1; done ) >witness.ticks 2>/dev/null &
	WITNESS_PID=$!
}
witness_stop() {
	kill "$WITNESS_PID" 2>/dev/null
	wait "$WITNESS_PID" 2>/dev/null
	WITNESS_GAP=$(awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { printf "%.2f", m + 0 }' \
		witness.ticks)
}

# journey_check FILE PATH...: holds each drop's journey in FILE (kv records with
# journey=STEP:DEV:CPU:NS,...) against the scenario's topology, given as the paths
# packets take ("a>b,c>d": queued and sent on a, received on b, sent on c, received
# on d). A journey fits a path when each step lies on it, in its order: a transmit
# step (queue, xmit) on a device the path sends on, a receive step (backlog, gro, rx)
# on one it receives on, at a hop no earlier than the step before, each hop's steps in
# their order (queue before xmit; backlog, gro, rx) and none twice but a retried xmit;
# a delivery only after the path's last hop, and nothing but deliveries after it; the
# times never going back. Sets JC_TRACKED, JC_UNTRACKED and JC_BAD (journeys that fit
# no path, written to FILE.bad).
journey_check() {
	jc_file=$1
	shift
	set -- $(awk -v paths="$*" '
	function sub_of(k) { return k == "queue" || k == "backlog" ? 0 : k == "xmit" || k == "gro" ? 1 : 2 }
	function role(k) { return k == "queue" || k == "xmit" ? "tx" : k == "backlog" || k == "gro" || k == "rx" ? "rx" : "" }
	function fits(p, n,   s, at, pos, x, k, r, last, lastsub, delivered, t) {
		at = 1; pos = 0; delivered = 0; last = -1
		for (s = 1; s <= n; s++) {
			split(S[s], x, ":")
			k = x[1]; t = x[4] + 0
			if (t < last) return 0
			last = t
			if (s == n) return k == "drop" || k == "free"
			if (k == "deliver") {
				if (pos != plen[p]) return 0
				delivered = 1
				continue
			}
			r = role(k)
			if (delivered || r == "") return 0
			r = r ":" x[2]
			if (pos && path[p, pos] == r) {
				if (sub_of(k) < lastsub || (sub_of(k) == lastsub && k != "xmit")) return 0
			} else {
				for (at = pos + 1; at <= plen[p] && path[p, at] != r; at++)
					;
				if (at > plen[p]) return 0
				pos = at
			}
			lastsub = sub_of(k)
		}
		return 1
	}
	BEGIN {
		np = split(paths, P, " ")
		for (i = 1; i <= np; i++) {
			n = split(P[i], hop, ",")
			k = 0
			for (h = 1; h <= n; h++) {
				split(hop[h], td, ">")
				path[i, ++k] = "tx:" td[1]
				path[i, ++k] = "rx:" td[2]
			}
			plen[i] = k
		}
	}
	/^type=packet / {
		j = ""; tr = ""
		for (f = 2; f <= NF; f++) {
			if ($f ~ /^journey=/) j = substr($f, 9)
			else if ($f ~ /^journey_tracked=/) tr = substr($f, 17)
		}
		if (j == "") next
		if (tr != "true") { untracked++; next }
		tracked++
		n = split(j, S, ",")
		ok = 0
		for (i = 1; i <= np && !ok; i++) ok = fits(i, n)
		if (!ok) { bad++; print j > (FILENAME ".bad") }
	}
	END { printf "%d %d %d\n", tracked, untracked, bad }' "$jc_file")
	JC_TRACKED=$1
	JC_UNTRACKED=$2
	JC_BAD=$3
}
