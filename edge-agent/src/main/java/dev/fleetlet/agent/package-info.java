/**
 * The Fleetlet edge agent. {@link dev.fleetlet.agent.AgentMain} wires the feature packages: config →
 * enroll → mqtt session → telemetry (batcher → queue → publisher). Plain Java, no DI framework, to keep
 * the resident set small on a Raspberry Pi.
 */
package dev.fleetlet.agent;
