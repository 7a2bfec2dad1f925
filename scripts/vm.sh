#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real-kernel test rig: Debian's cloud kernel (NET_DM as a module) under qemu/TCG.
#
#   scripts/vm.sh fetch [6.1|6.12]
#       Download and unpack the kernel into the cache; print its version. 6.1 is
#       bookworm's cloud kernel, 6.12 bookworm-backports' (apt lists of our own in the cache).
#   scripts/vm.sh netdevsim-kernel
#       Print the path of the 6.1 image with netdevsim built in (for hardware drops):
#       $DW_NETDEVSIM_KERNEL, else the cache, else the test rig's shared kernels
#       (../shared/kernels next to the source tree, or /work/shared/kernels: a shortcut),
#       copied into the cache on first use; else built into the cache by
#       scripts/build-test-kernel.sh (about 10 minutes on 2 cores, once).
#   scripts/vm.sh run SCENARIO [--bin FILE]... [--file SRC:DEST]... [--outdir DIR]
#       Boot with a busybox initramfs holding the binaries (and the shared libraries
#       ldd names), drop_monitor and test modules, tests/vm/lib.sh and SCENARIO as
#       /scenario.sh; print the console. Files the scenario exports (vm_export) are
#       written to DIR.
#
# Environment:
#   DW_VM_CACHE    cache directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/dropwatch-vm)
#   DW_VM_KERNEL   boot this kernel image instead (everything built in, no modules)
#   DW_VM_FLAVOR   the cloud kernel to boot: 6.1 (default) or 6.12
#   DW_VM_TIMEOUT  seconds before the guest is killed (default 300)
#   DW_VM_MEM      guest memory in MiB (default 1024)
#   DW_VM_APPEND   the kernel's console options (default "quiet loglevel=1": "loglevel=7"
#                  shows its messages, for a guest that dies)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/.." && pwd)
cache=${DW_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dropwatch-vm}
modules="drop_monitor dummy veth nlmon sch_ingress cls_flower act_gact sch_tbf tun crc32c_generic libcrc32c nfnetlink nf_tables
	nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack nft_ct"
# The guest's random number source (qemu's virtio-rng device), where the kernel has it as
# a module: taken when found, else the guest makes its entropy itself (see /init).
rng_modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng"

die() { echo "vm.sh: $*" >&2; exit 1; }

# apt-get with bookworm-backports as its only source, in lists of our own under the cache:
# the system's sources are left as they are.
bpo_apt() {
	local dir="$cache/apt-bookworm-backports"
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb http://deb.debian.org/debian bookworm-backports main" >"$dir/sources.list"
	apt-get -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" "$@"
}

# Unpacks linux-image-cloud-amd64's kernel package into $cache/VERSION; prints VERSION.
# FLAVOR 6.1 (the default): bookworm's; 6.12: bookworm-backports'.
fetch() {
	local flavor=${1:-6.1} meta dep ver dir tmp current apt
	mkdir -p "$cache"
	case $flavor in
	6.1) current="$cache/current"; apt=apt-get ;;
	6.12) current="$cache/current-6.12"; apt=bpo_apt ;;
	*) die "no kernel flavor '$flavor' (6.1 or 6.12)" ;;
	esac
	if [ -f "$current" ] && [ -d "$cache/$(cat "$current")/boot" ]; then
		cat "$current"
		return
	fi
	command -v apt-get >/dev/null || die "apt-get is needed to download Debian's cloud kernel"
	if [ "$flavor" = 6.12 ]; then
		bpo_apt update >/dev/null 2>&1 || die "cannot read bookworm-backports' package lists"
	fi
	tmp=$(mktemp -d "$cache/dl.XXXXXX")
	(cd "$tmp" && $apt download linux-image-cloud-amd64 >/dev/null 2>&1) ||
		die "cannot download linux-image-cloud-amd64 ($flavor; run 'apt-get update' first?)"
	meta=$(ls "$tmp"/linux-image-cloud-amd64_*.deb)
	dep=$(dpkg-deb -f "$meta" Depends | grep -o 'linux-image-[0-9][^ ,]*-cloud-amd64' | head -n1)
	[ -n "$dep" ] || die "cannot tell which kernel linux-image-cloud-amd64 depends on"
	(cd "$tmp" && $apt download "$dep" >/dev/null 2>&1) || die "cannot download $dep"
	ver=${dep#linux-image-}
	case $flavor:$ver in
	6.1:6.1.* | 6.12:6.12.*) ;;
	*) die "linux-image-cloud-amd64 ($flavor) is $ver" ;;
	esac
	dir="$cache/$ver"
	rm -rf "$dir"
	dpkg-deb -x "$tmp/${dep}"_*.deb "$dir"
	depmod -b "$dir" "$ver"
	rm -rf "$tmp"
	echo "$ver" >"$current"
	echo "$ver"
}

