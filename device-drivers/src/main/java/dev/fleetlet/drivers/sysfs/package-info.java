/**
 * The sysfs port shared by the drivers that read kernel files: a driver resolves its node under the
 * injected root and reads it through {@link dev.fleetlet.drivers.sysfs.SysfsFiles} — the real filesystem
 * on a board, an in-memory fake of its bus in tests and on the simulated board.
 */
package dev.fleetlet.drivers.sysfs;
