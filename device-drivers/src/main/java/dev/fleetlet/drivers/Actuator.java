package dev.fleetlet.drivers;

/**
 * The port every actuator driver implements (relay, LED, fan, dimmer).
 *
 * <p>An actuator is in its safe state after construction and after {@link #close()}; the safe state
 * is part of its configuration. {@link #apply(ActuatorCommand)} rejects a command the actuator does
 * not understand with {@link IllegalArgumentException} naming what was expected.
 */
public interface Actuator extends AutoCloseable {

    /** The configured name of this actuator. */
    String name();

    /** Applies a command, e.g. {@code on}, {@code off}, {@code toggle}, {@code set 0.4}. */
    void apply(ActuatorCommand command);

    /** The current output as a reading (state 0/1, or duty cycle 0..1). */
    Reading state();

    /** Drives the output to its safe state and releases the pin. Idempotent. */
    @Override
    void close();
}
