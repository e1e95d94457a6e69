#!/usr/bin/env bash
# Stage 1 of the image build: the arm64 Debian bookworm root file system as a tarball, made by
# mmdebstrap under qemu-user-static (binfmt_misc), Debian packages only (src/image/packages.txt).
# The agent .deb is installed later (build-image.sh stage 2), so a new agent build reuses this tarball.
#   build-rootfs.sh OUT_TAR
# Environment: SOURCE_DATE_EPOCH (timestamps, required), DEBIAN_MIRROR (default deb.debian.org),
# FLEETLET_APT_CACHE (downloaded .debs kept between runs; default OUT_TAR's directory/apt-archives).
# Slow under emulation: build-image.sh caches OUT_TAR by a key over its inputs (this script included).
#
# The initramfs is built ONCE, with an explicit module list. Under qemu-user emulation every
# mkinitramfs run is slow (MODULES=most copies thousands of modules, each through forked helpers: ~30 min
# on a loaded 2-core host), and a plain install runs it twice (the kernel's postinst, then the
# initramfs-tools trigger). So: the essential hook diverts /usr/sbin/update-initramfs to a no-op before the
# kernel and initramfs-tools are installed; the customize hook removes the diversion, writes
# MODULES=list plus the module list below, and runs `update-initramfs -c -k <version>` once.
# raspi-firmware's initramfs post-update hook then copies the initrd to /boot/firmware.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-rootfs.sh OUT_TAR}"
: "${SOURCE_DATE_EPOCH:?SOURCE_DATE_EPOCH must be set}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
apt_cache="$(mkdir -p "${FLEETLET_APT_CACHE:-$(dirname "$out")/apt-archives}" && cd "${FLEETLET_APT_CACHE:-$(dirname "$out")/apt-archives}" && pwd)"

bash "$here/ensure-binfmt.sh"

pkgs="$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/../src/image/packages.txt" | awk '{print $1}' | paste -sd, -)"
components="main non-free-firmware"

# Modules the initrd carries (MODULES=list; their dependencies come along). Everything else loads from the
# root file system once it is mounted. Names checked against the bookworm arm64 kernel's modules.order;
# built in (not listed): mmc_core, mmc_block, pcie-brcmstb, pci-host-generic, gpio-raspberrypi-exp,
# raspberrypi firmware, clk-raspberrypi, bcm2835-dma.
initramfs_modules='# Fleetlet image: the initrd mounts the root file system from these (MODULES=list in conf.d/fleetlet).
# Pi SD card / eMMC: Pi 4 emmc2 and Pi 3 / Zero 2 W SDHCI (sdhci-iproc), Pi 3 / Zero 2 W SD host (bcm2835)
sdhci-iproc
sdhci-pltfm
bcm2835
gpio-regulator
# USB mass storage boot: Pi 3 / Zero 2 W (dwc2), Pi 4 (VL805 xHCI on PCIe; its firmware reset)
dwc2
phy-generic
xhci-pci
reset-raspberrypi
usb-storage
uas
sd_mod
# root file system
ext4
crc32c_generic
# QEMU virt machine of the boot test (virtio-blk on PCI)
virtio_pci
virtio_blk
virtio_mmio
'

# Documentation and translations are left out (keeps copyright files): smaller image, fewer SD writes.
# usr/share/man/man1 must exist all the same: openjdk's postinst points an alternative's man page link there.
# Downloaded packages are synced in from and out to $apt_cache (--skip=essential/unlink keeps the essential
# set's .debs for the sync-out); the tarball itself carries no .debs (mmdebstrap's cleanup removes them).
tmp="$out.partial"
modules_file="$out.initramfs-modules"
rm -f "$tmp"
printf '%s' "$initramfs_modules" > "$modules_file"
mmdebstrap \
  --arch=arm64 \
  --variant=minbase \
  --mode=root \
  --format=tar \
  --include="$pkgs" \
  --skip=essential/unlink \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --setup-hook='mkdir -p "$1/var/cache/apt/archives/"' \
  --setup-hook="sync-in $apt_cache /var/cache/apt/archives/" \
  --essential-hook='mkdir -p "$1/boot/firmware" "$1/usr/share/man/man1"' \
  --essential-hook='set -e; chroot "$1" dpkg-divert --local --rename --divert /usr/sbin/update-initramfs.fleetlet --add /usr/sbin/update-initramfs
    printf "#!/bin/sh\n# Fleetlet image build: the initramfs is built once, at the end of stage 1.\nexit 0\n" > "$1/usr/sbin/update-initramfs"
    chmod 755 "$1/usr/sbin/update-initramfs"' \
  --customize-hook="sync-out /var/cache/apt/archives $apt_cache" \
  --customize-hook='set -e; rm -f "$1/usr/sbin/update-initramfs"
    chroot "$1" dpkg-divert --local --rename --divert /usr/sbin/update-initramfs.fleetlet --remove /usr/sbin/update-initramfs
    test -x "$1/usr/sbin/update-initramfs"
    printf "# Fleetlet image: only the modules in /etc/initramfs-tools/modules (SD/MMC, USB storage, ext4, virtio).\nMODULES=list\n# The root file system is ext4: the fsck hook puts fsck into the initrd (it cannot probe the root device in a build).\n# cmdline.txt has rw (raspi-firmware writes it), so the initrd checks the root file system, not systemd.\nFSTYPE=ext4\n" \
      > "$1/etc/initramfs-tools/conf.d/fleetlet"' \
  --customize-hook="upload $modules_file /etc/initramfs-tools/modules" \
  --customize-hook='set -e; version="$(ls "$1/lib/modules" | sort -V | tail -n1)"
    echo "rootfs: update-initramfs -c -k $version (MODULES=list) started $(date -u +%T)"
    chroot "$1" update-initramfs -c -k "$version"
    test -s "$1/boot/initrd.img-$version"
    echo "rootfs: initrd.img-$version $(stat -c %s "$1/boot/initrd.img-$version") bytes, done $(date -u +%T)"' \
  bookworm "$tmp" \
  "deb $mirror bookworm $components" \
  "deb $mirror bookworm-updates $components" \
  "deb $security bookworm-security $components"
rm -f "$modules_file"
mv "$tmp" "$out"
