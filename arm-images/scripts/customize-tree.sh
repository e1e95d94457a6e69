#!/usr/bin/env bash
# Stage 2 of the image build: turns an extracted root file system tree into the Fleetlet image tree,
# on the host, without chroot or emulation (fast; the build's iteration loop). Also runs on the small
# fixture tree of the static tests.
#   customize-tree.sh TREE
# Writes: the overlay (units, journald, watchdog, network, first-boot scripts), fstab, config.txt and
# cmdline.txt under TREE/boot/firmware (the FAT partition's content), enabled units as symlinks.
# Removes: SSH host keys, the machine id, ssh.service enablement, apt caches.
# Environment: FLEETLET_DISK_ID (MBR disk identifier, 8 hex digits; default f1ee7e70) names the
# partitions in fstab and cmdline.txt (PARTUUID=<id>-01/-02).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tree="${1:?usage: customize-tree.sh TREE}"
[ -d "$tree/etc" ] || { echo "customize: $tree has no etc/: not a root file system tree" >&2; exit 1; }
disk_id="${FLEETLET_DISK_ID:-f1ee7e70}"
case "$disk_id" in [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]) ;; *)
  echo "customize: FLEETLET_DISK_ID must be 8 lowercase hex digits, got '$disk_id'" >&2; exit 1 ;; esac

# 1. Overlay files (owned by root, modes as in the source tree).
cp -a --no-preserve=ownership "$here/../src/image/overlay/." "$tree/"
chown -R 0:0 "$tree/etc/systemd" "$tree/usr/lib/fleetlet-image" "$tree/usr/lib/systemd/system" 2>/dev/null || true

# 2. Units: enable by symlink (what `systemctl enable` does, without a running systemd).
enable_unit() { # enable_unit TARGET.wants UNIT [UNIT_PATH]
  local wants="$tree/etc/systemd/system/$1" unit="$2" path="${3:-/lib/systemd/system/$2}"
  mkdir -p "$wants"
  ln -sfn "$path" "$wants/$unit"
}
enable_unit sysinit.target.wants fleetlet-firstboot.service /usr/lib/systemd/system/fleetlet-firstboot.service
enable_unit local-fs.target.wants fleetlet-growroot.service /usr/lib/systemd/system/fleetlet-growroot.service
enable_unit multi-user.target.wants fleetlet-agent.service
enable_unit multi-user.target.wants systemd-networkd.service
enable_unit sockets.target.wants systemd-networkd.socket /lib/systemd/system/systemd-networkd.socket
enable_unit network-online.target.wants systemd-networkd-wait-online.service
enable_unit multi-user.target.wants systemd-resolved.service
enable_unit sysinit.target.wants systemd-timesyncd.service
ln -sfn /lib/systemd/system/systemd-resolved.service "$tree/etc/systemd/system/dbus-org.freedesktop.resolve1.service"
ln -sfn /lib/systemd/system/systemd-networkd.service "$tree/etc/systemd/system/dbus-org.freedesktop.network1.service"
# SSH stays off until a key is injected (fleetlet-firstboot enables it).
rm -f "$tree/etc/systemd/system/multi-user.target.wants/ssh.service" \
      "$tree/etc/systemd/system/sshd.service" \
      "$tree/etc/systemd/system/sockets.target.wants/ssh.socket"
# The first boot may have no network for a while: no 90 s wait for a link that never comes.
ln -sfn /run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"

