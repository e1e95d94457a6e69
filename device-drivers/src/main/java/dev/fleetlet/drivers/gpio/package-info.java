/**
 * GPIO drivers over Pi4J: {@link dev.fleetlet.drivers.gpio.DigitalInputSensor} (button, PIR, reed switch;
 * change events → software debounce → state and edge count, read by the sampler),
 * {@link dev.fleetlet.drivers.gpio.DigitalOutputActuator} (relay, LED; safe state at open and close) and
 * {@link dev.fleetlet.drivers.gpio.PwmActuator} (fan, dimmer). The Pi4J context comes from
 * {@link dev.fleetlet.drivers.board.Pi4jContexts}: gpiod/linuxfs on a Pi, mocks on the simulated board,
 * where the factory drives the mock input pin from the simulated signal before each sample.
 */
package dev.fleetlet.drivers.gpio;
