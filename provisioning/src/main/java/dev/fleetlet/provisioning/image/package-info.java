/**
 * Image work without root or mounting: {@link dev.fleetlet.provisioning.image.PartitionTable} parses the MBR
 * of an image file or block device, {@link dev.fleetlet.provisioning.image.Mtools} reads and writes the FAT
 * boot partition at its byte offset with GNU mtools, {@link dev.fleetlet.provisioning.image.BootFiles} is the
 * boot-partition contract (names and formats), and {@link dev.fleetlet.provisioning.image.ImageTool} ties
 * them together: decompress (xz) to a temporary copy, write, read back, re-compress, rename over the target.
 */
package dev.fleetlet.provisioning.image;
