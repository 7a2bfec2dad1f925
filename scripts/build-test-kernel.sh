#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds the test kernel for hardware drops: Linux 6.1 from Debian's linux-source-6.1,
# x86_64 defconfig plus drop_monitor, netdevsim, devlink, debugfs, the tc and veth bits
# and tracing, everything built in. About 10 minutes on 2 cores; needs root to install
# the build packages. The image goes where scripts/vm.sh netdevsim-kernel looks first:
# ${DW_VM_CACHE:-~/.cache/dropwatch-vm}/netdevsim-6.1.bzImage. tests/vm/hw.vm uses it.
set -euo pipefail
cache=${DW_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dropwatch-vm}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/deps.sh"
dw_install_missing linux-source-6.1 build-essential flex bison bc libelf-dev libssl-dev xz-utils

work=$(mktemp -d "${TMPDIR:-/tmp}/dw-kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
cd "$work"/linux-source-6.1
make -s x86_64_defconfig
scripts/config -e NET_DROP_MONITOR -e DEBUG_FS -e NETDEVSIM -e NET_DEVLINK -e DUMMY -e VETH \
	-e NET_SCH_INGRESS -e NET_CLS_ACT -e NET_CLS_FLOWER -e NET_ACT_GACT -e BLK_DEV_INITRD \
	-e DEVTMPFS -e DEVTMPFS_MOUNT -e KALLSYMS_ALL -e FTRACE -e ENABLE_DEFAULT_TRACERS \
	-e PERF_EVENTS -e NLMON -e PSAMPLE \
	-d DEBUG_INFO -d DEBUG_INFO_BTF -e DEBUG_INFO_NONE -d DRM -d SOUND -d USB_SUPPORT -d WLAN \
	-d WIRELESS -d CFG80211 -d MAC80211 -d HID -d INPUT_JOYSTICK -d AGP -d NFS_FS -d EFI \
	-d HIBERNATION -d SUSPEND -d ACPI_VIDEO
make -s olddefconfig
for opt in NET_DROP_MONITOR NETDEVSIM NET_DEVLINK; do
	grep -q "^CONFIG_$opt=y" .config || { echo "build-test-kernel: CONFIG_$opt is not built in" >&2; exit 1; }
done
make -s -j"$(nproc)" bzImage
mkdir -p "$cache"
cp arch/x86/boot/bzImage "$cache/netdevsim-6.1.bzImage.tmp"
mv "$cache/netdevsim-6.1.bzImage.tmp" "$cache/netdevsim-6.1.bzImage"
echo "built $cache/netdevsim-6.1.bzImage"
