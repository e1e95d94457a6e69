/**
 * JDBC store (portable SQL for H2 and PostgreSQL), de-duplication and the batching writer thread of the
 * telemetry pipeline.
 */
package dev.fleetlet.server.telemetry.internal;
