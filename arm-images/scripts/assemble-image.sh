#!/usr/bin/env bash
# Stage 3 of the image build: a raw disk image from a boot directory and a root tree, without loop
# devices, mounts or root privileges (beyond reading the tree): MBR by sfdisk on the file, FAT32 by
# mkfs.vfat on a separate file filled by mcopy, ext4 by `mkfs.ext4 -d`, both copied in with dd.
#   assemble-image.sh BOOT_DIR ROOT_TREE OUT_IMG
# Layout (512-byte sectors): 4 MiB gap | p1 FAT32 LBA (0x0c, bootable), BOOT_MIB | p2 Linux (0x83), sized
# to the tree plus ROOT_FREE_MIB and 10% (the first boot grows it to the whole card).
# Environment: BOOT_MIB (256), ROOT_FREE_MIB (256), FLEETLET_DISK_ID (f1ee7e70), SOURCE_DATE_EPOCH
# (file times in both file systems; default 0 = 1970).
set -euo pipefail
boot_dir="${1:?usage: assemble-image.sh BOOT_DIR ROOT_TREE OUT_IMG}"
tree="${2:?usage: assemble-image.sh BOOT_DIR ROOT_TREE OUT_IMG}"
out="${3:?usage: assemble-image.sh BOOT_DIR ROOT_TREE OUT_IMG}"
boot_mib="${BOOT_MIB:-256}"
free_mib="${ROOT_FREE_MIB:-256}"
disk_id="${FLEETLET_DISK_ID:-f1ee7e70}"
sde="${SOURCE_DATE_EPOCH:-0}"

missing=()
for t in sfdisk:fdisk mkfs.vfat:dosfstools mcopy:mtools mmd:mtools mkfs.ext4:e2fsprogs debugfs:e2fsprogs dd:coreutils; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "assemble: missing tools; install: apt-get install ${missing[*]}" >&2; exit 1
fi
[ -d "$boot_dir" ] || { echo "assemble: boot directory $boot_dir does not exist" >&2; exit 1; }
[ -d "$tree/etc" ] || { echo "assemble: $tree has no etc/: not a root file system tree" >&2; exit 1; }
[ -f "$boot_dir/config.txt" ] && [ -f "$boot_dir/cmdline.txt" ] || {
  echo "assemble: $boot_dir lacks config.txt or cmdline.txt" >&2; exit 1; }
if [ -n "$(ls -A "$tree/boot/firmware" 2>/dev/null)" ]; then
  echo "assemble: $tree/boot/firmware must be empty (the boot partition is mounted there)" >&2; exit 1
fi

out="$(readlink -f "$out")"
work="$(mktemp -d "${out}.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mib=$((1024 * 1024))
start_mib=4

# Root file system: size from the tree's usage, inodes from its file count.
used_kib="$(du -sk --apparent-size "$tree" | cut -f1)"
files="$(find "$tree" -xdev | wc -l)"
root_mib=$(( (used_kib * 11 / 10 + 1023) / 1024 + free_mib + files / 256 ))
inodes=$(( files * 2 + 4096 ))
# Deterministic metadata: fixed UUID and directory hash seed, times from SOURCE_DATE_EPOCH.
uuid="${disk_id}-0000-4000-8000-00000000f1ee"
find "$boot_dir" -exec touch -h -d "@$sde" {} +
# File times in the root tree: modification times later than SOURCE_DATE_EPOCH (files written during the
# build: dpkg's database, the customisation) are clamped to it; packaged files keep their own.
find "$tree" -xdev -newermt "@$sde" -exec touch -h -m -d "@$sde" {} +
truncate -s "${root_mib}M" "$work/root.ext4"
E2FSPROGS_FAKE_TIME="$sde" mkfs.ext4 -q -F -L rootfs -U "$uuid" -E "hash_seed=$uuid,root_owner=0:0" \
  -N "$inodes" -m 2 -d "$tree" "$work/root.ext4"
# mkfs.ext4 -d (e2fsprogs 1.47.0) copies each file's access and change time from the host, which are the
# time of this build (the extraction, the reads); set both to SOURCE_DATE_EPOCH with debugfs, no mount.
(echo 'sif / atime @'"$sde"; echo 'sif / ctime @'"$sde"
 cd "$tree" && find . -xdev -mindepth 1 -printf '%P\n' | sort | while IFS= read -r p; do
   printf 'sif "/%s" atime @%s\nsif "/%s" ctime @%s\n' "$p" "$sde" "$p" "$sde"; done) > "$work/times.debugfs"
E2FSPROGS_FAKE_TIME="$sde" debugfs -w -f "$work/times.debugfs" "$work/root.ext4" >/dev/null 2>"$work/times.err" || {
  cat "$work/times.err" >&2; echo "assemble: debugfs could not set the file times" >&2; exit 1; }
# (debugfs -f exits 0 when its commands fail; not `grep | grep -q` under pipefail: with many errors the first
# grep dies of SIGPIPE and the failure would pass unnoticed)
if grep -v '^debugfs ' "$work/times.err" > "$work/times.bad"; then
  head -n 5 "$work/times.bad" >&2; echo "assemble: debugfs could not set the file times" >&2; exit 1
fi

# Boot file system: FAT32, 512-byte sectors, invariant serial and times.
mkfs.vfat -F 32 -S 512 -n BOOTFS -i "${disk_id^^}" --invariant -C "$work/boot.fat" $((boot_mib * 1024)) >/dev/null
(cd "$boot_dir" && find . -mindepth 1 -type d | sort | while read -r d; do mmd -i "$work/boot.fat" "::/${d#./}"; done)
(cd "$boot_dir" && find . -mindepth 1 -type f | sort | while read -r f; do mcopy -m -i "$work/boot.fat" "$f" "::/${f#./}"; done)

# Partition table on the image file, then both file systems at their offsets.
boot_start=$((start_mib * mib / 512)); boot_sectors=$((boot_mib * mib / 512))
root_start=$((boot_start + boot_sectors)); root_sectors=$((root_mib * mib / 512))
total_mib=$((start_mib + boot_mib + root_mib))
rm -f "$out"
truncate -s "${total_mib}M" "$work/disk.img"
sfdisk --quiet --no-reread --no-tell-kernel "$work/disk.img" <<SFDISK
label: dos
label-id: 0x${disk_id}
unit: sectors

start=${boot_start}, size=${boot_sectors}, type=c, bootable
start=${root_start}, size=${root_sectors}, type=83
SFDISK
dd if="$work/boot.fat" of="$work/disk.img" bs=1M seek=$start_mib conv=notrunc,sparse status=none
dd if="$work/root.ext4" of="$work/disk.img" bs=1M seek=$((start_mib + boot_mib)) conv=notrunc,sparse status=none
touch -d "@$sde" "$work/disk.img"
mv "$work/disk.img" "$out"
echo "assemble: $out ${total_mib} MiB (boot ${boot_mib} MiB, root ${root_mib} MiB, ${files} files)"
