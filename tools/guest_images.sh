#!/usr/bin/env bash
# Prepares the Linux guest images under ${HV_CACHE:-<repo>/cache}/guests/:
#
#   vmlinux              Debian 12's ppc64el kernel (ELF), from linux-image-6.1.0-NN-powerpc64le
#   kernel.version       the pinned kernel package, as "package=version"
#   modules/             that package's lib/modules tree
#   busybox.version      the busybox-static package used, as "package=version"
#   ivshmem, diskbench,  tests/guests/linux/<name>.c, static, built with
#   blkops               Debian's ppc64el cross compiler
#   initramfs.cpio.gz    static busybox + tests/guests/linux/init + tests/guests/linux/*.sh
#                        + /tests/ivshmem, diskbench, blkops + the virtio, uio
#                        and ext4 modules of the kernel package (/lib/modules/*.ko,
#                        loaded by /init in the order of /lib/modules/load-order)
#                        + its NVMe driver and what that needs (loaded by
#                        /tests/diskbench.sh only, in the order of
#                        /lib/modules/nvme-order)
#
# Packages come from Debian's mirrors through apt-get download, with a private
# apt state (lists, cache, sources) under cache/guests/apt: the host's apt
# state is never read or written. Idempotent: with everything cached it only
# rebuilds the initramfs when one of its sources changed (well under a second).
#
# Environment:
#   HV_CACHE            cache directory (default <repo>/cache)
#   HV_KERNEL_PACKAGE   force a kernel package, e.g. linux-image-6.1.0-37-powerpc64le
#                       (default: the pinned one in kernel.version, else the newest)
#   HV_DEBIAN_MIRROR    mirror (default http://deb.debian.org/debian)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HV_CACHE:-$top/cache}
g=$cache/guests
src=$top/tests/guests/linux
mirror=${HV_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${HV_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
mkdir -p "$g"

log() { echo "guest_images: $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# ---------------------------------------------------------------- private apt
apt_dir=$g/apt
apt_opts=()
apt_ready=0
apt_setup() {
  [ "$apt_ready" = 1 ] && return 0
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc/sources.list.d" \
    "$apt_dir/etc/preferences.d" "$apt_dir/etc/apt.conf.d" "$apt_dir/debs"
  : > "$apt_dir/status"
  cat > "$apt_dir/etc/sources.list" <<EOF
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm-updates main
deb [arch=ppc64el signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $security_mirror bookworm-security main
EOF
  apt_opts=(
    -o APT::Architecture=ppc64el -o APT::Architectures=ppc64el
    -o Dir::State="$apt_dir" -o Dir::State::Lists="$apt_dir/lists"
    -o Dir::State::status="$apt_dir/status" -o Dir::Cache="$apt_dir/cache"
    -o Dir::Etc::SourceList="$apt_dir/etc/sources.list"
    -o Dir::Etc::SourceParts="$apt_dir/etc/sources.list.d"
    -o Dir::Etc::Preferences="$apt_dir/etc/preferences"
    -o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d"
    -o Acquire::Languages=none -o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false
    -o APT::Sandbox::User=root -o Debug::NoLocking=1
  )
  apt_ready=1
}

apt_updated=0
apt_update() {
  apt_setup
  [ "$apt_updated" = 1 ] && return 0
  local t0; t0=$(now)
  log "apt-get update (private ppc64el state in $apt_dir)"
  # A suite that fails to update (mirror mid-sync) is tolerated as long as
  # bookworm main itself is there: apt keeps what it fetched.
  local try
  for try in 1 2; do
    apt-get "${apt_opts[@]}" -q update >"$apt_dir/update.log" 2>&1 && break
    if [ "$try" = 2 ]; then
      if ls "$apt_dir/lists/"*_dists_bookworm_main_binary-ppc64el_Packages* >/dev/null 2>&1; then
        log "warning: apt-get update partly failed (using what was fetched):" >&2
        grep -E '^(E|W|Err):' "$apt_dir/update.log" | head -n5 >&2 || true
      else
        cat "$apt_dir/update.log" >&2
        echo "guest_images: apt-get update failed" >&2
        exit 1
      fi
    fi
    sleep 2
  done
  apt_updated=1
  log "apt-get update took $(elapsed "$t0")"
}

# Candidate version of a package in the private state ("" if unknown).
apt_version() {
  { apt-cache "${apt_opts[@]}" show --no-all-versions "$1" 2>/dev/null || true; } | sed -n "s/^Version: //p" | head -n1
}

# Downloads package=version into $apt_dir/debs; prints the .deb path.
apt_fetch() {
  local spec=$1 pkg=${1%%=*} ver=${1#*=} deb t0
  deb="$apt_dir/debs/${pkg}_${ver//:/%3a}_ppc64el.deb"    # apt's file name for it
  if [ ! -f "$deb" ]; then
    apt_update
    t0=$(now)
    (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" -q download "$spec" >"$apt_dir/download.log" 2>&1) \
      || { cat "$apt_dir/download.log" >&2; echo "guest_images: apt-get download $spec failed" >&2; exit 1; }
    [ -f "$deb" ] || { echo "guest_images: apt-get download did not give $deb" >&2; exit 1; }
    log "downloaded $(basename "$deb") ($(du -h "$deb" | cut -f1)) in $(elapsed "$t0")" >&2
  fi
  echo "$deb"
}

# ---------------------------------------------------------------- kernel
pin_file=$g/kernel.version
pinned=$(cat "$pin_file" 2>/dev/null || true)
want_pkg=${HV_KERNEL_PACKAGE:-}
if [ -n "$want_pkg" ] && [ "${pinned%%=*}" != "$want_pkg" ]; then
  pinned=""                      # a different package was asked for
fi
if [ -z "$pinned" ]; then
  apt_update
  if [ -z "$want_pkg" ]; then
    want_pkg=$(apt-cache "${apt_opts[@]}" pkgnames linux-image-6.1.0- \
      | grep -E '^linux-image-6\.1\.0-[0-9]+-powerpc64le$' | sort -V | tail -n1)
    [ -n "$want_pkg" ] || { echo "guest_images: no linux-image-6.1.0-NN-powerpc64le package found" >&2; exit 1; }
  fi
  ver=$(apt_version "$want_pkg")
  [ -n "$ver" ] || { echo "guest_images: package $want_pkg not found" >&2; exit 1; }
  pinned="$want_pkg=$ver"
  log "kernel package $pinned"
fi

if [ "$(cat "$g/.kernel.done" 2>/dev/null)" != "$pinned" ] || [ ! -f "$g/vmlinux" ]; then
  deb=$(apt_fetch "$pinned")
  t0=$(now)
  rm -rf "$g/kernel.tmp" "$g/modules" "$g/vmlinux" "$g/.kernel.done"
  mkdir -p "$g/kernel.tmp"
  dpkg-deb -x "$deb" "$g/kernel.tmp"
  # The ppc64el package ships the uncompressed ELF as /boot/vmlinux-<release>.
  k=$(find "$g/kernel.tmp/boot" -name 'vmlinux-*' -type f 2>/dev/null | head -n1)
  [ -n "$k" ] || { echo "guest_images: no /boot/vmlinux-* in $deb" >&2; exit 1; }
  file -b "$k" 2>/dev/null | grep -q 'ELF 64-bit LSB' \
    || { [ "$(head -c4 "$k" | od -An -tx1 | tr -d ' ')" = "7f454c46" ] \
         || { echo "guest_images: $k is not an ELF file" >&2; exit 1; }; }
  mv "$k" "$g/vmlinux"
  cp "$g/kernel.tmp"/boot/config-* "$g/kernel.config" 2>/dev/null || true
  cp "$g/kernel.tmp"/boot/System.map-* "$g/System.map" 2>/dev/null || true
  if [ -d "$g/kernel.tmp/lib/modules" ]; then
    mv "$g/kernel.tmp/lib/modules" "$g/modules"
  elif [ -d "$g/kernel.tmp/usr/lib/modules" ]; then
    mv "$g/kernel.tmp/usr/lib/modules" "$g/modules"
  fi
  rm -rf "$g/kernel.tmp"
  echo "$pinned" > "$pin_file"
  echo "$pinned" > "$g/.kernel.done"
  log "extracted vmlinux and modules in $(elapsed "$t0")"
fi

# ---------------------------------------------------------------- busybox
bb_pin=$(cat "$g/busybox.version" 2>/dev/null || true)
if [ -z "$bb_pin" ] || [ ! -f "$g/busybox" ]; then
  if [ -z "$bb_pin" ]; then
    apt_update
    bb_pin="busybox-static=$(apt_version busybox-static)"
  fi
  deb=$(apt_fetch "$bb_pin")
  rm -rf "$g/busybox.tmp"
  mkdir -p "$g/busybox.tmp"
  dpkg-deb -x "$deb" "$g/busybox.tmp"
  mv "$g/busybox.tmp/bin/busybox" "$g/busybox"
  rm -rf "$g/busybox.tmp"
  echo "$bb_pin" > "$g/busybox.version"
  log "busybox from $bb_pin"
fi

# ---------------------------------------------------------------- test programs
programs="ivshmem diskbench blkops"
for prog in $programs; do
  prog_stamp=$(md5sum < "$src/$prog.c" | cut -c1-16)
  if [ "$(cat "$g/.$prog.done" 2>/dev/null)" != "$prog_stamp" ] || [ ! -f "$g/$prog" ]; then
    powerpc64le-linux-gnu-gcc -std=c11 -static -O2 -Wall -Wextra -Werror -s -o "$g/$prog.tmp" "$src/$prog.c"
    mv "$g/$prog.tmp" "$g/$prog"
    echo "$prog_stamp" > "$g/.$prog.done"
    log "built $prog ($(du -h "$g/$prog" | cut -f1))"
  fi
done

# ---------------------------------------------------------------- initramfs
# The modules /init loads, in dependency order (paths under kernel/).
modules="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev
  drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci drivers/block/virtio_blk
  net/core/failover drivers/net/net_failover drivers/net/virtio_net drivers/uio/uio drivers/uio/uio_pci_generic
  crypto/crc32c_generic lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4"
# The NVMe driver (modules in the pinned kernel), loaded by /tests/diskbench.sh
# only; the CRC modules come before their library users (their softdeps).
nvme_modules="crypto/crct10dif_common crypto/crct10dif_generic lib/crc-t10dif lib/crc64
  crypto/crc64_rocksoft_generic lib/crc64-rocksoft block/t10-pi drivers/nvme/host/nvme-core drivers/nvme/host/nvme"
mod_root=$(find "$g/modules" -mindepth 2 -maxdepth 2 -name kernel -type d | head -n1)
[ -n "$mod_root" ] || { echo "guest_images: no kernel modules under $g/modules" >&2; exit 1; }

# Rebuilt when busybox, /init, a test script, a test program or the kernel changes. Written by a small
# newc writer (no cpio(1) and no root needed for /dev/console; reproducible:
# fixed owners and times, sorted entries).
# shellcheck disable=SC2086
stamp=$( (cat "$g/busybox.version" "$src/init" "$src"/*.sh "$pin_file"; for p in $programs; do cat "$g/$p"; done
  echo $modules -- $nvme_modules) | md5sum | cut -c1-16)
if [ "$(cat "$g/.initramfs.done" 2>/dev/null)" != "$stamp" ] || [ ! -f "$g/initramfs.cpio.gz" ]; then
  # shellcheck disable=SC2086
  python3 - "$g/busybox" "$src" "$g/initramfs.cpio.gz.tmp" "$g" "$mod_root" "$programs" "$nvme_modules" $modules <<'EOF'
import glob, gzip, os, sys

busybox, src, out, g, mod_root, programs, nvme_modules = sys.argv[1:8]
programs, nvme_modules = programs.split(), nvme_modules.split()
modules = sys.argv[8:]
entries = []          # (name, mode, data, rdev)

def d(name): entries.append((name, 0o040755, b"", (0, 0)))
def f(name, data, mode=0o100755): entries.append((name, mode, data, (0, 0)))
def l(name, target): entries.append((name, 0o120777, target.encode(), (0, 0)))
def c(name, major, minor, perm=0o600): entries.append((name, 0o020000 | perm, b"", (major, minor)))

for x in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root", "etc", "tests", "mnt", "run",
          "lib", "lib/modules"):
    d(x)
c("dev/console", 5, 1)
c("dev/null", 1, 3, 0o666)
c("dev/hvc0", 229, 0, 0o620)
f("bin/busybox", open(busybox, "rb").read())
l("bin/sh", "busybox")          # /init's interpreter; the rest come from --install -s
f("init", open(os.path.join(src, "init"), "rb").read())
for p in sorted(glob.glob(os.path.join(src, "*.sh"))):
    f("tests/" + os.path.basename(p), open(p, "rb").read())
for p in programs:
    f("tests/" + p, open(os.path.join(g, p), "rb").read())
for m in modules + nvme_modules:
    f("lib/modules/%s.ko" % os.path.basename(m), open(os.path.join(mod_root, m + ".ko"), "rb").read(), 0o100644)
f("lib/modules/load-order", "".join(os.path.basename(m) + "\n" for m in modules).encode(), 0o100644)
f("lib/modules/nvme-order", "".join(os.path.basename(m) + "\n" for m in nvme_modules).encode(), 0o100644)

def hdr(ino, name, mode, size, rdev, nlink):
    fields = (ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1], len(name) + 1, 0)
    return b"070701" + b"".join(b"%08X" % v for v in fields)

def pad(n): return b"\0" * ((4 - n % 4) % 4)

blob = bytearray()
for ino, (name, mode, data, rdev) in enumerate(entries, start=1):
    h = hdr(ino, name.encode(), mode, len(data), rdev, 2 if mode & 0o040000 else 1)
    blob += h + name.encode() + b"\0"
    blob += pad(len(h) + len(name) + 1)
    blob += data + pad(len(data))
h = hdr(0, b"TRAILER!!!", 0, 0, (0, 0), 1)
blob += h + b"TRAILER!!!\0" + pad(len(h) + 11)
with open(out, "wb") as fp:
    fp.write(gzip.compress(bytes(blob), compresslevel=6, mtime=0))
EOF
  mv "$g/initramfs.cpio.gz.tmp" "$g/initramfs.cpio.gz"
  echo "$stamp" > "$g/.initramfs.done"
  log "built initramfs.cpio.gz ($(du -h "$g/initramfs.cpio.gz" | cut -f1))"
fi

log "ready: $g/vmlinux ($(cat "$pin_file")), $g/initramfs.cpio.gz"
