/**
 * The {@link dev.fleetlet.drivers.sampler.Sampler}: one scheduler thread runs each sensor at its
 * configured interval, adds its calibration offsets and passes readings to a sink (the agent's
 * telemetry pipeline). A failing sensor produces failed readings and never stops the others.
 */
package dev.fleetlet.drivers.sampler;
