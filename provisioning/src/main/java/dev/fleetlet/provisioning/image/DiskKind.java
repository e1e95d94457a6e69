package dev.fleetlet.provisioning.image;

/** What {@code image inject} and {@code image show} were pointed at. */
public enum DiskKind {
    /** A raw image file ({@code .img}). */
    RAW_IMAGE,
    /** An xz-compressed image ({@code .img.xz}), recognised by its magic bytes. */
    XZ_IMAGE,
    /** A block device such as an SD card ({@code /dev/mmcblk0}, {@code /dev/sdb}). */
    BLOCK_DEVICE
}
