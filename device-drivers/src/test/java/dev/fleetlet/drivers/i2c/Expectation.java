package dev.fleetlet.drivers.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.Reading;

/**
 * What a contract suite expects of one quantity: the exact value (with a tolerance given by the ADC
 * resolution) for fakes, a plausible range for hardware.
 */
public record Expectation(String quantity, String unit, double exact, double tolerance, double min, double max) {

    /** Asserts quantity, unit, and the value as {@code mode} requires. */
    public void check(Reading reading, ContractMode mode) {
        assertThat(reading.quantity()).isEqualTo(quantity);
        assertThat(reading.unit()).as("unit of %s", quantity).isEqualTo(unit);
        if (mode == ContractMode.EXACT) {
            assertThat(reading.value()).as("%s", quantity).isCloseTo(exact, within(tolerance));
        } else {
            assertThat(reading.value()).as("%s", quantity).isBetween(min, max);
        }
    }
}
