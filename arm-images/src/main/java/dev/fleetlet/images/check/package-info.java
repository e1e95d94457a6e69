/**
 * Static checks of a Fleetlet Raspberry Pi image file, without mounting it: {@link dev.fleetlet.images.check.DiskImage}
 * reads the MBR in Java, {@link dev.fleetlet.images.check.FatFiles} reads the boot partition through mtools and
 * {@link dev.fleetlet.images.check.Ext4Files} the root partition through {@code debugfs}; {@link
 * dev.fleetlet.images.check.ImageChecker} turns what they read into a {@link dev.fleetlet.images.check.CheckReport}.
 * The same checker runs in the unit tests (on an image assembled from a fixture tree by the build's own scripts), at
 * the end of {@code ./dev image}, and from {@link dev.fleetlet.images.check.ImageCheck#main} on any image.
 */
package dev.fleetlet.images.check;
