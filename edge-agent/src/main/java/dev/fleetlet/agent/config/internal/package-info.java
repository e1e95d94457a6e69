/** Typed, problem-collecting reading of parsed configuration trees. */
package dev.fleetlet.agent.config.internal;
