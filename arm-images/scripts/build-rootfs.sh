#!/usr/bin/env bash
# Stage 1 of the image build: the arm64 Debian bookworm root file system as a tarball, made by
# mmdebstrap under qemu-user-static (binfmt_misc), Debian packages only (src/image/packages.txt).
# The agent .deb is installed later (install-agent.sh), so a new agent build reuses this tarball.
#   build-rootfs.sh OUT_TAR
# Environment: SOURCE_DATE_EPOCH (timestamps, required), DEBIAN_MIRROR (default deb.debian.org).
# Slow (10-30 min under emulation): build-image.sh caches OUT_TAR by a key over its inputs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-rootfs.sh OUT_TAR}"
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH must be set}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

bash "$here/ensure-binfmt.sh"

pkgs="$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/../src/image/packages.txt" | awk '{print $1}' | paste -sd, -)"
components="main non-free-firmware"

# Documentation and translations are left out (keeps copyright files): smaller image, fewer SD writes.
# usr/share/man/man1 must exist all the same: openjdk's postinst points an alternative's man page link there.
tmp="$out.partial"
rm -f "$tmp"
mmdebstrap \
  --arch=arm64 \
  --variant=minbase \
  --mode=root \
  --format=tar \
  --include="$pkgs" \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/boot/firmware" "$1/usr/share/man/man1"' \
  bookworm "$tmp" \
  "deb $mirror bookworm $components" \
  "deb $mirror bookworm-updates $components" \
  "deb $security bookworm-security $components"
mv "$tmp" "$out"
