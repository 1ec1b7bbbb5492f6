#!/usr/bin/env bash
# ./hvctl bundle CONFIG.dts -o FILE: builds a bundle (what the hypervisor
# runs, passed as its initrd) with dtc and validates it with the
# hypervisor's own parser (build/host/tools/bundle-check). See docs/bundle.md.
# /incbin/ paths are relative to the directory of CONFIG.dts.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
check=$top/build/host/tools/bundle-check

usage() {
	echo "usage: ./hvctl bundle CONFIG.dts -o FILE" >&2
	exit 2
}

dts="" out=""
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-h|--help) usage ;;
	-*) echo "hvctl bundle: unknown option $1" >&2; usage ;;
	*) [ -z "$dts" ] || usage; dts=$1; shift ;;
	esac
done
[ -n "$dts" ] && [ -n "$out" ] || usage
[ -f "$dts" ] || { echo "hvctl bundle: $dts: no such file" >&2; exit 1; }
command -v dtc >/dev/null || { echo "hvctl bundle: dtc not found (apt-get install device-tree-compiler, or ./hvctl setup)" >&2; exit 1; }

# The checker is built from the same sources as the hypervisor; make sure it
# is current (HV_NO_BUILD=1 skips this, for callers that just built it).
if [ -z "${HV_NO_BUILD:-}" ]; then
	(cd "$top" && scons -Q build/host/tools/bundle-check >/dev/null) ||
		{ echo "hvctl bundle: could not build $check" >&2; exit 1; }
fi

# Write next to the target, then move: a failed build never leaves a bad bundle behind.
tmp=$(mktemp "$(dirname "$out")/.bundle.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if ! dtc -q -I dts -O dtb -i "$(dirname "$dts")" -o "$tmp" "$dts"; then
	echo "hvctl bundle: dtc could not compile $dts" >&2
	exit 1
fi
if ! "$check" "$tmp"; then
	echo "hvctl bundle: $dts is not a valid bundle; $out not written" >&2
	exit 1
fi
chmod "$(printf '%o' $((0666 & ~$(umask))))" "$tmp"   # mktemp made it 0600
mv "$tmp" "$out"
echo "hvctl bundle: wrote $out"
