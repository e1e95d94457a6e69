#!/usr/bin/env bash
# Proves that the image's boot configuration survives kernel and initramfs updates on a board: runs Debian's own
# raspi-firmware hooks (and the image's zz-fleetlet-onewire hooks after them, in run-parts order) in a chroot of
# the real root file system under qemu-user, as a kernel upgrade, an old kernel's removal and an update-initramfs
# do, and compares the config.txt and cmdline.txt they write with the image's own first ones.
#   verify-kernel-hook.sh ROOTFS_TAR [WORK_DIR]
# ROOTFS_TAR: stage 1's cached tarball (arm-images/<build dir>/cache/rootfs-bookworm-arm64-<key>.tar). WORK_DIR
# (default: a new /tmp/fleetlet-hook.XXXXXX) is deleted afterwards unless KEEP=1. Needs root (chroot, a /proc mount
# in the chroot: the hook's ischroot), qemu-user-static + binfmt, fdtget. Not in the default test suite (the CI has
# no rootfs tarball); about a minute, most of it the extraction.
# Steps: customize-tree.sh on the extracted tree (the image's first boot files) -> kernel upgrade to a fake newer
# version (its vmlinuz, initrd and device trees in place, as the kernel package and initramfs-tools leave them) and
# /etc/kernel/postinst.d/z* -> removal of the old kernel and /etc/kernel/postrm.d/z* -> /etc/initramfs/post-update.d/z*.
# After each: config.txt has the image's settings with the new kernel's names, cmdline.txt the image's arguments in order,
# the named kernel and initrd are on the boot partition and are the new ones, every board .dtb has the 1-Wire node.
# Exit 0 and a last line "verify-kernel-hook: OK ..." when all hold; 1 with the differences otherwise.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tar_file="$(readlink -f "${1:?usage: verify-kernel-hook.sh ROOTFS_TAR [WORK_DIR]}")"
[ -s "$tar_file" ] || { echo "verify-kernel-hook: no rootfs tarball at $tar_file" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "verify-kernel-hook: run as root (chroot)" >&2; exit 2; }
command -v fdtget >/dev/null 2>&1 || { echo "verify-kernel-hook: fdtget missing; install: apt-get install device-tree-compiler" >&2; exit 2; }
work="${2:-$(mktemp -d /tmp/fleetlet-hook.XXXXXX)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
tree="$work/tree"
cleanup() {
  if mountpoint -q "$tree/proc" 2>/dev/null; then umount "$tree/proc"; fi
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "verify-kernel-hook: kept $work"; fi
}
trap cleanup EXIT
bash "$here/ensure-binfmt.sh"

rm -rf "$tree"
mkdir -p "$tree"
# The Java runtime and the kernel modules play no part in the hooks: left out (faster).
tar --numeric-owner -xpf "$tar_file" -C "$tree" --exclude=./usr/lib/jvm --exclude='./usr/lib/modules/*/kernel'
bash "$here/customize-tree.sh" "$tree" > /dev/null
boot="$tree/boot/firmware"
old="$(cd "$tree/boot" && ls vmlinuz-* | sort -V | tail -n1)"
old="${old#vmlinuz-}"
new="6.1.0-999-arm64"
first="$work/first"
mkdir -p "$first"
cp "$boot/config.txt" "$boot/cmdline.txt" "$first/"
echo "verify-kernel-hook: image tree ready, kernel $old; first config.txt and cmdline.txt from customize-tree.sh"