# 3. No secrets or identities baked in: SSH host keys are made at first boot, the machine id by
# systemd at first boot (an empty file means "first boot").
rm -f "$tree"/etc/ssh/ssh_host_*
: > "$tree/etc/machine-id"
rm -f "$tree/var/lib/dbus/machine-id"
ln -sfn /etc/machine-id "$tree/var/lib/dbus/machine-id" 2>/dev/null || true
rm -f "$tree/var/lib/systemd/random-seed" "$tree/var/lib/systemd/credential.secret"
rm -rf "$tree/var/cache/apt/"*.bin "$tree/var/lib/apt/lists/"* "$tree/tmp/"* "$tree/var/tmp/"*
rm -f "$tree/etc/.pwd.lock" "$tree"/var/log/*.log "$tree/var/log/apt/"*.log* "$tree"/etc/*-

# 4. Host name, file systems.
echo fleetlet > "$tree/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tfleetlet\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$tree/etc/hosts"
cat > "$tree/etc/fstab" <<FSTAB
# Fleetlet image. The boot partition holds the provisioning token: readable by root only.
PARTUUID=${disk_id}-02  /              ext4  defaults,noatime,commit=60               0  1
PARTUUID=${disk_id}-01  /boot/firmware vfat  defaults,noatime,umask=0077,flush        0  2
FSTAB
mkdir -p "$tree/boot/firmware"

# 5. Boot partition content: firmware, kernel, initrd and device trees go to TREE/boot/firmware
# (raspi-firmware put them there in a real build); config.txt and cmdline.txt are ours.
kernel="$(cd "$tree/boot" && ls vmlinuz-* 2>/dev/null | sort -V | tail -n1 || true)"
if [ -n "$kernel" ]; then
  version="${kernel#vmlinuz-}"
  # raspi-firmware's kernel hook copied the versioned files; the boot partition keeps one fixed-name pair.
  rm -f "$tree/boot/firmware/vmlinuz-"* "$tree/boot/firmware/initrd.img-"*
  cp "$tree/boot/$kernel" "$tree/boot/firmware/vmlinuz"
  [ -f "$tree/boot/initrd.img-$version" ] && cp "$tree/boot/initrd.img-$version" "$tree/boot/firmware/initrd.img"
  if [ -d "$tree/usr/lib/raspi-firmware" ]; then
    cp -r "$tree/usr/lib/raspi-firmware/." "$tree/boot/firmware/"
  fi
  dtbs="$tree/usr/lib/linux-image-$version/broadcom"
  if [ -d "$dtbs" ]; then cp "$dtbs"/bcm*.dtb "$tree/boot/firmware/"; fi
  if [ -d "$tree/usr/lib/linux-image-$version/overlays" ]; then
    mkdir -p "$tree/boot/firmware/overlays"; cp "$tree/usr/lib/linux-image-$version/overlays/"*.dtbo "$tree/boot/firmware/overlays/"
  fi
fi
cat > "$tree/boot/firmware/config.txt" <<'CFG'
# Fleetlet image (Debian bookworm arm64) - Raspberry Pi boot configuration.
# Boards: Pi 3 / 3+, Pi 4 / 400 / CM4, Zero 2 W on Debian's linux-image-arm64. Not Pi 5.
[all]
arm_64bit=1
kernel=vmlinuz
initramfs initrd.img followkernel
# Serial console on the GPIO header (ttyS1 on Pi 3/4/Zero 2 W with Bluetooth on the PL011).
enable_uart=1
upstream_kernel=1
# Peripherals used by Fleetlet sensors: I2C bus 1 (/dev/i2c-1 via i2c-dev; enabled in the upstream device
# trees), the SoC watchdog (systemd RuntimeWatchdogSec pings it). 1-Wire on GPIO 4 (DS18B20) is a node the
# image writes into each board's .dtb (/usr/lib/fleetlet-image/onewire-dtb): Debian ships no overlays.
dtparam=i2c_arm=on
dtparam=watchdog=on
disable_overscan=1
CFG
# 1-Wire: the node goes into every Raspberry Pi .dtb on the boot partition (host fdtput; the same script runs on
# the board after kernel installs and at boot).
if ls "$tree/boot/firmware/"bcm*.dtb >/dev/null 2>&1; then
  command -v fdtput >/dev/null 2>&1 || { echo "customize: fdtput missing; install: apt-get install device-tree-compiler" >&2; exit 1; }
  sh "$tree/usr/lib/fleetlet-image/onewire-dtb" "$tree/boot/firmware"
fi
printf 'console=tty0 console=ttyS1,115200 root=PARTUUID=%s-02 rootfstype=ext4 rootwait fsck.repair=yes net.ifnames=0 cgroup_enable=memory\n' \
  "$disk_id" > "$tree/boot/firmware/cmdline.txt"
echo "customize: done (kernel ${kernel:-none})"
