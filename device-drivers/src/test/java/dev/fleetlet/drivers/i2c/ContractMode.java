package dev.fleetlet.drivers.i2c;

/**
 * How a driver contract suite judges values: {@link #EXACT} against a fake that knows the truth,
 * {@link #PLAUSIBILITY} against real hardware where only a range can be asserted.
 */
public enum ContractMode {
    EXACT,
    PLAUSIBILITY
}
