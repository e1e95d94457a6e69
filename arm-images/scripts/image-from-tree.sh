#!/usr/bin/env bash
# Stages 2+3 of the image build: customize a root tree (customize-tree.sh), move its boot partition
# content out of TREE/boot/firmware and assemble the raw disk image (assemble-image.sh).
# The static tests run exactly this on a small fixture tree.
#   image-from-tree.sh TREE OUT_IMG       (TREE is modified; pass a scratch copy)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tree="${1:?usage: image-from-tree.sh TREE OUT_IMG}"
out="${2:?usage: image-from-tree.sh TREE OUT_IMG}"
bash "$here/customize-tree.sh" "$tree"
bootfs="$(mktemp -d "${out}.bootfs.XXXXXX")"
trap 'rm -rf "$bootfs"' EXIT
cp -a "$tree/boot/firmware/." "$bootfs/"
find "$tree/boot/firmware" -mindepth 1 -delete
bash "$here/assemble-image.sh" "$bootfs" "$tree" "$out"
