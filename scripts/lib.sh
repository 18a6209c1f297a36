# SPDX-License-Identifier: GPL-2.0
# Shared by the scripts in this folder; sourced, not run.

XTCP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xtcp}
mkdir -p "$XTCP_CACHE"

log() { printf '[xtcp] %s\n' "$*" >&2; }
die() { printf '[xtcp] error: %s\n' "$*" >&2; exit 1; }

# The release string of each stock kernel, newest meta package first.
stock_releases() {
	local meta
	for meta in linux-headers-amd64 linux-headers-6.12-amd64; do
		apt-cache depends --installed "$meta" 2>/dev/null |
			awk '/Depends: linux-headers-/ {sub("linux-headers-", "", $2); print $2; exit}'
	done
}

# A flavour names a kernel to build for and boot: debug (the project's
# KUnit/KASAN kernel), 6.1 or 6.12 (Debian's stock kernels).
stock_release() {
	case $1 in
	6.1) stock_releases | sed -n 1p ;;
	6.12) stock_releases | sed -n 2p ;;
	*) die "unknown flavour $1" ;;
	esac
}

kdir_of() {
	case $1 in
	debug) "$XTCP_TOP/scripts/kernel" ;;
	*) echo "/usr/src/linux-headers-$(stock_release "$1")" ;;
	esac
}

image_of() {
	case $1 in
	debug) echo "$(kdir_of debug)/arch/x86/boot/bzImage" ;;
	*) echo "$XTCP_CACHE/stock/$(stock_release "$1")/vmlinuz" ;;
	esac
}
