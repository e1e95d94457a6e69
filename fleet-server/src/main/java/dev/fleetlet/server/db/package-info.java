/**
 * Database plumbing of the core: {@link dev.fleetlet.server.db.Jdbc} runs portable SQL over the default data
 * source in thread-joined transactions; each feature's {@code internal} repository builds on it. Flyway
 * migrations live in {@code db/migration} (V1 core, V2 telemetry).
 */
package dev.fleetlet.server.db;
