/**
 * The {@link dev.fleetlet.drivers.sampler.Sampler}: each sensor runs at its configured interval on one
 * of two lane threads, chosen by its {@link dev.fleetlet.drivers.Sensor#expectedReadTime()} (fast I2C
 * and GPIO reads on one, blocking 1-Wire/IIO/slow-ADC reads on the other); the sampler adds the
 * calibration offsets and passes readings to a sink (the agent's telemetry pipeline). A failing
 * sensor produces failed readings and never stops the others; a watchdog turns a hung read into a
 * "read timed out" reading and replaces the stuck lane thread.
 */
package dev.fleetlet.drivers.sampler;
