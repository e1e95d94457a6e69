/**
 * Clock trust: {@link dev.fleetlet.agent.clock.ClockStatus} answers "has the OS synchronised the clock",
 * read by the telemetry batcher and the presence messages to fill {@code clockSynced}.
 */
package dev.fleetlet.agent.clock;
