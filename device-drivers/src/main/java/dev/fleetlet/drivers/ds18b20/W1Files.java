package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.sysfs.SysfsFiles;

/**
 * The 1-Wire name of the {@link SysfsFiles} port, kept so that code written against
 * {@code W1Files.SYSTEM} (the hardware-in-the-loop bindings) still compiles; new code uses
 * {@link SysfsFiles} directly.
 */
public interface W1Files extends SysfsFiles {
}
