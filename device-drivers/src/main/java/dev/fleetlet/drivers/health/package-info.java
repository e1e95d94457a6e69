/**
 * Board health from {@code /proc}, {@code /sys} and the data directory's filesystem:
 * {@link dev.fleetlet.drivers.health.BoardHealthSensor} reads every node afresh on each sample and turns
 * each fault (missing node, unparsable or implausible value, stuck temperature) into a failed or
 * suspect reading for that node only. The filesystem root is injected, so tests and the simulated
 * board run on temp trees.
 */
package dev.fleetlet.drivers.health;
