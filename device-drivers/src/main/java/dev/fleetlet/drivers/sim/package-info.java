/**
 * The simulated board's world: {@link dev.fleetlet.drivers.sim.Signals} builds deterministic signals
 * (functions of seed and time), {@link dev.fleetlet.drivers.sim.SimulatedSignals} maps quantities to
 * them for the chip fakes and mock pins, and {@link dev.fleetlet.drivers.sim.SimulatedSysfs} keeps a fake
 * {@code /proc}/{@code /sys} tree current for the board-health driver. The real drivers run on top.
 */
package dev.fleetlet.drivers.sim;
