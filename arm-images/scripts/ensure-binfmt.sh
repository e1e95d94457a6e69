#!/usr/bin/env bash
# Makes sure arm64 binaries run on this (x86-64) host through qemu-user-static and binfmt_misc.
set -euo pipefail
if [ "$(uname -m)" = aarch64 ]; then exit 0; fi
if ! command -v qemu-aarch64-static >/dev/null 2>&1 || ! command -v update-binfmts >/dev/null 2>&1; then
  echo "image: arm64 emulation missing: apt-get install qemu-user-static binfmt-support" >&2
  exit 1
fi
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  update-binfmts --enable qemu-aarch64
fi
grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 || {
  echo "image: binfmt_misc entry qemu-aarch64 is not enabled (update-binfmts --enable qemu-aarch64)" >&2; exit 1; }