# Copies FILE and the shared libraries it needs into the initramfs tree $1.
add_binary() {
	local root=$1 file=$2 lib
	install -D -m 0755 "$file" "$root/usr/local/bin/$(basename "$file")"
	for lib in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

run() {
	local scenario="" outdir="" bins=() files=() ver kernel initrd log arg
	while [ $# -gt 0 ]; do
		case $1 in
		--bin) bins+=("$2"); shift 2 ;;
		--file) files+=("$2"); shift 2 ;;
		--outdir) outdir=$2; shift 2 ;;
		*) scenario=$1; shift ;;
		esac
	done
	[ -f "$scenario" ] || die "no scenario file '$scenario'"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 is not installed"
	command -v busybox >/dev/null || die "busybox (busybox-static) is not installed"

	root=$(mktemp -d "${TMPDIR:-/tmp}/dw-vm.XXXXXX")
	chmod 0755 "$root"	# the guest's /: other users run programs too (exporter.vm)
	trap 'rm -rf "$root" "$root.cpio.gz" "$root.log"' EXIT
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,proc,sys,dev,tmp,run,etc,root}
	cp "$(readlink -f "$(command -v busybox)")" "$root/bin/busybox"
	for arg in $(busybox --list); do
		[ -e "$root/bin/$arg" ] || ln -s busybox "$root/bin/$arg"
	done
	for arg in ${bins[@]+"${bins[@]}"}; do add_binary "$root" "$arg"; done
	for arg in ${files[@]+"${files[@]}"}; do install -D -m 0644 "${arg%%:*}" "$root/${arg#*:}"; done
	install -m 0644 "$srcdir/tests/vm/lib.sh" "$root/lib.sh"
	install -m 0755 "$scenario" "$root/scenario.sh"

	if [ -n "${DW_VM_KERNEL:-}" ]; then
		kernel=$DW_VM_KERNEL
		[ -f "$kernel" ] || die "DW_VM_KERNEL: no file '$kernel'"
	else
		ver=$(fetch "${DW_VM_FLAVOR:-6.1}")
		kernel="$cache/$ver/boot/vmlinuz-$ver"
		for arg in $modules $rng_modules; do
			local ko rel
			ko=$(find "$cache/$ver/lib/modules/$ver" -name "$arg.ko*" | head -n1)
			if [ -z "$ko" ]; then
				case " $rng_modules " in *" $arg "*) continue ;; esac
				grep -q "/$arg.ko" "$cache/$ver/lib/modules/$ver/modules.builtin" 2>/dev/null ||
					die "module $arg not found in $ver"
				continue
			fi
			rel=${ko#"$cache/$ver/lib/modules/$ver/"}
			case $ko in
			*.ko.xz)	# busybox modprobe reads plain .ko only
				mkdir -p "$(dirname "$root/lib/modules/$ver/$rel")"
				xz -dc "$ko" >"$root/lib/modules/$ver/${rel%.xz}" ;;
			*) install -D -m 0644 "$ko" "$root/lib/modules/$ver/$rel" ;;
			esac
		done
		cp "$cache/$ver/lib/modules/$ver/modules.builtin"* "$root/lib/modules/$ver/" 2>/dev/null || true
		cp "$cache/$ver/lib/modules/$ver/modules.order" "$root/lib/modules/$ver/" 2>/dev/null || true
		depmod -b "$root" "$ver"
	fi

	cat >"$root/init" <<'INIT'
