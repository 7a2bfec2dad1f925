#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what is missing (build and test rig), builds, and runs make check: the unit,
# golden and CLI tests, the fuzz harnesses, and the real-kernel scenarios under qemu.
# Then the unit, golden and CLI tests again, built by clang with AddressSanitizer and
# UBSan, and under valgrind. Prints "N passed, N failed, N skipped" for each pass.
set -e
cd "$(dirname "$0")/.."
. scripts/deps.sh
dw_install_missing $DW_BUILD_PKGS $DW_TEST_PKGS
# The rig downloads Debian's cloud kernel with apt-get download: the package lists must exist.
if [ -z "$(ls /var/lib/apt/lists/*_Packages 2>/dev/null | head -n1)" ]; then
	apt-get update -q >/dev/null
fi
dw_qemu10
dw_build >/dev/null
status=0

summary() {
	awk -v pass="$2" '/^# PASS:/ { p = $3 } /^# (FAIL|ERROR|XPASS):/ { f += $3 } /^# SKIP:/ { s = $3 }
	     END { printf "%s: %d passed, %d failed, %d skipped\n", pass, p, f, s }' "$1"
}

make -j"$(nproc)" check || status=$?
summary test-suite.log "make check"
# Every test program the suite has must have been built and run: one that vanished (a
# dependency configure did not find) is a failure, not a smaller count.
for t in tests/test-netdm tests/test-symbols tests/test-cli tests/test-capture tests/test-pktdecode \
	tests/test-view tests/test-tpformat tests/test-metrics tests/ptydrive tests/capdrop tests/dmstop \
	tests/fuzz/fuzz-netdm tests/fuzz/fuzz-capture \
	tests/fuzz/fuzz-kallsyms tests/fuzz/fuzz-format tests/fuzz/fuzz-pktdecode tests/fuzz/fuzz-tpformat tests/fuzz/fuzz-counters tests/test-counters tests/test-netns tests/test-tcpev \
	tests/test-journey; do
	if [ ! -x "$t" ]; then
		echo "make check: $t was not built (is its dependency installed? see config.log)"
		status=1
	fi
done

# The tests that need no VM, in a copy of the distributed tree built another way.
FAST_TESTS="tests/test-netdm tests/test-symbols tests/test-cli tests/test-capture
	tests/test-pktdecode tests/test-view tests/test-tpformat tests/replay.test tests/records.test tests/cli.test
	tests/trace.test tests/shell.test tests/completion.test tests/test-metrics tests/exporter.test
	tests/service.test tests/test-counters tests/counters.test tests/test-netns tests/test-tcpev
	tests/test-journey"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dw-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
make distdir distdir="$tmp/tree" >/dev/null

# pass NAME TESTS CONFIGURE-ARGS... : configure and build the copy, run TESTS (with $WRAP).
pass() {
	name=$1
	tests=$2
	shift 2
	rm -rf "$tmp/$name"
	cp -r "$tmp/tree" "$tmp/$name"
	(
		cd "$tmp/$name"
		./configure -q "$@" >/dev/null && make -j"$(nproc)" >/dev/null &&
			make -j"$(nproc)" check TESTS="$tests" LOG_COMPILER="$WRAP" \
				DW_WRAP="$WRAP" >"$tmp/$name.out" 2>&1
	) || { status=1; grep -E '^(FAIL|ERROR):' "$tmp/$name.out" || tail -n 30 "$tmp/$name.out"; }
	[ -f "$tmp/$name/test-suite.log" ] && summary "$tmp/$name/test-suite.log" "$name"
	return 0
}

WRAP="" pass asan-ubsan "$FAST_TESTS tests/bpf.test tests/tcp.test tests/journey.test tests/rules.test" CC=clang \
	--enable-sanitizers
# valgrind 3.19 reads DWARF 4, not the DWARF 5 that gcc 12 writes by default. It cannot
# follow bpf(2)'s attribute unions (libbpf leaves the fields a command ignores unset) and
# warns of the commands it does not know: this pass is built without the eBPF source, which
# the asan-ubsan pass covers.
WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	pass valgrind "$FAST_TESTS" CFLAGS="-g -O1 -gdwarf-4" --disable-bpf
exit $status
