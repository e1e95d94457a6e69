/**
 * Operations: {@code GET /health} and {@code /health/readiness} come from micronaut-management (the JDBC
 * indicator makes readiness follow the database; the broker adds its own indicator), {@code GET /prometheus}
 * from micronaut-micrometer-registry-prometheus; {@link dev.fleetlet.server.ops.FleetMetrics} adds the device gauges.
 */
package dev.fleetlet.server.ops;