[ -e "$tree/dev/null" ] || mknod -m 666 "$tree/dev/null" c 1 3
mount -t proc proc "$tree/proc"
failures=0
settings() { # the directives of a config.txt (comments and blank lines dropped), the kernel version replaced by V
  grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$1" | sed "s/$2/V/g"
}
check() { # check STEP VERSION: the boot partition after a hook run against the image's first files
  local step="$1" v="$2" problems=()
  if ! diff <(settings "$first/config.txt" "$old") <(settings "$boot/config.txt" "$v") > "$work/config.diff"; then
    problems+=("config.txt settings differ from the image's: $(tr '\n' ' ' < "$work/config.diff")")
  fi
  local want got
  want="$(tr -s ' \n' '\n\n' < "$first/cmdline.txt" | sed '/^$/d' | tr '\n' ' ')"
  got="$(tr -s ' \n' '\n\n' < "$boot/cmdline.txt" | sed '/^$/d' | tr '\n' ' ')"
  [ "$want" = "$got" ] || problems+=("cmdline.txt arguments '$got' are not the image's '$want' (same order expected)")
  [ "$(wc -l < "$boot/cmdline.txt")" -eq 1 ] || problems+=("cmdline.txt is not one line")
  grep -qx "kernel=vmlinuz-$v" "$boot/config.txt" || problems+=("config.txt does not boot vmlinuz-$v")
  grep -qx "initramfs initrd.img-$v" "$boot/config.txt" || problems+=("config.txt does not load initrd.img-$v")
  cmp -s "$boot/vmlinuz-$v" "$tree/boot/vmlinuz-$v" || problems+=("boot partition's vmlinuz-$v is not /boot's")
  cmp -s "$boot/initrd.img-$v" "$tree/boot/initrd.img-$v" || problems+=("boot partition's initrd.img-$v is not /boot's")
  local dtb n=0
  for dtb in "$boot"/bcm*.dtb; do
    n=$((n + 1))
    [ "$(fdtget "$dtb" /onewire compatible 2>/dev/null)" = w1-gpio ] || problems+=("$(basename "$dtb") has no 1-Wire node")
  done
  [ "$n" -gt 0 ] || problems+=("no board .dtb on the boot partition")
  if [ ${#problems[@]} -eq 0 ]; then
    echo "verify-kernel-hook: $step: OK (kernel=vmlinuz-$v, cmdline: $(cat "$boot/cmdline.txt"), 1-Wire in $n device trees)"
  else
    failures=$((failures + 1))
    printf 'verify-kernel-hook: %s: FAILED\n' "$step"
    printf '  %s\n' "${problems[@]}"
  fi
}

# 1. Kernel upgrade: the new kernel package unpacked its vmlinuz and device trees, initramfs-tools' postinst.d hook
# (not run here: no modules for a fake version, and slow under emulation) made its initrd; then the kernel's
# postinst runs the rest of /etc/kernel/postinst.d in order: z50-raspi-firmware, zz-fleetlet-onewire.
{ cat "$tree/boot/vmlinuz-$old"; printf 'fleetlet-hook-test %s\n' "$new"; } > "$tree/boot/vmlinuz-$new"
{ cat "$tree/boot/initrd.img-$old"; printf 'fleetlet-hook-test %s\n' "$new"; } > "$tree/boot/initrd.img-$new"
mkdir -p "$tree/usr/lib/linux-image-$new"
cp -a "$tree/usr/lib/linux-image-$old/broadcom" "$tree/usr/lib/linux-image-$new/"
hooks() { # hooks DIR PARAMS ARG...: the z* hooks of DIR as run-parts runs them for a kernel package
  local dir="$1" params="$2"; shift 2
  local args=()
  for a in "$@"; do args+=("--arg=$a"); done
  chroot "$tree" /usr/bin/env DEB_MAINT_PARAMS="$params" run-parts --report --exit-on-error --regex '^z[a-z0-9_-]*$' \
    "${args[@]}" "$dir" 2>&1 | sed 's/^/  | /'
}
echo "verify-kernel-hook: kernel upgrade $old -> $new: /etc/kernel/postinst.d/z* $(ls "$tree/etc/kernel/postinst.d" | grep '^z' | tr '\n' ' ')"
hooks /etc/kernel/postinst.d configure "$new" "/boot/vmlinuz-$new"
check "kernel upgrade" "$new"
[ -e "$boot/vmlinuz-$old" ] && echo "  (the old kernel vmlinuz-$old stays on the boot partition while it is installed)"

# 2. Old kernel removed (apt autoremove): its files are gone, then /etc/kernel/postrm.d runs.
rm -rf "$tree/boot/vmlinuz-$old" "$tree/boot/initrd.img-$old" "$tree/usr/lib/linux-image-$old"
echo "verify-kernel-hook: old kernel $old removed: /etc/kernel/postrm.d/z* $(ls "$tree/etc/kernel/postrm.d" | grep '^z' | tr '\n' ' ')"
hooks /etc/kernel/postrm.d remove "$old" "/boot/vmlinuz-$old"
check "old kernel removed" "$new"
if ls "$boot/vmlinuz-$old" "$boot/initrd.img-$old" >/dev/null 2>&1; then
  failures=$((failures + 1)); echo "verify-kernel-hook: old kernel removed: FAILED: vmlinuz-$old or initrd.img-$old left on the boot partition"
fi

# 3. update-initramfs -u (e.g. the initramfs-tools trigger after a package upgrade): /etc/initramfs/post-update.d.
# config.txt and cmdline.txt are emptied first: what the check then finds was written by this run of the hook.
: > "$boot/config.txt"
: > "$boot/cmdline.txt"
echo "verify-kernel-hook: initramfs update: /etc/initramfs/post-update.d/z* $(ls "$tree/etc/initramfs/post-update.d" | grep '^z' | tr '\n' ' ')"
chroot "$tree" /usr/bin/env -u INITRAMFS_TOOLS_KERNEL_HOOK run-parts --report --exit-on-error --regex '^z[a-z0-9_-]*$' \
  --arg="$new" --arg="/boot/initrd.img-$new" /etc/initramfs/post-update.d 2>&1 | sed 's/^/  | /'
check "initramfs update" "$new"

echo "--- config.txt written by the hook"
cat "$boot/config.txt"
echo "--- cmdline.txt written by the hook"
cat "$boot/cmdline.txt"
if [ "$failures" -ne 0 ]; then
  echo "verify-kernel-hook: FAILED ($failures steps)"
  exit 1
fi
echo "verify-kernel-hook: OK: kernel upgrade $old -> $new, old kernel removal and initramfs update keep the image's config.txt settings, cmdline.txt arguments and 1-Wire device trees, and boot the new kernel"
