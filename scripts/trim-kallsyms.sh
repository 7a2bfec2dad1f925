#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Keeps a small, still realistic part of a kallsyms file: every text symbol of every
# module, a window of core text symbols around the UDP receive path, and the core's first and
# last text symbols. Order is kept as the kernel gave it.
awk '
	$4 != "" { print; next }
	$2 !~ /^[tTwW]$/ { next }
	first == "" { first = NR; print; next }
	{ last = $0 }
	/ __udp4_lib_rcv$/ { keep = NR + 40; for (i = 40; i >= 1; i--) if (ring[(NR - i) % 40] != "") print ring[(NR - i) % 40] }
	NR <= keep { print; next }
	{ ring[NR % 40] = $0 }
	END { if (last != "") print last }
' "$1" | awk '!seen[$0]++'
