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
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		return 1
}

DW_BUILD_PKGS="build-essential autoconf automake pkgconf libnl-3-dev libnl-genl-3-dev
	libreadline-dev libpcap-dev libjson-c-dev linux-libc-dev"
DW_TEST_PKGS="libcmocka-dev qemu-system-x86 busybox-static cpio kmod gzip iproute2 tshark tcpdump jq python3-jsonschema bash-completion clang libclang-rt-14-dev valgrind"

# Builds in the source tree (configure once, make always).
dw_build() {
	if [ ! -x ./configure ] || [ configure.ac -nt ./configure ]; then
		autoreconf -fi || return 1
	fi
	if [ ! -f Makefile ] || [ ./configure -nt Makefile ]; then
		./configure ${DW_CONFIGURE_FLAGS:-} || return 1
	fi
	make -j"$(nproc)"
}
