#!/usr/bin/env bash
# Builds the Fleetlet Raspberry Pi image (Debian bookworm arm64) - `./dev image`. See arm-images/README.md.
#   arm-images/build-image.sh [--agent-deb FILE] [--refresh-rootfs] [--keep-raw]
# Output in arm-images/$FLEETLET_BUILD_DIR/image/ (default target/image/):
#   fleetlet-<version>-arm64.img.xz, fleetlet-<version>-arm64.img.xz.sha256, manifest.txt
# Stages: 1 rootfs tarball (mmdebstrap under qemu-user-static; cached in .../cache/, keyed by the package list
# and the stage-1 script) -> 2 agent .deb installed with dpkg in a chroot -> 3 customise the tree on the host ->
# 4 assemble the disk without loop devices or mounts -> 5 static checks (ImageCheck) -> 6 xz + sha256.
# Needs root (mmdebstrap --mode=root, chroot, file ownership in the tree), qemu-user-static, binfmt-support,
# mmdebstrap, fdisk, dosfstools, mtools, e2fsprogs, xz-utils, Java 17.
set -euo pipefail
module="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$module")"
build_dir="${FLEETLET_BUILD_DIR:-target}"
agent_deb=""
refresh=0
keep_raw=0
while [ $# -gt 0 ]; do
  case "$1" in
    --agent-deb) agent_deb="$(readlink -f "${2:?--agent-deb needs a file}")"; shift 2 ;;
    --refresh-rootfs) refresh=1; shift ;;
    --keep-raw) keep_raw=1; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "image: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  echo "image: run as root (mmdebstrap --mode=root and chroot need it; the disk assembly itself does not)" >&2; exit 1
fi
missing=()
for t in mmdebstrap:mmdebstrap qemu-aarch64-static:qemu-user-static update-binfmts:binfmt-support sfdisk:fdisk \
         mkfs.vfat:dosfstools mcopy:mtools mkfs.ext4:e2fsprogs debugfs:e2fsprogs fdtput:device-tree-compiler xz:xz-utils java:openjdk-17-jdk-headless; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then echo "image: missing tools; install: apt-get install ${missing[*]}" >&2; exit 1; fi

t0=$(date +%s)
stamp() { echo "image: [$(( $(date +%s) - t0 )) s] $*"; }
version="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$module/pom.xml" | head -n1)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}"
out_dir="$module/$build_dir/image"
cache_dir="$module/$build_dir/cache"
work="$module/$build_dir/image-work"
mkdir -p "$out_dir" "$cache_dir"

# 1. Root file system tarball (slow; cached).
key="$(cat "$module/src/image/packages.txt" "$module/scripts/build-rootfs.sh" | sha256sum | cut -c1-16)"
rootfs="$cache_dir/rootfs-bookworm-arm64-$key.tar"
if [ "$refresh" = 1 ] || [ ! -s "$rootfs" ]; then
  stamp "stage 1: mmdebstrap bookworm arm64 -> $rootfs (about 20 min under emulation on 2 cores)"
  bash "$module/scripts/build-rootfs.sh" "$rootfs"
else
  stamp "stage 1: reusing cached $rootfs (--refresh-rootfs to rebuild)"
fi

# 2. Agent package.
if [ -z "$agent_deb" ]; then
  # Always from the current tree (an older .deb left in the build dir would put a stale agent in the image);
  # the build is incremental, so an up-to-date agent costs only the packaging.
  stamp "building the agent .deb from this tree"
  (cd "$repo" && { ./mvnw -B -ntp -q -o -Dfleetlet.build.dir="$build_dir" -pl edge-agent -am package -DskipTests -DskipITs \
    || ./mvnw -B -ntp -q -Dfleetlet.build.dir="$build_dir" -pl edge-agent -am package -DskipTests -DskipITs; })
  agent_deb="$(ls -t "$repo/edge-agent/$build_dir"/fleetlet-agent_*_all.deb | head -n1)"
fi
stamp "stage 2: extracting the root file system, installing $(basename "$agent_deb")"
rm -rf "$work"
mkdir -p "$work/tree"
tar --numeric-owner -xpf "$rootfs" -C "$work/tree"
bash "$module/scripts/ensure-binfmt.sh"
cp "$agent_deb" "$work/tree/tmp/fleetlet-agent.deb"
made_null=0
if [ ! -e "$work/tree/dev/null" ]; then mknod -m 666 "$work/tree/dev/null" c 1 3; made_null=1; fi
chroot "$work/tree" dpkg -i /tmp/fleetlet-agent.deb
chroot "$work/tree" dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\n' | sort > "$out_dir/manifest.txt"
rm -f "$work/tree/tmp/fleetlet-agent.deb"
if [ "$made_null" = 1 ]; then rm -f "$work/tree/dev/null"; fi

# 3+4. Customise and assemble (the same scripts the static tests run on a fixture tree).
stamp "stage 3+4: customising the tree and assembling the disk"
raw="$work/fleetlet-$version-arm64.img"
bash "$module/scripts/image-from-tree.sh" "$work/tree" "$raw"

# 5. Static checks on the result.
stamp "stage 5: static checks"
classes="$module/$build_dir/classes"
# compiled every time (incremental, seconds): checks of this source tree, never stale classes of an older one
(cd "$repo" && ./mvnw -B -ntp -q -o -Dfleetlet.build.dir="$build_dir" -pl arm-images compile \
  || ./mvnw -B -ntp -q -Dfleetlet.build.dir="$build_dir" -pl arm-images compile)
java -cp "$classes" dev.fleetlet.images.check.ImageCheck "$raw"

# 6. Compress and checksum.
stamp "stage 6: xz"
img_xz="$out_dir/fleetlet-$version-arm64.img.xz"
xz -T0 -6 -c "$raw" > "$img_xz.partial"
touch -d "@$SOURCE_DATE_EPOCH" "$img_xz.partial"
mv "$img_xz.partial" "$img_xz"
(cd "$out_dir" && sha256sum "$(basename "$img_xz")" > "$(basename "$img_xz").sha256")
raw_bytes=$(stat -c %s "$raw")
if [ "$keep_raw" = 1 ]; then mv "$raw" "$out_dir/"; fi
rm -rf "$work"
stamp "done: $img_xz ($(( $(stat -c %s "$img_xz") / 1048576 )) MiB compressed, $(( raw_bytes / 1048576 )) MiB raw, $(wc -l < "$out_dir/manifest.txt") packages)"
cat "$img_xz.sha256"
