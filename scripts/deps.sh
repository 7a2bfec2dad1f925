#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs what is missing, from Debian's archive: build dependencies, and with "test"
# also the test rig's packages. Sourced by run.sh and test.sh; needs root to install.
dw_install_missing() {
	missing=""
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $pkg"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
		return 1
	fi
	echo "installing:$missing" >&2
	apt-get update -q >/dev/null || return 1
	# The test rig's packages include servers (prometheus): installed, not started.
	policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		policy=/usr/sbin/policy-rc.d
		printf '#!/bin/sh\n# scripts/deps.sh: install services without starting them\nexit 101\n' >$policy
		chmod 0755 $policy
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
	st=$?
	[ -n "$policy" ] && rm -f "$policy"
	# ... nor started at the next boot: the tests start their own, on a port of their own.
	case " $missing " in
	*" prometheus "*)
		systemctl disable --quiet prometheus.service 2>/dev/null ||
			rm -f /etc/systemd/system/multi-user.target.wants/prometheus.service
		echo "prometheus is installed for the tests, neither started nor enabled" >&2 ;;
	esac
	return $st
}

# clang and bpftool build the eBPF source's program and its skeleton.
DW_BUILD_PKGS="build-essential autoconf automake pkgconf libnl-3-dev libnl-genl-3-dev
	libreadline-dev libpcap-dev libjson-c-dev libbpf-dev libmicrohttpd-dev libnftables-dev libnftnl-dev libmnl-dev
	linux-libc-dev
	clang bpftool"
DW_TEST_PKGS="libcmocka-dev qemu-system-x86 busybox-static cpio kmod gzip iproute2 ethtool nftables iptables tshark tcpdump jq python3-jsonschema bash-completion libclang-rt-14-dev valgrind
	prometheus curl systemd"

# What configure looks for besides the build's own libraries: the unit tests' cmocka,
# the fuzzers' and the eBPF program's clang, bpftool, bash-completion's and systemd's
# directories.
dw_probe() {
	for m in cmocka bash-completion systemd; do
		pkg-config --exists "$m" 2>/dev/null && echo "$m"
	done
	command -v clang clang-16 clang-15 clang-14 2>/dev/null || true
	PATH=$PATH:/usr/sbin:/sbin command -v bpftool 2>/dev/null || true
}

# Builds in the source tree: configure when the tree or what configure finds changed
# (test packages installed after a first build are taken in), make always. configure's
# output is kept in .dw-configure.log and shown only when it fails.
dw_build() {
	if [ ! -x ./configure ] || [ configure.ac -nt ./configure ]; then
		autoreconf -fi >.dw-configure.log 2>&1 || { cat .dw-configure.log >&2; return 1; }
	fi
	if [ ! -f Makefile ] || [ ./configure -nt Makefile ] ||
	   [ "$(dw_probe)" != "$(cat .dw-probe 2>/dev/null)" ]; then
		./configure ${DW_CONFIGURE_FLAGS:-} >.dw-configure.log 2>&1 ||
			{ cat .dw-configure.log >&2; return 1; }
		dw_probe >.dw-probe
	fi
	make -j"$(nproc)"
}

# The 6.12 kernel's scenarios need qemu 10: under bookworm's qemu 7.2 (TCG) its guests
# crash in about half the boots. On Debian 12 it comes from bookworm-backports, which is
# added to apt's sources for it (backports are installed only when asked for by name).
dw_qemu10() {
	local v
	v=$(qemu-system-x86_64 --version 2>/dev/null | sed -n '1s/^QEMU emulator version \([0-9]*\).*/\1/p')
	[ "${v:-0}" -ge 10 ] && return 0
	grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release || return 0
	grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ ||
		echo "deb http://deb.debian.org/debian bookworm-backports main" \
			>/etc/apt/sources.list.d/bookworm-backports.list
	echo "installing qemu-system-x86 from bookworm-backports (the 6.12 kernel's tests need qemu 10)"
	apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q -t bookworm-backports \
			qemu-system-x86 >/dev/null
}