#!/bin/sh
export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts -o ptmxmode=0666 devpts /dev/pts
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
ip link set lo up
[ -d "/lib/modules/$(uname -r)" ] && modprobe drop_monitor
# The random pool ready before the scenario starts: otherwise the first program to read
# it (json-c seeds its hash tables from it) spends a second or more in the kernel's jitter
# entropy, in the middle of a test (seen as a table a second late). qemu's virtio-rng
# fills it at once where the kernel has the driver; elsewhere this read waits for it.
modprobe -a virtio_pci virtio-rng 2>/dev/null
head -c 1 /dev/random >/dev/null
echo "=== DW-SCENARIO-BEGIN $(uname -r)"
cd /tmp && sh /scenario.sh
echo "=== DW-SCENARIO-END rc=$?"
poweroff -f
INIT
	chmod 0755 "$root/init"
	initrd="$root.cpio.gz"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"
	log="$root.log"
	set +e
	timeout "${DW_VM_TIMEOUT:-300}" qemu-system-x86_64 -accel tcg -m "${DW_VM_MEM:-1024}" -smp 2 \
		-kernel "$kernel" -initrd "$initrd" -device virtio-rng-pci \
		-append "console=ttyS0 ${DW_VM_APPEND:-quiet loglevel=1} panic=-1 oops=panic" \
		-nographic -no-reboot </dev/null 2>&1 |
		sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r//g' | tee "$log"
	set -e
	rm -f "$initrd"
	if [ -n "$outdir" ]; then
		mkdir -p "$outdir"
		awk -v dir="$outdir" '
			/^=== DW-FILE-BEGIN / { name = $3; buf = ""; next }
			/^=== DW-FILE-END/ { if (name != "") { f = dir "/" name ".b64"; printf "%s", buf > f; close(f) } name = ""; next }
			name != "" { buf = buf $0 "\n" }' "$log"
		for arg in "$outdir"/*.b64; do
			[ -e "$arg" ] || continue
			base64 -d "$arg" >"${arg%.b64}" && rm -f "$arg"
		done
	fi
	rm -f "$log"
}

netdevsim_kernel() {
	local name=netdevsim-6.1.bzImage candidate
	if [ -n "${DW_NETDEVSIM_KERNEL:-}" ]; then
		[ -f "$DW_NETDEVSIM_KERNEL" ] || die "DW_NETDEVSIM_KERNEL: no file '$DW_NETDEVSIM_KERNEL'"
		echo "$DW_NETDEVSIM_KERNEL"
		return
	fi
	if [ -f "$cache/$name" ]; then
		echo "$cache/$name"
		return
	fi
	for candidate in "$srcdir/../shared/kernels/$name" /work/shared/kernels/$name; do
		if [ -f "$candidate" ]; then
			mkdir -p "$cache"
			cp "$candidate" "$cache/$name.tmp" && mv "$cache/$name.tmp" "$cache/$name"
			echo "$cache/$name"
			return
		fi
	done
	# None anywhere: build it (once; the image is kept in the cache, outside the tree).
	mkdir -p "$cache"
	echo "vm.sh: building the 6.1 kernel with netdevsim (about 10 minutes, once; log in $cache/netdevsim-build.log)" >&2
	if ! DW_VM_CACHE=$cache "$here/build-test-kernel.sh" >"$cache/netdevsim-build.log" 2>&1 ||
	   [ ! -f "$cache/$name" ]; then
		tail -n 20 "$cache/netdevsim-build.log" >&2
		die "no kernel with netdevsim, and building one failed (log: $cache/netdevsim-build.log); or set DW_NETDEVSIM_KERNEL"
	fi
	echo "$cache/$name"
}

case ${1:-} in
fetch) fetch "${2:-6.1}" ;;
netdevsim-kernel) netdevsim_kernel ;;
run) shift; run "$@" ;;
*) echo "usage: $0 fetch [6.1|6.12] | netdevsim-kernel | run SCENARIO [--bin FILE]... [--file SRC:DEST]... [--outdir DIR]" >&2; exit 2 ;;
esac
