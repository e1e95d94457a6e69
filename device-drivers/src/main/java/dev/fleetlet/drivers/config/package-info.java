/**
 * Board configuration: one YAML file is read by {@link dev.fleetlet.drivers.config.BoardConfigParser}
 * into an immutable {@link dev.fleetlet.drivers.config.BoardConfig} of
 * {@link dev.fleetlet.drivers.config.SensorSpec}s and {@link dev.fleetlet.drivers.config.ActuatorSpec}s.
 * Shared keys are checked here; each driver factory checks its own keys through a
 * {@link dev.fleetlet.drivers.config.Problems} collector scoped to its entry, so every error names its
 * key path. Nothing is opened until the whole file is valid.
 */
package dev.fleetlet.drivers.config;
