#!/usr/bin/env bash
# Stage 2 of the image build: turns an extracted root file system tree into the Fleetlet image tree,
# on the host, without chroot or emulation (fast; the build's iteration loop). Also runs on the small
# fixture tree of the static tests.
#   customize-tree.sh TREE
# Writes: the overlay (units, journald, watchdog, network, first-boot scripts, raspi-firmware's boot inputs),
# fstab, ROOTPART/CONSOLES/CMA in /etc/default/raspi-firmware, config.txt and cmdline.txt under TREE/boot/firmware
# (the FAT partition's content, as raspi-firmware's kernel hook writes them), enabled units as symlinks.
# Removes: SSH host keys, the machine id, ssh.service enablement, apt caches.
# Environment: FLEETLET_DISK_ID (MBR disk identifier, 8 hex digits; default f1ee7e70) names the
# partitions in fstab, /etc/default/raspi-firmware and cmdline.txt (PARTUUID=<id>-01/-02).
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

# 5. Boot configuration, the Debian way: raspi-firmware's kernel hook (/etc/kernel/postinst.d/z50-raspi-firmware,
# also run from its postrm and initramfs post-update hooks) rewrites config.txt and cmdline.txt from scratch on
# every kernel or initramfs update, from /etc/default/raspi-firmware (ROOTPART, CONSOLES, CMA),
# /etc/default/raspi-firmware-custom (appended to config.txt; in the overlay) and /etc/default/raspi-extra-cmdline
# (appended to cmdline.txt; in the overlay). The image sets those inputs and writes its first config.txt and
# cmdline.txt the way the hook does from them, so a kernel upgrade on a board changes only the kernel and initrd
# names. Checked against the real hook under qemu-user by scripts/verify-kernel-hook.sh.
rootpart="PARTUUID=${disk_id}-02"
consoles="tty0 ttyS1,115200"
defaults="$tree/etc/default/raspi-firmware"
mkdir -p "$tree/etc/default"
touch "$defaults"
sed -i '/^# >>> Fleetlet image/,/^# <<< Fleetlet image/d' "$defaults"
cat >> "$defaults" <<DEFAULTS
# >>> Fleetlet image: set by the image build (arm-images/scripts/customize-tree.sh)
# Root by partition UUID (SD card or USB drive alike); serial console on the GPIO header and the screen;
# CMA=0: no cma= argument (the kernel's default pool) - the package's 64M default would add one on Pi 3 and
# Zero 2 W only, decided on the board, so one image for all boards would get a different line after an upgrade.
ROOTPART="${rootpart}"
CONSOLES="${consoles}"
CMA=0
# <<< Fleetlet image
DEFAULTS
for f in raspi-firmware-custom raspi-extra-cmdline; do
  [ -f "$tree/etc/default/$f" ] || { echo "customize: $tree/etc/default/$f missing (overlay not copied?)" >&2; exit 1; }
done

# Boot partition content: firmware, kernel, initrd and device trees go to TREE/boot/firmware under the names
# raspi-firmware's hook uses (versioned kernel and initrd: the hook deletes the ones no longer in /boot).
kernel="$(cd "$tree/boot" && ls vmlinuz-* 2>/dev/null | grep -E -v '\.(dpkg-bak|old-dkms)$' | sort -V | tail -n1 || true)"
initrd="$(cd "$tree/boot" && ls initrd.img-* 2>/dev/null | grep -E -v '\.(dpkg-bak|old-dkms)$' | sort -V | tail -n1 || true)"
[ -n "$kernel" ] && [ -n "$initrd" ] || { echo "customize: no /boot/vmlinuz-* and /boot/initrd.img-* in $tree" >&2; exit 1; }
version="${kernel#vmlinuz-}"
rm -f "$tree/boot/firmware/vmlinuz" "$tree/boot/firmware/initrd.img" "$tree/boot/firmware/vmlinuz-"* "$tree/boot/firmware/initrd.img-"*
cp "$tree/boot/$kernel" "$tree/boot/$initrd" "$tree/boot/firmware/"
if [ -d "$tree/usr/lib/raspi-firmware" ]; then
  cp -r "$tree/usr/lib/raspi-firmware/." "$tree/boot/firmware/"
fi
dtbs="$tree/usr/lib/linux-image-$version/broadcom"
if [ -d "$dtbs" ]; then cp "$dtbs"/bcm*.dtb "$tree/boot/firmware/"; fi
{
  echo "# Generated by the Fleetlet image build; raspi-firmware's kernel hook rewrites it on kernel updates."
  echo "# Change it through /etc/default/raspi-firmware, /etc/default/raspi-firmware-custom and"
  echo "# /etc/default/raspi-extra-cmdline, then: update-initramfs -u -k all"
  echo
  echo "arm_64bit=1"
  echo
  echo "enable_uart=1"
  echo "upstream_kernel=1"
  echo
  echo "kernel=$kernel"
  echo "initramfs $initrd"
  echo
  echo "# Inserted by /etc/default/raspi-firmware-custom"
  cat "$tree/etc/default/raspi-firmware-custom"
} > "$tree/boot/firmware/config.txt"
extra="$(tr '\n' ' ' < "$tree/etc/default/raspi-extra-cmdline")"
cmdline=""
for c in $consoles; do cmdline="$cmdline console=$c"; done
# shellcheck disable=SC2086 # word splitting normalises the spaces
echo $cmdline root="$rootpart" rw fsck.repair=yes net.ifnames=0 rootwait $extra > "$tree/boot/firmware/cmdline.txt"
# 1-Wire: the node goes into every Raspberry Pi .dtb on the boot partition (host fdtput; the same script runs on
# the board after kernel installs and at boot).
if ls "$tree/boot/firmware/"bcm*.dtb >/dev/null 2>&1; then
  command -v fdtput >/dev/null 2>&1 || { echo "customize: fdtput missing; install: apt-get install device-tree-compiler" >&2; exit 1; }
  sh "$tree/usr/lib/fleetlet-image/onewire-dtb" "$tree/boot/firmware"
fi
echo "customize: done (kernel ${kernel:-none})"
