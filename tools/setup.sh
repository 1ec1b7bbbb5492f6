#!/usr/bin/env bash
# Installs what the build and the tests need, and prepares the cached
# dependencies (newlib and libfdt built from Debian's sources).
# Idempotent: a second run with everything present takes well under a second.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${HV_CACHE:-$top/cache}
mkdir -p "$cache"

# Debian packages the project uses, by purpose.
packages=(
  gcc-powerpc64-linux-gnu binutils-powerpc64-linux-gnu   # image toolchain
  gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross      # Linux test programs (static)
  scons device-tree-compiler xz-utils                    # build, bundles
  qemu-system-ppc qemu-system-data                       # powernv9 + skiboot.lid
  newlib-source linux-source-6.1                         # libc and libfdt sources
  gcc clang libclang-rt-14-dev libcmocka-dev            # host tests, fuzzers
  clang-format                                           # the tree's one style
  python3 python3-pytest python3-pexpect python3-libfdt  # QEMU test harness
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# libfdt: the copy Debian ships inside the kernel sources, compiled into the image.
libfdt_dir=$cache/libfdt
if [ ! -f "$libfdt_dir/.done" ]; then
  echo "setup: extracting libfdt from linux-source-6.1"
  rm -rf "$libfdt_dir" "$cache/libfdt.tmp"
  mkdir -p "$cache/libfdt.tmp"
  tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$cache/libfdt.tmp" \
    --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
  mv "$cache/libfdt.tmp/linux-source-6.1/scripts/dtc/libfdt" "$libfdt_dir"
  rm -rf "$cache/libfdt.tmp"
  touch "$libfdt_dir/.done"
fi

# newlib: built once for the image's target and flags; rebuilt when they change.
newlib_flags="-O2 -mcpu=power9 -mabi=elfv2 -mcmodel=medium -mno-altivec -mno-vsx -msoft-float -mlong-double-64 -mno-relocatable-lib -mno-relocatable -mno-strict-align -ffunction-sections -fdata-sections"
# Full printf (the hypervisor prints 64-bit values with %ll), without float.
newlib_opts="--disable-multilib --disable-libgloss --disable-newlib-supplied-syscalls --enable-newlib-io-long-long --disable-newlib-io-float --enable-newlib-nano-malloc --enable-newlib-reent-small --disable-nls"
newlib_dir=$cache/newlib
stamp=$(echo "$newlib_flags $newlib_opts" | md5sum | cut -c1-12)
if [ "$(cat "$newlib_dir/.done" 2>/dev/null)" != "$stamp" ]; then
  echo "setup: building newlib for the image (about a minute, once)"
  rm -rf "$newlib_dir"
  mkdir -p "$newlib_dir/src" "$newlib_dir/build"
  tar -xJf /usr/src/newlib/newlib-*.tar.xz -C "$newlib_dir/src" --strip-components=1
  x=powerpc64-linux-gnu
  (
    cd "$newlib_dir/build"
    # shellcheck disable=SC2086
    "$newlib_dir/src/configure" --target=powerpc64-elf --prefix="$newlib_dir/install" $newlib_opts \
      CC_FOR_TARGET=$x-gcc AR_FOR_TARGET=$x-ar AS_FOR_TARGET=$x-as \
      LD_FOR_TARGET=$x-ld RANLIB_FOR_TARGET=$x-ranlib NM_FOR_TARGET=$x-nm \
      CFLAGS_FOR_TARGET="$newlib_flags" >"$newlib_dir/build.log" 2>&1
    make -j"$(nproc)" all-target-newlib >>"$newlib_dir/build.log" 2>&1
    make install-target-newlib >>"$newlib_dir/build.log" 2>&1
  ) || { echo "setup: newlib build failed, see $newlib_dir/build.log" >&2; exit 1; }
  rm -rf "$newlib_dir/src" "$newlib_dir/build"
  echo "$stamp" > "$newlib_dir/.done"
fi
